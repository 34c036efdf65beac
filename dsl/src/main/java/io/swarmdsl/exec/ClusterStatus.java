package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.SwarmSpec;
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
 * manager, as the verify step does), and the state of the containers the plan starts.
 */
public record ClusterStatus(String cluster, SwarmSpec.Flavor flavor, List<Node> nodes) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The containers the plan starts, by flavor, that a healthy node runs. */
    private static final List<String> PLANNED_CONTAINERS = List.of("consul", "swarm-agent-master", "swarm-agent");

    /**
     * One node: {@code engine} is its version, or null when the engine does not answer ({@code problem}
     * says why); {@code swarm} is {@code manager}/{@code worker} with the manager's view of it.
     */
    public record Node(String name, String role, String address, String engine, String swarmRole, String swarmState,
                       boolean leader, Map<String, String> containers, String problem) {
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

    /** Reads every node at once; {@code address} gives a node's address (null when not known yet). */
    public static ClusterStatus read(ClusterSpec spec, Function<NodeSpec, String> address, DockerEngines engines) {
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
        List<Node> nodes = new ArrayList<>();
        for (NodeReading reading : read) {
            nodes.add(reading.node(spec, swarm));
        }
        return new ClusterStatus(spec.name(), spec.swarm().flavor(), List.copyOf(nodes));
    }

    /** What one node's engine said about itself. */
    private static final class NodeReading {
        final NodeSpec spec;
        final String address;
        String engine;
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
                String stopped = containers.entrySet().stream().filter(e -> !e.getValue().equals("running"))
                        .map(e -> e.getKey() + " " + e.getValue()).findFirst().orElse(null);
                if (stopped != null) {
                    trouble = "container " + stopped;
                }
            }
            return new Node(spec.name(), spec.role().singular(), address, engine, swarmRole, swarmState, leader, Map.copyOf(containers), trouble);
        }
    }
}
