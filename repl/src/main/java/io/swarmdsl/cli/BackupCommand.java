package io.swarmdsl.cli;

import io.swarmdsl.Invocation;
import io.swarmdsl.apply.Backup;
import io.swarmdsl.apply.Loaded;
import io.swarmdsl.cli.terminal.Verbosity;
import io.swarmdsl.model.SwarmSpec;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code swarm backup [FILE]}: a snapshot of the cluster's Consul (KV, ACLs, catalog) in a local file. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Save a snapshot of the cluster's Consul (its KV store, ACLs and tokens, catalog, sessions) to a local file,"
                + " readable by you only: it holds the cluster's secrets. swarm restore puts it back.")
final class BackupCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = {"-s", "--snapshot"}, paramLabel = "SNAPSHOT",
            description = "where to write it (default: CLUSTER-consul-YYYYMMDD-HHMMSS.snap in the working directory)")
    Path snapshot;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // An invalid script ends the command with its place and exit code 2 (Main's handler).
        Loaded loaded = script.loaded(spec.commandLine());
        Path target = Invocation.current().resolve(snapshot != null ? snapshot
                : Path.of(loaded.cluster().name() + "-consul-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".snap"));
        Backup.Done done = Backup.save(loaded, target);
        if (Main.verbosity(spec) != Verbosity.QUIET) {
            spec.commandLine().getErr().println("Saved Consul's snapshot of " + loaded.cluster().name() + " (" + done.bytes() + " bytes, from "
                    + done.server() + ") to " + target + ", readable by you only: it holds the cluster's secrets.");
        }
        if (loaded.cluster().swarm().flavor() == SwarmSpec.Flavor.MODE) {
            // Said even when quiet: a user must not take this file for a backup of the Swarm.
            spec.commandLine().getErr().println("Swarm mode's own state (its raft: services, secrets, the managers) is not in it:"
                    + " this version of swarm does not back it up. Docker's way: stop one manager's engine, copy its /var/lib/docker/swarm,"
                    + " start it again.");
        }
        return 0;
    }
}
