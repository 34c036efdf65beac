package io.swarmdsl.cli;

import io.swarmdsl.Invocation;
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

/** {@code swarm plan FILE}: the dry run. Prints every step that would bring the cluster up; changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the plan of a script: every step that would bring the cluster up. Changes nothing.")
final class PlanCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "text (default; json when OUT ends in .json), json, sh (an equivalent bash script) or dot (Graphviz)")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the plan to OUT instead of standard output")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (format == null) {
            format = output != null && output.toString().endsWith(".json") ? "json" : "text";
        }
        if (!Renderer.FORMATS.contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown format '" + format + "' (formats: "
                    + String.join(", ", Renderer.FORMATS) + ")");
        }
        ClusterSpec cluster;
        try {
            cluster = script.load(spec.commandLine());
        } catch (SpecException e) {
            spec.commandLine().getErr().println(e.describe());
            return Main.INVALID;
        }
        Plan plan = Providers.plan(cluster);
        // A JSON plan names its script and the script's hash: `swarm apply plan.json` runs it as saved.
        String rendered = format.equals("json")
                ? new JsonRenderer(script.name(), Fingerprint.sha256(script.text())).render(plan)
                : Renderer.forFormat(format).render(plan);
        if (output != null) {
            write(Invocation.current().resolve(output), rendered);
            if (format.equals("sh")) {
                Invocation.current().resolve(output).toFile().setExecutable(true);
            }
            spec.commandLine().getErr().println(plan.summary() + " Written to " + output + ".");
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(rendered);
            if (format.equals("text")) {
                costEstimate(cluster, out);
            }
            out.flush();
        }
        return 0;
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
