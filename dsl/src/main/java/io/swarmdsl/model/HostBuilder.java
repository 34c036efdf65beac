package io.swarmdsl.model;

/** {@code host 'lab1', public: '10.0.0.2', private: '10.0.0.2', user: 'root', key: '~/.ssh/id', port: 22}. */
public final class HostBuilder extends Section {
    String name;
    String publicAddress;
    String privateAddress;
    String user;
    String key;
    Integer port;

    @Override
    public String sectionName() {
        return "host";
    }

    @Keyword(usage = "host 'name'",
            doc = "The node's name: a host name, unique in the cluster.", positional = true)
    public HostBuilder name(String name) {
        this.name = Addresses.hostName("host name", name);
        return this;
    }

    @Keyword(name = "public", usage = "host 'name', public: '203.0.113.10'   (address for SSH and TLS)",
            doc = "The address SSH connects to and the engine's TLS certificate names.")
    public HostBuilder publicAddress(String address) {
        this.publicAddress = Addresses.address("public address", address);
        return this;
    }

    @Keyword(name = "private", usage = "host 'name', private: '10.0.0.10'   (cluster address; defaults to public)",
            doc = "The address cluster traffic uses: Consul, the engines, Swarm.",
            byDefault = "the public address")
    public HostBuilder privateAddress(String address) {
        this.privateAddress = Addresses.address("private address", address);
        return this;
    }

    @Keyword(usage = "host 'name', user: 'admin'",
            doc = "The SSH user for this host.",
            byDefault = "ssh user")
    public HostBuilder user(String user) {
        this.user = nonBlank("user", user);
        return this;
    }

    @Keyword(usage = "host 'name', key: '~/.ssh/id_ed25519'",
            doc = "The SSH private key for this host.",
            byDefault = "ssh key")
    public HostBuilder key(String key) {
        this.key = nonBlank("key", key);
        return this;
    }

    @Keyword(usage = "host 'name', port: 2222",
            doc = "The SSH port of this host.",
            byDefault = "ssh port")
    public HostBuilder port(int port) {
        this.port = inRange("port", port, 1, 65535);
        return this;
    }

    HostSpec build() {
        if (name == null) {
            throw error("host", "host needs a name: host 'name', public: 'ADDRESS'");
        }
        if (publicAddress == null) {
            throw error("host", "host '" + name + "' needs an address: public: 'ADDRESS'");
        }
        return new HostSpec(name, publicAddress, privateAddress == null ? publicAddress : privateAddress, user, key, port);
    }
}
