package io.swarmdsl.apply;

import io.swarmdsl.Invocation;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.exec.Membership;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.SwarmSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.provider.Providers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

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
        Path directory = Invocation.current().resolve(file).getParent();
        ClusterSpec members = withMembers(cluster, directory);
        return new Loaded(members, Providers.plan(members), false, directory, journalOf(file));
    }

    /** A cluster without a script file ({@code apply -e}, the REPL): state and journal in {@code directory/.swarm/CLUSTER/}. */
    public static Loaded inDirectory(ClusterSpec cluster, Path directory) {
        Path absolute = Invocation.current().resolve(directory);
        ClusterSpec members = withMembers(cluster, absolute);
        return new Loaded(members, Providers.plan(members), false, absolute, absolute.resolve(".swarm").resolve(cluster.name()).resolve("journal"));
    }

    /**
     * The cluster with the nodes the last apply from {@code directory} left in it: those the script no
     * longer names leave it, masters become agents leave raft. Refused, before anything runs, where
     * no plan can make the change.
     */
    private static ClusterSpec withMembers(ClusterSpec cluster, Path directory) {
        ClusterSpec members = cluster.withPrevious(Membership.read(directory.resolve(".swarm").resolve(cluster.name())));
        if (cluster.swarm().flavor() == SwarmSpec.Flavor.MODE && members.promoted().contains(members.masters().get(0))) {
            // The first master makes the role changes: it must manage the Swarm already.
            throw new ApplyException("the first master of a Swarm-mode cluster must be a manager already, and "
                    + members.masters().get(0).name() + " was a worker: put one of the masters before it first in the script."
                    + " Nothing was changed.");
        }
        return members;
    }

    /** {@code SCRIPT.journal}, beside the script. */
    public static Path journalOf(Path script) {
        Path file = Invocation.current().resolve(script);
        return file.resolveSibling(file.getFileName() + ".journal");
    }
}
