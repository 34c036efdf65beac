package io.swarmdsl.plan;

/**
 * The references a plan leaves for the apply to fill in, in one place: the secrets it reads or
 * generates, and the values it learns as it goes (a new droplet's addresses, join tokens).
 */
public final class Refs {
    public static final Text.Ref GOSSIP_KEY = Text.Ref.secret("consul.encrypt");
    public static final Text.Ref PROVIDER_TOKEN = Text.Ref.secret("provider.token");
    public static final Text.Ref MANAGER_TOKEN = Text.Ref.secret("swarm.manager_token");
    public static final Text.Ref WORKER_TOKEN = Text.Ref.secret("swarm.worker_token");
    /** Consul's management token: every right, kept only in the state directory and the servers' configurations. */
    public static final Text.Ref CONSUL_MANAGEMENT_TOKEN = Text.Ref.secret("consul.acl.management");
    /** What a request without a token may do (DNS, and classic Swarm's discovery): each agent's default token. */
    public static final Text.Ref CONSUL_DEFAULT_TOKEN = Text.Ref.secret("consul.acl.default");
    /** The id DigitalOcean gave the cluster's SSH key. */
    public static final Text.Ref SSH_KEY_ID = Text.Ref.runtime("provider.ssh_key_id", "provision");

    private Refs() {
    }

    /** The token a node's Consul agent registers itself with: a node identity, no more. */
    public static Text.Ref consulAgentToken(String node) {
        return Text.Ref.secret("consul.acl.agent." + node);
    }

    public static Text.Ref publicAddress(String node) {
        return Text.Ref.runtime(node + ".public_address", "provision");
    }

    public static Text.Ref privateAddress(String node) {
        return Text.Ref.runtime(node + ".private_address", "provision");
    }
}
