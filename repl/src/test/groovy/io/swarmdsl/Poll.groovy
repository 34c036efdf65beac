package io.swarmdsl

/** The one way specs wait for something outside them (a process, a node, a screen): ask until it holds. */
class Poll {
    /**
     * Asks {@code condition} every {@code intervalMillis} for at most {@code patienceMillis}, once more
     * at the end; whether it came true.
     */
    static boolean until(long patienceMillis, long intervalMillis = 50, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + patienceMillis * 1_000_000L
        while (System.nanoTime() < deadline) {
            if (condition()) {
                return true
            }
            Thread.sleep(intervalMillis)
        }
        condition()
    }
}
