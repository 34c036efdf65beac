package io.swarmdsl.cli.repl;

import io.swarmdsl.Invocation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.Terminal;

/**
 * An answer taller than the screen goes through the user's pager, as git's output does: {@code $PAGER}
 * (run by the shell, so it may carry options), else {@code less}, with {@code LESS=FRX} unless the
 * user set {@code LESS} (colours kept, the text left on the screen after {@code q}). An empty
 * {@code PAGER}, or one that cannot start, prints the answer as it is.
 */
final class Pager {
    private Pager() {
    }

    static boolean isTallerThan(Terminal terminal, String text) {
        return terminal.getHeight() > 0 && text.lines().count() >= terminal.getHeight() - 1;
    }

    /** Shows {@code text} in the pager; false when there is none, and the caller prints it. */
    static boolean show(Terminal terminal, String text) {
        Invocation invocation = Invocation.current();
        String pager = invocation.variable("PAGER") == null ? "less" : invocation.variable("PAGER").strip();
        if (pager.isEmpty()) {
            return false;
        }
        ProcessBuilder process = new ProcessBuilder("sh", "-c", pager)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        process.environment().putIfAbsent("LESS", "FRX");
        terminal.flush();
        // The pager reads the keys: the line reader's own reading of the terminal waits meanwhile.
        terminal.pause();
        try {
            Process running = process.start();
            try (OutputStream in = running.getOutputStream()) {
                in.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The pager quit before reading everything (q on the first page): what it showed stands.
            }
            return running.waitFor() != 127;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            terminal.resume();
        }
    }
}
