package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.Step;
import io.swarmdsl.transport.consul.ConsulHttps;
import io.swarmdsl.transport.consul.ConsulRaft;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out a plan's {@code hand-over} steps, and the hand-over a leading server makes before it
 * leaves raft: a Consul server about to restart or leave that leads raft gives the leadership to
 * another server first, so that the cluster never waits out an election timeout without a leader.
 * Raft's leadership transfer, done from outside: the server taking over must hold every entry the
 * leader holds (or the others would refuse it their votes, and a real election would follow), so it
 * is chosen among those whose log has caught up, then told to ask for votes now (TimeoutNow).
 */
public final class ConsulHandOvers implements Executor.StepRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Looks at the servers' logs this often, this many times, for one that has caught up. */
    private static final int CATCH_UP_TRIES = 20;
    private static final long CATCH_UP_PAUSE_MILLIS = 100;
    /** A transfer is done in milliseconds; past raft's election timeout (1 s with raft_multiplier 1) it has failed. */
    private static final long TAKE_OVER_MILLIS = 3000;

    private final ConsulHttps consul;
    private final ConsulRaft raft;
    private final RunValues values;
    private final Redactor redactor;

    public ConsulHandOvers(ConsulHttps consul, ConsulRaft raft, RunValues values, Redactor redactor) {
        this.consul = consul;
        this.raft = raft;
        this.values = values;
        this.redactor = redactor;
    }

    public static boolean runs(Step step) {
        return step.action() instanceof Action.ConsulHandOver;
    }

    @Override
    public StepOutcome run(Step step, String fingerprint) {
        long start = System.nanoTime();
        Action.ConsulHandOver handOver = (Action.ConsulHandOver) step.action();
        try {
            String output = handOver(handOver.node(), handOver.servers(), handOver.port(), handOver.acl());
            return new StepOutcome(StepOutcome.Status.DONE, 0, output, "", StepClock.secondsSince(start), 1);
        } catch (ApplyException e) {
            return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), StepClock.secondsSince(start), 1);
        }
    }

    /**
     * If {@code node} leads raft, one of {@code servers} (names; the first that has caught up) takes
     * over. Says what happened. Fails only when no server answers; a transfer that does not take
     * (no server caught up, raft's port unreachable) is said, and then the node's restart costs the
     * election it would have cost anyway.
     */
    String handOver(String node, List<String> servers, int port, boolean acl) {
        String token = acl ? values.value(Refs.CONSUL_MANAGEMENT_TOKEN) : null;
        List<String> asked = new ArrayList<>(List.of(node));
        asked.addAll(servers);
        Raft seen = raftAt(asked, port, token);
        if (!node.equals(seen.leader())) {
            return node + " does not lead raft (" + (seen.leader() == null ? "no leader" : seen.leader() + " does") + "): nothing to hand over";
        }
        List<String> candidates = servers.stream().filter(server -> !server.equals(node) && seen.voters().contains(server)
                && values.knows(Refs.publicAddress(server).name())).toList();
        if (candidates.isEmpty()) {
            return node + " leads raft, and no other voting server is known: its restart costs an election";
        }
        List<String> tried = new ArrayList<>();
        for (int attempt = 0; attempt < CATCH_UP_TRIES; attempt++) {
            long leaderIndex;
            try {
                leaderIndex = lastLogIndex(node, port, token);
            } catch (IOException e) {
                return node + " leads raft but its API does not answer (" + e.getMessage() + "): its restart costs an election";
            }
            for (String candidate : candidates) {
                try {
                    if (lastLogIndex(candidate, port, token) < leaderIndex) {
                        continue;
                    }
                    raft.startElection(address(candidate));
                } catch (IOException e) {
                    tried.add(candidate + ": " + e.getMessage());
                    continue;
                }
                String leader = leaderAfterTransfer(node, asked, port, token);
                if (leader != null) {
                    return node + " handed raft's leadership to " + leader + " (raft's leadership transfer: no election timeout without a leader)";
                }
                tried.add(candidate + ": asked for votes, yet " + node + " still leads after " + TAKE_OVER_MILLIS + " ms");
            }
            if (!tried.isEmpty()) {
                break;
            }
            StepClock.pause(CATCH_UP_PAUSE_MILLIS);
        }
        return node + " leads raft and could not hand over (" + (tried.isEmpty() ? "no other server's log caught up with the leader's"
                : String.join("; ", tried)) + "): its restart costs an election";
    }

    /** The leader once it is another than {@code node}, or null if {@code node} still leads after {@link #TAKE_OVER_MILLIS}. */
    private String leaderAfterTransfer(String node, List<String> asked, int port, String token) {
        long end = System.nanoTime() + TAKE_OVER_MILLIS * 1_000_000;
        while (System.nanoTime() < end) {
            StepClock.pause(20);
            try {
                Raft now = raftAt(asked, port, token);
                if (now.leader() != null && !now.leader().equals(node)) {
                    return now.leader();
                }
            } catch (ApplyException e) {
                // Between the old leader's step down and the new one's first heartbeat no server names one.
            }
        }
        return null;
    }

    /** Raft's configuration as the first of {@code servers} that answers with a leader sees it. */
    private Raft raftAt(List<String> servers, int port, String token) {
        List<String> unanswered = new ArrayList<>();
        for (String server : servers) {
            if (!values.knows(Refs.publicAddress(server).name())) {
                continue;
            }
            try {
                ConsulHttps.Answer answer = consul.call(address(server), port, "GET", "/v1/operator/raft/configuration", token, null);
                if (!answer.ok()) {
                    unanswered.add(server + " (" + answer.status() + ": " + answer.body() + ")");
                    continue;
                }
                String leader = null;
                List<String> voters = new ArrayList<>();
                for (JsonNode peer : JSON.readTree(answer.body()).path("Servers")) {
                    if (peer.path("Leader").asBoolean()) {
                        leader = peer.path("Node").asText();
                    }
                    if (peer.path("Voter").asBoolean()) {
                        voters.add(peer.path("Node").asText());
                    }
                }
                return new Raft(leader, voters);
            } catch (IOException e) {
                unanswered.add(server + " (" + e.getMessage() + ")");
            }
        }
        throw new ApplyException("no Consul server answers with raft's configuration: " + String.join(", ", unanswered));
    }

    /** The index of the last entry in {@code server}'s raft log, as its agent tells. */
    private long lastLogIndex(String server, int port, String token) throws IOException {
        ConsulHttps.Answer answer = consul.call(address(server), port, "GET", "/v1/agent/self", token, null);
        if (!answer.ok()) {
            throw new IOException(answer.status() + ": " + answer.body());
        }
        String index = JSON.readTree(answer.body()).path("Stats").path("raft").path("last_log_index").asText();
        try {
            return Long.parseLong(index);
        } catch (NumberFormatException e) {
            throw new IOException(server + " tells no raft log index (a server?)");
        }
    }

    private String address(String server) {
        return values.value(Refs.publicAddress(server));
    }

    /** Who leads raft (null: nobody), and which servers vote. */
    private record Raft(String leader, List<String> voters) {
    }
}
