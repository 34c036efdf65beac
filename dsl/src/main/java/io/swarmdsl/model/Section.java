package io.swarmdsl.model;

import java.util.HashMap;
import java.util.Map;

/**
 * Base of every builder: remembers where each keyword was written, so that rules checked only when
 * the whole cluster is known (masters greater than nodes, say) still point at the right place.
 */
public abstract class Section {
    private final Map<String, SourcePosition> positions = new HashMap<>();
    private final Map<String, Given> given = new HashMap<>();
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

    /**
     * A script gives a keyword its value once: {@code nodes 3; nodes 5} would leave one of the two
     * silently unused. The same value again is no contradiction.
     */
    public void recordValue(String keyword, java.util.List<Object> values, SourcePosition at) {
        Given before = given.putIfAbsent(keyword, new Given(values, at));
        if (before != null && !before.values().equals(values)) {
            String name = sectionName().equals("cluster") ? keyword : sectionName() + " " + keyword;
            throw new SpecException(at, name + " is given twice with different values (first at " + before.at()
                    + "): say it once");
        }
    }

    private record Given(java.util.List<Object> values, SourcePosition at) {
    }

    public SourcePosition positionOf(String keyword) {
        return positions.getOrDefault(keyword, declaredAt);
    }

    /** No keyword of this section was written. */
    public boolean saysNothing() {
        return positions.isEmpty();
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

    /** Whole seconds from a duration written {@code '5s'}, {@code '2m'} or {@code '1h'}, within bounds. */
    protected static int seconds(String what, String duration, int min, int max) {
        var match = duration == null ? null : java.util.regex.Pattern.compile("(\\d{1,6})([smh])").matcher(duration.strip());
        if (match == null || !match.matches()) {
            throw new SpecException(what + " is a duration such as '5s', '2m' or '1h', got '" + duration + "'");
        }
        int seconds = Integer.parseInt(match.group(1)) * switch (match.group(2)) {
            case "m" -> 60;
            case "h" -> 3600;
            default -> 1;
        };
        if (seconds < min || seconds > max) {
            throw new SpecException(what + " must be between " + min + "s and " + max + "s, got " + duration.strip());
        }
        return seconds;
    }

    protected static String nonBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new SpecException(what + " must not be empty");
        }
        return value;
    }
}
