package io.swarmdsl.dsl;

import groovy.lang.GroovyObjectSupport;
import io.swarmdsl.model.Secret;
import io.swarmdsl.model.Section;
import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The middle word of a three-word command: Groovy reads {@code consul encrypt true} as
 * {@code consul(encrypt).true}, so {@code consul(encrypt)} returns this, and {@code .true} gives the
 * option its value. A word that gets no value takes its flag meaning when the next statement starts.
 */
final class PendingWord extends GroovyObjectSupport {
    private final Section section;
    private final String sectionWord;
    private final String option;
    private final List<Method> methods;
    private final SourcePosition position;
    private boolean applied;

    PendingWord(Section section, String sectionWord, String option, List<Method> methods, SourcePosition position) {
        this.section = section;
        this.sectionWord = sectionWord;
        this.option = option;
        this.methods = methods;
        this.position = position;
    }

    boolean takesNoValue() {
        return methods.stream().allMatch(m -> m.getParameterCount() == 0);
    }

    void applyAlone() {
        if (!applied) {
            apply(List.of());
        }
    }

    /** {@code consul encrypt true}, {@code consul encrypt 'KEY'}: Groovy hands the third word over as a property name. */
    @Override
    public Object getProperty(String value) {
        if (applied) {
            throw new SpecException(position, sectionWord + " " + option + " takes no value, got '" + value + "'");
        }
        apply(List.of(wordValue(value)));
        return null;
    }

    /** {@code consul encrypt env('KEY')}: a secret given by a function call. */
    @Override
    public Object invokeMethod(String name, Object args) {
        Object[] values = (Object[]) args;
        if (!applied && values.length == 1 && values[0] instanceof CharSequence text
                && (name.equals("env") || name.equals("file"))) {
            apply(List.of(name.equals("env") ? Secret.env(text.toString()) : Secret.file(text.toString())));
            return null;
        }
        throw new SpecException(position, "unexpected " + name + "(…) after " + sectionWord + " " + option
                + ": " + Keywords.usage(methods));
    }

    private void apply(List<Object> values) {
        applied = true;
        try {
            Dispatcher.invoke(section, option, methods, values);
        } catch (SpecException e) {
            throw e.placedAt(position);
        }
    }

    private static Object wordValue(String word) {
        if (word.equals("true") || word.equals("false")) {
            return Boolean.valueOf(word);
        }
        if (word.matches("\\d{1,9}")) {
            return Integer.valueOf(word);
        }
        return word;
    }
}
