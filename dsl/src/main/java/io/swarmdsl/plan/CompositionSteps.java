package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ComposeSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;

/** The script's own compositions, each on the nodes it names. */
final class CompositionSteps extends PhaseSteps {
    CompositionSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        super(spec, files, steps);
    }

    @Override
    void plan() {
        for (ComposeSpec composition : spec.compositions()) {
            for (NodeSpec node : Planner.targets(spec, composition.targets())) {
                steps.add(Phase.COMPOSE, node.name(), composition.name(), "bring up the composition " + composition.name(),
                        new Action.Compose(composition.name(), NodePaths.composeFile(composition.name()), Text.of(composition.yaml())));
            }
        }
    }
}
