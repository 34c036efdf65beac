package io.swarmdsl.dsl;

import io.swarmdsl.model.Keyword;
import io.swarmdsl.model.ClusterBuilder;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The words of a builder: its {@link Keyword} methods, by script name, read once per class. */
public final class Keywords {
    private static final Map<Class<?>, Map<String, List<Method>>> BY_CLASS = new ConcurrentHashMap<>();

    private Keywords() {
    }

    /**
     * The whole language for tools outside this package (the REPL's completion and help): for the
     * script's top level ({@code ""}) and for every section keyword, its words and their usage, as
     * the {@link LanguageReference} reads them.
     */
    public static Map<String, Map<String, String>> vocabulary() {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        collectVocabulary("", LanguageReference.keywords(), sections);
        return sections;
    }

    private static void collectVocabulary(String section, List<LanguageReference.Entry> entries, Map<String, Map<String, String>> sections) {
        Map<String, String> words = new TreeMap<>();
        sections.put(section, words);
        for (LanguageReference.Entry entry : entries) {
            words.put(entry.name(), String.join(" | ", entry.usages()));
            if (!entry.options().isEmpty() && !sections.containsKey(entry.name())) {
                collectVocabulary(entry.name(), entry.options(), sections);
            }
        }
    }

    /** The names a script's top level gives meaning to: the cluster's keywords, {@code env} and {@code file}. */
    static Set<String> ofScript() {
        return ScriptNames.ALL;
    }

    private static final class ScriptNames {
        static final Set<String> ALL = Stream.concat(of(ClusterBuilder.class).keySet().stream(), Stream.of("env", "file"))
                .collect(Collectors.toUnmodifiableSet());
    }

    static Map<String, List<Method>> of(Class<?> type) {
        return BY_CLASS.computeIfAbsent(type, Keywords::scan);
    }

    static List<Method> named(Class<?> type, String name) {
        return of(type).getOrDefault(name, List.of());
    }

    static Method positional(Class<?> type) {
        for (List<Method> methods : of(type).values()) {
            for (Method method : methods) {
                if (method.getAnnotation(Keyword.class).positional()) {
                    return method;
                }
            }
        }
        return null;
    }

    static boolean opensSection(Method method) {
        return method.getParameterCount() == 1 && method.getParameterTypes()[0] == Consumer.class;
    }

    /** The builder of the section a method {@link #opensSection opens}: the {@code X} of its {@code Consumer<X>}. */
    static Class<?> sectionOf(Method method) {
        return (Class<?>) ((java.lang.reflect.ParameterizedType) method.getGenericParameterTypes()[0]).getActualTypeArguments()[0];
    }

    static String nameOf(Method method) {
        String name = method.getAnnotation(Keyword.class).name();
        return name.isEmpty() ? method.getName() : name;
    }

    static String usage(List<Method> methods) {
        return String.join(" | ", methods.stream().map(m -> m.getAnnotation(Keyword.class).usage()).distinct().toList());
    }

    private static Map<String, List<Method>> scan(Class<?> type) {
        Map<String, List<Method>> words = new TreeMap<>();
        List<Method> methods = new ArrayList<>(List.of(type.getMethods()));
        // Fewer parameters first: a bare word tries the flag form before the valued one.
        methods.sort(Comparator.comparing(Method::getName).thenComparing(Method::getParameterCount)
                .thenComparing(m -> m.getParameterTypes().length > 0 && m.getParameterTypes()[0] == boolean.class ? 0 : 1));
        for (Method method : methods) {
            if (method.isAnnotationPresent(Keyword.class)) {
                words.computeIfAbsent(nameOf(method), k -> new ArrayList<>()).add(method);
            }
        }
        return words;
    }
}
