package io.swarmdsl.exec;

import io.swarmdsl.model.Phase;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import java.util.List;
import java.util.Map;

/** The result of an apply: every step's outcome, in plan order. */
public record ApplyReport(List<Step> steps, Map<StepId, StepOutcome> outcomes, double seconds) {

    public long count(StepOutcome.Status status) {
        return outcomes.values().stream().filter(o -> o.status() == status).count();
    }

    public boolean succeeded() {
        return outcomes.values().stream().allMatch(StepOutcome::succeeded);
    }

    /** {@code Apply complete: 12 steps done, 3 already done, in 1.4 s.} or what failed and what did not run. */
    /** A teardown plan reports as a destroy; everything else is an apply. */
    private String what() {
        return !steps.isEmpty() && steps.stream().allMatch(s -> s.phase() == Phase.DESTROY) ? "Destroy" : "Apply";
    }

    public String summary() {
        String counts = count(StepOutcome.Status.DONE) + " steps done, " + count(StepOutcome.Status.SKIPPED)
                + " already done";
        if (succeeded()) {
            return String.format("%s complete: %s, in %.1f s.", what(), counts, seconds);
        }
        return String.format("%s failed: %s, %d failed, %d not run, in %.1f s.", what(), counts,
                count(StepOutcome.Status.FAILED), count(StepOutcome.Status.NOT_RUN), seconds);
    }
}
