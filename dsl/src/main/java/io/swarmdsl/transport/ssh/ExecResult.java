package io.swarmdsl.transport.ssh;

/**
 * How a remote command ended. A command killed by a signal has the shell's code for it, 128 + the
 * signal's number (143 for TERM).
 */
public record ExecResult(int exitCode, String stdout, String stderr) {
}
