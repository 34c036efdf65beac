package io.swarmdsl.model;

import java.util.List;

/** {@code swarm replication} (the article's classic Swarm, replicated masters) or {@code swarm mode}. */
public final class SwarmBuilder extends Section {
    SwarmSpec.Flavor flavor = SwarmSpec.Flavor.NONE;
    boolean replication;
    String image = "swarm:1.2.9";
    String strategy = "spread";
    int port = 3376;
    int heartbeat = 5;
    int engineRefresh = 2;
    int failover = 6;

    @Override
    public String sectionName() {
        return "swarm";
    }

    @Keyword(usage = "swarm false   (no Swarm)",
            doc = "swarm false: no Swarm.",
            byDefault = "false", positional = true)
    public SwarmBuilder enabled(boolean enabled) {
        if (!enabled) {
            flavor = SwarmSpec.Flavor.NONE;
            replication = false;
        } else if (flavor == SwarmSpec.Flavor.NONE) {
            flavor = SwarmSpec.Flavor.MODE;
        }
        return this;
    }

    @Keyword(usage = "swarm replication   (classic Swarm, a manager on every master, one primary)",
            doc = "The article's classic Swarm: a manager on every master, one of them primary, the others replicas that take over.")
    public SwarmBuilder replication() {
        choose(SwarmSpec.Flavor.CLASSIC, "replication");
        replication = true;
        return this;
    }

    @Keyword(usage = "swarm classic   (classic Swarm, one manager on the first master)",
            doc = "Classic Swarm with one manager, on the first master.")
    public SwarmBuilder classic() {
        choose(SwarmSpec.Flavor.CLASSIC, "classic");
        return this;
    }

    @Keyword(usage = "swarm mode   (the engine's Swarm mode: masters are managers, agents workers)",
            doc = "The engine's own Swarm mode: masters are managers, the other nodes workers.")
    public SwarmBuilder mode() {
        choose(SwarmSpec.Flavor.MODE, "mode");
        return this;
    }

    @Keyword(usage = "swarm image: 'swarm:1.2.9'   (classic Swarm's image)",
            doc = "Classic Swarm's image.",
            byDefault = "swarm:1.2.9")
    public SwarmBuilder image(String image) {
        this.image = nonBlank("image", image);
        return this;
    }

    @Keyword(usage = "swarm strategy: 'spread' | 'binpack' | 'random'",
            doc = "How classic Swarm places containers: spread, binpack or random.",
            byDefault = "spread")
    public SwarmBuilder strategy(String strategy) {
        var strategies = java.util.List.of("spread", "binpack", "random");
        if (!strategies.contains(strategy)) {
            throw new SpecException("unknown strategy '" + strategy + "'" + DidYouMean.suggest(strategy, strategies)
                    + " (strategies: " + String.join(", ", strategies) + ")");
        }
        this.strategy = strategy;
        return this;
    }

    @Keyword(usage = "swarm port: 3376   (classic Swarm managers)",
            doc = "The port of classic Swarm's managers, with TLS.",
            byDefault = "3376")
    public SwarmBuilder port(int port) {
        this.port = inRange("port", port, 1, 65535);
        return this;
    }

    /**
     * Classic Swarm's agents register every heartbeat and count as gone after three missed ones
     * (the join TTL); managers read the discovery as often. Classic's defaults (60 s, TTL 180 s)
     * left a rebooted engine out of the Swarm for up to a minute.
     */
    @Keyword(usage = "swarm heartbeat: '5s'   (classic Swarm: agents register this often, and are dropped after three missed; classic's default 60s)",
            doc = "Classic Swarm's agents register this often and are dropped after three missed; classic's own default is 60s.",
            byDefault = "5s")
    public SwarmBuilder heartbeat(String duration) {
        this.heartbeat = seconds("heartbeat", duration, 2, 3600);
        return this;
    }

    /** How often a classic manager re-reads an engine (at least; at most twice as long). Classic's default: 30 to 60 s. */
    @Keyword(usage = "swarm engineRefresh: '2s'   (classic Swarm managers re-read each engine every 2s to 4s; classic's default 30s to 60s)",
            doc = "Classic Swarm's managers re-read each engine this often (at most twice as long); classic's own default is 30s.",
            byDefault = "2s")
    public SwarmBuilder engineRefresh(String duration) {
        this.engineRefresh = seconds("engineRefresh", duration, 1, 3600);
        return this;
    }

    /**
     * How long the primary's leader lock outlives a primary that stopped ({@code --replication-ttl},
     * classic's default 20 s). Swarm's Consul sessions last half of it; the Consul servers the plan
     * configures take sessions from 2 s ({@code session_ttl_min}), so 4 s is the least.
     */
    @Keyword(usage = "swarm failover: '6s'   (classic Swarm: a replica takes over this long after the primary stops; classic's default 20s)",
            doc = "A classic replica takes over this long after the primary stops (4s at least); classic's own default is 20s.",
            byDefault = "6s")
    public SwarmBuilder failover(String duration) {
        this.failover = seconds("failover", duration, 4, 3600);
        return this;
    }

    private void choose(SwarmSpec.Flavor wanted, String word) {
        if (flavor != SwarmSpec.Flavor.NONE && flavor != wanted) {
            throw new SpecException("swarm " + word + " contradicts the swarm " + flavor.name().toLowerCase()
                    + " chosen before: a cluster has one kind of Swarm");
        }
        flavor = wanted;
    }

    SwarmSpec build() {
        if (flavor == SwarmSpec.Flavor.MODE) {
            for (String classicOnly : List.of("strategy", "port", "image", "replication", "heartbeat", "engineRefresh", "failover")) {
                if (wasSet(classicOnly)) {
                    throw error(classicOnly, "swarm " + classicOnly + " is an option of classic Swarm, not of swarm mode"
                            + " (Swarm mode schedules and replicates its managers itself)");
                }
            }
        }
        return new SwarmSpec(flavor, replication, image, strategy, port, heartbeat, engineRefresh, failover);
    }
}
