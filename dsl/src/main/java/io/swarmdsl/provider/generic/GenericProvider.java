package io.swarmdsl.provider.generic;

import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.plan.MachineSteps;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Teardown;
import io.swarmdsl.provider.Provider;
import java.nio.file.Path;

/** Existing hosts (and a script that names no provider): no machines to make, the nodes put back as they were on destroy. */
public final class GenericProvider implements Provider {
    @Override
    public boolean serves(ProviderSpec provider) {
        return provider instanceof ProviderSpec.Generic || provider instanceof ProviderSpec.Unspecified;
    }

    @Override
    public MachineSteps machines() {
        return MachineSteps.NONE;
    }

    @Override
    public Plan teardown(ClusterSpec spec) {
        return Teardown.plan(spec);
    }

    @Override
    public String afterTeardown(ClusterSpec spec) {
        return "The nodes of " + spec.name() + " are as they were before the first apply.";
    }

    @Override
    public Session session(ClusterSpec spec, RunValues values, Redactor redactor, Path scriptDirectory) {
        return null;
    }
}
