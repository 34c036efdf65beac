package io.swarmdsl.cli.repl;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The REPL's writer as the {@link PrintStream} an apply's progress writes to, so the progress
 * lands where the REPL's own answers do. A {@link PrintStream} hands over whole encoded strings,
 * so each chunk decodes on its own.
 */
final class WriterOutput extends OutputStream {
    private final Writer writer;

    private WriterOutput(Writer writer) {
        this.writer = writer;
    }

    static PrintStream printStream(Writer writer) {
        return new PrintStream(new WriterOutput(writer), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        try {
            writer.write(new String(bytes, offset, length, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void flush() {
        try {
            writer.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
