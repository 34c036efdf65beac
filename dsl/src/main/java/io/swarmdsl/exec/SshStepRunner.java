package io.swarmdsl.exec;

import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.FileSpec;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepKind;
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
    private final String markers;

    public SshStepRunner(String cluster, NodeConnections connections, RunValues values, Redactor redactor, Path scriptDirectory) {
        this.markers = NodeFacts.markers(cluster);
        this.connections = connections;
        this.values = values;
        this.redactor = redactor;
        this.scriptDirectory = scriptDirectory;
    }

    /** Why this runner cannot carry out a step yet, or null when it can. */
    public static String cannotRun(Step step) {
        if (step.node() == null || step.kind() == StepKind.DOCKER || step.kind() == StepKind.PROVISION) {
            return step.kind().word() + " steps (" + step.id() + ")";
        }
        if (step.action() instanceof Action.Upload upload
                && upload.files().stream().anyMatch(f -> f.content() instanceof FileSpec.Generated)) {
            return "certificates (" + step.id() + ")";
        }
        if (step.action() instanceof Action.Wait wait && !List.of("ssh", "reboot", "consul-leader").contains(wait.condition())) {
            return "waits for " + wait.condition() + " (" + step.id() + ")";
        }
        return null;
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
                        seconds(start), attempt);
            } catch (SshException e) {
                connections.drop(step.node());
                boolean again = e.retryable() && attempt < ATTEMPTS && !(step.action() instanceof Action.Wait);
                if (!again) {
                    return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), seconds(start), attempt);
                }
                sleep(250L << attempt);
            } catch (ApplyException e) {
                return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), seconds(start), attempt);
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
            // The marker is written by the same command, only if it succeeded: one round trip.
            String command = "(\n" + values.resolve(ssh.command()) + "\n) && mkdir -p " + markers
                    + " && printf '%s' '" + fingerprint + "' > '" + marker + "'";
            return result(connection.exec(command, null, COMMAND_TIMEOUT));
        }
        List<String> hashes = new ArrayList<>();
        if (action instanceof Action.Upload upload) {
            for (FileSpec file : upload.files()) {
                byte[] content = content(file);
                connection.upload(file.path(), content, file.mode());
                hashes.add(Fingerprint.sha256(content));
            }
            writeMarker(connection, fingerprint, marker, hashes);
            return new Result(0, "");
        }
        if (action instanceof Action.Compose compose) {
            byte[] yaml = values.resolve(compose.yaml()).getBytes(StandardCharsets.UTF_8);
            connection.upload(compose.file(), yaml, "0644");
            String up = "docker compose -p " + compose.project() + " -f " + compose.file() + " up -d 2>&1 || docker-compose -p "
                    + compose.project() + " -f " + compose.file() + " up -d";
            Result result = result(connection.exec(up, null, COMMAND_TIMEOUT));
            if (result.exitCode == 0) {
                writeMarker(connection, fingerprint, marker, List.of(Fingerprint.sha256(yaml)));
            }
            return result;
        }
        throw new ApplyException("no way to run " + step.kind().word() + " step " + step.id() + " over SSH");
    }

    private void writeMarker(SshConnection connection, String fingerprint, String marker, List<String> hashes) throws SshException {
        connection.upload(marker, new NodeFacts.Marker(fingerprint, hashes).format().getBytes(StandardCharsets.UTF_8), "0644");
    }

    private byte[] content(FileSpec file) {
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
        throw new ApplyException("cannot make " + file.path() + " yet: generated files need the PKI of apply");
    }

    /** Retries the condition every second until it holds or the wait's time is up. */
    private Result waitFor(Step step, Action.Wait wait) throws SshException {
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
            sleep(1000);
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

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted");
        }
    }
}
