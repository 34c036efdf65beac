package io.swarmdsl.plan;

import io.swarmdsl.model.Phase;
import java.util.List;

/**
 * One action of the plan. {@code node} is null for steps of the cluster as a whole (cloud calls,
 * barriers, the local certificate authority). {@code after} lists the steps that must succeed first.
 * {@code check}, when not null, tells how a node shows the step's result is already there.
 */
public record Step(String id, Phase phase, String node, String summary, Action action, List<String> after, Check check) {
    public Step {
        after = List.copyOf(after);
    }

    public Step withAfter(List<String> newAfter) {
        return new Step(id, phase, node, summary, action, newAfter, check);
    }

    public StepKind kind() {
        return action.kind();
    }

    public boolean sensitive() {
        return action.texts().anyMatch(Text::isSensitive);
    }
}
