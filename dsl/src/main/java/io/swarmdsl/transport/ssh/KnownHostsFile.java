package io.swarmdsl.transport.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The known_hosts file every session of one transport checks against. JSch's KnownHosts parses it
 * and answers; a newly accepted key is appended as OpenSSH does it, rather than by JSch, which would
 * rewrite the whole file from its own parse of it. One lock covers check and append, so sessions
 * that meet the same new host at once record it once.
 */
final class KnownHostsFile {
    private final Path file;
    private final JSch parser = new JSch();

    KnownHostsFile(Path file) {
        this.file = file;
        load();
    }

    Path file() {
        return file;
    }

    /** OK, CHANGED or NOT_INCLUDED, as {@link HostKeyRepository#check}; with {@code acceptNew} an unknown key is recorded and OK. */
    synchronized int check(String host, byte[] key, boolean acceptNew) throws IOException {
        int status = parser.getHostKeyRepository().check(host, key);
        if (status == HostKeyRepository.NOT_INCLUDED && acceptNew) {
            append(host, key);
            return HostKeyRepository.OK;
        }
        return status;
    }

    /** Whether the file lists exactly this key for the host. */
    synchronized boolean lists(String host, byte[] key) {
        return parser.getHostKeyRepository().check(host, key) == HostKeyRepository.OK;
    }

    synchronized HostKey[] keys(String host, String type) {
        return parser.getHostKeyRepository().getHostKey(host, type);
    }

    /**
     * Removes {@code host} (as known_hosts names it: {@code HOST} or {@code [HOST]:PORT}) from the
     * file, hashed entries too, as {@code ssh-keygen -R} does; other names on a line stay. The file
     * is written anew beside the old one and moved over it, with the old one's permissions.
     */
    synchronized int remove(String host) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> kept = new ArrayList<>();
        int removed = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.trim().split("\\s+", 2);
            if (line.isBlank() || fields[0].startsWith("#") || fields[0].startsWith("@") || fields.length < 2) {
                kept.add(line);
                continue;
            }
            List<String> names = new ArrayList<>(List.of(fields[0].split(",")));
            if (names.removeIf(name -> name.equals(host) || isHashOf(name, host))) {
                removed++;
                if (!names.isEmpty()) {
                    kept.add(String.join(",", names) + " " + fields[1]);
                }
            } else {
                kept.add(line);
            }
        }
        if (removed > 0) {
            Path next = file.resolveSibling(file.getFileName() + ".swarm-new");
            Files.write(next, kept, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(next, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the default permissions
            }
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            load();
        }
        return removed;
    }

    /** Whether {@code entry} is OpenSSH's hashed form of {@code host}: |1|base64(salt)|base64(HMAC-SHA1(salt, host)). */
    private static boolean isHashOf(String entry, String host) {
        String[] parts = entry.split("\\|");
        if (parts.length != 4 || !parts[0].isEmpty() || !parts[1].equals("1")) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(parts[2]), "HmacSHA1"));
            return MessageDigest.isEqual(mac.doFinal(host.getBytes(StandardCharsets.UTF_8)), Base64.getDecoder().decode(parts[3]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private void append(String host, byte[] key) throws IOException {
        HostKey entry;
        try {
            entry = new HostKey(host, key);
        } catch (JSchException e) {
            throw new IOException("unsupported host key: " + e.getMessage(), e);
        }
        Path directory = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        String line = entry.getHost() + " " + entry.getType() + " " + entry.getKey() + "\n";
        Files.writeString(file, (endsInsideALine() ? "\n" : "") + line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        load();
    }

    private boolean endsInsideALine() throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return false;
        }
        try (RandomAccessFile content = new RandomAccessFile(file.toFile(), "r")) {
            content.seek(content.length() - 1);
            return content.read() != '\n';
        }
    }

    private void load() {
        try {
            parser.setKnownHosts(file.toString());
        } catch (JSchException e) {
            throw new UncheckedIOException(new IOException("cannot read " + file + ": " + e.getMessage(), e));
        }
    }
}
