package io.swarmdsl.exec;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the output of a joined exec as it arrives (see {@link SshStepRunner#runInOne}): after each
 * step the script prints a line of this reader's mark and the step's exit code, so the text before
 * each such line is that step's output. The mark is random, so that no command prints it by chance.
 */
final class StepMarks extends OutputStream {
    /** Hears of each step's end: its whole output and its exit code. */
    interface Ended {
        void step(String output, int exitCode);
    }

    private final String mark = "swarm-step-end-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    private final byte[] markLine = ("\n" + mark + " ").getBytes(StandardCharsets.US_ASCII);
    private final Ended ended;
    /** The current step's output so far, and where the search for its mark line goes on from. */
    private byte[] text = new byte[8192];
    private int length;
    private int searchFrom;

    StepMarks(Ended ended) {
        this.ended = ended;
    }

    /** What the script prints, after a newline, before each step's exit code. */
    String mark() {
        return mark;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * Each new piece is searched once: a step that prints megabytes costs their length, not its
     * square. A step's whole output is kept until its end: it is redacted before it is cut to its
     * tail, since a secret split by a cut would escape redaction.
     */
    @Override
    public synchronized void write(byte[] bytes, int offset, int count) {
        if (length + count > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, length + count));
        }
        System.arraycopy(bytes, offset, text, length, count);
        length += count;
        while (true) {
            int at = indexOf(markLine, searchFrom);
            if (at < 0) {
                searchFrom = Math.max(0, length - markLine.length + 1);
                return;
            }
            int end = indexOf(new byte[] {'\n'}, at + markLine.length);
            if (end < 0) {
                searchFrom = at; // the mark's line is not complete yet
                return;
            }
            int code = Integer.parseInt(new String(text, at + markLine.length, end - at - markLine.length, StandardCharsets.US_ASCII).trim());
            String output = new String(text, 0, at, StandardCharsets.UTF_8);
            length -= end + 1;
            System.arraycopy(text, end + 1, text, 0, length);
            searchFrom = 0;
            ended.step(output, code);
        }
    }

    private int indexOf(byte[] part, int from) {
        for (int i = from; i <= length - part.length; i++) {
            if (Arrays.equals(text, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}
