package io.swarmdsl.model;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consul on every node: servers on the masters, agents elsewhere. {@code encrypt} is the gossip key,
 * or null for no gossip encryption. {@code acl}: Consul's ACL system on, denying by default, with the
 * servers answering within {@code downPolicy} when they cannot be reached. {@code bootstrapExpect}
 * is derived: the number of masters.
 */
public record ConsulSpec(
        boolean enabled,
        String serverImage,
        String agentImage,
        Secret encrypt,
        boolean tls,
        boolean acl,
        String downPolicy,
        boolean ui,
        int dnsPort,
        List<String> recursors,
        int bootstrapExpect) {

    /** Consul's HTTP API (loopback only with TLS) and its HTTPS API (the network's, with TLS). */
    public static final int HTTP_PORT = 8500;
    public static final int HTTPS_PORT = 8501;
    /** The servers' raft and RPC port. */
    public static final int RAFT_PORT = 8300;

    /** The article's images of 2016: their own entrypoint, {@code /config} and {@code /data}. */
    public boolean gliderlabs() {
        return serverImage.startsWith("gliderlabs/");
    }

    /**
     * Whether the servers' Consul is at least {@code major.minor}, read from the image's tag; a tag
     * that is no version (latest) counts as new, and the gliderlabs images are Consul 0.x.
     */
    public boolean atLeast(int major, int minor) {
        if (gliderlabs()) {
            return major == 0 && minor <= 6;
        }
        Matcher version = VERSION.matcher(serverImage);
        if (!version.find()) {
            return true;
        }
        int have = Integer.parseInt(version.group(1));
        return have != major ? have > major : Integer.parseInt(version.group(2)) >= minor;
    }

    private static final Pattern VERSION = Pattern.compile(":v?(\\d+)\\.(\\d+)[^:/]*$");
}
