package io.swarmdsl.plan;

import io.swarmdsl.model.Phase;
import java.util.List;

/**
 * One action of the plan. {@code node} is null for steps of the cluster as a whole (cloud calls,
 * barriers, the local certificate authority). {@code after} lists the steps that must succeed first.
 */
public record Step(String id, Phase phase, String node, String summary, Action action, List<String> after) {
    public Step {
        after = List.copyOf(after);
    }

    public StepKind kind() {
        return action.kind();
    }

    public boolean sensitive() {
        return action.texts().anyMatch(Text::isSensitive);
    }
}
