package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Phase one: the machines, as the provider plans them (DigitalOcean: the cluster's SSH key, the
 * droplets, a wait for each); then, on every node, SSH answering, and the originals of every file
 * the plan changes.
 */
final class ProvisionSteps extends PhaseSteps {
    static final String ORIGINALS = "originals";

    private final MachineSteps machines;
    private Map<String, Set<String>> changedFiles;

    ProvisionSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps, MachineSteps machines) {
        super(spec, files, steps);
        this.machines = machines;
    }

    @Override
    void plan() {
        machines.plan(spec, steps);
        for (NodeSpec node : spec.nodes()) {
            steps.add(Phase.PROVISION, node.name(), "ssh", "wait until SSH answers and the host key is accepted",
                    new Action.Wait(new Condition.SshAnswers(), Text.of(node.ssh().user(), "@", files.publicAddress(node), ":", node.ssh().port()),
                            SSH_TIMEOUT));
            // First of all once the node answers, before the hooks after 'provision': what destroy puts back.
            steps.addLate(Phase.PROVISION, node.name(), ORIGINALS, "keep the original of every file this plan changes, for swarm destroy",
                    plan -> new Action.Ssh(Shell.keepOriginals(spec.name(), changedFiles(node.name(), plan))));
        }
    }

    /**
     * The files the plan changes on {@code node}: the hostname step's, its uploads and compositions,
     * then the files commands edit (GRUB's defaults for memory accounting, the engine's drop-in).
     * Read once for all nodes from the finished plan.
     */
    private Set<String> changedFiles(String node, List<Step> plan) {
        if (changedFiles == null) {
            changedFiles = new HashMap<>();
            for (NodeSpec each : spec.nodes()) {
                changedFiles.put(each.name(), new LinkedHashSet<>(List.of(NodePaths.HOSTNAME, NodePaths.HOSTS)));
            }
            for (Step step : plan) {
                Set<String> paths = step.node() == null ? null : changedFiles.get(step.node());
                if (paths != null && step.action() instanceof Action.Upload upload) {
                    upload.files().forEach(file -> paths.add(file.path()));
                } else if (paths != null && step.action() instanceof Action.Compose compose) {
                    paths.add(compose.file());
                }
            }
            for (Set<String> paths : changedFiles.values()) {
                if (spec.memoryAccounting()) {
                    paths.add(NodePaths.GRUB_DEFAULTS);
                }
                if (spec.engine().enabled()) {
                    paths.add(NodePaths.DOCKER_DROP_IN);
                }
            }
        }
        return changedFiles.get(node);
    }
}
