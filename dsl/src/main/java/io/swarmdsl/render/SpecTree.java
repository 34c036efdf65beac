package io.swarmdsl.render;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.HookSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;

/** The resolved cluster as plain maps and lists, secrets replaced by where they come from. */
public final class SpecTree {
    private SpecTree() {
    }

    public static Map<String, Object> of(ClusterSpec spec) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", spec.name());
        tree.put("provider", provider(spec.provider()));
        tree.put("domain", spec.domain());
        tree.put("datacenter", spec.datacenter());
        tree.put("clusterInterface", spec.clusterInterface());
        tree.put("nodes", spec.nodes().stream().map(SpecTree::node).toList());
        tree.put("ssh", fields("user", spec.ssh().user(), "port", spec.ssh().port(), "key", spec.ssh().key(),
                "knownHosts", spec.ssh().knownHosts(), "jump", spec.ssh().jump()));
        var engine = spec.engine();
        tree.put("engine", fields("enabled", engine.enabled(), "port", engine.port(), "tls", engine.tls(),
                "logDriver", engine.logDriver(), "logOpts", engine.logOpts(), "dns", engine.dns(), "dnsSearch", engine.dnsSearch(),
                "labels", engine.labels(), "storageDriver", engine.storageDriver(), "registryMirrors", engine.registryMirrors(),
                "insecureRegistries", engine.insecureRegistries(), "options", engine.options()));
        var consul = spec.consul();
        tree.put("consul", fields("enabled", consul.enabled(), "serverImage", consul.serverImage(),
                "agentImage", consul.agentImage(), "encrypt", secret(consul.encrypt()), "tls", consul.tls(), "acl", consul.acl(),
                "downPolicy", consul.downPolicy(), "ui", consul.ui(),
                "dnsPort", consul.dnsPort(), "recursors", consul.recursors(), "bootstrapExpect", consul.bootstrapExpect()));
        var swarm = spec.swarm();
        tree.put("swarm", fields("flavor", swarm.flavor().name().toLowerCase(), "replication", swarm.replication(),
                "image", swarm.image(), "strategy", swarm.strategy(), "port", swarm.port()));
        tree.put("memoryAccounting", spec.memoryAccounting());
        tree.put("compositions", spec.compositions().stream()
                .map(c -> fields("name", c.name(), "on", c.targets(), "yaml", c.yaml())).toList());
        tree.put("hooks", spec.hooks().stream().map(SpecTree::hook).toList());
        return tree;
    }

    private static Map<String, Object> provider(ProviderSpec provider) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", provider.name());
        if (provider instanceof ProviderSpec.DigitalOcean cloud) {
            tree.put("region", cloud.region());
            tree.put("size", cloud.size());
            tree.put("image", cloud.image());
            tree.put("sshKey", cloud.sshKey());
            tree.put("token", secret(cloud.token()));
            tree.put("monitoring", cloud.monitoring());
        } else if (provider instanceof ProviderSpec.Generic generic) {
            tree.put("hosts", generic.hosts().stream().map(h -> fields("name", h.name(), "public", h.publicAddress(),
                    "private", h.privateAddress(), "user", h.user(), "key", h.key(), "port", h.port())).toList());
        }
        return tree;
    }

    private static Map<String, Object> node(NodeSpec node) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", node.name());
        tree.put("fqdn", node.fqdn());
        tree.put("role", node.role().singular());
        tree.put("public", node.publicAddress() == null ? "(known after provision)" : node.publicAddress());
        tree.put("private", node.privateAddress() == null ? "(known after provision)" : node.privateAddress());
        return tree;
    }

    private static Map<String, Object> hook(HookSpec hook) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("when", hook.when().name().toLowerCase());
        tree.put("phase", hook.phase().keyword());
        tree.put("on", hook.targets());
        tree.put("actions", hook.actions().stream().map(a -> a instanceof HookSpec.Run run
                ? Map.<String, Object>of("run", run.command())
                : upload((HookSpec.Upload) a)).toList());
        return tree;
    }

    private static Map<String, Object> upload(HookSpec.Upload upload) {
        return fields("upload", upload.source(), "content", upload.content(), "to", upload.to(), "mode", upload.mode());
    }

    /** How a secret appears in any output: its origin, never its value. */
    public static Object secret(Secret secret) {
        if (secret == null) {
            return null;
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("value", "(sensitive)");
        tree.put("from", secret.origin());
        return tree;
    }

    /** An ordered map of the given names and values, leaving out values that are not set. */
    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                tree.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return tree;
    }
}
