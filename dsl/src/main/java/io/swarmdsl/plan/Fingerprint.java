package io.swarmdsl.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a step does, as a short hash: the same step planned again has the same fingerprint, a
 * changed command or file content a different one. The nodes' markers and the journal keep it, so
 * its encoding is its own (not a renderer's) and changes only on purpose: the golden fingerprints
 * say when. Made from the step as shown (secrets as placeholders), so it never carries a secret.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(Step step) {
        return sha256(canonical(step)).substring(0, 16);
    }

    /** The step's id, kind and action, without its edges or summary. */
    static String canonical(Step step) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("id", step.id().toString());
        tree.put("kind", step.kind().word());
        Action action = step.action();
        if (action instanceof Action.Ssh ssh) {
            tree.put("command", ssh.command().display());
        } else if (action instanceof Action.Upload upload) {
            tree.put("files", upload.files().stream().map(Fingerprint::file).toList());
        } else if (action instanceof Action.Compose compose) {
            tree.put("files", List.of(fields("path", compose.file(), "mode", "0644", "content", compose.yaml().display())));
            tree.put("command", "docker compose -p " + compose.project() + " -f " + compose.file() + " " + Action.Compose.UP);
        } else if (action instanceof Action.Docker docker) {
            tree.put("api", fields("method", docker.method(), "path", docker.path(), "port", docker.port(),
                    "body", docker.body() == null ? null : docker.body().display(), "outputs", docker.outputs()));
        } else if (action instanceof Action.ConsulAcl acl) {
            tree.put("consul_acl", fields("port", acl.port(), "servers", acl.servers(), "setup", acl.setup().tree()));
        } else if (action instanceof Action.ConsulLeave leave) {
            tree.put("consul_leave", fields("port", leave.port(), "node", leave.node(), "servers", leave.servers(), "stays", leave.stays()));
        } else if (action instanceof Action.ConsulHandOver handOver) {
            tree.put("consul_hand_over", fields("port", handOver.port(), "node", handOver.node(), "servers", handOver.servers()));
        } else if (action instanceof Action.Wait wait) {
            tree.put("wait", fields("condition", wait.condition().word(), "target", wait.target().display(),
                    "timeout_seconds", wait.timeoutSeconds()));
        } else if (action instanceof Action.Provision provision) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            provision.parameters().forEach((name, value) -> parameters.put(name, value.display()));
            tree.put("api", fields("operation", provision.operation(), "parameters", parameters));
        }
        return Documents.json(tree);
    }

    private static Map<String, Object> file(FileSpec file) {
        Map<String, Object> tree = fields("path", file.path(), "mode", file.mode());
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

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            tree.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return tree;
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
