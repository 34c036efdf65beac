package io.swarmdsl.model;

/**
 * Which Swarm: {@code CLASSIC} is the article's (standalone Swarm containers, masters replicated via
 * Consul); {@code MODE} is the engine's built-in Swarm mode (masters are managers).
 */
public record SwarmSpec(Flavor flavor, boolean replication, String image, String strategy, int port) {
    public enum Flavor { NONE, CLASSIC, MODE }

    public boolean enabled() {
        return flavor != Flavor.NONE;
    }
}
