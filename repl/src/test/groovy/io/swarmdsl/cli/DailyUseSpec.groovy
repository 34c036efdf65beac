package io.swarmdsl.cli

import com.fasterxml.jackson.databind.ObjectMapper
import io.swarmdsl.Invocation
import spock.lang.Unroll

/** validate, new, help and completion: what a user reaches for every day, and CI on every change. */
class DailyUseSpec extends CommandLineSpec {
    def setup() {
        Invocation.set(new Invocation(System.getenv(), dir, dir, false))
    }

    def cleanup() {
        Invocation.set(null)
    }

    def "validate says a valid script is valid, exit 0, and prints no plan"() {
        expect:
        swarm('validate', '-e', 'nodes 3; masters 3') == 0
        out.toString() == '-e: valid (cluster swarm, 3 nodes)\n'
    }

    def "validate of an invalid script names its place, exit 2"() {
        given:
        dir.resolve('bad.swarm').toFile().text = 'nodes 3\nmastrs 3\n'

        expect:
        swarm('validate', 'bad.swarm') == 2
        err.toString() == "bad.swarm:2:1: unknown keyword 'mastrs'; did you mean 'masters'?\n"
    }

    @Unroll
    def "validate -f json of #what gives #errors on standard output"() {
        when:
        int code = swarm('validate', '-f', 'json', '-e', script)

        then:
        code == exit
        new ObjectMapper().readValue(out.toString(), Map) == [format_version: 1, valid: exit == 0, errors: errors]

        where:
        what                  | script               || exit | errors
        'a valid script'      | 'nodes 3'            || 0    | []
        'a misspelt keyword'  | 'nodes 3; mastrs 3'  || 2    | [[file: '-e', line: 1, column: 10, message: "unknown keyword 'mastrs'", suggestion: 'masters']]
    }

    @Unroll
    def "swarm new --provider #provider writes a starter that plans as written"() {
        when:
        int code = swarm('new', '--provider', provider)

        then:
        code == 0
        err.toString().contains('Wrote cluster.swarm')
        dir.resolve('cluster.swarm').toFile().text.startsWith('// ')

        when: 'planned without FILE: cluster.swarm is the default'
        out.buffer.setLength(0)
        int planned = swarm('plan', '--offline')

        then:
        planned == 0
        out.toString().contains(summary)

        where:
        provider       || summary
        'generic'      || 'Plan: 56 steps on 3 nodes'
        'digitalocean' || 'Plan: 98 steps on 5 nodes'
    }

    def "swarm new never overwrites a script"() {
        given:
        dir.resolve('mine.swarm').toFile().text = 'nodes 1\n'

        expect:
        swarm('new', 'mine.swarm') == 2
        err.toString().contains('mine.swarm exists already')
        dir.resolve('mine.swarm').toFile().text == 'nodes 1\n'
    }

    def "swarm help plan is plan's help"() {
        expect:
        swarm('help', 'plan') == 0
        out.toString().startsWith('Usage: swarm plan ')
        out.toString().contains('--detailed-exitcode')
    }

    @Unroll
    def "the #shell completion script is valid bash and completes '#typed' with #expected"() {
        given:
        swarm('completion', shell)
        File script = dir.resolve('swarm-completion').toFile()
        script.text = out.toString()

        when: 'bash sources it and asks it as Tab would'
        List<String> words = ['swarm'] + typed.tokenize(' ') + (typed.endsWith(' ') ? [''] : [])
        String ask = """source ${script.path}
COMP_WORDS=(${words.collect { "'$it'" }.join(' ')}); COMP_CWORD=${words.size() - 1}; COMP_LINE='swarm $typed'; COMP_POINT=\${#COMP_LINE}
_complete_swarm swarm; printf '%s\\n' "\${COMPREPLY[@]}" """
        def bash = ['bash', '-c', ask].execute()
        String replies = bash.text

        then:
        ['bash', '-n', script.path].execute().waitFor() == 0
        replies.readLines()*.trim().containsAll(expected)

        where:
        shell  | typed         || expected
        'bash' | 'pl'          || ['plan']
        'zsh'  | 'plan --ref'  || ['--refresh']
        'bash' | 'status --fo' || ['--format']
    }

