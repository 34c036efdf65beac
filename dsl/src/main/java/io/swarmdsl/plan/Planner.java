package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.HookSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.Role;
import io.swarmdsl.model.SwarmSpec;
import io.swarmdsl.pki.ClusterPki;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a cluster into the steps that bring it up. A pure function: the same spec always gives the
 * same plan, and nothing here reads the network, files or the clock.
 *
 * <p>Each node's steps run in the order written, one after the other; nodes are independent of each
 * other except at explicit barriers (masters' engines restart one at a time; a Consul leader before
 * any agent joins; the Swarm manager before others join).
 */
public final class Planner {
    static final int SSH_TIMEOUT = 300;
    /** How long a master's Consul server may take to be back in its cluster after an engine restart. */
    static final int CONSUL_BACK_SECONDS = 120;
    static final String ORIGINALS = "originals";
    private static final String RESTART = "restart";
    private static final String ORIGINALS_SUMMARY = "keep the original of every file this plan changes, for swarm destroy";

    private final ClusterSpec spec;
    private final NodeFiles files;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, String> lastStepOfNode = new HashMap<>();
    private final Map<String, List<String>> barriersOfNode = new HashMap<>();
    private final Map<String, Integer> hookSteps = new HashMap<>();

    private Planner(ClusterSpec spec) {
        this.spec = spec;
        this.files = new NodeFiles(spec);
    }

    public static Plan plan(ClusterSpec spec) {
        return new Planner(spec).build();
    }

    private Plan build() {
        for (Phase phase : Phase.bringUp()) {
            hooks(HookSpec.When.BEFORE, phase);
            switch (phase) {
                case PROVISION -> provision();
                case PREPARE -> prepare();
                case PKI -> pki();
                case ENGINE -> engine();
                case CONSUL -> consul();
                case DNS -> dns();
                case SWARM -> swarm();
                case COMPOSE -> compositions();
                case VERIFY -> verify();
                default -> throw new IllegalStateException("not a phase of a bring-up: " + phase);
            }
            hooks(HookSpec.When.AFTER, phase);
        }
        keepOriginals();
        return new Plan(spec, steps);
    }

