package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.pki.ClusterPki;
import java.util.List;
import java.util.stream.Collectors;

/** The cluster's certificate authority and client certificate, made locally, and each node's TLS files. */
final class PkiSteps extends PhaseSteps {
    PkiSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        super(spec, files, steps);
    }

    /** The id of the step that installs {@code node}'s certificates, or null when the cluster has none. */
    static StepId certificatesOf(NodeFiles files, NodeSpec node) {
        return files.needsCertificates() ? StepId.of(Phase.PKI, node.name(), "certs") : null;
    }

    @Override
    void plan() {
        if (!files.needsCertificates()) {
            return;
        }
        String dir = LocalState.directory(spec.name()) + "/";
        Step ca = steps.add(Phase.PKI, null, "ca", "create the cluster's certificate authority (or reuse the one in " + dir + ")",
                new Action.Upload(List.of(
                        new FileSpec(dir + ClusterPki.CA_CERT, "0644", generated(FileSpec.Artifact.CA_CERT, Text.of("cluster CA certificate, ECDSA P-256, valid 3 years"), false)),
                        new FileSpec(dir + ClusterPki.CA_KEY, "0600", generated(FileSpec.Artifact.CA_KEY, Text.of("cluster CA private key"), true)))));
        steps.add(Phase.PKI, null, "client", "issue the client certificate for docker, swarm and the executor",
                new Action.Upload(List.of(
                        new FileSpec(dir + ClusterPki.CLIENT_CERT, "0644", generated(FileSpec.Artifact.CLIENT_CERT, Text.of("client certificate signed by the cluster CA, client usage"), false)),
                        new FileSpec(dir + ClusterPki.CLIENT_KEY, "0600", generated(FileSpec.Artifact.CLIENT_KEY, Text.of("client private key"), true)))),
                ca.id());
        for (NodeSpec node : spec.nodes()) {
            Text sans = Text.of(CertificateNames.dns(spec, node).stream().map(name -> "DNS:" + name + ", ").collect(Collectors.joining()),
                    "IP:", files.privateAddress(node), ", IP:", files.publicAddress(node), ", IP:127.0.0.1");
            steps.add(Phase.PKI, node.name(), "certs", "install the node's TLS files (server and client usage)",
                    new Action.Upload(List.of(
                            new FileSpec(NodePaths.CA, "0644", generated(FileSpec.Artifact.NODE_CA, Text.of("the cluster CA certificate"), false)),
                            new FileSpec(NodePaths.CERT, "0644", generated(FileSpec.Artifact.SERVER_CERT, Text.of("server certificate for ", node.name(),
                                    " signed by the cluster CA, usage server+client, SANs ", sans), false)),
                            new FileSpec(NodePaths.KEY, "0600", generated(FileSpec.Artifact.SERVER_KEY, Text.of("private key of ", node.name()), true)))),
                    ca.id());
        }
    }

    private static FileSpec.Generated generated(FileSpec.Artifact artifact, Text description, boolean secret) {
        return new FileSpec.Generated(artifact, description, secret);
    }
}
