package io.swarmdsl.provider.digitalocean;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.swarmdsl.exec.ApplyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's droplets as the last apply left them, in {@code .swarm/CLUSTER/droplets.json}: each
 * node's droplet ID and addresses, and the ID of the registered SSH key. Written after every change,
 * so a run that stops part-way leaves what it created on record; the cluster tag on the droplets
 * themselves is what adoption relies on, this file only says which IDs are the cluster's.
 */
final class DropletState {
    static final String FILE = "droplets.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** One node's droplet; addresses are null until the droplet is active. */
    record Node(int id, String publicAddress, String privateAddress) {
    }

    private final Path file;
    private Integer sshKeyId;
    private final Map<String, Node> nodes = new TreeMap<>();

    DropletState(Path stateDirectory) {
        this.file = stateDirectory.resolve(FILE);
        if (Files.exists(file)) {
            try {
                Map<String, Object> saved = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
                sshKeyId = saved.get("ssh_key_id") instanceof Number id ? id.intValue() : null;
                Object droplets = saved.get("droplets");
                if (droplets instanceof Map<?, ?> map) {
                    map.forEach((name, node) -> nodes.put((String) name, JSON.convertValue(node, Node.class)));
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new ApplyException("cannot read the cluster's droplets from " + file + ": " + e.getMessage());
            }
        }
    }

    synchronized Integer sshKeyId() {
        return sshKeyId;
    }

    synchronized Node node(String name) {
        return nodes.get(name);
    }

    synchronized Map<String, Node> nodes() {
        return new TreeMap<>(nodes);
    }

    synchronized void sshKey(int id) {
        sshKeyId = id;
        save();
    }

    synchronized void put(String name, Node node) {
        nodes.put(name, node);
        save();
    }

    synchronized void remove(String name) {
        if (nodes.remove(name) != null) {
            save();
        }
    }

    /** Written whole to a new file, then moved over the old one: a crash leaves one or the other. */
    private void save() {
        Map<String, Object> saved = new TreeMap<>();
        if (sshKeyId != null) {
            saved.put("ssh_key_id", sshKeyId);
        }
        saved.put("droplets", nodes);
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(FILE + ".new");
            JSON.writeValue(next.toFile(), saved);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ApplyException("cannot record the cluster's droplets in " + file + ": " + e.getMessage());
        }
    }

    /**
     * The public addresses {@code droplets.json} in {@code stateDirectory} records, by node, as the last
     * apply or {@code swarm machines} found them (a droplet not active yet has none): for commands
     * that call no API, such as {@code swarm env} and {@code swarm status}.
     */
    public static Map<String, String> recordedAddresses(Path stateDirectory) {
        Map<String, String> addresses = new TreeMap<>();
        new DropletState(stateDirectory).nodes().forEach((node, droplet) -> {
            if (droplet.publicAddress() != null) {
                addresses.put(node, droplet.publicAddress());
            }
        });
        return addresses;
    }
}
