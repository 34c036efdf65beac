package io.swarmdsl.apply;

import io.swarmdsl.Invocation;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.exec.ApplyReport;
import io.swarmdsl.exec.Certificates;
import io.swarmdsl.exec.ClusterStatus;
import io.swarmdsl.exec.ConsulAcls;
import io.swarmdsl.exec.ConsulHandOvers;
import io.swarmdsl.exec.ConsulLeaves;
import io.swarmdsl.exec.ConsulMembers;
import io.swarmdsl.exec.Convergence;
import io.swarmdsl.exec.DockerStepRunner;
import io.swarmdsl.exec.Executor;
import io.swarmdsl.exec.FactsReader;
import io.swarmdsl.exec.Journal;
import io.swarmdsl.exec.Membership;
import io.swarmdsl.exec.NodeConnections;
import io.swarmdsl.exec.NodeFacts;
import io.swarmdsl.exec.PlanRunner;
import io.swarmdsl.exec.Preconnect;
import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.exec.SshStepRunner;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.StepId;
import io.swarmdsl.provider.Provider;
import io.swarmdsl.provider.Providers;
import io.swarmdsl.transport.consul.ConsulHttps;
import io.swarmdsl.transport.consul.ConsulRaft;
import io.swarmdsl.transport.docker.DockerEngines;
import io.swarmdsl.transport.ssh.SshException;
import io.swarmdsl.transport.ssh.SshOptions;
import io.swarmdsl.transport.ssh.SshTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An apply, for {@code swarm apply} and the REPL's {@code :apply} alike: reads the nodes' facts,
 * plans what is left to do, shows it, asks, and runs exactly that plan with the progress display.
 */
public final class Apply {
    /**
     * The command line's apply options; {@code knownHosts} null means {@code ~/.ssh/known_hosts};
     * {@code replace}: with {@code yes}, droplets whose size or image changed may be replaced.
     */
    public record Options(boolean yes, int parallel, Path knownHosts, boolean replace, boolean remove) {
        public static Options defaults() {
            return new Options(false, 32, null, false, false);
        }

        public Options withReplace(boolean replaceDroplets) {
            return new Options(yes, parallel, knownHosts, replaceDroplets, remove);
        }

        /** With {@code --remove}: {@code --yes} takes nodes out of the cluster. */
        public Options withRemove(boolean removeNodes) {
            return new Options(yes, parallel, knownHosts, replace, removeNodes);
        }
    }

    static final String CONFIRMATION = "\nApply this plan? Only 'yes' is accepted: ";
    public static final String NO_CHANGES = "No changes. The cluster matches the script.";
    public static final String NOTHING_REPAIRS = "No step of the plan checks or repairs this: the script matches, the live cluster does not.";

    private final Options options;
    private final ApplyView view;

    public Apply(Options options, ApplyView view) {
        this.options = options;
        this.view = view;
    }

    /** Applies a cluster typed in the REPL: state and journal in {@code .swarm/CLUSTER/} of {@code directory}, as {@code apply -e}. */
    public int run(ClusterSpec cluster, Path directory) {
        Loaded loaded = Loaded.inDirectory(cluster, directory);
        return run(loaded.journal(), () -> loaded);
    }

    /**
     * What is left to do on the live cluster: the plan once the nodes' facts, the droplets and the
     * live services are read; {@code unhealthy} when the live cluster differs from the script.
     */
    public record Refreshed(Plan plan, boolean unhealthy, List<Provider.Replacement> replacements) {
        public boolean noChanges() {
            return plan.steps().isEmpty() && !unhealthy;
        }
    }

    /**
     * Connects again to the nodes {@code lastJournal} records while {@code load} reads the script (so
     * the SSH handshakes overlap the compile), then applies what it loaded.
     */
    public int run(Path lastJournal, Supplier<Loaded> load) {
        return withLiveCluster(lastJournal, load, live -> carryOut(live,
                live.loaded().saved() ? new Refreshed(live.full(), false, List.of()) : refresh(live)));
    }

    /**
     * What {@code swarm plan --refresh} shows: the plan an apply would run now, read from the nodes
     * exactly as {@code apply} reads them before it asks; nothing runs on any node.
     */
    public Refreshed refresh(Path lastJournal, Supplier<Loaded> load) {
        return withLiveCluster(lastJournal, load, this::refresh);
    }

