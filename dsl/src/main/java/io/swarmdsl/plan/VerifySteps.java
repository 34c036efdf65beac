package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import java.util.List;

/** What the cluster must show once everything ran: Consul's members and DNS on every node, then Swarm's nodes. */
final class VerifySteps extends PhaseSteps {
    VerifySteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        super(spec, files, steps);
    }

    @Override
    void plan() {
        StepId[] everything = steps.lastSteps().toArray(StepId[]::new);
        if (spec.consul().enabled()) {
            String service = "consul.service." + spec.domain();
            for (NodeSpec node : spec.nodes()) {
                steps.add(Phase.VERIFY, node.name(), "consul", "expect " + spec.nodes().size() + " Consul members alive, a leader, "
                                + spec.masters().size() + " voting servers" + (spec.consul().encrypt() != null ? ", gossip encrypted" : "")
                                + ", and A " + (spec.consul().gliderlabs() ? "records" : "and SRV records") + " of " + service + " from the node's resolver",
                        new Action.Ssh(Shell.consulHealthy(spec.nodes().size(), spec.masters().size(), spec.consul().encrypt() != null, service,
                                !spec.consul().gliderlabs(), 60)));
            }
        }
        int nodes = spec.nodes().size();
        NodeSpec first = spec.masters().get(0);
        switch (spec.swarm().flavor()) {
            case CLASSIC -> steps.add(Phase.VERIFY, first.name(), "swarm",
                    "expect " + nodes + " healthy nodes in classic Swarm"
                            + (spec.swarm().replication() ? ", one primary manager and " + (spec.masters().size() - 1) + " replicas" : ""),
                    new Action.Docker(spec.swarm().port(), "GET", "/info", null, List.of()), everything);
            case MODE -> steps.add(Phase.VERIFY, first.name(), "swarm",
                    "expect " + nodes + " nodes Ready, " + spec.masters().size() + " managers with one leader",
                    new Action.Docker(spec.engine().port(), "GET", "/nodes", null, List.of()), everything);
            case NONE -> {
                if (spec.engine().enabled()) {
                    for (NodeSpec node : spec.nodes()) {
                        steps.add(Phase.VERIFY, node.name(), "engine", "expect the engine to run with the planned options",
                                new Action.Docker(spec.engine().port(), "GET", "/info", null, List.of()));
                    }
                }
            }
        }
    }
}
