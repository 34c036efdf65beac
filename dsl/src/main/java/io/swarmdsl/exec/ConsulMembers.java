package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Consul's members as a server sees them ({@code GET /v1/agent/members}, serf's status: 1 alive,
 * 2 leaving, 3 left, 4 failed), whether the servers have a leader ({@code /v1/status/leader}) and
 * which servers vote in raft ({@code /v1/operator/raft/configuration}). {@code members} is null when
 * no server answers.
 */
public record ConsulMembers(Map<String, Integer> members, boolean leader, Set<String> voters) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STATUS = List.of("none", "alive", "leaving", "left", "failed");

    /** Asks the servers at {@code addresses} in turn until one answers. */
    public static ConsulMembers read(List<String> addresses) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        for (String address : addresses) {
            if (address == null) {
                continue;
            }
            try {
                JsonNode list = JSON.readTree(get(http, address, "/v1/agent/members"));
                Map<String, Integer> members = new TreeMap<>();
                list.forEach(member -> members.put(member.path("Name").asText(), member.path("Status").asInt()));
                boolean leader = get(http, address, "/v1/status/leader").contains(":");
                Set<String> voters = new TreeSet<>();
                if (leader) {
                    JSON.readTree(get(http, address, "/v1/operator/raft/configuration")).path("Servers").forEach(server -> {
                        if (server.path("Voter").asBoolean()) {
                            voters.add(server.path("Node").asText());
                        }
                    });
                }
                return new ConsulMembers(members, leader, voters);
            } catch (IOException e) {
                // this server cannot tell: ask the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new ConsulMembers(null, false, Set.of());
    }

    private static String get(HttpClient http, String address, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + ":8500" + path)).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** What is wrong with {@code node} as a member, or null. */
    public String problem(String node, boolean server) {
        if (members == null) {
            return "no Consul server answers";
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
