package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A classic Swarm as its managers describe it in {@code GET /info}: each manager's role ({@code
 * primary}, or {@code replica} of a primary) and the engines it lists with their status. The
 * SystemStatus (DriverStatus before 1.0) pairs: {@code ["Role", "primary"]}, {@code ["Nodes", "5"]},
 * then per engine {@code [" lab1", "10.0.0.1:2376"]} followed by {@code ["  └ Status", "Healthy"]}.
 */
public record ClassicSwarm(List<String> roles, Map<String, String> engines) {

    public static ClassicSwarm of(List<JsonNode> managerInfos) {
        List<String> roles = new ArrayList<>();
        Map<String, String> engines = new TreeMap<>();
        for (JsonNode info : managerInfos) {
            List<JsonNode> pairs = new ArrayList<>();
            for (String field : List.of("SystemStatus", "DriverStatus")) {
                info.path(field).forEach(pair -> {
                    if (pair.size() == 2) {
                        pairs.add(pair);
                    }
                });
            }
            String role = pairs.stream().filter(pair -> pair.get(0).asText().strip().equals("Role"))
                    .map(pair -> pair.get(1).asText().strip()).findFirst().orElse("unknown");
            roles.add(role);
            // The engines as the primary (or the only manager) sees them: a replica's list can lag behind.
            if (!role.equals("primary") && managerInfos.size() > 1) {
                continue;
            }
            String engine = null;
            for (JsonNode pair : pairs) {
                String key = pair.get(0).asText();
                if (key.strip().startsWith("└")) {
                    if (engine != null && key.strip().substring(1).strip().equals("Status")) {
                        engines.put(engine, pair.get(1).asText().strip());
                    }
                } else if (key.startsWith(" ")) {
                    engine = key.strip();
                }
            }
        }
        return new ClassicSwarm(List.copyOf(roles), engines);
    }

    /** What differs from {@code nodes} Healthy engines, one primary and the other managers its replicas, or null. */
    public String problem(int nodes) {
        List<String> problems = new ArrayList<>();
        long healthy = engines.values().stream().filter("Healthy"::equals).count();
        if (healthy != nodes) {
            problems.add(healthy + " of " + nodes + " engines Healthy in the classic Swarm");
        }
        long primaries = roles.stream().filter("primary"::equals).count();
        long replicas = roles.stream().filter("replica"::equals).count();
        if (roles.size() == 1 ? !roles.get(0).equals("primary") && !roles.get(0).equals("unknown") : primaries != 1 || replicas != roles.size() - 1) {
            problems.add(primaries + " primary and " + replicas + " replicas among " + roles.size() + " managers, expected one primary");
        }
        return problems.isEmpty() ? null : String.join(", ", problems);
    }

    public String describe() {
        return "managers " + String.join(" ", roles) + "; engines " + engines.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
