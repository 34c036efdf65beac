package io.swarmdsl.apply;

import io.swarmdsl.Invocation;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.provider.Providers;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code apply} works from: a cluster and its plan ({@code saved}: a saved plan the command line
 * checked against its script). The cluster's state (CA, generated keys) lives in
 * {@code .swarm/CLUSTER/} beside the script, the journal beside the script as {@code SCRIPT.journal}.
 */
public record Loaded(ClusterSpec cluster, Plan plan, boolean saved, Path directory, Path journal) {

    public Path stateDirectory() {
        return directory.resolve(".swarm").resolve(cluster.name());
    }

    /**
     * Each node's public address as known without provisioning: the script's, or for DigitalOcean the
     * droplet's that the last apply or {@code swarm machines} recorded in {@code droplets.json}; null
     * when the node has none yet.
     */
    public Function<NodeSpec, String> publicAddresses() {
        Map<String, String> droplets = Providers.of(cluster).recordedAddresses(stateDirectory());
        return node -> node.publicAddress() != null ? node.publicAddress() : droplets.get(node.name());
    }

    /** The cluster of the script {@code file}: state in {@code .swarm/CLUSTER/} beside it, the journal {@code SCRIPT.journal}. */
    public static Loaded ofScript(ClusterSpec cluster, Path file) {
        return new Loaded(cluster, Providers.plan(cluster), false, Invocation.current().resolve(file).getParent(), journalOf(file));
    }

    /** A cluster without a script file ({@code apply -e}, the REPL): state and journal in {@code directory/.swarm/CLUSTER/}. */
    public static Loaded inDirectory(ClusterSpec cluster, Path directory) {
        Path absolute = Invocation.current().resolve(directory);
        return new Loaded(cluster, Providers.plan(cluster), false, absolute, absolute.resolve(".swarm").resolve(cluster.name()).resolve("journal"));
    }

    /** {@code SCRIPT.journal}, beside the script. */
    public static Path journalOf(Path script) {
        Path file = Invocation.current().resolve(script);
        return file.resolveSibling(file.getFileName() + ".journal");
    }
}
