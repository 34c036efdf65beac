package io.swarmdsl.cli;

import io.swarmdsl.apply.Apply;
import io.swarmdsl.model.SpecException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code swarm apply FILE}: reads the nodes' facts, plans what is left to do, shows it, asks, and
 * runs exactly that plan. A saved plan ({@code swarm plan -f json -o plan.json}) runs as saved.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Plan, show the plan, ask, then carry it out over SSH. Resumes from the journal after a failure or a kill.")
final class ApplyCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @CommandLine.Mixin
    RunOptions run;

    @CommandLine.Mixin
    ReplaceOption replacing;

    @CommandLine.Option(names = "--remove", description = "with --yes: take out of the cluster the nodes the script no longer names "
            + "(and the servers of masters become agents), as the plan shows; without it, --yes refuses such a plan")
    boolean remove;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Apply apply = new Apply(run.options().withReplace(replacing.replace).withRemove(remove), run.view(spec.commandLine()));
        try {
            return apply.run(script.lastJournal(), () -> script.loaded(spec.commandLine()));
        } catch (SpecException e) {
            spec.commandLine().getErr().println(e.describe());
            return Main.INVALID;
        }
    }

    static String askOnStandardInput(String question) {
        return ask(System.out, question);
    }

    /** Prints {@code question} on {@code prompt} and reads one line of standard input for the answer; null at its end. */
    static String ask(PrintStream prompt, String question) {
        prompt.print(question);
        prompt.flush();
        try {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
