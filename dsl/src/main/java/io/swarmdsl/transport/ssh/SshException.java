package io.swarmdsl.transport.ssh;

import java.io.IOException;

/**
 * Why SSH could not do what was asked. The message names the node and its address, never a
 * command or its input (either may carry secrets). {@link #retryable()} tells whether trying again
 * later can help: a refused connection can, a refused key or a changed host key cannot.
 */
public final class SshException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The node refused, could not be reached, or dropped the connection. */
        CONNECT(true),
        /** Connecting or a command took longer than allowed. */
        TIMEOUT(true),
        /** The node did not accept any of the keys offered. */
        AUTH(false),
        /** The node presented a key other than the one known_hosts has for it (or a revoked one). */
        HOST_KEY_CHANGED(false),
        /** Under the strict policy, the node's key is not in known_hosts (or could not be recorded there). */
        HOST_KEY_UNKNOWN(false),
        /** The connection works but a channel or file operation failed (an SFTP error, a refused channel). */
        COMMAND(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final String node;

    public SshException(Kind kind, String node, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.node = node;
    }

    public SshException(Kind kind, String node, String message) {
        this(kind, node, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }

    /** The name of the node, as the script calls it. */
    public String node() {
        return node;
    }
}
