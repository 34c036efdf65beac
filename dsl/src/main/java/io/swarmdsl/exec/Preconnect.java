package io.swarmdsl.exec;

import io.swarmdsl.transport.ssh.HostKeyPolicy;
import io.swarmdsl.transport.ssh.SshConnection;
import io.swarmdsl.transport.ssh.SshTarget;
import io.swarmdsl.transport.ssh.SshTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Opens, while the script still compiles, the SSH connections the last apply of the same script
 * used (the journal records them). A connection is handed over only for the very same target (host,
 * port, user, key, jump, host-key policy): the script decides, the head start just saves the
 * handshakes' time. Connections nobody takes are closed.
 */
public final class Preconnect implements AutoCloseable {
    private final Map<SshTarget, CompletableFuture<SshConnection>> pending = new ConcurrentHashMap<>();

    public Preconnect(SshTransport transport, List<SshTarget> targets) {
        for (SshTarget target : targets) {
            pending.put(target, CompletableFuture.supplyAsync(() -> {
                try {
                    return transport.connect(target);
                } catch (Exception e) {
                    // The real connect reports the problem, if it is still one.
                    return null;
                }
            }));
        }
    }

    /** The connection opened ahead for exactly this target, if it worked. */
    public Optional<SshConnection> take(SshTarget target) {
        CompletableFuture<SshConnection> future = pending.remove(target);
        if (future == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(future.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** Closes what was opened ahead to {@code node}: its machine is about to be replaced, its last address is stale. */
    public void forget(String node) {
        pending.keySet().stream().filter(target -> target.node().equals(node)).toList()
                .forEach(target -> closeWhenOpen(pending.remove(target)));
    }

    @Override
    public void close() {
        new ArrayList<>(pending.values()).forEach(Preconnect::closeWhenOpen);
        pending.clear();
    }

    private static void closeWhenOpen(CompletableFuture<SshConnection> future) {
        if (future != null) {
            future.thenAccept(connection -> {
                if (connection != null) {
                    connection.close();
                }
            });
        }
    }

    /** One line per target, as the journal keeps them. */
    public static String describe(List<SshTarget> targets) {
        List<String> lines = new ArrayList<>();
        for (SshTarget t : targets) {
            lines.add(String.join("\t", t.node(), t.host(), String.valueOf(t.port()), t.user(), nullToEmpty(t.keyPath()),
                    nullToEmpty(t.jump()), t.policy().name()));
        }
        return String.join("\n", lines);
    }

    public static List<SshTarget> parse(String described) {
        List<SshTarget> targets = new ArrayList<>();
        if (described == null) {
            return targets;
        }
        for (String line : described.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length == 7) {
                try {
                    targets.add(new SshTarget(f[0], f[1], Integer.parseInt(f[2]), f[3], f[4].isEmpty() ? null : f[4],
                            f[5].isEmpty() ? null : f[5], HostKeyPolicy.valueOf(f[6])));
                } catch (IllegalArgumentException e) {
                    // A line from another version of swarm: no head start for that node.
                }
            }
        }
        return targets;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
