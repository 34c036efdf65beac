package io.swarmdsl.dsl;

/**
 * A bare word in a script: {@code replication} in {@code swarm replication}. Groovy reads unknown
 * names as properties; the DSL turns them into words and lets the keyword that receives one decide
 * what it means (a flag of the section, or a plain string value).
 */
public record Word(String name) {
    @Override
    public String toString() {
        return name;
    }
}
