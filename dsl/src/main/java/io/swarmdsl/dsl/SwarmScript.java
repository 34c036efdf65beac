package io.swarmdsl.dsl;

import groovy.lang.Script;
import io.swarmdsl.model.Secret;

/**
 * The base class of every compiled {@code .swarm} script. Unknown method calls are keywords of the
 * cluster; unknown names are words. Nothing here does I/O: {@code env} and {@code file} only name
 * where a secret will be read when applying.
 */
public abstract class SwarmScript extends Script {

    public Object methodMissing(String name, Object args) {
        return Dispatcher.call(Evaluation.current().cluster(), name, (Object[]) args);
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
