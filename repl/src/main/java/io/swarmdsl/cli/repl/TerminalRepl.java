package io.swarmdsl.cli.repl;

import io.swarmdsl.Invocation;
import io.swarmdsl.dsl.ScriptLoader;
import java.io.IOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/** The REPL on a terminal: line editing, multi-line blocks, persistent history, completion, suggestions, colours, a pager for long answers. */
public final class TerminalRepl {
    public static final String PROMPT = "swarm> ";
    /** Shown while a bracket or quote is open; as wide as the prompt so the lines align. */
    public static final String CONTINUATION_PROMPT = "   ..> ";

    private final ReplSession session;
    private final boolean colour;

    /** {@code colour}: false with {@code --no-color} or NO_COLOR: no highlighting, errors not in red. */
    public TerminalRepl(ReplSession session, boolean colour) {
        this.session = session;
        this.colour = colour;
    }

    public void run() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("swarm")
                    .parser(MultiLineInput.parser())
                    .completer(new SwarmCompleter(session::cluster))
                    .highlighter(new SwarmHighlighter())
                    .variable(LineReader.HISTORY_FILE, Invocation.current().home().resolve(".swarm_history"))
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION_PROMPT)
                    .option(LineReader.Option.DISABLE_HIGHLIGHTER, !colour)
                    .build();
            // Ghost text: the rest of a matching line from history, taken with the right arrow.
            HistorySuggestion.enable(reader);
            session.applyOn(question -> {
                try {
                    return reader.readLine(question);
                } catch (UserInterruptException | EndOfFileException e) {
                    return null;
                }
            }, WriterOutput.printStream(terminal.writer()));
            ScriptLoader.warmUpInBackground();
            terminal.writer().println("swarm REPL: the language one line at a time. :help lists the commands; Ctrl-D leaves.");
            while (!session.finished()) {
                String input;
                try {
                    input = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                ReplSession.Reply reply = input.strip().startsWith(":apply") ? interruptible(terminal, input) : session.handle(input);
                if (!reply.text().isEmpty() && (reply.error() || !Pager.isTallerThan(terminal, reply.text())
                        || !Pager.show(terminal, reply.text()))) {
                    AttributedStyle style = reply.error() && colour ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED) : AttributedStyle.DEFAULT;
                    terminal.writer().println(new AttributedString(reply.text(), style).toAnsi(terminal));
                }
                terminal.flush();
            }
        }
    }

    /**
     * Runs an input with Ctrl-C interrupting it: the executor then stops starting steps and ends
     * with an error (the journal already holds every step that began), and the prompt returns.
     */
    private ReplSession.Reply interruptible(Terminal terminal, String input) {
        Thread repl = Thread.currentThread();
        Terminal.SignalHandler before = terminal.handle(Terminal.Signal.INT, signal -> repl.interrupt());
        try {
            return session.handle(input);
        } finally {
            terminal.handle(Terminal.Signal.INT, before);
            // A Ctrl-C that came after the apply ended must not break the next read.
            Thread.interrupted();
        }
    }
}
