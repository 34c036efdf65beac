package io.swarmdsl.cli.terminal;

import io.swarmdsl.exec.ApplyListener;
import io.swarmdsl.exec.ApplyReport;
import io.swarmdsl.exec.StepOutcome;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import java.io.PrintStream;

/**
 * Progress as plain lines, one per finished step: for logs and pipes, no escape codes. Quiet: only
 * the steps that failed and the summary; verbose: every step's output too.
 */
public final class PlainProgress implements ApplyListener {
    private final PrintStream out;
    private final Verbosity verbosity;
    private int total;
    private int ended;

    public PlainProgress(PrintStream out) {
        this(out, Verbosity.NORMAL);
    }

    public PlainProgress(PrintStream out, Verbosity verbosity) {
        this.out = out;
        this.verbosity = verbosity;
    }

    @Override
    public synchronized void starting(Plan plan, int alreadyDone) {
        total = plan.steps().size();
        ended = alreadyDone;
        if (alreadyDone > 0 && verbosity != Verbosity.QUIET) {
            out.println(alreadyDone + " of " + total + " steps were done by an earlier apply (journal): skipping them.");
        }
    }

    @Override
    public void started(Step step) {
    }

    @Override
    public synchronized void ended(Step step, StepOutcome outcome) {
        ended++;
        boolean failed = outcome.status() == StepOutcome.Status.FAILED;
        if (verbosity == Verbosity.QUIET && !failed) {
            return;
        }
        String where = step.node() == null ? "(cluster)" : step.node();
        out.printf("[%d/%d] %-10s %-40s %s%s%n", ended, total, where, step.id(), word(outcome),
                outcome.status() == StepOutcome.Status.DONE ? String.format(" %.2fs", outcome.seconds())
                        + (outcome.attempts() > 1 ? " (" + outcome.attempts() + " attempts)" : "") : "");
        if (failed && !outcome.message().isEmpty()) {
            out.println("    " + outcome.message());
        }
        if (failed || verbosity == Verbosity.VERBOSE) {
            outcome.output().lines().forEach(line -> out.println("    | " + line));
        }
    }

    @Override
    public synchronized void finished(ApplyReport report) {
        out.println(report.summary());
    }

    static String word(StepOutcome outcome) {
        return switch (outcome.status()) {
            case DONE -> "ok";
            case SKIPPED -> "already done";
            case FAILED -> "FAILED";
            case NOT_RUN -> "not run (" + outcome.message().replace("not run: ", "") + ")";
        };
    }
}