    private <T> T withLiveCluster(Path lastJournal, Supplier<Loaded> load, Function<Live, T> body) {
        SshOptions ssh = options.knownHosts() == null ? SshOptions.defaults()
                : SshOptions.defaults().withKnownHosts(Invocation.current().resolve(options.knownHosts()));
        try (SshTransport transport = new SshTransport(ssh);
             Preconnect preconnect = new Preconnect(transport, Preconnect.parse(Journal.lastTargets(lastJournal)))) {
            Loaded loaded = load.get();
            Plan full = loaded.plan();
            List<String> notYet = PlanRunner.cannotRun(full);
            if (!notYet.isEmpty()) {
                throw new ApplyException("this version of swarm cannot apply " + String.join(", ", notYet.subList(0, Math.min(3, notYet.size())))
                        + (notYet.size() > 3 ? " and " + (notYet.size() - 3) + " more" : "")
                        + ": the script names no provider; use provider 'generic' for existing hosts, or provider 'digitalocean'. "
                        + "Nothing was changed.");
            }
            Redactor redactor = new Redactor();
            RunValues values = new RunValues(loaded.cluster(), loaded.stateDirectory(), redactor);
            values.resolveSecrets();
            Certificates certificates = new Certificates(loaded.cluster(), values);
            Provider.Session cloud = Providers.of(loaded.cluster()).session(loaded.cluster(), values, redactor, loaded.directory());
            if (cloud != null) {
                cloud.withKnownHosts(transport.knownHostsFile(), transport::forgetHostKey);
            }
            try (NodeConnections connections = new NodeConnections(loaded.cluster(), values, transport, preconnect);
                 DockerEngines engines = new DockerEngines(loaded.stateDirectory(), loaded.cluster().engine().tls())) {
                ConsulHttps consul = new ConsulHttps(loaded.stateDirectory());
                ConsulAcls.refuseLostManagementToken(loaded.cluster(), connections, values);
                return body.apply(new Live(loaded, full, values, redactor, connections, certificates, engines, cloud, preconnect, consul,
                        new ConsulAcls(consul, values, redactor)));
            }
        }
    }

    /** An apply's connections to the cluster and what it knows of it. */
    private record Live(Loaded loaded, Plan full, RunValues values, Redactor redactor, NodeConnections connections,
                        Certificates certificates, DockerEngines engines, Provider.Session cloud, Preconnect preconnect,
                        ConsulHttps consul, ConsulAcls acls) {
    }

