package io.swarmdsl.model;

import java.util.List;

/**
 * Consul on every node: servers on the masters, agents elsewhere. {@code encrypt} is the gossip key,
 * or null for no gossip encryption. {@code bootstrapExpect} is derived: the number of masters.
 */
public record ConsulSpec(
        boolean enabled,
        String serverImage,
        String agentImage,
        Secret encrypt,
        boolean tls,
        boolean ui,
        int dnsPort,
        List<String> recursors,
        int bootstrapExpect) {
}
