package io.swarmdsl.cli.terminal;

/**
 * How much a command says, the same for every command: {@code -q} only results and errors, nothing
 * for a person reading along; {@code -v} also every step's output and an error's causes.
 */
public enum Verbosity {
    QUIET, NORMAL, VERBOSE
}
