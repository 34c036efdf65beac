package io.swarmdsl.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.model.ConsulSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Secret;
import io.swarmdsl.plan.LocalState;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.transport.consul.ConsulHttps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code swarm rotate gossip}: a new gossip key for a running cluster through Consul's keyring,
 * with no restart and no moment without encryption: the new key is installed on every member, then
 * used, then kept in the state directory (nodes that join later get it from there), and only then
 * is the old one removed. Consul keeps the keys in its data directory's keyring, which a restart
 * uses over the key its configuration names, so the nodes' configurations are not rewritten (an
 * apply does not see a secret's value change: its steps' fingerprints leave secrets out). Keys are
 * never printed.
 */
public final class GossipRotation {
    private static final String KEYRING = "/v1/operator/keyring";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GossipRotation() {
    }

    /** The server that carried it out, and how many members hold the new key (and only it) in each pool. */
    public record Rotated(String server, List<String> pools) {
    }

    public static Rotated rotate(Loaded loaded) {
        Secret key = loaded.cluster().consul().encrypt();
        if (key == null) {
            throw new ApplyException("the cluster " + loaded.cluster().name() + " has no gossip encryption to rotate: consul encrypt true"
                    + " turns it on");
        }
        if (key.source() != Secret.Source.GENERATED) {
            throw new ApplyException("the gossip key comes from " + key.origin() + ", not from swarm: put a new key there"
                    + " (consul keygen) and rotate it with consul keyring -install, -use and -remove");
        }
        List<NodeSpec> servers = ClusterConsul.servers(loaded, "rotate the gossip key of");
        Path keyFile = loaded.stateDirectory().resolve(LocalState.generatedSecret(Refs.GOSSIP_KEY.name()));
        String old;
        try {
            old = Files.readString(keyFile, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new ApplyException("the cluster's gossip key is not in " + keyFile + ": apply the cluster first, from this directory");
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String fresh = Base64.getEncoder().encodeToString(bytes);
        List<String> errors = new ArrayList<>();
        for (NodeSpec server : servers) {
            String address = loaded.publicAddresses().apply(server);
            try {
                String token = ClusterConsul.managementToken(loaded);
                ConsulHttps consul = ClusterConsul.api(loaded);
                // Install and use fail with nothing changed for the members: the old key still works everywhere.
                keyring(consul, address, "POST", fresh, token, "install the new key on every member");
                keyring(consul, address, "PUT", fresh, token, "use the new key");
                keep(keyFile, fresh);
                keyring(consul, address, "DELETE", old, token, "remove the old key (the new one is in use and kept in " + keyFile + ")");
                return new Rotated(server.name(), pools(consul, address, token, fresh));
            } catch (IOException e) {
                errors.add(server.name() + ": " + e.getMessage());
            }
        }
        throw new ApplyException("no Consul server could rotate the key (" + String.join("; ", errors) + ")");
    }

    private static void keyring(ConsulHttps consul, String address, String method, String key, String token, String what) throws IOException {
        ConsulHttps.Answer answer = consul.call(address, ConsulSpec.HTTPS_PORT, method, KEYRING, token,
                JSON.createObjectNode().put("Key", key).toString());
        if (!answer.ok()) {
            throw new ApplyException("Consul refused to " + what + ": " + answer.status() + " " + answer.body().replace(key, "(sensitive)"));
        }
    }

    /** The keyring as the members report it, pool by pool; refuses one where any member lacks the new key or keeps another. */
    private static List<String> pools(ConsulHttps consul, String address, String token, String fresh) throws IOException {
        ConsulHttps.Answer answer = consul.call(address, ConsulSpec.HTTPS_PORT, "GET", KEYRING, token, null);
        if (!answer.ok()) {
            throw new ApplyException("the new key is in use, but Consul did not list its keyring: " + answer.status() + " " + answer.body());
        }
        List<String> pools = new ArrayList<>();
        for (JsonNode pool : JSON.readTree(answer.body())) {
            String name = pool.path("WAN").asBoolean() ? "WAN" : "LAN " + pool.path("Datacenter").asText();
            int members = pool.path("NumNodes").asInt();
            JsonNode keys = pool.path("Keys");
            if (keys.size() != 1 || keys.path(fresh).asInt() != members) {
                throw new ApplyException("the " + name + " pool does not hold the new key alone on all its " + members
                        + " members yet (" + keys.size() + " keys): consul keyring -list on a server shows it");
            }
            pools.add(name + ": " + members + " members");
        }
        return pools;
    }

    private static void keep(Path keyFile, String key) throws IOException {
        Path partial = keyFile.resolveSibling(keyFile.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, key + "\n", StandardCharsets.UTF_8);
        Files.move(partial, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
