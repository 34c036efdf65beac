package io.swarmdsl.transport.docker;

/** A Docker Engine API call that did not get an answer, or got an error answer. */
public final class EngineException extends Exception {
    public enum Kind {
        /** Nothing listens, or the address is unreachable: worth trying again. */
        CONNECT,
        /** The TLS handshake failed: wrong CA, no client certificate, or the engine is not on TLS yet. */
        TLS,
        TIMEOUT,
        /** The engine answered with an error status; the message is the engine's own. */
        REFUSED
    }

    private final Kind kind;
    private final int status;

    EngineException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of a refused call, else 0. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return kind != Kind.REFUSED;
    }
}
