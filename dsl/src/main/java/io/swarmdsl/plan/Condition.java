package io.swarmdsl.plan;

/**
 * What a wait waits for. Each kind carries what it takes to test it, so a backend tests it without
 * decoding names; {@link #word()} is how plans show it ({@code ssh}, {@code reboot}, …).
 */
public sealed interface Condition {
    String word();

    /** SSH answers on the node and its host key is accepted. */
    record SshAnswers() implements Condition {
        public String word() {
            return "ssh";
        }
    }

    /**
     * {@code probe}, run on the node, exits 0. An exit of {@code hopeless} (when not 0) means it never
     * will: the wait fails at once with the probe's output as the reason. {@code reconnects}: the node
     * goes away meanwhile (a reboot), so each try opens a new connection. {@code what} is how the
     * {@code sh} plan names it.
     */
    record NodeProbe(String word, String what, Text probe, int hopeless, boolean reconnects) implements Condition {
    }

    /** The node's Docker engine answers on its port, through TLS when {@code tls}. */
    record EngineAnswers(boolean tls) implements Condition {
        public String word() {
            return tls ? "engine-tls" : "engine";
        }
    }

    /**
     * A resource of the cloud provider is ready ({@code droplet-active}); the provider's runner waits.
     * In {@code plan --format sh}, {@code shellProbe} succeeds once it is, {@code shellThen} reads what
     * it made ({@code what} names it there).
     */
    record ProviderReady(String word, String what, String shellProbe, String shellThen) implements Condition {
    }
}
