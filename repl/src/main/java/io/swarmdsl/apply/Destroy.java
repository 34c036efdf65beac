package io.swarmdsl.apply;

import io.swarmdsl.Invocation;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.exec.ApplyReport;
import io.swarmdsl.exec.Executor;
import io.swarmdsl.exec.Journal;
import io.swarmdsl.exec.Membership;
import io.swarmdsl.exec.NodeConnections;
import io.swarmdsl.exec.Preconnect;
import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.exec.SshStepRunner;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.provider.Provider;
import io.swarmdsl.provider.Providers;
import io.swarmdsl.transport.ssh.SshOptions;
import io.swarmdsl.transport.ssh.SshTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code swarm destroy}: the teardown plan of a cluster, as its provider plans it (existing hosts put
 * back as they were; DigitalOcean's droplets carrying the cluster's tag deleted), shown, confirmed, then run
 * over SSH like an apply, but leaving no step markers (its last step removes the state they live in)
 * and with a journal of its own, {@code SCRIPT.destroy.journal}. A destroy that succeeded removes
 * the apply journal too, so that the next apply starts from the nodes' facts alone.
 */
public final class Destroy {
    static final String CONFIRMATION = "\nDestroy the cluster as planned? Only 'yes' is accepted: ";

    private final Apply.Options options;
    private final ApplyView view;

    public Destroy(Apply.Options options, ApplyView view) {
        this.options = options;
        this.view = view;
    }

    public int run(Loaded loaded) {
        Provider provider = Providers.of(loaded.cluster());
        Plan plan = provider.teardown(loaded.cluster());
        view.show(plan);
        if (!options.yes() && !view.confirm(CONFIRMATION)) {
            view.say("Destroy cancelled. Nothing was changed.");
            return 1;
        }
        SshOptions ssh = options.knownHosts() == null ? SshOptions.defaults()
                : SshOptions.defaults().withKnownHosts(Invocation.current().resolve(options.knownHosts()));
        Redactor redactor = new Redactor();
        RunValues values = new RunValues(loaded.cluster(), loaded.stateDirectory(), redactor);
        Path journalPath = journalOf(loaded.journal());
        try (SshTransport transport = new SshTransport(ssh);
             Preconnect none = new Preconnect(transport, List.of());
             NodeConnections connections = new NodeConnections(loaded.cluster(), values, transport, none);
             Journal journal = new Journal(journalPath, redactor)) {
            // No uploads in a teardown: no certificates to hand over.
            Provider.Session cloud = provider.session(loaded.cluster(), values, redactor, loaded.directory());
            Executor.StepRunner runner = cloud != null ? cloud
                    : new SshStepRunner(loaded.cluster().name(), connections, values, redactor, loaded.directory(), null).withoutMarkers();
            // Nothing is skipped from an earlier destroy: every step is idempotent, and an apply since
            // then may have changed the files again.
            ApplyReport report = new Executor(plan, runner, view.progress(), journal, options.parallel())
                    .run(Map.of());
            if (!report.succeeded()) {
                view.say("Steps that failed or did not run are listed above; the journal is " + journalPath
                        + ". Run the same destroy again to go on from there.");
                return 1;
            }
        }
        forget(loaded.journal());
        Membership.forget(loaded.stateDirectory());
        view.tell(provider.afterTeardown(loaded.cluster()) + " "
                + "The cluster's local state (certificates, keys) stays in " + loaded.stateDirectory() + ".");
        return 0;
    }

    /** {@code SCRIPT.destroy.journal} beside {@code SCRIPT.journal}; {@code destroy.journal} beside a REPL cluster's {@code journal}. */
    public static Path journalOf(Path applyJournal) {
        String name = applyJournal.getFileName().toString();
        return applyJournal.resolveSibling(name.endsWith(".journal")
                ? name.substring(0, name.length() - ".journal".length()) + ".destroy.journal" : "destroy." + name);
    }

    private static void forget(Path applyJournal) {
        try {
            Files.deleteIfExists(applyJournal);
        } catch (IOException e) {
            throw new ApplyException("the nodes are destroyed, but the apply journal " + applyJournal + " could not be removed: "
                    + e.getMessage() + "; remove it before the next apply");
        }
    }
}
