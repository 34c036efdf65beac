package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ConsulSpec;
import io.swarmdsl.model.EngineSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.SwarmSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files and API bodies the plan writes on nodes: Consul's configuration and composition, the
 * daemon's options, classic Swarm's composition, Swarm-mode calls. Values known only when applying
 * (addresses of new droplets, the gossip key, join tokens) go in as references.
 */
final class NodeFiles {
    static final String COMPOSE_VERSION = "2.4";
    /** glibc's resolver reads the first three nameservers of resolv.conf (MAXNS). */
    static final int MAX_NAMESERVERS = 3;
    private final ClusterSpec spec;
    private final Map<String, Text.Ref> refs = new HashMap<>();

    NodeFiles(ClusterSpec spec) {
        this.spec = spec;
        for (Text.Ref ref : List.of(Refs.GOSSIP_KEY, Refs.PROVIDER_TOKEN, Refs.MANAGER_TOKEN, Refs.WORKER_TOKEN,
                Refs.CONSUL_MANAGEMENT_TOKEN, Refs.CONSUL_DEFAULT_TOKEN)) {
            refs.put(ref.name(), ref);
        }
    }

    Object publicAddress(NodeSpec node) {
        return node.publicAddress() != null ? node.publicAddress() : ref(Refs.publicAddress(node.name()));
    }

    Object privateAddress(NodeSpec node) {
        return node.privateAddress() != null ? node.privateAddress() : ref(Refs.privateAddress(node.name()));
    }

    boolean needsCertificates() {
        return spec.engine().enabled() && spec.engine().tls() || spec.consul().enabled() && spec.consul().tls();
    }

    Text consulConfig(NodeSpec node) {
        ConsulSpec consul = spec.consul();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("datacenter", spec.datacenter());
        config.put("domain", spec.domain() + ".");
        config.put("node_name", node.name());
        config.put("advertise_addr", embed(privateAddress(node)));
        config.put("client_addr", "0.0.0.0");
        config.put("server", node.isMaster());
        if (node.isMaster()) {
            config.put("ui", consul.ui());
            // HashiCorp's production setting: elections and leader loss detected in about a second,
            // rather than the default's development-friendly five.
            config.put("performance", Map.of("raft_multiplier", 1));
            // Classic Swarm's locks and registrations are Consul sessions of half their TTL: short
            // sessions (Consul's least is 10 s by default) let a replica take over sooner from a
            // primary that stopped (18-19 s with the defaults on the lab, 5.3-5.5 s with 6 s).
            if (spec.swarm().flavor() == SwarmSpec.Flavor.CLASSIC) {
                config.put("session_ttl_min", "2s");
            }
        }
        // Servers that boot together find each other on a later try: every second, not every ten.
        config.put("retry_interval", "1s");
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("dns", consul.dnsPort());
        if (consul.tls()) {
            // The API for the network only over HTTPS with a client certificate of the cluster's CA;
            // plain HTTP for the node's own processes (the engine's cluster store, the plan's checks).
            ports.put("https", ConsulSpec.HTTPS_PORT);
            config.put("addresses", Map.of("http", "127.0.0.1"));
        }
        config.put("ports", ports);
        config.put("recursors", consul.recursors());
        config.put("dns_config", Map.of("allow_stale", true));
        // A server that restarts (its engine restarts) must not leave: three leaving at once is a cluster
        // without servers, and agents never reconnect to servers that left. An agent leaves when
        // stopped and rejoins through retry_join when it starts again.
        config.put("leave_on_terminate", !node.isMaster());
        config.put("rejoin_after_leave", true);
        if (consul.tls()) {
            Map<String, Object> files = new LinkedHashMap<>();
            files.put("ca_file", NodePaths.CA);
            files.put("cert_file", NodePaths.CERT);
            files.put("key_file", NodePaths.KEY);
            if (consul.atLeast(1, 12)) {
                // Consul 1.12 moved the TLS settings into a stanza per interface.
                files.put("verify_outgoing", true);
                Map<String, Object> tls = new LinkedHashMap<>();
                tls.put("defaults", files);
                Map<String, Object> internalRpc = new LinkedHashMap<>();
                internalRpc.put("verify_incoming", true);
                internalRpc.put("verify_server_hostname", true);
                tls.put("internal_rpc", internalRpc);
                tls.put("https", Map.of("verify_incoming", true));
                config.put("tls", tls);
            } else {
                config.putAll(files);
                // Before 1.12, for the RPC port and the HTTPS API alike.
                config.put("verify_incoming", true);
                config.put("verify_outgoing", true);
                // Servers must show Consul's server name (CertificateNames): an agent's certificate makes no server.
                config.put("verify_server_hostname", true);
            }
        }
        if (consul.encrypt() != null) {
            config.put("encrypt", Refs.GOSSIP_KEY.marker());
        }
        if (consul.acl()) {
            config.put("primary_datacenter", spec.datacenter());
            config.put("acl", acl(node));
        }
        return Text.parse(Documents.json(config), refs);
    }

