package io.swarmdsl.cli.repl;

import io.swarmdsl.Invocation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/** {@code swarm repl --java}: a {@link JavaSession} read line by line, on a terminal or from a pipe. */
public final class JavaRepl {
    private final JavaSession session;
    private final boolean colour;

    /** {@code colour}: false with {@code --no-color} or NO_COLOR: errors not in red. */
    public JavaRepl(JavaSession session, boolean colour) {
        this.session = session;
        this.colour = colour;
    }

    /** Reads piped lines, joining them until a snippet is whole; returns whether every input was accepted. */
    public boolean run(BufferedReader in, PrintWriter out) throws IOException {
        return PipedInput.answerAll(in, out, session::isComplete,
                (input, firstLine) -> session.handle(input, PipedInput.STDIN, firstLine), session::finished);
    }

    /** Line editing and history on a terminal; Enter on an unfinished snippet continues it on the next line; long answers paged. */
    public void runOnTerminal() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("swarm-java")
                    .parser(new SnippetParser(session))
                    .variable(LineReader.HISTORY_FILE, Invocation.current().home().resolve(".swarm_java_history"))
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, JavaSession.CONTINUATION_PROMPT)
                    .build();
            terminal.writer().println("swarm Java REPL: cluster is a ClusterBuilder. /plan plans it; /help; /exit or Ctrl-D leaves.");
            while (!session.finished()) {
                String input;
                try {
                    input = reader.readLine(JavaSession.PROMPT);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                ReplSession.Reply reply = session.handle(input);
                if (!reply.text().isEmpty() && (reply.error() || !Pager.isTallerThan(terminal, reply.text())
                        || !Pager.show(terminal, reply.text()))) {
                    AttributedStyle style = reply.error() && colour ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED) : AttributedStyle.DEFAULT;
                    terminal.writer().println(new AttributedString(reply.text(), style).toAnsi(terminal));
                }
                terminal.flush();
            }
        }
    }

    /** Tells JLine a snippet is unfinished, so Enter opens a continuation line instead of evaluating it. */
    private static final class SnippetParser implements Parser {
        private final JavaSession session;
        private final DefaultParser words = new DefaultParser();

        SnippetParser(JavaSession session) {
            this.session = session;
        }

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !session.isComplete(line)) {
                throw new EOFError(-1, cursor, "the snippet goes on");
            }
            return words.parse(line, cursor, context);
        }
    }
}
