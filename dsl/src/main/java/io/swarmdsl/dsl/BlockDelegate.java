package io.swarmdsl.dsl;

import groovy.lang.GroovyObjectSupport;
import io.swarmdsl.model.Secret;
import io.swarmdsl.model.Section;

/**
 * What a block such as {@code consul { … }} talks to: every call inside is a keyword of that section
 * only, so {@code masters 3} inside {@code consul { }} is an error, not a silent change of the cluster.
 */
final class BlockDelegate extends GroovyObjectSupport {
    private final Section section;

    BlockDelegate(Section section) {
        this.section = section;
    }

    @Override
    public Object invokeMethod(String name, Object args) {
        Object[] values = (Object[]) args;
        if ((name.equals("env") || name.equals("file")) && values.length == 1 && values[0] instanceof CharSequence text) {
            return name.equals("env") ? Secret.env(text.toString()) : Secret.file(text.toString());
        }
        return Dispatcher.call(section, name, values);
    }

    @Override
    public Object getProperty(String name) {
        return new Word(name);
    }

    /** {@code ui = false} reads as {@code ui false}. */
    @Override
    public void setProperty(String name, Object value) {
        Dispatcher.call(section, name, new Object[] {value});
    }
}
