package io.swarmdsl.cli;

import io.swarmdsl.apply.Destroy;
import io.swarmdsl.model.SpecException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code swarm destroy FILE}: shows the teardown plan, asks, then leaves every node as it was before the first apply. */
@Command(name = "destroy", mixinStandardHelpOptions = true,
        description = "Plan the teardown (leave the Swarm, take the compositions down, put back the nodes' original files and "
                + "engine options), show it, ask, then carry it out over SSH.")
final class DestroyCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @CommandLine.Mixin
    RunOptions run;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Destroy destroy = new Destroy(run.options(), run.view(spec.commandLine()));
        try {
            return destroy.run(script.loaded(spec.commandLine()));
        } catch (SpecException e) {
            spec.commandLine().getErr().println(e.describe());
            return Main.INVALID;
        }
    }
}
