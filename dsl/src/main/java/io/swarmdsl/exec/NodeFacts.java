package io.swarmdsl.exec;

import io.swarmdsl.plan.StepId;
import java.util.List;
import java.util.Map;

/**
 * What a node says about itself, read before applying: the steps it records as applied (with the
 * fingerprint and the hashes of the files they wrote), the current hashes of the plan's files, the
 * output of the steps' checks (step id → trimmed output), and what runs: whether the engine answers,
 * each container's name and whether it is up.
 */
public record NodeFacts(Map<StepId, Marker> applied, Map<String, String> fileHashes, Map<StepId, String> checks,
                        Map<String, Boolean> containers, boolean engineUp) {
    public NodeFacts(Map<StepId, Marker> applied, Map<String, String> fileHashes, Map<StepId, String> checks) {
        this(applied, fileHashes, checks, Map.of(), true);
    }

    public NodeFacts(Map<StepId, Marker> applied, Map<String, String> fileHashes, Map<StepId, String> checks,
                     Map<String, Boolean> containers) {
        this(applied, fileHashes, checks, containers, true);
    }

    public record Marker(String fingerprint, List<String> fileHashes) {
        /** {@code FINGERPRINT HASH1,HASH2}: the content of a marker file. */
        public static Marker parse(String text) {
            String[] parts = text.trim().split("\\s+", 2);
            return new Marker(parts[0], parts.length < 2 || parts[1].isBlank() ? List.of() : List.of(parts[1].split(",")));
        }

        public String format() {
            return fingerprint + " " + String.join(",", fileHashes) + "\n";
        }
    }
}
