package io.swarmdsl.model;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code provider 'digitalocean', region: 'sfo1'} or {@code provider('generic') { hosts { … } }}. */
public final class ProviderBuilder extends Section {
    public static final List<String> NAMES = List.of("digitalocean", "generic");
    /**
     * The regions each provider offers, for completion: DigitalOcean's region slugs as its API's
     * {@code /v2/regions} listed them (a fixed list: completing needs no token and no network; a
     * region not listed here is still accepted and checked by the cloud when applying).
     */
    public static final Map<String, List<String>> REGIONS = Map.of("digitalocean",
            List.of("nyc1", "nyc3", "sfo2", "sfo3", "ams3", "sgp1", "lon1", "fra1", "tor1", "blr1", "syd1", "atl1"));
    public static final String DEFAULT_TOKEN_VARIABLE = "DIGITALOCEAN_ACCESS_TOKEN";

    String name;
    String region;
    String size;
    String image;
    String sshKey;
    Secret token;
    boolean monitoring;
    HostsBuilder hosts;

    @Override
    public String sectionName() {
        return "provider";
    }

    @Keyword(usage = "provider 'digitalocean' | provider 'generic'",
            doc = "digitalocean makes droplets (and deletes them on destroy); generic uses the hosts listed under hosts.", positional = true)
    public ProviderBuilder name(String name) {
        if (!NAMES.contains(name)) {
            throw new SpecException("unknown provider '" + name + "'" + DidYouMean.suggest(name, NAMES)
                    + " (providers: " + String.join(", ", NAMES) + ")");
        }
        this.name = name;
        return this;
    }

    @Keyword(usage = "provider 'digitalocean', region: 'sfo1'",
            doc = "The DigitalOcean region of the droplets; also Consul's datacenter unless datacenter is given.",
            byDefault = "nyc1")
    public ProviderBuilder region(String region) {
        this.region = nonBlank("region", region);
        return this;
    }

    @Keyword(usage = "provider 'digitalocean', size: 's-1vcpu-1gb'",
            doc = "The droplet size slug.",
            byDefault = "s-1vcpu-1gb")
    public ProviderBuilder size(String size) {
        this.size = nonBlank("size", size);
        return this;
    }

    @Keyword(usage = "provider 'digitalocean', image: 'debian-12-x64'",
            doc = "The droplet image slug.",
            byDefault = "debian-12-x64")
    public ProviderBuilder image(String image) {
        this.image = nonBlank("image", image);
        return this;
    }

    @Keyword(usage = "provider 'digitalocean', sshKey: '~/.ssh/id_ed25519'   (its .pub is registered with the cloud)",
            doc = "The private key SSH logs in with; its .pub is registered with DigitalOcean and put on the droplets. One key pair: ssh key names the same one.",
            byDefault = "~/.ssh/id_rsa")
    public ProviderBuilder sshKey(String path) {
        this.sshKey = nonBlank("sshKey", path);
        return this;
    }

    @Keyword(usage = "provider 'digitalocean', token: env('DIGITALOCEAN_ACCESS_TOKEN') | token: file('~/.config/doctl/token')",
            doc = "Where the API token is read when applying; a token written in the script is refused.",
            byDefault = "env('DIGITALOCEAN_ACCESS_TOKEN')")
    public ProviderBuilder token(Secret token) {
        if (token.source() == Secret.Source.LITERAL) {
            throw new SpecException("the token must not be written in the script: use token: env('"
                    + DEFAULT_TOKEN_VARIABLE + "') or token: file('PATH')");
        }
        this.token = token;
        return this;
    }

    @Keyword(usage = "provider 'digitalocean', monitoring: true",
            doc = "DigitalOcean's monitoring agent on the droplets.",
            byDefault = "false")
    public ProviderBuilder monitoring(boolean monitoring) {
        this.monitoring = monitoring;
        return this;
    }

    @Keyword(usage = "provider('generic') { hosts { host 'name', public: 'ADDRESS' } }",
            doc = "The machines of provider 'generic', one host line each; they are the nodes, in this order.")
    public ProviderBuilder hosts(Consumer<HostsBuilder> hosts) {
        if (this.hosts == null) {
            this.hosts = new HostsBuilder();
        }
        hosts.accept(this.hosts);
        return this;
    }

    ProviderSpec build() {
        if (name == null) {
            throw error("provider", "provider needs a name: " + String.join(" or ", NAMES.stream().map(n -> "'" + n + "'").toList()));
        }
        if (name.equals("generic")) {
            for (String cloudOnly : List.of("region", "size", "image", "sshKey", "token", "monitoring")) {
                if (wasSet(cloudOnly)) {
                    throw error(cloudOnly, cloudOnly + " applies to provider 'digitalocean', not to 'generic'");
                }
            }
            if (hosts == null || hosts.hosts.isEmpty()) {
                throw error("provider", "provider 'generic' needs its machines: hosts { host 'name', public: 'ADDRESS' }");
            }
            return new ProviderSpec.Generic(hosts.hosts.stream().map(HostBuilder::build).toList());
        }
        if (hosts != null) {
            throw error("hosts", "hosts are for provider 'generic'; provider 'digitalocean' creates its droplets");
        }
        return new ProviderSpec.DigitalOcean(
                region == null ? "nyc1" : region,
                size == null ? "s-1vcpu-1gb" : size,
                image == null ? "debian-12-x64" : image,
                sshKey == null ? "~/.ssh/id_rsa" : sshKey,
                token == null ? Secret.env(DEFAULT_TOKEN_VARIABLE) : token,
                monitoring);
    }
}
