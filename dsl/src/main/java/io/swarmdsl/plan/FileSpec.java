package io.swarmdsl.plan;

import java.util.stream.Stream;

/** One file an upload writes: where, with which mode, and what goes in it. */
public record FileSpec(String path, String mode, Content content) {

    public sealed interface Content {
        Stream<Text> texts();
    }

    /** Content the plan shows in full (secrets as placeholders). */
    public record Inline(Text text) implements Content {
        public Stream<Text> texts() {
            return Stream.of(text);
        }
    }

    /**
     * Content made at apply time, such as a certificate; only described, and never printed if secret.
     * {@code artifact} says which one, for whoever makes it: {@code ca-cert}, {@code ca-key},
     * {@code client-cert}, {@code client-key}, {@code node-ca}, {@code server-cert}, {@code server-key}.
     */
    public record Generated(String artifact, Text description, boolean secret) implements Content {
        public Stream<Text> texts() {
            return secret ? Stream.of(description, Text.of(Text.Ref.secret("generated"))) : Stream.of(description);
        }
    }

    /** A file of the user's machine, read when applying. */
    public record LocalFile(String path) implements Content {
        public Stream<Text> texts() {
            return Stream.empty();
        }
    }
}