    private Refreshed refresh(Live live) {
        Plan full = live.full();
        Loaded loaded = live.loaded();
        Provider.Session cloud = live.cloud();
        Set<StepId> doneLocally = new HashSet<>(live.certificates().doneLocally(full.steps()));
        Plan wanted = full;
        List<Provider.Replacement> replacements = List.of();
        if (cloud != null) {
            // The droplets that exist already: their addresses make their nodes' facts readable;
            // those of another size or image are replaced, new machines without facts.
            Provider.Refresh refresh = cloud.refresh(full.steps());
            doneLocally.addAll(refresh.done());
            replacements = refresh.replacements();
            replacements.forEach(replacement -> live.preconnect().forget(replacement.node()));
            wanted = cloud.replacing(full, replacements);
        }
        // A node leaving whose host does not answer (gone for good) is taken out through the servers alone.
        Set<String> unreachable = unreachable(live.connections(), loaded.cluster());
        wanted = Convergence.withoutStepsOn(wanted, unreachable);
        Map<String, NodeFacts> facts = new FactsReader(live.connections()).read(wanted, options.parallel());
        doneLocally.addAll(live.acls().alreadySet(wanted.steps()));
        ClusterStatus status = liveStatus(loaded, facts, live.engines(), ConsulMembers.of(loaded.cluster(), live.consul(), loaded.stateDirectory()));
        Map<String, String> problems = new LinkedHashMap<>();
        String consulLeader = status == null ? null : status.consulLeader();
        if (status != null) {
            status.nodes().stream().filter(node -> !node.healthy()).forEach(node -> problems.put(node.name(), node.problem()));
        }
        // A node none of whose steps ran yet is not in the cluster: that its services are missing is no news.
        List<String> joining = Convergence.joining(wanted, facts);
        boolean growing = !joining.isEmpty() && joining.size() < loaded.cluster().nodes().size();
        Map<String, String> surprises = new LinkedHashMap<>(problems);
        surprises.keySet().removeAll(joining);
        // Nor that a node changing role (a master now, or no longer) lacks what its new role runs.
        loaded.cluster().previous().stream().filter(before -> loaded.cluster().nodes().stream()
                        .anyMatch(node -> node.name().equals(before.name()) && node.role() != before.role()))
                .forEach(before -> surprises.remove(before.name()));
        if (!surprises.isEmpty()) {
            view.tell("The live cluster differs from the script:");
            surprises.forEach((node, problem) -> view.tell("  " + node + ": " + problem));
            view.tell("");
        }
        Plan plan = Convergence.converge(wanted, facts, doneLocally, live.certificates().outdatedOnNodes(wanted.steps(), facts), problems,
                consulLeader);
        Convergence.reasons(wanted, facts).forEach((reason, nodes) ->
                view.tell("Left out on " + String.join(", ", nodes) + ": " + reason + "."));
        if (growing) {
            view.tell("Joining the running cluster: " + String.join(", ", joining) + " (the running nodes change only where they must).");
        }
        MembershipChanges.describe(loaded.cluster(), joining, unreachable).forEach(view::tell);
        List<String> engineRoll = Convergence.rollingOrder(plan, facts, consulLeader);
        if (keepContainers(status, engineRoll)) {
            tellRoll("Engines restart one node at a time, each once the one before answers again; their containers keep running"
                    + " (live-restore), so Consul keeps its leader and a Swarm manager stays up: ", engineRoll, "", null);
        } else {
            // Its Consul server stops with the engine: the leader hands over first.
            plan = Convergence.leaderHandsOverBeforeEngineRestart(plan, facts, consulLeader);
            tellRoll("Engines restart one node at a time, each once the one before answers again (a master's once its Consul server"
                    + " is back with a leader), so Consul keeps its quorum and a Swarm manager stays up: ",
                    engineRoll, handsOver(plan, consulLeader, Phase.ENGINE)
                            ? " The Consul leader, %s, goes last of the masters, and first hands raft's leadership to one already restarted"
                            + " (raft's leadership transfer): no election."
                            : " The Consul leader, %s, goes last of the masters: one election.", consulLeader);
        }
        List<String> consulRoll = new ArrayList<>(Convergence.consulRollingOrder(plan, facts, consulLeader));
        List<String> reloads = Convergence.consulReloadsOnly(plan, consulRoll);
        consulRoll.removeAll(reloads);
        tellRoll("Consul changes one node at a time (a new image or new files), each once the one before is back with a leader,"
                + " so the servers keep their quorum: ", consulRoll, handsOver(plan, consulLeader, Phase.CONSUL)
                        ? " The leader, %s, goes last of the servers, and first hands raft's leadership to one already rolled"
                        + " (raft's leadership transfer): a leader at every moment, no election."
                        : " The leader, %s, goes last of the servers: one election.", consulLeader);
        tellRoll("Consul reloads its new certificates in place, one node at a time: no restart, so the leader stays the leader: ",
                reloads, "", null);
        return new Refreshed(plan, !problems.isEmpty(), replacements);
    }

    /** Whether {@code plan} has {@code leader} hand raft's leadership over in the roll of {@code phase}. */
    private static boolean handsOver(Plan plan, String leader, Phase phase) {
        return plan.steps().stream().anyMatch(step -> ConsulHandOvers.runs(step) && step.node().equals(leader) && step.phase() == phase);
    }

    /** Every engine of the roll runs with live-restore now, so its restart leaves its containers (Consul, Swarm) running. */
    private static boolean keepContainers(ClusterStatus status, List<String> roll) {
        return status != null && !roll.isEmpty() && roll.stream().allMatch(name -> status.nodes().stream()
                .anyMatch(node -> node.name().equals(name) && node.liveRestore()));
    }

    /** The nodes leaving the cluster that cannot be reached over SSH. */
    private static Set<String> unreachable(NodeConnections connections, ClusterSpec cluster) {
        Set<String> unreachable = new HashSet<>();
        for (var node : cluster.leaving()) {
            try {
                connections.of(node.name());
            } catch (SshException e) {
                unreachable.add(node.name());
            }
        }
        return unreachable;
    }

