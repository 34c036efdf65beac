package io.swarmdsl.exec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Role;
import io.swarmdsl.model.SshSpec;
import io.swarmdsl.plan.Refs;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes an apply has brought into the cluster, as {@code members.json} in the state directory:
 * name, role, addresses and how to reach it over SSH (a key's path, never a secret). Only from it
 * does the next apply know a node the script no longer names, and how to take it out. An apply
 * writes the union of these and the script's nodes before it starts (a removal that fails is tried
 * again), and the script's nodes alone once it has succeeded.
 */
public final class Membership {
    public static final String FILE = "members.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Membership() {
    }

    /** One node as recorded. */
    record Member(String name, String fqdn, String role, String publicAddress, String privateAddress,
                  String user, int port, String key, String knownHosts, String jump, int reconnectSeconds) {
        static Member of(NodeSpec node, String publicAddress, String privateAddress) {
            SshSpec ssh = node.ssh();
            return new Member(node.name(), node.fqdn(), node.role().name().toLowerCase(), publicAddress, privateAddress,
                    ssh.user(), ssh.port(), ssh.key(), ssh.knownHosts(), ssh.jump(), ssh.reconnectSeconds());
        }

        NodeSpec node() {
            return new NodeSpec(name, fqdn, Role.valueOf(role.toUpperCase()), publicAddress, privateAddress,
                    new SshSpec(user, port, key, knownHosts, jump, reconnectSeconds));
        }
    }

    /** The nodes the last apply left in the cluster; none when no apply ran from this state directory. */
    public static List<NodeSpec> read(Path stateDirectory) {
        Path file = stateDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Member> members = JSON.readValue(file.toFile(), new TypeReference<List<Member>>() { });
            return members.stream().map(Member::node).toList();
        } catch (IOException | IllegalArgumentException e) {
            throw new ApplyException("cannot read the cluster's members from " + file + " (" + e.getMessage()
                    + "): put back a good copy, or remove it if no node of it is still in the cluster");
        }
    }

    /**
     * Records {@code nodes} (with the addresses {@code values} knows: a droplet's once provisioned),
     * and of {@code kept} those not among them: the nodes still leaving. Written whole or not at all.
     */
    public static void write(Path stateDirectory, List<NodeSpec> nodes, List<NodeSpec> kept, RunValues values) {
        Map<String, Member> members = new LinkedHashMap<>();
        for (NodeSpec node : nodes) {
            String address = values.knows(Refs.publicAddress(node.name()).name())
                    ? values.value(Refs.publicAddress(node.name())) : null;
            String privateAddress = values.knows(Refs.privateAddress(node.name()).name())
                    ? values.value(Refs.privateAddress(node.name())) : null;
            if (address != null) {
                members.put(node.name(), Member.of(node, address, privateAddress));
            }
        }
        for (NodeSpec node : kept) {
            members.putIfAbsent(node.name(), Member.of(node, node.publicAddress(), node.privateAddress()));
        }
        Path file = stateDirectory.resolve(FILE);
        try {
            Files.createDirectories(stateDirectory);
            Path partial = Files.createTempFile(stateDirectory, FILE, ".partial");
            JSON.writeValue(partial.toFile(), new ArrayList<>(members.values()));
            try {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ApplyException("cannot record the cluster's members in " + file + ": " + e.getMessage());
        }
    }

    /** After a destroy: no node is in the cluster any more. */
    public static void forget(Path stateDirectory) {
        try {
            Files.deleteIfExists(stateDirectory.resolve(FILE));
        } catch (IOException e) {
            throw new ApplyException("cannot remove " + stateDirectory.resolve(FILE) + ": " + e.getMessage());
        }
    }
}
