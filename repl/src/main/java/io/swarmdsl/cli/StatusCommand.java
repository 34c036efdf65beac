package io.swarmdsl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.swarmdsl.exec.ClusterStatus;
import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.model.SpecException;
import io.swarmdsl.model.SwarmSpec;
import io.swarmdsl.plan.Text;
import io.swarmdsl.transport.docker.DockerEngines;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swarm status FILE}: the live cluster as its engines report it (TLS, the cluster's client
 * certificate): every node's engine, its place in the Swarm, the leader, and the planned containers.
 * Exit code 1 when any node is not as the script wants it.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Read the live cluster through the Docker Engine API and print its nodes, roles, health, engine versions and leader.")
final class StatusCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown format '" + format + "' (text or json)");
        }
        Loaded loaded;
        try {
            loaded = Loaded.of(script, spec.commandLine());
        } catch (SpecException e) {
            spec.commandLine().getErr().println(e.describe());
            return Main.INVALID;
        }
        RunValues values = new RunValues(loaded.cluster(), loaded.stateDirectory(), new Redactor());
        ClusterStatus status;
        try (DockerEngines engines = new DockerEngines(loaded.stateDirectory(), loaded.cluster().engine().tls())) {
            status = ClusterStatus.read(loaded.cluster(), node -> {
                String name = node.name() + ".public_address";
                return values.knows(name) ? values.value(Text.Ref.runtime(name, "provision")) : null;
            }, engines);
        }
        PrintStream out = System.out;
        if (format.equals("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
        } else {
            out.print(text(status));
        }
        return status.healthy() ? 0 : 1;
    }

    static String text(ClusterStatus status) {
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
        out.append(", ").append(healthy).append(" of ").append(status.nodes().size()).append(" healthy\n\n");
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