    /**
     * Deny what no token allows. The servers create the management token from their configuration
     * when one of them leads (Consul's way of bootstrapping with a known token: a re-apply finds it
     * again); the plan's {@code acl} step makes the others.
     */
    private Map<String, Object> acl(NodeSpec node) {
        ConsulSpec consul = spec.consul();
        Map<String, Object> acl = new LinkedHashMap<>();
        acl.put("enabled", true);
        acl.put("default_policy", "deny");
        acl.put("down_policy", consul.downPolicy());
        Map<String, Object> tokens = new LinkedHashMap<>();
        if (node.isMaster()) {
            tokens.put(consul.atLeast(1, 11) ? "initial_management" : "master", Refs.CONSUL_MANAGEMENT_TOKEN.marker());
        }
        tokens.put("agent", embed(Refs.consulAgentToken(node.name())));
        tokens.put("default", Refs.CONSUL_DEFAULT_TOKEN.marker());
        acl.put("tokens", tokens);
        return acl;
    }

    /** The node's HTTP API as other nodes reach it: HTTPS with TLS, else the open port. */
    Text consulApi(NodeSpec node) {
        return spec.consul().tls() ? Text.of("https://", privateAddress(node), ":" + ConsulSpec.HTTPS_PORT)
                : Text.of("http://", privateAddress(node), ":" + ConsulSpec.HTTP_PORT);
    }

    /** curl's options to show the node's certificate to an HTTPS API of the cluster, and check the other side's. */
    String curlTls() {
        return spec.consul().tls() ? "--cacert " + NodePaths.CA + " --cert " + NodePaths.CERT + " --key " + NodePaths.KEY + " " : "";
    }

    /**
     * The gliderlabs images start {@code consul agent -config-dir=/config} with their data in /data;
     * HashiCorp's entrypoint turns {@code agent} into {@code consul agent -data-dir=/consul/data
     * -config-dir=/consul/config}. The configuration carries the rest. A changed file is put to use
     * by the restart step after it, one server at a time ({@code up -d} looks only at the composition).
     */
    /**
     * Whom Consul joins, and on a master how many servers bootstrap raft: both are read only when
     * Consul starts (a running agent keeps its members, and raft bootstraps once), so a server
     * joining or leaving changes this file on the others without restarting them.
     */
    Text consulJoin(NodeSpec node) {
        Map<String, Object> join = new LinkedHashMap<>();
        if (node.isMaster()) {
            join.put("bootstrap_expect", spec.consul().bootstrapExpect());
        }
        join.put("retry_join", serverAddresses(node));
        return Text.parse(Documents.json(join), refs);
    }

