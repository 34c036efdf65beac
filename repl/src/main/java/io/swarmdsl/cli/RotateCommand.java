package io.swarmdsl.cli;

import io.swarmdsl.apply.GossipRotation;
import io.swarmdsl.apply.Loaded;
import io.swarmdsl.cli.terminal.Verbosity;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code swarm rotate gossip [FILE]}: a new secret for a running cluster, with no downtime. */
@Command(name = "rotate", mixinStandardHelpOptions = true, subcommands = RotateCommand.Gossip.class,
        description = "Replace a secret of a running cluster without downtime: swarm rotate gossip.")
final class RotateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to rotate: swarm rotate gossip [FILE]");
    }

    @Command(name = "gossip", mixinStandardHelpOptions = true,
            description = "A new gossip key through Consul's keyring: installed on every member, used, kept in the state directory,"
                    + " then the old one removed; no restart. Consul keeps it in its keyring, which a restart uses.")
    static final class Gossip implements Callable<Integer> {
        @CommandLine.Mixin
        ScriptSource script;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            // An invalid script ends the command with its place and exit code 2 (Main's handler).
            Loaded loaded = script.loaded(spec.commandLine());
            GossipRotation.Rotated rotated = GossipRotation.rotate(loaded);
            if (Main.verbosity(spec) != Verbosity.QUIET) {
                spec.commandLine().getErr().println("Rotated the gossip key of " + loaded.cluster().name() + " through " + rotated.server()
                        + ": the new key alone on every member (" + String.join(", ", rotated.pools()) + "), the old one removed."
                        + " Consul keeps it in its keyring (a restart uses it); nodes that join later get it from the state directory.");
            }
            return 0;
        }
    }
}
