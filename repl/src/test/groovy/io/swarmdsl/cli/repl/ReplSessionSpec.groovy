package io.swarmdsl.cli.repl

import com.fasterxml.jackson.databind.ObjectMapper
import io.swarmdsl.dsl.ScriptLoader
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class ReplSessionSpec extends Specification {
    @TempDir
    Path dir

    ReplSession session = new ReplSession()

    def "a line answers what it changed in the cluster"() {
        when:
        def reply = session.handle(line)

        then:
        !reply.error()
        reply.text().readLines().containsAll(answer)

        where:
        line                              | answer
        "nodes 7, prefix: 'doccur'"       | ['nodes: 7 (doccur1 … doccur7)', 'name: doccur']
        'masters 1'                       | ['masters: 1 (of 7 nodes)']
        'consul encrypt true'             | ['consul.encrypt: generated at apply: consul gossip key (32 random bytes, base64)']
        'swarm replication'               | ['swarm.flavor: classic', 'swarm.replication: true']
        'nodes 3'                         | ['nodes: 3 (node1, node2, node3)', 'masters: 3 (of 3 nodes)']
    }

    def "a line that changes nothing says so"() {
        expect:
        session.handle('nodes 7').text() == 'no change to the cluster'
    }

    def "an error names its column in the line typed and leaves the cluster exactly as before"() {
        given:
        session.handle('nodes 5; masters 3')
        def before = session.cluster()

        when:
        def reply = session.handle(line)

        then:
        reply.error()
        reply.text() == error
        session.cluster() == before
        session.acceptedLines() == ['nodes 5; masters 3']

        where:
        line                    | error
        'nodes 3; mastrs 3'     | "input:1:10: unknown keyword 'mastrs'; did you mean 'masters'?"
        'masters 2'             | 'input:1:1: masters must be 1, 3, 5 or 7 (a quorum needs an odd number), got 2'
        'consul { ui fals }'    | 'input:1:10: consul ui expects consul ui: true   (the web UI on the servers); got the word fals'
    }

    def "several statements separated by ';' are one input with all their changes"() {
        when:
        def reply = session.handle('nodes 5; masters 1; memory accounting')

        then:
        reply.text().readLines() == ['nodes: 5 (node1 … node5)', 'masters: 1 (of 5 nodes)', 'memoryAccounting: true']
        session.cluster().nodes().size() == 5
    }

    def "a block typed over several lines is one input"() {
        when:
        def reply = session.handle('consul {\n  ui false\n  dnsPort 8600\n}')

        then:
        reply.text().readLines() == ['consul.ui: false', 'consul.dnsPort: 8600']
    }

    def "undo drops the last accepted line and says what came back"() {
        given:
        session.handle('nodes 3')
        session.handle('masters 1')

        when:
        def reply = session.handle(':undo')

        then:
        reply.text().readLines() == ['dropped: masters 1', 'masters: 3 (of 3 nodes)']
        session.acceptedLines() == ['nodes 3']
        session.cluster().masters().size() == 3
        session.handle(':undo').text().startsWith('dropped: nodes 3')
        session.handle(':undo').error()
    }

    def "reset goes back to the default cluster"() {
        given:
        def empty = session.cluster()
        session.handle('nodes 3; masters 1')

        when:
        session.handle(':reset')

        then:
        session.cluster() == empty
        session.acceptedLines().isEmpty()
        session.handle(':show').text() == '(no lines yet)'
    }

    def "save writes a script that loads, in a new session and by the script loader, to the same cluster"() {
        given:
        session.handle("def count = 5")
        session.handle("nodes count, prefix: 'web'; masters 3")
        session.handle("consul {\n  encrypt true\n}")
        session.handle("compose 'mon', on: 'masters', services: [exporter: [image: 'prom/node-exporter']]")
        def file = dir.resolve('session.swarm')

        when:
        def saved = session.handle(":save $file")
        def other = new ReplSession()
        def loaded = other.handle(":load $file")

        then:
        saved.text() == "saved 4 entries to $file"
        !loaded.error()
        other.cluster() == session.cluster()
        ScriptLoader.load('session.swarm', Files.readString(file)) == session.cluster()
        session.handle(':show').text() + '\n' == Files.readString(file)
    }

    def "an error in a loaded file names the file and its line"() {
        given:
        def file = dir.resolve('broken.swarm')
        Files.writeString(file, 'nodes 3\nmasters 1\nconsul encrpt true\n')

        expect:
        session.handle(":load $file").text().startsWith("$file:3:1: unknown consul option 'encrpt'; did you mean 'encrypt'?")
        session.acceptedLines().isEmpty()
    }

    def "diff tells what changed since the last plan"() {
        given:
        session.handle('nodes 3')
        def plan = session.handle(':plan')

        expect:
        plan.text().contains('Plan: ')
        session.handle(':diff').text() == 'no change since the last :plan'
        session.handle('masters 1')
        session.handle(':diff').text() == 'masters: 1 (of 3 nodes)'
    }

    def "plan and graph render in the asked format"() {
        expect:
        session.handle(':plan json').text().startsWith('{')
        session.handle(':graph').text().startsWith('digraph')
        session.handle(':plan yaml').text() == "unknown format 'yaml' (formats: text, json, sh, dot)"
    }

    def "apply refuses a plan this version cannot carry out, before asking or connecting, and the session goes on"() {
        given:
        def output = new ByteArrayOutputStream()
        def questions = []
        def applying = new ReplSession(dir)
        applying.applyOn({ String question -> questions << question; 'yes' }, new PrintStream(output, true, 'UTF-8'))
        applying.handle('nodes 1; swarm mode')

        when:
        def reply = applying.handle(':apply')

        then:
        reply.error()
        reply.text().startsWith('this version of swarm cannot apply ')
        reply.text().endsWith('Nothing was changed.')
        questions.isEmpty()
        output.size() == 0
        !Files.exists(dir.resolve('.swarm'))
        !applying.handle('masters 1').error()
    }

    def "apply without a console to ask on refuses"() {
        expect:
        session.handle(':apply').text() == ':apply needs a console to ask on'
    }

    def "status reads the live cluster as swarm status does: nodes whose engines do not answer are unhealthy, with the reason"() {
        given: 'two hosts on loopback whose engine port nothing listens on'
        int port = unusedPort()
        def reading = new ReplSession(dir)
        reading.handle("""provider('generic') {
  hosts {
    host 'alpha', public: '127.0.0.1'
    host 'beta', public: '127.0.0.2'
  }
}""")
        reading.handle("masters 1; engine port: $port")

        when:
        def text = reading.handle(':status')
        def json = reading.handle(':status json')

        then:
        text.error()
        text.text().readLines()[0] == 'Cluster swarm: 2 nodes, no Swarm, 0 of 2 healthy'
        text.text() =~ /(?m)^  NODE +ROLE +ADDRESS +ENGINE +SWARM +CONTAINERS +HEALTH$/
        text.text() =~ /(?m)^  alpha +master +127\.0\.0\.1 +down +- +- +engine: GET \/info on 127\.0\.0\.1:$port: .*refused.*$/
        text.text() =~ /(?m)^  beta +agent +127\.0\.0\.2 +down +- +- +engine: .*refused.*$/
        json.error()
        with(new ObjectMapper().readValue(json.text(), Map)) {
            cluster == 'swarm'
            nodes*.name == ['alpha', 'beta']
            nodes.every { it.engine == null && it.problem.contains('refused') }
        }
        reading.handle(':status yaml').text() == "unknown format 'yaml' (formats: text, json)"
    }

    def "unknown commands list the real ones"() {
        expect:
        session.handle(':frobnicate').error()
        session.handle(':frobnicate').text().contains(':plan')
    }

    def "help explains a command or a keyword"() {
        expect:
        session.handle(':help').text().contains(':save')
        session.handle(':help masters').text().startsWith('masters: How many of the nodes')
        session.handle(':help masters').text().contains('Example:\n  nodes 5\n  masters 3')
        session.handle(':help encrypt').text().startsWith('consul encrypt: Encrypts')
        session.handle(':help encrypt').text().contains('Default: false')
        session.handle(':help undo').text().startsWith(':undo')
        session.handle(':help status').text().startsWith(':status  the live cluster')
        session.handle(':help nonsense').error()
        session.handle(':help mastrs').text() == "no command or keyword named 'mastrs'; did you mean 'masters'?"
        session.handle(':help hstory').text() == "no command or keyword named 'hstory'; did you mean 'history'?"
    }

    def "history lists every input, accepted or not; exit ends the session"() {
        given:
        session.handle('nodes 3')
        session.handle('mastrs 1')

        expect:
        session.handle(':history').text().readLines()*.trim() == ['1  nodes 3', '2  mastrs 1', '3  :history']
        !session.finished()
        session.handle(':exit').text() == ''
        session.finished()
    }

    private static int unusedPort() {
        new ServerSocket(0, 1, InetAddress.loopbackAddress).withCloseable { it.localPort }
    }
}
