package io.swarmdsl.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code engine { … }}: the Docker daemon's options. Defaults are the article's "smarter than default
 * logging": json-file, max-file 10, max-size 10m; TLS on 2376.
 */
public final class EngineBuilder extends Section {
    boolean enabled = true;
    int port = 2376;
    boolean tls = true;
    String logDriver = "json-file";
    final TreeMap<String, String> logOpts = new TreeMap<>(Map.of("max-file", "10", "max-size", "10m"));
    final List<String> dns = new ArrayList<>();
    final List<String> dnsSearch = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    String storageDriver;
    final List<String> registryMirrors = new ArrayList<>();
    final List<String> insecureRegistries = new ArrayList<>();
    final TreeMap<String, Object> options = new TreeMap<>();
    boolean clusterStore = true;

    @Override
    public String sectionName() {
        return "engine";
    }

    @Keyword(usage = "engine false   (leave the nodes' Docker engines as they are)",
            doc = "engine false leaves the nodes' engines as they are: no daemon.json, no certificates, no restart (and no Swarm).",
            byDefault = "true", positional = true)
    public EngineBuilder enabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    @Keyword(usage = "engine port: 2376",
            doc = "The port the engine listens on for remote clients, with TLS.",
            byDefault = "2376")
    public EngineBuilder port(int port) {
        this.port = inRange("port", port, 1, 65535);
        return this;
    }

    @Keyword(usage = "engine tls: true   (TLS with client certificates on the engine port)",
            doc = "TLS on the engine port: the engine shows a certificate of the cluster's CA and accepts only clients with one.",
            byDefault = "true")
    public EngineBuilder tls(boolean tls) {
        this.tls = tls;
        return this;
    }

    @Keyword(usage = "engine logDriver: 'json-file'",
            doc = "The containers' log driver.",
            byDefault = "json-file")
    public EngineBuilder logDriver(String driver) {
        this.logDriver = nonBlank("logDriver", driver);
        return this;
    }

    @Keyword(usage = "engine { logOpt 'max-size', '10m' }",
            doc = "Sets one log option, keeping the others.",
            byDefault = "max-file 10, max-size 10m", repeatable = true)
    public EngineBuilder logOpt(String name, String value) {
        logOpts.put(nonBlank("log option name", name), nonBlank("log option value", value));
        return this;
    }

    @Keyword(usage = "engine logOpts: ['max-file': '10', 'max-size': '10m']   (replaces the defaults)",
            doc = "Sets all log options at once, replacing the defaults.",
            byDefault = "max-file 10, max-size 10m")
    public EngineBuilder logOpts(Map<String, String> opts) {
        logOpts.clear();
        opts.forEach(this::logOpt);
        return this;
    }

    @Keyword(usage = "engine dns: ['10.0.0.2']   (default: the node's own Consul)",
            doc = "The DNS servers containers use.",
            byDefault = "the node's own Consul, when Consul is on")
    public EngineBuilder dns(List<String> servers) {
        for (String server : servers) {
            dns.add(Addresses.address("dns server", server));
        }
        return this;
    }

    @Keyword(usage = "engine dnsSearch: ['example.com']   (default: the cluster's domain)",
            doc = "The DNS search domains of containers.",
            byDefault = "the cluster's domain, when Consul is on")
    public EngineBuilder dnsSearch(List<String> domains) {
        for (String domain : domains) {
            dnsSearch.add(Addresses.dnsName("dns search domain", domain));
        }
        return this;
    }

    @Keyword(usage = "engine { label 'environment=production' }",
            doc = "An engine label (key=value), for Swarm's scheduling constraints.", repeatable = true)
    public EngineBuilder label(String label) {
        if (label == null || !label.matches("[A-Za-z0-9._/-]+=.*")) {
            throw new SpecException("label '" + label + "' must look like key=value");
        }
        labels.add(label);
        return this;
    }

    @Keyword(usage = "engine storageDriver: 'overlay2'",
            doc = "The engine's storage driver.",
            byDefault = "the engine's own choice")
    public EngineBuilder storageDriver(String driver) {
        this.storageDriver = nonBlank("storageDriver", driver);
        return this;
    }

    @Keyword(usage = "engine registryMirror: 'http://10.0.0.5:5000'",
            doc = "A registry mirror the engine pulls through.", repeatable = true)
    public EngineBuilder registryMirror(String url) {
        if (url == null || !url.matches("https?://[^\\s/]+(/.*)?")) {
            throw new SpecException("registryMirror '" + url + "' must be an http:// or https:// URL");
        }
        registryMirrors.add(url);
        return this;
    }

    @Keyword(usage = "engine insecureRegistry: '10.0.0.5:5000'",
            doc = "A registry the engine may reach without TLS.", repeatable = true)
    public EngineBuilder insecureRegistry(String registry) {
        insecureRegistries.add(nonBlank("insecureRegistry", registry));
        return this;
    }

    /**
     * Classic Swarm's multi-host networks keep their state in Consul through the engine's
     * cluster-store. The restart step passes it only to engines older than Docker 20.10, read from
     * the node at apply (20.10 deprecated it, Debian's build refuses it, 23 removed it); this leaves
     * it out on those too.
     */
    @Keyword(usage = "engine clusterStore: false   (never pass cluster-store and cluster-advertise, not even to engines older than Docker 20.10)",
            doc = "Classic Swarm's multi-host networks keep their state in Consul through the engine's cluster-store; it is passed only to engines older than Docker 20.10 (read from the node at apply). false never passes it.",
            byDefault = "true")
    public EngineBuilder clusterStore(boolean clusterStore) {
        this.clusterStore = clusterStore;
        return this;
    }

    @Keyword(usage = "engine { option 'max-concurrent-downloads', 6 }   (any other daemon.json setting)",
            doc = "Any other daemon.json setting: text, a number, true/false, or a list or map of those.", repeatable = true)
    public EngineBuilder option(String name, Object value) {
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new SpecException("daemon option '" + name + "' must be a daemon.json key such as 'max-concurrent-downloads'");
        }
        if (!isPlainValue(value)) {
            throw new SpecException("daemon option '" + name + "' must be text, a number, true/false, or a list or map of"
                    + " those (what daemon.json holds), not a " + value.getClass().getSimpleName());
        }
        options.put(name, value);
        return this;
    }

    /** What JSON can hold, so the option renders the same on every run. */
    private static boolean isPlainValue(Object value) {
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
            return true;
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(EngineBuilder::isPlainValue);
        }
        if (value instanceof Map<?, ?> map) {
            return map.keySet().stream().allMatch(k -> k instanceof CharSequence)
                    && map.values().stream().allMatch(EngineBuilder::isPlainValue);
        }
        return false;
    }

    EngineSpec build() {
        return new EngineSpec(enabled, port, tls, logDriver, new TreeMap<>(logOpts), List.copyOf(dns),
                List.copyOf(dnsSearch), List.copyOf(labels), storageDriver, List.copyOf(registryMirrors),
                List.copyOf(insecureRegistries), new TreeMap<>(options), clusterStore);
    }
}
