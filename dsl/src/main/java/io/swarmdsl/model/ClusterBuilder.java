package io.swarmdsl.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds a {@link ClusterSpec}. Scripts reach it through the DSL; Java (and JShell) use it directly:
 * {@code new ClusterBuilder().nodes(7).masters(3).consul(c -> c.encrypt(true)).swarm(SwarmBuilder::replication)}.
 */
public final class ClusterBuilder extends Section {
    public static final int DEFAULT_NODES = 7;
    public static final Set<Integer> QUORUM_SIZES = Set.of(1, 3, 5, 7);

    private String cluster;
    private final NodesBuilder nodes = new NodesBuilder();
    private Integer masters;
    private String domain = "consul";
    private String datacenter;
    private String clusterInterface = "eth1";
    private ProviderBuilder provider;
    private final SshBuilder ssh = new SshBuilder();
    private final EngineBuilder engine = new EngineBuilder();
    private final ConsulBuilder consul = new ConsulBuilder();
    private final SwarmBuilder swarm = new SwarmBuilder();
    private final MemoryBuilder memory = new MemoryBuilder();
    private final List<ComposeBuilder> compositions = new ArrayList<>();
    private final List<HookBuilder> hooks = new ArrayList<>();

    @Override
    public String sectionName() {
        return "cluster";
    }

    @Keyword(usage = "cluster 'doccur'   (the cluster's name: state, tags; default: the node prefix)",
            doc = "The cluster's name: its state and journal live in .swarm/NAME/, its droplets carry it as a tag.",
            byDefault = "the node prefix, else swarm",
            example = """
            cluster 'office'
            nodes 3""")
    public ClusterBuilder cluster(String name) {
        this.cluster = Addresses.hostName("cluster name", name);
        return this;
    }

    @Keyword(usage = "nodes 7, prefix: 'doccur'",
            doc = "How many nodes the cluster has (1 to 1000) and how they are named. With provider 'generic' the hosts are the nodes, and nodes may be left out.",
            byDefault = "7",
            example = """
            nodes 5, prefix: 'web'
            masters 3""")
    public ClusterBuilder nodes(Consumer<NodesBuilder> nodes) {
        nodes.accept(this.nodes);
        return this;
    }

    public ClusterBuilder nodes(int count) {
        return nodes(n -> n.count(count));
    }

    @Keyword(usage = "masters 3   (1, 3, 5 or 7: Consul servers and Swarm managers)",
            doc = "How many of the nodes, the first ones, are masters: Consul servers and Swarm managers. An odd number, so that a quorum survives the loss of a minority.",
            byDefault = "3, or 1 below 3 nodes",
            example = """
            nodes 5
            masters 3""")
    public ClusterBuilder masters(int masters) {
        if (!QUORUM_SIZES.contains(masters)) {
            throw new SpecException("masters must be 1, 3, 5 or 7 (a quorum needs an odd number), got " + masters);
        }
        this.masters = masters;
        return this;
    }

    @Keyword(usage = "domain 'example.com'   (nodes are NAME.node.DOMAIN in Consul's DNS)",
            doc = "Consul's DNS domain: each node answers as NAME.node.DOMAIN, each service as NAME.service.DOMAIN.",
            byDefault = "consul",
            example = """
            nodes 3
            domain 'example.com'""")
    public ClusterBuilder domain(String domain) {
        this.domain = Addresses.dnsName("domain", domain);
        return this;
    }

    @Keyword(usage = "datacenter 'sfo1'   (Consul's datacenter; default: the region)",
            doc = "Consul's datacenter name.",
            byDefault = "the DigitalOcean region, else dc1",
            example = """
            nodes 3
            datacenter 'office'""")
    public ClusterBuilder datacenter(String datacenter) {
        if (datacenter == null || !datacenter.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new SpecException("datacenter '" + datacenter + "' must be lower-case letters, digits, '-' or '_'");
        }
        this.datacenter = datacenter;
        return this;
    }

