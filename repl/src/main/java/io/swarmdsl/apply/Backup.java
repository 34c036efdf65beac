package io.swarmdsl.apply;

import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.model.ConsulSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.transport.consul.ConsulHttps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code swarm backup} and {@code swarm restore}: Consul's snapshot of the cluster's state (the KV
 * store, ACLs and tokens, the catalog, sessions, prepared queries), taken from and given to the
 * servers over HTTPS with the cluster's client certificate and management token. A snapshot holds
 * the cluster's secrets: it is written readable by its owner only, and never shown.
 */
public final class Backup {
    private static final String SNAPSHOT = "/v1/snapshot";

    private Backup() {
    }

    /** Which server answered, and how many bytes it gave or took. */
    public record Done(String server, long bytes) {
    }

    /** Saves a snapshot of the cluster's Consul to {@code file} (mode 0600), replacing it only once the snapshot is whole. */
    public static Done save(Loaded loaded, Path file) {
        List<String> errors = new ArrayList<>();
        for (NodeSpec server : ClusterConsul.servers(loaded, "back up or restore")) {
            String address = loaded.publicAddresses().apply(server);
            try {
                ConsulHttps.Binary answer = ClusterConsul.api(loaded).transfer(address, ConsulSpec.HTTPS_PORT, "GET", SNAPSHOT, ClusterConsul.managementToken(loaded), null);
                if (answer.status() != 200) {
                    errors.add(server.name() + ": " + answer.status() + " " + answer.text());
                    continue;
                }
                Path partial = file.resolveSibling(file.getFileName() + ".partial");
                Files.deleteIfExists(partial);
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(partial, answer.body());
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new Done(server.name(), answer.body().length);
            } catch (IOException e) {
                errors.add(server.name() + ": " + e.getMessage());
            }
        }
        throw new ApplyException("no Consul server gave a snapshot (" + String.join("; ", errors) + "): a snapshot needs a server"
                + " with a leader; swarm status says what is wrong");
    }

    /** Gives the snapshot in {@code file} to the cluster's Consul, which replaces its whole state with it. */
    public static Done restore(Loaded loaded, Path file) {
        byte[] snapshot;
        try {
            snapshot = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ApplyException("cannot read the snapshot " + file + ": " + e.getMessage());
        }
        // A Consul snapshot is a gzipped archive: anything else is refused before a server sees it.
        if (snapshot.length < 2 || (snapshot[0] & 0xff) != 0x1f || (snapshot[1] & 0xff) != 0x8b) {
            throw new ApplyException(file + " is not a Consul snapshot (swarm backup writes one): nothing was changed");
        }
        List<String> errors = new ArrayList<>();
        for (NodeSpec server : ClusterConsul.servers(loaded, "back up or restore")) {
            String address = loaded.publicAddresses().apply(server);
            try {
                ConsulHttps.Binary answer = ClusterConsul.api(loaded).transfer(address, ConsulSpec.HTTPS_PORT, "PUT", SNAPSHOT, ClusterConsul.managementToken(loaded), snapshot);
                if (answer.status() == 200) {
                    return new Done(server.name(), snapshot.length);
                }
                errors.add(server.name() + ": " + answer.status() + " " + answer.text());
                if (answer.status() != 500 || !answer.text().contains("leader")) {
                    break;   // Consul refused the snapshot itself: another server would too
                }
            } catch (IOException e) {
                errors.add(server.name() + ": " + e.getMessage());
            }
        }
        throw new ApplyException("Consul did not take the snapshot (" + String.join("; ", errors) + "): its state is as it was");
    }
}
