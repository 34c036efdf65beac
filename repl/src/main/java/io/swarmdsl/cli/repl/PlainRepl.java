package io.swarmdsl.cli.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import org.jline.reader.Parser;

/**
 * The REPL when standard input is not a terminal ({@code printf 'nodes 3\n:plan\n' | swarm repl}):
 * reads lines, joins those of an unclosed bracket or quote as the terminal would, prints plain answers.
 */
public final class PlainRepl {
    private final ReplSession session;
    private final Parser parser = MultiLineInput.parser();

    public PlainRepl(ReplSession session) {
        this.session = session;
    }

    /** Answers every input; returns whether all were accepted, so a piped session can fail its caller. */
    public boolean run(BufferedReader in, PrintWriter out) throws IOException {
        session.applyOn(question -> {
            out.print(question);
            out.flush();
            try {
                return in.readLine();
            } catch (IOException e) {
                return null;
            }
        }, WriterOutput.printStream(out));
        return PipedInput.answerAll(in, out, text -> MultiLineInput.isComplete(parser, text), 
                (input, firstLine) -> session.handle(input, PipedInput.STDIN, firstLine), session::finished);
    }
}
