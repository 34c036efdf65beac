package io.swarmdsl.model;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole cluster a script describes: immutable and validated. The planner's only input besides facts.
 * {@code previous}: the nodes as the last apply left them in the cluster (the state directory's
 * {@code members.json}; none in a script, none before a first apply): those no longer in the script
 * leave it, masters that became agents leave Consul's raft.
 */
public record ClusterSpec(
        String name,
        ProviderSpec provider,
        String domain,
        String datacenter,
        String clusterInterface,
        List<NodeSpec> nodes,
        SshSpec ssh,
        EngineSpec engine,
        ConsulSpec consul,
        SwarmSpec swarm,
        boolean memoryAccounting,
        List<ComposeSpec> compositions,
        List<HookSpec> hooks,
        List<NodeSpec> previous) {

    public ClusterSpec {
        previous = List.copyOf(previous);
    }

    /** This cluster, its last apply having left {@code nodes} in it. */
    public ClusterSpec withPrevious(List<NodeSpec> nodes) {
        return new ClusterSpec(name, provider, domain, datacenter, clusterInterface, this.nodes, ssh, engine, consul, swarm,
                memoryAccounting, compositions, hooks, nodes);
    }

    /** The nodes an earlier apply brought into the cluster that the script no longer names: they leave it. */
    public List<NodeSpec> leaving() {
        Set<String> named = nodes.stream().map(NodeSpec::name).collect(Collectors.toSet());
        return previous.stream().filter(node -> !named.contains(node.name())).toList();
    }

    /** The nodes that were masters at the last apply and are agents now: their Consul server leaves raft. */
    public List<NodeSpec> demoted() {
        Set<String> servedBefore = previous.stream().filter(NodeSpec::isMaster).map(NodeSpec::name).collect(Collectors.toSet());
        return agents().stream().filter(node -> servedBefore.contains(node.name())).toList();
    }

    /** The masters that an earlier apply brought in as agents. */
    public List<NodeSpec> promoted() {
        Set<String> agentsBefore = previous.stream().filter(node -> !node.isMaster()).map(NodeSpec::name).collect(Collectors.toSet());
        return masters().stream().filter(node -> agentsBefore.contains(node.name())).toList();
    }

    public List<NodeSpec> masters() {
        return nodes.stream().filter(NodeSpec::isMaster).toList();
    }

    public List<NodeSpec> agents() {
        return nodes.stream().filter(n -> !n.isMaster()).toList();
    }

    /** The node of the script, or one {@link #leaving} it. */
    public NodeSpec node(String name) {
        return Stream.concat(nodes.stream(), leaving().stream()).filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new SpecException("no node named '" + name + "'"));
    }
}