    /** The order of a roll as the plan will run it, and where the leader goes, when there is a roll. */
    private void tellRoll(String what, List<String> order, String leaderLast, String leader) {
        if (!order.isEmpty()) {
            view.tell(what + String.join(" → ", order) + "." + (leader != null && order.contains(leader) ? leaderLast.formatted(leader) : ""));
        }
    }

    private int carryOut(Live live, Refreshed refreshed) {
        Plan plan = refreshed.plan();
        List<Provider.Replacement> replacements = refreshed.replacements();
        Loaded loaded = live.loaded();
        Provider.Session cloud = live.cloud();
        if (refreshed.noChanges()) {
            // Recorded too when an older version applied the cluster: the next removal knows its nodes.
            Membership.write(loaded.stateDirectory(), loaded.cluster().nodes(), List.of(), live.values());
            view.say(NO_CHANGES);
            return 0;
        }
        if (plan.steps().isEmpty()) {
            view.say(NOTHING_REPAIRS);
            return 1;
        }
        view.show(plan);
        if (!replacements.isEmpty() && options.yes() && !options.replace()) {
            view.say(Replacements.refusal(replacements));
            return 1;
        }
        if (MembershipChanges.removes(loaded.cluster()) && options.yes() && !options.remove()) {
            view.say(MembershipChanges.refusal(loaded.cluster()));
            return 1;
        }
        if (!options.yes() && !view.confirm(Replacements.warning(replacements) + CONFIRMATION)) {
            view.say("Apply cancelled. Nothing was changed.");
            return 1;
        }
        Map<StepId, String> doneBefore = new HashMap<>(Journal.done(loaded.journal()));
        // Cloud steps run again whatever the journal says: they adopt what exists, and give the addresses;
        // so do the steps of a replaced node, which is a new machine.
        Set<String> replaced = new HashSet<>(replacements.stream().map(Provider.Replacement::node).toList());
        plan.steps().stream().filter(step -> cloud != null && cloud.runs(step) || replaced.contains(step.node()))
                .forEach(step -> doneBefore.remove(step.id()));
        SshStepRunner ssh = new SshStepRunner(loaded.cluster().name(), live.connections(), live.values(), live.redactor(), loaded.directory(),
                live.certificates());
        ConsulHandOvers handOvers = new ConsulHandOvers(live.consul(), new ConsulRaft(loaded.stateDirectory()), live.values(), live.redactor());
        PlanRunner runner = new PlanRunner(ssh, new DockerStepRunner(live.full(), live.engines(), live.values(), live.redactor()), live.acls(),
                new ConsulLeaves(live.consul(), handOvers, live.values(), live.redactor()), handOvers,
                live.certificates(), cloud);
        try (Journal journal = new Journal(loaded.journal(), live.redactor())) {
            journal.record(new LinkedHashMap<>(Map.of("event", "targets", "targets", Preconnect.describe(live.connections().targets()))));
            // The nodes leaving stay recorded until they are out: an apply that fails takes them out next time.
            Membership.write(loaded.stateDirectory(), loaded.cluster().nodes(), loaded.cluster().previous(), live.values());
            ApplyReport report = new Executor(plan, runner, view.progress(), journal, options.parallel()).run(doneBefore);
            ssh.flushMarkers();
            if (report.succeeded()) {
                Membership.write(loaded.stateDirectory(), loaded.cluster().nodes(), List.of(), live.values());
            }
            if (cloud != null) {
                cloud.notes().forEach(view::tell);
            }
            if (!report.succeeded()) {
                view.say("Steps that failed or did not run are listed above; the journal is " + loaded.journal()
                        + ". Run the same apply again to go on from there.");
            }
            return report.succeeded() ? 0 : 1;
        }
    }

    /**
     * The live cluster as {@code swarm status} reads it, through the engines the plan configures;
     * null until some node records applied steps (before that there is nothing to read, nor
     * certificates to read it with).
     */
    private static ClusterStatus liveStatus(Loaded loaded, Map<String, NodeFacts> facts, DockerEngines engines, ConsulMembers.Api consul) {
        if (!loaded.cluster().engine().enabled() || facts.values().stream().allMatch(node -> node.applied().isEmpty())) {
            return null;
        }
        return ClusterStatus.read(loaded.cluster(), loaded.publicAddresses(), engines, consul);
    }
}
