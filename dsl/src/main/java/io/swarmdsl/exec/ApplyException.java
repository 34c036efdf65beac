package io.swarmdsl.exec;

/** A reason an apply cannot start or go on, said in words a user can act on. */
public class ApplyException extends RuntimeException {
    public ApplyException(String message) {
        super(message);
    }

    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
