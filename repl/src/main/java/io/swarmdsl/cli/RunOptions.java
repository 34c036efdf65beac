package io.swarmdsl.cli;

import io.swarmdsl.apply.Apply;
import io.swarmdsl.cli.terminal.ConsoleView;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of the commands that carry a plan out over SSH: {@code apply} and {@code destroy}. */
final class RunOptions {
    @Option(names = "--yes", description = "do not ask: carry out the plan shown")
    boolean yes;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "32", description = "at most N steps at a time (default 32)")
    int parallel;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default: the plan, a question and the progress display) or json (one JSON event per line)")
    String format;

    /** The name this option had before {@code -f json}; kept so that existing scripts go on working. */
    @Option(names = "--json", hidden = true)
    boolean json;

    boolean json(CommandLine commandLine) {
        Formats.check(commandLine, "format", format, List.of("text", "json"));
        return json || format.equals("json");
    }

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "the known_hosts file (default ~/.ssh/known_hosts)")
    Path knownHosts;

    Apply.Options options() {
        return new Apply.Options(yes, parallel, knownHosts, false, false);
    }

    /** The plan, the question and the progress on standard output; JSON events only with {@code --json}. */
    ConsoleView view(CommandLine commandLine) {
        return new ConsoleView(System.out, ApplyCommand::askOnStandardInput, json(commandLine), Main.verbosity(commandLine.getCommandSpec()));
    }
}
