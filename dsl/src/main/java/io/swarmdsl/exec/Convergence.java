package io.swarmdsl.exec;

import io.swarmdsl.model.Phase;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.FileSpec;
import io.swarmdsl.plan.Fingerprint;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Planner;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import io.swarmdsl.plan.StepKind;
import io.swarmdsl.plan.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Leaves out of a plan the steps whose result the nodes already show: a step a node records as
 * applied with the same fingerprint, whose files still have the content written then, and whose
 * containers are up (on an engine that answers). Waits stay
 * only where a step that still runs needs them, or after one that runs. Pure: facts in, a smaller plan out.
 */
public final class Convergence {
    private Convergence() {
    }

    public static Plan converge(Plan plan, Map<String, NodeFacts> facts) {
        return converge(plan, facts, Set.of(), Map.of());
    }

    /**
     * {@code doneLocally}: the steps of the cluster as a whole (the CA, the client certificate) whose
     * result the local state already holds. A local step that runs makes its dependants run too (a
     * new CA means new node certificates). {@code problems}: what the live cluster shows wrong, by
     * node (as {@code swarm status} reads it). Verify steps run along with changes, which they check,
     * and whenever the live cluster has a problem: then there are changes to report, never none.
     */
    public static Plan converge(Plan plan, Map<String, NodeFacts> facts, Set<StepId> doneLocally, Map<String, String> problems) {
        return converge(plan, facts, doneLocally, problems, null);
    }

    /** As above; {@code consulLeader}, the server that leads raft now (null when unknown), restarts last of the masters. */
    public static Plan converge(Plan plan, Map<String, NodeFacts> facts, Set<StepId> doneLocally, Map<String, String> problems,
                                String consulLeader) {
        return converge(plan, facts, doneLocally, Set.of(), problems, consulLeader);
    }

    /**
     * As above; {@code outdated}: node steps whose files the local state holds in another version than
     * the node (certificates reissued by {@code swarm rotate certs}): they run again, and so does what
     * puts their files to use.
     */
    public static Plan converge(Plan plan, Map<String, NodeFacts> facts, Set<StepId> doneLocally, Set<StepId> outdated,
                                Map<String, String> problems, String consulLeader) {
        Set<StepId> satisfied = new HashSet<>(doneLocally);
        for (Step step : plan.steps()) {
            // A verify checks the live cluster: what it found last time says nothing about now.
            if (step.node() != null && step.kind() != StepKind.WAIT && step.phase() != Phase.VERIFY && !outdated.contains(step.id())
                    && isApplied(step, facts.get(step.node()))) {
                satisfied.add(step.id());
            }
        }
        Map<StepId, Step> byId = new HashMap<>();
        plan.steps().forEach(s -> byId.put(s.id(), s));
        Set<StepId> needed = new HashSet<>();
        for (Step step : plan.steps()) {
            boolean afterLocalChange = step.after().stream().anyMatch(before -> isLocal(byId.get(before)) && !satisfied.contains(before));
            if (step.kind() != StepKind.WAIT && (!satisfied.contains(step.id()) || afterLocalChange || appliesChangedFile(step, byId, needed))) {
                needed.add(step.id());
            }
        }
        if (problems.isEmpty() && plan.steps().stream().filter(s -> needed.contains(s.id())).allMatch(s -> s.phase() == Phase.VERIFY)) {
            needed.clear();
        }
        // A wait is kept if a step that still runs comes after it, directly or through left-out steps,
        // or if it waits for one that runs: it checks that step's effect (a reboot, an engine restart).
        List<StepId> stack = new ArrayList<>(needed);
        Set<StepId> seen = new HashSet<>(needed);
        Set<StepId> keep = new HashSet<>(needed);
        plan.steps().stream().filter(step -> step.kind() == StepKind.WAIT && step.after().stream().anyMatch(needed::contains))
                .forEach(step -> keep.add(step.id()));
        while (!stack.isEmpty()) {
            for (StepId before : byId.get(stack.remove(stack.size() - 1)).after()) {
                if (seen.add(before)) {
                    stack.add(before);
                    if (byId.get(before).kind() == StepKind.WAIT) {
                        keep.add(before);
                    }
                }
            }
        }
        Plan rolled = oneAtATime(without(plan, keep), facts, consulLeader);
        List<String> roll = rollingOrder(CONSUL, rolled, facts, consulLeader);
        if (consulLeader == null || !roll.contains(consulLeader) || consulReloadsOnly(rolled, roll).contains(consulLeader)
                || rolled.steps().stream().anyMatch(step -> step.id().equals(Planner.consulLeave(consulLeader)))) {
            // A leader that only reloads certificates keeps leading; one leaving raft hands over as it leaves (ConsulLeaves).
            return rolled;
        }
        return leaderHandsOver(CONSUL, rolled, consulLeader);
    }

