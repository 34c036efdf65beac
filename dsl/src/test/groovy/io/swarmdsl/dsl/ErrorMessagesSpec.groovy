package io.swarmdsl.dsl

import io.swarmdsl.model.SpecException
import spock.lang.Specification
import spock.lang.Unroll

/** Every mistake gets a sentence of the tool's own at its place, never the JVM's or Groovy's words. */
class ErrorMessagesSpec extends Specification {
    /** Words that give away a message nobody wrote for a user. */
    static final List<String> FOREIGN = ['java.', 'groovy.', 'Exception', 'null object', 'getAt', 'class ', 'Cannot ',
                                         'Unexpected character', 'Method too large']

    @Unroll
    def "'#script' fails at #line:#column with '#message'"() {
        when:
        ScriptLoader.load('bad.swarm', script)

        then:
        SpecException e = thrown()
        e.describe().startsWith("bad.swarm:$line:$column: ")
        e.message.contains(message)
        FOREIGN.every { !e.message.contains(it) }

        where:
        script                                   | line | column || message
        'nodes -1'                               | 1    | 1      || 'nodes must be between 1 and 1000, got -1'
        'nodes 3x'                               | 1    | 1      || "unexpected 'x' after the value of 'nodes'"
        'nodes x[5]'                             | 1    | 1      || "unknown name 'x'"
        'nodes 3 masters 1'                      | 1    | 1      || "'masters' follows 'nodes' in the same statement: a ';' or a new line is missing"
        'nodes 3\nint y = "abc"'                 | 2    | 1      || "a String value cannot be used as int: 'abc'"
        "nodes 3\ndomain 'abc"                   | 2    | 8      || "a string opened with ' is not closed on this line"
        'nodes 3\ndomain "abc'                   | 2    | 8      || 'a string opened with " is not closed on this line'
        "nodes 3\nassert false, 'msg'"           | 2    | 1      || 'assertion failed: msg'
        ''                                       | 1    | 1      || 'the script is empty'
        '// only a comment\n'                    | 1    | 1      || 'the script is empty'
        'nodes = 3'                              | 1    | 1      || "'nodes = …' does not set nodes: write 'nodes VALUE'"
        'def nodes(n) { 42 }\nnodes 3'           | 1    | 1      || "'nodes' is a keyword of the language: give a method another name"
        'def masters = 3\nnodes 3'               | 1    | 5      || "'masters' is a keyword of the language: give the variable another name"
        'nodes 3; nodes 5'                       | 1    | 10     || 'given twice with different values (first at bad.swarm:1:1)'
        'nodes 3\nmasters 1\nmasters 3'          | 3    | 1      || 'masters is given twice with different values (first at bad.swarm:2:1)'
        'nodes 3\nengine { port 2376; port 2377 }' | 2  | 21     || 'engine port is given twice'
    }

    @Unroll
    def "a script that would build a wrong cluster is refused: #what"() {
        when:
        ScriptLoader.load('wrong.swarm', script)

        then:
        SpecException e = thrown()
        e.position().line() == line
        e.message.contains(message)

        where:
        what                                   | script                                                                                       | line || message
        'two hosts with one address'           | "provider 'generic', { hosts {\n host 'a', public: '10.0.0.1'\n host 'b', public: '10.0.0.1'\n} }" | 3    || "hosts 'a' and 'b' have the same address 10.0.0.1"
        'two hosts with one private address'   | "provider 'generic', { hosts {\n host 'a', public: '10.0.0.1', private: '10.1.0.1'\n host 'b', public: '10.0.0.2', private: '10.1.0.1'\n} }" | 3 || "have the same address 10.1.0.1"
        'strategy with swarm mode'             | "nodes 3\nswarm mode\nswarm strategy: 'binpack'"                                           | 3    || 'swarm strategy is an option of classic Swarm, not of swarm mode'
        'replication with swarm mode'          | "nodes 3\nswarm mode\nswarm replication"                                                   | 3    || 'contradicts'
        'an engine option that is no value'    | "nodes 3\nengine { option 'max-concurrent-downloads', new Object() }"                        | 2    || "must be text, a number, true/false, or a list or map of those"
        'a compose service key typo'           | "nodes 3\ncompose 'web', services: [web: [imag: 'nginx:1.25']]"                              | 2    || "service 'web' has an unknown key 'imag'; did you mean 'image'?"
        'a compose service key typo in YAML'   | "nodes 3\ncompose 'web', yaml: 'services:\\n  web:\\n    imagee: nginx\\n'"               | 2    || "unknown key 'imagee'; did you mean 'image'?"
    }

