package io.swarmdsl.model;

import java.util.Arrays;
import java.util.List;

/**
 * The phases of a bring-up, in the order they run. Consul comes up (and elects a leader) before any
 * engine is pointed at it: the order the article's scripts lacked, which cost minutes of retries.
 */
public enum Phase {
    PROVISION("provision", "allocate the nodes and reach them over SSH"),
    PREPARE("prepare", "hostname, Docker if absent, memory accounting"),
    PKI("pki", "cluster CA, node and client certificates"),
    CONSUL("consul", "Consul servers, a leader, then agents"),
    DNS("dns", "the node resolver points at Consul"),
    ENGINE("engine", "Docker daemon options, restart, wait for TLS on the engine port"),
    SWARM("swarm", "Swarm managers and agents"),
    COMPOSE("compose", "the script's own compositions"),
    VERIFY("verify", "every node healthy in the Swarm");

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

    public static List<String> keywords() {
        return Arrays.stream(values()).map(Phase::keyword).toList();
    }

    public static Phase byKeyword(String word) {
        for (Phase phase : values()) {
            if (phase.keyword.equals(word)) {
                return phase;
            }
        }
        throw new SpecException("unknown phase '" + word + "'" + DidYouMean.suggest(word, keywords())
                + " (phases: " + String.join(", ", keywords()) + ")");
    }
}
