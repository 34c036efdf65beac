package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Phase;
import io.swarmdsl.model.SwarmSpec;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Condition;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Planner;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.Text;
import io.swarmdsl.transport.docker.DockerEngines;
import io.swarmdsl.transport.docker.EngineAnswer;
import io.swarmdsl.transport.docker.EngineException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Carries out the steps that talk to the Docker Engine API (TLS, the cluster's client certificate):
 * Swarm init and join, networks, the verify reads, and the waits for an engine to answer. Join
 * tokens come from the manager at run time and are secrets; when the step that gave them ran in an
 * earlier apply, they are read again from that manager.
 */
public final class DockerStepRunner implements Executor.StepRunner {
    /** How long a verify read keeps trying before it reports what it saw: nodes take a moment to be Ready. */
    static final Duration VERIFY_PATIENCE = Duration.ofSeconds(60);
    /**
     * Classic Swarm's managers see an engine again only once its restarted agent registers: after
     * engine restarts on a running cluster that took 4-57 s on the lab (the old agent's Consul
     * session keeps the registration until it expires).
     */
    static final Duration CLASSIC_VERIFY_PATIENCE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TOKEN_FIELDS = Map.of(
            Refs.MANAGER_TOKEN.name(), "Manager",
            Refs.WORKER_TOKEN.name(), "Worker");

    private final Plan plan;
    private final DockerEngines engines;
    private final RunValues values;
    private final Redactor redactor;

    public DockerStepRunner(Plan plan, DockerEngines engines, RunValues values, Redactor redactor) {
        this.plan = plan;
        this.engines = engines;
        this.values = values;
        this.redactor = redactor;
    }

    /** Whether this runner carries out {@code step}. */
    public static boolean runs(Step step) {
        return step.action() instanceof Action.Docker
                || step.action() instanceof Action.Wait wait && wait.condition() instanceof Condition.EngineAnswers;
    }

    @Override
    public StepOutcome run(Step step, String fingerprint) {
        long start = System.nanoTime();
        try {
            String output = step.action() instanceof Action.Wait wait ? waitForEngine(step, wait) : call(step, (Action.Docker) step.action());
            return new StepOutcome(StepOutcome.Status.DONE, 0, redactor.redact(output), "", StepClock.secondsSince(start), 1);
        } catch (EngineException | ApplyException e) {
            return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), StepClock.secondsSince(start), 1);
        }
    }

    private String call(Step step, Action.Docker docker) throws EngineException {
        String address = address(step.node());
        if (step.phase() == Phase.VERIFY) {
            return verify(step, docker, address);
        }
        resolveTokens(docker.body());
        String body = docker.body() == null ? null : values.resolve(docker.body());
        EngineAnswer answer;
        try {
            answer = engines.call(address, docker.port(), docker.method(), docker.path(), body);
        } catch (EngineException e) {
            if (e.status() == 409 && docker.path().equals("/networks/create")) {
                return "the network is there already";
            }
            throw e;
        }
        if (!docker.outputs().isEmpty()) {
            readTokens(address, docker.port());
        }
        return answer.body();
    }

    /** Join tokens the body needs and this apply has not seen: read from the manager whose step gives them. */
    private void resolveTokens(Text body) throws EngineException {
        if (body == null) {
            return;
        }
        for (Text.Ref ref : body.refs()) {
            if (TOKEN_FIELDS.containsKey(ref.name()) && !values.knows(ref.name())) {
                Step giver = plan.steps().stream()
                        .filter(s -> s.action() instanceof Action.Docker d && d.outputs().contains(ref.name()))
                        .findFirst()
                        .orElseThrow(() -> new ApplyException("no step of the plan gives " + ref.name()));
                readTokens(address(giver.node()), ((Action.Docker) giver.action()).port());
            }
        }
    }

    private void readTokens(String manager, int port) throws EngineException {
        JsonNode tokens = json(engines.call(manager, port, "GET", "/swarm", null).body()).path("JoinTokens");
        TOKEN_FIELDS.forEach((name, field) -> {
            String token = tokens.path(field).asText("");
            if (token.isEmpty()) {
                throw new ApplyException("the manager at " + manager + " gave no " + field.toLowerCase() + " join token");
            }
            values.put(name, token, true);
        });
    }

    /** Reads what the verify step names and compares it with the cluster the script describes, until it matches or time is up. */
    private String verify(Step step, Action.Docker docker, String address) throws EngineException {
        ClusterSpec cluster = plan.cluster();
        Duration patience = cluster.swarm().flavor() == SwarmSpec.Flavor.CLASSIC ? CLASSIC_VERIFY_PATIENCE : VERIFY_PATIENCE;
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            String problem;
            String seen;
            try {
                String body = engines.call(address, docker.port(), docker.method(), docker.path(), null).body();
                if (docker.path().equals("/nodes")) {
                    SwarmNodes nodes = SwarmNodes.of(json(body));
                    seen = nodes.describe();
                    problem = nodes.problem(cluster.nodes().size(), cluster.masters().size());
                } else if (cluster.swarm().flavor() == SwarmSpec.Flavor.CLASSIC && docker.port() == cluster.swarm().port()) {
                    List<JsonNode> managers = new ArrayList<>();
                    for (NodeSpec node : cluster.masters()) {
                        if (Planner.isClassicManager(cluster, node)) {
                            managers.add(json(engines.call(address(node.name()), docker.port(), "GET", "/info", null).body()));
                        }
                    }
                    ClassicSwarm swarm = ClassicSwarm.of(managers);
                    seen = swarm.describe();
                    problem = swarm.problem(cluster.nodes().size());
                } else {
                    seen = "the engine answers";
                    problem = null;
                }
            } catch (EngineException e) {
                if (!e.retryable()) {
                    throw e;
                }
                seen = "";
                problem = e.getMessage();
            }
            if (problem == null) {
                return seen;
            }
            if (System.nanoTime() > deadline) {
                throw new ApplyException(step.summary() + ": " + problem + (seen.isEmpty() ? "" : " (" + seen + ")"));
            }
            StepClock.pause(1000);
        }
    }

    private String waitForEngine(Step step, Action.Wait wait) {
        String address = address(step.node());
        int port = plan.cluster().engine().port();
        long deadline = System.nanoTime() + Duration.ofSeconds(wait.timeoutSeconds()).toNanos();
        EngineException last;
        do {
            try {
                engines.call(address, port, "GET", "/_ping", null);
                return "the engine answers on " + address + ":" + port;
            } catch (EngineException e) {
                last = e;
            }
            StepClock.pause(500);
        } while (System.nanoTime() < deadline);
        throw new ApplyException("gave up waiting after " + wait.timeoutSeconds() + " s for the engine of " + step.node()
                + ": " + last.getMessage());
    }

    private String address(String node) {
        return values.value(Refs.publicAddress(node));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApplyException("the engine answered with something that is not JSON: " + e.getMessage());
        }
    }
}
