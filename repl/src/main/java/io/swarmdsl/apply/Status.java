package io.swarmdsl.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.swarmdsl.exec.ClusterStatus;
import io.swarmdsl.exec.ConsulMembers;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.SwarmSpec;
import io.swarmdsl.transport.consul.ConsulHttps;
import io.swarmdsl.transport.docker.DockerEngines;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The live cluster, for {@code swarm status} and the REPL's {@code :status} alike: read through the
 * Engine API of every node with the cluster's client certificate, shown as a table or as JSON.
 */
public final class Status {
    public static final List<String> FORMATS = List.of("text", "json");

    private Status() {
    }

    /** Reads a cluster typed in the REPL: its state (certificates) in {@code .swarm/CLUSTER/} of {@code directory}, as {@code :apply} keeps it. */
    public static ClusterStatus read(ClusterSpec cluster, Path directory) {
        return read(Loaded.inDirectory(cluster, directory));
    }

    public static ClusterStatus read(Loaded loaded) {
        try (DockerEngines engines = new DockerEngines(loaded.stateDirectory(), loaded.cluster().engine().tls())) {
            return ClusterStatus.read(loaded.cluster(), loaded.publicAddresses(), engines,
                    ConsulMembers.of(loaded.cluster(), new ConsulHttps(loaded.stateDirectory()), loaded.stateDirectory()));
        }
    }

    /** {@code text} or {@code json}, ending with a line break. */
    public static String render(ClusterStatus status, String format) {
        if (format.equals("json")) {
            try {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status) + "\n";
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return text(status);
    }

    /** A summary line, then a table of the nodes: role, address, engine, place in the Swarm, containers, health. */
    public static String text(ClusterStatus status) {
        StringBuilder out = new StringBuilder();
        String flavor = switch (status.flavor()) {
            case MODE -> "Swarm mode";
            case CLASSIC -> "classic Swarm";
            default -> "no Swarm";
        };
        long healthy = status.nodes().stream().filter(ClusterStatus.Node::healthy).count();
        out.append("Cluster ").append(status.cluster()).append(": ").append(status.nodes().size()).append(" nodes, ").append(flavor);
        if (status.flavor() == SwarmSpec.Flavor.MODE) {
            out.append(", leader ").append(status.leader() == null ? "none" : status.leader());
        }
        out.append(", ").append(healthy).append(" of ").append(status.nodes().size()).append(" healthy\n");
        if (status.consulSecurity() != null) {
            out.append("Consul: ").append(status.consulSecurity()).append('\n');
        }
        out.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "ROLE", "ADDRESS", "ENGINE", "SWARM", "CONTAINERS", "HEALTH"});
        for (ClusterStatus.Node node : status.nodes()) {
            String swarm = node.swarmRole() == null ? "-" : node.swarmRole() + " " + node.swarmState() + (node.leader() ? " leader" : "");
            String containers = node.containers().isEmpty() ? "-" : String.join(" ", node.containers().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).sorted().toList());
            rows.add(new String[] {node.name(), node.role(), node.address() == null ? "-" : node.address(),
                    node.engine() == null ? "down" : node.engine(), swarm, containers, node.healthy() ? "ok" : node.problem()});
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                line.append(' ').append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s ", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
