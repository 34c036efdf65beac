package io.swarmdsl.cli.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A REPL fed from a pipe, whatever its language: lines are joined until {@code complete} says the
 * snippet is whole, each snippet is answered in plain text, and the run reports whether every one
 * was accepted, so that a piped session can fail its caller.
 */
final class PipedInput {
    private PipedInput() {
    }

    static boolean answerAll(BufferedReader in, PrintWriter out, Predicate<String> complete,
                             Function<String, ReplSession.Reply> handle, BooleanSupplier finished) throws IOException {
        boolean allAccepted = true;
        StringBuilder pending = new StringBuilder();
        String line;
        while (!finished.getAsBoolean() && (line = in.readLine()) != null) {
            pending.append(pending.length() == 0 ? "" : "\n").append(line);
            if (complete.test(pending.toString())) {
                allAccepted &= answer(handle.apply(pending.toString()), out);
                pending.setLength(0);
            }
        }
        if (pending.length() > 0 && !finished.getAsBoolean()) {
            allAccepted &= answer(handle.apply(pending.toString()), out);
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
