package io.swarmdsl.plan;

/**
 * Where things live on a node, in one place: the files the plan writes, and the directory where a
 * node keeps what it knows of a cluster (the steps' markers, the originals destroy puts back).
 */
public final class NodePaths {
    /** The engine's directory, which holds the node's CA, certificate and key. */
    public static final String CERTIFICATES = "/etc/docker";
    public static final String CA = CERTIFICATES + "/ca.pem";
    public static final String CERT = CERTIFICATES + "/server.pem";
    public static final String KEY = CERTIFICATES + "/server-key.pem";
    public static final String DAEMON_JSON = "/etc/docker/daemon.json";
    /** The drop-in the engine's restart writes on systemd hosts. */
    public static final String DOCKER_DROP_IN = "/etc/systemd/system/docker.service.d/10-swarm.conf";
    public static final String CONSUL_CONFIG = "/etc/consul/config.json";
    /** The servers Consul joins and how many bootstrap: read only when Consul starts. */
    public static final String CONSUL_JOIN = "/etc/consul/join.json";
    public static final String CONSUL_COMPOSE = "/etc/consul/docker-compose.yml";
    public static final String SWARM_COMPOSE = "/etc/swarm/docker-compose.yml";
    public static final String RESOLV_CONF = "/etc/resolv.conf";
    public static final String HOSTNAME = "/etc/hostname";
    public static final String HOSTS = "/etc/hosts";
    /** Where memory accounting adds to the kernel's command line (kept for destroy). */
    public static final String GRUB_DEFAULTS = "/etc/default/grub";
    private static final String STATE = "/var/lib/swarm";

    private NodePaths() {
    }

    public static String composeFile(String composition) {
        return "/etc/swarm/compose/" + composition + "/docker-compose.yml";
    }

    /** The parent of every cluster's state directory, removed once the last cluster is gone. */
    public static String stateRoot() {
        return STATE;
    }

    /** Touched once Consul has reloaded the node's certificates (its container started before them); destroy removes it with the state. */
    public static String consulCertificatesLoaded(String cluster) {
        return state(cluster) + "/consul-certificates-loaded";
    }

    /** Where a node keeps what it knows of {@code cluster}. */
    public static String state(String cluster) {
        return STATE + "/" + cluster;
    }

    /** The markers of a cluster's steps: one file per step. */
    public static String markers(String cluster) {
        return state(cluster) + "/steps";
    }

    /** The originals of the files the plan changes, for destroy. */
    public static String originals(String cluster) {
        return state(cluster) + "/originals";
    }

    /** The boot a reboot step left, kept until the node runs another. */
    public static String rebootPending(String cluster) {
        return state(cluster) + "/reboot-pending";
    }
}
