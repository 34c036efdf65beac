package io.swarmdsl.model;

import java.util.List;

/**
 * How to reach nodes over SSH. {@code knownHosts} is the first-contact policy: {@code accept-new}
 * (remember an unknown host key, refuse a changed one) or {@code strict} (the key must already be known).
 * {@code reconnectSeconds}: how long a node may stay unreachable during an apply (a reboot, a network
 * blip) while its step is tried again, before the step fails and the node is reported.
 */
public record SshSpec(String user, int port, String key, String knownHosts, String jump, int reconnectSeconds) {
    public static final List<String> KNOWN_HOSTS_POLICIES = List.of("accept-new", "strict");
    /** Long enough for a machine's reboot. */
    public static final int RECONNECT_SECONDS = 120;
    public static final SshSpec DEFAULT = new SshSpec("root", 22, "~/.ssh/id_rsa", "accept-new", null, RECONNECT_SECONDS);

    public SshSpec {
        if (!KNOWN_HOSTS_POLICIES.contains(knownHosts)) {
            throw new SpecException("knownHosts must be one of " + String.join(", ", KNOWN_HOSTS_POLICIES) + ", got '"
                    + knownHosts + "'" + DidYouMean.suggest(knownHosts, KNOWN_HOSTS_POLICIES));
        }
    }
}
