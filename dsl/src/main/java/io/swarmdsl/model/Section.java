package io.swarmdsl.model;

import java.util.HashMap;
import java.util.Map;

/**
 * Base of every builder: remembers where each keyword was written, so that rules checked only when
 * the whole cluster is known (masters greater than nodes, say) still point at the right place.
 */
public abstract class Section {
    private final Map<String, SourcePosition> positions = new HashMap<>();
    private SourcePosition declaredAt;

    /** The word that opens this section in a script, used in messages ({@code "consul"}). */
    public abstract String sectionName();

    public void recordPosition(String keyword, SourcePosition position) {
        positions.put(keyword, position);
        if (declaredAt == null) {
            declaredAt = position;
        }
    }

    public void declaredAt(SourcePosition position) {
        if (declaredAt == null) {
            declaredAt = position;
        }
    }

    public SourcePosition positionOf(String keyword) {
        return positions.getOrDefault(keyword, declaredAt);
    }

    public boolean wasSet(String keyword) {
        return positions.containsKey(keyword);
    }

    protected SpecException error(String keyword, String message) {
        return new SpecException(positionOf(keyword), message);
    }

    protected static int inRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new SpecException(what + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    protected static String nonBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new SpecException(what + " must not be empty");
        }
        return value;
    }
}
