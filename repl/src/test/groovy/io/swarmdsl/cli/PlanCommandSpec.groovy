package io.swarmdsl.cli

import spock.lang.Unroll

class PlanCommandSpec extends CommandLineSpec {
    def "plan prints the article's cluster and succeeds"() {
        when:
        int code = swarm('plan', '../examples/doccur.swarm')

        then:
        code == 0
        out.toString().startsWith('Cluster doccur: 7 nodes on digitalocean')
        out.toString().contains('Plan: 134 steps on 7 nodes')
        err.toString().isEmpty()
    }

    def "the card line works exactly as typed with -e"() {
        expect:
        swarm('plan', '-e', 'nodes 7; masters 3; consul encrypt true; swarm replication') == 0
        out.toString().contains('Plan: 124 steps on 7 nodes')
    }

    def "an invalid script names its place, exits 2 and shows no stack trace"() {
        given:
        def script = dir.resolve('bad.swarm').toFile()
        script.text = 'nodes 3\nmastrs 3\n'

        when:
        int code = swarm('plan', script.path)

        then:
        code == 2
        err.toString() == "${script.path}:2:1: unknown keyword 'mastrs'; did you mean 'masters'?\n".toString()
        out.toString().isEmpty()
    }

    @Unroll
    def "a script file that is #what fails at its place with exit 2 and one line"() {
        given:
        def script = dir.resolve('bad.swarm')
        def content = new ByteArrayOutputStream()
        content.write(text.getBytes('UTF-8'))
        bytes.each { content.write(it) }
        java.nio.file.Files.write(script, content.toByteArray())

        when:
        int code = swarm('plan', script.toString())

        then:
        code == 2
        err.toString() ==~ /(?s)\Q${script}\E:\d+:\d+: [^\n]*$message[^\n]*\n/
        out.toString().isEmpty()

        where:
        what                          | bytes                                    | text                                                             || message
        'not UTF-8'                   | [0x6E, 0xE9, 0x22]                       | 'nodes 3'                                                             || 'not UTF-8 text'
        'binary garbage'              | [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01]     | ''                                                               || 'control character'
        'empty'                       | []                                       | ''                                                               || 'the script is empty'
        'an assertion that fails'     | []                                       | "nodes 3\nassert 1 == 2, 'one is not two'"                       || 'assertion failed: one is not two'
        'an upload of a missing file' | []                                       | "nodes 3\nafter 'engine', { upload 'nowhere.txt', to: '/etc/x' }" || "upload: no such local file 'nowhere.txt'"
    }

    def "a script file with a byte-order mark plans like one without"() {
        given:
        def script = dir.resolve('bom.swarm')
        java.nio.file.Files.write(script, '\uFEFFnodes 3'.getBytes('UTF-8'))

        expect:
        swarm('plan', script.toString()) == 0
        out.toString().contains('Plan: ')
    }

    def "a plan written into a directory that does not exist says why"() {
        when:
        int code = swarm('plan', '-e', 'nodes 3', '-o', '/nonexistent/x.json')

        then:
        code == 2
        err.toString().contains('cannot write the plan to /nonexistent/x.json: the directory /nonexistent does not exist')
        !err.toString().contains('Exception')
    }

    @Unroll
    def "--format #format gives the #format plan"() {
        when:
        int code = swarm('plan', '--format', format, '-e', 'nodes 3; swarm mode')

        then:
        code == 0
        out.toString().startsWith(start)

        where:
        format | start
        'text' | 'Cluster swarm: 3 nodes'
        'json' | '{\n  "format_version": 1,'
        'sh'   | '#!/usr/bin/env bash'
        'dot'  | 'digraph "swarm" {'
    }

    def "-o writes the plan to a file and says so on stderr"() {
        given:
        def target = dir.resolve('plan.sh')

        when:
        int code = swarm('plan', '-f', 'sh', '-o', target.toString(), '-e', 'nodes 1')

        then:
        code == 0
        target.toFile().text.startsWith('#!/usr/bin/env bash')
        target.toFile().canExecute()
        out.toString().isEmpty()
        err.toString().contains('Written to ' + target)
    }

