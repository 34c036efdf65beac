package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;

/**
 * A provider's part of phase one: the steps that make the machines, planned before SSH answers on
 * them. The planner knows no provider; each brings its own (none for existing hosts).
 */
@FunctionalInterface
public interface MachineSteps {
    MachineSteps NONE = (spec, steps) -> { };

    void plan(ClusterSpec spec, Steps steps);

    /**
     * Whether a node that leaves the cluster goes with its machine ({@link #deleteMachine}); else (existing
     * hosts) it is put back as it was before it joined.
     */
    default boolean deletesLeavingMachines() {
        return false;
    }

    /** The step that deletes the machine of {@code node}, which leaves the cluster, after its last step (it has left Consul and the Swarm). */
    default void deleteMachine(ClusterSpec spec, NodeSpec node, Steps steps) {
        throw new UnsupportedOperationException("this provider keeps the machines of nodes that leave");
    }

    /** How a provider adds its steps: the planner's builder makes their ids and edges. */
    interface Steps {
        /** A step after the node's last one (when it has a node) and after {@code after} (nulls ignored). */
        Step add(io.swarmdsl.model.Phase phase, String node, String name, String summary, Action action, StepId... after);
    }
}
