package io.swarmdsl.cli.terminal;

import io.swarmdsl.Invocation;
import io.swarmdsl.apply.ApplyView;
import io.swarmdsl.exec.ApplyListener;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.render.TextRenderer;
import java.io.PrintStream;

/**
 * An apply's view on a stream: the plan as text, the questions answered by a line, the progress as
 * JSON events with {@code json} (and nothing for a person then), else a line per node redrawn in
 * place on a terminal, a line per step elsewhere.
 */
public final class ConsoleView implements ApplyView {
    /** Asks the user a question; the answer line, or null when there is no more input. */
    @FunctionalInterface
    public interface Question {
        String ask(String question);
    }

    private final PrintStream out;
    private final Question question;
    private final boolean json;
    private final Verbosity verbosity;

    public ConsoleView(PrintStream out, Question question, boolean json) {
        this(out, question, json, Verbosity.NORMAL);
    }

    public ConsoleView(PrintStream out, Question question, boolean json, Verbosity verbosity) {
        this.out = out;
        this.question = question;
        this.json = json;
        this.verbosity = verbosity;
    }

    @Override
    public void say(String line) {
        out.println(line);
    }

    @Override
    public void tell(String line) {
        if (!json && verbosity != Verbosity.QUIET) {
            out.println(line);
        }
    }

    @Override
    public void show(Plan plan) {
        if (!json) {
            out.print(new TextRenderer().render(plan));
        }
    }

    @Override
    public boolean confirm(String prompt) {
        out.flush();
        String answer = question.ask(prompt);
        return "yes".equals(answer == null ? null : answer.trim());
    }

    @Override
    public ApplyListener progress() {
        if (json) {
            return new JsonProgress(out);
        }
        return Invocation.current().terminal() && verbosity == Verbosity.NORMAL ? new LiveProgress(out) : new PlainProgress(out, verbosity);
    }
}