    @Unroll
    def "no keyword can be shadowed or assigned: '#keyword'"() {
        expect: 'for every top-level keyword of the language, each of the three ways is refused at its place'
        ["def $keyword(x) { 1 }\nnodes 3", "def $keyword = 1\nnodes 3", "nodes 3\n$keyword = 1"].every { script ->
            try {
                ScriptLoader.load('shadow.swarm', script)
                false
            } catch (SpecException e) {
                e.message.contains("'$keyword") && e.position().line() in [1, 2]
            }
        }

        where:
        keyword << Keywords.ofScript().sort()
    }

    def "a keyword given twice with the same value, or a repeatable one, is no contradiction"() {
        expect:
        ScriptLoader.load('fine.swarm', 'nodes 3; nodes 3; engine { label "a=1"; label "b=2" }').engine().labels() == ['a=1', 'b=2']
    }

    def "the REPL's history may change what an earlier line set"() {
        expect:
        ScriptLoader.run('repl', 'nodes 3\nnodes 5', new io.swarmdsl.model.ClusterBuilder()).build().nodes().size() == 5
    }

    @Unroll
    def "an enormous #what is quoted as a short excerpt"() {
        when:
        ScriptLoader.load('big.swarm', script)

        then:
        SpecException e = thrown()
        e.message.length() < 300
        e.message.contains('more characters)')

        where:
        what          | script
        'text'        | "def big = 'x' * 10_000_000\nnodes big"
        'name'        | "${'y' * 10_000} 3"
        'cast value'  | "int y = 'z' * 1_000_000"
    }

    @Unroll
    def "a file that is #what is reported at #line:#column"() {
        when:
        ScriptText.decode('bad.swarm', bytes)

        then:
        SpecException e = thrown()
        e.describe().startsWith("bad.swarm:$line:$column: ")
        e.message.contains(message)

        where:
        what                           | bytes                                                   | line | column || message
        'Latin-1, not UTF-8'           | bytes('nodes 3\ndomain "caf', 0xE9, 0x22)               | 2    | 12     || 'not UTF-8 text: byte 0xE9'
        'cut in the middle of a char'  | bytes('nodes 3 // ', 0xC3)                              | 1    | 12     || 'not UTF-8 text'
        'binary'                       | bytes('', 0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00)     | 1    | 5      || 'control character 0x02'
        'binary with NULs'             | bytes('nodes 3\n', 0x00, 0x00)                          | 2    | 1      || 'control character 0x00'
    }

    static byte[] bytes(String text, int... more) {
        def out = new ByteArrayOutputStream()
        out.write(text.getBytes('UTF-8'))
        more.each { out.write(it) }
        out.toByteArray()
    }

    def "a byte-order mark is accepted"() {
        expect:
        ScriptText.decode('bom.swarm', '\uFEFFnodes 3'.getBytes('UTF-8')) == 'nodes 3'
        ScriptLoader.load('bom.swarm', ScriptText.decode('bom.swarm', '\uFEFFnodes 3'.getBytes('UTF-8'))).nodes().size() == 3
    }

    @Unroll
    def "a script of #count statements compiles, and its variables reach from its start to its end"() {
        given:
        def script = new StringBuilder("def first = 1\nint total = 0\ndef (a, b) = [2, 3]\n")
        (1..count).each { script << "total += first\n" }
        script << "engine { label \"total=\$total\"; label \"ab=\${a + b}\" }\nnodes 3\n"

        expect:
        ScriptLoader.load('long.swarm', script.toString()).engine().labels() == ["total=$count", 'ab=5']

        where:
        count << [10, 3000, 6000]
    }

    def "an error deep in a long script still names its line"() {
        given:
        def script = new StringBuilder('nodes 3\n')
        (1..2999).each { script << "def v$it = $it\n" }
        script << 'mastrs 1\n'

        when:
        ScriptLoader.load('long.swarm', script.toString())

        then:
        SpecException e = thrown()
        e.describe().startsWith("long.swarm:3001:1: unknown keyword 'mastrs'")
    }

    def "a text too long for the compiler is said so in our words"() {
        when:
        ScriptLoader.load('long.swarm', "nodes 3\ndomain '${'d' * 70_000}'")

        then:
        SpecException e = thrown()
        e.message == 'a text or name in the script is longer than 65535 characters, more than a script can hold'
    }
}
