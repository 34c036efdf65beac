package io.swarmdsl.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code swarm completion bash|zsh}: the shell completion script, generated from the command
 * definitions themselves (picocli's generator), so that it never lags behind an option.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the shell completion script for bash or zsh. Load it with: source <(swarm completion bash)",
        footer = {"%nTo keep it: swarm completion bash > /etc/bash_completion.d/swarm, or in ~/.zshrc: source <(swarm completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Formats.check(spec.commandLine(), "shell", shell, List.of("bash", "zsh"));
        // One script serves both: picocli's loads zsh's bashcompinit when zsh sources it.
        spec.commandLine().getOut().print(AutoComplete.bash("swarm", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
