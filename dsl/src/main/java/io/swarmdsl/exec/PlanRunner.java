package io.swarmdsl.exec;

import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepKind;

/** Hands each step to the runner that can do it: Engine API, local PKI, or SSH. */
public final class PlanRunner implements Executor.StepRunner {
    private final SshStepRunner ssh;
    private final DockerStepRunner docker;
    private final Certificates local;

    public PlanRunner(SshStepRunner ssh, DockerStepRunner docker, Certificates local) {
        this.ssh = ssh;
        this.docker = docker;
        this.local = local;
    }

    /** Why no runner can carry out {@code step} yet, or null when one can. */
    public static String cannotRun(Step step) {
        if (step.kind() == StepKind.PROVISION || step.action() instanceof Action.Wait wait && wait.condition().equals("droplet-active")) {
            return "cloud steps (" + step.id() + ")";
        }
        if (step.action() instanceof Action.Wait wait && wait.condition().equals("ssh")
                && wait.target().refs().stream().anyMatch(ref -> "provision".equals(ref.knownAfter()))) {
            // No provider: the node's address would come from provisioning, which nothing does.
            return "nodes without an address (" + step.id() + ")";
        }
        return null;
    }

    @Override
    public StepOutcome run(Step step, String fingerprint) {
        if (DockerStepRunner.runs(step)) {
            return docker.run(step, fingerprint);
        }
        return step.node() == null ? local.run(step, fingerprint) : ssh.run(step, fingerprint);
    }
}
