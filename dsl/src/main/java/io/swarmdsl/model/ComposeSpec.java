package io.swarmdsl.model;

import java.util.List;

/** An extra composition of the script's, brought up on {@code targets}: masters, agents, all, or node names. */
public record ComposeSpec(String name, List<String> targets, String yaml) {
}
