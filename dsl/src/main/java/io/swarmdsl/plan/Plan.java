package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The steps that bring the cluster described by {@code cluster} up, in a dependency graph. */
public record Plan(ClusterSpec cluster, List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
    }

    /** {@code Plan: 87 steps on 7 nodes: 3 provision, 21 ssh, …} — the line a reviewer reads first. */
    public String summary() {
        Map<StepKind, Long> byKind = new EnumMap<>(StepKind.class);
        steps.forEach(s -> byKind.merge(s.kind(), 1L, Long::sum));
        String kinds = byKind.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().word())
                .collect(Collectors.joining(", "));
        int nodes = cluster.nodes().size();
        return "Plan: " + steps.size() + " steps on " + nodes + (nodes == 1 ? " node" : " nodes")
                + (kinds.isEmpty() ? "." : ": " + kinds + ".");
    }
}
