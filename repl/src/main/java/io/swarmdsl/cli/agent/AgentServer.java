package io.swarmdsl.cli.agent;

import io.swarmdsl.Invocation;
import io.swarmdsl.dsl.Evaluation;
import io.swarmdsl.transport.ssh.HeldSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A warm swarm that serves the commands of {@code scripts/swarm}, as Gradle's daemon serves
 * Gradle's: the JVM, Groovy and the SSH code are loaded and compiled once, and SSH sessions are
 * held between commands (see {@link HeldSessions}). It serves one command at a time, with the
 * client's environment, working directory and home (see {@link Invocation}), so that a command does
 * exactly what it would do in a process of its own; a client that comes while a command runs is
 * refused and runs its command itself. It ends after {@code idle} without a command.
 */
public final class AgentServer {
    private final Path socket;
    private final Duration idle;
    private final Function<String[], Integer> command;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong lastUsed = new AtomicLong(System.nanoTime());

    /** {@code command} runs a command line in this process (output to System.out and System.err) and gives its exit code. */
    public AgentServer(Path socket, Duration idle, Function<String[], Integer> command) {
        this.socket = socket;
        this.idle = idle;
        this.command = command;
    }

    /**
     * Serves until idle for too long; the socket file is removed at the end. Refuses a socket
     * directory that is not the user's alone: whoever can enter it can send commands, and read
     * what they print.
     */
    public void serve() throws IOException {
        requirePrivate(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> socket.toFile().delete())); // stopped by a signal, too
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            Thread watch = new Thread(() -> closeWhenIdle(server), "agent-idle");
            watch.setDaemon(true);
            watch.start();
            while (server.isOpen()) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException closed) {
                    break;
                }
                Thread thread = new Thread(() -> answer(client), "agent-client");
                thread.setDaemon(true);
                thread.start();
            }
        } finally {
            HeldSessions.stopKeeping();
            Files.deleteIfExists(socket);
        }
    }

    private static void requirePrivate(Path directory) throws IOException {
        String user = System.getProperty("user.name");
        String owner = Files.getOwner(directory).getName();
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        Set<PosixFilePermission> othersMay = EnumSet.complementOf(EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        othersMay.retainAll(permissions);
        if (!owner.equals(user) || !othersMay.isEmpty()) {
            throw new IOException("the socket directory " + directory + " is not private to " + user + " (owner " + owner
                    + ", mode " + PosixFilePermissions.toString(permissions) + "): the agent does not serve there");
        }
    }

    private void closeWhenIdle(ServerSocketChannel server) {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            boolean tainted = Evaluation.anyStoppedByForce();
            if (!busy.get() && (tainted || System.nanoTime() - lastUsed.get() > idle.toNanos())) {
                System.err.println(tainted ? "swarm agent: a script was stopped by force, ending so that the next command starts clean"
                        : "swarm agent: idle for " + idle.toSeconds() + " s, ending");
                try {
                    server.close();
                } catch (IOException e) {
                    // ending anyway
                }
                return;
            }
        }
    }

    private void answer(SocketChannel client) {
        try (Frames frames = new Frames(client)) {
            Frames.Frame first = frames.read();
            if (first.type() != Frames.REQUEST) {
                return;
            }
            Frames.Request request = Frames.Request.decode(first.payload());
            if (Evaluation.anyStoppedByForce()) {
                frames.send(Frames.REFUSED, "it stopped a script by force and is ending");
                return;
            }
            if (!busy.compareAndSet(false, true)) {
                frames.send(Frames.REFUSED, "it is running another command");
                return;
            }
            try {
                frames.send(Frames.ACCEPTED, new byte[0]);
                frames.send(Frames.EXIT, run(request, frames));
            } finally {
                lastUsed.set(System.nanoTime());
                busy.set(false);
            }
        } catch (IOException e) {
            // the client went away; a running command was interrupted on the way
        }
    }

    /**
     * Runs the command on a thread of its own, with this process's standard streams going to and
     * from the client. Only this thread writes to the socket: a cancel interrupts the command's
     * thread, and an interrupted thread would close the socket it wrote to, losing the last output.
     */
    private int run(Frames.Request request, Frames frames) throws IOException {
        BlockingQueue<Frames.Frame> outgoing = new LinkedBlockingQueue<>();
        ClientInput input = new ClientInput(outgoing);
        PrintStream out = new PrintStream(new ClientOutput(outgoing, Frames.STDOUT), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new ClientOutput(outgoing, Frames.STDERR), true, StandardCharsets.UTF_8);
        PrintStream ownOut = System.out;
        PrintStream ownErr = System.err;
        InputStream ownIn = System.in;
        AtomicInteger code = new AtomicInteger(1);
        Thread worker = new Thread(() -> {
            try {
                code.set(command.apply(request.args().toArray(String[]::new)));
            } finally {
                out.flush();
                err.flush();
                outgoing.add(new Frames.Frame(Frames.EXIT, new byte[0]));
            }
        }, "agent-command");
        Thread listen = new Thread(() -> listen(frames, input, worker), "agent-listen");
        listen.setDaemon(true);
        System.setOut(out);
        System.setErr(err);
        System.setIn(input);
        Invocation.set(request.invocation());
        try {
            worker.start();
            listen.start();
            while (true) {
                Frames.Frame frame = outgoing.take();
                if (frame.type() == Frames.EXIT) {
                    worker.join();
                    return code.get();
                }
                frames.send(frame.type(), frame.payload());
            }
        } catch (InterruptedException | IOException e) {
            // The client is gone: the command stops before another may start, since they share System.out.
            worker.interrupt();
            awaitEnd(worker);
            if (e instanceof IOException gone) {
                throw gone;
            }
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            System.setOut(ownOut);
            System.setErr(ownErr);
            System.setIn(ownIn);
            Invocation.set(null);
        }
    }

    private static void awaitEnd(Thread worker) {
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Input and cancels from the client; a client that goes away cancels the command too. */
    private static void listen(Frames frames, ClientInput input, Thread worker) {
        try {
            while (true) {
                Frames.Frame frame = frames.read();
                if (frame.type() == Frames.CANCEL) {
                    worker.interrupt();
                } else if (frame.type() == Frames.INPUT || frame.type() == Frames.INPUT_END) {
                    input.arrived(frame);
                }
            }
        } catch (IOException gone) {
            if (frames.isOpen()) {
                worker.interrupt();
            }
            input.arrived(new Frames.Frame(Frames.INPUT_END, new byte[0]));
        }
    }

    /** The command's standard input: read from the client's only when the command reads, so the client's input is not taken from it unasked. */
    private static final class ClientInput extends InputStream {
        private final BlockingQueue<Frames.Frame> outgoing;
        private final BlockingQueue<Frames.Frame> arrived = new LinkedBlockingQueue<>();
        private byte[] buffer = new byte[0];
        private int position;
        private boolean ended;

        ClientInput(BlockingQueue<Frames.Frame> outgoing) {
            this.outgoing = outgoing;
        }

        void arrived(Frames.Frame frame) {
            arrived.add(frame);
        }

        @Override
        public synchronized int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position == buffer.length && !ended) {
                outgoing.add(new Frames.Frame(Frames.WANT_INPUT, ByteBuffer.allocate(4).putInt(length).array()));
                try {
                    Frames.Frame frame = arrived.take();
                    ended = frame.type() == Frames.INPUT_END;
                    buffer = frame.payload();
                    position = 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("cancelled while reading input");
                }
            }
            if (position == buffer.length) {
                return -1;
            }
            int count = Math.min(length, buffer.length - position);
            System.arraycopy(buffer, position, into, offset, count);
            position += count;
            return count;
        }
    }

    /** Bytes the command writes, queued as frames of one type for the client. */
    private static final class ClientOutput extends OutputStream {
        private final BlockingQueue<Frames.Frame> outgoing;
        private final byte type;

        ClientOutput(BlockingQueue<Frames.Frame> outgoing, byte type) {
            this.outgoing = outgoing;
            this.type = type;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            outgoing.add(new Frames.Frame(type, Arrays.copyOfRange(bytes, offset, offset + length)));
        }
    }
}
