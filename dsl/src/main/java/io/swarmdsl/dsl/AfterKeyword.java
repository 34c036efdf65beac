package io.swarmdsl.dsl;

import groovy.lang.GroovyObjectSupport;
import io.swarmdsl.model.Excerpt;
import io.swarmdsl.model.SpecException;

/**
 * What a keyword gives back to the script. Groovy reads {@code nodes 3 masters 1} (a missing
 * {@code ;}) as {@code nodes(3).masters(1)} and {@code nodes 3x} as {@code nodes(3).x}: whatever
 * follows a keyword in one statement lands here and is reported, instead of failing on null.
 */
final class AfterKeyword extends GroovyObjectSupport {
    private final String keyword;

    AfterKeyword(String keyword) {
        this.keyword = keyword;
    }

    @Override
    public Object invokeMethod(String name, Object args) {
        throw new SpecException("'" + Excerpt.of(name) + "' follows '" + keyword
                + "' in the same statement: a ';' or a new line is missing before it");
    }

    @Override
    public Object getProperty(String name) {
        throw new SpecException("unexpected '" + Excerpt.of(name) + "' after the value of '" + keyword
                + "': a ';' or a new line is missing before it, or it is a typo");
    }

    @Override
    public void setProperty(String name, Object value) {
        getProperty(name);
    }
}