    /** Fills in each node's originals step, now that every file the plan changes on the node is known. */
    private void keepOriginals() {
        Map<String, Set<String>> changed = changedFiles();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.phase() == Phase.PROVISION && step.id().equals(stepId(Phase.PROVISION, step.node(), ORIGINALS))) {
                Text command = Shell.keepOriginals(spec.name(), changed.get(step.node()));
                steps.set(i, new Step(step.id(), step.phase(), step.node(), step.summary(), new Action.Ssh(command), step.after(), null));
            }
        }
    }

    /** The node files the plan writes, by node: the hostname step's, its uploads and compositions, GRUB's defaults, the engine's drop-in. */
    private Map<String, Set<String>> changedFiles() {
        Map<String, Set<String>> byNode = new HashMap<>();
        for (NodeSpec node : spec.nodes()) {
            byNode.put(node.name(), new LinkedHashSet<>(List.of(NodePaths.HOSTNAME, NodePaths.HOSTS)));
        }
        for (Step step : steps) {
            Set<String> paths = step.node() == null ? null : byNode.get(step.node());
            if (paths != null && step.action() instanceof Action.Upload upload) {
                upload.files().forEach(file -> paths.add(file.path()));
            } else if (paths != null && step.action() instanceof Action.Compose compose) {
                paths.add(compose.file());
            }
        }
        if (spec.memoryAccounting()) {
            byNode.values().forEach(paths -> paths.add(NodePaths.GRUB_DEFAULTS));
        }
        if (spec.engine().enabled()) {
            byNode.values().forEach(paths -> paths.add(NodePaths.DOCKER_DROP_IN));
        }
        return byNode;
    }

    private void provision() {
        if (spec.provider() instanceof ProviderSpec.DigitalOcean cloud) {
            Step key = add(Phase.PROVISION, null, "ssh-key", "register the cluster's SSH key with DigitalOcean, or reuse it by fingerprint",
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
                Step create = add(Phase.PROVISION, null, "droplets-" + role.plural(),
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
                add(Phase.PROVISION, node.name(), "active", "wait until droplet " + node.name() + " is active and read its addresses",
                        new Action.Wait(new Condition.ProviderReady("droplet-active"), Text.of(node.name()), SSH_TIMEOUT), createdBy.get(node.role()));
            }
        }
        for (NodeSpec node : spec.nodes()) {
            add(Phase.PROVISION, node.name(), "ssh", "wait until SSH answers and the host key is accepted",
                    new Action.Wait(new Condition.SshAnswers(), Text.of(node.ssh().user(), "@", files.publicAddress(node), ":", node.ssh().port()),
                            SSH_TIMEOUT));
            // First of all once the node answers, before the hooks after 'provision': what destroy puts back.
            add(Phase.PROVISION, node.name(), ORIGINALS, ORIGINALS_SUMMARY, new Action.Ssh(Text.of("")));
        }
    }

    private void prepare() {
        for (NodeSpec node : spec.nodes()) {
            add(Phase.PREPARE, node.name(), "hostname", "set the hostname to " + node.name(), new Action.Ssh(Shell.hostname(node)),
                    Shell.hostnameIsSet(node));
            if (spec.engine().enabled() || spec.consul().enabled()) {
                add(Phase.PREPARE, node.name(), "docker", "install Docker and Compose if absent", new Action.Ssh(Shell.installDocker()),
                        Shell.dockerIsInstalled());
            }
            if (spec.memoryAccounting()) {
                // Left out where the kernel already accounts memory (FactsReader reads the check).
                add(Phase.PREPARE, node.name(), "memory-accounting",
                        "turn on the kernel's memory and swap accounting (GRUB's command line), unless it has them",
                        new Action.Ssh(Shell.memoryAccounting()), Shell.memoryIsAccounted());
                add(Phase.PREPARE, node.name(), "reboot", "reboot for the new kernel command line, unless the kernel accounts memory",
                        new Action.Ssh(Shell.reboot(spec.name())), Shell.memoryIsAccounted());
                add(Phase.PREPARE, node.name(), "rebooted", "wait until the node runs a new boot, its kernel accounting memory and swap",
                        new Action.Wait(rebooted(node), Text.of(node.ssh().user(), "@", files.publicAddress(node), ":", node.ssh().port()),
                                SSH_TIMEOUT));
            }
        }
    }

    private void pki() {
        if (!files.needsCertificates()) {
            return;
        }
        String dir = LocalState.directory(spec.name()) + "/";
        Step ca = add(Phase.PKI, null, "ca", "create the cluster's certificate authority (or reuse the one in " + dir + ")",
                new Action.Upload(List.of(
                        new FileSpec(dir + ClusterPki.CA_CERT, "0644", generated(FileSpec.Artifact.CA_CERT, Text.of("cluster CA certificate, ECDSA P-256, valid 3 years"), false)),
                        new FileSpec(dir + ClusterPki.CA_KEY, "0600", generated(FileSpec.Artifact.CA_KEY, Text.of("cluster CA private key"), true)))));
        add(Phase.PKI, null, "client", "issue the client certificate for docker, swarm and the executor",
                new Action.Upload(List.of(
                        new FileSpec(dir + ClusterPki.CLIENT_CERT, "0644", generated(FileSpec.Artifact.CLIENT_CERT, Text.of("client certificate signed by the cluster CA, client usage"), false)),
                        new FileSpec(dir + ClusterPki.CLIENT_KEY, "0600", generated(FileSpec.Artifact.CLIENT_KEY, Text.of("client private key"), true)))),
                ca.id());
        for (NodeSpec node : spec.nodes()) {
            Text sans = Text.of("DNS:", node.name(), ", DNS:", node.fqdn(), ", DNS:localhost, IP:", files.privateAddress(node),
                    ", IP:", files.publicAddress(node), ", IP:127.0.0.1");
            add(Phase.PKI, node.name(), "certs", "install the node's TLS files (server and client usage)",
                    new Action.Upload(List.of(
                            new FileSpec(NodePaths.CA, "0644", generated(FileSpec.Artifact.NODE_CA, Text.of("the cluster CA certificate"), false)),
                            new FileSpec(NodePaths.CERT, "0644", generated(FileSpec.Artifact.SERVER_CERT, Text.of("server certificate for ", node.name(),
                                    " signed by the cluster CA, usage server+client, SANs ", sans), false)),
                            new FileSpec(NodePaths.KEY, "0600", generated(FileSpec.Artifact.SERVER_KEY, Text.of("private key of ", node.name()), true)))),
                    ca.id());
        }
    }

    private void consul() {
        if (!spec.consul().enabled()) {
            return;
        }
        // A changed configuration or certificate is put to use by a restart, servers one at a time,
        // each back with a leader before the next: recreating them all at once would drop the quorum.
        String previousServer = null;
        List<String> serversSettled = new ArrayList<>();
        for (NodeSpec node : spec.masters()) {
            consulConfig(node);
            add(Phase.CONSUL, node.name(), "up", "bring up the Consul server",
                    new Action.Compose("consul", NodePaths.CONSUL_COMPOSE, files.consulComposition(node)));
            previousServer = consulRestart(node, previousServer).id();
            serversSettled.add(previousServer);
        }
        NodeSpec first = spec.masters().get(0);
        // Asked of every server, any answer with a leader will do: a server lost meanwhile leaves a quorum.
        List<Object> leaderUrls = new ArrayList<>();
        for (NodeSpec server : spec.masters()) {
            leaderUrls.addAll(List.of(leaderUrls.isEmpty() ? "" : " ", "http://", files.privateAddress(server), ":8500/v1/status/leader"));
        }
        Text leaders = Text.of(leaderUrls.toArray());
        Step leader = add(Phase.CONSUL, first.name(), "leader",
                "wait until the " + spec.masters().size() + " Consul servers have elected a leader (any server may say so)",
                new Action.Wait(consulLeader(leaders), leaders, 300),
                serversSettled.toArray(String[]::new));
        for (NodeSpec node : spec.nodes()) {
            if (!node.equals(first)) {
                barriersOfNode.computeIfAbsent(node.name(), n -> new ArrayList<>()).add(leader.id());
            }
        }
        for (NodeSpec node : spec.agents()) {
            consulConfig(node);
            add(Phase.CONSUL, node.name(), "up", "bring up the Consul agent",
                    new Action.Compose("consul", NodePaths.CONSUL_COMPOSE, files.consulComposition(node)));
            consulRestart(node, null);
        }
    }

    private void consulConfig(NodeSpec node) {
        add(Phase.CONSUL, node.name(), "config", "write the Consul configuration",
                new Action.Upload(List.of(new FileSpec(NodePaths.CONSUL_CONFIG, "0600", new FileSpec.Inline(files.consulConfig(node))))));
    }

    /**
     * Also directly after the configuration and the certificates, so that a new one of either brings
     * this step back (see Convergence); it restarts only a container older than its files.
     */
    private Step consulRestart(NodeSpec node, String previousServer) {
        return add(Phase.CONSUL, node.name(), "restart", "restart Consul if its configuration or certificates are newer than its container"
                        + (node.isMaster() ? ", then wait until it is back with a leader" : ""),
                new Action.Ssh(Shell.restartConsulIfChanged(files.consulFiles(), node.isMaster(), CONSUL_BACK_SECONDS)),
                stepId(Phase.CONSUL, node.name(), "config"), files.needsCertificates() ? stepId(Phase.PKI, node.name(), "certs") : null,
                previousServer);
    }

    private void dns() {
        if (!spec.consul().enabled()) {
            return;
        }
        for (NodeSpec node : spec.nodes()) {
            add(Phase.DNS, node.name(), "resolver", "point the node's resolver at its Consul agent",
                    new Action.Upload(List.of(new FileSpec(NodePaths.RESOLV_CONF, "0644", new FileSpec.Inline(files.resolvConf(node))))));
        }
    }

    private void engine() {
        if (!spec.engine().enabled()) {
            return;
        }
        // On a running cluster, a master's engine restart restarts its Consul server: masters restart
        // one at a time, each once the one before is back (its Consul server too, with a leader), so
        // the servers never lose their quorum. On a first apply no Consul runs yet: nothing to wait for.
        boolean consulServers = spec.consul().enabled();
        String previousMaster = null;
        for (NodeSpec node : spec.nodes()) {
            add(Phase.ENGINE, node.name(), "daemon", "write the Docker daemon's options",
                    new Action.Upload(List.of(new FileSpec(NodePaths.DAEMON_JSON, "0644", new FileSpec.Inline(files.daemonJson(node))))));
            boolean server = node.isMaster() && consulServers;
            // Also directly after the node's certificates: the engine reads them only when it starts,
            // so new ones (a new CA, new addresses) restart it too (see Convergence).
            String clusterStore = files.clusterStoreFlags();
            add(Phase.ENGINE, node.name(), RESTART, "restart the Docker daemon through the node's service manager"
                            + (clusterStore != null ? " (cluster-store in Consul if the engine is older than Docker 20.10)" : "")
                            + (server ? "; if its Consul server ran, wait until it is back with a leader" : ""),
                    new Action.Ssh(server ? Shell.restartDockerKeepingConsul(clusterStore, CONSUL_BACK_SECONDS) : Shell.restartDocker(clusterStore)),
                    files.needsCertificates() ? stepId(Phase.PKI, node.name(), "certs") : null,
                    node.isMaster() ? previousMaster : null);
            Step ready = add(Phase.ENGINE, node.name(), "ready", "wait until the engine answers on port " + spec.engine().port()
                            + (spec.engine().tls() ? " with TLS" : ""),
                    new Action.Wait(new Condition.EngineAnswers(spec.engine().tls()),
                            Text.of("tcp://", files.publicAddress(node), ":", spec.engine().port()), 120));
            if (node.isMaster()) {
                previousMaster = ready.id();
            }
        }
    }

    private void swarm() {
        SwarmSpec swarm = spec.swarm();
        if (swarm.flavor() == SwarmSpec.Flavor.CLASSIC) {
            for (NodeSpec node : spec.nodes()) {
                boolean manager = isClassicManager(node);
                add(Phase.SWARM, node.name(), "up", manager ? "bring up the Swarm manager and agent" : "bring up the Swarm agent",
                        new Action.Compose("swarm", NodePaths.SWARM_COMPOSE, files.classicSwarmComposition(node, manager)));
            }
        } else if (swarm.flavor() == SwarmSpec.Flavor.MODE) {
            swarmMode();
        }
    }

    /** The id of the step that restarts {@code node}'s engine: it runs again when the engine is down. */
    public static String engineRestart(String node) {
        return stepId(Phase.ENGINE, node, RESTART);
    }

    /** The exit code of the reboot wait's probe for a node back from its reboot whose kernel still does not account memory. */
    static final int REBOOTED_WITHOUT_ACCOUNTING = 3;

    /**
     * The node runs another boot than the one the reboot step left (its probe exits 1 until then), or
     * it is back without memory accounting: hopeless, the probe says why.
     */
    private Condition rebooted(NodeSpec node) {
        return new Condition.NodeProbe("reboot", node.name() + " back from its reboot", Text.of(Shell.rebooted(spec.name())),
                REBOOTED_WITHOUT_ACCOUNTING, true);
    }

    /** Any of the servers at {@code leaderUrls} names a leader. */
    private static Condition consulLeader(Text leaderUrls) {
        return new Condition.NodeProbe("consul-leader", "a Consul leader", Text.of("curl -fsS -m 2 ", leaderUrls, " | grep -q :"), 0, false);
    }

    private boolean isClassicManager(NodeSpec node) {
        return isClassicManager(spec, node);
    }

    /** Whether {@code node} runs a classic Swarm manager: every master with replication, else the first. */
    public static boolean isClassicManager(ClusterSpec spec, NodeSpec node) {
        return spec.swarm().flavor() == SwarmSpec.Flavor.CLASSIC && node.isMaster()
                && (spec.swarm().replication() || node.equals(spec.masters().get(0)));
    }

    private void swarmMode() {
        NodeSpec first = spec.masters().get(0);
        int port = spec.engine().port();
        Step init = add(Phase.SWARM, first.name(), "init", "initialise Swarm mode; this node is the first manager",
                new Action.Docker(port, "POST", "/swarm/init", files.swarmInit(first),
                        List.of(Refs.MANAGER_TOKEN.name(), Refs.WORKER_TOKEN.name())), Shell.inSwarmAs(true));
        String previousManager = init.id();
        for (NodeSpec master : spec.masters()) {
            if (!master.equals(first)) {
                // Managers join one at a time: raft membership changes are not safe to run concurrently.
                previousManager = add(Phase.SWARM, master.name(), "join", "join the Swarm as a manager",
                        new Action.Docker(port, "POST", "/swarm/join", files.swarmJoin(master, first, Refs.MANAGER_TOKEN), List.of()),
                        Shell.inSwarmAs(true), previousManager).id();
            }
        }
        for (NodeSpec agent : spec.agents()) {
            add(Phase.SWARM, agent.name(), "join", "join the Swarm as a worker",
                    new Action.Docker(port, "POST", "/swarm/join", files.swarmJoin(agent, first, Refs.WORKER_TOKEN), List.of()),
                    Shell.inSwarmAs(false), init.id());
        }
        add(Phase.SWARM, first.name(), "network", "create the attachable overlay network " + spec.name(),
                new Action.Docker(port, "POST", "/networks/create", files.overlayNetwork(), List.of()), Shell.overlayNetworkExists(spec.name()));
    }

    private void compositions() {
        for (var composition : spec.compositions()) {
            for (NodeSpec node : targets(composition.targets())) {
                add(Phase.COMPOSE, node.name(), composition.name(), "bring up the composition " + composition.name(),
                        new Action.Compose(composition.name(), NodePaths.composeFile(composition.name()), Text.of(composition.yaml())));
            }
        }
    }

    private void verify() {
        List<String> everything = new ArrayList<>(lastStepOfNode.values().stream().sorted().toList());
        if (spec.consul().enabled()) {
            String service = "consul.service." + spec.domain();
            for (NodeSpec node : spec.nodes()) {
                add(Phase.VERIFY, node.name(), "consul", "expect " + spec.nodes().size() + " Consul members alive, a leader, "
                                + spec.masters().size() + " voting servers" + (spec.consul().encrypt() != null ? ", gossip encrypted" : "")
                                + ", and A " + (spec.consul().gliderlabs() ? "records" : "and SRV records") + " of " + service + " from the node's resolver",
                        new Action.Ssh(Shell.consulHealthy(spec.nodes().size(), spec.masters().size(), spec.consul().encrypt() != null, service,
                                !spec.consul().gliderlabs(), 60)));
            }
        }
        int nodes = spec.nodes().size();
        NodeSpec first = spec.masters().get(0);
        switch (spec.swarm().flavor()) {
            case CLASSIC -> add(Phase.VERIFY, first.name(), "swarm",
                    "expect " + nodes + " healthy nodes in classic Swarm"
                            + (spec.swarm().replication() ? ", one primary manager and " + (spec.masters().size() - 1) + " replicas" : ""),
                    new Action.Docker(spec.swarm().port(), "GET", "/info", null, List.of()), everything.toArray(String[]::new));
            case MODE -> add(Phase.VERIFY, first.name(), "swarm",
                    "expect " + nodes + " nodes Ready, " + spec.masters().size() + " managers with one leader",
                    new Action.Docker(spec.engine().port(), "GET", "/nodes", null, List.of()), everything.toArray(String[]::new));
            case NONE -> {
                if (spec.engine().enabled()) {
                    for (NodeSpec node : spec.nodes()) {
                        add(Phase.VERIFY, node.name(), "engine", "expect the engine to run with the planned options",
                                new Action.Docker(spec.engine().port(), "GET", "/info", null, List.of()));
                    }
                }
            }
        }
    }

    private void hooks(HookSpec.When when, Phase phase) {
        for (HookSpec hook : spec.hooks()) {
            if (hook.when() != when || hook.phase() != phase) {
                continue;
            }
            String origin = when.name().toLowerCase() + " '" + phase.keyword() + "'"
                    + (hook.position() == null ? "" : " (line " + hook.position().line() + ")");
            for (NodeSpec node : targets(hook.targets())) {
                for (HookSpec.Action action : hook.actions()) {
                    String key = phase.keyword() + "." + node.name() + "." + when.name().toLowerCase();
                    int number = hookSteps.merge(key, 1, Integer::sum);
                    String name = when.name().toLowerCase() + "-" + number;
                    if (action instanceof HookSpec.Run run) {
                        add(phase, node.name(), name, "hook " + origin + ": run a command", new Action.Ssh(Text.of(run.command())));
                    } else if (action instanceof HookSpec.Upload upload) {
                        FileSpec.Content content = upload.source() != null ? new FileSpec.LocalFile(upload.source())
                                : new FileSpec.Inline(Text.of(upload.content()));
                        add(phase, node.name(), name, "hook " + origin + ": upload " + upload.to(),
                                new Action.Upload(List.of(new FileSpec(upload.to(), upload.mode(), content))));
                    }
                }
            }
        }
    }

    private List<NodeSpec> targets(List<String> words) {
        return targets(spec, words);
    }

    /** The nodes that {@code words} ({@code all}, {@code masters}, {@code agents}, node names) name, in node order. */
    static List<NodeSpec> targets(ClusterSpec spec, List<String> words) {
        Set<NodeSpec> chosen = new LinkedHashSet<>();
        for (String word : words) {
            for (NodeSpec node : spec.nodes()) {
                boolean matches = switch (word) {
                    case "all" -> true;
                    case "masters" -> node.isMaster();
                    case "agents" -> !node.isMaster();
                    default -> node.name().equals(word);
                };
                if (matches) {
                    chosen.add(node);
                }
            }
        }
        // Node order, whatever order the script named them in.
        return spec.nodes().stream().filter(chosen::contains).toList();
    }

    private Step add(Phase phase, String node, String name, String summary, Action action, String... extraAfter) {
        return add(phase, node, name, summary, action, null, extraAfter);
    }

    private Step add(Phase phase, String node, String name, String summary, Action action, Check check, String... extraAfter) {
        Set<String> after = new LinkedHashSet<>();
        if (node != null) {
            String last = lastStepOfNode.get(node);
            if (last != null) {
                after.add(last);
            }
            after.addAll(barriersOfNode.getOrDefault(node, List.of()));
            barriersOfNode.remove(node);
        }
        for (String id : extraAfter) {
            if (id != null) {
                after.add(id);
            }
        }
        Step step = new Step(stepId(phase, node, name), phase, node, summary, action, List.copyOf(after), check);
        steps.add(step);
        if (node != null) {
            lastStepOfNode.put(node, step.id());
        }
        return step;
    }

    static String stepId(Phase phase, String node, String name) {
        return phase.keyword() + "." + (node == null ? "" : node + ".") + name;
    }

    private static FileSpec.Generated generated(FileSpec.Artifact artifact, Text description, boolean secret) {
        return new FileSpec.Generated(artifact, description, secret);
    }

    private static TreeMap<String, Text> parameters(Object... keysAndValues) {
        TreeMap<String, Text> parameters = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            parameters.put((String) keysAndValues[i], Text.of(keysAndValues[i + 1]));
        }
        return parameters;
    }
}
