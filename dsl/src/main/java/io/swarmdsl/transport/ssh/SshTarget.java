package io.swarmdsl.transport.ssh;

import java.util.Objects;

/**
 * One node as SSH reaches it. {@code host} is an address, a name or a {@code Host} alias of the
 * ssh config file. {@code port} 0 and {@code user} null take the config file's values, else 22 and
 * root; values given here win over the file's, as options on ssh's command line do. {@code keyPath}
 * may start with {@code ~} and may be null or missing (then only the agent's keys are offered).
 * {@code jump} is a bastion, {@code [user@]host[:port]}, reached with the same key and policy; null
 * for none.
 */
public record SshTarget(String node, String host, int port, String user, String keyPath, String jump, HostKeyPolicy policy) {
    public SshTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(policy, "policy");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + node + " is not 0..65535");
        }
    }
}
