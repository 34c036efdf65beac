package io.swarmdsl.cli.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    /** Variables that differ between two shells of the same session without changing what swarm does. */
    private static final Set<String> VOLATILE = Set.of("_", "SHLVL", "OLDPWD", "PWD");

    record Frame(byte type, byte[] payload) {
        int number() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    /** What the client asks: run {@code args} in {@code directory}, with an environment of this digest. */
    record Request(String directory, String environment, boolean terminal, List<String> args) {
        byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(directory);
                out.writeUTF(environment);
                out.writeBoolean(terminal);
                out.writeInt(args.size());
                for (String arg : args) {
                    byte[] utf8 = arg.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e); // in memory
            }
            return bytes.toByteArray();
        }

        static Request decode(byte[] payload) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
            String directory = in.readUTF();
            String environment = in.readUTF();
            boolean terminal = in.readBoolean();
            int count = in.readInt();
            List<String> args = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                args.add(new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8));
            }
            return new Request(directory, environment, terminal, args);
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

    /** A digest of the environment that decides what a command does: client and agent must have the same. */
    static String environmentDigest(Map<String, String> environment) {
        Map<String, String> sorted = new TreeMap<>(environment);
        VOLATILE.forEach(sorted::remove);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            sorted.forEach((name, value) -> digest.update((name + "=" + value + "\0").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
