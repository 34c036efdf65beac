package io.swarmdsl.model;

/** What a node is in the cluster. Masters run Consul servers and Swarm managers; agents do not. */
public enum Role {
    MASTER("master", "masters"),
    AGENT("agent", "agents");

    private final String singular;
    private final String plural;

    Role(String singular, String plural) {
        this.singular = singular;
        this.plural = plural;
    }

    public String singular() {
        return singular;
    }

    /** The word scripts use to target every node of the role: {@code on: 'masters'}. */
    public String plural() {
        return plural;
    }
}
