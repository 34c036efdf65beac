package io.swarmdsl.model;

/**
 * A script or builder call that does not describe a valid cluster. Carries the place it was written
 * when known (scripts), so the user gets {@code FILE:LINE:COL: message}.
 */
public class SpecException extends RuntimeException {
    private final SourcePosition position;

    public SpecException(String message) {
        this(null, message);
    }

    public SpecException(SourcePosition position, String message) {
        super(message);
        this.position = position;
    }

    public SourcePosition position() {
        return position;
    }

    /** The same error, placed at {@code where} unless it already knows its place. */
    public SpecException placedAt(SourcePosition where) {
        return position != null || where == null ? this : new SpecException(where, getMessage());
    }

    /** The line a user reads: {@code FILE:LINE:COL: message}. */
    public String describe() {
        return position == null ? getMessage() : position + ": " + getMessage();
    }
}
