package io.swarmdsl.cli.repl

import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** Drives the real REPL in a pseudo-terminal (tmux) and reads the screen, as a user would see it. */
@IgnoreIf(value = { !TerminalReplSpec.tmuxInstalled() && System.getenv('CI') != 'true' },
        reason = 'tmux is not installed (with CI=true this is a failure instead)')
class TerminalReplSpec extends Specification {
    static final long PATIENCE_MILLIS = 15_000

    @TempDir
    Path home

    String tmuxSession = "swarm-repl-spec-${ProcessHandle.current().pid()}"

    static boolean tmuxInstalled() {
        try {
            return new ProcessBuilder('tmux', '-V').redirectErrorStream(true).start().waitFor() == 0
        } catch (IOException ignored) {
            return false
        }
    }

    def setup() {
        assert tmuxInstalled(): 'tmux is needed to drive the REPL in a pseudo-terminal: install it (apt-get install tmux)'
        String java = Path.of(System.getProperty('java.home'), 'bin', 'java')
        // user.home points at a temporary directory: the REPL's history file must not touch the user's.
        tmux('new-session', '-d', '-s', tmuxSession, '-x', '120', '-y', '40',
                "'$java' -Duser.home='$home' -cp '${System.getProperty('java.class.path')}' io.swarmdsl.cli.Main repl".toString())
    }

    def cleanup() {
        new ProcessBuilder('tmux', 'kill-session', '-t', tmuxSession).start().waitFor()
    }

    def "a keyword completes with Tab, an open brace continues the line, each line is answered, history suggests, Ctrl-C and Ctrl-D work"() {
        expect: 'the prompt'
        screenShows(TerminalRepl.PROMPT.strip())

        when: 'a keyword is completed and given a value'
        keys('mast', 'Tab')
        then:
        screenShows('swarm> masters')

        when:
        keys('1', 'Enter')
        then:
        screenShows('masters: 1 (of 7 nodes)')

        when: 'a block is opened, and an option inside it completed on the continuation line'
        keys('consul {', 'Enter')
        then:
        screenShows(TerminalRepl.CONTINUATION_PROMPT.strip())

        when:
        keys('dnsP', 'Tab', '8600 }', 'Enter')
        then:
        screenShows('consul.dnsPort: 8600')

        when: 'Ctrl-C drops the line being typed'
        keys('nodes 9')
        screenShows('swarm> nodes 9')
        keys('C-c')
        // Ctrl-C arrives as a signal, apart from the keys: wait for its fresh prompt before typing on.
        screenShows('swarm> nodes 9\nswarm>')
        keys(':show', 'Enter')
        then:
        screenShows('dnsPort 8600 }\nswarm>')
        !screen().contains('nodes: 9')

        when: 'the start of an earlier line shows the rest of it from history, faint, after the cursor'
        keys('mas')
        then:
        waitUntil { lastLine() == 'swarm> masters 1' }
        lastLine(true).contains('swarm> mas\u001b[2mters 1')

        when: 'the right arrow takes it'
        keys('Right', 'Enter')
        then:
        screenShows('swarm> masters 1\nno change to the cluster\nswarm>')

        when: 'Ctrl-D leaves'
        keys('C-d')
        then:
        waitUntil { !sessionAlive() }
        Files.readString(home.resolve('.swarm_history')).contains('masters 1')
    }

    private void keys(String... keys) {
        for (String key : keys) {
            // Literal text and key names (Tab, Enter, C-d) go separately so text is never read as a key name.
            if (key ==~ /Tab|Enter|Right|C-[a-z]/) {
                tmux('send-keys', '-t', tmuxSession, key)
            } else {
                tmux('send-keys', '-t', tmuxSession, '-l', key)
            }
        }
    }

    private boolean screenShows(String text) {
        if (waitUntil { screen().contains(text) }) {
            return true
        }
        throw new AssertionError("the screen never showed '$text'; it shows:\n${screen()}")
    }

    /** The visible screen; tmux leaves out the blanks at the end of a line, so a prompt shows without its space. */
    private String screen() {
        tmux('capture-pane', '-p', '-t', tmuxSession)
    }

    /** The last line with text on it; with {@code styled}, with its escape codes (colours, faint ghost text). */
    private String lastLine(boolean styled = false) {
        String text = styled ? tmux('capture-pane', '-p', '-e', '-t', tmuxSession) : screen()
        text.readLines().findAll { !it.replaceAll(/\u001b\[[0-9;]*m/, '').isBlank() }.last()
    }

    private boolean sessionAlive() {
        new ProcessBuilder('tmux', 'has-session', '-t', tmuxSession).start().waitFor() == 0
    }

    private static boolean waitUntil(Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS
        while (System.currentTimeMillis() < deadline) {
            if (condition()) {
                return true
            }
            Thread.sleep(50)
        }
        return false
    }

    private static String tmux(String... arguments) {
        Process process = new ProcessBuilder(['tmux', *arguments]).redirectErrorStream(true).start()
        String output = process.inputStream.text
        assert process.waitFor() == 0: "tmux ${arguments.join(' ')} failed: $output"
        output
    }
}
