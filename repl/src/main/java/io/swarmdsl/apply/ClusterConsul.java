package io.swarmdsl.apply;

import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.LocalState;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.transport.consul.ConsulHttps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The way the day-two commands (backup, restore, rotate) reach a running cluster's Consul: its
 * servers' HTTPS API with the cluster's client certificate and management token, both from the
 * state directory an apply left beside the script. Refuses, saying why, a cluster that has none.
 */
final class ClusterConsul {
    private ClusterConsul() {
    }

    /** The servers to ask, in order, for {@code what} ("back up or restore"). */
    static List<NodeSpec> servers(Loaded loaded, String what) {
        ClusterSpec cluster = loaded.cluster();
        if (!cluster.consul().enabled()) {
            throw new ApplyException("the cluster " + cluster.name() + " runs no Consul (consul false): there is nothing to " + what);
        }
        if (!cluster.consul().tls()) {
            throw new ApplyException("swarm goes through Consul's HTTPS API with the cluster's client certificate to " + what
                    + ", and this cluster's Consul has none (consul tls: false)");
        }
        if (!Files.isRegularFile(loaded.stateDirectory().resolve("cert.pem"))) {
            throw new ApplyException("no client certificate of the cluster " + cluster.name() + " in " + loaded.stateDirectory()
                    + ": apply the cluster first, from this directory");
        }
        List<NodeSpec> known = cluster.masters().stream().filter(master -> loaded.publicAddresses().apply(master) != null).toList();
        if (known.isEmpty()) {
            throw new ApplyException("no Consul server of " + cluster.name() + " has a known address yet: apply the cluster first");
        }
        return known;
    }

    static ConsulHttps api(Loaded loaded) {
        return new ConsulHttps(loaded.stateDirectory());
    }

    /** The management token when ACLs are on (these commands read or change the whole state), else none. */
    static String managementToken(Loaded loaded) throws IOException {
        if (!loaded.cluster().consul().acl()) {
            return null;
        }
        Path file = loaded.stateDirectory().resolve(LocalState.generatedSecret(Refs.CONSUL_MANAGEMENT_TOKEN.name()));
        if (!Files.exists(file)) {
            throw new ApplyException("the cluster's Consul management token is not in " + file + ": apply the cluster first, from this directory");
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
