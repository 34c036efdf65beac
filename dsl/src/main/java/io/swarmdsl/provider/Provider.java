package io.swarmdsl.provider;

import io.swarmdsl.exec.ProviderRunner;
import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.plan.MachineSteps;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The port every provider implements, in its own package: it plans its machines' steps and its
 * teardown, and runs its own steps while applying. {@link Providers} finds the one a script names;
 * nothing else in the project knows a provider's API.
 */
public interface Provider {
    /** Whether this provider is the one {@code provider} (the script's {@code provider}) names. */
    boolean serves(ProviderSpec provider);

    /** The steps of phase one that make the machines, before SSH answers on them. */
    MachineSteps machines();

    /** The plan of {@code swarm destroy}. */
    Plan teardown(ClusterSpec spec);

    /** What the user reads once the teardown ran. */
    String afterTeardown(ClusterSpec spec);

    /** Each node's public address as the provider last recorded it, for commands that call no API; none by default. */
    default Map<String, String> recordedAddresses(Path stateDirectory) {
        return Map.of();
    }

    /**
     * What the cluster costs a month, as a line of the plan ({@code Estimated cost: $28/month}), when
     * the provider's API says so; null when it cannot. Called only when the provider's token is at hand.
     */
    default String costEstimate(ClusterSpec spec) {
        return null;
    }

    /** The provider's side of one apply or destroy, or null when its plans have no step of its own. */
    Session session(ClusterSpec spec, RunValues values, Redactor redactor, Path scriptDirectory);

    /** The provider's runner for one apply, with what it reads before the plan runs. */
    interface Session extends ProviderRunner {
        /** The machines that exist already: the provider's steps with nothing left to do, and those to replace. */
        Refresh refresh(List<Step> steps);

        /** {@code plan} with the steps that replace {@code replacements}. */
        Plan replacing(Plan plan, List<Replacement> replacements);

        /** Where a replaced machine's old host key is removed from. */
        Session withKnownHosts(Path file, HostKeys keys);

        /** What this run's steps said the user should know, one line each. */
        List<String> notes();

        /** The machines the provider's steps made or adopted, as they last left them. */
        List<Machine> made();
    }

    /** A node's machine: the provider's id of it and its addresses. */
    record Machine(String name, int id, String publicAddress, String privateAddress) {
    }

    /** What {@link Session#refresh} found. */
    record Refresh(Set<StepId> done, List<Replacement> replacements) {
    }

    /**
     * A node whose machine exists with another size or image than the script's: it is deleted and
     * made anew, so its data is lost. {@code change} says what differs ("size 512mb → s-1vcpu-1gb").
     */
    record Replacement(String node, int id, String change) {
        public String describe() {
            return node + " (" + change + ")";
        }
    }

    /** Removes a host's entries from the known_hosts file SSH checks against; how many there were. */
    @FunctionalInterface
    interface HostKeys {
        int forget(String host, int port) throws IOException;
    }
}
