package io.swarmdsl.cli;

import io.swarmdsl.render.Schemas;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code swarm schema plan|events}: the JSON Schema of the plan JSON or of the apply's event stream, for tools to check against. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the JSON Schema (draft 2020-12) of the plan JSON (plan) or of the apply's JSON event stream (events).")
final class SchemaCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "plan or events")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Formats.check(spec.commandLine(), "schema", name, Schemas.NAMES);
        spec.commandLine().getOut().print(Schemas.text(name));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
