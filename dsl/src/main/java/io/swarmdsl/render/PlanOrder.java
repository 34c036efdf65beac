package io.swarmdsl.render;

import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The order a reviewer reads a plan in: by phase, then the cluster's own steps, then node by node. */
final class PlanOrder {
    private PlanOrder() {
    }

    /**
     * Phase → node (null for the cluster's own steps) → steps, in plan order within each node. The
     * nodes leaving the cluster come first: they leave before anything else changes.
     */
    static Map<Phase, Map<String, List<Step>>> grouped(Plan plan) {
        Map<Phase, Map<String, List<Step>>> groups = new LinkedHashMap<>();
        List<Phase> phases = new ArrayList<>(List.of(Phase.DESTROY));
        phases.addAll(Phase.bringUp());
        for (Phase phase : phases) {
            Map<String, List<Step>> byNode = new LinkedHashMap<>();
            byNode.put(null, new ArrayList<>());
            for (NodeSpec node : plan.cluster().leaving()) {
                byNode.put(node.name(), new ArrayList<>());
            }
            for (NodeSpec node : plan.cluster().nodes()) {
                byNode.put(node.name(), new ArrayList<>());
            }
            groups.put(phase, byNode);
        }
        for (Step step : plan.steps()) {
            groups.get(step.phase()).get(step.node()).add(step);
        }
        groups.values().forEach(byNode -> byNode.values().removeIf(List::isEmpty));
        groups.values().removeIf(Map::isEmpty);
        return groups;
    }

    static List<Step> reading(Plan plan) {
        List<Step> ordered = new ArrayList<>(plan.steps().size());
        grouped(plan).values().forEach(byNode -> byNode.values().forEach(ordered::addAll));
        return ordered;
    }
}
