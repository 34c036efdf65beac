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
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.Text;
import io.swarmdsl.provider.Provider.Replacement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        Text token = Text.of(Refs.PROVIDER_TOKEN);
        Step key = steps.add(Phase.PROVISION, null, "ssh-key", "register the cluster's SSH key with DigitalOcean, or reuse it by fingerprint",
                new Action.Provision("ssh-key", parameters(
                        "name", "swarm-" + spec.name(),
                        "public_key_file", cloud.sshKey() + ".pub",
                        "token", token)));
        Map<Role, String> createdBy = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            List<NodeSpec> nodes = role == Role.MASTER ? spec.masters() : spec.agents();
            if (nodes.isEmpty()) {
                continue;
            }
            List<String> names = nodes.stream().map(NodeSpec::name).toList();
            String tags = "swarm:" + spec.name() + ",swarm:" + spec.name() + ":" + role.singular();
            Step create = steps.add(Phase.PROVISION, null, "droplets-" + role.plural(),
                    "create droplets " + String.join(" ", names) + " (or adopt those already tagged swarm:" + spec.name() + ")",
                    new Action.Provision("droplets", parameters(
                            "names", String.join(",", names),
                            "region", cloud.region(),
                            "size", cloud.size(),
                            "image", cloud.image(),
                            "private_networking", "true",
                            "monitoring", String.valueOf(cloud.monitoring()),
                            "tags", tags,
                            "ssh_keys", Text.of(Refs.SSH_KEY_ID),
                            "token", token)),
                    key.id());
            createdBy.put(role, create.id());
        }
        for (NodeSpec node : spec.nodes()) {
            steps.add(Phase.PROVISION, node.name(), "active", "wait until droplet " + node.name() + " is active and read its addresses",
                    new Action.Wait(new Condition.ProviderReady("droplet-active"), Text.of(node.name()), ACTIVE_TIMEOUT), createdBy.get(node.role()));
        }
    }


    private static TreeMap<String, Text> parameters(Object... keysAndValues) {
        TreeMap<String, Text> parameters = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            parameters.put((String) keysAndValues[i], Text.of(keysAndValues[i + 1]));
        }
        return parameters;
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
            TreeMap<String, Text> parameters = new TreeMap<>();
            parameters.put("change", Text.of(replacement.change()));
            parameters.put("droplet_id", Text.of(String.valueOf(replacement.id())));
            replaceSteps.add(DropletTeardown.dropletStep(plan.cluster(), Phase.PROVISION, replacement.node(), "replace",
                    "replace droplet " + replacement.describe() + ": it is deleted and made anew, its data is lost",
                    new Action.Provision(Provisioner.REPLACE, parameters), List.of()));
        }
        List<String> deletions = replaceSteps.stream().map(Step::id).toList();
        List<Step> steps = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (step.action() instanceof Action.Provision provision && provision.operation().equals("droplets")) {
                if (steps.stream().noneMatch(replaceSteps::contains)) {
                    steps.addAll(replaceSteps);
                }
                List<String> after = new ArrayList<>(step.after());
                after.addAll(deletions);
                step = step.withAfter(after);
            }
            steps.add(step);
        }
        return new Plan(plan.cluster(), steps);
    }
}
