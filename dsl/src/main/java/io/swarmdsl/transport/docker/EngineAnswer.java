package io.swarmdsl.transport.docker;

/** The status and body of a successful Engine API call. */
public record EngineAnswer(int status, String body) {
}