    Text consulComposition(NodeSpec node) {
        ConsulSpec consul = spec.consul();
        String config = consul.gliderlabs() ? "/config" : "/consul/config";
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("image", node.isMaster() ? consul.serverImage() : consul.agentImage());
        service.put("container_name", "consul");
        service.put("network_mode", "host");
        service.put("restart", "always");
        Map<String, String> environment = new LinkedHashMap<>(Map.of("GOMAXPROCS", "2"));
        if (!consul.gliderlabs()) {
            // As root: to read the node's private key (0600, root) and to answer DNS on port 53.
            environment.put("CONSUL_DISABLE_PERM_MGMT", "true");
            service.put("command", List.of("agent"));
        }
        service.put("environment", environment);
        List<String> volumes = new ArrayList<>(List.of("consul-data:" + (consul.gliderlabs() ? "/data" : "/consul/data"),
                NodePaths.CONSUL_CONFIG + ":" + config + "/swarm.json:ro", NodePaths.CONSUL_JOIN + ":" + config + "/join.json:ro"));
        if (consul.tls()) {
            // Their directory, not the files: an upload renames a new file over the old one, which a
            // file's bind mount would never show, and Consul reloads new certificates in place.
            volumes.add(NodePaths.CERTIFICATES + ":" + NodePaths.CERTIFICATES + ":ro");
        }
        if (consul.gliderlabs()) {
            volumes.add("/var/run/docker.sock:/var/run/docker.sock");
        }
        service.put("volumes", volumes);
        return composition(Map.of("consul", service), Map.of("consul-data", Map.of()));
    }

    /** The node files the Consul container reads: its configuration, and the certificates with TLS. */
    /**
     * The node's Consul agent first, then Consul's own recursors: Consul runs in a container, so while
     * the node boots (or its engine restarts) nothing answers on its port 53, the resolver is refused at
     * once and asks the recursors. Names outside Consul resolve at every moment, and the same way.
     */
    Text resolvConf(NodeSpec node) {
        List<Object> parts = new ArrayList<>(List.of(
                "# written by swarm: the node's Consul agent answers, and recurses for other names;\n",
                "# until Consul runs (boot, engine restart), its recursors answer the names outside Consul\n"));
        for (Object nameserver : nameservers(node)) {
            parts.addAll(List.of("nameserver ", nameserver, "\n"));
        }
        parts.addAll(List.of("search ", spec.domain(), "\n", "options timeout:2 attempts:2\n"));
        return Text.of(parts.toArray());
    }

    /** The node's Consul agent and, after it, as many of Consul's recursors as a resolver reads (three in all). */
    private List<Object> nameservers(NodeSpec node) {
        List<Object> nameservers = new ArrayList<>(List.of(privateAddress(node)));
        spec.consul().recursors().stream().limit(MAX_NAMESERVERS - 1).forEach(nameservers::add);
        return nameservers;
    }

    Text daemonJson(NodeSpec node) {
        EngineSpec engine = spec.engine();
        Map<String, Object> daemon = new LinkedHashMap<>();
        daemon.put("hosts", List.of("tcp://0.0.0.0:" + engine.port(), "unix:///var/run/docker.sock"));
        if (engine.tls()) {
            daemon.put("tls", true);
            daemon.put("tlsverify", true);
            daemon.put("tlscacert", NodePaths.CA);
            daemon.put("tlscert", NodePaths.CERT);
            daemon.put("tlskey", NodePaths.KEY);
        }
        List<String> labels = new ArrayList<>(List.of("provider=" + providerName(), "role=" + node.role().singular()));
        labels.addAll(engine.labels());
        daemon.put("labels", labels);
        daemon.put("log-driver", engine.logDriver());
        if (!engine.logOpts().isEmpty()) {
            daemon.put("log-opts", engine.logOpts());
        }
        // Containers outlive an engine restart: a rolling engine change or upgrade no longer
        // restarts the node's Consul (an election when it leads) nor its Swarm containers.
        // Docker refuses Swarm mode on such an engine ("incompatible with swarm mode").
        if (spec.swarm().flavor() != SwarmSpec.Flavor.MODE) {
            daemon.put("live-restore", true);
        }
        List<Object> dns = engine.dns().isEmpty() && spec.consul().enabled() ? embedded(nameservers(node))
                : List.copyOf(engine.dns());
        if (!dns.isEmpty()) {
            daemon.put("dns", dns);
        }
        List<String> dnsSearch = engine.dnsSearch().isEmpty() && spec.consul().enabled() ? List.of(spec.domain()) : engine.dnsSearch();
        if (!dnsSearch.isEmpty()) {
            daemon.put("dns-search", dnsSearch);
        }
        if (engine.storageDriver() != null) {
            daemon.put("storage-driver", engine.storageDriver());
        }
        if (!engine.registryMirrors().isEmpty()) {
            daemon.put("registry-mirrors", engine.registryMirrors());
        }
        if (!engine.insecureRegistries().isEmpty()) {
            daemon.put("insecure-registries", engine.insecureRegistries());
        }
        daemon.putAll(engine.options());
        return Text.parse(Documents.json(daemon), refs);
    }

