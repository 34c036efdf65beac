package io.swarmdsl.dsl;

import groovy.lang.Closure;
import io.swarmdsl.model.DidYouMean;
import io.swarmdsl.model.Excerpt;
import io.swarmdsl.model.Section;
import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Carries out one keyword of a script on a builder. Every form a keyword can take goes through here:
 * {@code masters 3}, {@code nodes 7, prefix: 'doccur'}, {@code consul { … }}, {@code swarm replication},
 * so every error has the same shape and names the statement's place.
 */
final class Dispatcher {
    private Dispatcher() {
    }

    static Object call(Section target, String name, Object[] args) {
        SourcePosition position = Evaluation.current().position();
        List<Method> methods = Keywords.named(target.getClass(), name);
        if (methods.isEmpty()) {
            throw new SpecException(position, unknown(target, name));
        }
        Arguments arguments = Arguments.of(args);
        target.recordPosition(name, position);
        try {
            Optional<Method> section = methods.stream().filter(Keywords::opensSection).findFirst();
            if (section.isPresent()) {
                Object result = openSection(target, section.get(), name, arguments, position);
                return result == null ? new AfterKeyword(name) : result;
            }
            if (arguments.block != null || arguments.named != null && !arguments.positional.isEmpty()) {
                throw new SpecException(name + " takes a value, not options or a block: " + Keywords.usage(methods));
            }
            invoke(target, name, methods, arguments.values());
            return new AfterKeyword(name);
        } catch (SpecException e) {
            throw e.placedAt(position);
        }
    }

    /** Sets a builder through one of its keywords with the given values, choosing the overload that fits. */
    static void invoke(Section target, String name, List<Method> methods, List<Object> values) {
        boolean listTaker = methods.stream().anyMatch(m -> m.getParameterCount() == 1 && m.getParameterTypes()[0] == List.class);
        if (listTaker && values.size() > 1) {
            // recursors '1.1.1.1', '9.9.9.9' means the list of both.
            values = List.of(List.copyOf(values));
        }
        for (Method method : methods) {
            if (Keywords.opensSection(method) || method.getParameterCount() != values.size()) {
                continue;
            }
            Object[] converted = new Object[values.size()];
            boolean fits = true;
            for (int i = 0; i < values.size() && fits; i++) {
                Optional<Object> value = Values.convert(values.get(i), method.getGenericParameterTypes()[i]);
                fits = value.isPresent();
                converted[i] = value.orElse(null);
            }
            if (fits) {
                if (Evaluation.current().oneValuePerKeyword()
                        && !method.getAnnotation(io.swarmdsl.model.Keyword.class).repeatable()) {
                    target.recordValue(name, Arrays.asList(converted), Evaluation.current().position());
                }
                invokeMethod(method, target, converted);
                return;
            }
        }
        if (values.isEmpty()) {
            Optional<Method> flag = methods.stream()
                    .filter(m -> m.getParameterCount() == 1 && m.getParameterTypes()[0] == boolean.class).findFirst();
            if (flag.isPresent()) {
                invokeMethod(flag.get(), target, true);
                return;
            }
        }
        String got = values.isEmpty() ? "nothing"
                : String.join(", ", values.stream().map(Values::describe).toList());
        throw new SpecException(qualified(target, name) + " expects " + Keywords.usage(methods) + "; got " + got);
    }

    private static Object openSection(Section target, Method section, String name, Arguments arguments,
                                      SourcePosition position) {
        Object[] result = new Object[1];
        Consumer<Section> body = sub -> {
            sub.declaredAt(position);
            if (arguments.positional.size() > 1) {
                throw new SpecException(name + " takes one value before its options, got "
                        + arguments.positional.size() + ": " + Keywords.usage(List.of(section)));
            }
            if (arguments.positional.size() == 1) {
                result[0] = applyValue(sub, name, arguments.positional.get(0), position);
            }
            if (arguments.named != null) {
                arguments.named.forEach((option, value) -> call(sub, String.valueOf(option), new Object[] {value}));
            }
            if (arguments.block != null) {
                runBlock(sub, arguments.block);
            }
        };
        invokeMethod(section, target, body);
        return result[0];
    }

    /** {@code nodes 7}: the value goes to the section's positional keyword; {@code swarm mode}: a word names an option. */
    private static Object applyValue(Section section, String name, Object value, SourcePosition position) {
        Method positional = Keywords.positional(section.getClass());
        if (value instanceof Word word) {
            List<Method> options = Keywords.named(section.getClass(), word.name());
            if (!options.isEmpty()) {
                section.recordPosition(word.name(), position);
                PendingWord pending = new PendingWord(section, name, word.name(), options, position);
                if (pending.takesNoValue()) {
                    pending.applyAlone();
                } else {
                    Evaluation.current().await(pending);
                }
                return pending;
            }
            // A word is an option's name unless the section takes a name or a number: nodes many.
            if (positional == null || positional.getParameterTypes()[0] == boolean.class) {
                throw new SpecException("unknown " + name + " option '" + Excerpt.of(word.name()) + "'"
                        + DidYouMean.suggest(word.name(), Keywords.of(section.getClass()).keySet())
                        + " (" + name + " takes: " + String.join(", ", Keywords.of(section.getClass()).keySet()) + ")");
            }
        }
        if (positional == null) {
            throw new SpecException(name + " takes options, not a value: "
                    + Keywords.usage(Keywords.of(section.getClass()).values().stream().flatMap(List::stream).toList()));
        }
        String positionalName = Keywords.nameOf(positional);
        section.recordPosition(positionalName, position);
        invoke(section, positionalName, List.of(positional), List.of(value));
        return null;
    }

    static void runBlock(Section section, Closure<?> block) {
        Closure<?> body = block.rehydrate(new BlockDelegate(section), block.getOwner(), block.getThisObject());
        body.setResolveStrategy(Closure.DELEGATE_ONLY);
        body.call();
    }

    private static void invokeMethod(Method method, Object target, Object... args) {
        try {
            method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unknown(Section target, String name) {
        var known = Keywords.of(target.getClass()).keySet();
        String where = target.sectionName().equals("cluster") ? "unknown keyword '" + Excerpt.of(name) + "'"
                : "unknown " + target.sectionName() + " option '" + Excerpt.of(name) + "'";
        String suggestion = DidYouMean.suggest(name, known);
        return where + (suggestion.isEmpty() ? " (known: " + String.join(", ", known) + ")" : suggestion);
    }

    private static String qualified(Section target, String name) {
        return target.sectionName().equals("cluster") ? name : target.sectionName() + " " + name;
    }

    /** A Groovy call's arguments: named options first (Groovy puts them there), a trailing block, the rest. */
    private record Arguments(Map<?, ?> named, List<Object> positional, Closure<?> block) {
        static Arguments of(Object[] args) {
            List<Object> rest = new ArrayList<>(Arrays.asList(args == null ? new Object[0] : args));
            Map<?, ?> named = !rest.isEmpty() && rest.get(0) instanceof Map<?, ?> map && !map.isEmpty()
                    && map.keySet().stream().allMatch(k -> k instanceof String) ? (Map<?, ?>) rest.remove(0) : null;
            Closure<?> block = !rest.isEmpty() && rest.get(rest.size() - 1) instanceof Closure<?> c
                    ? (Closure<?>) rest.remove(rest.size() - 1) : null;
            return new Arguments(named, rest, block);
        }

        /** A keyword that takes a map reads named options as that map: {@code logOpts 'max-file': '10'}. */
        List<Object> values() {
            return named != null && positional.isEmpty() && block == null ? List.of(named) : positional;
        }
    }
}
