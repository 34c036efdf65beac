package io.swarmdsl.cli.repl

import io.swarmdsl.cli.Main
import spock.lang.Specification

/** {@code swarm repl} through the real command line, standard input piped as in {@code printf … | swarm repl}. */
class ReplCommandSpec extends Specification {
    StringWriter out = new StringWriter()
    StringWriter err = new StringWriter()
    InputStream originalIn = System.in

    def cleanup() {
        System.in = originalIn
    }

    int swarm(String input, String... args) {
        System.in = new ByteArrayInputStream(input.getBytes('UTF-8'))
        def commandLine = Main.commandLine()
        commandLine.setOut(new PrintWriter(out, true))
        commandLine.setErr(new PrintWriter(err, true))
        commandLine.execute(args)
    }

    def "piped lines are evaluated and answered, then the command ends"() {
        when:
        int code = swarm('nodes 3\nmasters 1\n:plan\n', 'repl')

        then:
        code == 0
        out.toString().contains('masters: 1 (of 3 nodes)')
        out.toString().contains('Plan: ')
        !out.toString().contains('\u001b')
    }

    def "a rejected piped line ends the command with the invalid-script code"() {
        expect:
        swarm('mastrs 3\n', 'repl') == Main.INVALID
        out.toString().contains("stdin:1:1: unknown keyword 'mastrs'")
    }

    def "repl FILE starts from the script"() {
        when:
        int code = swarm(':show\n', 'repl', '../examples/card.swarm')

        then:
        code == 0
        out.toString().readLines() == ['consul.encrypt: generated at apply: consul gossip key (32 random bytes, base64)',
                                       'swarm.flavor: classic', 'swarm.replication: true',
                                       'nodes 7; masters 3; consul encrypt true; swarm replication']
    }
}
