package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one place that makes steps: their ids, and their {@code after} edges. A node's steps follow
 * each other in the order added; a barrier holds a node's next step until another step is done.
 * A late step's action is made from the whole plan, once every other step is known.
 */
final class PlanBuilder implements MachineSteps.Steps {
    private final ClusterSpec spec;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, StepId> lastStepOfNode = new HashMap<>();
    private final Map<String, List<StepId>> barriersOfNode = new HashMap<>();
    private final Map<StepId, Function<List<Step>, Action>> lateActions = new HashMap<>();

    PlanBuilder(ClusterSpec spec) {
        this.spec = spec;
    }

    @Override
    public Step add(Phase phase, String node, String name, String summary, Action action, StepId... extraAfter) {
        return add(phase, node, name, summary, action, null, extraAfter);
    }

    /** Adds a step after the node's last one, its barriers and {@code extraAfter} (nulls ignored). */
    Step add(Phase phase, String node, String name, String summary, Action action, Check check, StepId... extraAfter) {
        Set<StepId> after = new LinkedHashSet<>();
        if (node != null) {
            StepId last = lastStepOfNode.get(node);
            if (last != null) {
                after.add(last);
            }
            after.addAll(barriersOfNode.getOrDefault(node, List.of()));
            barriersOfNode.remove(node);
        }
        for (StepId id : extraAfter) {
            if (id != null) {
                after.add(id);
            }
        }
        Step step = new Step(StepId.of(phase, node, name), summary, action, List.copyOf(after), check);
        steps.add(step);
        if (node != null) {
            lastStepOfNode.put(node, step.id());
        }
        return step;
    }

    /** A step in its place now, whose action {@code action} makes from the finished plan's steps. */
    Step addLate(Phase phase, String node, String name, String summary, Function<List<Step>, Action> action) {
        Step step = add(phase, node, name, summary, new Action.Ssh(Text.of("")));
        lateActions.put(step.id(), action);
        return step;
    }

    /** {@code node}'s next step waits for {@code stepId} too. */
    void barrier(String node, StepId stepId) {
        barriersOfNode.computeIfAbsent(node, n -> new ArrayList<>()).add(stepId);
    }

    /** The last step of every node so far, sorted by id. */
    List<StepId> lastSteps() {
        return lastStepOfNode.values().stream().sorted().toList();
    }

    Plan build() {
        List<Step> made = List.copyOf(steps);
        List<Step> finished = new ArrayList<>(made.size());
        for (Step step : made) {
            Function<List<Step>, Action> late = lateActions.get(step.id());
            finished.add(late == null ? step
                    : new Step(step.id(), step.summary(), late.apply(made), step.after(), step.check()));
        }
        return new Plan(spec, finished);
    }
}
