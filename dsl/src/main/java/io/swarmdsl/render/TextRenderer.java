package io.swarmdsl.render;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ConsulSpec;
import io.swarmdsl.model.EngineSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.SshSpec;
import io.swarmdsl.model.SwarmSpec;
import io.swarmdsl.plan.AclSetup;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.FileSpec;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dry run a person reviews: the cluster in a few lines, then every step by phase and node with
 * its exact command, file or API call, and a one-line summary at the end. Deterministic to the byte.
 */
public final class TextRenderer implements Renderer {
    private static final String DETAIL = "        ";

    @Override
    public String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        cluster(out, plan.cluster());
        out.append("\nSteps of one node run in the order shown; \"after\" names the steps elsewhere that a step waits for.\n");
        Map<String, StepId> previousOfNode = new HashMap<>();
        for (Map.Entry<Phase, Map<String, List<Step>>> phase : PlanOrder.grouped(plan).entrySet()) {
            out.append("\n== ").append(phase.getKey() == Phase.DESTROY && !plan.cluster().leaving().isEmpty()
                    ? "leaving: the nodes the script no longer names leave Consul, one at a time, then are put back as they were"
                    : phase.getKey().keyword() + ": " + phase.getKey().purpose()).append(" ==\n");
            for (Map.Entry<String, List<Step>> node : phase.getValue().entrySet()) {
                String indent = node.getKey() == null ? "  " : "    ";
                out.append('\n').append(node.getKey() == null ? "  (cluster)" : "  " + node.getKey()).append('\n');
                for (Step step : node.getValue()) {
                    // A node's steps run in order: only waits on other steps are worth a line.
                    step(out, plan.cluster(), step, indent, previousOfNode.get(step.node()));
                    if (step.node() != null) {
                        previousOfNode.put(step.node(), step.id());
                    }
                }
            }
        }
        out.append('\n').append(plan.summary()).append('\n');
        return out.toString();
    }

    static void cluster(StringBuilder out, ClusterSpec spec) {
        out.append("Cluster ").append(spec.name()).append(": ").append(spec.nodes().size())
                .append(spec.nodes().size() == 1 ? " node" : " nodes").append(" on ").append(provider(spec.provider())).append('\n');
        out.append("  masters   ").append(names(spec.masters())).append('\n');
        if (!spec.agents().isEmpty()) {
            out.append("  agents    ").append(names(spec.agents())).append('\n');
        }
        if (!spec.leaving().isEmpty()) {
            out.append("  leaving   ").append(names(spec.leaving())).append(" (in the cluster, no longer in the script)\n");
        }
        if (!spec.demoted().isEmpty()) {
            out.append("  demoted   ").append(names(spec.demoted())).append(" (masters no longer: their Consul servers leave raft)\n");
        }
        out.append("  domain    ").append(spec.domain()).append(" (nodes are NAME.node.").append(spec.domain())
                .append("), datacenter ").append(spec.datacenter()).append(", cluster interface ")
                .append(spec.clusterInterface()).append('\n');
        out.append("  ssh       ").append(spec.ssh().user()).append(", port ").append(spec.ssh().port()).append(", key ")
                .append(spec.ssh().key()).append(", known hosts ").append(spec.ssh().knownHosts())
                .append(spec.ssh().jump() == null ? "" : ", through " + spec.ssh().jump());
        String ownSsh = ownSsh(spec);
        out.append(ownSsh.isEmpty() ? "" : "; hosts with their own: " + ownSsh).append('\n');
        out.append("  engine    ").append(engine(spec.engine())).append('\n');
        out.append("  consul    ").append(consul(spec.consul())).append('\n');
        out.append("  swarm     ").append(swarm(spec.swarm(), spec.masters().size())).append('\n');
        if (spec.memoryAccounting()) {
            out.append("  memory    accounting (where the kernel lacks it: cgroup_enable=memory swapaccount=1, one reboot)\n");
        }
        if (!spec.compositions().isEmpty()) {
            out.append("  compose   ").append(spec.compositions().stream()
                    .map(c -> c.name() + " on " + String.join(", ", c.targets())).collect(Collectors.joining("; "))).append('\n');
        }
        if (!spec.hooks().isEmpty()) {
            out.append("  hooks     ").append(spec.hooks().stream()
                    .map(h -> h.when().name().toLowerCase() + " " + h.phase().keyword() + " on " + String.join(", ", h.targets()))
                    .collect(Collectors.joining("; "))).append('\n');
        }
    }

    /** The hosts whose SSH user, port or key differ from the cluster's, grouped by what they use instead. */
    private static String ownSsh(ClusterSpec spec) {
        Map<SshSpec, List<String>> groups = new LinkedHashMap<>();
        spec.nodes().stream().filter(n -> !n.ssh().equals(spec.ssh()))
                .forEach(n -> groups.computeIfAbsent(n.ssh(), k -> new ArrayList<>()).add(n.name()));
        return groups.entrySet().stream().map(g -> String.join(" ", g.getValue()) + " (" + g.getKey().user() + ", port "
                + g.getKey().port() + ", key " + g.getKey().key() + ")").collect(Collectors.joining("; "));
    }

    private static String provider(ProviderSpec provider) {
        if (provider instanceof ProviderSpec.DigitalOcean cloud) {
            return "digitalocean (region " + cloud.region() + ", size " + cloud.size() + ", image " + cloud.image()
                    + ", token from " + cloud.token().origin() + ")";
        }
        if (provider instanceof ProviderSpec.Generic) {
            return "existing hosts (generic)";
        }
        return "hosts not given yet (no provider: addresses are known after provision)";
    }

    private static String engine(EngineSpec engine) {
        if (!engine.enabled()) {
            return "left as it is";
        }
        String logs = engine.logOpts().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return (engine.tls() ? "TLS" : "no TLS") + " on port " + engine.port() + ", log " + engine.logDriver()
                + (logs.isEmpty() ? "" : " (" + logs + ")");
    }

    private static String consul(ConsulSpec consul) {
        if (!consul.enabled()) {
            return "none";
        }
        return consul.bootstrapExpect() + (consul.bootstrapExpect() == 1 ? " server" : " servers") + " (" + consul.serverImage()
                + "), agents elsewhere (" + consul.agentImage() + "), "
                + (consul.encrypt() == null ? "no gossip encryption" : "gossip encryption, key (sensitive) from " + consul.encrypt().origin())
                + (consul.tls() ? ", TLS between agents and servers that prove their name, the HTTP API for the network only over HTTPS"
                + " with a client certificate" : ", no TLS: the HTTP API open on the network")
                + (consul.acl() ? ", ACLs deny by default (down policy " + consul.downPolicy() + ")"
                : ", no ACLs: whoever reaches the API reads and writes all of Consul") + ", DNS on port " + consul.dnsPort();
    }

    private static String swarm(SwarmSpec swarm, int masters) {
        return switch (swarm.flavor()) {
            case NONE -> "none";
            case CLASSIC -> "classic (" + swarm.image() + ", strategy " + swarm.strategy() + ") on port " + swarm.port()
                    + (swarm.replication() ? ", " + masters + " replicated managers" : ", one manager");
            case MODE -> "Swarm mode: " + masters + (masters == 1 ? " manager" : " managers") + ", the rest workers";
        };
    }

    private static String names(List<NodeSpec> nodes) {
        return nodes.stream().map(NodeSpec::name).collect(Collectors.joining(" "));
    }

    private static void step(StringBuilder out, ClusterSpec spec, Step step, String indent, StepId previousOfNode) {
        out.append(indent).append("+ ").append(step.id()).append("  (").append(step.kind().word()).append(")  ")
                .append(step.summary()).append(step.sensitive() ? "  [sensitive]" : "").append('\n');
        String detail = indent + "    ";
        for (String line : details(spec, step)) {
            out.append(line.isEmpty() ? "" : detail + line).append('\n');
        }
        List<StepId> waits = new ArrayList<>(step.after());
        waits.remove(previousOfNode);
        if (!waits.isEmpty()) {
            out.append(detail).append("after ").append(waits.stream().map(StepId::toString).collect(Collectors.joining(", "))).append('\n');
        }
    }

    private static List<String> details(ClusterSpec spec, Step step) {
        List<String> lines = new ArrayList<>();
        Action action = step.action();
        if (action instanceof Action.Ssh ssh) {
            prefixed(lines, "$ ", "  ", ssh.command().display());
        } else if (action instanceof Action.Upload upload) {
            for (FileSpec file : upload.files()) {
                String head = file.path() + "  (mode " + file.mode() + ")";
                if (file.content() instanceof FileSpec.Inline inline) {
                    lines.add(head);
                    prefixed(lines, "| ", "| ", inline.text().display());
                } else if (file.content() instanceof FileSpec.Generated generated) {
                    lines.add(head + ": " + generated.description().display()
                            + (generated.secret() ? ", generated at apply, never shown" : ""));
                } else if (file.content() instanceof FileSpec.LocalFile local) {
                    lines.add(head + ": the local file " + local.path() + ", read when applying");
                }
            }
        } else if (action instanceof Action.Compose compose) {
            lines.add(compose.file() + ", then: docker compose -p " + compose.project() + " " + Action.Compose.UP);
            prefixed(lines, "| ", "| ", compose.yaml().display());
        } else if (action instanceof Action.Docker docker) {
            lines.add(docker.method() + " " + docker.path() + " on the engine at " + endpoint(spec, step.node(), docker.port()));
            if (docker.body() != null) {
                prefixed(lines, "| ", "| ", docker.body().display());
            }
            if (!docker.outputs().isEmpty()) {
                lines.add("gives " + String.join(", ", docker.outputs()) + " (sensitive)");
            }
        } else if (action instanceof Action.ConsulAcl acl) {
            lines.add("Consul's HTTPS API of the first server that answers (" + String.join(", ", acl.servers()) + ") on port " + acl.port()
                    + ", with the client certificate and the management token (sensitive)");
            for (AclSetup.Policy policy : acl.setup().policies()) {
                lines.add("policy " + policy.name() + ": " + policy.description());
                prefixed(lines, "| ", "| ", policy.rules());
            }
            for (AclSetup.Token token : acl.setup().tokens()) {
                lines.add("token " + token.accessor() + " (secret " + token.secret().placeholder() + "): "
                        + (token.nodeIdentity() != null ? "node identity " + token.nodeIdentity() : "policy " + String.join(", ", token.policies())));
            }
        } else if (action instanceof Action.ConsulLeave leave) {
            lines.add("Consul's HTTPS API on port " + leave.port() + ", with the client certificate" + (leave.acl() ? " and the management token (sensitive)" : "")
                    + ": " + leave.node() + "'s agent leaves (PUT /v1/agent/leave), a server that leads raft handing its leadership to one that"
                    + " stays first (raft's leadership transfer, no election); if it does not answer, the first server that does ("
                    + String.join(", ", leave.servers()) + ") forces it out once it counts it failed (PUT /v1/agent/force-leave/" + leave.node() + ")");
            lines.add("done when " + leave.node() + " is out of raft, " + (leave.stays() ? "a member still (not failed)" : "left or no member")
                    + ", and the servers have a leader");
        } else if (action instanceof Action.ConsulHandOver handOver) {
            lines.add("if " + handOver.node() + " leads raft: the first of " + String.join(", ", handOver.servers())
                    + " whose log has caught up with the leader's (Consul's HTTPS API on port " + handOver.port()
                    + (handOver.acl() ? ", with the management token (sensitive)" : "") + ") is told to ask for votes now"
                    + " (raft's TimeoutNow on port " + ConsulSpec.RAFT_PORT + ", with the client certificate): it leads within milliseconds, no election");
            lines.add("done when " + handOver.node() + " does not lead and there is a leader");
        } else if (action instanceof Action.Wait wait) {
            lines.add(wait.condition().word() + " " + wait.target().display() + ", at most " + wait.timeoutSeconds() + " s");
        } else if (action instanceof Action.Provision provision) {
            int width = provision.parameters().keySet().stream().mapToInt(String::length).max().orElse(0);
            provision.parameters().forEach((name, value) ->
                    lines.add(String.format("%-" + width + "s  %s", name, value.display())));
        }
        return lines;
    }

    static String endpoint(ClusterSpec spec, String node, int port) {
        NodeSpec target = spec.node(node);
        String address = target.publicAddress() == null ? "(known after provision)" : target.publicAddress();
        return "tcp://" + address + ":" + port + (spec.engine().tls() ? " (TLS, client certificate)" : "");
    }

    private static void prefixed(List<String> lines, String first, String rest, String text) {
        String[] split = text.split("\n", -1);
        int count = text.endsWith("\n") ? split.length - 1 : split.length;
        for (int i = 0; i < count; i++) {
            lines.add((i == 0 ? first : rest) + split[i]);
        }
    }
}