    @Unroll
    def "-o #name without -f writes the #format plan, as its extension says"() {
        when:
        int code = swarm('plan', '-o', dir.resolve(name).toString(), '-e', 'nodes 1')

        then:
        code == 0
        dir.resolve(name).toFile().text.startsWith(start)

        where:
        name        | format | start
        'plan.json' | 'json' | '{\n  "format_version": 1,'
        'plan.sh'   | 'sh'   | '#!/usr/bin/env bash'
        'plan.dot'  | 'dot'  | 'digraph "swarm" {'
        'plan.txt'  | 'text' | 'Cluster swarm: 1 node'
    }

    def "-o - is standard output"() {
        expect:
        swarm('plan', '-f', 'json', '-o', '-', '-e', 'nodes 1') == 0
        out.toString().startsWith('{\n  "format_version": 1,')
        !err.toString().contains('Written to')
    }

    @Unroll
    def "--detailed-exitcode exits #code for #what, as terraform's"() {
        expect:
        swarm(['plan', '--detailed-exitcode', '--offline', '-e', script] as String[]) == code

        where:
        what                                  | script                      || code
        'a plan with steps (changes present)' | 'nodes 3'                   || 2
        'an invalid script (an error)'        | 'nodes 3; mastrs 3'         || 1
    }

    def "with -f json, an invalid script's error is JSON with its place and suggestion"() {
        when:
        int code = swarm('plan', '-f', 'json', '-e', 'nodes 3; mastrs 3')

        then:
        code == 2
        out.toString().isEmpty()
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(err.toString(), Map) == [format_version: 1, valid: false, errors: [
                [file: '-e', line: 1, column: 10, message: "unknown keyword 'mastrs'", suggestion: 'masters']]]
    }

    def "without FILE, cluster.swarm of the working directory is planned"() {
        given:
        dir.resolve('cluster.swarm').toFile().text = "cluster 'here'\nnodes 2\n"
        io.swarmdsl.Invocation.set(new io.swarmdsl.Invocation(System.getenv(), dir, dir, false))

        when:
        int code = swarm('plan')

        then:
        code == 0
        out.toString().startsWith('Cluster here: 2 nodes')

        cleanup:
        io.swarmdsl.Invocation.set(null)
    }

    @Unroll
    def "the command line '#args' is refused with exit code 2"() {
        when:
        int code = swarm(args as String[])

        then:
        code == 2
        err.toString().contains(message)
        !err.toString().contains('Exception')

        where:
        args                                     | message
        ['plan']                                 | 'give a script: FILE or -e'
        ['plan', 'missing.swarm']                | 'no such file: missing.swarm'
        ['plan', '-f', 'yaml', '-e', 'nodes 1']  | "unknown format 'yaml'"
        ['plna', 'x.swarm']                      | 'Unmatched arguments'
        ['plan', '-e', 'x', 'y.swarm']           | 'give one script: FILE or -e'
        ['plan', '--refresh', '--offline', '-e', 'nodes 1'] | '--refresh reads the nodes over the network'
        ['validate', '-q', '-v', '-e', 'nodes 1'] | '-q and -v say opposite things'
        ['status', '-f', 'yaml', '-e', 'nodes 1'] | "unknown format 'yaml' (formats: text, json)"
        ['completion', 'fish']                   | "unknown shell 'fish' (shells: bash, zsh)"
        ['new', '--provider', 'aws']             | "unknown provider 'aws' (providers: generic, digitalocean)"
        ['schema', 'state']                      | "unknown schema 'state' (schemas: plan, events)"
        []                                       | 'a command is needed'
    }

    def "--help lists the commands and exit codes, --version answers"() {
        expect:
        swarm('--help') == 0
        out.toString().contains('plan')
        out.toString().contains('2   the script or the command line is invalid')
        swarm('--version') == 0
        out.toString() ==~ /(?s).*swarm \d+\.\d+\.\d+(-SNAPSHOT)? \(commit [0-9a-f]{7}(, with uncommitted changes)?\)\n/
    }
}
