package io.swarmdsl.model;

/** A machine that already exists, as docker-machine's generic driver takes it. Null fields fall back to {@code ssh}. */
public record HostSpec(String name, String publicAddress, String privateAddress, String user, String key, Integer port) {
}
