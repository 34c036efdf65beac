package io.swarmdsl.exec;

import io.swarmdsl.Invocation;
import io.swarmdsl.model.Phase;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Condition;
import io.swarmdsl.plan.FileSpec;
import io.swarmdsl.plan.Fingerprint;
import io.swarmdsl.plan.NodePaths;
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
 *
 * <p>Over 350 lines because each kind of step it runs writes and reads the same markers within one
 * connection's retry loop; the marker protocol itself is {@link NodeFacts.Marker}'s.
 */
public final class SshStepRunner implements Executor.StepRunner {
    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
    /** The longest pause between two attempts to reach a node that does not answer. */
    private static final long MAX_PAUSE_MILLIS = 5000;
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
        this.markers = NodePaths.markers(cluster);
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
        long lost = 0;
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
                lost = lost == 0 ? System.nanoTime() : lost;
                if (!e.retryable() || step.action() instanceof Action.Wait) {
                    return gaveUp(e, start, attempt);
                }
                if (!stillTrying(step.node(), lost)) {
                    return gaveUp(unreachable(e, lost, attempt), start, attempt);
                }
                StepClock.pause(pause(step.node(), lost, attempt));
            } catch (ApplyException e) {
                return gaveUp(e, start, attempt);
            }
        }
    }

    private record Result(int exitCode, String output) {
    }

    /** Commands join: a node's consecutive commands run in one exec, saving a channel and a shell per step. */
    @Override
    public boolean joins(Step step) {
        return step.action() instanceof Action.Ssh;
    }

    /**
     * One exec for all of {@code steps}, each in a subshell of its own as if it ran alone (its
     * stderr merged into its stdout), each followed by its marker if it succeeded and by a line
     * that tells this runner how it ended; the exec stops at the first that fails. Lost connections
     * are retried as for one step, from the first step not yet ended.
     */
    @Override
    public void runInOne(List<Step> steps, List<String> fingerprints, Executor.EachStep each) {
        if (steps.size() == 1) {
            Executor.StepRunner.super.runInOne(steps, fingerprints, each);
            return;
        }
        int ended = 0;
        int attempt = 0;
        long lost = 0;
        List<String> waiting = pendingMarkers.getOrDefault(steps.get(0).node(), List.of());
        each.started(steps.get(0));
        while (ended < steps.size()) {
            attempt++;
            long start = System.nanoTime();
            StepLines lines = new StepLines(steps.subList(ended, steps.size()), each, attempt, start);
            try {
                SshConnection connection = connections.of(steps.get(0).node());
                ExecResult result = connection.exec(joined(lines.steps, fingerprints.subList(ended, fingerprints.size()), lines.marks.mark(),
                                ended == 0 ? waiting : List.of()),
                        null, COMMAND_TIMEOUT.multipliedBy(lines.steps.size()), lines.marks);
                ended += lines.ended();
                if (lines.failed()) {
                    return;
                }
                if (ended < steps.size()) {
                    // The exec ended without a word on this step: it never got to it (the shell died first).
                    Step step = steps.get(ended);
                    each.ended(step, new StepOutcome(StepOutcome.Status.FAILED, result.exitCode(), tail(redactor.redact(result.stderr())),
                            "ended without running: exit code " + result.exitCode(), StepClock.secondsSince(start), attempt));
                    return;
                }
                written(steps.get(0).node(), waiting);
            } catch (ApplyException e) {
                each.ended(steps.get(ended), gaveUp(e, start, attempt));
                return;
            } catch (SshException e) {
                ended += lines.ended();
                connections.drop(steps.get(0).node());
                if (lines.failed() || ended == steps.size()) {
                    return; // lost after the last step had ended: nothing is left to retry
                }
                lost = lost == 0 ? System.nanoTime() : lost;
                if (!e.retryable() || !stillTrying(steps.get(0).node(), lost)) {
                    each.ended(steps.get(ended), gaveUp(e.retryable() ? unreachable(e, lost, attempt) : e, start, attempt));
                    return;
                }
                StepClock.pause(pause(steps.get(0).node(), lost, attempt));
            }
        }
    }

    /**
     * Whether a node lost since {@code lostNanos} is tried again: for as long as {@code ssh reconnect}
     * allows (a reboot, a network blip), then its step fails and the other nodes go on.
     */
    private boolean stillTrying(String node, long lostNanos) {
        return System.nanoTime() - lostNanos <= connections.reconnectNanos(node);
    }

    /** Growing pauses, the last one ending when the reconnect time is up: then one more attempt. */
    private long pause(String node, long lostNanos, int attempt) {
        long left = (connections.reconnectNanos(node) - (System.nanoTime() - lostNanos)) / 1_000_000;
        return Math.max(0, Math.min(Math.min(250L << Math.min(attempt, 5), MAX_PAUSE_MILLIS), left));
    }

    private static ApplyException unreachable(SshException e, long lostNanos, int attempts) {
        return new ApplyException(String.format("unreachable for %.0f s (%d attempts): %s", StepClock.secondsSince(lostNanos),
                attempts, e.getMessage()));
    }

    /** A step that failed without an exit code of its own: the connection, or a value it needed. */
    private StepOutcome gaveUp(Exception e, long start, int attempt) {
        return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), StepClock.secondsSince(start), attempt);
    }

    /** The script of {@link #runInOne}: the markers of earlier uploads ride along after the first step. */
    private String joined(List<Step> steps, List<String> fingerprints, String mark, List<String> waiting) {
        // The markers' directory is made once, up front: no mkdir process per step.
        boolean marked = steps.stream().allMatch(this::marks);
        StringBuilder script = new StringBuilder(marked ? markersDirectory() + " || exit $?\n" : "");
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Action.Ssh ssh = (Action.Ssh) step.action();
            List<String> writes = new ArrayList<>();
            if (marked) {
                if (i == 0) {
                    writes.addAll(waiting);
                }
                writes.add(writeMarker(markers + "/" + step.id(), fingerprints.get(i), List.of()));
            }
            script.append("(\n").append(values.resolve(ssh.command())).append("\n) 2>&1; r=$?\n");
            if (!writes.isEmpty()) {
                script.append("[ $r != 0 ] || { ").append(String.join(" && ", writes)).append("; } || r=$?\n");
            }
            script.append("printf '\\n%s %s\\n' '").append(mark).append("' $r; [ $r = 0 ] || exit $r\n");
        }
        return script.toString();
    }

    /** Tells {@code each} of every step's end, as {@link StepMarks} finds it, and of the next one's start. */
    private final class StepLines implements StepMarks.Ended {
        final List<Step> steps;
        final StepMarks marks = new StepMarks(this);
        private final Executor.EachStep each;
        private final int attempt;
        private long stepStart;
        private int ended;
        private boolean failed;

        StepLines(List<Step> steps, Executor.EachStep each, int attempt, long start) {
            this.steps = steps;
            this.each = each;
            this.attempt = attempt;
            this.stepStart = start;
        }

        synchronized int ended() {
            return ended;
        }

        synchronized boolean failed() {
            return failed;
        }

        @Override
        public synchronized void step(String output, int code) {
            Step step = steps.get(ended++);
            each.ended(step, new StepOutcome(code == 0 ? StepOutcome.Status.DONE : StepOutcome.Status.FAILED, code,
                    tail(redactor.redact(output)), code == 0 ? "" : "exit code " + code, StepClock.secondsSince(stepStart), attempt));
            stepStart = System.nanoTime();
            if (code != 0) {
                failed = true;
            } else if (ended < steps.size()) {
                each.started(steps.get(ended));
            }
        }
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
            return runWithMarkers(connection, step.node(), values.resolve(ssh.command()),
                    marks(step) ? writeMarker(marker, fingerprint, List.of()) : null);
        }
        if (action instanceof Action.Upload upload) {
            List<String> hashes = new ArrayList<>();
            for (FileSpec file : upload.files()) {
                byte[] content = content(step.node(), file);
                connection.upload(file.path(), content, file.mode());
                hashes.add(Fingerprint.sha256(content));
            }
            if (writeMarkers) {
                String write = writeMarker(marker, fingerprint, hashes);
                pendingMarkers.merge(step.node(), List.of(write), (waiting, added) -> concat(waiting, added));
            }
            return new Result(0, "");
        }
        if (action instanceof Action.Compose compose) {
            byte[] yaml = values.resolve(compose.yaml()).getBytes(StandardCharsets.UTF_8);
            connection.upload(compose.file(), yaml, "0644");
            String up = Action.Compose.command(compose.project(), compose.file(), Action.Compose.UP);
            return runWithMarkers(connection, step.node(), up, writeMarker(marker, fingerprint, List.of(Fingerprint.sha256(yaml))));
        }
        throw new ApplyException("no way to run " + step.kind().word() + " step " + step.id() + " over SSH");
    }

    /**
     * A step leaves a marker, but in a plan that is no bring-up ({@code swarm destroy}) and for a node
     * leaving the cluster: their last step removes the state directory the markers live in.
     */
    private boolean marks(Step step) {
        return writeMarkers && step.phase() != Phase.DESTROY;
    }

    /** Runs {@code command}; if it succeeds, writes the markers waiting for this node and its own ({@code ownMarker} null: none). */
    private Result runWithMarkers(SshConnection connection, String node, String command, String ownMarker) throws SshException {
        if (!writeMarkers || ownMarker == null) {
            return result(connection.exec(command, null, COMMAND_TIMEOUT));
        }
        List<String> waiting = pendingMarkers.getOrDefault(node, List.of());
        List<String> writes = new ArrayList<>(waiting);
        writes.add(ownMarker);
        String script = "(\n" + command + "\n) && " + markersDirectory() + " && " + String.join(" && ", writes);
        Result result = result(connection.exec(script, null, COMMAND_TIMEOUT));
        if (result.exitCode == 0) {
            written(node, waiting);
        }
        return result;
    }

    /**
     * Forgets the markers a command has written. Only those: the steps after a joined command's
     * first may already be done by then, and their uploads may have left markers of their own.
     */
    private void written(String node, List<String> writes) {
        pendingMarkers.computeIfPresent(node, (n, waiting) -> {
            List<String> left = waiting.stream().filter(write -> !writes.contains(write)).toList();
            return left.isEmpty() ? null : left;
        });
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return List.copyOf(both);
    }

    /** Writes the markers of uploads that no later command carried, one command per node. */
    public void flushMarkers() {
        pendingMarkers.forEach((node, writes) -> {
            try {
                connections.of(node).exec(markersDirectory() + " && " + String.join(" && ", writes), null, Duration.ofSeconds(60));
            } catch (SshException e) {
                // The node is gone: its next apply uploads those files again, which is harmless.
            }
        });
        pendingMarkers.clear();
    }

    /** Makes the markers' directory if it is missing: a test of the shell's own where it exists, not a mkdir process. */
    private String markersDirectory() {
        return "{ [ -d " + markers + " ] || mkdir -p " + markers + "; }";
    }

    private static String writeMarker(String marker, String fingerprint, List<String> hashes) {
        return "printf '%s' '" + new NodeFacts.Marker(fingerprint, hashes).format().trim() + "' > '" + marker + "'";
    }

    private byte[] content(String node, FileSpec file) {
        if (file.content() instanceof FileSpec.Inline inline) {
            return values.resolve(inline.text()).getBytes(StandardCharsets.UTF_8);
        }
        if (file.content() instanceof FileSpec.LocalFile local) {
            Path path = Invocation.current().resolve(scriptDirectory, local.path());
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
        if (wait.condition() instanceof Condition.SshAnswers && connections.isOpen(step.node())) {
            // The facts were just read over this very connection: SSH answers.
            return new Result(0, "");
        }
        Condition.NodeProbe probe = wait.condition() instanceof Condition.NodeProbe onNode ? onNode : null;
        long deadline = System.nanoTime() + Duration.ofSeconds(wait.timeoutSeconds()).toNanos();
        SshException last = null;
        while (System.nanoTime() < deadline) {
            try {
                SshConnection connection = connections.of(step.node());
                ExecResult result = connection.exec(probe == null ? "true" : values.resolve(probe.probe()), null, Duration.ofSeconds(30));
                if (result.exitCode() == 0) {
                    return new Result(0, "");
                }
                if (probe != null && probe.hopeless() != 0 && result.exitCode() == probe.hopeless()) {
                    throw new ApplyException(result.stdout().strip());
                }
                if (probe != null && probe.reconnects()) {
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
        throw new ApplyException("gave up waiting after " + wait.timeoutSeconds() + " s for " + wait.condition().word() + " "
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
