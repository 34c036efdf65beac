package io.swarmdsl.provider.digitalocean;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.ProviderCall;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import java.util.ArrayList;
import java.util.List;

/**
 * The teardown of a DigitalOcean cluster: one step per node that deletes its droplet, if it carries
 * the cluster's tag. Nothing is put back on a droplet about to be deleted, so these steps replace the
 * per-node steps of {@link io.swarmdsl.plan.Teardown}. A pure function of the spec.
 */
public final class DropletTeardown {
    private DropletTeardown() {
    }

    public static Plan plan(ClusterSpec spec) {
        List<Step> steps = new ArrayList<>();
        for (NodeSpec node : spec.nodes()) {
            // One after the other: a listing of the tag stays the same while it is read page by page.
            steps.add(dropletStep(Phase.DESTROY, node.name(), "droplet",
                    "delete droplet " + node.name() + " if it carries the tag " + DropletSteps.clusterTag(spec),
                    new DropletCalls.DeleteDroplet(node.name(), DropletSteps.clusterTag(spec)),
                    steps.isEmpty() ? List.of() : List.of(steps.get(steps.size() - 1).id())));
        }
        return new Plan(spec, steps);
    }

    /** A step {@code PHASE.NODE.SUFFIX} of the provider's that makes {@code call} on {@code node}'s droplet. */
    static Step dropletStep(Phase phase, String node, String suffix, String summary, ProviderCall call, List<StepId> after) {
        return new Step(StepId.of(phase, node, suffix), summary, new Action.Provision(call), after, null);
    }
}
