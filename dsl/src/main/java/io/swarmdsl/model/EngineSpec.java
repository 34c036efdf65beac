package io.swarmdsl.model;

import java.util.List;
import java.util.SortedMap;

/** The Docker daemon's configuration on every node; TLS on {@code port} is always verified both ways when on. */
public record EngineSpec(
        boolean enabled,
        int port,
        boolean tls,
        String logDriver,
        SortedMap<String, String> logOpts,
        List<String> dns,
        List<String> dnsSearch,
        List<String> labels,
        String storageDriver,
        List<String> registryMirrors,
        List<String> insecureRegistries,
        SortedMap<String, Object> options,
        boolean clusterStore) {
}
