package io.swarmdsl.plan;

/** The seven things a step can do; one transport each in the executor. */
public enum StepKind {
    PROVISION, SSH, UPLOAD, COMPOSE, DOCKER, CONSUL, WAIT;

    public String word() {
        return name().toLowerCase();
    }
}
