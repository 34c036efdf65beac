package io.swarmdsl.cli.agent;

import io.swarmdsl.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's protocol over its Unix socket: typed frames (a type byte, a length, the bytes). The
 * client sends one request, then input when asked and a cancel on Ctrl-C; the agent answers
 * accepted or refused, then the command's output and its exit code. The channel is read by one
 * thread and written by others at once, which a socket channel allows (unlike {@code Channels}'
 * streams, which share one lock for both).
 */
final class Frames implements AutoCloseable {
    static final byte REQUEST = 1;
    static final byte ACCEPTED = 2;
    static final byte REFUSED = 3;
    static final byte STDOUT = 4;
    static final byte STDERR = 5;
    static final byte EXIT = 6;
    static final byte WANT_INPUT = 7;
    static final byte INPUT = 8;
    static final byte INPUT_END = 9;
    static final byte CANCEL = 10;

    record Frame(byte type, byte[] payload) {
        int number() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    /**
     * What the client asks: run {@code args} as a command of its own would run there (its
     * environment, working directory, home and terminal). The environment holds secrets: nothing
     * prints a request (Invocation's own text leaves the variables out).
     */
    record Request(Invocation invocation, List<String> args) {
        byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                write(out, invocation.directory().toString());
                write(out, invocation.home().toString());
                out.writeBoolean(invocation.terminal());
                out.writeInt(invocation.environment().size());
                for (Map.Entry<String, String> variable : invocation.environment().entrySet()) {
                    write(out, variable.getKey());
                    write(out, variable.getValue());
                }
                out.writeInt(args.size());
                for (String arg : args) {
                    write(out, arg);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e); // in memory
            }
            return bytes.toByteArray();
        }

        static Request decode(byte[] payload) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
            Path directory = Path.of(read(in));
            Path home = Path.of(read(in));
            boolean terminal = in.readBoolean();
            Map<String, String> environment = new HashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                environment.put(read(in), read(in));
            }
            List<String> args = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                args.add(read(in));
            }
            try {
                return new Request(new Invocation(environment, directory, home, terminal), args);
            } catch (IllegalArgumentException e) {
                throw new IOException("not a request of the swarm agent's protocol: " + e.getMessage());
            }
        }

        /** Not writeUTF: a variable may be longer than its 64 KB. */
        private static void write(DataOutputStream out, String text) throws IOException {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }

        private static String read(DataInputStream in) throws IOException {
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("a string of " + length + " bytes: not the swarm agent's protocol");
            }
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }

    private final SocketChannel channel;
    private final Object writing = new Object();

    Frames(SocketChannel channel) {
        this.channel = channel;
    }

    void send(byte type, byte[] payload, int offset, int length) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(5).put(type).putInt(length).flip();
        ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
        synchronized (writing) {
            while (header.hasRemaining() || body.hasRemaining()) {
                channel.write(new ByteBuffer[] {header, body});
            }
        }
    }

    void send(byte type, byte[] payload) throws IOException {
        send(type, payload, 0, payload.length);
    }

    void send(byte type, String text) throws IOException {
        send(type, text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte type, int number) throws IOException {
        send(type, ByteBuffer.allocate(4).putInt(number).array());
    }

    /** The next frame; EOFException when the other side has closed the socket. */
    Frame read() throws IOException {
        ByteBuffer header = fill(ByteBuffer.allocate(5));
        byte type = header.get();
        int length = header.getInt();
        if (length < 0 || length > 64 << 20) {
            throw new IOException("a frame of " + length + " bytes: not the swarm agent's protocol");
        }
        return new Frame(type, fill(ByteBuffer.allocate(length)).array());
    }

    private ByteBuffer fill(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the other side closed the socket");
            }
        }
        return buffer.flip();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
