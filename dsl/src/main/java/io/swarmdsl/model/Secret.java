package io.swarmdsl.model;

import java.util.Objects;

/**
 * A value that must never be shown: where it comes from, not what it is. Every renderer prints it
 * as {@code (sensitive)}; only the executor resolves it, at apply time.
 */
public final class Secret {
    public enum Source { ENV, FILE, LITERAL, GENERATED, GENERATED_UUID }

    private final Source source;
    private final String reference;

    private Secret(Source source, String reference) {
        this.source = Objects.requireNonNull(source);
        this.reference = Objects.requireNonNull(reference);
    }

    /** Read from the environment variable {@code name} when applying. */
    public static Secret env(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new SpecException("env(...) needs an environment variable name, got '" + name + "'");
        }
        return new Secret(Source.ENV, name);
    }

    /** Read from a file of the user's when applying (the article kept its token in one). */
    public static Secret file(String path) {
        if (path == null || path.isBlank()) {
            throw new SpecException("file(...) needs a path");
        }
        return new Secret(Source.FILE, path);
    }

    /** Written in the script itself. */
    public static Secret literal(String value) {
        return new Secret(Source.LITERAL, value);
    }

    /** Generated once per cluster when applying and kept in the cluster's local state. */
    public static Secret generated(String what) {
        return new Secret(Source.GENERATED, what);
    }

    /** Like {@link #generated}, but a random UUID: the form Consul takes for an ACL token's secret. */
    public static Secret generatedUuid(String what) {
        return new Secret(Source.GENERATED_UUID, what);
    }

    public Source source() {
        return source;
    }

    /** The variable name, file path or generator name; for a literal, the secret value itself. */
    public String reference() {
        return reference;
    }

    /** Where the value comes from, safe to print: never the value of a literal. */
    public String origin() {
        return switch (source) {
            case ENV -> "env " + reference;
            case FILE -> "file " + reference;
            case LITERAL -> "written in the script";
            case GENERATED, GENERATED_UUID -> "generated at apply: " + reference;
        };
    }

    @Override
    public String toString() {
        return "(sensitive)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.source == source && s.reference.equals(reference);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, reference);
    }
}
