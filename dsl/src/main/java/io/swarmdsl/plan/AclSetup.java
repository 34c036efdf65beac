package io.swarmdsl.plan;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.SwarmSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Consul's ACL system as the plan sets it up, under the management token the servers create from
 * their configuration: the default token's policy, the default token, and an agent token for each
 * node (a node identity: its own node, read of services). Token secrets are references, generated
 * at apply; accessor ids are derived from the cluster's name, so a re-apply finds the same tokens.
 */
public record AclSetup(String datacenter, List<Policy> policies, List<Token> tokens) {
    public static final String DEFAULT_POLICY = "swarm-default";

    public AclSetup {
        policies = List.copyOf(policies);
        tokens = List.copyOf(tokens);
    }

    /** {@code rules} in Consul's HCL. */
    public record Policy(String name, String description, String rules) {
    }

    /** {@code nodeIdentity}: the node whose agent this token is, or null; {@code policies} by name. */
    public record Token(String accessor, Text.Ref secret, String description, List<String> policies, String nodeIdentity) {
        public Token {
            policies = List.copyOf(policies);
        }
    }

    static AclSetup of(ClusterSpec spec) {
        List<Token> tokens = new ArrayList<>();
        tokens.add(new Token(accessor(spec, "default"), Refs.CONSUL_DEFAULT_TOKEN,
                "swarm " + spec.name() + ": requests without a token (DNS, classic Swarm)", List.of(DEFAULT_POLICY), null));
        for (NodeSpec node : spec.nodes()) {
            tokens.add(new Token(accessor(spec, "agent " + node.name()), Refs.consulAgentToken(node.name()),
                    "swarm " + spec.name() + ": the Consul agent of " + node.name(), List.of(), node.name()));
        }
        return new AclSetup(spec.datacenter(), List.of(new Policy(DEFAULT_POLICY,
                "what a request without a token may do: read the catalog (DNS) and the agents"
                        + (needsKeyValues(spec) ? ", keep classic Swarm's and the engines' state under docker/" : ""),
                rules(spec))), tokens);
    }

    /**
     * Reads for DNS and for the checks of the plan's verify steps (members, raft peers, the agent);
     * with classic Swarm, what its discovery, leader lock and the engines' cluster store write: keys
     * under {@code docker/} and sessions. Never ACLs, never services' or nodes' registrations.
     */
    private static String rules(ClusterSpec spec) {
        String rules = """
                node_prefix "" { policy = "read" }
                service_prefix "" { policy = "read" }
                agent_prefix "" { policy = "read" }
                operator = "read"
                """;
        if (needsKeyValues(spec)) {
            rules += """
                    key_prefix "docker/" { policy = "write" }
                    session_prefix "" { policy = "write" }
                    """;
        }
        return rules;
    }

    private static boolean needsKeyValues(ClusterSpec spec) {
        return spec.swarm().flavor() == SwarmSpec.Flavor.CLASSIC;
    }

    private static String accessor(ClusterSpec spec, String token) {
        return UUID.nameUUIDFromBytes(("swarm " + spec.name() + " " + token).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The body of {@code PUT /v1/acl/policy}. */
    public static String body(Policy policy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", policy.name());
        body.put("Description", policy.description());
        body.put("Rules", policy.rules());
        return Documents.json(body);
    }

    /** The body of {@code PUT /v1/acl/token}, its secret a reference. */
    public Text body(Token token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("AccessorID", token.accessor());
        body.put("SecretID", token.secret().marker());
        body.put("Description", token.description());
        body.put("Policies", token.policies().stream().map(name -> Map.of("Name", name)).toList());
        if (token.nodeIdentity() != null) {
            Map<String, Object> identity = new LinkedHashMap<>();   // in this order in every plan: Map.of's is not fixed
            identity.put("NodeName", token.nodeIdentity());
            identity.put("Datacenter", datacenter);
            body.put("NodeIdentities", List.of(identity));
        }
        return Text.parse(Documents.json(body), Map.of(token.secret().name(), token.secret()));
    }

    /** What plans show, JSON carries and fingerprints cover: everything but the secrets' values. */
    public Map<String, Object> tree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("datacenter", datacenter);
        tree.put("policies", policies.stream().map(policy -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", policy.name());
            fields.put("description", policy.description());
            fields.put("rules", policy.rules());
            return fields;
        }).toList());
        tree.put("tokens", tokens.stream().map(token -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("accessor", token.accessor());
            fields.put("description", token.description());
            fields.put("policies", token.policies());
            fields.put("node_identity", token.nodeIdentity());
            fields.put("secret", token.secret().placeholder());
            return fields;
        }).toList());
        return tree;
    }
}
