package io.swarmdsl.exec;

import io.swarmdsl.Invocation;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import java.io.PrintStream;

/** What an apply tells whoever shows its progress. Called from worker threads: implementations synchronise. */
public interface ApplyListener {
    void starting(Plan plan, int alreadyDone);

    void started(Step step);

    void ended(Step step, StepOutcome outcome);

    void finished(ApplyReport report);

    /** JSON events with {@code json}; else a line per node redrawn in place on a terminal, a line per step elsewhere. */
    static ApplyListener forOutput(boolean json, PrintStream out) {
        if (json) {
            return new JsonProgress(out);
        }
        return Invocation.current().terminal() ? new LiveProgress(out) : new PlainProgress(out);
    }
}
