package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ConsulSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.AclSetup;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import io.swarmdsl.transport.consul.ConsulHttps;
import io.swarmdsl.transport.ssh.SshException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Carries out the plan's {@code acl} step through Consul's HTTPS API with the management token:
 * the policies and tokens it names are created where missing and brought in line where they differ.
 * Tells beforehand whether the live ACLs already match (a re-apply leaves the step out), and refuses
 * to make a new management token for a cluster whose Consul already has ACLs.
 */
public final class ConsulAcls implements Executor.StepRunner {
    /** The servers create the management token a moment after one of them leads. */
    private static final Duration MANAGEMENT_TOKEN_PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsulHttps consul;
    private final RunValues values;
    private final Redactor redactor;

    public ConsulAcls(ConsulHttps consul, RunValues values, Redactor redactor) {
        this.consul = consul;
        this.values = values;
        this.redactor = redactor;
    }

    public static boolean runs(Step step) {
        return step.action() instanceof Action.ConsulAcl;
    }

    /**
     * A cluster whose management token file is gone while its Consul has ACLs on must not get a new one
     * silently: the old token would stay valid, unknown to the user. Asked of the servers over SSH
     * (their loopback HTTP), as a new token would be made only when the file is missing.
     */
    public static void refuseLostManagementToken(ClusterSpec spec, NodeConnections connections, RunValues values) {
        if (!spec.consul().acl() || Files.exists(values.keptIn(Refs.CONSUL_MANAGEMENT_TOKEN))) {
            return;
        }
        for (NodeSpec master : spec.masters()) {
            if (!connections.hasAddress(master.name())) {
                continue;
            }
            String answer;
            try {
                answer = connections.of(master.name()).exec("curl -s -m 3 http://127.0.0.1:" + ConsulSpec.HTTP_PORT + "/v1/acl/token/self 2>/dev/null || true",
                        null, Duration.ofSeconds(10)).stdout().strip();
            } catch (SshException e) {
                continue;   // its steps will say what is wrong with it
            }
            if (!answer.isEmpty() && !answer.contains("ACL support disabled")) {
                throw new ApplyException("the Consul of " + master.name() + " has ACLs on, but the cluster's management token is not in "
                        + values.keptIn(Refs.CONSUL_MANAGEMENT_TOKEN) + ". Put that file back (from a backup of the state directory); "
                        + "if the token is lost for good, write a new one there (uuidgen > FILE) and apply again: the servers take it "
                        + "as a second management token, and the lost one stays valid until you delete it (consul acl token delete). "
                        + "Nothing was changed.");
            }
        }
    }

    /** The {@code acl} steps whose policies and tokens the live Consul already holds as planned. */
    public Set<StepId> alreadySet(List<Step> steps) {
        Set<StepId> done = new HashSet<>();
        for (Step step : steps) {
            if (step.action() instanceof Action.ConsulAcl acl && Files.exists(values.keptIn(Refs.CONSUL_MANAGEMENT_TOKEN))) {
                for (String address : addresses(acl)) {
                    try {
                        if (reconcile(address, acl, false).isEmpty()) {
                            done.add(step.id());
                        }
                        break;
                    } catch (IOException e) {
                        // this server does not answer: ask the next
                    } catch (ApplyException e) {
                        break;   // Consul answers, not as it should: the step runs and says so
                    }
                }
            }
        }
        return done;
    }

