package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.SwarmSpec;
import io.swarmdsl.plan.Planner;
import io.swarmdsl.transport.docker.DockerEngines;
import io.swarmdsl.transport.docker.EngineException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The live state of a cluster, read through the Engine API of every node (TLS, the cluster's client
 * certificate): is the engine up and which version, the node's place in the Swarm (read from a
 * Swarm-mode manager, or from every classic manager's {@code /info}, as the verify step does), the
 * state of the containers the plan starts, and the node's Consul membership (Consul's HTTP API).
 */
public record ClusterStatus(String cluster, SwarmSpec.Flavor flavor, String consulSecurity, String consulLeader, List<Node> nodes) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The containers the plan starts, by flavor, that a healthy node runs. */
    private static final List<String> PLANNED_CONTAINERS = List.of("consul", "swarm-agent-master", "swarm-agent");

    /**
     * One node: {@code engine} is its version, or null when the engine does not answer ({@code problem}
     * says why); {@code swarm} is {@code manager}/{@code worker} with the manager's view of it;
     * {@code liveRestore}: the running engine keeps its containers through its own restart.
     */
    public record Node(String name, String role, String address, String engine, String swarmRole, String swarmState,
                       boolean leader, Map<String, String> containers, boolean liveRestore, String problem) {
        public boolean healthy() {
            return problem == null;
        }
    }

    public boolean healthy() {
        return nodes.stream().allMatch(Node::healthy);
    }

    public String leader() {
        return nodes.stream().filter(Node::leader).map(Node::name).findFirst().orElse(null);
    }

    /**
     * Reads every node at once; {@code address} gives a node's address (null when not known yet),
     * {@code consul} the way to Consul's API ({@link ConsulMembers#of}).
     */
    public static ClusterStatus read(ClusterSpec spec, Function<NodeSpec, String> address, DockerEngines engines, ConsulMembers.Api consul) {
        int port = spec.engine().port();
        // A thread per node (up to 32): the common pool has one thread on a 2-core machine, and a node
        // that does not answer would hold up the others for its whole connect timeout.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(32, spec.nodes().size())));
        List<NodeReading> read;
        try {
            List<CompletableFuture<NodeReading>> readings = spec.nodes().stream()
                    .map(node -> CompletableFuture.supplyAsync(() -> NodeReading.of(node, address.apply(node), port, engines), pool))
                    .toList();
            read = readings.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
        SwarmNodes swarm = null;
        if (spec.swarm().flavor() == SwarmSpec.Flavor.MODE) {
            for (NodeReading reading : read) {
                if (reading.manager) {
                    try {
                        swarm = SwarmNodes.of(JSON.readTree(engines.call(reading.address, port, "GET", "/nodes", null).body()));
                        break;
                    } catch (EngineException | IOException e) {
                        // this manager cannot tell: ask the next one
                    }
                }
            }
        }
        ClassicSwarm classic = null;
        List<String> managers = new ArrayList<>();
        if (spec.swarm().flavor() == SwarmSpec.Flavor.CLASSIC) {
            List<JsonNode> infos = new ArrayList<>();
            for (NodeReading reading : read) {
                if (Planner.isClassicManager(spec, reading.spec)) {
                    managers.add(reading.spec.name());
                    infos.add(classicInfo(reading.address, spec.swarm().port(), engines));
                }
            }
            classic = ClassicSwarm.of(infos);
        }
        ConsulMembers members = spec.consul().enabled() ? ConsulMembers.read(spec.masters().stream().map(address).toList(), consul) : null;
        List<Node> nodes = new ArrayList<>();
        for (NodeReading reading : read) {
            Node node = reading.node(spec, swarm);
            String trouble = node.problem();
            String classicRole = node.swarmRole();
            String classicState = node.swarmState();
            if (classic != null) {
                int manager = managers.indexOf(node.name());
                classicRole = manager < 0 ? "agent" : classic.roles().get(manager);
                classicState = classic.engines().getOrDefault(node.name(), "absent");
                if (trouble == null && manager >= 0 && !List.of("primary", "replica").contains(classicRole)) {
                    trouble = "its classic Swarm manager does not answer";
                } else if (trouble == null && !"Healthy".equals(classicState)) {
                    trouble = classicState.equals("absent") ? "not in the classic Swarm" : "the classic Swarm sees its engine " + classicState;
                }
            }
            if (trouble == null && members != null) {
                trouble = members.problem(node.name(), reading.spec.isMaster());
            }
            nodes.add(new Node(node.name(), node.role(), node.address(), node.engine(), classicRole, classicState, node.leader(),
                    node.containers(), node.liveRestore(), trouble));
        }
        return new ClusterStatus(spec.name(), spec.swarm().flavor(), members == null ? null : members.security(),
                members == null ? null : members.leaderNode(), List.copyOf(nodes));
    }


    /** A classic manager's {@code /info}, or an empty object when it does not answer (its role is then unknown). */
    private static JsonNode classicInfo(String address, int port, DockerEngines engines) {
        try {
            return address == null ? JSON.createObjectNode() : JSON.readTree(engines.call(address, port, "GET", "/info", null).body());
        } catch (EngineException | IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** What one node's engine said about itself. */
    private static final class NodeReading {
        final NodeSpec spec;
        final String address;
        String engine;
        boolean liveRestore;
        String problem;
        boolean manager;
        String localState = "";
        final Map<String, String> containers = new TreeMap<>();

        private NodeReading(NodeSpec spec, String address) {
            this.spec = spec;
            this.address = address;
        }

        static NodeReading of(NodeSpec node, String address, int port, DockerEngines engines) {
            NodeReading reading = new NodeReading(node, address);
            if (address == null) {
                reading.problem = "address not known (the node is not provisioned)";
                return reading;
            }
            try {
                JsonNode info = JSON.readTree(engines.call(address, port, "GET", "/info", null).body());
                reading.engine = info.path("ServerVersion").asText();
                reading.liveRestore = info.path("LiveRestoreEnabled").asBoolean(false);
                reading.localState = info.path("Swarm").path("LocalNodeState").asText("");
                reading.manager = info.path("Swarm").path("ControlAvailable").asBoolean(false);
                for (JsonNode container : JSON.readTree(engines.call(address, port, "GET", "/containers/json?all=1", null).body())) {
                    String name = container.path("Names").path(0).asText("").replaceFirst("^/", "");
                    if (PLANNED_CONTAINERS.contains(name)) {
                        reading.containers.put(name, container.path("State").asText());
                    }
                }
            } catch (EngineException | IOException e) {
                reading.problem = "engine: " + e.getMessage();
            }
            return reading;
        }

        /** The planned containers this node runs. */
        List<String> expectedContainers(ClusterSpec cluster) {
            List<String> expected = new ArrayList<>();
            if (cluster.consul().enabled()) {
                expected.add("consul");
            }
            if (cluster.swarm().flavor() == SwarmSpec.Flavor.CLASSIC) {
                if (Planner.isClassicManager(cluster, spec)) {
                    expected.add("swarm-agent-master");
                }
                expected.add("swarm-agent");
            }
            return expected;
        }

        Node node(ClusterSpec cluster, SwarmNodes swarm) {
            String swarmRole = null;
            String swarmState = null;
            boolean leader = false;
            String trouble = problem;
            if (trouble == null && cluster.swarm().flavor() == SwarmSpec.Flavor.MODE) {
                SwarmNodes.Member member = swarm == null ? null
                        : swarm.members().stream().filter(m -> m.hostname().equals(spec.name())).findFirst().orElse(null);
                if (member == null) {
                    trouble = swarm == null ? "no manager answers for the Swarm" : "not in the Swarm (local state " + localState + ")";
                } else {
                    swarmRole = member.role();
                    swarmState = member.state();
                    leader = member.leader();
                    String wanted = spec.isMaster() ? "manager" : "worker";
                    if (!member.ready()) {
                        trouble = "the Swarm sees it " + member.state();
                    } else if (!swarmRole.equals(wanted)) {
                        trouble = "a " + swarmRole + ", the script makes it a " + wanted;
                    }
                }
            }
            if (trouble == null) {
                String missing = expectedContainers(cluster).stream().filter(c -> !containers.containsKey(c)).findFirst().orElse(null);
                if (missing != null) {
                    trouble = "no container " + missing;
                }
            }
            if (trouble == null) {
                String stopped = containers.entrySet().stream().filter(e -> !e.getValue().equals("running"))
                        .map(e -> e.getKey() + " " + e.getValue()).findFirst().orElse(null);
                if (stopped != null) {
                    trouble = "container " + stopped;
                }
            }
            return new Node(spec.name(), spec.role().singular(), address, engine, swarmRole, swarmState, leader, Map.copyOf(containers), liveRestore, trouble);
        }
    }
}
