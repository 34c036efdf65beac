package io.swarmdsl.exec;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.transport.ssh.HostKeyPolicy;
import io.swarmdsl.transport.ssh.SshConnection;
import io.swarmdsl.transport.ssh.SshException;
import io.swarmdsl.transport.ssh.SshTarget;
import io.swarmdsl.transport.ssh.SshTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One SSH connection per node, opened when first needed and reused by every step of that node
 * (facts, commands, uploads). A connection that failed is dropped so the next attempt reconnects.
 */
public final class NodeConnections implements AutoCloseable {
    private final ClusterSpec spec;
    private final RunValues values;
    private final SshTransport transport;
    private final Map<String, SshConnection> open = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Preconnect preconnect;

    public NodeConnections(ClusterSpec spec, RunValues values, SshTransport transport, Preconnect preconnect) {
        this.spec = spec;
        this.values = values;
        this.transport = transport;
        this.preconnect = preconnect;
    }

    public SshConnection of(String node) throws SshException {
        SshConnection connection = open.get(node);
        if (connection != null) {
            return connection;
        }
        synchronized (locks.computeIfAbsent(node, n -> new Object())) {
            connection = open.get(node);
            if (connection == null) {
                SshTarget target = target(spec.node(node));
                connection = preconnect.take(target).orElse(null);
                if (connection == null) {
                    connection = transport.connect(target);
                }
                open.put(node, connection);
            }
            return connection;
        }
    }

    /** How long {@code node} may stay unreachable while its step is tried again ({@code ssh reconnect}). */
    public long reconnectNanos(String node) {
        return java.util.concurrent.TimeUnit.SECONDS.toNanos(spec.node(node).ssh().reconnectSeconds());
    }

    public boolean isOpen(String node) {
        return open.containsKey(node);
    }

    public void drop(String node) {
        SshConnection connection = open.remove(node);
        if (connection != null) {
            connection.close();
        }
    }

    /** The targets of every node with a known address, for the journal: the next apply of this script connects to them ahead. */
    public List<SshTarget> targets() {
        return spec.nodes().stream().filter(node -> hasAddress(node.name())).map(this::target).toList();
    }

    /** Whether the node's address is known yet: a droplet's only once it is provisioned. */
    public boolean hasAddress(String node) {
        return values.knows(Refs.publicAddress(node).name());
    }

    private SshTarget target(NodeSpec node) {
        String host = values.value(Refs.publicAddress(node.name()));
        HostKeyPolicy policy = node.ssh().knownHosts().equals("strict") ? HostKeyPolicy.STRICT : HostKeyPolicy.ACCEPT_NEW;
        return new SshTarget(node.name(), host, node.ssh().port(), node.ssh().user(), node.ssh().key(), node.ssh().jump(), policy);
    }

    /** Releases every connection: the run is over and they worked (a process that holds sessions may keep them). */
    @Override
    public void close() {
        open.keySet().forEach(node -> {
            SshConnection connection = open.remove(node);
            if (connection != null) {
                connection.release();
            }
        });
    }
}
