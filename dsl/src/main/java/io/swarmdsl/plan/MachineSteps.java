package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;

/**
 * A provider's part of phase one: the steps that make the machines, planned before SSH answers on
 * them. The planner knows no provider; each brings its own (none for existing hosts).
 */
@FunctionalInterface
public interface MachineSteps {
    MachineSteps NONE = (spec, steps) -> { };

    void plan(ClusterSpec spec, Steps steps);

    /** How a provider adds its steps: the planner's builder makes their ids and edges. */
    interface Steps {
        /** A step after the node's last one (when it has a node) and after {@code after} (nulls ignored). */
        Step add(io.swarmdsl.model.Phase phase, String node, String name, String summary, Action action, StepId... after);
    }
}
