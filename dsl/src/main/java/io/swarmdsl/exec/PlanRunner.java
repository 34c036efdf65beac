package io.swarmdsl.exec;

import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Condition;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepKind;
import java.util.List;

/** Hands each step to the runner that can do it: the cloud's API, Engine API, Consul's API (ACLs, a node leaving, a leader handing over), local PKI, or SSH. */
public final class PlanRunner implements Executor.StepRunner {
    private final SshStepRunner ssh;
    private final DockerStepRunner docker;
    private final ConsulAcls consul;
    private final ConsulLeaves leaves;
    private final ConsulHandOvers handOvers;
    private final Certificates local;
    /** The provider's steps, or null for a cluster of existing hosts. */
    private final ProviderRunner cloud;

    public PlanRunner(SshStepRunner ssh, DockerStepRunner docker, ConsulAcls consul, ConsulLeaves leaves, ConsulHandOvers handOvers,
                      Certificates local, ProviderRunner cloud) {
        this.ssh = ssh;
        this.docker = docker;
        this.consul = consul;
        this.leaves = leaves;
        this.handOvers = handOvers;
        this.local = local;
        this.cloud = cloud;
    }

    /** Why no runner can carry out some steps of {@code plan} yet, one reason per step; empty when all can run. */
    public static List<String> cannotRun(Plan plan) {
        if (plan.steps().stream().anyMatch(planned -> planned.kind() == StepKind.PROVISION)) {
            // A provider makes the machines: their addresses come from its steps.
            return List.of();
        }
        // No provider: a node's address would come from provisioning, which nothing does.
        return plan.steps().stream()
                .filter(step -> step.action() instanceof Action.Wait wait && wait.condition() instanceof Condition.SshAnswers
                        && wait.target().refs().stream().anyMatch(ref -> "provision".equals(ref.knownAfter())))
                .map(step -> "nodes without an address (" + step.id() + ")")
                .toList();
    }

    /** Only SSH steps join (see {@link SshStepRunner#runInOne}). */
    @Override
    public boolean joins(Step step) {
        return !(cloud != null && cloud.runs(step)) && !DockerStepRunner.runs(step) && !ConsulAcls.runs(step) && !ConsulLeaves.runs(step) && !ConsulHandOvers.runs(step)
                && step.node() != null && ssh.joins(step);
    }

    @Override
    public void runInOne(List<Step> steps, List<String> fingerprints, Executor.EachStep each) {
        if (steps.stream().allMatch(this::joins)) {
            ssh.runInOne(steps, fingerprints, each);
        } else {
            Executor.StepRunner.super.runInOne(steps, fingerprints, each);
        }
    }

    @Override
    public StepOutcome run(Step step, String fingerprint) {
        if (cloud != null && cloud.runs(step)) {
            return cloud.run(step, fingerprint);
        }
        if (DockerStepRunner.runs(step)) {
            return docker.run(step, fingerprint);
        }
        if (ConsulAcls.runs(step)) {
            return consul.run(step, fingerprint);
        }
        if (ConsulLeaves.runs(step)) {
            return leaves.run(step, fingerprint);
        }
        if (ConsulHandOvers.runs(step)) {
            return handOvers.run(step, fingerprint);
        }
        return step.node() == null ? local.run(step, fingerprint) : ssh.run(step, fingerprint);
    }
}
