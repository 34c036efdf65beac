package io.swarmdsl.plan;

/**
 * How a node shows that a step's result is already there: a read-only shell command whose output,
 * trimmed, equals {@code expected}. Read with the facts before applying, so a node set up by other
 * means (or by hand) is not changed again. {@code reason}, when there is one, is what an apply says
 * of the nodes where the step is left out.
 */
public record Check(String probe, String expected, String reason) {
    public Check(String probe, String expected) {
        this(probe, expected, null);
    }

    public static Check holds(String condition) {
        return new Check("{ " + condition + "; } >/dev/null 2>&1 && echo yes", "yes");
    }

    public Check because(String reason) {
        return new Check(probe, expected, reason);
    }
}
