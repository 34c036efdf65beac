package io.swarmdsl.exec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The nodes of a Swarm-mode cluster as a manager lists them ({@code GET /nodes}). */
public record SwarmNodes(List<Member> members) {
    /** One node: its hostname, whether it is Ready, and its manager status (leader, reachable, or a worker). */
    public record Member(String hostname, String state, String role, boolean leader, String reachability, String engineVersion) {
        public boolean ready() {
            return state.equals("ready");
        }
    }

    public static SwarmNodes of(JsonNode nodes) {
        List<Member> members = new ArrayList<>();
        for (JsonNode node : nodes) {
            JsonNode manager = node.path("ManagerStatus");
            members.add(new Member(node.path("Description").path("Hostname").asText(), node.path("Status").path("State").asText(),
                    node.path("Spec").path("Role").asText(), manager.path("Leader").asBoolean(false),
                    manager.path("Reachability").asText(""), node.path("Description").path("Engine").path("EngineVersion").asText("")));
        }
        members.sort((a, b) -> a.hostname().compareTo(b.hostname()));
        return new SwarmNodes(List.copyOf(members));
    }

    /** What differs from {@code nodes} Ready nodes with {@code managers} managers and one leader, or null when nothing does. */
    public String problem(int nodes, int managers) {
        long ready = members.stream().filter(Member::ready).count();
        long managing = members.stream().filter(m -> m.role().equals("manager")).count();
        long leaders = members.stream().filter(Member::leader).count();
        List<String> problems = new ArrayList<>();
        if (ready != nodes) {
            problems.add(ready + " of " + nodes + " nodes Ready");
        }
        if (managing != managers) {
            problems.add(managing + " managers, expected " + managers);
        }
        if (leaders != 1) {
            problems.add(leaders + " leaders, expected one");
        }
        return problems.isEmpty() ? null : String.join(", ", problems);
    }

    public String describe() {
        return members.stream().map(m -> m.hostname() + " " + m.state() + " " + m.role() + (m.leader() ? " (leader)" : ""))
                .collect(Collectors.joining(", "));
    }
}
