package io.swarmdsl.model;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** {@code compose 'monitoring', on: 'all', yaml: '''services: …'''}: an extra composition of the script's. */
public final class ComposeBuilder extends Section {
    String name;
    List<String> targets = List.of("all");
    String yaml;

    @Override
    public String sectionName() {
        return "compose";
    }

    @Keyword(usage = "compose 'name'",
            doc = "The composition's name: lower-case letters, digits, - or _; consul and swarm are the tool's own.", positional = true)
    public ComposeBuilder name(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new SpecException("composition name '" + name + "' must be lower-case letters, digits, '-' or '_'");
        }
        this.name = name;
        return this;
    }

    @Keyword(usage = "compose 'name', on: 'masters' | 'agents' | 'all' | ['node1', 'node2']",
            doc = "The nodes it runs on: a role (masters, agents, all) or node names.",
            byDefault = "all")
    public ComposeBuilder on(List<String> targets) {
        this.targets = List.copyOf(targets);
        return this;
    }

    @Keyword(usage = "compose 'name', yaml: '''services: …'''   (a docker-compose file)",
            doc = "The composition as a docker-compose file; it must have services.")
    public ComposeBuilder yaml(String yaml) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new SpecException("compose yaml is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        requireServices(document);
        this.yaml = yaml.endsWith("\n") ? yaml : yaml + "\n";
        return this;
    }

    @Keyword(usage = "compose 'name', services: [web: [image: 'nginx:1.25', ports: ['80:80']]]",
            doc = "The composition's services as a Groovy map, written out as a compose file.")
    public ComposeBuilder services(Map<String, Object> services) {
        // Version 2.4 keeps the file readable by docker-compose 1.x as well as by docker compose.
        Map<String, Object> document = new java.util.LinkedHashMap<>();
        document.put("version", "2.4");
        document.put("services", services);
        requireServices(document);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        this.yaml = new Yaml(options).dump(document);
        return this;
    }

    private static void requireServices(Object document) {
        if (!(document instanceof Map<?, ?> map) || !(map.get("services") instanceof Map<?, ?> services) || services.isEmpty()) {
            throw new SpecException("a composition needs at least one service under 'services:'");
        }
        services.forEach((service, definition) -> {
            if (!(definition instanceof Map<?, ?> keys)) {
                throw new SpecException("service '" + Excerpt.of(String.valueOf(service)) + "' must be a map of its settings");
            }
            for (Object key : keys.keySet()) {
                String name = String.valueOf(key);
                if (!SERVICE_KEYS.contains(name) && !name.startsWith("x-")) {
                    throw new SpecException("service '" + service + "' has an unknown key '" + Excerpt.of(name) + "'"
                            + DidYouMean.suggest(name, SERVICE_KEYS) + " (the Compose file's service keys)");
                }
            }
        });
    }

    /** The keys of a service in the Compose Specification (and docker-compose 1.29's file format 3). */
    private static final java.util.Set<String> SERVICE_KEYS = java.util.Set.of(
            "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
            "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
            "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
            "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "driver_opts", "entrypoint",
            "env_file", "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add",
            "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links", "logging",
            "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "network_mode", "networks",
            "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop",
            "privileged", "profiles", "pull_policy", "read_only", "restart", "runtime", "scale", "secrets",
            "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls",
            "tmpfs", "tty", "ulimits", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir");

    ComposeSpec build() {
        if (name == null) {
            throw error("compose", "compose needs a name: compose 'name', on: 'all', yaml: '…'");
        }
        if (yaml == null) {
            throw error("compose", "compose '" + name + "' needs its services: yaml: '''…''' or services: [...]");
        }
        return new ComposeSpec(name, targets, yaml);
    }
}
