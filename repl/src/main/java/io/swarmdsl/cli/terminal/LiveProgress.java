package io.swarmdsl.cli.terminal;

import io.swarmdsl.exec.ApplyListener;
import io.swarmdsl.exec.ApplyReport;
import io.swarmdsl.exec.StepOutcome;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Progress on a terminal: one line per node (current step, done/total, elapsed), redrawn in place
 * at most ten times a second; failures are printed above it as they happen.
 */
public final class LiveProgress implements ApplyListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintStream out;
    private final Map<String, NodeLine> lines = new LinkedHashMap<>();
    private final Map<String, Integer> totals = new HashMap<>();
    private int drawn;
    private long lastDraw;
    private long start;

    public LiveProgress(PrintStream out) {
        this.out = out;
    }

    private static final class NodeLine {
        String current = "waiting";
        int done;
        boolean failed;
    }

    @Override
    public synchronized void starting(Plan plan, int alreadyDone) {
        start = System.nanoTime();
        lines.put("(cluster)", new NodeLine());
        for (NodeSpec node : plan.cluster().nodes()) {
            lines.put(node.name(), new NodeLine());
        }
        for (Step step : plan.steps()) {
            totals.merge(key(step), 1, Integer::sum);
        }
        lines.keySet().removeIf(name -> !totals.containsKey(name));
        draw(true);
    }

    @Override
    public synchronized void started(Step step) {
        lines.get(key(step)).current = step.id().toString();
        draw(false);
    }

    @Override
    public synchronized void ended(Step step, StepOutcome outcome) {
        NodeLine line = lines.get(key(step));
        line.done++;
        if (outcome.status() == StepOutcome.Status.FAILED) {
            line.failed = true;
            line.current = step.id() + " FAILED";
            clear();
            out.println(key(step) + ": " + step.id() + " failed: " + outcome.message());
            outcome.output().lines().forEach(l -> out.println("    | " + l));
            draw(true);
        } else {
            if (line.done == totals.get(key(step)) && !line.failed) {
                line.current = "done";
            }
            draw(false);
        }
    }

    @Override
    public synchronized void finished(ApplyReport report) {
        draw(true);
        out.println(report.summary());
    }

    private static String key(Step step) {
        return step.node() == null ? "(cluster)" : step.node();
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        clear();
        List<String> text = new ArrayList<>();
        double elapsed = (now - start) / 1e9;
        for (Map.Entry<String, NodeLine> entry : lines.entrySet()) {
            NodeLine line = entry.getValue();
            text.add(String.format("%-12s %3d/%-3d %6.1fs  %s", entry.getKey(), line.done, totals.get(entry.getKey()), elapsed,
                    line.current));
        }
        text.forEach(out::println);
        drawn = text.size();
        out.flush();
    }

    /** Moves the cursor back over the lines drawn last and clears them. */
    private void clear() {
        for (int i = 0; i < drawn; i++) {
            out.print("\u001b[1A\u001b[2K");
        }
        drawn = 0;
    }
}
