package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.Role;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Phase one: the machines. With DigitalOcean, the cluster's SSH key and droplets, and a wait for each
 * to be active; then, on every node, SSH answering, and the originals of every file the plan changes.
 */
final class ProvisionSteps extends PhaseSteps {
    static final String ORIGINALS = "originals";

    ProvisionSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        super(spec, files, steps);
    }

    @Override
    void plan() {
        if (spec.provider() instanceof ProviderSpec.DigitalOcean cloud) {
            droplets(cloud);
        }
        for (NodeSpec node : spec.nodes()) {
            steps.add(Phase.PROVISION, node.name(), "ssh", "wait until SSH answers and the host key is accepted",
                    new Action.Wait(new Condition.SshAnswers(), Text.of(node.ssh().user(), "@", files.publicAddress(node), ":", node.ssh().port()),
                            SSH_TIMEOUT));
            // First of all once the node answers, before the hooks after 'provision': what destroy puts back.
            steps.addLate(Phase.PROVISION, node.name(), ORIGINALS, "keep the original of every file this plan changes, for swarm destroy",
                    plan -> new Action.Ssh(Shell.keepOriginals(spec.name(), changedFiles(node.name(), plan))));
        }
    }

    private void droplets(ProviderSpec.DigitalOcean cloud) {
        Step key = steps.add(Phase.PROVISION, null, "ssh-key", "register the cluster's SSH key with DigitalOcean, or reuse it by fingerprint",
                new Action.Provision("ssh-key", parameters(
                        "name", "swarm-" + spec.name(),
                        "public_key_file", cloud.sshKey() + ".pub",
                        "token", files.providerToken())));
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
                            "token", files.providerToken())),
                    key.id());
            createdBy.put(role, create.id());
        }
        for (NodeSpec node : spec.nodes()) {
            steps.add(Phase.PROVISION, node.name(), "active", "wait until droplet " + node.name() + " is active and read its addresses",
                    new Action.Wait(new Condition.ProviderReady("droplet-active"), Text.of(node.name()), SSH_TIMEOUT), createdBy.get(node.role()));
        }
    }

    /**
     * The files the plan changes on {@code node}: the hostname step's, its uploads and compositions,
     * then the files commands edit (GRUB's defaults for memory accounting, the engine's drop-in).
     */
    private Set<String> changedFiles(String node, List<Step> plan) {
        Set<String> paths = new LinkedHashSet<>(List.of(NodePaths.HOSTNAME, NodePaths.HOSTS));
        for (Step step : plan) {
            if (node.equals(step.node()) && step.action() instanceof Action.Upload upload) {
                upload.files().forEach(file -> paths.add(file.path()));
            } else if (node.equals(step.node()) && step.action() instanceof Action.Compose compose) {
                paths.add(compose.file());
            }
        }
        if (spec.memoryAccounting()) {
            paths.add(NodePaths.GRUB_DEFAULTS);
        }
        if (spec.engine().enabled()) {
            paths.add(NodePaths.DOCKER_DROP_IN);
        }
        return paths;
    }

    private static TreeMap<String, Text> parameters(Object... keysAndValues) {
        TreeMap<String, Text> parameters = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            parameters.put((String) keysAndValues[i], Text.of(keysAndValues[i + 1]));
        }
        return parameters;
    }
}
