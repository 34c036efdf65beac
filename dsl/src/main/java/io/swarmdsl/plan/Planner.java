package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.HookSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a cluster into the steps that bring it up. A pure function: the same spec always gives the
 * same plan, and nothing here reads the network, files or the clock.
 *
 * <p>Each phase has its planner ({@code ProvisionSteps} … {@code VerifySteps}), the script's hooks
 * go before and after each, and one {@link PlanBuilder} makes every step. Each node's steps run in
 * the order written, one after the other; nodes are independent of each other except at explicit
 * barriers (masters' engines restart one at a time; a Consul leader before any agent joins; the Swarm
 * manager before others join).
 */
public final class Planner {
    private Planner() {
    }

    /** The plan of {@code spec}, its machines made by {@code machines} (the provider's; {@link MachineSteps#NONE} for existing hosts). */
    public static Plan plan(ClusterSpec spec, MachineSteps machines) {
        NodeFiles files = new NodeFiles(spec);
        PlanBuilder steps = new PlanBuilder(spec);
        HookSteps hooks = new HookSteps(spec, steps);
        ConsulSteps consul = new ConsulSteps(spec, files, steps);
        for (Phase phase : Phase.bringUp()) {
            hooks.plan(HookSpec.When.BEFORE, phase);
            switch (phase) {
                case PROVISION -> new ProvisionSteps(spec, files, steps, machines).plan();
                case PREPARE -> new PrepareSteps(spec, files, steps).plan();
                case PKI -> new PkiSteps(spec, files, steps).plan();
                case ENGINE -> {
                    // Nodes leave before anything restarts: a server gone for good must be out of raft before another restarts.
                    new RemovalSteps(spec, steps, machines).plan();
                    new EngineSteps(spec, files, steps).plan();
                }
                case CONSUL -> consul.plan();
                case DNS -> consul.resolvers();
                case SWARM -> new SwarmSteps(spec, files, steps).plan();
                case COMPOSE -> new CompositionSteps(spec, files, steps).plan();
                case VERIFY -> new VerifySteps(spec, files, steps).plan();
                default -> throw new IllegalStateException("not a phase of a bring-up: " + phase);
            }
            hooks.plan(HookSpec.When.AFTER, phase);
        }
        return steps.build();
    }

    /** The id of the step that restarts {@code node}'s engine: it runs again when the engine is down. */
    public static StepId engineRestart(String node) {
        return EngineSteps.restartOf(node);
    }

    /** The ids of the steps that change {@code node}'s Consul container: leaving raft, a new composition, a restart for new files. */
    public static List<StepId> consulChanges(String node) {
        return ConsulSteps.changesOf(node);
    }

    /** Whether new certificates alone reach Consul by a reload, without a restart. */
    public static boolean consulReloadsCertificates(ClusterSpec spec) {
        return ConsulSteps.reloadsCertificates(spec);
    }

    /** The id of the step by which {@code node}'s Consul server leaves raft, a master no longer. */
    public static StepId consulLeave(String node) {
        return ConsulSteps.changesOf(node).get(0);
    }

    /**
     * The step of {@code phase} (the roll's: Consul's, or the engines') by which the Consul leader
     * {@code node} hands raft's leadership over before it restarts, once {@code after} are done.
     */
    public static Step consulHandOver(ClusterSpec spec, Phase phase, String node, List<StepId> after) {
        return ConsulSteps.handOver(spec, phase, node, after);
    }

    /** The ids of the steps after which {@code node}'s Consul restarts rather than reloads its certificates. */
    public static List<StepId> consulRestartCauses(String node) {
        return ConsulSteps.restartCausesOf(node);
    }

    /** The id of the step that brings up {@code node}'s Consul: its marker says the node's Consul serves. */
    public static StepId consulUp(String node) {
        return ConsulSteps.upOf(node);
    }

    /** The id of the wait until {@code node}'s Consul is back with a leader after its container changed. */
    public static StepId consulBack(String node) {
        return ConsulSteps.backOf(node);
    }

    /** The id of the wait until {@code node}'s engine answers again after its restart. */
    public static StepId engineReady(String node) {
        return EngineSteps.readyOf(node);
    }

    /** Whether {@code node} runs a classic Swarm manager: every master with replication, else the first. */
    public static boolean isClassicManager(ClusterSpec spec, NodeSpec node) {
        return SwarmSteps.isClassicManager(spec, node);
    }

    /** The nodes that {@code words} ({@code all}, {@code masters}, {@code agents}, node names) name, in node order. */
    static List<NodeSpec> targets(ClusterSpec spec, List<String> words) {
        Set<NodeSpec> chosen = new LinkedHashSet<>();
        for (String word : words) {
            for (NodeSpec node : spec.nodes()) {
                boolean matches = switch (word) {
                    case "all" -> true;
                    case "masters" -> node.isMaster();
                    case "agents" -> !node.isMaster();
                    default -> node.name().equals(word);
                };
                if (matches) {
                    chosen.add(node);
                }
            }
        }
        // Node order, whatever order the script named them in.
        return spec.nodes().stream().filter(chosen::contains).toList();
    }
}
