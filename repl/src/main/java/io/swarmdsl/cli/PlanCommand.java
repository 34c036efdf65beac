package io.swarmdsl.cli;

import io.swarmdsl.Invocation;
import io.swarmdsl.apply.Apply;
import io.swarmdsl.cli.terminal.ConsoleView;
import io.swarmdsl.cli.terminal.Verbosity;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.Secret;
import io.swarmdsl.model.SpecException;
import io.swarmdsl.plan.Fingerprint;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.provider.Providers;
import io.swarmdsl.render.JsonRenderer;
import io.swarmdsl.render.Renderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code swarm plan FILE}: the dry run. Prints every step that would bring the cluster up; changes
 * nothing. Offline unless {@code --refresh}: then the nodes are read as {@code apply} reads them, and
 * only what is left to do is shown.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the plan of a script: every step that would bring the cluster up. Changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the plan was printed (with --detailed-exitcode: no changes)", "1:an error",
                "2:the script or the command line is invalid (with --detailed-exitcode: changes are present; an invalid script is 1)"})
final class PlanCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "text (default; else what OUT's extension says: .json, .sh, .dot), json, sh (an equivalent bash script) or dot (Graphviz)")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the plan to OUT instead of standard output (- is standard output)")
    Path output;

    @Option(names = "--refresh", description = "read the nodes (read-only, over SSH, as apply does before it runs) and show only what would change")
    boolean refresh;

    @Option(names = "--detailed-exitcode", description = "exit 0 when there are no changes, 1 on an error, 2 when changes are present (as terraform's)")
    boolean detailedExitCode;

    @Option(names = "--offline", description = "no network at all: no price estimate from the provider's API")
    boolean offline;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "with --refresh: the known_hosts file (default ~/.ssh/known_hosts)")
    Path knownHosts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Verbosity verbosity = Main.verbosity(spec);
        boolean quiet = verbosity == Verbosity.QUIET;
        format = Formats.chosen(format, output);
        Formats.check(spec.commandLine(), "format", format, Renderer.FORMATS);
        if (refresh && offline) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--refresh reads the nodes over the network: it cannot be --offline");
        }
        ClusterSpec cluster;
        try {
            cluster = script.load(spec.commandLine());
        } catch (SpecException e) {
            InvalidScript.report(e, format.equals("json"), spec.commandLine().getErr());
            return detailedExitCode ? 1 : Main.INVALID;
        }
        // With the nodes the last apply left in the cluster (the state directory's members.json): those no longer in the script leave it.
        Plan plan = refresh ? refreshed(cluster, verbosity) : script.loaded(cluster).plan();
        if (plan == null) {
            return 1;
        }
        // A JSON plan names its script and the script's hash: `swarm apply plan.json` runs it as saved.
        String rendered = plan.steps().isEmpty() && format.equals("text") ? Apply.NO_CHANGES + "\n"
                : format.equals("json") ? new JsonRenderer(script.name(), Fingerprint.sha256(script.text()), refresh).render(plan)
                : Renderer.forFormat(format).render(plan);
        if (!Formats.isStandardOutput(output)) {
            write(Invocation.current().resolve(output), rendered);
            if (format.equals("sh")) {
                Invocation.current().resolve(output).toFile().setExecutable(true);
            }
            if (!quiet) {
                spec.commandLine().getErr().println(plan.summary() + " Written to " + output + ".");
            }
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(rendered);
            if (format.equals("text") && !offline && !refresh && !quiet) {
                costEstimate(cluster, out);
            }
            out.flush();
        }
        return !detailedExitCode ? 0 : plan.steps().isEmpty() ? 0 : 2;
    }

    /** What an apply would run now, read from the nodes; null when the live cluster differs in a way no step repairs. */
    private Plan refreshed(ClusterSpec cluster, Verbosity verbosity) {
        // What was left out and why: on standard error, so that the plan alone is on standard output.
        ConsoleView view = new ConsoleView(System.err, question -> null, false, verbosity);
        Apply.Options options = new Apply.Options(false, Apply.Options.defaults().parallel(), knownHosts, false, false);
        Apply.Refreshed refreshed = new Apply(options, view).refresh(script.lastJournal(), () -> script.loaded(cluster));
        if (refreshed.plan().steps().isEmpty() && refreshed.unhealthy()) {
            spec.commandLine().getErr().println(Apply.NOTHING_REPAIRS);
            return null;
        }
        return refreshed.plan();
    }

    private void write(Path file, String rendered) {
        try {
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot write the plan to " + output
                    + ": the directory " + file.toAbsolutePath().getParent() + " does not exist");
        } catch (AccessDeniedException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot write the plan to " + output
                    + ": permission denied");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot write the plan to " + output + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static boolean mayBeAtHand(Secret token) {
        switch (token.source()) {
            case ENV:
                return Invocation.current().variable(token.reference()) != null;
            case FILE:
                return Files.exists(Invocation.current().resolve(token.reference()));
            default:
                return true;
        }
    }

    /** With the provider's token at hand, the machines' monthly price from its API; without one, nothing and no network. */
    private void costEstimate(ClusterSpec cluster, PrintWriter out) {
        // Decided before a provider's client loads: most plans have no token at hand.
        Secret token = cluster.provider().token();
        if (token == null || !mayBeAtHand(token)) {
            return;
        }
        try {
            String line = Providers.of(cluster).costEstimate(cluster);
            if (line != null) {
                out.println(line);
            }
        } catch (ApplyException e) {
            spec.commandLine().getErr().println("(no cost estimate: " + e.getMessage() + ")");
        }
    }
}
