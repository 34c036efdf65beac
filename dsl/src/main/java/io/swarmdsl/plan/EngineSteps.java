package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import java.util.List;

/** The Docker engine: its options, a restart through the node's service manager, and a wait until it answers. */
final class EngineSteps extends PhaseSteps {
    private static final String RESTART = "restart";
    private static final String READY = "ready";

    EngineSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        super(spec, files, steps);
    }

    /** The id of the step that restarts {@code node}'s engine: it runs again when the engine is down. */
    static StepId restartOf(String node) {
        return StepId.of(Phase.ENGINE, node, RESTART);
    }

    static StepId readyOf(String node) {
        return StepId.of(Phase.ENGINE, node, READY);
    }

    @Override
    void plan() {
        if (!spec.engine().enabled()) {
            return;
        }
        // On a running cluster, a master's engine restart restarts its Consul server: masters restart
        // one at a time, each once the one before is back (its Consul server too, with a leader), so
        // the servers never lose their quorum. On a first apply no Consul runs yet: nothing to wait for.
        boolean consulServers = spec.consul().enabled();
        StepId previousMaster = null;
        for (NodeSpec node : spec.nodes()) {
            steps.add(Phase.ENGINE, node.name(), "daemon", "write the Docker daemon's options",
                    new Action.Upload(List.of(new FileSpec(NodePaths.DAEMON_JSON, "0644", new FileSpec.Inline(files.daemonJson(node))))));
            boolean server = node.isMaster() && consulServers;
            // Also directly after the node's certificates: the engine reads them only when it starts,
            // so new ones (a new CA, new addresses) restart it too (see Convergence).
            String clusterStore = files.clusterStoreFlags();
            steps.add(Phase.ENGINE, node.name(), RESTART, "restart the Docker daemon through the node's service manager"
                            + (clusterStore != null ? " (cluster-store in Consul if the engine is older than Docker 20.10)" : "")
                            + (server ? "; if its Consul server ran, wait until it is back with a leader" : ""),
                    new Action.Ssh(server ? Shell.restartDockerKeepingConsul(clusterStore, CONSUL_BACK_SECONDS) : Shell.restartDocker(clusterStore)),
                    PkiSteps.certificatesOf(files, node),
                    node.isMaster() ? previousMaster : null);
            Step ready = steps.add(Phase.ENGINE, node.name(), READY, "wait until the engine answers on port " + spec.engine().port()
                            + (spec.engine().tls() ? " with TLS" : ""),
                    new Action.Wait(new Condition.EngineAnswers(spec.engine().tls()),
                            Text.of("tcp://", files.publicAddress(node), ":", spec.engine().port()), 120));
            if (node.isMaster()) {
                previousMaster = ready.id();
            }
        }
    }
}
