package io.swarmdsl.provider.digitalocean;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The teardown of a DigitalOcean cluster: one step per node that deletes its droplet, if it carries
 * the cluster's tag. Nothing is put back on a droplet about to be deleted, so these steps replace the
 * per-node steps of {@link io.swarmdsl.plan.Teardown}. A pure function of the spec.
 */
public final class DropletTeardown {
    private DropletTeardown() {
    }

    public static Plan plan(ClusterSpec spec) {
        String tag = "swarm:" + spec.name();
        List<Step> steps = new ArrayList<>();
        for (NodeSpec node : spec.nodes()) {
            // One after the other: a listing of the tag stays the same while it is read page by page.
            steps.add(step(node, tag, steps.isEmpty() ? List.of() : List.of(steps.get(steps.size() - 1).id())));
        }
        return new Plan(spec, steps);
    }

    private static Step step(NodeSpec node, String tag, List<String> after) {
        TreeMap<String, Text> parameters = new TreeMap<>();
        parameters.put("name", Text.of(node.name()));
        parameters.put("tag", Text.of(tag));
        parameters.put("token", Text.of(Text.Ref.secret("provider.token")));
        return new Step(Phase.DESTROY.keyword() + "." + node.name() + ".droplet", Phase.DESTROY, node.name(),
                "delete droplet " + node.name() + " if it carries the tag " + tag,
                new Action.Provision(Provisioner.DELETE, parameters), after, null);
    }
}
