package io.swarmdsl.transport.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A JSch session to one node: a new exec channel per command, one SFTP channel kept for all uploads.
 * Over 350 lines because commands and uploads share the session's state (its SFTP channel, the lock
 * uploads take, the way a timed-out command is stopped through a second channel): split, each half
 * would reach into the other's.
 */
final class JschConnection implements SshConnection {
    /** Moving an uploaded file into place is quick; this bounds a node that hangs. */
    private static final Duration PLACE_TIMEOUT = Duration.ofMinutes(2);
    /**
     * Every command first writes a line of this and its shell's PID to stderr (removed from the
     * result): a command that outlives its timeout is then stopped by its process group.
     * Closing the channel would not stop it, and sshd refuses "signal" requests for root sessions.
     */
    private static final String PID_MARK = "swarm-pid:";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** How long a stopped command gets to end before its channel is closed anyway. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** The numbers of the signals a command may die of, for the shell's 128 + number (128 for others). */
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("ABRT", 6), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("SEGV", 11), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("USR1", 10), Map.entry("USR2", 12));

    private final String node;
    private final String where;
    private final Session session;
    private final boolean root;
    private volatile Consumer<SshConnection> onClose;
    /** Keeps the connection open for a later command instead of closing it, if the process holds sessions; false if not kept. */
    private volatile Predicate<JschConnection> keeper;
    private final Object uploads = new Object();
    private ChannelSftp sftp;

    JschConnection(String node, String where, Session session, Consumer<SshConnection> onClose, Predicate<JschConnection> keeper) {
        this.node = node;
        this.where = where;
        this.session = session;
        this.root = "root".equals(session.getUserName());
        adopt(onClose, keeper);
    }

    /** A held connection passes to a new transport: it is now that one's to close and to keep. */
    void adopt(Consumer<SshConnection> onClose, Predicate<JschConnection> keeper) {
        this.onClose = onClose;
        this.keeper = keeper;
    }

    boolean isUp() {
        return session.isConnected();
    }

    /** The key the host proved it holds when this session began. */
    byte[] hostKey() {
        return java.util.Base64.getDecoder().decode(session.getHostKey().getKey());
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
        return exec(command, stdin, timeout, OutputStream.nullOutputStream());
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout, OutputStream stdoutAsItComes) throws SshException {
        ChannelExec channel;
        try {
            channel = (ChannelExec) session.openChannel("exec");
        } catch (JSchException e) {
            throw failure("could not open a command channel", e);
        }
        Output stdout = new Output(stdoutAsItComes);
        Output stderr = new Output(OutputStream.nullOutputStream());
        String script = "echo " + PID_MARK + "$$ >&2; " + command;
        channel.setCommand(root ? script : "sudo -n sh -c " + quote(script));
        channel.setOutputStream(stdout);
        channel.setErrStream(stderr);
        if (stdin != null) {
            channel.setInputStream(new ByteArrayInputStream(stdin));
        }
        try {
            // Without a timeout JSch waits for the channel by notification; with one, it would also
            // ask for a reply to the exec request and poll for it every 10 ms.
            channel.connect();
            if (stdin == null) {
                channel.getOutputStream().close(); // end of input: a command that reads stdin ends at once
            }
            if (!stderr.awaitClose(timeout)) {
                boolean stopped = stop(stderr);
                throw new SshException(SshException.Kind.TIMEOUT, node, where + ": a command did not finish within "
                        + timeout.toMillis() + " ms" + (stopped ? "; it was sent TERM" : ""));
            }
            return new ExecResult(exitCode(channel), stdout.text(), stderr.textAfterPid());
        } catch (SshException e) {
            throw e;
        } catch (JSchException | IOException e) {
            throw failure("could not run a command", e);
        } catch (InterruptedException e) {
            // Cancelled (Ctrl-C in the REPL): the command must not go on running on the node unseen.
            boolean stopped = stopQuietly(stderr);
            Thread.currentThread().interrupt();
            throw new SshException(SshException.Kind.COMMAND, node, where + ": interrupted while a command ran"
                    + (stopped ? "; it was sent TERM" : ""), e);
        } finally {
            channel.disconnect();
        }
    }

    @Override
    public void upload(String path, byte[] content, String mode) throws SshException {
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("\n") || path.contains("\0")) {
            throw new IllegalArgumentException("upload needs an absolute file path, got '" + path + "'");
        }
        if (!mode.matches("[0-7]{3,4}")) {
            throw new IllegalArgumentException("mode must be octal like 0644, got '" + mode + "'");
        }
        synchronized (uploads) {
            try {
                if (root) {
                    uploadAsRoot(path, content, mode);
                } else {
                    uploadThroughSudo(path, content, mode);
                }
            } catch (JSchException | SftpException e) {
                throw failure("could not upload " + path, e);
            }
        }
    }

    /** Over SFTP: a temporary file beside the target, renamed over it. */
    private void uploadAsRoot(String path, byte[] content, String mode) throws JSchException, SftpException, SshException {
        ChannelSftp files = sftp();
        String temporary = parent(path) + "/." + name(path) + ".swarm-" + token() + ".tmp";
        boolean placed = false;
        try {
            writePrivately(files, temporary, content, Integer.parseInt(mode, 8));
            try {
                files.rename(literal(temporary), literal(path));
            } catch (SftpException renameRefused) {
                // A file that is a mount point (Docker bind-mounts /etc/resolv.conf, /etc/hosts and
                // /etc/hostname into containers) cannot be renamed over: EBUSY. Such a file can only
                // be rewritten in place, which is not atomic but is what the node allows.
                place(path, "cat \"$temporary\" > \"$target\" && chmod " + mode + " \"$target\"", temporary, null);
            }
            placed = true;
        } finally {
            if (!placed) {
                removeQuietly(files, temporary);
            }
        }
    }

    /**
     * SFTP writes as the user, who may not write the target: the content goes to a private file in
     * the user's home, then {@code sudo} installs it beside the target (mode applied, owned by root)
     * and renames it over the target, or writes the target in place where a rename cannot (see
     * {@link #uploadAsRoot}).
     */
    private void uploadThroughSudo(String path, byte[] content, String mode) throws JSchException, SftpException, SshException {
        ChannelSftp files = sftp();
        String staged = files.getHome() + "/.swarm-upload-" + token();
        try {
            writePrivately(files, staged, content, 0600);
        } catch (SftpException e) {
            removeQuietly(files, staged);
            throw e;
        }
        String temporary = parent(path) + "/." + name(path) + ".swarm-" + token() + ".tmp";
        place(path, "mkdir -p " + quote(parent(path)) + " && (umask 077 && install -m " + mode + " \"$staged\" \"$temporary\")"
                + " && { mv -f \"$temporary\" \"$target\" 2>/dev/null || { cat \"$temporary\" > \"$target\" && chmod " + mode
                + " \"$target\"; }; }", temporary, staged);
    }

    /** Runs {@code script} with $target, $temporary and $staged set, removing the two temporary files whatever happens. */
    private void place(String target, String script, String temporary, String staged) throws SshException {
        String command = "target=" + quote(target) + " temporary=" + quote(temporary) + " staged=" + quote(staged == null ? "" : staged)
                + "; trap 'rm -f \"$temporary\" ${staged:+\"$staged\"}' EXIT; " + script;
        ExecResult result = exec(command, null, PLACE_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new SshException(SshException.Kind.COMMAND, node, where + ": could not write " + target + " (exit code "
                    + result.exitCode() + "): " + result.stderr().strip());
        }
    }

    /**
     * SFTP creates files with the server's default mode, often readable by all, and JSch cannot pass
     * a mode when it opens one: the file is made empty, given its mode, and only then filled.
     */
    private void writePrivately(ChannelSftp files, String path, byte[] content, int mode) throws SftpException {
        try {
            files.put(new ByteArrayInputStream(new byte[0]), literal(path));
        } catch (SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
            createDirectories(files, parent(path));
            files.put(new ByteArrayInputStream(new byte[0]), literal(path));
        }
        files.chmod(mode, literal(path));
        files.put(new ByteArrayInputStream(content), literal(path), ChannelSftp.OVERWRITE);
    }

    private static void removeQuietly(ChannelSftp files, String path) {
        try {
            files.rm(literal(path));
        } catch (SftpException e) {
            // already gone, or the connection is: the upload's own error is the one to report
        }
    }

    private static void createDirectories(ChannelSftp files, String directory) throws SftpException {
        List<String> missing = new ArrayList<>();
        for (String d = directory; !d.isEmpty() && !exists(files, d); d = parent(d)) {
            missing.add(0, d);
        }
        for (String d : missing) {
            files.mkdir(literal(d));
        }
    }

    private static boolean exists(ChannelSftp files, String path) throws SftpException {
        try {
            files.stat(literal(path));
            return true;
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw e;
        }
    }

    private ChannelSftp sftp() throws JSchException {
        if (sftp == null || !sftp.isConnected()) {
            ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
            channel.connect();
            sftp = channel;
        }
        return sftp;
    }

    /** TERM to the process group of a command that outlives its timeout, through a second channel. */
    private boolean stop(Output stderr) throws InterruptedException {
        String pid = stderr.pid();
        if (pid == null) {
            return false;
        }
        try {
            exec("kill -TERM -\"$(cut -d' ' -f5 /proc/" + pid + "/stat)\" 2>/dev/null", null, STOP_TIMEOUT);
        } catch (SshException e) {
            return false; // the command's channel is closed next in any case
        }
        stderr.awaitClose(STOP_GRACE);
        return true;
    }

    /** {@link #stop} for a command whose wait was interrupted; a second interruption gives up on it. */
    private boolean stopQuietly(Output stderr) {
        try {
            return stop(stderr);
        } catch (InterruptedException again) {
            return false;
        }
    }

    private int exitCode(ChannelExec channel) throws SshException {
        if (channel.getExitStatus() >= 0) {
            return channel.getExitStatus();
        }
        if (channel.getExitSignal() != null) {
            return 128 + SIGNALS.getOrDefault(channel.getExitSignal(), 0);
        }
        if (!session.isConnected()) {
            throw new SshException(SshException.Kind.CONNECT, node, where + ": the connection was lost while a command ran");
        }
        // No exit status and no signal: the node's session process went away (sshd stopped, the node
        // going down for a reboot) before the connection noticed. Another attempt will tell.
        throw new SshException(SshException.Kind.CONNECT, node, where + ": a command ended without an exit status (the node's SSH session went away)");
    }

    private SshException failure(String what, Exception e) {
        if (!session.isConnected()) {
            return new SshException(SshException.Kind.CONNECT, node, where + ": the connection was lost (" + what + ")", e);
        }
        String reason = e instanceof SftpException sftpError ? sftpReason(sftpError) : e.getMessage();
        return new SshException(SshException.Kind.COMMAND, node, where + ": " + what + ": " + reason, e);
    }

    private static String sftpReason(SftpException e) {
        switch (e.id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE:
                return "no such file or directory";
            case ChannelSftp.SSH_FX_PERMISSION_DENIED:
                return "permission denied";
            default:
                return e.getMessage();
        }
    }

    @Override
    public void release() {
        if (!keeper.test(this)) {
            close();
        }
    }

    @Override
    public void close() {
        synchronized (uploads) {
            if (sftp != null) {
                sftp.disconnect();
            }
        }
        session.disconnect();
        onClose.accept(this);
    }

    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** JSch reads SFTP paths as glob patterns; a backslash makes a character literal. */
    private static String literal(String path) {
        return path.replaceAll("([\\\\*?])", "\\\\$1");
    }

    private static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String token() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }

    /** What a command writes. JSch closes it when the channel closes, and by then the exit status has arrived. */
    private static final class Output extends ByteArrayOutputStream {
        private final CountDownLatch closed = new CountDownLatch(1);
        private final OutputStream asItComes;

        Output(OutputStream asItComes) {
            this.asItComes = asItComes;
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            super.write(bytes, offset, length);
            try {
                asItComes.write(bytes, offset, length);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            closed.countDown();
        }

        boolean awaitClose(Duration timeout) throws InterruptedException {
            return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }

        /** The PID the command's shell wrote, or null while it has not. */
        String pid() {
            String text = text();
            int start = markStart(text);
            int end = start < 0 ? -1 : text.indexOf('\n', start);
            String pid = end < 0 ? "" : text.substring(start + PID_MARK.length(), end);
            return pid.matches("[0-9]+") ? pid : null;
        }

        String textAfterPid() {
            String text = text();
            int start = markStart(text);
            int end = start < 0 ? -1 : text.indexOf('\n', start);
            return end < 0 ? text : text.substring(0, start) + text.substring(end + 1);
        }

        /**
         * Where the PID line starts: first, unless sudo or the login shell complained before the
         * command began (sudo's "unable to resolve host", for one). The command itself can only
         * write after it.
         */
        private static int markStart(String text) {
            if (text.startsWith(PID_MARK)) {
                return 0;
            }
            int newline = text.indexOf("\n" + PID_MARK);
            return newline < 0 ? -1 : newline + 1;
        }
    }
}
