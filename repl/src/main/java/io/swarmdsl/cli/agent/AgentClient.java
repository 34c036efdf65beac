package io.swarmdsl.cli.agent;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import sun.misc.Signal;

/**
 * What {@code scripts/swarm} starts when an agent is running: a small JVM (only this package's
 * classes load) that hands the command line to the agent and relays the command's output, its
 * input when it reads any, Ctrl-C, and its exit code. Exits {@value #NOT_SERVED} when the agent
 * cannot serve the command (none listening, another command running, another directory or
 * environment); the launcher then runs the command itself, so nothing was started.
 */
public final class AgentClient {
    /** EX_TEMPFAIL of sysexits.h: run it yourself. */
    public static final int NOT_SERVED = 75;

    private AgentClient() {
    }

    /** {@code SOCKET ARG...}. */
    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        String[] command = Arrays.copyOfRange(args, 1, args.length);
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            System.exit(NOT_SERVED);
            return;
        }
        System.exit(relay(new Frames(channel), command));
    }

    private static int relay(Frames frames, String[] command) throws IOException {
        Frames.Request request = new Frames.Request(System.getProperty("user.dir"), Frames.environmentDigest(System.getenv()),
                io.swarmdsl.exec.TerminalOutput.detected(), Arrays.asList(command));
        frames.send(Frames.REQUEST, request.encode());
        Frames.Frame answer = frames.read();
        if (answer.type() != Frames.ACCEPTED) {
            if (System.getenv("SWARM_AGENT_DEBUG") != null) {
                System.err.println("swarm agent: not served: " + answer.text());
            }
            return NOT_SERVED;
        }
        cancelOnInterrupt(frames);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        InputStream in = new FileInputStream(FileDescriptor.in);
        while (true) {
            Frames.Frame frame;
            try {
                frame = frames.read();
            } catch (IOException gone) {
                System.err.println("swarm: the agent ended before the command did (" + gone.getMessage() + ")");
                return 1;
            }
            switch (frame.type()) {
                case Frames.STDOUT -> out.write(frame.payload());
                case Frames.STDERR -> err.write(frame.payload());
                case Frames.WANT_INPUT -> relayInput(in, frame.number(), frames);
                case Frames.EXIT -> {
                    return frame.number();
                }
                default -> {
                    // a frame of a later version: nothing to do with it
                }
            }
        }
    }

    /** One read of standard input, as much as the command asked for at most: the rest stays for whoever reads it next. */
    private static void relayInput(InputStream in, int wanted, Frames frames) throws IOException {
        byte[] buffer = new byte[Math.max(1, Math.min(wanted, 64 << 10))];
        int read = in.read(buffer);
        if (read < 0) {
            frames.send(Frames.INPUT_END, new byte[0]);
        } else {
            frames.send(Frames.INPUT, buffer, 0, read);
        }
    }

    /** The first Ctrl-C asks the agent to stop the command (it prints how far it got); a second one leaves at once. */
    private static void cancelOnInterrupt(Frames frames) {
        boolean[] asked = {false};
        Signal.handle(new Signal("INT"), signal -> {
            if (asked[0]) {
                Runtime.getRuntime().halt(130);
            }
            asked[0] = true;
            try {
                frames.send(Frames.CANCEL, new byte[0]);
            } catch (IOException e) {
                Runtime.getRuntime().halt(130);
            }
        });
    }
}
