package io.swarmdsl.exec;

import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.FileSpec;
import io.swarmdsl.plan.Step;
import io.swarmdsl.transport.ssh.ExecResult;
import io.swarmdsl.transport.ssh.SshConnection;
import io.swarmdsl.transport.ssh.SshException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out the steps that go over SSH: commands, uploads, compositions and the waits that a node
 * can answer itself. After each change it leaves a marker on the node (fingerprint and file hashes)
 * that the next apply reads as a fact. Connection trouble is retried with backoff within a bound;
 * refused keys and changed host keys are not.
 */
public final class SshStepRunner implements Executor.StepRunner {
    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
    private static final int ATTEMPTS = 4;
    private static final int OUTPUT_TAIL = 2000;

    private final NodeConnections connections;
    private final RunValues values;
    private final Redactor redactor;
    private final Path scriptDirectory;
    private final Certificates certificates;
    private final String markers;
    /**
     * Markers of finished uploads not yet on their node: each rides along with the node's next
     * command, saving a round trip; {@link #flushMarkers} writes what is left. A marker lost to a
     * kill only makes the next apply upload the same file again.
     */
    private final Map<String, List<String>> pendingMarkers = new ConcurrentHashMap<>();
    /** False for {@code swarm destroy}: its last step removes the state directory the markers live in. */
    private volatile boolean writeMarkers = true;

    public SshStepRunner(String cluster, NodeConnections connections, RunValues values, Redactor redactor, Path scriptDirectory,
                         Certificates certificates) {
        this.markers = NodeFacts.markers(cluster);
        this.certificates = certificates;
        this.connections = connections;
        this.values = values;
        this.redactor = redactor;
        this.scriptDirectory = scriptDirectory;
    }

    /** Leaves no step markers on the nodes: for a plan that is not a bring-up ({@code swarm destroy}). */
    public SshStepRunner withoutMarkers() {
        writeMarkers = false;
        return this;
    }

