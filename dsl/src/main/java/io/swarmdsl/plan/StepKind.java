package io.swarmdsl.plan;

/** The six things a step can do; one transport each in the executor. */
public enum StepKind {
    PROVISION, SSH, UPLOAD, COMPOSE, DOCKER, WAIT;

    public String word() {
        return name().toLowerCase();
    }
}
