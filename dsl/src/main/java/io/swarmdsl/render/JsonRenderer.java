package io.swarmdsl.render;

import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Documents;
import io.swarmdsl.plan.FileSpec;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan as one JSON object for CI and tools: {@code format_version}, {@code cluster} (the resolved
 * spec, secrets redacted), {@code steps} with their concrete command, files or API call, and edges.
 */
@SuppressWarnings("unchecked")
public final class JsonRenderer implements Renderer {
    public static final int FORMAT_VERSION = 1;
    private final Map<String, Object> source;

    public JsonRenderer() {
        this.source = null;
    }

    /**
     * A renderer for a saved plan: it names the script and its hash, so that {@code swarm apply}
     * can refuse the plan once the script has changed. Never the script's text: it may hold secrets.
     */
    public JsonRenderer(String script, String sha256) {
        this(script, sha256, false);
    }

    /** {@code refreshed}: the plan is what was left to do when the nodes were read ({@code plan --refresh}), not a saved plan to apply. */
    public JsonRenderer(String script, String sha256, boolean refreshed) {
        this.source = new LinkedHashMap<>();
        source.put("script", script);
        source.put("sha256", sha256);
        if (refreshed) {
            source.put("refreshed", true);
        }
    }

    @Override
    public String render(Plan plan) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format_version", FORMAT_VERSION);
        if (source != null) {
            document.put("source", source);
        }
        document.put("summary", plan.summary());
        document.put("cluster", SpecTree.of(plan.cluster()));
        List<Object> steps = new ArrayList<>();
        for (Step step : PlanOrder.reading(plan)) {
            steps.add(step(plan, step));
        }
        document.put("steps", steps);
        return Documents.json(document);
    }

    private static Map<String, Object> step(Plan plan, Step step) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("id", step.id().toString());
        tree.put("phase", step.phase().keyword());
        tree.put("node", step.node());
        tree.put("kind", step.kind().word());
        tree.put("summary", step.summary());
        tree.putAll(action(step));
        if (step.action() instanceof Action.Docker docker) {
            ((Map<String, Object>) tree.get("api")).put("endpoint", TextRenderer.endpoint(plan.cluster(), step.node(), docker.port()));
        } else if (step.action() instanceof Action.Provision) {
            ((Map<String, Object>) tree.get("api")).put("provider", plan.cluster().provider().name());
        }
        if (step.check() != null) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("probe", step.check().probe());
            check.put("expected", step.check().expected());
            tree.put("check", check);
        }
        tree.put("after", step.after().stream().map(StepId::toString).toList());
        tree.put("sensitive", step.sensitive());
        return tree;
    }

    private static Map<String, Object> action(Step step) {
        Map<String, Object> tree = new LinkedHashMap<>();
        Action action = step.action();
        if (action instanceof Action.Ssh ssh) {
            tree.put("command", ssh.command().display());
        } else if (action instanceof Action.Upload upload) {
            tree.put("files", upload.files().stream().map(JsonRenderer::file).toList());
        } else if (action instanceof Action.Compose compose) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", compose.file());
            file.put("mode", "0644");
            file.put("content", compose.yaml().display());
            tree.put("files", List.of(file));
            tree.put("command", "docker compose -p " + compose.project() + " -f " + compose.file() + " " + Action.Compose.UP);
        } else if (action instanceof Action.Docker docker) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("method", docker.method());
            api.put("path", docker.path());
            api.put("port", docker.port());
            api.put("body", docker.body() == null ? null : docker.body().display());
            api.put("outputs", docker.outputs());
            tree.put("api", api);
        } else if (action instanceof Action.ConsulAcl acl) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("port", acl.port());
            api.put("servers", acl.servers());
            api.putAll(acl.setup().tree());
            tree.put("consul_acl", api);
        } else if (action instanceof Action.ConsulLeave leave) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("port", leave.port());
            api.put("node", leave.node());
            api.put("servers", leave.servers());
            api.put("stays", leave.stays());
            tree.put("consul_leave", api);
        } else if (action instanceof Action.ConsulHandOver handOver) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("port", handOver.port());
            api.put("node", handOver.node());
            api.put("servers", handOver.servers());
            tree.put("consul_hand_over", api);
        } else if (action instanceof Action.Wait wait) {
            Map<String, Object> condition = new LinkedHashMap<>();
            condition.put("condition", wait.condition().word());
            condition.put("target", wait.target().display());
            condition.put("timeout_seconds", wait.timeoutSeconds());
            tree.put("wait", condition);
        } else if (action instanceof Action.Provision provision) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("operation", provision.operation());
            Map<String, Object> parameters = new LinkedHashMap<>();
            provision.parameters().forEach((name, value) -> parameters.put(name, value.display()));
            api.put("parameters", parameters);
            tree.put("api", api);
        }
        return tree;
    }

    private static Map<String, Object> file(FileSpec file) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("path", file.path());
        tree.put("mode", file.mode());
        if (file.content() instanceof FileSpec.Inline inline) {
            tree.put("content", inline.text().display());
        } else if (file.content() instanceof FileSpec.Generated generated) {
            tree.put("generated", generated.description().display());
            tree.put("secret", generated.secret());
        } else if (file.content() instanceof FileSpec.LocalFile local) {
            tree.put("local_file", local.path());
        }
        return tree;
    }
}
