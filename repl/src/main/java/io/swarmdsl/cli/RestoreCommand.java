package io.swarmdsl.cli;

import io.swarmdsl.Invocation;
import io.swarmdsl.apply.Backup;
import io.swarmdsl.apply.Loaded;
import io.swarmdsl.cli.terminal.Verbosity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code swarm restore [FILE] -s SNAPSHOT}: the cluster's Consul state replaced by a snapshot {@code swarm backup} saved. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Replace the whole state of the cluster's Consul (KV store, ACLs and tokens, catalog, sessions) with a snapshot"
                + " swarm backup saved. Asks first; --yes does not.")
final class RestoreCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = {"-s", "--snapshot"}, paramLabel = "SNAPSHOT", required = true, description = "the snapshot swarm backup wrote")
    Path snapshot;

    @Option(names = "--yes", description = "restore without asking")
    boolean yes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // An invalid script ends the command with its place and exit code 2 (Main's handler).
        Loaded loaded = script.loaded(spec.commandLine());
        Path source = Invocation.current().resolve(snapshot);
        String what = "Restoring replaces the whole state of Consul in " + loaded.cluster().name()
                + " (KV store, ACLs and tokens, catalog) with the snapshot " + source + ".";
        if (!yes) {
            // As apply asks: a line of standard input, so a piped "yes" answers too.
            String answer = ApplyCommand.ask(System.err, what + " Type yes to go on: ");
            if (answer == null || !answer.strip().equals("yes")) {
                spec.commandLine().getErr().println("Restore cancelled. Nothing was changed.");
                return 1;
            }
        }
        Backup.Done done = Backup.restore(loaded, source);
        if (Main.verbosity(spec) != Verbosity.QUIET) {
            spec.commandLine().getErr().println("Restored " + loaded.cluster().name() + "'s Consul from " + source + " (" + done.bytes()
                    + " bytes, taken by " + done.server() + ").");
        }
        return 0;
    }
}
