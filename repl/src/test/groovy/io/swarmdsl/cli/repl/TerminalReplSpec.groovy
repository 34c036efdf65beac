package io.swarmdsl.cli.repl

import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

import static io.swarmdsl.cli.repl.Tmux.waitUntil

/** Drives the real REPL in a pseudo-terminal (tmux) and reads the screen, as a user would see it. */
@IgnoreIf(value = { !Tmux.installed() && System.getenv('CI') != 'true' },
        reason = 'tmux is not installed (with CI=true this is a failure instead)')
class TerminalReplSpec extends Specification {
    @TempDir
    Path home

    @Delegate
    Tmux tmux

    def setup() {
        tmux = Tmux.swarm('swarm-repl-spec', home, home, 'repl')
    }

    def cleanup() {
        tmux.close()
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
        // 'm' alone shows the same ghost text: wait for all three letters before the cursor.
        waitUntil { lastLine(true).contains('swarm> mas\u001b[2mters 1') }

        when: 'the right arrow takes it'
        keys('Right', 'Enter')
        then:
        screenShows('swarm> masters 1\nno change to the cluster\nswarm>')

        when: 'a region inside an open quote completes with the quote closed once, and the line is whole'
        keys("provider 'digitalocean', region: 'fr", 'Tab')
        then:
        screenShows("region: 'fra1'")
        !screen().contains("'fra1''")

        when:
        keys('Enter')
        then:
        screenShows('provider.region: fra1')

        when: 'help on a keyword shows what it means and an example'
        keys(':help swarm', 'Enter')
        then:
        screenShows('swarm: Which Swarm joins the engines')
        screenShows('Example:\n  nodes 5')

        when: 'Ctrl-D leaves'
        keys('C-d')
        then:
        waitUntil { !alive() }
        Files.readString(home.resolve('.swarm_history')).contains('masters 1')
    }

    @spock.lang.Unroll
    def "#how: no colour in the REPL, neither in highlighting nor in errors"() {
        given:
        tmux.close()
        tmux = Tmux.swarm(environment, 'swarm-repl-colour', home, home, arguments as String[])

        when: 'a keyword with a string is typed, and a line with an error'
        screenShows(TerminalRepl.PROMPT.strip())
        keys("cluster 'plain'", 'Enter', 'mastrs 3', 'Enter')
        screenShows("did you mean 'masters'")
        keys("domain 'example.com'")
        screenShows("swarm> domain 'example.com'")

        then: 'the screen, escape codes and all, has no colour (SGR 30-37, 38, 90-97) in it'
        String styled = styledScreen()
        !(styled =~ /\u001b\[[0-9;]*(3[0-8]|9[0-7])(;[0-9;]*)?m/)

        where:
        how               | environment     | arguments
        'NO_COLOR=1'      | [NO_COLOR: '1'] | ['repl']
        'swarm --no-color' | [:]            | ['--no-color', 'repl']
    }

    def "without NO_COLOR the REPL highlights and shows errors in red"() {
        when:
        screenShows(TerminalRepl.PROMPT.strip())
        keys('mastrs 3', 'Enter')
        screenShows("did you mean 'masters'")
        keys("domain 'example.com'")
        screenShows("swarm> domain 'example.com'")

        then:
        String styled = styledScreen()
        styled =~ /\u001b\[[0-9;]*31m/
        styled =~ /\u001b\[[0-9;]*32m'example.com'/
    }

    def "a :plan taller than the screen goes through the pager, and q brings back the prompt"() {
        given:
        tmux.close()
        tmux = Tmux.swarm([PAGER: 'less'], 'swarm-repl-pager', home, home, 'repl')
        screenShows(TerminalRepl.PROMPT.strip())
        keys('nodes 5', 'Enter')
        screenShows('masters: 3 (of 5 nodes)')

        when:
        keys(':plan', 'Enter')

        then: 'less shows the first page, waiting at its own prompt'
        waitUntil { lastLine() == ':' }
        screen().contains('Cluster swarm: 5 nodes')
        !screen().contains('Plan: ')

        when:
        keys('q')
        then:
        waitUntil { lastLine() == 'swarm>' }

        when: 'the REPL reads keys again as before'
        keys(':show', 'Enter')
        then:
        screenShows(':show\nnodes 5\nswarm>')
    }

    def "with PAGER empty a long :plan is printed as it is"() {
        given:
        tmux.close()
        tmux = Tmux.swarm([PAGER: ''], 'swarm-repl-no-pager', home, home, 'repl')
        screenShows(TerminalRepl.PROMPT.strip())

        when:
        keys('nodes 5', 'Enter', ':plan', 'Enter')

        then:
        screenShows('Plan: ')
        waitUntil { lastLine() == 'swarm>' }
    }

    def "the Java REPL: /help, and an input that fails part way leaves the session as it was"() {
        given:
        tmux.close()
        tmux = Tmux.swarm([PAGER: 'less'], 'swarm-repl-java', home, home, '--no-color', 'repl', '--java')
        screenShows(JavaSession.PROMPT.strip())

        when:
        keys('/help', 'Enter')
        then:
        screenShows('cluster is a ClusterBuilder')

        when: 'nodes(9) runs before masters(2) throws'
        keys('cluster.nodes(5)', 'Enter')
        screenShows('nodes: 5 (node1')
        keys('cluster.nodes(9).masters(2)', 'Enter')
        screenShows('(the session is as it was before this input)')
        keys('/plan', 'Enter')
        then: 'the plan, paged as in the language REPL'
        screenShows('Cluster swarm: 5 nodes')
        !screen().contains('9 nodes')
        waitUntil { lastLine() == ':' }
        keys('q')
        waitUntil { lastLine() == JavaSession.PROMPT.strip() }
    }
}
