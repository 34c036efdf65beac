package io.swarmdsl.dsl;

import io.swarmdsl.model.ClusterBuilder;
import io.swarmdsl.model.Keyword;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The language as its reader sees it: every keyword with how it is written, what it means, its
 * default, the options of its section and, for the script's top level, an example. Read from the
 * builders' {@link Keyword} annotations, so the reference pages ({@link ReferenceWriter}) and the
 * REPL's {@code :help} say what the parser accepts.
 */
public final class LanguageReference {
    /**
     * One keyword of a section ({@code ""} for the script's top level); {@code options} are the words
     * of the section it opens, if it opens one. {@code positional}: the section's unnamed value
     * ({@code consul false}).
     */
    public record Entry(String section, String name, List<String> usages, String doc, String byDefault, String example,
                        boolean positional, boolean repeatable, List<Entry> options) {
        /** How it is written, without the reminder in brackets that the doc says in full. */
        public List<String> written() {
            return usages.stream().map(usage -> usage.replaceFirst("\\s{3}\\(.*\\)$", "")).toList();
        }

        /** The section and the word, as a user says it: {@code consul encrypt}, {@code nodes}. */
        public String path() {
            return section.isEmpty() ? name : section + " " + name;
        }
    }

    private static final List<Entry> KEYWORDS = entries("", ClusterBuilder.class);

    private LanguageReference() {
    }

    /** The keywords of the script's top level, by name. */
    public static List<Entry> keywords() {
        return KEYWORDS;
    }

    /** Every entry named {@code name}, at any depth: {@code port} is an option of ssh, engine, swarm and host. */
    public static List<Entry> named(String name) {
        List<Entry> found = new ArrayList<>();
        collect(KEYWORDS, entry -> entry.name().equals(name), found);
        return found;
    }

    /** The names of every keyword and option, for a did-you-mean. */
    public static Set<String> names() {
        List<Entry> all = new ArrayList<>();
        collect(KEYWORDS, entry -> true, all);
        Set<String> names = new LinkedHashSet<>();
        all.forEach(entry -> names.add(entry.name()));
        return names;
    }

    /** The REPL's {@code :help NAME}: each entry of that name as plain text; null when the language has none. */
    public static String help(String name) {
        List<Entry> entries = named(name);
        if (entries.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries) {
            text.append(text.length() == 0 ? "" : "\n").append(entry.path()).append(": ").append(entry.doc()).append('\n');
            entry.written().forEach(written -> text.append("  ").append(written).append('\n'));
            if (!entry.byDefault().isEmpty()) {
                text.append("Default: ").append(entry.byDefault()).append('\n');
            }
            if (!entry.options().isEmpty()) {
                text.append("Options: ").append(String.join(", ", entry.options().stream()
                        .filter(option -> !option.positional()).map(Entry::name).toList())).append('\n');
            }
            if (!entry.example().isEmpty()) {
                text.append("Example:\n");
                entry.example().lines().forEach(line -> text.append("  ").append(line).append('\n'));
            }
        }
        return text.toString().stripTrailing();
    }

    private static void collect(List<Entry> entries, java.util.function.Predicate<Entry> wanted, List<Entry> found) {
        for (Entry entry : entries) {
            if (wanted.test(entry)) {
                found.add(entry);
            }
            collect(entry.options(), wanted, found);
        }
    }

    private static List<Entry> entries(String section, Class<?> builder) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, List<Method>> word : Keywords.of(builder).entrySet()) {
            List<Keyword> annotations = word.getValue().stream().map(method -> method.getAnnotation(Keyword.class)).toList();
            List<Entry> options = new ArrayList<>();
            for (Method method : word.getValue()) {
                if (Keywords.opensSection(method) && options.isEmpty()) {
                    options.addAll(entries(word.getKey(), Keywords.sectionOf(method)));
                }
            }
            entries.add(new Entry(section, word.getKey(), annotations.stream().map(Keyword::usage).distinct().toList(),
                    first(annotations.stream().map(Keyword::doc).toList()), first(annotations.stream().map(Keyword::byDefault).toList()),
                    first(annotations.stream().map(Keyword::example).toList()),
                    annotations.stream().anyMatch(Keyword::positional), annotations.stream().anyMatch(Keyword::repeatable),
                    List.copyOf(options)));
        }
        // The section's own value first: it is what the section's keyword takes.
        entries.sort((a, b) -> Boolean.compare(b.positional(), a.positional()));
        return List.copyOf(entries);
    }

    private static String first(List<String> texts) {
        return texts.stream().filter(text -> !text.isEmpty()).findFirst().orElse("");
    }
}
