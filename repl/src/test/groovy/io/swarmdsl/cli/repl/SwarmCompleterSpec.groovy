package io.swarmdsl.cli.repl

import org.jline.reader.Candidate
import org.jline.reader.CompletingParsedLine
import org.jline.reader.Parser
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class SwarmCompleterSpec extends Specification {
    @TempDir
    Path dir

    ReplSession session = new ReplSession()
    SwarmCompleter completer = new SwarmCompleter(session::cluster)

    def "completes what fits where the cursor is"() {
        expect:
        completer.suggestions(before).containsAll(expected)
        !completer.suggestions(before).contains(absent)

        where:
        before                                | expected                               | absent
        ''                                    | ['masters', 'consul', ':plan', ':undo']| 'encrypt'
        ':'                                   | ['plan', 'save', 'exit']               | 'masters'
        'nodes 3; '                           | ['masters', 'swarm']                   | ':plan'
        'consul '                             | ['encrypt', 'ui', 'recursors']         | 'masters'
        'consul {\n  '                        | ['encrypt', 'dnsPort']                 | 'masters'
        'consul { ui false }\n'               | ['masters']                            | 'dnsPort'
        'nodes 7, '                           | ['prefix', 'pattern']                  | 'masters'
        "provider('generic') { hosts { "      | ['host']                               | 'masters'
        'provider '                           | ["'digitalocean'", "'generic'"]        | 'masters'
        "provider('"                          | ["digitalocean'", "generic'"]          | 'masters'
        "compose 'web', on: "                 | ["'masters'", "'agents'", "'node7'"]   | 'masters'
        "compose 'web', on: \""               | ['all"', 'node1"']                     | 'masters'
        "consul { recursors '}', '{'; "       | ['encrypt']                            | 'masters'
        ':plan '                              | ['json', 'dot']                        | 'masters'
        ':status '                            | ['text', 'json']                       | 'dot'
        ':help '                              | ['status', 'masters', 'encrypt']       | ':status'
        "provider 'digitalocean', region: "   | ["'nyc1'", "'sfo3'", "'atl1'"]         | 'masters'
        "provider 'digitalocean', region: \"" | ['fra1"']                              | "'fra1'"
        "provider('digitalocean') {\n  region '" | ["lon1'", "syd1'"]                 | 'masters'
    }

    def "node names after on: follow the session's cluster"() {
        given:
        session.handle("nodes 2, prefix: 'db'")

        expect:
        completer.suggestions("before 'engine', on: '").containsAll(["db1'", "db2'"])
    }

    def "regions are those of the script's provider: none for generic hosts, DigitalOcean's once the session has that provider"() {
        expect:
        completer.suggestions("provider 'generic', region: ").isEmpty()
        completer.suggestions("datacenter 'x', region: ").isEmpty()

        when:
        session.handle("provider 'digitalocean'")

        then:
        completer.suggestions('provider region: ') == ["'nyc1'", "'nyc3'", "'sfo2'", "'sfo3'", "'ams3'", "'sgp1'", "'lon1'",
                                                        "'fra1'", "'tor1'", "'blr1'", "'syd1'", "'atl1'"]
    }

    def "a candidate keeps what the word holds before the name: a brace, a quote"() {
        expect:
        candidates(typed).containsAll(expected)

        where:
        typed                     | expected
        'consul {enc'             | ['{encrypt']
        ':pl'                     | [':plan']
        'mast'                    | ['masters']
        "compose 'w', on:'mas"    | ["on:'masters'"]
        "provider 'digitalocean', region:'sf" | ["region:'sfo2'", "region:'sfo3'"]
        ':status j'               | ['json']
    }

    def "a word opened with a quote is closed once, by the line reader: #typed"() {
        expect:
        onTheLine(typed) == expected

        where:
        typed                                   | expected
        "provider 'digitalocean', region: 'fr"  | ["'fra1'"]
        "provider 'digitalocean', region: \"fr" | ['"fra1"']
        "compose 'w', on: 'mas"                 | ["'masters'"]
        "compose 'w', on:'mas"                  | ["on:'masters'"]
        "provider('gen"                         | ["provider('generic'"]
    }

    def "load and save complete files and directories"() {
        given:
        Files.writeString(dir.resolve('lab.swarm'), 'nodes 1')
        Files.createDirectory(dir.resolve('labs'))

        expect:
        candidates(":load $dir/la") == ["$dir/lab.swarm", "$dir/labs/"]
        candidates(":save $dir/nothing-here/x").isEmpty()
    }

    /** What the line reader writes over the word for each candidate that fits it: the candidate escaped and closed as it does. */
    private List<String> onTheLine(String typed) {
        def line = MultiLineInput.parser().parse(typed, typed.length(), Parser.ParseContext.COMPLETE)
        List<Candidate> found = []
        completer.complete(null, line, found)
        found.findAll { it.value().startsWith(line.word()) }.collect { ((CompletingParsedLine) line).escape(it.value(), it.complete()).toString() }
    }

    private List<String> candidates(String typed) {
        def line = MultiLineInput.parser().parse(typed, typed.length(), Parser.ParseContext.COMPLETE)
        List<Candidate> found = []
        completer.complete(null, line, found)
        found*.value()
    }
}
