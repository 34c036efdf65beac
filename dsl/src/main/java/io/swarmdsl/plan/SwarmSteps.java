package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.model.SwarmSpec;
import java.util.List;

/** Swarm: classic Swarm's containers on every node, or Swarm mode's init, joins and overlay network. */
final class SwarmSteps extends PhaseSteps {
    private static final int SWARM_BACK_SECONDS = 60;
    private static final int ROLE_CHANGE_SECONDS = 120;

    SwarmSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        super(spec, files, steps);
    }

    /** Whether {@code node} runs a classic Swarm manager: every master with replication, else the first. */
    static boolean isClassicManager(ClusterSpec spec, NodeSpec node) {
        return spec.swarm().flavor() == SwarmSpec.Flavor.CLASSIC && node.isMaster()
                && (spec.swarm().replication() || node.equals(spec.masters().get(0)));
    }

    @Override
    void plan() {
        SwarmSpec swarm = spec.swarm();
        if (swarm.flavor() == SwarmSpec.Flavor.CLASSIC) {
            StepId previousManager = null;
            for (NodeSpec node : spec.nodes()) {
                boolean manager = isClassicManager(spec, node);
                steps.add(Phase.SWARM, node.name(), "up", manager ? "bring up the Swarm manager and agent" : "bring up the Swarm agent",
                        new Action.Compose("swarm", NodePaths.SWARM_COMPOSE, files.classicSwarmComposition(node, manager)));
                StepId restart = restartAfterNewCertificates(node, manager, manager ? previousManager : null);
                if (manager && restart != null) {
                    previousManager = restart;
                }
            }
        } else if (swarm.flavor() == SwarmSpec.Flavor.MODE) {
            swarmMode();
        }
    }

    /**
     * New node certificates (swarm rotate certs) reach the Swarm containers through a restart (a first
     * apply starts them after their certificates: nothing to do); managers one at a time, each
     * answering before the next, so one stays up. Directly after the certificates, so that new ones
     * bring this step back (see Convergence).
     */
    private StepId restartAfterNewCertificates(NodeSpec node, boolean manager, StepId previousManager) {
        StepId certificates = PkiSteps.certificatesOf(files, node);
        if (certificates == null) {
            return null;
        }
        List<String> containers = manager ? List.of("swarm-agent-master", "swarm-agent") : List.of("swarm-agent");
        return steps.add(Phase.SWARM, node.name(), "restart", "restart the Swarm " + (manager ? "manager and agent" : "agent")
                        + " if the node's certificates are newer than their containers" + (manager ? ", then wait until the manager answers" : ""),
                new Action.Ssh(Shell.restartSwarmIfChanged(containers, List.of(NodePaths.CA, NodePaths.CERT, NodePaths.KEY),
                        manager ? spec.swarm().port() : null, SWARM_BACK_SECONDS)),
                StepId.of(Phase.SWARM, node.name(), "up"), certificates, previousManager).id();
    }

    /**
     * The wait, after {@code change}, until {@code node} itself sees its new role: the managers see it
     * first, the node only once it has its new certificate (a few seconds); before that its facts
     * would read the old role.
     */
    private StepId settled(NodeSpec node, boolean manager, StepId change) {
        Check role = Shell.inSwarmAs(manager);
        return steps.add(Phase.SWARM, node.name(), "role", "wait until the node itself sees that it is a " + (manager ? "manager" : "worker"),
                new Action.Wait(new Condition.NodeProbe("swarm-role", "its engine a Swarm " + (manager ? "manager" : "worker"),
                        Text.of("[ \"$(" + role.probe() + ")\" = '" + role.expected() + "' ]"), 0, false),
                        Text.of("docker info"), ROLE_CHANGE_SECONDS), change).id();
    }

    private void swarmMode() {
        NodeSpec first = spec.masters().get(0);
        int port = spec.engine().port();
        Step init = steps.add(Phase.SWARM, first.name(), "init", "initialise Swarm mode; this node is the first manager",
                new Action.Docker(port, "POST", "/swarm/init", files.swarmInit(first),
                        List.of(Refs.MANAGER_TOKEN.name(), Refs.WORKER_TOKEN.name())), Shell.inSwarmAs(true));
        StepId previousManager = init.id();
        // Masters that were workers, and workers that were masters, change role in place, one at a time (never both raft changes at once),
        // each once its engine answers with its new options: an engine restarting while its node changes role comes back down.
        for (NodeSpec master : spec.promoted()) {
            previousManager = steps.add(Phase.SWARM, first.name(), "promote-" + master.name(), "make " + master.name()
                            + " a manager (docker node promote), then wait until raft has taken it in (reachable)",
                    new Action.Ssh(Shell.changeSwarmRole(master.name(), true, ROLE_CHANGE_SECONDS)), Shell.swarmRoleOf(master.name(), true),
                    previousManager, EngineSteps.readyOf(master.name())).id();
            previousManager = settled(master, true, previousManager);
        }
        for (NodeSpec agent : spec.demoted()) {
            previousManager = steps.add(Phase.SWARM, first.name(), "demote-" + agent.name(), "make " + agent.name()
                            + " a worker again (docker node demote), then wait until raft has let it go: the managers that stay keep their quorum",
                    new Action.Ssh(Shell.changeSwarmRole(agent.name(), false, ROLE_CHANGE_SECONDS)), Shell.swarmRoleOf(agent.name(), false),
                    previousManager, EngineSteps.readyOf(agent.name())).id();
            previousManager = settled(agent, false, previousManager);
        }
        for (NodeSpec master : spec.masters()) {
            if (!master.equals(first) && !spec.promoted().contains(master)) {
                // Managers join one at a time: raft membership changes are not safe to run concurrently.
                previousManager = steps.add(Phase.SWARM, master.name(), "join", "join the Swarm as a manager",
                        new Action.Docker(port, "POST", "/swarm/join", files.swarmJoin(master, first, Refs.MANAGER_TOKEN), List.of()),
                        Shell.inSwarmAs(true), previousManager).id();
            }
        }
        for (NodeSpec agent : spec.agents()) {
            if (spec.demoted().contains(agent)) {
                continue;
            }
            steps.add(Phase.SWARM, agent.name(), "join", "join the Swarm as a worker",
                    new Action.Docker(port, "POST", "/swarm/join", files.swarmJoin(agent, first, Refs.WORKER_TOKEN), List.of()),
                    Shell.inSwarmAs(false), init.id());
        }
        steps.add(Phase.SWARM, first.name(), "network", "create the attachable overlay network " + spec.name(),
                new Action.Docker(port, "POST", "/networks/create", files.overlayNetwork(), List.of()), Shell.overlayNetworkExists(spec.name()));
    }
}
