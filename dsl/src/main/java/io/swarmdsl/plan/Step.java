package io.swarmdsl.plan;

import io.swarmdsl.model.Phase;
import java.util.List;

/**
 * One action of the plan. Its id names its phase and its node, null for steps of the cluster as a
 * whole (cloud calls, barriers, the local certificate authority). {@code after} lists the steps that
 * must succeed first. {@code check}, when not null, tells how a node shows the step's result is
 * already there.
 */
public record Step(StepId id, String summary, Action action, List<StepId> after, Check check) {
    public Step {
        after = List.copyOf(after);
    }

    public Step withAfter(List<StepId> newAfter) {
        return new Step(id, summary, action, newAfter, check);
    }

    public Phase phase() {
        return id.phase();
    }

    public String node() {
        return id.node();
    }

    public StepKind kind() {
        return action.kind();
    }

    public boolean sensitive() {
        return action.texts().anyMatch(Text::isSensitive);
    }
}
