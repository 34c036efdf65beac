package io.swarmdsl.model;

import java.util.List;

/** Commands and uploads run before or after a phase on the nodes named by {@code targets}. */
public record HookSpec(When when, Phase phase, List<String> targets, List<Action> actions, SourcePosition position) {
    public enum When { BEFORE, AFTER }

    public sealed interface Action {
    }

    /** A shell command run on the node. */
    public record Run(String command) implements Action {
    }

    /** A file put on the node: from a local file (read at apply) or from inline content. */
    public record Upload(String source, String content, String to, String mode) implements Action {
    }
}
