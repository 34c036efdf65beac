package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.model.SwarmSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The nodes an earlier apply brought in that the script no longer names ({@link ClusterSpec#leaving}):
 * each leaves Consul (a server gives up its raft seat), one node at a time and the servers first, so
 * the servers that stay keep their quorum; then it is put back as it was ({@link Teardown}). Every
 * node of the script waits for the last to be out before its engine changes: a server gone for good
 * must be out of raft before another restarts, or a quorum of three would be one. In Swarm mode a
 * manager that stays first drains the node (demoting it if it manages), so its tasks run elsewhere,
 * and removes it from the Swarm once it has left: one node at a time, so the managers keep raft's
 * quorum. A node that does not answer drains and goes the same way, from the manager.
 */
final class RemovalSteps {
    private static final String HOLD = "consul-hold";
    private static final String LEAVE = "leave";
    /** How long a drain may take to move a node's tasks, and a node that left to be seen down. */
    private static final int SWARM_SECONDS = 120;

    private final ClusterSpec spec;
    private final PlanBuilder steps;
    private final MachineSteps machines;

    RemovalSteps(ClusterSpec spec, PlanBuilder steps, MachineSteps machines) {
        this.spec = spec;
        this.steps = steps;
        this.machines = machines;
    }

    void plan() {
        List<NodeSpec> leaving = new ArrayList<>(spec.leaving());
        if (leaving.isEmpty()) {
            return;
        }
        leaving.sort(Comparator.comparing(node -> !node.isMaster()));
        NodeSpec manager = spec.swarm().flavor() == SwarmSpec.Flavor.MODE ? spec.masters().get(0) : null;
        StepId previous = null;
        StepId previousInSwarm = null;
        for (NodeSpec node : leaving) {
            StepId drained = null;
            if (manager != null) {
                drained = steps.add(Phase.DESTROY, manager.name(), "drain-" + node.name(), "drain " + node.name()
                                + (node.isMaster() ? ", demoted first (the managers that stay keep raft's quorum)" : "")
                                + ": its tasks move to other nodes; wait until none runs on it",
                        new Action.Ssh(Shell.drainSwarmNode(node.name(), SWARM_SECONDS)), previousInSwarm).id();
                steps.barrier(node.name(), drained);
            }
            if (spec.consul().enabled()) {
                steps.add(Phase.DESTROY, node.name(), HOLD, "keep the Consul container from starting again once its agent has left",
                        new Action.Ssh(Text.of("docker update --restart=no consul >/dev/null 2>&1 || true")));
                previous = steps.add(Phase.DESTROY, node.name(), LEAVE, node.isMaster()
                                ? "leave Consul: the server gives up its raft seat, once the node before is out (the servers that stay keep their quorum)"
                                : "leave Consul, so that no failed member stays behind",
                        ConsulSteps.leave(spec, node, false), previous).id();
            }
            // A machine about to be deleted is not put back: it only leaves the Swarm first.
            boolean deleted = machines.deletesLeavingMachines();
            for (Step teardown : deleted ? Teardown.leavingSwarm(spec, node) : Teardown.ofNode(spec, node)) {
                steps.add(teardown.phase(), node.name(), teardown.id().name(), teardown.summary(), teardown.action());
            }
            if (deleted) {
                machines.deleteMachine(spec, node, steps);
            }
            if (manager != null) {
                previousInSwarm = steps.add(Phase.DESTROY, manager.name(), "remove-" + node.name(), "remove " + node.name()
                                + " from the Swarm once it has left (down)", new Action.Ssh(Shell.removeSwarmNode(node.name(), SWARM_SECONDS)),
                        drained, StepId.of(Phase.DESTROY, node.name(), Teardown.SWARM_LEAVE)).id();
            }
        }
        if (previous != null) {
            for (NodeSpec node : spec.nodes()) {
                steps.barrier(node.name(), previous);
            }
        }
    }
}
