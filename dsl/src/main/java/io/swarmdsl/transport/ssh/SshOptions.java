package io.swarmdsl.transport.ssh;

import io.swarmdsl.Invocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a transport needs besides its targets: the known_hosts file that holds the host keys, how
 * long setting up one connection may take, the ssh-agent socket to ask for keys (null: no agent)
 * and the OpenSSH client configuration that resolves host aliases (null or a missing file: none).
 */
public record SshOptions(Path knownHosts, Duration connectTimeout, Path agentSocket, Path sshConfig) {
    public SshOptions {
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
    }

    /**
     * As OpenSSH does it for the command's user: {@code ~/.ssh/known_hosts}, {@code ~/.ssh/config},
     * the agent of {@code SSH_AUTH_SOCK}, all of the command's {@link Invocation}.
     */
    public static SshOptions defaults() {
        Invocation invocation = Invocation.current();
        Path ssh = invocation.home().resolve(".ssh");
        String agent = invocation.variable("SSH_AUTH_SOCK");
        return new SshOptions(ssh.resolve("known_hosts"), Duration.ofSeconds(10),
                agent == null || agent.isBlank() ? null : invocation.resolve(Path.of(agent)), ssh.resolve("config"));
    }

    public SshOptions withKnownHosts(Path file) {
        return new SshOptions(file, connectTimeout, agentSocket, sshConfig);
    }

    /** {@code null}: offer no agent keys. */
    public SshOptions withAgentSocket(Path socket) {
        return new SshOptions(knownHosts, connectTimeout, socket, sshConfig);
    }

    /** {@code null}: resolve no aliases. */
    public SshOptions withSshConfig(Path file) {
        return new SshOptions(knownHosts, connectTimeout, agentSocket, file);
    }
}
