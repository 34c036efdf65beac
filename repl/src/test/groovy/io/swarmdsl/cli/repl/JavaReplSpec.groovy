package io.swarmdsl.cli.repl

import io.swarmdsl.cli.Main
import spock.lang.Specification

/** {@code swarm repl --java} through the real command line, standard input piped as in {@code printf … | swarm repl --java}. */
class JavaReplSpec extends Specification {
    StringWriter out = new StringWriter()
    StringWriter err = new StringWriter()
    InputStream originalIn = System.in

    def cleanup() {
        System.in = originalIn
    }

    int swarmJava(String input) {
        System.in = new ByteArrayInputStream(input.getBytes('UTF-8'))
        def commandLine = Main.commandLine()
        commandLine.setOut(new PrintWriter(out, true))
        commandLine.setErr(new PrintWriter(err, true))
        commandLine.execute('repl', '--java')
    }

    def "the predefined cluster builder answers what each snippet changed, and /plan plans it"() {
        when:
        int code = swarmJava('cluster.nodes(3).masters(1)\n/plan\n')

        then:
        code == 0
        out.toString().startsWith('nodes: 3 (node1, node2, node3)\nmasters: 1 (of 3 nodes)\nCluster swarm: 3 nodes')
        out.toString().contains('Plan: ')
        !out.toString().contains('ClusterBuilder@')
        !out.toString().contains('\u001b')
    }

    def "a snippet left open continues on the next lines, and values are shown as JShell shows them"() {
        when:
        int code = swarmJava('int nodes =\n  3 +\n  2;\nnodes * 2\ncluster.nodes(nodes)\n')

        then:
        code == 0
        out.toString().readLines() == ['nodes ==> 5', '$1 ==> 10', 'nodes: 5 (node1 … node5)', 'masters: 3 (of 5 nodes)']
    }

    def "a compile error or an exception is reported with its line of standard input and fails the piped session; /exit stops reading"() {
        when:
        int code = swarmJava('cluster.mastrs(3)\ncluster.masters(2)\n/exit\ncluster.nodes(1)\n')

        then:
        code == Main.INVALID
        out.toString().readLines() == ['stdin:1: error: cannot find symbol', '  symbol:   method mastrs(int)',
                                       '  location: variable cluster of type io.swarmdsl.model.ClusterBuilder',
                                       '(the session is as it was before this input)',
                                       'stdin:2: SpecException: masters must be 1, 3, 5 or 7 (a quorum needs an odd number), got 2',
                                       '(the session is as it was before this input)']
    }

    def "a call that fails part way leaves the session as it was: the calls before it on the line are undone"() {
        when:
        swarmJava('int spare = 4;\ncluster.nodes(5)\ncluster.nodes(9).masters(2)\nspare = 6; cluster.masters(4)\n/plan\nspare\n')

        then: 'nodes(9) and spare = 6 ran before the exceptions, and are gone'
        out.toString().contains('Cluster swarm: 5 nodes')
        !out.toString().contains('9 nodes')
        out.toString().readLines().last() == 'spare ==> 4'
    }

    def "/help says what the Java REPL takes and its commands"() {
        when:
        int code = swarmJava('/help\n')

        then:
        code == 0
        out.toString() == JavaSession.HELP + '\n'
        out.toString().contains('/plan')
        out.toString().contains('cluster is a ClusterBuilder')
    }
}
