package io.swarmdsl.cli;

import io.swarmdsl.apply.Loaded;
import io.swarmdsl.apply.Status;
import io.swarmdsl.exec.ClusterStatus;
import io.swarmdsl.model.SpecException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code swarm status FILE}: the live cluster as its engines report it (TLS, the cluster's client
 * certificate): every node's engine, its place in the Swarm, the leader, and the planned containers.
 * Exit code 1 when any node is not as the script wants it.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Read the live cluster through the Docker Engine API and print its nodes, roles, health, engine versions and leader.")
final class StatusCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Formats.check(spec.commandLine(), "format", format, Status.FORMATS);
        Loaded loaded;
        try {
            loaded = script.loaded(spec.commandLine());
        } catch (SpecException e) {
            return InvalidScript.report(e, format.equals("json"), spec.commandLine().getErr());
        }
        ClusterStatus status = Status.read(loaded);
        System.out.print(Status.render(status, format));
        return status.healthy() ? 0 : 1;
    }
}
