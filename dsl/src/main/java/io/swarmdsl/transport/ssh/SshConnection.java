package io.swarmdsl.transport.ssh;

import java.io.OutputStream;
import java.time.Duration;

/**
 * One open SSH session to a node, kept and reused by the caller for all of that node's commands and
 * uploads. Safe to use from several threads: commands run side by side, uploads one at a time.
 */
public interface SshConnection extends AutoCloseable {

    /**
     * Runs {@code command} as ssh runs it (by the login shell) when the user is root, else with
     * {@code sudo -n sh -c}, and returns as soon as it ends. A command that fails is a result with its exit code, not
     * an exception. {@code stdin} (null: none) is the command's whole input; it then sees its end.
     *
     * @throws SshException TIMEOUT when it does not end within {@code timeout} (it is then sent TERM),
     *     CONNECT when the connection is lost, COMMAND when the node refuses the channel
     */
    ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException;

    /** {@link #exec}, also handing what the command writes to stdout to {@code stdout} as it arrives. */
    ExecResult exec(String command, byte[] stdin, Duration timeout, OutputStream stdout) throws SshException;

    /**
     * Writes {@code content} to the absolute {@code path}, creating missing parent directories, with
     * the octal {@code mode} (like {@code 0644}) and owned by root. The file is replaced atomically
     * (a temporary file renamed over it), except where a rename cannot replace it (a bind-mounted file
     * such as a container's /etc/resolv.conf): that one is written in place.
     */
    void upload(String path, byte[] content, String mode) throws SshException;

    /**
     * The caller is done with it and it worked: a process that keeps sessions between commands (the
     * agent) may hold it open for the next; otherwise it is closed. After a failure, {@link #close}.
     */
    void release();

    @Override
    void close();
}
