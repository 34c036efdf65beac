package io.swarmdsl.dsl;

import groovy.lang.GroovyObjectSupport;
import io.swarmdsl.model.Excerpt;
import io.swarmdsl.model.SpecException;

/**
 * A bare word in a script: {@code replication} in {@code swarm replication}. Groovy reads unknown
 * names as properties; the DSL turns them into words and lets the keyword that receives one decide
 * what it means (an option of the section, or a plain string value). Used in any other way (as a
 * number, with a method), a word is an unknown name, and says so.
 */
public final class Word extends GroovyObjectSupport {
    private final String name;

    public Word(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public Object invokeMethod(String method, Object args) {
        throw new SpecException("unknown name '" + Excerpt.of(name) + "'");
    }

    @Override
    public Object getProperty(String property) {
        throw new SpecException("unknown name '" + Excerpt.of(name) + "'");
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Word word && word.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
