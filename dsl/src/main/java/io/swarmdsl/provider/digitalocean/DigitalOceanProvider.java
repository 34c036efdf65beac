package io.swarmdsl.provider.digitalocean;

import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.plan.MachineSteps;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.provider.Provider;
import java.nio.file.Path;
import java.util.Map;

/** DigitalOcean: droplets made, adopted or replaced in phase one, deleted on destroy. */
public final class DigitalOceanProvider implements Provider {
    @Override
    public boolean serves(ProviderSpec provider) {
        return provider instanceof ProviderSpec.DigitalOcean;
    }

    @Override
    public MachineSteps machines() {
        return new DropletSteps();
    }

    @Override
    public Plan teardown(ClusterSpec spec) {
        return DropletTeardown.plan(spec);
    }

    @Override
    public String afterTeardown(ClusterSpec spec) {
        return "The droplets of " + spec.name() + " are deleted.";
    }

    @Override
    public Map<String, String> recordedAddresses(Path stateDirectory) {
        return DropletState.recordedAddresses(stateDirectory);
    }

    @Override
    public String costEstimate(ClusterSpec spec) {
        return MonthlyCost.lineIfTokenAtHand(spec);
    }

    @Override
    public Session session(ClusterSpec spec, RunValues values, Redactor redactor, Path scriptDirectory) {
        return Provisioner.of(spec, values, redactor, scriptDirectory);
    }
}
