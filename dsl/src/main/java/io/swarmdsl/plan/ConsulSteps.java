package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ConsulSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * Consul on every node: servers on the masters, one at a time, then a leader, then the agents; every
 * other node's next step waits for the leader. Also the node's resolver pointed at its agent (the
 * {@code dns} phase, {@link #resolvers}).
 */
final class ConsulSteps extends PhaseSteps {
    private static final String UP = "up";
    private static final String CONFIG = "config";
    private static final String RESTART = "restart";
    private static final String BACK = "back";
    private static final String LEAVE = "leave";
    private static final String HAND_OVER = "hand-over";

    ConsulSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        super(spec, files, steps);
    }

    @Override
    void plan() {
        if (!spec.consul().enabled()) {
            return;
        }
        // A changed configuration or certificate is put to use by a restart, servers one at a time,
        // each back with a leader before the next: recreating them all at once would drop the quorum.
        StepId previousServer = null;
        List<StepId> serversSettled = new ArrayList<>();
        for (NodeSpec node : spec.masters()) {
            config(node);
            steps.add(Phase.CONSUL, node.name(), UP, "bring up the Consul server",
                    new Action.Compose("consul", NodePaths.CONSUL_COMPOSE, files.consulComposition(node)));
            previousServer = restart(node, previousServer).id();
            serversSettled.add(previousServer);
        }
        NodeSpec first = spec.masters().get(0);
        // Asked of every server, any answer with a leader will do: a server lost meanwhile leaves a quorum.
        List<Object> leaderUrls = new ArrayList<>();
        for (NodeSpec server : spec.masters()) {
            leaderUrls.addAll(List.of(leaderUrls.isEmpty() ? "" : " ", files.consulApi(server), "/v1/status/leader"));
        }
        Text leaders = Text.of(leaderUrls.toArray());
        Step leader = steps.add(Phase.CONSUL, first.name(), "leader",
                "wait until the " + spec.masters().size() + " Consul servers have elected a leader (any server may say so)",
                new Action.Wait(leaderAt(leaders), leaders, 300),
                serversSettled.toArray(StepId[]::new));
        StepId ready = leader.id();
        if (spec.consul().acl()) {
            // Before any other node's Consul: DNS and classic Swarm answer through the default token.
            ready = steps.add(Phase.CONSUL, first.name(), "acl",
                    "set up Consul's ACLs: the default token's policy, the default token, an agent token for each node",
                    new Action.ConsulAcl(ConsulSpec.HTTPS_PORT, spec.masters().stream().map(NodeSpec::name).toList(), AclSetup.of(spec)), leader.id()).id();
        }
        for (NodeSpec node : spec.nodes()) {
            if (!node.equals(first)) {
                steps.barrier(node.name(), ready);
            }
        }
        for (NodeSpec node : spec.agents()) {
            config(node);
            if (spec.demoted().contains(node)) {
                // Its server leaves raft gracefully, and Consul (restart: always) comes back as an agent with the new configuration.
                steps.add(Phase.CONSUL, node.name(), LEAVE, "a master no longer: its Consul server leaves raft (gracefully, the servers keep their quorum)"
                        + " and comes back as an agent", leave(spec, node, true));
            }
            steps.add(Phase.CONSUL, node.name(), UP, "bring up the Consul agent",
                    new Action.Compose("consul", NodePaths.CONSUL_COMPOSE, files.consulComposition(node)));
            restart(node, null);
        }
    }

    /** The {@code dns} phase: each node's resolver asks its Consul agent first. */
    void resolvers() {
        if (!spec.consul().enabled()) {
            return;
        }
        for (NodeSpec node : spec.nodes()) {
            steps.add(Phase.DNS, node.name(), "resolver", "point the node's resolver at its Consul agent",
                    new Action.Upload(List.of(new FileSpec(NodePaths.RESOLV_CONF, "0644", new FileSpec.Inline(files.resolvConf(node))))));
        }
    }

    /**
     * The join list first: no step depends on it, so a server joining or leaving rewrites it on the
     * others and restarts nothing (Consul reads it when it starts).
     */
    private void config(NodeSpec node) {
        steps.add(Phase.CONSUL, node.name(), "join", "write whom Consul joins when it starts (a change restarts nothing)",
                new Action.Upload(List.of(new FileSpec(NodePaths.CONSUL_JOIN, "0644", new FileSpec.Inline(files.consulJoin(node))))));
        steps.add(Phase.CONSUL, node.name(), CONFIG, "write the Consul configuration",
                new Action.Upload(List.of(new FileSpec(NodePaths.CONSUL_CONFIG, "0600", new FileSpec.Inline(files.consulConfig(node))))));
    }

    /**
     * Also directly after the configuration and the certificates, so that a new one of either brings
     * this step back (see Convergence); it restarts only a container older than its configuration,
     * and new certificates alone are reloaded in place: no restart, so a leader stays the leader.
     */
    private Step restart(NodeSpec node, StepId previousServer) {
        boolean tls = reloadsCertificates(spec);
        Step restart = steps.add(Phase.CONSUL, node.name(), RESTART, "restart Consul if its configuration is newer than its container"
                        + (node.isMaster() ? ", then wait until it is back with a leader" : "")
                        + (tls ? "; reload it if only its certificates are, until it serves the new one" : ""),
                new Action.Ssh(Shell.restartConsulIfChanged(NodePaths.CONSUL_CONFIG, tls ? ConsulSpec.HTTPS_PORT : null,
                        NodePaths.consulCertificatesLoaded(spec.name()), node.isMaster(), CONSUL_BACK_SECONDS)),
                StepId.of(Phase.CONSUL, node.name(), CONFIG), PkiSteps.certificatesOf(files, node),
                previousServer);
        // After whichever of the two ran (a new image recreates the container in "up"): on a running
        // cluster the next node's Consul changes only once this one is back (see Convergence).
        // A server also votes: one that joins a running cluster is a non-voter until autopilot deems it
        // stable, and a restart of another server meanwhile would leave fewer voters than a quorum.
        String backWithLeader = "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :";
        steps.add(Phase.CONSUL, node.name(), BACK, node.isMaster() ? "wait until the node's Consul server answers, knows a leader and votes in raft"
                        : "wait until the node's Consul agent answers and knows a leader",
                new Action.Wait(node.isMaster()
                        ? new Condition.NodeProbe("consul-voter", "its Consul server back with a leader, voting in raft",
                                Text.of(backWithLeader + " && " + votes(node)), 0, false)
                        : new Condition.NodeProbe("consul-back", "its Consul agent back with a leader", Text.of(backWithLeader), 0, false),
                        Text.of("http://127.0.0.1:8500/v1/status/leader"), CONSUL_BACK_SECONDS),
                StepId.of(Phase.CONSUL, node.name(), UP), restart.id());
        return restart;
    }

    /**
     * {@code node}'s server votes in raft, as its own agent reads raft's configuration through the
     * default token. Before the plan's ACL step has given that token its policy (a first apply) the
     * read is refused, and the servers that bootstrap vote anyway.
     */
    private static String votes(NodeSpec node) {
        return "raft=$(curl -sS -m 2 -w ' %{http_code}' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in"
                + " *' 403') ;; *' 200') printf '%s' \"$raft\" | tr '{' '\\n' | grep '\"Node\":\"" + node.name() + "\"' | grep -q '\"Voter\":true' ;;"
                + " *) false ;; esac";
    }

    /**
     * The steps that change {@code node}'s Consul container: a server leaving raft (a master become
     * an agent), a new composition, then a restart for new files.
     */
    static List<StepId> changesOf(String node) {
        return List.of(StepId.of(Phase.CONSUL, node, LEAVE), StepId.of(Phase.CONSUL, node, UP), StepId.of(Phase.CONSUL, node, RESTART));
    }

    /** Consul reloads new certificates in place since 1.5 (hashicorp/consul#5419); an older one restarts for them. */
    static boolean reloadsCertificates(ClusterSpec spec) {
        return spec.consul().tls() && spec.consul().atLeast(1, 5);
    }

    /** The steps after which {@code node}'s Consul restarts rather than reloads: a new configuration, composition, or role. */
    static List<StepId> restartCausesOf(String node) {
        return List.of(StepId.of(Phase.CONSUL, node, LEAVE), StepId.of(Phase.CONSUL, node, CONFIG), StepId.of(Phase.CONSUL, node, UP));
    }

    /** The step that brings up {@code node}'s Consul: an earlier apply ran it on a node whose Consul serves. */
    static StepId upOf(String node) {
        return StepId.of(Phase.CONSUL, node, UP);
    }

    /** {@code node} leaves Consul (or only raft, when it {@code stays} an agent), asked of its own agent, or forced out through the servers that stay. */
    static Action.ConsulLeave leave(ClusterSpec spec, NodeSpec node, boolean stays) {
        return new Action.ConsulLeave(ConsulSpec.HTTPS_PORT, node.name(), spec.masters().stream().map(NodeSpec::name).toList(), stays,
                spec.consul().acl());
    }

    /**
     * Before the leader's Consul (or engine) restarts in a roll: another server takes raft's leadership over, so
     * that no moment passes without a leader (a restarted leader would cost an election). Only where
     * the tool speaks to Consul, over TLS.
     */
    static Step handOver(ClusterSpec spec, Phase phase, String node, List<StepId> after) {
        List<String> others = spec.masters().stream().map(NodeSpec::name).filter(name -> !name.equals(node)).toList();
        return new Step(StepId.of(phase, node, HAND_OVER), "the Consul leader hands raft's leadership to a server already"
                + " rolled before it restarts (raft's leadership transfer): a leader at every moment",
                new Action.ConsulHandOver(ConsulSpec.HTTPS_PORT, node, others, spec.consul().acl()), after, null);
    }

    /** The wait until {@code node}'s Consul is back with a leader after its container changed. */
    static StepId backOf(String node) {
        return StepId.of(Phase.CONSUL, node, BACK);
    }

    /** Any of the servers at {@code leaderUrls} names a leader. */
    private Condition leaderAt(Text leaderUrls) {
        return new Condition.NodeProbe("consul-leader", "a Consul leader", Text.of("curl -fsS -m 2 ", files.curlTls(), leaderUrls, " | grep -q :"), 0, false);
    }
}
