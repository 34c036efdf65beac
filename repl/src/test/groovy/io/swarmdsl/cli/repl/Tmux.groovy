package io.swarmdsl.cli.repl

import io.swarmdsl.Poll
import java.nio.file.Path

/**
 * The real REPL in a pseudo-terminal: a detached tmux session running it in its own JVM (this test's
 * classpath), keys sent as a user types them, and the screen read back. Used by the REPL's own specs
 * and by the end-to-end specs.
 */
final class Tmux implements Closeable {
    static final long PATIENCE_MILLIS = 15_000

    final String session

    private Tmux(String session) {
        this.session = session
    }

    static boolean installed() {
        try {
            return new ProcessBuilder('tmux', '-V').redirectErrorStream(true).start().waitFor() == 0
        } catch (IOException ignored) {
            return false
        }
    }

    /**
     * Starts {@code swarm ARGUMENTS} in {@code directory}, 120×40; {@code home} is its {@code user.home}, so its
     * history (and known_hosts) are not the user's.
     */
    static Tmux swarm(String name, Path directory, Path home, String... arguments) {
        swarm([:], name, directory, home, arguments)
    }

    /** As {@link #swarm(String, Path, Path, String...)}, with {@code environment} added to the REPL's. */
    static Tmux swarm(Map<String, String> environment, String name, Path directory, Path home, String... arguments) {
        assert installed(): 'tmux is needed to drive the REPL in a pseudo-terminal: install it (apt-get install tmux)'
        String java = Path.of(System.getProperty('java.home'), 'bin', 'java')
        def tmux = new Tmux("$name-${ProcessHandle.current().pid()}")
        run('new-session', '-d', '-s', tmux.session, '-x', '120', '-y', '40', '-c', directory.toString(),
                "env ${environment.collect { k, v -> "$k='$v'" }.join(' ')} '$java' -Duser.home='$home' -cp '${System.getProperty('java.class.path')}' io.swarmdsl.cli.Main ${arguments.join(' ')}".toString())
        tmux
    }

    void keys(String... keys) {
        for (String key : keys) {
            // Literal text and key names (Tab, Enter, C-d) go separately so text is never read as a key name.
            if (key ==~ /Tab|Enter|Right|C-[a-z]/) {
                run('send-keys', '-t', session, key)
            } else {
                run('send-keys', '-t', session, '-l', key)
            }
        }
    }

    boolean screenShows(String text, long patienceMillis = PATIENCE_MILLIS) {
        if (waitUntil(patienceMillis) { screen().contains(text) }) {
            return true
        }
        throw new AssertionError("the screen never showed '$text'; it shows:\n${screen()}")
    }

    /** The visible screen; tmux leaves out the blanks at the end of a line, so a prompt shows without its space. */
    String screen() {
        run('capture-pane', '-p', '-t', session)
    }

    /** The screen with the lines the terminal wrapped joined again: for text wider than the terminal. */
    String joinedScreen() {
        run('capture-pane', '-p', '-J', '-t', session)
    }

    /** The visible screen with its escape codes: colours, faint ghost text. */
    String styledScreen() {
        run('capture-pane', '-p', '-e', '-t', session)
    }

    /** The last line with text on it; with {@code styled}, with its escape codes (colours, faint ghost text). */
    String lastLine(boolean styled = false) {
        String text = styled ? styledScreen() : screen()
        text.readLines().findAll { !it.replaceAll(/\u001b\[[0-9;]*m/, '').isBlank() }.last()
    }

    boolean alive() {
        new ProcessBuilder('tmux', 'has-session', '-t', session).start().waitFor() == 0
    }

    @Override
    void close() {
        new ProcessBuilder('tmux', 'kill-session', '-t', session).start().waitFor()
    }

    static boolean waitUntil(long patienceMillis = PATIENCE_MILLIS, Closure<Boolean> condition) {
        Poll.until(patienceMillis, condition)
    }

    private static String run(String... arguments) {
        Process process = new ProcessBuilder(['tmux', *arguments]).redirectErrorStream(true).start()
        String output = process.inputStream.text
        assert process.waitFor() == 0: "tmux ${arguments.join(' ')} failed: $output"
        output
    }
}
