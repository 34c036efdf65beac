package io.swarmdsl.exec;

/** How one step ended. {@code output} is the tail of what it printed, already redacted. */
public record StepOutcome(Status status, int exitCode, String output, String message, double seconds, int attempts) {
    public enum Status { DONE, SKIPPED, FAILED, NOT_RUN }

    public boolean succeeded() {
        return status == Status.DONE || status == Status.SKIPPED;
    }
}
