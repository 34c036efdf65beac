package io.swarmdsl.cli.repl;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.render.SpecTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What differs between two clusters, one line per change, in the words of the language:
 * {@code nodes: 7 (doccur1 … doccur7)}, {@code masters: 3 (of 7 nodes)}, {@code consul.encrypt: generated at apply}.
 */
final class ClusterChanges {
    private static final int LONGEST_VALUE = 70;
    /** Follows from the masters, which get their own line. */
    private static final Set<String> DERIVED = Set.of("consul.bootstrapExpect");

    private ClusterChanges() {
    }

    static List<String> between(ClusterSpec before, ClusterSpec after) {
        List<String> changes = new ArrayList<>();
        List<String> namesBefore = before.nodes().stream().map(NodeSpec::name).toList();
        List<String> namesAfter = after.nodes().stream().map(NodeSpec::name).toList();
        if (!namesBefore.equals(namesAfter)) {
            changes.add("nodes: " + namesAfter.size() + " (" + nameRange(namesAfter) + ")");
        }
        if (!before.masters().equals(after.masters()) || namesBefore.size() != namesAfter.size()) {
            changes.add("masters: " + after.masters().size() + " (of " + after.nodes().size() + " nodes)");
        }
        Map<String, String> old = flatten(SpecTree.of(before));
        Map<String, String> now = flatten(SpecTree.of(after));
        Set<String> paths = new LinkedHashSet<>(now.keySet());
        paths.addAll(old.keySet());
        for (String path : paths) {
            if (path.startsWith("nodes") || DERIVED.contains(path)) {
                continue;
            }
            String value = now.get(path);
            if (value == null) {
                changes.add(path + ": (unset)");
            } else if (!value.equals(old.get(path))) {
                changes.add(path + ": " + value);
            }
        }
        return changes;
    }

    private static String nameRange(List<String> names) {
        if (names.size() <= 3) {
            return String.join(", ", names);
        }
        return names.get(0) + " … " + names.get(names.size() - 1);
    }

    /** The spec tree as {@code path → printed value}; a secret is a leaf that shows where it comes from. */
    private static Map<String, String> flatten(Map<String, Object> tree) {
        Map<String, String> leaves = new LinkedHashMap<>();
        flatten("", tree, leaves);
        return leaves;
    }

    private static void flatten(String path, Object value, Map<String, String> leaves) {
        if (value instanceof Map<?, ?> map && !isSecret(map)) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                flatten(path.isEmpty() ? String.valueOf(entry.getKey()) : path + "." + entry.getKey(), entry.getValue(), leaves);
            }
        } else if (value instanceof List<?> list && list.stream().anyMatch(item -> item instanceof Map)) {
            for (int i = 0; i < list.size(); i++) {
                flatten(path + "[" + i + "]", list.get(i), leaves);
            }
        } else if (value != null) {
            leaves.put(path, printed(value));
        }
    }

    private static boolean isSecret(Map<?, ?> map) {
        return map.size() == 2 && map.containsKey("value") && map.containsKey("from");
    }

    private static String printed(Object value) {
        String text;
        if (value instanceof Map<?, ?> secret) {
            text = String.valueOf(secret.get("from"));
        } else if (value instanceof List<?> list) {
            text = list.isEmpty() ? "(none)" : String.join(", ", list.stream().map(String::valueOf).toList());
        } else {
            text = String.valueOf(value);
        }
        String firstLine = text.lines().findFirst().orElse("");
        boolean cut = firstLine.length() > LONGEST_VALUE || !firstLine.equals(text);
        return cut ? firstLine.substring(0, Math.min(firstLine.length(), LONGEST_VALUE)) + " …" : text;
    }
}