    @Override
    public StepOutcome run(Step step, String fingerprint) {
        long start = System.nanoTime();
        Action.ConsulAcl acl = (Action.ConsulAcl) step.action();
        List<String> unanswered = new ArrayList<>();
        for (String address : addresses(acl)) {
            try {
                String output = setUp(address, acl);
                return new StepOutcome(StepOutcome.Status.DONE, 0, output, "", StepClock.secondsSince(start), 1);
            } catch (IOException e) {
                unanswered.add(address + ":" + acl.port() + " (" + e.getMessage() + ")");   // any server will do: ask the next
            } catch (ApplyException e) {
                return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), StepClock.secondsSince(start), 1);
            }
        }
        return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact("no Consul server's HTTPS API answers: "
                + String.join(", ", unanswered)), StepClock.secondsSince(start), 1);
    }

    /** Creates or brings in line what {@code acl} names, through the server at {@code address}; says what it changed. */
    private String setUp(String address, Action.ConsulAcl acl) throws IOException {
        awaitManagementToken(address, acl.port());
        List<String> changed = reconcile(address, acl, true);
        return changed.isEmpty() ? "the ACLs were already as planned" : String.join("\n", changed);
    }

    /**
     * What differs between {@code acl}'s setup and the live ACLs, one line each (empty when nothing
     * does); with {@code change}, each is put right as it is found.
     */
    private List<String> reconcile(String address, Action.ConsulAcl acl, boolean change) throws IOException {
        int port = acl.port();
        List<String> differences = new ArrayList<>();
        for (AclSetup.Policy policy : acl.setup().policies()) {
            JsonNode live = livePolicy(address, port, policy.name());
            if (live == null || !matches(policy, live)) {
                differences.add((live == null ? "created" : "brought in line") + " the policy " + policy.name());
                if (change) {
                    put(address, port, "/v1/acl/policy" + (live == null ? "" : "/" + live.path("ID").asText()), AclSetup.body(policy));
                }
            }
        }
        for (AclSetup.Token token : acl.setup().tokens()) {
            JsonNode live = liveToken(address, port, token.accessor());
            boolean otherSecret = live != null && !values.value(token.secret()).equals(live.path("SecretID").asText());
            if (live == null || otherSecret || !matches(token, live)) {
                differences.add((live == null || otherSecret ? "created" : "brought in line") + " the token " + describe(token));
                if (change) {
                    if (otherSecret) {
                        // A token's secret cannot change: the state directory's is the one the nodes use.
                        call(address, port, "DELETE", "/v1/acl/token/" + token.accessor(), null);
                    }
                    put(address, port, "/v1/acl/token" + (live == null || otherSecret ? "" : "/" + token.accessor()),
                            values.resolve(acl.setup().body(token)));
                }
            }
        }
        return differences;
    }

    private static boolean matches(AclSetup.Policy policy, JsonNode live) {
        return policy.rules().equals(live.path("Rules").asText()) && policy.description().equals(live.path("Description").asText());
    }

    private static boolean matches(AclSetup.Token token, JsonNode live) {
        List<String> policies = new ArrayList<>();
        live.path("Policies").forEach(policy -> policies.add(policy.path("Name").asText()));
        List<String> nodes = new ArrayList<>();
        live.path("NodeIdentities").forEach(identity -> nodes.add(identity.path("NodeName").asText()));
        return token.description().equals(live.path("Description").asText()) && token.policies().equals(policies)
                && (token.nodeIdentity() == null ? nodes.isEmpty() : nodes.equals(List.of(token.nodeIdentity())));
    }

    /** Waits until the servers have made the management token of their configuration, or says why not. */
    private void awaitManagementToken(String address, int port) throws IOException {
        long end = System.nanoTime() + MANAGEMENT_TOKEN_PATIENCE.toNanos();
        while (true) {
            ConsulHttps.Answer answer = consul.call(address, port, "GET", "/v1/acl/token/self", values.value(Refs.CONSUL_MANAGEMENT_TOKEN), null);
            if (answer.ok()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new ApplyException("Consul at " + address + ":" + port + " does not take the cluster's management token "
                        + MANAGEMENT_TOKEN_PATIENCE.toSeconds() + " s after its servers elected a leader (" + answer.status() + ": "
                        + answer.body() + ")");
            }
            StepClock.pause(500);
        }
    }

    private JsonNode livePolicy(String address, int port, String name) throws IOException {
        for (JsonNode policy : json(call(address, port, "GET", "/v1/acl/policies", null))) {
            if (name.equals(policy.path("Name").asText())) {
                return json(call(address, port, "GET", "/v1/acl/policy/" + policy.path("ID").asText(), null));
            }
        }
        return null;
    }

    /** The token with {@code accessor}, or null when Consul has none. */
    private JsonNode liveToken(String address, int port, String accessor) throws IOException {
        ConsulHttps.Answer answer = consul.call(address, port, "GET", "/v1/acl/token/" + accessor, values.value(Refs.CONSUL_MANAGEMENT_TOKEN), null);
        if (answer.status() == 403 && answer.body().contains("ACL not found") || answer.status() == 404) {
            return null;
        }
        return json(checked(answer, "GET /v1/acl/token/" + accessor, address, port));
    }

    private void put(String address, int port, String path, String body) throws IOException {
        call(address, port, "PUT", path, body);
    }

    private String call(String address, int port, String method, String path, String body) throws IOException {
        return checked(consul.call(address, port, method, path, values.value(Refs.CONSUL_MANAGEMENT_TOKEN), body), method + " " + path, address, port);
    }

    private static String checked(ConsulHttps.Answer answer, String what, String address, int port) {
        if (!answer.ok()) {
            throw new ApplyException("Consul at " + address + ":" + port + " refused " + what + " (" + answer.status() + "): " + answer.body());
        }
        return answer.body();
    }

    private static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    private static String describe(AclSetup.Token token) {
        return token.nodeIdentity() != null ? "of " + token.nodeIdentity() + "'s agent" : "default";
    }

    /** The servers' addresses, those known (a droplet still to make has none). */
    private List<String> addresses(Action.ConsulAcl acl) {
        return acl.servers().stream().filter(server -> values.knows(Refs.publicAddress(server).name()))
                .map(server -> values.value(Refs.publicAddress(server))).toList();
    }
}
