package io.swarmdsl.exec;

/**
 * Whether standard output is a terminal that progress can be redrawn on. The agent answers for the
 * terminal of the client it serves, since its own output is a socket.
 */
public final class TerminalOutput {
    private static volatile Boolean assumed;

    private TerminalOutput() {
    }

    public static boolean isTerminal() {
        Boolean answer = assumed;
        return answer != null ? answer : detected();
    }

    /** What this process itself sees: a console, and a terminal type that can move the cursor. */
    public static boolean detected() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !"dumb".equals(term);
    }

    /** Answers {@code terminal} from now on; null: what this process sees. */
    public static void assume(Boolean terminal) {
        assumed = terminal;
    }
}
