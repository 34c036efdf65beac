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

    /** What a generated file is, for whoever makes it. */
    public enum Artifact {
        CA_CERT, CA_KEY, CLIENT_CERT, CLIENT_KEY, NODE_CA, SERVER_CERT, SERVER_KEY
    }

    /** Content made at apply time, such as a certificate; only described, and never printed if secret. */
    public record Generated(Artifact artifact, Text description, boolean secret) implements Content {
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
