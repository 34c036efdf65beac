package io.swarmdsl.plan;

import io.swarmdsl.model.Phase;
import java.util.Arrays;

/**
 * Who a step is: its phase, its node (null for a step of the cluster as a whole) and its name.
 * {@link #toString()} is the form plans, journals and the markers on the nodes use:
 * {@code PHASE.NODE.NAME} or {@code PHASE.NAME}; node names and step names hold no dot. A value:
 * equal ids have equal text, which is made once (a plan of 1000 nodes prints, sorts and hashes
 * 14000 of them).
 */
public final class StepId implements Comparable<StepId> {
    private final Phase phase;
    private final String node;
    private final String name;
    private final String text;

    private StepId(Phase phase, String node, String name) {
        this.phase = phase;
        this.node = node;
        this.name = name;
        this.text = phase.keyword() + "." + (node == null ? "" : node + ".") + name;
    }

    public static StepId of(Phase phase, String node, String name) {
        return new StepId(phase, node, name);
    }

    /** The id {@code text} spells, as {@link #toString()} writes it; null when it is not a step id. */
    public static StepId parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length < 2 || parts.length > 3 || Arrays.stream(parts).anyMatch(String::isEmpty)) {
            return null;
        }
        for (Phase phase : Phase.values()) {
            if (phase.keyword().equals(parts[0])) {
                return parts.length == 2 ? new StepId(phase, null, parts[1]) : new StepId(phase, parts[1], parts[2]);
            }
        }
        return null;
    }

    public Phase phase() {
        return phase;
    }

    public String node() {
        return node;
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StepId id && text.equals(id.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public int compareTo(StepId other) {
        return text.compareTo(other.text);
    }

    @Override
    public String toString() {
        return text;
    }
}
