package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;

/** The planner of one phase: it owns its steps, and asks {@link NodeFiles} for the documents they write. */
abstract class PhaseSteps {
    /** How long a node may take to answer SSH (a new droplet, a reboot). */
    static final int SSH_TIMEOUT = 300;
    /** How long a master's Consul server may take to be back in its cluster after a restart. */
    static final int CONSUL_BACK_SECONDS = 120;

    final ClusterSpec spec;
    final NodeFiles files;
    final PlanBuilder steps;

    PhaseSteps(ClusterSpec spec, NodeFiles files, PlanBuilder steps) {
        this.spec = spec;
        this.files = files;
        this.steps = steps;
    }

    abstract void plan();
}