    @Unroll
    def "#args: -q leaves out the note for a person reading along, wherever it is given"() {
        when:
        int code = swarm(args as String[])

        then:
        code == 0
        dir.resolve('p.json').toFile().exists()
        err.toString().contains('Written to') == noted

        where:
        args                                                   || noted
        ['plan', '-o', 'p.json', '-e', 'nodes 1']              || true
        ['plan', '-q', '-o', 'p.json', '-e', 'nodes 1']        || false
        ['--quiet', 'plan', '-o', 'p.json', '-e', 'nodes 1']   || false
    }

    @Unroll
    def "swarm schema #name prints the #name schema shipped in the jar"() {
        expect:
        swarm('schema', name) == 0
        new ObjectMapper().readValue(out.toString(), Map).'$id' == "urn:swarmdsl:schema:${name}-v1".toString()

        where:
        name << ['plan', 'events']
    }

    @Unroll
    def "#command refuses #why, and says so"() {
        given:
        dir.resolve('junk.snap').toFile().text = 'nodes 3\n'
        InputStream originalIn = System.in
        System.in = new ByteArrayInputStream('no\n'.bytes)

        expect:
        swarm(*arguments) == 1
        err.toString().contains(message)
        !dir.resolve('out.snap').toFile().exists()

        cleanup:
        System.in = originalIn

        where:
        command   | why                             | arguments                                                                  || message
        'backup'  | 'a cluster without Consul'      | ['backup', '-s', 'out.snap', '-e', 'nodes 3; consul false; swarm mode']     || 'runs no Consul (consul false)'
        'backup'  | 'a Consul without TLS'          | ['backup', '-s', 'out.snap', '-e', 'nodes 3; consul tls: false']           || "this cluster's Consul has none (consul tls: false)"
        'backup'  | 'a cluster never applied here'  | ['backup', '-s', 'out.snap', '-e', 'nodes 3']                              || 'no client certificate of the cluster swarm'
        'restore' | 'a file that is no snapshot'    | ['restore', '--yes', '-s', 'junk.snap', '-e', 'nodes 3']                   || 'junk.snap is not a Consul snapshot (swarm backup writes one): nothing was changed'
        'restore' | 'without an answer of yes'      | ['restore', '-s', 'junk.snap', '-e', 'nodes 3']                            || 'Restore cancelled. Nothing was changed.'
        'rotate'  | 'a cluster without gossip encryption' | ['rotate', 'gossip', '-e', 'nodes 3']                                || 'has no gossip encryption to rotate: consul encrypt true turns it on'
        'rotate'  | "a key that is the user's"      | ['rotate', 'gossip', '-e', "nodes 3; consul encrypt env('GOSSIP')"]        || 'the gossip key comes from env GOSSIP, not from swarm'
        'rotate'  | 'a cluster never applied here'  | ['rotate', 'gossip', '-e', 'nodes 3; consul encrypt true']                 || 'no client certificate of the cluster swarm'
        'rotate'  | 'certificates no one uses'      | ['rotate', 'certs', '--yes', '-e', 'nodes 3; engine tls: false; consul tls: false'] || 'uses no TLS certificates (engine tls and consul tls are off): nothing to rotate'
        'rotate'  | 'certificates never issued here' | ['rotate', 'certs', '--yes', '-e', 'nodes 3']                             || "the cluster's CA is not in"
    }

    def "rotate without what to rotate says what it can"() {
        expect:
        swarm('rotate') == 2
        err.toString().contains('say what to rotate: swarm rotate gossip [FILE] or swarm rotate certs [FILE]')
    }
}
