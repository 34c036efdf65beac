package io.swarmdsl.cli.agent;

import io.swarmdsl.Invocation;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import sun.misc.Signal;

/**
 * What {@code scripts/swarm} starts when an agent is running: a small JVM (only this package's
 * classes load) that hands the command line to the agent and relays the command's output, its
 * input when it reads any, Ctrl-C, and its exit code. The command runs with this process's
 * environment, working directory and home. Exits {@value #NOT_SERVED} when the agent cannot serve
 * the command (none listening, another command running); the launcher then runs the command
 * itself, so nothing was started.
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
        Frames.Request request = new Frames.Request(Invocation.own(), Arrays.asList(command));
        frames.send(Frames.REQUEST, request.encode());
        Frames.Frame answer = frames.read();
        if (answer.type() != Frames.ACCEPTED) {
            return NOT_SERVED;
        }
        cancelOnInterrupt(frames);
        Relayed out = new Relayed(new FileOutputStream(FileDescriptor.out));
        Relayed err = new Relayed(new FileOutputStream(FileDescriptor.err));
        BlockingQueue<Integer> inputWanted = relayInputWhenAsked(new FileInputStream(FileDescriptor.in), frames);
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
                case Frames.WANT_INPUT -> inputWanted.add(frame.number());
                case Frames.EXIT -> {
                    return frame.number();
                }
                default -> {
                    // a frame of a later version: nothing to do with it
                }
            }
        }
    }

    /**
     * One of the command's outputs. A reader that went away (a broken pipe: {@code | head -1}) is
     * no error: the rest is dropped and the command runs to its end, as in a JVM of its own, whose
     * print streams drop what they cannot write.
     */
    private static final class Relayed {
        private final OutputStream stream;
        private boolean gone;

        Relayed(OutputStream stream) {
            this.stream = stream;
        }

        void write(byte[] bytes) {
            if (gone) {
                return;
            }
            try {
                stream.write(bytes);
            } catch (IOException brokenPipe) {
                gone = true;
            }
        }
    }

    /**
     * A thread that reads standard input each time the command asks, as much as it asked for at
     * most (the rest stays for whoever reads it next), and sends it. Not the thread that reads the
     * agent's frames: a command cancelled while it waited for input must still be heard to end.
     */
    private static BlockingQueue<Integer> relayInputWhenAsked(InputStream in, Frames frames) {
        BlockingQueue<Integer> wanted = new LinkedBlockingQueue<>();
        Thread relay = new Thread(() -> {
            try {
                while (true) {
                    byte[] buffer = new byte[Math.max(1, Math.min(wanted.take(), 64 << 10))];
                    int read = in.read(buffer);
                    if (read < 0) {
                        frames.send(Frames.INPUT_END, new byte[0]);
                    } else {
                        frames.send(Frames.INPUT, buffer, 0, read);
                    }
                }
            } catch (InterruptedException | IOException e) {
                // the command is over, or the agent is gone: the main thread says which
            }
        }, "input");
        relay.setDaemon(true);
        relay.start();
        return wanted;
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
