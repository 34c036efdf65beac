package io.swarmdsl.model;

import java.util.Arrays;
import java.util.List;

/**
 * The phases of a bring-up, in the order they run. The engine gets its final options (and restarts)
 * before Consul and the Swarm start on it: Consul runs in a container of that engine, so an engine
 * restart after Consul would restart every Consul server too, and the article's Swarm containers
 * retried Consul for minutes. Consul then comes up once and elects its leader before anything
 * joins it.
 * {@link #DESTROY} is no part of a bring-up: it is the one phase of {@code swarm destroy}'s plan,
 * and hooks cannot name it.
 */
public enum Phase {
    PROVISION("provision", "allocate the nodes and reach them over SSH"),
    PREPARE("prepare", "hostname, Docker if absent, memory accounting"),
    PKI("pki", "cluster CA, node and client certificates"),
    ENGINE("engine", "Docker daemon options, restart, wait for TLS on the engine port"),
    CONSUL("consul", "Consul servers, a leader, then agents"),
    DNS("dns", "the node resolver points at Consul"),
    SWARM("swarm", "Swarm managers and agents"),
    COMPOSE("compose", "the script's own compositions"),
    VERIFY("verify", "every node healthy in the Swarm"),
    DESTROY("destroy", "leave the Swarm, take the compositions down, put back the node's original files and engine");

    private final String keyword;
    private final String purpose;

    Phase(String keyword, String purpose) {
        this.keyword = keyword;
        this.purpose = purpose;
    }

    public String keyword() {
        return keyword;
    }

    public String purpose() {
        return purpose;
    }

    /** The phases of a bring-up, in order: every phase but {@link #DESTROY}. */
    public static List<Phase> bringUp() {
        return Arrays.stream(values()).filter(p -> p != DESTROY).toList();
    }

    /** The phases hooks may name. */
    public static List<String> keywords() {
        return bringUp().stream().map(Phase::keyword).toList();
    }

    public static Phase byKeyword(String word) {
        for (Phase phase : bringUp()) {
            if (phase.keyword.equals(word)) {
                return phase;
            }
        }
        throw new SpecException("unknown phase '" + word + "'" + DidYouMean.suggest(word, keywords())
                + " (phases: " + String.join(", ", keywords()) + ")");
    }
}
