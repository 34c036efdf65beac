package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS names a node's certificate carries, in one place for the plan, the apply that issues it
 * and the {@code sh} script. A Consul server's also carries Consul's server name: with
 * {@code verify_server_hostname} every agent and server asks it of a server, so a certificate of
 * an agent node cannot make its holder a server.
 */
public final class CertificateNames {
    private CertificateNames() {
    }

    /** The node's name, its FQDN and localhost, and {@link #consulServer} on a node that runs a Consul server over TLS. */
    public static List<String> dns(ClusterSpec spec, NodeSpec node) {
        List<String> names = new ArrayList<>(List.of(node.name(), node.fqdn(), "localhost"));
        if (node.isMaster() && spec.consul().enabled() && spec.consul().tls()) {
            names.add(consulServer(spec));
        }
        return names;
    }

    /** {@code server.DATACENTER.DOMAIN}: the name Consul expects on a server's certificate. */
    public static String consulServer(ClusterSpec spec) {
        return "server." + spec.datacenter() + "." + spec.domain();
    }
}
