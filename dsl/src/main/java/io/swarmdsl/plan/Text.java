package io.swarmdsl.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command or file content that may contain values not known when planning ({@code (known after
 * provision)}) or never shown ({@code (sensitive)}). Each renderer decides what a reference becomes:
 * the text plan a placeholder, the shell script a variable, the executor the real value.
 */
public record Text(List<Part> parts) {
    private static final Pattern MARKER = Pattern.compile("@@ref:([A-Za-z0-9_.-]+)@@");

    public sealed interface Part {
    }

    public record Literal(String text) implements Part {
    }

    /**
     * A value resolved at apply time. {@code knownAfter} names the step kind that produces it
     * ({@code provision}, {@code swarm init}); a secret is never shown, whatever it is known after.
     */
    public record Ref(String name, boolean secret, String knownAfter) implements Part {
        public static Ref runtime(String name, String knownAfter) {
            return new Ref(name, false, knownAfter);
        }

        public static Ref secret(String name) {
            return new Ref(name, true, "apply");
        }

        /** What a plan shows in its place. */
        public String placeholder() {
            return secret ? "(sensitive)" : "(known after " + knownAfter + ")";
        }

        /** How to embed the reference in a generated document, to be found again by {@link Text#parse}. */
        public String marker() {
            return "@@ref:" + name + "@@";
        }
    }

    public Text {
        parts = List.copyOf(parts);
    }

    /** Joins strings, references and other texts into one text. */
    public static Text of(Object... pieces) {
        List<Part> parts = new ArrayList<>();
        for (Object piece : pieces) {
            if (piece instanceof Text text) {
                parts.addAll(text.parts);
            } else if (piece instanceof Part part) {
                parts.add(part);
            } else {
                parts.add(new Literal(String.valueOf(piece)));
            }
        }
        return new Text(merged(parts));
    }

    /** A generated document (JSON, YAML) whose references were embedded with {@link Ref#marker()}. */
    public static Text parse(String document, Map<String, Ref> refs) {
        List<Part> parts = new ArrayList<>();
        Matcher matcher = MARKER.matcher(document);
        int from = 0;
        while (matcher.find()) {
            parts.add(new Literal(document.substring(from, matcher.start())));
            Ref ref = refs.get(matcher.group(1));
            if (ref == null) {
                throw new IllegalStateException("unknown reference " + matcher.group(1));
            }
            parts.add(ref);
            from = matcher.end();
        }
        parts.add(new Literal(document.substring(from)));
        return new Text(merged(parts));
    }

    public boolean isSensitive() {
        return parts.stream().anyMatch(p -> p instanceof Ref r && r.secret());
    }

    public List<Ref> refs() {
        return parts.stream().filter(Ref.class::isInstance).map(Ref.class::cast).toList();
    }

    public String render(Function<Ref, String> resolve) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part instanceof Literal literal ? literal.text() : resolve.apply((Ref) part));
        }
        return out.toString();
    }

    /** The text as a plan shows it: placeholders for everything not known now. */
    public String display() {
        return render(Ref::placeholder);
    }

    @Override
    public String toString() {
        return display();
    }

    private static List<Part> merged(List<Part> parts) {
        List<Part> result = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Literal literal && literal.text().isEmpty()) {
                continue;
            }
            if (part instanceof Literal literal && !result.isEmpty() && result.get(result.size() - 1) instanceof Literal last) {
                result.set(result.size() - 1, new Literal(last.text() + literal.text()));
            } else {
                result.add(part);
            }
        }
        return result;
    }
}
