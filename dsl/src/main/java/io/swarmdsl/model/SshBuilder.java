package io.swarmdsl.model;

/** {@code ssh user: 'root', key: '~/.ssh/id_rsa', port: 22, knownHosts: 'accept-new', jump: 'bastion.example.com', reconnect: '2m'}. */
public final class SshBuilder extends Section {
    String user = SshSpec.DEFAULT.user();
    int port = SshSpec.DEFAULT.port();
    String key = SshSpec.DEFAULT.key();
    String knownHosts = SshSpec.DEFAULT.knownHosts();
    String jump;
    int reconnectSeconds = SshSpec.DEFAULT.reconnectSeconds();

    @Override
    public String sectionName() {
        return "ssh";
    }

    @Keyword(usage = "ssh user: 'root'",
            doc = "The user SSH logs in as: root, or a user with sudo without a password (commands then run through sudo -n).",
            byDefault = "root")
    public SshBuilder user(String user) {
        this.user = nonBlank("user", user);
        return this;
    }

    @Keyword(usage = "ssh port: 22",
            doc = "The SSH port.",
            byDefault = "22")
    public SshBuilder port(int port) {
        this.port = inRange("port", port, 1, 65535);
        return this;
    }

    @Keyword(usage = "ssh key: '~/.ssh/id_ed25519'",
            doc = "The private key SSH logs in with.",
            byDefault = "~/.ssh/id_rsa")
    public SshBuilder key(String key) {
        this.key = nonBlank("key", key);
        return this;
    }

    @Keyword(usage = "ssh knownHosts: 'accept-new' | 'strict'",
            doc = "accept-new records a node's host key the first time and refuses a changed one after; strict refuses any host not already in known_hosts.",
            byDefault = "accept-new")
    public SshBuilder knownHosts(String policy) {
        this.knownHosts = new SshSpec(user, port, key, policy, jump, reconnectSeconds).knownHosts();
        return this;
    }

    @Keyword(usage = "ssh jump: 'user@bastion.example.com:22'   (a bastion host every connection goes through)",
            doc = "A bastion host every SSH connection goes through (as ssh -J).")
    public SshBuilder jump(String jump) {
        String host = nonBlank("jump", jump).replaceFirst("^[^@]*@", "").replaceFirst(":\\d+$", "");
        Addresses.address("jump host", host);
        this.jump = jump;
        return this;
    }

    @Keyword(usage = "ssh reconnect: '2m'   (how long a node may be unreachable mid-apply, say for a reboot, before its step fails)",
            doc = "How long a node may be unreachable during an apply (a reboot, a network blip) while its step is tried again, before the step fails and the other nodes go on.",
            byDefault = "2m")
    public SshBuilder reconnect(String duration) {
        this.reconnectSeconds = seconds("reconnect", duration, 0, 3600);
        return this;
    }

    SshSpec build() {
        return new SshSpec(user, port, key, knownHosts, jump, reconnectSeconds);
    }
}
