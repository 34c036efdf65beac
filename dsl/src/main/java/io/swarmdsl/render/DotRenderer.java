package io.swarmdsl.render;

import io.swarmdsl.model.Phase;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import java.util.List;
import java.util.Map;

/** The plan as a Graphviz graph: one box per step, one cluster per phase, one arrow per dependency. */
public final class DotRenderer implements Renderer {

    @Override
    public String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("digraph \"").append(escape(plan.cluster().name())).append("\" {\n")
                .append("  rankdir=LR;\n")
                .append("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n")
                .append("  label=\"").append(escape(plan.summary())).append("\";\n");
        for (Map.Entry<Phase, Map<String, List<Step>>> phase : PlanOrder.grouped(plan).entrySet()) {
            out.append("  subgraph \"cluster_").append(phase.getKey().keyword()).append("\" {\n")
                    .append("    label=\"").append(phase.getKey().keyword()).append("\";\n");
            for (List<Step> steps : phase.getValue().values()) {
                for (Step step : steps) {
                    out.append("    \"").append(escape(step.id().toString())).append("\" [label=\"").append(escape(step.id().toString()))
                            .append("\\n(").append(step.kind().word()).append(") ").append(escape(step.summary())).append("\"")
                            .append(step.sensitive() ? ", color=\"firebrick\"" : "").append("];\n");
                }
            }
            out.append("  }\n");
        }
        for (Step step : PlanOrder.reading(plan)) {
            for (StepId before : step.after()) {
                out.append("  \"").append(escape(before.toString())).append("\" -> \"").append(escape(step.id().toString())).append("\";\n");
            }
        }
        return out.append("}\n").toString();
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
