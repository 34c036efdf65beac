package io.swarmdsl.plan;

/**
 * The cluster's files on the user's machine, under {@code .swarm/CLUSTER}: one home for their names,
 * shared by {@code apply} and the {@code sh} plan, so both find the same generated keys (the
 * certificate authority's files are {@link io.swarmdsl.pki.ClusterPki}'s).
 */
public final class LocalState {
    public static final String JOURNAL = "journal";
    private static final String ROOT = ".swarm";

    private LocalState() {
    }

    /** The state directory of {@code cluster}, relative to the script's directory. */
    public static String directory(String cluster) {
        return ROOT + "/" + cluster;
    }

    /** The file a secret generated once per cluster is kept in ({@code consul.encrypt} → {@code consul-encrypt.key}). */
    public static String generatedSecret(String secret) {
        return secret.replace('.', '-') + ".key";
    }
}