    /**
     * The engine options that keep classic Swarm's overlay networks in Consul (Docker 1.9 to 19.03),
     * or null where the cluster has no use for them. Not in daemon.json: they go to the engines that
     * take them only, which the restart step reads from the node's dockerd at apply.
     */
    String clusterStoreFlags() {
        if (!spec.consul().enabled() || spec.swarm().flavor() != SwarmSpec.Flavor.CLASSIC || !spec.engine().clusterStore()) {
            return null;
        }
        return "--cluster-store=consul://127.0.0.1:" + ConsulSpec.HTTP_PORT + " --cluster-advertise=" + spec.clusterInterface() + ":" + spec.engine().port();
    }

    /**
     * Classic Swarm as a composition with Consul as its DNS server: the article's "more attractive"
     * alternative to rewriting resolv.conf and restarting the engine for the containers to see Consul.
     */
    Text classicSwarmComposition(NodeSpec node, boolean manager) {
        SwarmSpec swarm = spec.swarm();
        EngineSpec engine = spec.engine();
        Map<String, Object> services = new LinkedHashMap<>();
        if (manager) {
            List<Object> command = new ArrayList<>(List.of("manage"));
            if (engine.tls()) {
                command.addAll(List.of("--tlsverify", "--tlscacert=" + NodePaths.CA, "--tlscert=" + NodePaths.CERT, "--tlskey=" + NodePaths.KEY));
            }
            command.addAll(List.of("-H", "tcp://0.0.0.0:" + swarm.port(), "--strategy", swarm.strategy(),
                    "--advertise", embed(privateAddress(node)) + ":" + swarm.port(),
                    "--heartbeat", swarm.heartbeat() + "s",
                    "--engine-refresh-min-interval", swarm.engineRefresh() + "s",
                    "--engine-refresh-max-interval", 2 * swarm.engineRefresh() + "s"));
            if (swarm.replication()) {
                command.addAll(List.of("--replication", "--replication-ttl", swarm.failover() + "s"));
            }
            command.addAll(discovery(node));
            services.put("swarm-agent-master", swarmService(node, "swarm-agent-master", command, true));
        }
        List<Object> join = new ArrayList<>(List.of("join", "--advertise", embed(privateAddress(node)) + ":" + engine.port(),
                "--heartbeat", swarm.heartbeat() + "s", "--ttl", swarm.agentTtl() + "s"));
        join.addAll(discovery(node));
        services.put("swarm-agent", swarmService(node, "swarm-agent", join, false));
        Map<String, Object> volumes = new LinkedHashMap<>();
        services.keySet().forEach(name -> volumes.put(name + "-data", new LinkedHashMap<>()));   // one object each: no YAML alias
        return composition(services, volumes);
    }

