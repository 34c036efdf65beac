package io.swarmdsl.exec;

import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;

/** What an apply tells whoever shows its progress. Called from worker threads: implementations synchronise. */
public interface ApplyListener {
    void starting(Plan plan, int alreadyDone);

    void started(Step step);

    void ended(Step step, StepOutcome outcome);

    void finished(ApplyReport report);
}
