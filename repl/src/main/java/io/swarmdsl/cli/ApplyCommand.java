package io.swarmdsl.cli;

import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.exec.ApplyListener;
import io.swarmdsl.exec.ApplyReport;
import io.swarmdsl.exec.Convergence;
import io.swarmdsl.exec.Executor;
import io.swarmdsl.exec.FactsReader;
import io.swarmdsl.exec.Journal;
import io.swarmdsl.exec.JsonProgress;
import io.swarmdsl.exec.LiveProgress;
import io.swarmdsl.exec.NodeConnections;
import io.swarmdsl.exec.PlainProgress;
import io.swarmdsl.exec.Preconnect;
import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.exec.SshStepRunner;
import io.swarmdsl.model.SpecException;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Planner;
import io.swarmdsl.render.TextRenderer;
import io.swarmdsl.transport.ssh.SshOptions;
import io.swarmdsl.transport.ssh.SshTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swarm apply FILE}: reads the nodes' facts, plans what is left to do, shows it, asks, and
 * runs exactly that plan. A saved plan ({@code swarm plan -f json -o plan.json}) runs as saved.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Plan, show the plan, ask, then carry it out over SSH. Resumes from the journal after a failure or a kill.")
final class ApplyCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = "--yes", description = "do not ask: apply the plan shown")
    boolean yes;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "32", description = "at most N steps at a time (default 32)")
    int parallel;

    @Option(names = "--json", description = "stream one JSON event per line instead of the progress display")
    boolean json;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "the known_hosts file (default ~/.ssh/known_hosts)")
    Path knownHosts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        SshOptions options = knownHosts == null ? SshOptions.defaults() : SshOptions.defaults().withKnownHosts(knownHosts);
        try (SshTransport transport = new SshTransport(options);
             Preconnect preconnect = new Preconnect(transport, Preconnect.parse(Journal.lastTargets(journalBeside(script))))) {
            Loaded loaded;
            try {
                loaded = Loaded.of(script, spec.commandLine());
            } catch (SpecException e) {
                spec.commandLine().getErr().println(e.describe());
                return Main.INVALID;
            }
            Plan full = Planner.plan(loaded.cluster());
            List<String> notYet = full.steps().stream().map(SshStepRunner::cannotRun).filter(Objects::nonNull).distinct().toList();
            if (!notYet.isEmpty()) {
                throw new ApplyException("this version of swarm cannot apply " + String.join(", ", notYet.subList(0, Math.min(3, notYet.size())))
                        + (notYet.size() > 3 ? " and " + (notYet.size() - 3) + " more" : "")
                        + ": Docker Engine API, certificate and cloud steps come with the Docker and DigitalOcean work. Nothing was changed.");
            }
            Redactor redactor = new Redactor();
            RunValues values = new RunValues(loaded.cluster(), loaded.stateDirectory(), redactor);
            values.resolveSecrets();
            try (NodeConnections connections = new NodeConnections(loaded.cluster(), values, transport, preconnect)) {
                return apply(out, loaded, full, values, redactor, connections);
            }
        }
    }

    private int apply(PrintStream out, Loaded loaded, Plan full, RunValues values, Redactor redactor, NodeConnections connections) {
        Plan plan = loaded.saved() ? full : Convergence.converge(full, new FactsReader(connections).read(full, parallel));
        if (plan.steps().isEmpty()) {
            out.println("No changes. The cluster matches the script.");
            return 0;
        }
        if (!json) {
            out.print(new TextRenderer().render(plan));
        }
        if (!yes && !confirmed(out)) {
            out.println("Apply cancelled. Nothing was changed.");
            return 1;
        }
        Map<String, String> doneBefore = Journal.done(loaded.journal());
        SshStepRunner runner = new SshStepRunner(loaded.cluster().name(), connections, values, redactor, loaded.directory());
        try (Journal journal = new Journal(loaded.journal(), redactor)) {
            journal.record(new java.util.LinkedHashMap<>(Map.of("event", "targets", "targets", Preconnect.describe(connections.targets()))));
            ApplyReport report = new Executor(plan, runner, listener(out), journal, parallel).run(doneBefore);
            runner.flushMarkers();
            if (!report.succeeded()) {
                out.println("Steps that failed or did not run are listed above; the journal is " + loaded.journal()
                        + ". Run the same apply again to go on from there.");
            }
            return report.succeeded() ? 0 : 1;
        }
    }

    /** The journal of a script file (where the last apply's connections are recorded), or null. */
    private static Path journalBeside(ScriptSource script) {
        return script.file == null ? null : Loaded.journalOf(script.file);
    }

    private ApplyListener listener(PrintStream out) {
        if (json) {
            return new JsonProgress(out);
        }
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"))
                ? new LiveProgress(out) : new PlainProgress(out);
    }

    private static boolean confirmed(PrintStream out) {
        out.print("\nApply this plan? Only 'yes' is accepted: ");
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return "yes".equals(answer == null ? null : answer.trim());
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