    private Map<String, Object> swarmService(NodeSpec node, String name, List<Object> command, boolean manager) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("image", spec.swarm().image());
        service.put("container_name", name);
        // The image declares a volume at /.swarm: named, a recreated container keeps it and 'down -v'
        // removes it, where an anonymous one per container would be left behind by every recreation.
        List<String> volumes = new ArrayList<>(List.of(name + "-data:/.swarm"));
        if (manager) {
            service.put("network_mode", "host");
            volumes.add("/etc/docker:/etc/docker:ro");
        } else if (spec.consul().tls()) {
            volumes.addAll(List.of(NodePaths.CA + ":" + NodePaths.CA + ":ro", NodePaths.CERT + ":" + NodePaths.CERT + ":ro",
                    NodePaths.KEY + ":" + NodePaths.KEY + ":ro"));
        }
        service.put("volumes", volumes);
        service.put("restart", "always");
        service.put("dns", embedded(nameservers(node)));
        service.put("dns_search", List.of(spec.domain()));
        service.put("command", command);
        return service;
    }

    Text swarmInit(NodeSpec first) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ListenAddr", "0.0.0.0:2377");
        body.put("AdvertiseAddr", embed(privateAddress(first)) + ":2377");
        return Text.parse(Documents.json(body), refs);
    }

    Text swarmJoin(NodeSpec node, NodeSpec manager, Text.Ref token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ListenAddr", "0.0.0.0:2377");
        body.put("AdvertiseAddr", embed(privateAddress(node)) + ":2377");
        body.put("RemoteAddrs", List.of(embed(privateAddress(manager)) + ":2377"));
        body.put("JoinToken", token.marker());
        return Text.parse(Documents.json(body), refs);
    }

    Text overlayNetwork() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", spec.name());
        body.put("Driver", "overlay");
        body.put("Attachable", true);
        body.put("CheckDuplicate", true);
        return Text.of(Documents.json(body));
    }

    private Text composition(Map<String, Object> services, Map<String, Object> volumes) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("version", COMPOSE_VERSION);
        document.put("services", services);
        if (!volumes.isEmpty()) {
            document.put("volumes", volumes);
        }
        return Text.parse(Documents.yaml(document), refs);
    }

    private List<Object> serverAddresses(NodeSpec node) {
        return spec.masters().stream().filter(m -> !m.equals(node)).map(m -> (Object) embed(privateAddress(m))).toList();
    }

    /**
     * The node's own Consul agent, by address: a name under Consul's domain would need Consul's DNS,
     * which a node that boots has only once that very agent runs. With TLS, over HTTPS with the node's
     * certificate; with ACLs, what Swarm may do is the agent's default token (Swarm takes a token only
     * from its environment, which {@code docker inspect} shows).
     */
    private List<Object> discovery(NodeSpec node) {
        if (!spec.consul().tls()) {
            return List.of("consul://" + embed(privateAddress(node)) + ":" + ConsulSpec.HTTP_PORT);
        }
        return List.of("--discovery-opt", "kv.cacertfile=" + NodePaths.CA, "--discovery-opt", "kv.certfile=" + NodePaths.CERT,
                "--discovery-opt", "kv.keyfile=" + NodePaths.KEY, "consul://" + embed(privateAddress(node)) + ":" + ConsulSpec.HTTPS_PORT);
    }

    private String providerName() {
        return spec.provider() instanceof ProviderSpec.Unspecified ? "generic" : spec.provider().name();
    }

    /** A value for a generated document: the literal, or the marker of a reference to resolve later. */
    private List<Object> embedded(List<Object> values) {
        return values.stream().map(value -> (Object) embed(value)).toList();
    }

    private String embed(Object value) {
        if (value instanceof Text.Ref ref) {
            refs.put(ref.name(), ref);
            return ref.marker();
        }
        return String.valueOf(value);
    }

    private Text.Ref ref(Text.Ref address) {
        return refs.computeIfAbsent(address.name(), n -> address);
    }
}
