package io.swarmdsl.provider.digitalocean;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.Role;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Condition;
import io.swarmdsl.plan.MachineSteps;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.ShellWords;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import io.swarmdsl.plan.Text;
import io.swarmdsl.provider.Provider.Replacement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DigitalOcean's part of phase one: register the cluster's SSH key (or reuse it by fingerprint),
 * create each role's droplets in one call (adopting those already tagged), and wait until each is
 * active; and the steps that replace a droplet of another size or image. {@link Provisioner} carries
 * the steps out.
 */
final class DropletSteps implements MachineSteps {
    /** How long a new droplet may take to be active. */
    private static final int ACTIVE_TIMEOUT = 300;

    @Override
    public void plan(ClusterSpec spec, Steps steps) {
        ProviderSpec.DigitalOcean cloud = (ProviderSpec.DigitalOcean) spec.provider();
        Step key = steps.add(Phase.PROVISION, null, "ssh-key", "register the cluster's SSH key with DigitalOcean, or reuse it by fingerprint",
                new Action.Provision(new DropletCalls.RegisterKey("swarm-" + spec.name(), cloud.sshKey() + ".pub")));
        Map<Role, StepId> createdBy = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            List<NodeSpec> nodes = role == Role.MASTER ? spec.masters() : spec.agents();
            if (nodes.isEmpty()) {
                continue;
            }
            List<String> names = nodes.stream().map(NodeSpec::name).toList();
            List<String> tags = List.of(clusterTag(spec), clusterTag(spec) + ":" + role.singular());
            Step create = steps.add(Phase.PROVISION, null, "droplets-" + role.plural(),
                    "create droplets " + String.join(" ", names) + " (or adopt those already tagged " + clusterTag(spec) + ")",
                    new Action.Provision(new DropletCalls.CreateDroplets(names, cloud.region(), cloud.size(), cloud.image(),
                            cloud.monitoring(), tags)),
                    key.id());
            createdBy.put(role, create.id());
        }
        for (NodeSpec node : spec.nodes()) {
            steps.add(Phase.PROVISION, node.name(), "active", "wait until droplet " + node.name() + " is active and read its addresses",
                    new Action.Wait(dropletActive(node.name()), Text.of(node.name()), ACTIVE_TIMEOUT), createdBy.get(node.role()));
        }
    }

    @Override
    public boolean deletesLeavingMachines() {
        return true;
    }

    @Override
    public void deleteMachine(ClusterSpec spec, NodeSpec node, Steps steps) {
        steps.add(Phase.DESTROY, node.name(), "droplet", "delete droplet " + node.name() + " if it carries the tag " + clusterTag(spec)
                        + ": the node leaves the cluster with it",
                new Action.Provision(new DropletCalls.DeleteDroplet(node.name(), clusterTag(spec))));
    }

    /** The tag every droplet of the cluster carries: the truth of which droplets are its own. */
    static String clusterTag(ClusterSpec spec) {
        return "swarm:" + spec.name();
    }

    private static Condition.ProviderReady dropletActive(String node) {
        String quoted = ShellWords.quote(node);
        return new Condition.ProviderReady("droplet-active", "droplet " + node + " active", "do_active " + quoted,
                ShellWords.variable(Refs.publicAddress(node).name()) + "=$(do_address " + quoted + " public) "
                        + ShellWords.variable(Refs.privateAddress(node).name()) + "=$(do_address " + quoted + " private)");
    }

    /**
     * {@code plan} with a step {@code provision.NODE.replace} per replacement, before the droplets
     * steps: it deletes the old droplet, which the droplets step of its role then creates anew. Every
     * droplets step waits for every deletion, so that none reads the tag's listing page by page while
     * a deletion shifts its pages.
     */
    static Plan withReplacements(Plan plan, List<Replacement> replacements) {
        if (replacements.isEmpty()) {
            return plan;
        }
        List<Step> replaceSteps = new ArrayList<>();
        for (Replacement replacement : replacements) {
            replaceSteps.add(DropletTeardown.dropletStep(Phase.PROVISION, replacement.node(), "replace",
                    "replace droplet " + replacement.describe() + ": it is deleted and made anew, its data is lost",
                    new DropletCalls.ReplaceDroplet(replacement.node(), clusterTag(plan.cluster()), replacement.id(), replacement.change()),
                    List.of()));
        }
        List<StepId> deletions = replaceSteps.stream().map(Step::id).toList();
        List<Step> steps = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (step.action() instanceof Action.Provision provision && provision.call() instanceof DropletCalls.CreateDroplets) {
                if (steps.stream().noneMatch(replaceSteps::contains)) {
                    steps.addAll(replaceSteps);
                }
                List<StepId> after = new ArrayList<>(step.after());
                after.addAll(deletions);
                step = step.withAfter(after);
            }
            steps.add(step);
        }
        return new Plan(plan.cluster(), steps);
    }
}
