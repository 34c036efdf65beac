package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ComposeSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.model.SwarmSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The article's teardown, as a plan: on every node, make sure the engine answers, leave Swarm mode, take down the compositions
 * the bring-up started there, put back the original of every file it changed (kept by the
 * {@code provision.NODE.originals} step), restart the engine with its original options and remove the
 * cluster's state on the node. A pure function of the spec, like {@link Planner}.
 *
 * <p>Every step is idempotent and safe on a node where apply never ran or stopped part-way. A node's
 * steps run in order; nodes are independent.
 */
public final class Teardown {
    static final String SWARM_LEAVE = "swarm-leave";

    private Teardown() {
    }

    public static Plan plan(ClusterSpec spec) {
        List<Step> steps = new ArrayList<>();
        for (NodeSpec node : spec.nodes()) {
            steps.addAll(ofNode(spec, node));
        }
        return new Plan(spec, steps);
    }

    /** The teardown of one node, its steps one after the other: also what puts back a node that leaves the cluster. */
    static List<Step> ofNode(ClusterSpec spec, NodeSpec node) {
        List<Step> ofNode = new ArrayList<>();
        if (spec.engine().enabled()) {
            add(ofNode, node, "engine-up", "make sure the engine answers (with its original options if the planned ones fail)",
                    Shell.engineAnswersOrAsBefore(spec.name()));
        }
        if (spec.swarm().flavor() == SwarmSpec.Flavor.MODE) {
            add(ofNode, node, SWARM_LEAVE, "leave the Swarm, if the engine is in one", Shell.leaveSwarm());
        }
        // The reverse of the bring-up: the script's compositions, classic Swarm, then Consul.
        List<ComposeSpec> compositions = new ArrayList<>(spec.compositions());
        Collections.reverse(compositions);
        for (ComposeSpec composition : compositions) {
            // A node leaving the cluster is no target any more: whatever composition it has goes.
            if (!spec.nodes().contains(node) || Planner.targets(spec, composition.targets()).contains(node)) {
                down(ofNode, node, composition.name(), NodePaths.composeFile(composition.name()));
            }
        }
        if (spec.swarm().flavor() == SwarmSpec.Flavor.CLASSIC) {
            down(ofNode, node, "swarm", NodePaths.SWARM_COMPOSE);
        }
        if (spec.consul().enabled()) {
            down(ofNode, node, "consul", NodePaths.CONSUL_COMPOSE);
        }
        add(ofNode, node, ProvisionSteps.ORIGINALS, "put back the original of every file the plan changed; set the hostname again",
                Shell.restoreOriginals(spec.name()));
        if (spec.engine().enabled()) {
            add(ofNode, node, "engine", "restart the Docker daemon through the node's service manager, with its original options",
                    Shell.restartDockerAsBefore(spec.name()));
        }
        add(ofNode, node, "state", "remove the cluster's state on the node: markers and originals", Shell.removeState(spec.name()));
        return ofNode;
    }

    /**
     * Of a node's teardown, what takes it out of Swarm mode (its engine answering, then its leave),
     * all a machine about to be deleted needs; nothing for another Swarm.
     */
    static List<Step> leavingSwarm(ClusterSpec spec, NodeSpec node) {
        List<Step> ofNode = ofNode(spec, node);
        List<StepId> ids = ofNode.stream().map(Step::id).toList();
        int leave = ids.indexOf(StepId.of(Phase.DESTROY, node.name(), SWARM_LEAVE));
        return leave < 0 ? List.of() : List.copyOf(ofNode.subList(0, leave + 1));
    }

    private static void down(List<Step> ofNode, NodeSpec node, String project, String file) {
        add(ofNode, node, "down-" + project, "take down the composition " + project + " and its volumes, if it is there",
                Shell.composeDown(project, file));
    }

    private static void add(List<Step> ofNode, NodeSpec node, String name, String summary, Text command) {
        List<StepId> after = ofNode.isEmpty() ? List.of() : List.of(ofNode.get(ofNode.size() - 1).id());
        ofNode.add(new Step(StepId.of(Phase.DESTROY, node.name(), name), summary,
                new Action.Ssh(command), after, null));
    }
}
