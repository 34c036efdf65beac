package io.swarmdsl.model;

import java.util.List;

/** The whole cluster a script describes: immutable and validated. The planner's only input besides facts. */
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
        List<HookSpec> hooks) {

    public List<NodeSpec> masters() {
        return nodes.stream().filter(NodeSpec::isMaster).toList();
    }

    public List<NodeSpec> agents() {
        return nodes.stream().filter(n -> !n.isMaster()).toList();
    }

    public NodeSpec node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new SpecException("no node named '" + name + "'"));
    }
}
