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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

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

    synchronized HostKey[] keys(String host, String type) {
        return parser.getHostKeyRepository().getHostKey(host, type);
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
