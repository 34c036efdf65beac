package io.swarmdsl.model;

import java.util.List;

/** Where the nodes come from. */
public sealed interface ProviderSpec {
    String name();

    /** The provider's API token, which the apply reads as a secret; none for hosts that exist. */
    default Secret token() {
        return null;
    }

    /** No provider in the script: nodes get default names and unknown addresses, and the plan still shows every step. */
    record Unspecified() implements ProviderSpec {
        public String name() {
            return "none";
        }
    }

    /** Droplets created through DigitalOcean's API (the article's phase one). */
    record DigitalOcean(String region, String size, String image, String sshKey, Secret token, boolean monitoring)
            implements ProviderSpec {
        public String name() {
            return "digitalocean";
        }
    }

    /** Machines that already exist (docker-machine's generic driver). */
    record Generic(List<HostSpec> hosts) implements ProviderSpec {
        public String name() {
            return "generic";
        }
    }
}