    /**
     * {@code plan} with the Consul leader handing raft's leadership over before its engine restarts
     * in the engine roll, for engines whose containers stop with them (no live-restore: its Consul
     * server stops too); as {@link #leaderHandsOver}.
     */
    public static Plan leaderHandsOverBeforeEngineRestart(Plan plan, Map<String, NodeFacts> facts, String consulLeader) {
        return consulLeader == null || !rollingOrder(ENGINES, plan, facts, consulLeader).contains(consulLeader) ? plan
                : leaderHandsOver(ENGINES, plan, consulLeader);
    }

    /**
     * Before the first step of {@code roll} that takes the Consul leader away, the leader hands raft's
     * leadership to another server ({@link Planner#consulHandOver}): a leader that restarts would leave
     * the others without one until an election timeout. Where the tool speaks to Consul (TLS) only.
     */
    private static Plan leaderHandsOver(Roll roll, Plan plan, String consulLeader) {
        if (!plan.cluster().consul().enabled() || !plan.cluster().consul().tls()) {
            return plan;
        }
        Set<StepId> present = plan.steps().stream().map(Step::id).collect(Collectors.toSet());
        StepId first = roll.changes().apply(consulLeader).stream().filter(present::contains).findFirst().orElseThrow();
        List<Step> steps = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (step.id().equals(first)) {
                Step handOver = Planner.consulHandOver(plan.cluster(), first.phase(), consulLeader, step.after());
                steps.add(handOver);
                List<StepId> after = new ArrayList<>(step.after());
                after.add(handOver.id());
                step = step.withAfter(after);
            }
            steps.add(step);
        }
        return new Plan(plan.cluster(), steps);
    }

    /**
     * One kind of disruption a plan may bring to a node that serves the cluster: the steps that
     * cause it ({@code changes}, the first kept one starts it), the wait that says the node is back
     * ({@code back}), and the marker an earlier apply left on a node that serves.
     */
    private record Roll(Function<String, List<StepId>> changes, Function<String, StepId> back, Function<String, StepId> serving) {
    }

    private static final Roll ENGINES = new Roll(node -> List.of(Planner.engineRestart(node)), Planner::engineReady, Planner::engineRestart);
    private static final Roll CONSUL = new Roll(Planner::consulChanges, Planner::consulBack, Planner::consulUp);

    /**
     * The nodes whose engine the plan restarts while they serve the cluster (an earlier apply
     * restarted it with its options, and it answers), in the order the restarts run: node by node,
     * the masters first, and of them the Consul leader last, so that a roll costs at most one
     * election. A first apply restarts engines that serve nothing yet, all at once.
     */
    public static List<String> rollingOrder(Plan plan, Map<String, NodeFacts> facts, String consulLeader) {
        return rollingOrder(ENGINES, plan, facts, consulLeader);
    }

    /** As {@link #rollingOrder}, for the nodes whose Consul container the plan recreates or restarts (a new image, new files). */
    public static List<String> consulRollingOrder(Plan plan, Map<String, NodeFacts> facts, String consulLeader) {
        return rollingOrder(CONSUL, plan, facts, consulLeader);
    }

    /**
     * Of {@code consulRoll}, the nodes where only new certificates reach Consul: it reloads them in
     * place, its container keeps running, and a leader stays the leader.
     */
    public static List<String> consulReloadsOnly(Plan plan, List<String> consulRoll) {
        if (!Planner.consulReloadsCertificates(plan.cluster())) {
            return List.of();
        }
        Set<StepId> present = plan.steps().stream().map(Step::id).collect(Collectors.toSet());
        return consulRoll.stream().filter(node -> Planner.consulRestartCauses(node).stream().noneMatch(present::contains)).toList();
    }

    private static List<String> rollingOrder(Roll roll, Plan plan, Map<String, NodeFacts> facts, String consulLeader) {
        Set<StepId> present = plan.steps().stream().map(Step::id).collect(Collectors.toSet());
        List<String> order = new ArrayList<>(plan.cluster().nodes().stream().map(io.swarmdsl.model.NodeSpec::name)
                .filter(node -> roll.changes().apply(node).stream().anyMatch(present::contains) && serving(roll, node, facts))
                .toList());
        Set<String> masters = plan.cluster().masters().stream().map(io.swarmdsl.model.NodeSpec::name).collect(Collectors.toSet());
        if (consulLeader != null && order.remove(consulLeader)) {
            int afterMasters = (int) order.stream().filter(masters::contains).count();
            order.add(afterMasters, consulLeader);
        }
        return List.copyOf(order);
    }

    /**
     * The plan without the steps that run on {@code unreachable} nodes leaving the cluster (a host
     * gone for good): what is left takes them out through the servers that stay.
     */
    public static Plan withoutStepsOn(Plan plan, Set<String> unreachable) {
        Set<StepId> keep = plan.steps().stream()
                .filter(step -> !unreachable.contains(step.node()) || step.action() instanceof Action.ConsulLeave)
                .map(Step::id).collect(Collectors.toSet());
        return without(plan, keep);
    }

    /** The nodes the plan brings into the cluster: none of their steps ran before. */
    public static List<String> joining(Plan plan, Map<String, NodeFacts> facts) {
        return plan.steps().stream().map(Step::node).filter(node -> node != null).distinct()
                .filter(node -> facts.get(node) == null || facts.get(node).applied().isEmpty()).toList();
    }

    private static boolean serving(Roll roll, String node, Map<String, NodeFacts> facts) {
        NodeFacts nodeFacts = facts.get(node);
        return nodeFacts != null && nodeFacts.engineUp() && nodeFacts.applied().containsKey(roll.serving().apply(node));
    }

    private static Plan oneAtATime(Plan plan, Map<String, NodeFacts> facts, String consulLeader) {
        return oneAtATime(CONSUL, oneAtATime(ENGINES, plan, facts, consulLeader), facts, consulLeader);
    }

    /**
     * Chains a roll over the serving nodes in {@link #rollingOrder}: a node's change starts once the
     * node before it is back (its engine answers again, its Consul knows a leader; a master's engine
     * restart also waits for its Consul server), so the cluster loses one node at a time, never its
     * quorum nor every Swarm manager. The plan's own order of the masters gives way to this one.
     */
    private static Plan oneAtATime(Roll roll, Plan plan, Map<String, NodeFacts> facts, String consulLeader) {
        List<String> rolling = rollingOrder(roll, plan, facts, consulLeader);
        if (rolling.size() < 2) {
            return plan;
        }
        Set<StepId> present = plan.steps().stream().map(Step::id).collect(Collectors.toSet());
        Set<StepId> ofTheRoll = new HashSet<>();
        rolling.forEach(node -> {
            ofTheRoll.addAll(roll.changes().apply(node));
            ofTheRoll.add(roll.back().apply(node));
        });
        // A server new to a running cluster (a dead master's replacement) votes before the first
        // server that serves restarts: with a voter fewer than planned, a restart would cost the quorum.
        List<String> newServers = roll != CONSUL ? List.of() : plan.cluster().masters().stream().map(io.swarmdsl.model.NodeSpec::name)
                .filter(node -> !rolling.contains(node) && present.contains(roll.back().apply(node)) && !serving(roll, node, facts)).toList();
        Set<StepId> ofNewServers = new HashSet<>();
        newServers.forEach(node -> ofNewServers.addAll(roll.changes().apply(node)));
        Map<StepId, List<StepId>> waitsFor = new HashMap<>();
        for (int i = 0; i < rolling.size(); i++) {
            String node = rolling.get(i);
            StepId first = roll.changes().apply(node).stream().filter(present::contains).findFirst().orElseThrow();
            waitsFor.put(first, i == 0 ? newServers.stream().map(roll.back()).toList() : List.of(roll.back().apply(rolling.get(i - 1))));
        }
        List<Step> steps = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (ofTheRoll.contains(step.id()) || ofNewServers.contains(step.id())) {
                String node = step.node();
                // The plan's own order between the servers (one after the other) gives way to the roll's.
                List<StepId> after = new ArrayList<>(step.after().stream()
                        .filter(before -> !ofTheRoll.contains(before) && !ofNewServers.contains(before) || node.equals(before.node())).toList());
                waitsFor.getOrDefault(step.id(), List.of()).stream().filter(present::contains).forEach(after::add);
                step = step.withAfter(List.copyOf(after));
            }
            steps.add(step);
        }
        return new Plan(plan.cluster(), steps);
    }

    /**
     * Why steps are left out, where their check says so: each reason with the nodes whose facts
     * satisfy it (as "the kernel already accounts memory and swap" for the memory accounting steps).
     */
    public static Map<String, List<String>> reasons(Plan plan, Map<String, NodeFacts> facts) {
        return plan.steps().stream()
                .filter(step -> step.check() != null && step.check().reason() != null && step.node() != null
                        && facts.containsKey(step.node()) && step.check().expected().equals(facts.get(step.node()).checks().get(step.id())))
                .collect(Collectors.groupingBy(step -> step.check().reason(), TreeMap::new,
                        Collectors.mapping(Step::node, Collectors.collectingAndThen(Collectors.toCollection(LinkedHashSet::new), List::copyOf))));
    }

    /** The plan with only {@code keep}; a kept step waits for whatever the left-out steps it waited for waited for. */
    static Plan without(Plan plan, Set<StepId> keep) {
        Map<StepId, Set<StepId>> effectiveAfter = new HashMap<>();
        List<Step> kept = new ArrayList<>();
        for (Step step : plan.steps()) {
            Set<StepId> after = new LinkedHashSet<>();
            for (StepId before : step.after()) {
                if (keep.contains(before)) {
                    after.add(before);
                } else {
                    after.addAll(effectiveAfter.get(before));
                }
            }
            effectiveAfter.put(step.id(), after);
            if (keep.contains(step.id())) {
                kept.add(step.withAfter(List.copyOf(after)));
            }
        }
        return new Plan(plan.cluster(), kept);
    }

    /**
     * A command or composition right after an upload of the same node and phase that runs again is
     * what puts the new file to use (the engine restart after daemon.json), so it runs again too;
     * likewise a step that names new certificates among the steps it comes after (the engine restart
     * after {@code pki.NODE.certs}: an engine reads them only when it starts).
     */
    private static boolean appliesChangedFile(Step step, Map<StepId, Step> byId, Set<StepId> needed) {
        if (step.node() == null || (step.kind() != StepKind.SSH && step.kind() != StepKind.COMPOSE)) {
            return false;
        }
        return step.after().stream().map(byId::get).anyMatch(before -> needed.contains(before.id()) && before.kind() == StepKind.UPLOAD
                && step.node().equals(before.node()) && (step.phase() == before.phase() || writesCertificates(before)));
    }

    private static boolean writesCertificates(Step step) {
        return ((Action.Upload) step.action()).files().stream().anyMatch(file -> file.content() instanceof FileSpec.Generated);
    }

    private static boolean isLocal(Step step) {
        return step.node() == null && step.kind() != StepKind.WAIT;
    }

    private static boolean isApplied(Step step, NodeFacts facts) {
        if (facts == null) {
            return false;
        }
        if (!facts.engineUp() && step.id().equals(Planner.engineRestart(step.node()))) {
            return false;   // the engine is down: start it again
        }
        if (step.check() != null && step.check().expected().equals(facts.checks().get(step.id()))) {
            return true;
        }
        NodeFacts.Marker marker = facts.applied().get(step.id());
        if (marker == null || !marker.fingerprint().equals(Fingerprint.of(step))) {
            return false;
        }
        if (step.action() instanceof Action.Compose compose
                && containerNames(compose).stream().anyMatch(name -> !facts.containers().getOrDefault(name, false))) {
            return false;   // a container it starts is stopped or gone: bring it up again
        }
        List<String> paths = writtenFiles(step);
        if (paths.size() != marker.fileHashes().size()) {
            return false;
        }
        for (int i = 0; i < paths.size(); i++) {
            if (!marker.fileHashes().get(i).equals(facts.fileHashes().get(paths.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** The containers a composition names ({@code container_name}), read from its literal text. */
    static List<String> containerNames(Action.Compose compose) {
        StringBuilder literal = new StringBuilder();
        compose.yaml().parts().forEach(part -> {
            if (part instanceof Text.Literal text) {
                literal.append(text.text());
            }
        });
        List<String> names = new ArrayList<>();
        Matcher name = CONTAINER_NAME.matcher(literal);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    private static final Pattern CONTAINER_NAME = Pattern.compile("(?m)^\\s+container_name:\\s*['\"]?([\\w.-]+)");

    /** The node files a step writes, in order: their hashes tell whether someone changed them since. */
    public static List<String> writtenFiles(Step step) {
        if (step.action() instanceof Action.Upload upload) {
            return upload.files().stream().map(FileSpec::path).toList();
        }
        if (step.action() instanceof Action.Compose compose) {
            return List.of(compose.file());
        }
        return List.of();
    }
}
