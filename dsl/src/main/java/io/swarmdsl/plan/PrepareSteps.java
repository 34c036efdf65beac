package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;

/** The host itself: its hostname, Docker installed, and the kernel's memory accounting (with a reboot if needed). */
final class PrepareSteps extends PhaseSteps {
    /** The exit code of the reboot wait's probe for a node back from its reboot whose kernel still does not account memory. */
    static final int REBOOTED_WITHOUT_ACCOUNTING = 3;

    PrepareSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        super(spec, files, steps);
    }

    @Override
    void plan() {
        for (NodeSpec node : spec.nodes()) {
            steps.add(Phase.PREPARE, node.name(), "hostname", "set the hostname to " + node.name(), new Action.Ssh(Shell.hostname(node)),
                    Shell.hostnameIsSet(node));
            if (spec.engine().enabled() || spec.consul().enabled()) {
                steps.add(Phase.PREPARE, node.name(), "docker", "install Docker and Compose if absent", new Action.Ssh(Shell.installDocker()),
                        Shell.dockerIsInstalled());
            }
            if (spec.memoryAccounting()) {
                // Left out where the kernel already accounts memory (FactsReader reads the check).
                steps.add(Phase.PREPARE, node.name(), "memory-accounting",
                        "turn on the kernel's memory and swap accounting (GRUB's command line), unless it has them",
                        new Action.Ssh(Shell.memoryAccounting()), Shell.memoryIsAccounted());
                steps.add(Phase.PREPARE, node.name(), "reboot", "reboot for the new kernel command line, unless the kernel accounts memory",
                        new Action.Ssh(Shell.reboot(spec.name())), Shell.memoryIsAccounted());
                steps.add(Phase.PREPARE, node.name(), "rebooted", "wait until the node runs a new boot, its kernel accounting memory and swap",
                        new Action.Wait(rebooted(node), Text.of(node.ssh().user(), "@", files.publicAddress(node), ":", node.ssh().port()),
                                SSH_TIMEOUT));
            }
        }
    }

    /**
     * The node runs another boot than the one the reboot step left (its probe exits 1 until then), or
     * it is back without memory accounting: hopeless, the probe says why.
     */
    private Condition rebooted(NodeSpec node) {
        return new Condition.NodeProbe("reboot", node.name() + " back from its reboot", Text.of(Shell.rebooted(spec.name())),
                REBOOTED_WITHOUT_ACCOUNTING, true);
    }
}
