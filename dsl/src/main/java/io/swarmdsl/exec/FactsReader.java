package io.swarmdsl.exec;

import io.swarmdsl.plan.NodePaths;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import io.swarmdsl.transport.ssh.ExecResult;
import io.swarmdsl.transport.ssh.SshException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Reads what each node says about itself, read-only, one command per node, all nodes at once: the
 * markers of applied steps, the hashes of the files the plan writes, whether the engine answers and
 * which containers are up.
 */
public final class FactsReader {
    private static final String ENGINE_DOWN = "--engine-down";
    private final NodeConnections connections;

    public FactsReader(NodeConnections connections) {
        this.connections = connections;
    }

    /** Facts of every node that answers; a node that cannot be reached, or has no address yet, has none (everything runs there). */
    public Map<String, NodeFacts> read(Plan plan, int parallel) {
        Map<String, Set<String>> files = new HashMap<>();
        Map<String, List<Step>> checked = new HashMap<>();
        for (Step step : plan.steps()) {
            if (step.node() != null) {
                files.computeIfAbsent(step.node(), n -> new LinkedHashSet<>()).addAll(Convergence.writtenFiles(step));
                if (step.check() != null) {
                    checked.computeIfAbsent(step.node(), n -> new ArrayList<>()).add(step);
                }
            }
        }
        Map<String, NodeFacts> facts = new ConcurrentHashMap<>();
        // A node without an address yet (a droplet still to create) is a fresh node: no facts.
        List<String> nodes = plan.cluster().nodes().stream().map(n -> n.name()).filter(connections::hasAddress).toList();
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(parallel, nodes.size())));
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (String node : nodes) {
                reads.add(pool.submit(() -> {
                    try {
                        facts.put(node, read(node, NodePaths.markers(plan.cluster().name()), files.getOrDefault(node, Set.of()),
                                checked.getOrDefault(node, List.of())));
                    } catch (SshException e) {
                        if (refusesUs(e)) {
                            // A refused key or changed host key will fail the same way when applying: say it now.
                            throw new ApplyException(e.getMessage(), e);
                        }
                        // Anything else (a node down, a dropped connection): no facts, so all its steps run
                        // and report their own errors, while the other nodes go on.
                        connections.drop(node);
                    }
                    return null;
                }));
            }
            for (Future<?> read : reads) {
                read.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ApplyException apply ? apply : new ApplyException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted while reading the nodes' facts");
        } finally {
            pool.shutdownNow();
        }
        return facts;
    }

    private static boolean refusesUs(SshException e) {
        return e.kind() == SshException.Kind.AUTH || e.kind() == SshException.Kind.HOST_KEY_CHANGED
                || e.kind() == SshException.Kind.HOST_KEY_UNKNOWN;
    }

    private NodeFacts read(String node, String markers, Set<String> files, List<Step> checked) throws SshException {
        String hashes = files.isEmpty() ? "" : "sha256sum -- " + files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(" "))
                + " 2>/dev/null; ";
        // A marker is one line: the shell's read takes it without a process per marker. The files'
        // hashes only count against markers: a node without any (a fresh one) is spared the hashing.
        String command = "if cd " + markers + " 2>/dev/null; then for f in *; do [ -f \"$f\" ] && { m=; IFS= read -r m < \"$f\"; "
                + "printf '%s %s\\n' \"$f\" \"$m\"; }; done; "
                + "echo --; " + hashes + "fi; echo --containers; docker ps -a --format '{{.Names}} {{.Status}}' 2>/dev/null || echo "
                + ENGINE_DOWN + "; "
                + checked.stream().map(s -> "echo '--check " + s.id() + "'; (" + s.check().probe() + ") 2>/dev/null; ")
                .collect(Collectors.joining()) + "true";
        ExecResult result = connections.of(node).exec(command, null, Duration.ofSeconds(60));
        Map<StepId, NodeFacts.Marker> applied = new HashMap<>();
        Map<String, String> fileHashes = new HashMap<>();
        Map<String, StringBuilder> checks = new HashMap<>();
        Map<String, Boolean> containers = new HashMap<>();
        boolean engineUp = true;
        boolean inHashes = false;
        boolean inContainers = false;
        StringBuilder check = null;
        for (String line : result.stdout().split("\n")) {
            if (line.equals("--")) {
                inHashes = true;
            } else if (line.equals("--containers")) {
                inContainers = true;
            } else if (line.equals(ENGINE_DOWN)) {
                engineUp = false;
            } else if (line.startsWith("--check ")) {
                check = checks.computeIfAbsent(line.substring("--check ".length()), id -> new StringBuilder());
            } else if (check != null) {
                check.append(line).append('\n');
            } else if (inContainers) {
                String[] parts = line.split(" ", 2);
                if (parts.length == 2) {
                    containers.put(parts[0], parts[1].startsWith("Up"));
                }
            } else if (!line.isBlank()) {
                String[] parts = line.split("\\s+", 2);
                if (parts.length == 2) {
                    if (inHashes) {
                        fileHashes.put(parts[1].trim(), parts[0]);
                    } else {
                        StepId step = StepId.parse(parts[0]);
                        if (step != null) {
                            applied.put(step, NodeFacts.Marker.parse(parts[1]));
                        }
                    }
                }
            }
        }
        Map<StepId, String> checkOutputs = new HashMap<>();
        checks.forEach((id, output) -> checkOutputs.put(StepId.parse(id), output.toString().trim()));
        return new NodeFacts(applied, fileHashes, checkOutputs, containers, engineUp);
    }
}
