package io.swarmdsl.cli.repl

import spock.lang.Specification

class PlainReplSpec extends Specification {
    StringWriter out = new StringWriter()

    boolean run(String input) {
        new PlainRepl(new ReplSession()).run(new BufferedReader(new StringReader(input)), new PrintWriter(out))
    }

    def "piped lines are answered in plain text, without escape codes"() {
        when:
        def accepted = run('nodes 3\nmasters 1\n:plan\n')

        then:
        accepted
        out.toString().startsWith('nodes: 3 (node1, node2, node3)\nmasters: 3 (of 3 nodes)\nmasters: 1 (of 3 nodes)\n')
        out.toString().contains('Plan: ')
        !out.toString().contains('\u001b')
    }

    def "an open brace or quote joins the following lines into one input"() {
        when:
        run("consul {\n  ui false\n}\ncompose 'x', yaml: '''services:\n  a:\n    image: nginx'''\n:show\n")

        then:
        out.toString().readLines().containsAll(['consul.ui: false', 'consul {', '  ui false', '}'])
        out.toString().contains("compositions[0].name: x")
    }

    def "a rejected line makes the piped session fail; exit stops reading"() {
        expect:
        !run('mastrs 3\n:exit\nnodes 3\n')
        out.toString() == "stdin:1:1: unknown keyword 'mastrs'; did you mean 'masters'?\n"
    }

    def "an error names the line of standard input it is on, across blocks and earlier inputs"() {
        when:
        run("nodes 3\n\nconsul {\n  ui false\n}\nswarm {\n  strategy 'spread'\n  stratgy 'binpack'\n}\nmasters 1; mastrs 1\n")

        then:
        out.toString().readLines().findAll { it.startsWith('stdin:') } == [
                "stdin:8:3: unknown swarm option 'stratgy'; did you mean 'strategy'?",
                "stdin:10:12: unknown keyword 'mastrs'; did you mean 'masters'?"]
    }

    def "a piped apply of a plan this version cannot carry out fails the session and changes nothing"() {
        expect:
        !run('nodes 1; swarm mode\n:apply\n')
        out.toString().contains('this version of swarm cannot apply ')
        !out.toString().contains('Apply this plan?')
    }
}
