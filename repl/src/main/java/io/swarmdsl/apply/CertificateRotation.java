package io.swarmdsl.apply;

import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.pki.ClusterPki;
import java.util.List;

/**
 * {@code swarm rotate certs}: every node's certificate and key, and this machine's client
 * certificate, are forgotten in the state directory and the client's reissued at once from the same
 * CA (the old ones stay valid, so the cluster serves on through the roll); the apply that follows
 * issues the nodes' and puts them in place one node at a time, like any new certificate. Should it
 * stop, the next apply finishes the rotation: the nodes' files differ from the state directory's.
 *
 * <p>{@code --ca} rotates the CA too, in three applies so that every node trusts every certificate
 * it meets at every moment: the nodes first trust the new CA beside the old one ({@link #beginCa}),
 * then every certificate is reissued by the new CA ({@link #reissueFromNewCa}), then the nodes trust
 * the new CA alone ({@link #endCa}). Stopped halfway, the same command goes on from where it is.
 */
public final class CertificateRotation {
    private CertificateRotation() {
    }

    /** The nodes whose certificates the next apply reissues. */
    public static List<String> begin(Loaded loaded) {
        ClusterPki pki = pki(loaded);
        List<String> nodes = loaded.cluster().nodes().stream().map(NodeSpec::name).toList();
        pki.forgetIssued(nodes);
        pki.client();
        return nodes;
    }

    /** A new CA signs from now on, and the next apply makes every node trust it beside the old one; false when a rotation was under way. */
    public static boolean beginCa(Loaded loaded) {
        return pki(loaded).beginCaRotation();
    }

    /** The nodes whose certificates (and this machine's client certificate) the next apply reissues from the new CA. */
    public static List<String> reissueFromNewCa(Loaded loaded) {
        ClusterPki pki = pki(loaded);
        List<String> nodes = pki.forgetSignedByOldCa(loaded.cluster().nodes().stream().map(NodeSpec::name).toList());
        pki.client();
        return nodes;
    }

    /** The next apply makes every node trust the new CA alone. */
    public static void endCa(Loaded loaded) {
        pki(loaded).endCaRotation();
    }

    private static ClusterPki pki(Loaded loaded) {
        ClusterSpec cluster = loaded.cluster();
        if (loaded.saved()) {
            throw new ApplyException("rotate certs needs the cluster's script, not a saved plan: a saved plan runs as it was printed");
        }
        if (!(cluster.engine().enabled() && cluster.engine().tls()) && !(cluster.consul().enabled() && cluster.consul().tls())) {
            throw new ApplyException("the cluster " + cluster.name() + " uses no TLS certificates (engine tls and consul tls are off): nothing to rotate");
        }
        ClusterPki pki = new ClusterPki(loaded.stateDirectory(), cluster.name());
        if (!pki.hasCurrentCa()) {
            throw new ApplyException("the cluster's CA is not in " + loaded.stateDirectory() + ": apply the cluster first, from this directory");
        }
        return pki;
    }
}