    @Keyword(usage = "clusterInterface 'eth1'   (the private interface cluster traffic uses)",
            doc = "The network interface of the nodes' private network: Consul, the engines and Swarm talk over the address it has.",
            byDefault = "eth1",
            example = """
            nodes 3
            clusterInterface 'eth0'""")
    public ClusterBuilder clusterInterface(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,15}")) {
            throw new SpecException("clusterInterface '" + name + "' is not a network interface name");
        }
        this.clusterInterface = name;
        return this;
    }

    @Keyword(usage = "provider 'digitalocean', region: 'sfo1', size: '512mb' | provider('generic') { hosts { … } }",
            doc = "Where the nodes come from: droplets made on DigitalOcean, or machines that already exist (generic hosts).",
            byDefault = "none: nodes get default names and their addresses are known after provisioning",
            example = """
            provider('generic') {
                hosts {
                    host 'alpha', public: '203.0.113.10', private: '10.0.0.10'
                    host 'beta', public: '203.0.113.11', private: '10.0.0.11', user: 'admin', port: 2222
                    host 'gamma', public: '203.0.113.12', private: '10.0.0.12'
                }
            }
            masters 3""")
    public ClusterBuilder provider(Consumer<ProviderBuilder> provider) {
        if (this.provider == null) {
            this.provider = new ProviderBuilder();
        }
        provider.accept(this.provider);
        return this;
    }

    @Keyword(usage = "ssh user: 'root', key: '~/.ssh/id_rsa', port: 22, knownHosts: 'accept-new'",
            doc = "How every node is reached over SSH; a generic host may set its own user, key and port.",
            example = """
            nodes 3
            ssh user: 'admin', key: '~/.ssh/id_ed25519', knownHosts: 'strict', reconnect: '5m'""")
    public ClusterBuilder ssh(Consumer<SshBuilder> ssh) {
        ssh.accept(this.ssh);
        return this;
    }

    @Keyword(usage = "engine { logOpt 'max-size', '10m'; label 'zone=a' }",
            doc = "The Docker engine of every node: daemon.json, TLS with client certificates, logging, DNS through Consul.",
            example = """
            nodes 3
            engine {
                logOpt 'max-size', '20m'
                label 'zone=a'
                option 'max-concurrent-downloads', 6
            }""")
    public ClusterBuilder engine(Consumer<EngineBuilder> engine) {
        engine.accept(this.engine);
        return this;
    }

    @Keyword(usage = "consul encrypt true",
            doc = "Consul on every node, as key-value store and DNS: servers on the masters, agents on the others; TLS and ACLs on by default.",
            example = """
            nodes 5
            consul {
                encrypt true
                ui false
                recursors '1.1.1.1', '9.9.9.9'
            }""")
    public ClusterBuilder consul(Consumer<ConsulBuilder> consul) {
        consul.accept(this.consul);
        return this;
    }

    @Keyword(usage = "swarm replication | swarm mode",
            doc = "Which Swarm joins the engines: classic Swarm with a manager on every master (replication), classic with one manager, or the engine's own Swarm mode.",
            byDefault = "none",
            example = """
            nodes 5
            consul encrypt true
            swarm {
                replication
                strategy 'binpack'
                heartbeat '5s'
            }""")
    public ClusterBuilder swarm(Consumer<SwarmBuilder> swarm) {
        swarm.accept(this.swarm);
        return this;
    }

    @Keyword(usage = "memory accounting",
            doc = "Memory and swap accounting in the nodes' kernels, for containers' memory limits.",
            example = """
            nodes 3
            memory accounting""")
    public ClusterBuilder memory(Consumer<MemoryBuilder> memory) {
        memory.accept(this.memory);
        return this;
    }

    @Keyword(usage = "compose 'name', on: 'all', yaml: '''services: …'''",
            doc = "A composition of your own, run with docker compose on the nodes it names once the cluster is up.",
            example = """
            nodes 3
            compose 'monitoring', on: 'all', services: [exporter: [image: 'prom/node-exporter:v1.8.2', ports: ['9100:9100']]]
            compose 'web', on: 'agents', yaml: '''
            services:
              web:
                image: nginx:1.25
                ports: ['80:80']
            '''""")
    public ClusterBuilder compose(Consumer<ComposeBuilder> compose) {
        ComposeBuilder builder = new ComposeBuilder();
        compose.accept(builder);
        compositions.add(builder);
        return this;
    }

    @Keyword(usage = "before 'engine', on: 'masters', { run '…' }",
            doc = "A hook: commands and uploads run on the nodes it names before a phase of the plan.",
            example = """
            nodes 3
            before 'engine', on: 'masters', {
                run 'sysctl --system'
                upload content: 'vm.max_map_count=262144\\n', to: '/etc/sysctl.d/90-swarm.conf'
            }""")
    public ClusterBuilder before(Consumer<HookBuilder> hook) {
        return hook(HookSpec.When.BEFORE, hook);
    }

    @Keyword(usage = "after 'swarm', on: 'all', { run '…' }",
            doc = "A hook: commands and uploads run on the nodes it names after a phase of the plan.",
            example = """
            nodes 3
            swarm mode
            after 'swarm', on: 'all', {
                run 'docker info --format {{.Swarm.LocalNodeState}}'
            }""")
    public ClusterBuilder after(Consumer<HookBuilder> hook) {
        return hook(HookSpec.When.AFTER, hook);
    }

    private ClusterBuilder hook(HookSpec.When when, Consumer<HookBuilder> hook) {
        HookBuilder builder = new HookBuilder(when);
        hook.accept(builder);
        hooks.add(builder);
        return this;
    }

    /** Checks the rules that need the whole script, then resolves every default. */
    public ClusterSpec build() {
        ProviderSpec providerSpec = provider == null ? new ProviderSpec.Unspecified() : provider.build();
        SshSpec sshSpec = ssh.build();
        if (providerSpec instanceof ProviderSpec.DigitalOcean cloud) {
            // One key pair: the key registered with DigitalOcean is the key SSH logs in with, whichever of the two the script names.
            boolean sshKeyDefault = sshSpec.key().equals(SshSpec.DEFAULT.key());
            if (provider.sshKey == null && !sshKeyDefault) {
                providerSpec = new ProviderSpec.DigitalOcean(cloud.region(), cloud.size(), cloud.image(), sshSpec.key(), cloud.token(),
                        cloud.monitoring());
            } else if (provider.sshKey != null && sshKeyDefault) {
                sshSpec = new SshSpec(sshSpec.user(), sshSpec.port(), cloud.sshKey(), sshSpec.knownHosts(), sshSpec.jump(),
                        sshSpec.reconnectSeconds());
            }
        }
        List<NodeSpec> nodeSpecs = resolveNodes(providerSpec, sshSpec);
        int masterCount = masters == null ? (nodeSpecs.size() >= 3 ? 3 : 1) : masters;
        if (masterCount > nodeSpecs.size()) {
            throw error("masters", "masters " + masterCount + " is more than the " + nodeSpecs.size() + " nodes of the cluster");
        }
        nodeSpecs = assignRoles(nodeSpecs, masterCount);

        SwarmSpec swarmSpec = swarm.build();
        ConsulSpec consulSpec = consul.build(masterCount);
        EngineSpec engineSpec = engine.build();
        if (swarmSpec.flavor() == SwarmSpec.Flavor.CLASSIC && !consulSpec.enabled()) {
            throw swarm.error("replication", "classic Swarm finds its nodes through Consul: remove 'consul false' or use 'swarm mode'");
        }
        if (swarmSpec.enabled() && !engineSpec.enabled()) {
            throw swarm.error("mode", "Swarm needs the Docker engines configured: remove 'engine false'");
        }
        if (swarmSpec.flavor() == SwarmSpec.Flavor.MODE && Boolean.TRUE.equals(engineSpec.options().get("live-restore"))) {
            throw engine.error("option", "Docker refuses Swarm mode on an engine with live-restore: remove option 'live-restore'");
        }
        if (swarmSpec.flavor() == SwarmSpec.Flavor.CLASSIC && consulSpec.enabled() && !engineSpec.enabled()) {
            throw engine.error("enabled", "classic Swarm needs the engines pointed at Consul: remove 'engine false'");
        }

        Set<String> targetWords = targetWords(nodeSpecs);
        List<ComposeSpec> composeSpecs = new ArrayList<>();
        Set<String> compositionNames = new HashSet<>();
        for (ComposeBuilder composition : compositions) {
            ComposeSpec spec = composition.build();
            checkTargets(composition, "on", spec.targets(), targetWords);
            if (!compositionNames.add(spec.name()) || spec.name().equals("consul") || spec.name().equals("swarm")) {
                throw composition.error("compose", "a composition named '" + spec.name() + "' already exists"
                        + (spec.name().equals("consul") || spec.name().equals("swarm") ? " (the tool's own)" : ""));
            }
            composeSpecs.add(spec);
        }
        List<HookSpec> hookSpecs = new ArrayList<>();
        for (HookBuilder hook : hooks) {
            HookSpec spec = hook.build();
            checkTargets(hook, "on", spec.targets(), targetWords);
            hookSpecs.add(spec);
        }

        String clusterName = cluster != null ? cluster : nodes.prefix != null ? nodes.prefix : "swarm";
        String dc = datacenter != null ? datacenter
                : providerSpec instanceof ProviderSpec.DigitalOcean d ? d.region() : "dc1";
        return new ClusterSpec(clusterName, providerSpec, domain, dc, clusterInterface, List.copyOf(nodeSpecs), sshSpec,
                engineSpec, consulSpec, swarmSpec, memory.accounting, List.copyOf(composeSpecs), List.copyOf(hookSpecs), List.of());
    }

    private List<NodeSpec> resolveNodes(ProviderSpec providerSpec, SshSpec sshSpec) {
        List<NodeSpec> resolved = new ArrayList<>();
        if (providerSpec instanceof ProviderSpec.Generic generic) {
            if (nodes.count != null && nodes.count != generic.hosts().size()) {
                throw nodes.error("count", "nodes " + nodes.count + " disagrees with the " + generic.hosts().size()
                        + " hosts of provider 'generic' (leave nodes out, or list " + nodes.count + " hosts)");
            }
            if (nodes.prefix != null || nodes.pattern != null) {
                throw nodes.error("count", "provider 'generic' names its nodes by their hosts: remove prefix:/pattern:");
            }
            Set<String> names = new HashSet<>();
            Map<String, String> byClusterAddress = new HashMap<>();
            Map<String, String> bySshTarget = new HashMap<>();
            for (int i = 0; i < generic.hosts().size(); i++) {
                HostSpec host = generic.hosts().get(i);
                if (!names.add(host.name())) {
                    throw provider.hosts.hosts.get(i).error("host", "duplicate host name '" + host.name() + "'");
                }
                SshSpec hostSsh = new SshSpec(host.user() != null ? host.user() : sshSpec.user(),
                        host.port() != null ? host.port() : sshSpec.port(),
                        host.key() != null ? host.key() : sshSpec.key(), sshSpec.knownHosts(), sshSpec.jump(), sshSpec.reconnectSeconds());
                // Two hosts on one machine (or one cluster address) would be one Consul member and one engine.
                String sameAddress = byClusterAddress.putIfAbsent(host.privateAddress(), host.name());
                String sameTarget = bySshTarget.putIfAbsent(host.publicAddress() + ":" + hostSsh.port(), host.name());
                if (sameAddress != null || sameTarget != null) {
                    throw provider.hosts.hosts.get(i).error("host", "hosts '" + (sameAddress != null ? sameAddress : sameTarget)
                            + "' and '" + host.name() + "' have the same address "
                            + (sameAddress != null ? host.privateAddress() : host.publicAddress() + " and SSH port " + hostSsh.port())
                            + ": each host is a machine of its own");
                }
                resolved.add(new NodeSpec(host.name(), fqdn(host.name()), Role.AGENT, host.publicAddress(),
                        host.privateAddress(), hostSsh));
            }
            return resolved;
        }
        int count = nodes.count != null ? nodes.count : DEFAULT_NODES;
        for (int i = 1; i <= count; i++) {
            String name = nodes.nameOf(i);
            resolved.add(new NodeSpec(name, fqdn(name), Role.AGENT, null, null, sshSpec));
        }
        return resolved;
    }

    private String fqdn(String name) {
        return name + ".node." + domain;
    }

    /** The first {@code masters} nodes are masters, as in the article. */
    private static List<NodeSpec> assignRoles(List<NodeSpec> nodes, int masters) {
        List<NodeSpec> result = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            NodeSpec n = nodes.get(i);
            result.add(new NodeSpec(n.name(), n.fqdn(), i < masters ? Role.MASTER : Role.AGENT, n.publicAddress(),
                    n.privateAddress(), n.ssh()));
        }
        return result;
    }

    private static Set<String> targetWords(List<NodeSpec> nodes) {
        Set<String> words = new LinkedHashSet<>(List.of("all", Role.MASTER.plural(), Role.AGENT.plural()));
        nodes.forEach(n -> words.add(n.name()));
        return words;
    }

    private static void checkTargets(Section section, String keyword, List<String> targets, Set<String> known) {
        for (String target : targets) {
            if (!known.contains(target)) {
                throw section.error(keyword, "on: '" + target + "' is neither a role (all, masters, agents) nor a node"
                        + DidYouMean.suggest(target, known));
            }
        }
    }
}
