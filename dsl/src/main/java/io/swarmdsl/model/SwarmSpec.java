package io.swarmdsl.model;

/**
 * Which Swarm: {@code CLASSIC} is the article's (standalone Swarm containers, masters replicated via
 * Consul); {@code MODE} is the engine's built-in Swarm mode (masters are managers). The durations, in
 * seconds, are classic Swarm's recovery settings: the agents' heartbeat, the managers' engine
 * refresh, and how long the primary's lock outlives a primary that stopped.
 */
public record SwarmSpec(Flavor flavor, boolean replication, String image, String strategy, int port,
                        int heartbeat, int engineRefresh, int failover) {

    /** The agents' TTL: three heartbeats. */
    public int agentTtl() {
        return 3 * heartbeat;
    }
    public enum Flavor { NONE, CLASSIC, MODE }

    public boolean enabled() {
        return flavor != Flavor.NONE;
    }
}
