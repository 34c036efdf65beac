package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.HookSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The script's hooks, before or after a phase: commands and uploads on the nodes they name, numbered per node. */
final class HookSteps {
    private final ClusterSpec spec;
    private final PlanBuilder steps;
    private final Map<String, Integer> numbers = new HashMap<>();

    HookSteps(ClusterSpec spec, PlanBuilder steps) {
        this.spec = spec;
        this.steps = steps;
    }

    void plan(HookSpec.When when, Phase phase) {
        for (HookSpec hook : spec.hooks()) {
            if (hook.when() != when || hook.phase() != phase) {
                continue;
            }
            String origin = when.name().toLowerCase() + " '" + phase.keyword() + "'"
                    + (hook.position() == null ? "" : " (line " + hook.position().line() + ")");
            for (NodeSpec node : Planner.targets(spec, hook.targets())) {
                for (HookSpec.Action action : hook.actions()) {
                    String key = phase.keyword() + "." + node.name() + "." + when.name().toLowerCase();
                    int number = numbers.merge(key, 1, Integer::sum);
                    String name = when.name().toLowerCase() + "-" + number;
                    if (action instanceof HookSpec.Run run) {
                        steps.add(phase, node.name(), name, "hook " + origin + ": run a command", new Action.Ssh(Text.of(run.command())));
                    } else if (action instanceof HookSpec.Upload upload) {
                        FileSpec.Content content = upload.source() != null ? new FileSpec.LocalFile(upload.source())
                                : new FileSpec.Inline(Text.of(upload.content()));
                        steps.add(phase, node.name(), name, "hook " + origin + ": upload " + upload.to(),
                                new Action.Upload(List.of(new FileSpec(upload.to(), upload.mode(), content))));
                    }
                }
            }
        }
    }
}
