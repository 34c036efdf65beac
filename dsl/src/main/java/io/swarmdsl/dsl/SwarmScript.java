package io.swarmdsl.dsl;

import groovy.lang.Script;
import io.swarmdsl.model.Secret;
import io.swarmdsl.model.SpecException;

/**
 * The base class of every compiled {@code .swarm} script. Unknown method calls are keywords of the
 * cluster; unknown names are words. Nothing here does I/O: {@code env} and {@code file} only name
 * where a secret will be read when applying.
 */
public abstract class SwarmScript extends Script {

    public Object methodMissing(String name, Object args) {
        return Dispatcher.call(Evaluation.current().cluster(), name, (Object[]) args);
    }

    /** {@code nodes = 3} would only make a variable: a keyword is given as {@code nodes 3}. */
    @Override
    public void setProperty(String name, Object value) {
        if (Keywords.ofScript().contains(name)) {
            throw new SpecException("'" + name + " = …' does not set " + name + ": write '" + name + " VALUE', without '='");
        }
        super.setProperty(name, value);
    }

    public Object propertyMissing(String name) {
        return new Word(name);
    }

    public Secret env(String name) {
        return Secret.env(name);
    }

    public Secret file(String path) {
        return Secret.file(path);
    }
}
