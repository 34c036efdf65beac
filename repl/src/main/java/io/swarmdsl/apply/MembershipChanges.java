package io.swarmdsl.apply;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.SwarmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a plan does to the cluster's membership, in the words of a review: who leaves and how, who is
 * a master no longer, and how Consul's voting servers change one at a time, the quorum kept.
 */
final class MembershipChanges {
    private MembershipChanges() {
    }

    /** The lines to say before the plan; none when nobody leaves and the servers stay as they are. */
    static List<String> describe(ClusterSpec cluster, List<String> joining, Set<String> unreachable) {
        List<String> lines = new ArrayList<>();
        List<NodeSpec> leaving = cluster.leaving();
        if (!leaving.isEmpty()) {
            lines.add("Leaving the cluster: " + leaving.stream().map(node -> node.name() + " (" + (node.isMaster() ? "master" : "agent") + ")")
                    .collect(Collectors.joining(", ")) + ". Each leaves Consul, one at a time and the servers first, so that no failed"
                    + " member stays behind; then " + (cluster.provider() instanceof ProviderSpec.Generic
                    ? "it is put back as it was before it joined (as swarm destroy would)." : "its droplet is deleted.")
                    + (cluster.swarm().flavor() == SwarmSpec.Flavor.MODE ? " First " + cluster.masters().get(0).name() + " drains it from the"
                    + " Swarm (a manager is demoted first, so the managers that stay keep raft's quorum), its tasks move to the other nodes,"
                    + " and once it has left it is removed from the node list." : ""));
        }
        leaving.stream().filter(node -> unreachable.contains(node.name())).forEach(node -> lines.add(node.name()
                + " does not answer over SSH: it is forced out of Consul (and raft) through the servers that stay, once they count it"
                + " failed; its host is not put back. If it is only down for a while, bring it back first and plan again."));
        boolean swarmMode = cluster.swarm().flavor() == SwarmSpec.Flavor.MODE;
        boolean consul = cluster.consul().enabled();
        if (!cluster.demoted().isEmpty()) {
            lines.add("Masters no longer: " + names(cluster.demoted()) + "."
                    + (consul ? " Each Consul server leaves raft gracefully in its turn and comes back as an agent." : "")
                    + (swarmMode ? " " + cluster.masters().get(0).name() + " makes each a worker again (docker node demote), one at a time,"
                    + " each once raft has let the one before go: the managers that stay keep their quorum."
                    : cluster.swarm().flavor() == SwarmSpec.Flavor.CLASSIC ? " Its classic Swarm manager stops." : ""));
        }
        if (swarmMode && !cluster.promoted().isEmpty()) {
            lines.add("Masters now, workers before: " + names(cluster.promoted()) + ". " + cluster.masters().get(0).name()
                    + " makes each a Swarm manager (docker node promote), one at a time, each once raft has taken the one before in.");
        }
        if (cluster.previous().isEmpty() || !consul) {
            return lines;
        }
        // The voting servers, step by step in the plan's order: leavers first, then new servers, then masters become agents.
        Set<String> mastersBefore = cluster.previous().stream().filter(NodeSpec::isMaster).map(NodeSpec::name).collect(Collectors.toSet());
        int voters = mastersBefore.size();
        StringBuilder steps = new StringBuilder(String.valueOf(voters));
        boolean changed = false;
        for (NodeSpec node : leaving) {
            if (node.isMaster()) {
                steps.append(" → ").append(--voters).append(" (").append(node.name()).append(" leaves)");
                changed = true;
            }
        }
        for (NodeSpec node : cluster.masters()) {
            if (!mastersBefore.contains(node.name())) {
                steps.append(" → ").append(++voters).append(" (").append(node.name()).append(joining.contains(node.name()) ? " joins" : " becomes a server")
                        .append(")");
                changed = true;
            }
        }
        for (NodeSpec node : cluster.demoted()) {
            steps.append(" → ").append(--voters).append(" (").append(node.name()).append(" becomes an agent)");
            changed = true;
        }
        if (changed) {
            lines.add("Consul's voting servers change one at a time: " + steps + ". Each change waits until the one before is done"
                    + " (raft has the servers it names and a leader; a new server votes), and servers that restart do so one at a time"
                    + " in between: the quorum is kept at every step.");
        }
        return lines;
    }

    private static String names(List<NodeSpec> nodes) {
        return nodes.stream().map(NodeSpec::name).collect(Collectors.joining(", "));
    }

    /** Why {@code --yes} alone takes no node out. */
    static String refusal(ClusterSpec cluster) {
        List<String> going = new ArrayList<>(cluster.leaving().stream().map(NodeSpec::name).toList());
        cluster.demoted().forEach(node -> going.add(node.name() + " (as a master)"));
        return "Refused: this plan takes " + String.join(", ", going) + " out of the cluster. --yes alone never removes a node:"
                + " add --remove to confirm, or leave out --yes to be asked. Nothing was changed.";
    }

    /** Whether the plan takes a node, or a master's server, out of the cluster. */
    static boolean removes(ClusterSpec cluster) {
        return !cluster.leaving().isEmpty() || !cluster.demoted().isEmpty();
    }
}