    @Override
    public StepOutcome run(Step step, String fingerprint) {
        long start = System.nanoTime();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                Result result = attempt(step, fingerprint);
                return new StepOutcome(result.exitCode == 0 ? StepOutcome.Status.DONE : StepOutcome.Status.FAILED,
                        result.exitCode, tail(result.output), result.exitCode == 0 ? "" : "exit code " + result.exitCode,
                        StepClock.secondsSince(start), attempt);
            } catch (SshException e) {
                connections.drop(step.node());
                boolean again = e.retryable() && attempt < ATTEMPTS && !(step.action() instanceof Action.Wait);
                if (!again) {
                    return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), StepClock.secondsSince(start), attempt);
                }
                StepClock.pause(250L << attempt);
            } catch (ApplyException e) {
                return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), StepClock.secondsSince(start), attempt);
            }
        }
    }

    private record Result(int exitCode, String output) {
    }

    private Result attempt(Step step, String fingerprint) throws SshException {
        Action action = step.action();
        if (action instanceof Action.Wait wait) {
            return waitFor(step, wait);
        }
        SshConnection connection = connections.of(step.node());
        String marker = markers + "/" + step.id();
        if (action instanceof Action.Ssh ssh) {
            // The step's own marker is written by the same command, only if it succeeded.
            return runWithMarkers(connection, step.node(), values.resolve(ssh.command()), writeMarker(marker, fingerprint, List.of()));
        }
        if (action instanceof Action.Upload upload) {
            List<String> hashes = new ArrayList<>();
            for (FileSpec file : upload.files()) {
                byte[] content = content(step.node(), file);
                connection.upload(file.path(), content, file.mode());
                hashes.add(Fingerprint.sha256(content));
            }
            if (writeMarkers) {
                pendingMarkers.computeIfAbsent(step.node(), n -> new ArrayList<>()).add(writeMarker(marker, fingerprint, hashes));
            }
            return new Result(0, "");
        }
        if (action instanceof Action.Compose compose) {
            byte[] yaml = values.resolve(compose.yaml()).getBytes(StandardCharsets.UTF_8);
            connection.upload(compose.file(), yaml, "0644");
            String up = Action.Compose.command(compose.project(), compose.file(), "up -d");
            return runWithMarkers(connection, step.node(), up, writeMarker(marker, fingerprint, List.of(Fingerprint.sha256(yaml))));
        }
        throw new ApplyException("no way to run " + step.kind().word() + " step " + step.id() + " over SSH");
    }

    /** Runs {@code command}; if it succeeds, writes the markers waiting for this node and its own. */
    private Result runWithMarkers(SshConnection connection, String node, String command, String ownMarker) throws SshException {
        if (!writeMarkers) {
            return result(connection.exec(command, null, COMMAND_TIMEOUT));
        }
        List<String> waiting = pendingMarkers.getOrDefault(node, List.of());
        List<String> writes = new ArrayList<>(waiting);
        writes.add(ownMarker);
        String script = "(\n" + command + "\n) && mkdir -p " + markers + " && " + String.join(" && ", writes);
        Result result = result(connection.exec(script, null, COMMAND_TIMEOUT));
        if (result.exitCode == 0) {
            pendingMarkers.remove(node);
        }
        return result;
    }

    /** Writes the markers of uploads that no later command carried, one command per node. */
    public void flushMarkers() {
        pendingMarkers.forEach((node, writes) -> {
            try {
                connections.of(node).exec("mkdir -p " + markers + " && " + String.join(" && ", writes), null, Duration.ofSeconds(60));
            } catch (SshException e) {
                // The node is gone: its next apply uploads those files again, which is harmless.
            }
        });
        pendingMarkers.clear();
    }

    private static String writeMarker(String marker, String fingerprint, List<String> hashes) {
        return "printf '%s' '" + new NodeFacts.Marker(fingerprint, hashes).format().trim() + "' > '" + marker + "'";
    }

    private byte[] content(String node, FileSpec file) {
        if (file.content() instanceof FileSpec.Inline inline) {
            return values.resolve(inline.text()).getBytes(StandardCharsets.UTF_8);
        }
        if (file.content() instanceof FileSpec.LocalFile local) {
            Path path = scriptDirectory.resolve(local.path().replaceFirst("^~", System.getProperty("user.home")));
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new ApplyException("cannot read the local file " + path + " to upload to " + file.path() + ": " + e.getMessage());
            }
        }
        return certificates.content(node, (FileSpec.Generated) file.content());
    }

    /** Retries the condition every second until it holds or the wait's time is up. */
    private Result waitFor(Step step, Action.Wait wait) throws SshException {
        if (wait.condition().equals("ssh") && connections.isOpen(step.node())) {
            // The facts were just read over this very connection: SSH answers.
            return new Result(0, "");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(wait.timeoutSeconds()).toNanos();
        SshException last = null;
        while (System.nanoTime() < deadline) {
            try {
                SshConnection connection = connections.of(step.node());
                String check = switch (wait.condition()) {
                    case "reboot" -> "grep -q swapaccount=1 /proc/cmdline";
                    case "consul-leader" -> "curl -fsS " + values.resolve(wait.target()) + " | grep -q :";
                    default -> "true";
                };
                ExecResult result = connection.exec(check, null, Duration.ofSeconds(30));
                if (result.exitCode() == 0) {
                    return new Result(0, "");
                }
                if (wait.condition().equals("reboot")) {
                    connections.drop(step.node());
                }
            } catch (SshException e) {
                if (!e.retryable()) {
                    throw e;
                }
                last = e;
                connections.drop(step.node());
            }
            StepClock.pause(1000);
        }
        String why = last == null ? "" : ": " + last.getMessage();
        throw new ApplyException("gave up waiting after " + wait.timeoutSeconds() + " s for " + wait.condition() + " "
                + wait.target().display() + why);
    }

    private Result result(ExecResult exec) {
        String output = exec.stdout() + (exec.stderr().isEmpty() ? "" : (exec.stdout().isEmpty() ? "" : "\n") + exec.stderr());
        return new Result(exec.exitCode(), redactor.redact(output));
    }

    private static String tail(String output) {
        String trimmed = output.strip();
        return trimmed.length() <= OUTPUT_TAIL ? trimmed : "…" + trimmed.substring(trimmed.length() - OUTPUT_TAIL);
    }
}
