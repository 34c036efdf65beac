package io.swarmdsl.exec;

/** The step runners' clock: how long a step took, and a pause that an interrupt turns into the end of the apply. */
final class StepClock {
    private StepClock() {
    }

    static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted");
        }
    }
}
