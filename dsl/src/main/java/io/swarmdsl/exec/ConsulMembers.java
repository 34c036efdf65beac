package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ConsulSpec;
import io.swarmdsl.plan.LocalState;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.transport.consul.ConsulHttps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Consul's members as a server sees them ({@code GET /v1/agent/members}, serf's status: 1 alive,
 * 2 leaving, 3 left, 4 failed), whether the servers have a leader ({@code /v1/status/leader}), which
 * servers vote in raft and which leads ({@code /v1/operator/raft/configuration}), and how the server is secured, as
 * its running configuration says ({@code /v1/agent/self}). {@code members} is null when no server
 * answers; {@code trouble} then says why, where it is known.
 */
public record ConsulMembers(Map<String, Integer> members, boolean leader, Set<String> voters, String leaderNode, String security,
                            String trouble) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STATUS = List.of("none", "alive", "leaving", "left", "failed");

    /** How the tool reaches a server's HTTP API: a GET of {@code path} that gives the body of a 200 answer. */
    public interface Api {
        String get(String address, String path) throws IOException;
    }

    /** The open HTTP API, of a cluster without Consul TLS. */
    public static Api plain() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        return (address, path) -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + ":" + ConsulSpec.HTTP_PORT + path)).timeout(Duration.ofSeconds(5)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                return ok(response.statusCode(), response.body(), path);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        };
    }

    /**
     * The way to a cluster's Consul as its script sets it up: the open API without TLS, else HTTPS
     * through {@code https} (the cluster's client certificate) with the management token from the
     * state directory, read when first asked (a missing one is then the answer).
     */
    public static Api of(ClusterSpec spec, ConsulHttps https, Path stateDirectory) {
        if (!spec.consul().tls()) {
            return plain();
        }
        return (address, path) -> {
            String token = null;
            if (spec.consul().acl()) {
                Path file = stateDirectory.resolve(LocalState.generatedSecret(Refs.CONSUL_MANAGEMENT_TOKEN.name()));
                if (!Files.exists(file)) {
                    throw new NoManagementToken("the cluster's Consul management token is not in " + file);
                }
                token = Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            ConsulHttps.Answer answer = https.call(address, ConsulSpec.HTTPS_PORT, "GET", path, token, null);
            return ok(answer.status(), answer.body(), path);
        };
    }

    /** No server can be asked without it: no use trying the next. */
    static final class NoManagementToken extends IOException {
        NoManagementToken(String message) {
            super(message);
        }
    }

    private static String ok(int status, String body, String path) throws IOException {
        if (status != 200) {
            throw new IOException(path + " answered " + status);
        }
        return body;
    }

    /** Asks the servers at {@code addresses} in turn until one answers. */
    public static ConsulMembers read(List<String> addresses, Api api) {
        for (String address : addresses) {
            if (address == null) {
                continue;
            }
            try {
                JsonNode list = JSON.readTree(api.get(address, "/v1/agent/members"));
                Map<String, Integer> members = new TreeMap<>();
                list.forEach(member -> members.put(member.path("Name").asText(), member.path("Status").asInt()));
                boolean leader = api.get(address, "/v1/status/leader").contains(":");
                Set<String> voters = new TreeSet<>();
                String leaderNode = null;
                if (leader) {
                    for (JsonNode server : JSON.readTree(api.get(address, "/v1/operator/raft/configuration")).path("Servers")) {
                        if (server.path("Voter").asBoolean()) {
                            voters.add(server.path("Node").asText());
                        }
                        if (server.path("Leader").asBoolean()) {
                            leaderNode = server.path("Node").asText();
                        }
                    }
                }
                return new ConsulMembers(members, leader, voters, leaderNode, security(JSON.readTree(api.get(address, "/v1/agent/self"))), null);
            } catch (NoManagementToken e) {
                return new ConsulMembers(null, false, Set.of(), null, null, e.getMessage());
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                // this server cannot tell: ask the next one
            }
        }
        return new ConsulMembers(null, false, Set.of(), null, null, null);
    }

    /**
     * ACLs, TLS verification and gossip encryption as the server runs them: from the running
     * configuration of {@code /v1/agent/self} (its DebugConfig), not from the files written.
     */
    static String security(JsonNode self) {
        JsonNode config = self.path("DebugConfig");
        String acl = config.path("ACLsEnabled").asBoolean()
                ? "ACLs on (default " + config.path("ACLDefaultPolicy").asText("?") + ")" : "ACLs off";
        List<String> verified = new ArrayList<>();
        if (config.path("VerifyIncomingRPC").asBoolean() || config.path("VerifyIncoming").asBoolean()) {
            verified.add("incoming");
        }
        if (config.path("VerifyOutgoing").asBoolean()) {
            verified.add("outgoing");
        }
        if (config.path("VerifyServerHostname").asBoolean()) {
            verified.add("server names");
        }
        String tls = verified.isEmpty() ? "TLS unverified" : "TLS verifies " + String.join(", ", verified);
        if (config.path("HTTPSPort").asInt(-1) > 0) {
            tls += ", HTTPS API" + (config.path("VerifyIncomingHTTPS").asBoolean() || config.path("VerifyIncoming").asBoolean()
                    ? " with client certificates" : " without client certificates");
        }
        String gossip = "true".equals(self.path("Stats").path("serf_lan").path("encrypted").asText()) ? "gossip encrypted" : "gossip not encrypted";
        return acl + ", " + tls + ", " + gossip;
    }

    /** What is wrong with {@code node} as a member, or null. */
    public String problem(String node, boolean server) {
        if (members == null) {
            return trouble != null ? trouble : "no Consul server answers";
        }
        if (server && !leader) {
            return "the Consul servers have no leader";
        }
        Integer status = members.get(node);
        if (status == null) {
            return "not a Consul member";
        }
        if (server && status == 1 && !voters.contains(node)) {
            return "its Consul server does not vote in raft";
        }
        return status == 1 ? null : "Consul member " + (status < STATUS.size() ? STATUS.get(status) : "status " + status);
    }
}
