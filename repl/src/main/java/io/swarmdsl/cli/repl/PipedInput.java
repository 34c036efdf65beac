package io.swarmdsl.cli.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A REPL fed from a pipe, whatever its language: lines are joined until {@code complete} says the
 * snippet is whole, each snippet is answered in plain text, and the run reports whether every one
 * was accepted, so that a piped session can fail its caller. Errors name the line of standard input
 * the snippet began on ({@code stdin:12:3: …}), so a long piped script can be mended where it broke.
 */
final class PipedInput {
    /** The name errors in piped input are reported against. */
    static final String STDIN = "stdin";

    private PipedInput() {
    }

    /** Answers one whole input that began on line {@code firstLine} of standard input. */
    interface Answerer {
        ReplSession.Reply answer(String input, int firstLine);
    }

    static boolean answerAll(BufferedReader in, PrintWriter out, Predicate<String> complete,
                             Answerer handle, BooleanSupplier finished) throws IOException {
        boolean allAccepted = true;
        StringBuilder pending = new StringBuilder();
        int lineNumber = 0;
        int firstLine = 1;
        String line;
        while (!finished.getAsBoolean() && (line = in.readLine()) != null) {
            lineNumber++;
            if (pending.length() == 0) {
                firstLine = lineNumber;
            }
            pending.append(pending.length() == 0 ? "" : "\n").append(line);
            if (complete.test(pending.toString())) {
                allAccepted &= answer(handle.answer(pending.toString(), firstLine), out);
                pending.setLength(0);
            }
        }
        if (pending.length() > 0 && !finished.getAsBoolean()) {
            allAccepted &= answer(handle.answer(pending.toString(), firstLine), out);
        }
        out.flush();
        return allAccepted;
    }

    private static boolean answer(ReplSession.Reply reply, PrintWriter out) {
        if (!reply.text().isEmpty()) {
            out.println(reply.text());
        }
        out.flush();
        return !reply.error();
    }
}
