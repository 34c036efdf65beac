package io.swarmdsl.cli;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.SpecException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code swarm validate FILE}: parse and check the script only; no plan is printed, nothing is read from the network. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a script: exit 0 when it describes a valid cluster, 2 with the place of the first error when not.")
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: {valid, errors: [{file, line, column, message, suggestion}]} on standard output")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Formats.check(spec.commandLine(), "format", format, List.of("text", "json"));
        boolean json = format.equals("json");
        ClusterSpec cluster;
        try {
            cluster = script.load(spec.commandLine());
        } catch (SpecException e) {
            return InvalidScript.report(e, json, json ? spec.commandLine().getOut() : spec.commandLine().getErr());
        }
        spec.commandLine().getOut().println(json ? InvalidScript.json(null)
                : script.name() + ": valid (cluster " + cluster.name() + ", " + cluster.nodes().size() + " nodes)");
        return 0;
    }
}
