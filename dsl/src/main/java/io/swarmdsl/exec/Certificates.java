package io.swarmdsl.exec;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.pki.ClusterPki;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.CertificateNames;
import io.swarmdsl.plan.FileSpec;
import io.swarmdsl.plan.Fingerprint;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files a plan marks as generated (certificates and keys), made with the cluster's PKI when a
 * step needs them, and the plan's local PKI steps, which keep the CA and the client certificate in
 * the cluster's state directory. A node's certificate names the node, its FQDN, {@code localhost}
 * and its addresses as known at apply time.
 */
public final class Certificates implements Executor.StepRunner {
    private final ClusterSpec cluster;
    private final ClusterPki pki;
    private final RunValues values;

    public Certificates(ClusterSpec cluster, RunValues values) {
        this.cluster = cluster;
        this.values = values;
        this.pki = new ClusterPki(values.stateDirectory(), cluster.name());
    }

    public ClusterPki pki() {
        return pki;
    }

    /** The local PKI steps whose result the state directory already holds: a re-apply leaves them out. */
    public Set<StepId> doneLocally(List<Step> steps) {
        Set<StepId> done = new HashSet<>();
        for (Step step : steps) {
            if (step.node() == null && step.action() instanceof Action.Upload upload && !upload.files().isEmpty()) {
                boolean all = upload.files().stream().allMatch(f -> f.content() instanceof FileSpec.Generated g
                        && (isOfCa(g.artifact()) ? pki.hasCurrentCa() : isOfClient(g.artifact()) && pki.hasCurrentClient()));
                if (all) {
                    done.add(step.id());
                }
            }
        }
        return done;
    }

    /**
     * The node uploads of certificates whose node holds other files than the state directory keeps
     * for it (reissued by swarm rotate certs, or none kept any more): they run again. Only nodes whose
     * files' hashes were read (an earlier apply's markers) are compared; nothing is issued here.
     */
    public Set<StepId> outdatedOnNodes(List<Step> steps, Map<String, NodeFacts> facts) {
        Set<StepId> outdated = new HashSet<>();
        for (Step step : steps) {
            NodeFacts node = step.node() == null ? null : facts.get(step.node());
            if (node == null || !(step.action() instanceof Action.Upload upload)) {
                continue;
            }
            ClusterPki.Issued kept = null;
            for (FileSpec file : upload.files()) {
                if (!(file.content() instanceof FileSpec.Generated generated) || !node.fileHashes().containsKey(file.path())) {
                    continue;
                }
                if (kept == null && generated.artifact() != FileSpec.Artifact.NODE_CA) {
                    kept = pki.keptServer(step.node());
                }
                // Nothing kept: an empty file's hash, which no node's file has.
                String expected = switch (generated.artifact()) {
                    case NODE_CA -> pki.hasCurrentCa() ? pki.ca().certificatePem() : "";
                    case SERVER_CERT -> kept == null ? "" : kept.certificatePem();
                    case SERVER_KEY -> kept == null ? "" : kept.privateKeyPem();
                    case CA_CERT, CA_KEY, CLIENT_CERT, CLIENT_KEY -> null;   // the cluster's own, never on a node
                };
                if (expected != null && !Fingerprint.sha256(expected).equals(node.fileHashes().get(file.path()))) {
                    outdated.add(step.id());
                }
            }
        }
        return outdated;
    }

    private static boolean isOfCa(FileSpec.Artifact artifact) {
        return artifact == FileSpec.Artifact.CA_CERT || artifact == FileSpec.Artifact.CA_KEY;
    }

    private static boolean isOfClient(FileSpec.Artifact artifact) {
        return artifact == FileSpec.Artifact.CLIENT_CERT || artifact == FileSpec.Artifact.CLIENT_KEY;
    }

    /** Runs a local PKI step: makes (or keeps) the CA or the client certificate. */
    @Override
    public StepOutcome run(Step step, String fingerprint) {
        long start = System.nanoTime();
        try {
            List<String> made = new ArrayList<>();
            for (FileSpec file : ((Action.Upload) step.action()).files()) {
                if (!(file.content() instanceof FileSpec.Generated generated)) {
                    throw new ApplyException("step " + step.id() + " has no node to write " + file.path() + " to");
                }
                content(null, generated);
                made.add(file.path());
            }
            return new StepOutcome(StepOutcome.Status.DONE, 0, String.join("\n", made), "", StepClock.secondsSince(start), 1);
        } catch (RuntimeException e) {
            return new StepOutcome(StepOutcome.Status.FAILED, -1, "", e.getMessage(), StepClock.secondsSince(start), 1);
        }
    }

    /** The bytes of a generated file for {@code node} (null for the cluster's own files). */
    public byte[] content(String node, FileSpec.Generated generated) {
        String pem = switch (generated.artifact()) {
            case CA_CERT, NODE_CA -> pki.ca().certificatePem();
            case CA_KEY -> pki.ca().privateKeyPem();
            case CLIENT_CERT -> pki.client().certificatePem();
            case CLIENT_KEY -> pki.client().privateKeyPem();
            case SERVER_CERT -> server(node).certificatePem();
            case SERVER_KEY -> server(node).privateKeyPem();
        };
        return pem.getBytes(StandardCharsets.UTF_8);
    }

    private ClusterPki.Issued server(String name) {
        NodeSpec node = cluster.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new ApplyException("no node " + name + " in the cluster"));
        List<String> ips = new ArrayList<>();
        ips.add(values.value(Refs.privateAddress(node.name())));
        ips.add(values.value(Refs.publicAddress(node.name())));
        ips.add("127.0.0.1");
        return pki.server(node.name(), CertificateNames.dns(cluster, node), ips);
    }
}
