package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.Step;
import io.swarmdsl.transport.consul.ConsulHttps;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out a plan's {@code leave} steps (a node removed from the script, or a master become an
 * agent) through Consul's HTTPS API: the node's own agent leaves gracefully (a server hands its raft
 * seat back as it goes, and its leadership first, when it leads: {@link ConsulHandOvers}); a node that does not answer, a host that is gone, is forced out through a
 * server once the cluster counts it failed. The step is done only when the servers say so: the
 * node is out of raft, not {@code failed} among the members, and there is a leader.
 */
public final class ConsulLeaves implements Executor.StepRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Serf's member statuses. */
    private static final int ALIVE = 1;
    private static final int LEFT = 3;
    private static final int FAILED = 4;
    /** Long enough for gossip to count a stopped node failed, and for raft to take a server out. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final ConsulHttps consul;
    private final ConsulHandOvers handOvers;
    private final RunValues values;
    private final Redactor redactor;

    public ConsulLeaves(ConsulHttps consul, ConsulHandOvers handOvers, RunValues values, Redactor redactor) {
        this.consul = consul;
        this.handOvers = handOvers;
        this.values = values;
        this.redactor = redactor;
    }

    public static boolean runs(Step step) {
        return step.action() instanceof Action.ConsulLeave;
    }

    @Override
    public StepOutcome run(Step step, String fingerprint) {
        long start = System.nanoTime();
        Action.ConsulLeave leave = (Action.ConsulLeave) step.action();
        try {
            String output = leave(leave);
            return new StepOutcome(StepOutcome.Status.DONE, 0, output, "", StepClock.secondsSince(start), 1);
        } catch (ApplyException e) {
            return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), StepClock.secondsSince(start), 1);
        }
    }

    private String leave(Action.ConsulLeave leave) {
        String node = leave.node();
        long end = System.nanoTime() + PATIENCE.toNanos();
        List<String> said = new ArrayList<>();
        Seen seen = look(leave);
        if (seen.out(leave.stays())) {
            return node + " was already out of Consul" + (leave.stays() ? "'s raft, an agent" : "") + ": nothing to do";
        }
        if (seen.inRaft() && values.knows(Refs.publicAddress(node).name())) {
            // A leader that leaves steps down only once out of raft: the others would then wait out an election timeout.
            said.add(handOvers.handOver(node, leave.servers(), leave.port(), leave.acl()));
        }
        if (graceful(leave)) {
            said.add(node + "'s Consul agent left gracefully");
        } else {
            // Forcing out a node the others still count alive would be refuted by it: wait for failed.
            while (seen.status() == ALIVE) {
                giveUpAfter(end, node + " does not answer on its HTTPS API, yet the Consul servers still count it alive");
                StepClock.pause(1000);
                seen = look(leave);
            }
            if (seen.status() == FAILED) {
                call(seen.server(), leave, "PUT", "/v1/agent/force-leave/" + node);
                said.add(node + " did not answer: forced out through " + seen.server());
            }
        }
        while (!(seen = look(leave)).out(leave.stays())) {
            giveUpAfter(end, node + " is still " + (seen.inRaft() ? "in Consul's raft" : "a member, " + statusWord(seen.status()))
                    + (seen.leader() ? "" : ", and the servers have no leader"));
            StepClock.pause(500);
        }
        said.add("out of raft, " + (seen.status() == 0 ? "no longer a member" : "member status " + statusWord(seen.status()))
                + ", the servers have a leader");
        return String.join("; ", said);
    }

    /** What the servers say of the node now: through the first that answers. */
    private record Seen(String server, int status, boolean inRaft, boolean leader) {
        /** Out of raft with a leader; a member still, not failed, when the node {@code stays} an agent, else left or gone. */
        boolean out(boolean stays) {
            return !inRaft && leader && (stays ? status != FAILED : status == LEFT || status == 0);
        }
    }

    private Seen look(Action.ConsulLeave leave) {
        List<String> unanswered = new ArrayList<>();
        for (String server : servers(leave)) {
            try {
                String leader = answer(server, leave, "GET", "/v1/status/leader");
                if (!leader.contains(":")) {
                    unanswered.add(server + " (no leader)");
                    continue;
                }
                int status = 0;
                for (JsonNode member : JSON.readTree(answer(server, leave, "GET", "/v1/agent/members"))) {
                    if (leave.node().equals(member.path("Name").asText())) {
                        status = member.path("Status").asInt();
                    }
                }
                boolean inRaft = false;
                for (JsonNode peer : JSON.readTree(answer(server, leave, "GET", "/v1/operator/raft/configuration")).path("Servers")) {
                    inRaft |= leave.node().equals(peer.path("Node").asText());
                }
                return new Seen(server, status, inRaft, true);
            } catch (IOException e) {
                unanswered.add(server + " (" + e.getMessage() + ")");
            }
        }
        throw new ApplyException("no Consul server that stays answers with a leader, to take " + leave.node() + " out: "
                + String.join(", ", unanswered));
    }

    /** Asks the node's own agent to leave; false when it does not answer (a host gone, its Consul down). */
    private boolean graceful(Action.ConsulLeave leave) {
        if (!values.knows(Refs.publicAddress(leave.node()).name())) {
            return false;
        }
        try {
            ConsulHttps.Answer answer = consul.call(values.value(Refs.publicAddress(leave.node())), leave.port(), "PUT", "/v1/agent/leave",
                    token(leave), null);
            return answer.ok();
        } catch (IOException e) {
            return false;
        }
    }

    private String answer(String address, Action.ConsulLeave leave, String method, String path) throws IOException {
        ConsulHttps.Answer answer = consul.call(address, leave.port(), method, path, token(leave), null);
        if (!answer.ok()) {
            throw new ApplyException("Consul at " + address + ":" + leave.port() + " refused " + method + " " + path + " ("
                    + answer.status() + "): " + answer.body());
        }
        return answer.body();
    }

    private void call(String address, Action.ConsulLeave leave, String method, String path) {
        try {
            answer(address, leave, method, path);
        } catch (IOException e) {
            throw new ApplyException("Consul at " + address + ":" + leave.port() + " did not answer " + method + " " + path + ": " + e.getMessage());
        }
    }

    private String token(Action.ConsulLeave leave) {
        return leave.acl() ? values.value(Refs.CONSUL_MANAGEMENT_TOKEN) : null;
    }

    /** The servers that stay, those with a known address. */
    private List<String> servers(Action.ConsulLeave leave) {
        return leave.servers().stream().filter(server -> !server.equals(leave.node()) && values.knows(Refs.publicAddress(server).name()))
                .map(server -> values.value(Refs.publicAddress(server))).toList();
    }

    private static void giveUpAfter(long end, String why) {
        if (System.nanoTime() > end) {
            throw new ApplyException(why + " after " + PATIENCE.toSeconds() + " s");
        }
    }

    private static String statusWord(int status) {
        return switch (status) {
            case 1 -> "alive";
            case 2 -> "leaving";
            case 3 -> "left";
            case 4 -> "failed";
            default -> String.valueOf(status);
        };
    }
}
