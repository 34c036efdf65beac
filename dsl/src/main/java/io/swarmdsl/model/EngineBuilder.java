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

    @Keyword(usage = "engine false   (leave the nodes' Docker engines as they are)", positional = true)
    public EngineBuilder enabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    @Keyword(usage = "engine port: 2376")
    public EngineBuilder port(int port) {
        this.port = inRange("port", port, 1, 65535);
        return this;
    }

    @Keyword(usage = "engine tls: true   (TLS with client certificates on the engine port)")
    public EngineBuilder tls(boolean tls) {
        this.tls = tls;
        return this;
    }

    @Keyword(usage = "engine logDriver: 'json-file'")
    public EngineBuilder logDriver(String driver) {
        this.logDriver = nonBlank("logDriver", driver);
        return this;
    }

    @Keyword(usage = "engine { logOpt 'max-size', '10m' }", repeatable = true)
    public EngineBuilder logOpt(String name, String value) {
        logOpts.put(nonBlank("log option name", name), nonBlank("log option value", value));
        return this;
    }

    @Keyword(usage = "engine logOpts: ['max-file': '10', 'max-size': '10m']   (replaces the defaults)")
    public EngineBuilder logOpts(Map<String, String> opts) {
        logOpts.clear();
        opts.forEach(this::logOpt);
        return this;
    }

    @Keyword(usage = "engine dns: ['10.0.0.2']   (default: the node's own Consul)")
    public EngineBuilder dns(List<String> servers) {
        for (String server : servers) {
            dns.add(Addresses.address("dns server", server));
        }
        return this;
    }

    @Keyword(usage = "engine dnsSearch: ['example.com']   (default: the cluster's domain)")
    public EngineBuilder dnsSearch(List<String> domains) {
        for (String domain : domains) {
            dnsSearch.add(Addresses.dnsName("dns search domain", domain));
        }
        return this;
    }

    @Keyword(usage = "engine { label 'environment=production' }", repeatable = true)
    public EngineBuilder label(String label) {
        if (label == null || !label.matches("[A-Za-z0-9._/-]+=.*")) {
            throw new SpecException("label '" + label + "' must look like key=value");
        }
        labels.add(label);
        return this;
    }

    @Keyword(usage = "engine storageDriver: 'overlay2'")
    public EngineBuilder storageDriver(String driver) {
        this.storageDriver = nonBlank("storageDriver", driver);
        return this;
    }

    @Keyword(usage = "engine registryMirror: 'http://10.0.0.5:5000'", repeatable = true)
    public EngineBuilder registryMirror(String url) {
        if (url == null || !url.matches("https?://[^\\s/]+(/.*)?")) {
            throw new SpecException("registryMirror '" + url + "' must be an http:// or https:// URL");
        }
        registryMirrors.add(url);
        return this;
    }

    @Keyword(usage = "engine insecureRegistry: '10.0.0.5:5000'", repeatable = true)
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
    @Keyword(usage = "engine clusterStore: false   (never pass cluster-store and cluster-advertise, not even to engines older than Docker 20.10)")
    public EngineBuilder clusterStore(boolean clusterStore) {
        this.clusterStore = clusterStore;
        return this;
    }

    @Keyword(usage = "engine { option 'max-concurrent-downloads', 6 }   (any other daemon.json setting)", repeatable = true)
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
