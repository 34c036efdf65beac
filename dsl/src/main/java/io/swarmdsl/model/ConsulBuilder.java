package io.swarmdsl.model;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code consul encrypt true}: Consul on every node. Defaults: HashiCorp's maintained image at a
 * current release (the article's gliderlabs images of Consul 0.6 are unmaintained since 2016 and stay
 * selectable with serverImage/agentImage), TLS between agents, DNS on port 53, Google's resolvers as
 * recursors, UI on servers.
 */
public final class ConsulBuilder extends Section {
    /** A current release, looked up 2026-12-01 (Arch Linux's consul package of 2026-03-31). */
    public static final String DEFAULT_VERSION = "1.22.6";
    public static final String DEFAULT_IMAGE = "hashicorp/consul:" + DEFAULT_VERSION;

    boolean enabled = true;
    String serverImage = DEFAULT_IMAGE;
    String agentImage = DEFAULT_IMAGE;
    Secret encrypt;
    boolean tls = true;
    /** Null until the script says: then on wherever the cluster can have it (TLS, a Consul with ACL tokens of 1.8). */
    Boolean acl;
    String downPolicy = "extend-cache";
    boolean ui = true;
    int dnsPort = 53;
    List<String> recursors = List.of("8.8.8.8", "8.8.4.4");

    @Override
    public String sectionName() {
        return "consul";
    }

    @Keyword(usage = "consul false   (no Consul: only with swarm mode or no swarm)",
            doc = "consul false runs no Consul: possible with swarm mode or without Swarm.",
            byDefault = "true", positional = true)
    public ConsulBuilder enabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    @Keyword(usage = "consul version: '1.8.7'   (the tag of both images)",
            doc = "The Consul release: the tag of the server and the agent image.",
            byDefault = "1.22.6")
    public ConsulBuilder version(String version) {
        nonBlank("version", version);
        serverImage = serverImage.replaceFirst(":[^:/]*$", "") + ":" + version;
        agentImage = agentImage.replaceFirst(":[^:/]*$", "") + ":" + version;
        return this;
    }

    @Keyword(usage = "consul serverImage: 'gliderlabs/consul-server:0.6'   (the article's)",
            doc = "The image of the Consul servers on the masters.",
            byDefault = "hashicorp/consul:1.22.6")
    public ConsulBuilder serverImage(String image) {
        this.serverImage = nonBlank("serverImage", image);
        return this;
    }

    @Keyword(usage = "consul agentImage: 'gliderlabs/consul-agent:0.6'   (the article's)",
            doc = "The image of the Consul agents on the other nodes.",
            byDefault = "hashicorp/consul:1.22.6")
    public ConsulBuilder agentImage(String image) {
        this.agentImage = nonBlank("agentImage", image);
        return this;
    }

    @Keyword(usage = "consul encrypt true   (a gossip key generated once for the cluster)",
            doc = "Encrypts Consul's gossip: true generates a 32-byte key once for the cluster at apply and keeps it in the cluster's state; env('NAME') or file('PATH') reads a key of your own, read when applying (or write the key itself: consul keygen makes one).",
            byDefault = "false")
    public ConsulBuilder encrypt(boolean encrypt) {
        this.encrypt = encrypt ? Secret.generated("consul gossip key (32 random bytes, base64)") : null;
        return this;
    }

    @Keyword(usage = "consul encrypt env('CONSUL_GOSSIP_KEY')   (or file('PATH'), or the key itself: consul keygen)")
    public ConsulBuilder encrypt(Secret key) {
        if (key.source() == Secret.Source.LITERAL) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(key.reference());
            } catch (IllegalArgumentException e) {
                throw new SpecException("consul encrypt: the key is not base64 (make one with consul keygen)");
            }
            if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
                throw new SpecException("consul encrypt: the key must be 16, 24 or 32 bytes, base64-encoded; got "
                        + bytes.length + " bytes (make one with consul keygen)");
            }
        }
        this.encrypt = key;
        return this;
    }

    @Keyword(usage = "consul tls: true   (verify_incoming and verify_outgoing with the node certificates)",
            doc = "TLS between Consul agents, each side verified with the node certificates; the HTTP API on loopback only, HTTPS 8501 with client certificates for the network.",
            byDefault = "true")
    public ConsulBuilder tls(boolean tls) {
        this.tls = tls;
        return this;
    }

    @Keyword(usage = "consul acl: false   (the article's open Consul: anyone who reaches a node reads and writes it)",
            doc = "Consul's ACLs with default deny; possible with TLS and Consul 1.8 or later. false is the article's open Consul: anyone who reaches a node reads and writes it.",
            byDefault = "true where TLS is on and Consul is 1.8 or later")
    public ConsulBuilder acl(boolean acl) {
        this.acl = acl;
        return this;
    }

    @Keyword(usage = "consul downPolicy: 'extend-cache'   (ACL answers while no server can be asked: extend-cache, async-cache, deny, allow)",
            doc = "How agents answer ACL questions while no server can be asked: extend-cache, async-cache, deny or allow.",
            byDefault = "extend-cache")
    public ConsulBuilder downPolicy(String policy) {
        if (!DOWN_POLICIES.contains(policy)) {
            throw new SpecException("consul downPolicy is one of " + String.join(", ", DOWN_POLICIES) + ", got '" + policy + "'"
                    + DidYouMean.suggest(policy, DOWN_POLICIES));
        }
        this.downPolicy = policy;
        return this;
    }

    @Keyword(usage = "consul ui: true   (the web UI on the servers)",
            doc = "Consul's web UI on the servers.",
            byDefault = "true")
    public ConsulBuilder ui(boolean ui) {
        this.ui = ui;
        return this;
    }

    @Keyword(usage = "consul dnsPort: 53",
            doc = "The port of Consul's DNS on each node.",
            byDefault = "53")
    public ConsulBuilder dnsPort(int port) {
        this.dnsPort = inRange("dnsPort", port, 1, 65535);
        return this;
    }

    @Keyword(usage = "consul recursors: ['1.1.1.1', '9.9.9.9']",
            doc = "The DNS servers Consul asks for names outside its domain.",
            byDefault = "8.8.8.8, 8.8.4.4")
    public ConsulBuilder recursors(List<String> recursors) {
        List<String> checked = new ArrayList<>();
        for (String recursor : recursors) {
            checked.add(Addresses.address("recursor", recursor));
        }
        this.recursors = List.copyOf(checked);
        return this;
    }

    ConsulSpec build(int masters) {
        ConsulSpec open = new ConsulSpec(enabled, serverImage, agentImage, enabled ? encrypt : null, tls, false, downPolicy, ui, dnsPort,
                recursors, masters);
        boolean possible = tls && !open.gliderlabs() && open.atLeast(1, 8);
        if (Boolean.TRUE.equals(acl) && !possible) {
            throw error("acl", !tls
                    ? "consul acl needs tls: without it the HTTP API is open on the network, so its default token would be everyone's"
                    : "consul acl needs Consul 1.8 or later (node identities); " + serverImage + " is older");
        }
        boolean on = enabled && (acl == null ? possible : acl);
        return new ConsulSpec(enabled, serverImage, agentImage, open.encrypt(), tls, on, downPolicy, ui, dnsPort, recursors, masters);
    }

    static final List<String> DOWN_POLICIES = List.of("extend-cache", "async-cache", "deny", "allow");
}
