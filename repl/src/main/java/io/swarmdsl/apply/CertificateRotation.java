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
 */
public final class CertificateRotation {
    private CertificateRotation() {
    }

    /** The nodes whose certificates the next apply reissues. */
    public static List<String> begin(Loaded loaded) {
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
        List<String> nodes = cluster.nodes().stream().map(NodeSpec::name).toList();
        pki.forgetIssued(nodes);
        pki.client();
        return nodes;
    }
}
