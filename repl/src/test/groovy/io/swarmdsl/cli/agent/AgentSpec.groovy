package io.swarmdsl.cli.agent

import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

/**
 * The agent and its client as scripts/swarm runs them: each in a JVM of its own (this test's
 * classpath), talking over a Unix socket.
 */
class AgentSpec extends Specification {
    @Shared File dir
    @Shared AgentProcess agent

    def setupSpec() {
        dir = Files.createTempDirectory('agent-spec').toFile()
        new File(dir, 'three.swarm').text = 'nodes 3\nmasters 1\nconsul encrypt true\n'
        new File(dir, 'bad.swarm').text = 'nodes 3\nmastrs 3\n'
        // Hosts that refuse at once: the facts are not read, the plan is printed, and apply asks.
        new File(dir, 'refused.swarm').text = '''provider('generic') { hosts { host 'n1', public: '127.0.0.1' } }
ssh { port 1 }
masters 1; consul false; engine false
'''
        agent = AgentProcess.serve(dir, '--idle', '120')
    }

    def cleanupSpec() {
        agent?.close()
        dir?.deleteDir()
    }

    Process client(List<String> args, File directory = dir, Map<String, String> environment = [:]) {
        agent.client(args, directory, environment)
    }

    /** The same command in a JVM of its own, as scripts/swarm runs it without an agent. */
    Process alone(List<String> args, File directory = dir, Map<String, String> environment = [:]) {
        AgentProcess.start([AgentProcess.JAVA, '-cp', AgentProcess.CLASSPATH, 'io.swarmdsl.cli.Main'] + args, directory, environment)
    }

    static Map finish(Process process, String input = null) {
        AgentProcess.finish(process, input)
    }

    def "a command the agent serves prints and exits exactly as in a JVM of its own"() {
        when:
        def served = finish(client(args))
        def own = finish(alone(args))

        then:
        served == own
        served.code == code

        where:
        args                                | code
        ['plan', 'three.swarm']             | 0
        ['plan', '--format', 'json', 'three.swarm'] | 0
        ['plan', 'bad.swarm']               | 2
        ['plan', 'missing.swarm']           | 2
        ['--version']                       | 0
    }

    def "a question is asked and answered through the client"() {
        when:
        def result = finish(client(['apply', 'refused.swarm']), 'no\n')

        then:
        result.out.contains("Apply this plan? Only 'yes' is accepted")
        result.out.contains('Apply cancelled. Nothing was changed.')
        result.code == 1
    }

    def "clients in four directories with four environments are served by one agent, each command with its own"() {
        given: 'four directories, each with its script, and four environments, each with its token and API address'
        def directories = (1..4).collect { n ->
            def directory = Files.createTempDirectory("client-$n").toFile()
            new File(directory, 'cloud.swarm').text = "provider 'digitalocean', token: env('SPEC_TOKEN')\nnodes ${n + 2}\n"
            directory
        }
        def environments = (1..4).collect { n -> [SPEC_TOKEN: "secret-token-$n".toString(), SWARM_DIGITALOCEAN_API: "http://127.0.0.1:1/api-$n".toString()] }

        when:
        def served = (0..3).collect { i -> finish(client(['plan', 'cloud.swarm'], directories[i], environments[i])) }
        def own = (0..3).collect { i -> finish(alone(['plan', 'cloud.swarm'], directories[i], environments[i])) }

        then: 'every one was served, as a JVM of its own would run it in its directory and environment'
        served == own
        (0..3).every { i -> served[i].code == 0 && served[i].out.contains(": ${i + 3} nodes on digitalocean") }
        (0..3).every { i -> served[i].err.contains("got http://127.0.0.1:1/api-${i + 1})") }
        !served.any { it.out.contains('secret-token') || it.err.contains('secret-token') }

        and: 'the agent logged none of it'
        !new File(dir, 'agent.log').text.contains('secret-token')

        cleanup:
        directories*.deleteDir()
    }

    def "a working directory removed and made again is served afresh"() {
        given: 'an agent started in a directory, its socket elsewhere'
        def working = Files.createTempDirectory('working').toFile()
        def sockets = Files.createTempDirectory('sockets').toFile()
        new File(working, 'lab.swarm').text = 'nodes 3\nmasters 1\n'
        def agentThere = AgentProcess.serve(working, sockets, '--idle', '60')
        def first = AgentProcess.finish(agentThere.client(['plan', 'lab.swarm'], working))

        when: 'the directory is removed and made again, with another script'
        working.deleteDir()
        working.mkdirs()
        new File(working, 'lab.swarm').text = 'nodes 5\nmasters 1\n'
        def again = AgentProcess.finish(agentThere.client(['plan', 'lab.swarm'], working))

        then:
        first.code == 0
        first.out.contains(': 3 nodes')
        again.code == 0
        again.out.contains(': 5 nodes')

        cleanup:
        agentThere?.close()
        working.deleteDir()
        sockets.deleteDir()
    }

    def "the agent's socket is the user's alone, and it serves in no directory another user may enter"() {
        given:
        def open = Files.createTempDirectory('open').toFile()
        Files.setPosixFilePermissions(open.toPath(), PosixFilePermissions.fromString(mode))

        when:
        def refused = AgentProcess.finish(AgentProcess.start([AgentProcess.JAVA, '-cp', AgentProcess.CLASSPATH, 'io.swarmdsl.cli.Main',
                'agent', 'serve', '--socket', new File(open, 'agent.sock').path], open))

        then:
        refused.code == 1
        refused.err.contains("the socket directory $open is not private")
        !new File(open, 'agent.sock').exists()
        PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.socket.toPath())) == 'rw-------'

        cleanup:
        open.deleteDir()

        where:
        mode << ['rwxr-xr-x', 'rwx--x---', 'rwx-----x']
    }

    def "while one command runs, another is not served; a client that goes away cancels its command"() {
        given: 'a command waiting for its answer'
        def waiting = client(['apply', 'refused.swarm'])
        waitFor { new String(waiting.inputStream.readNBytes(1)) }

        when:
        def second = finish(client(['plan', 'three.swarm']))

        then:
        second.code == AgentClient.NOT_SERVED

        when: 'the waiting client is killed'
        waiting.destroyForcibly().waitFor()

        then: 'its command ends, and the agent serves the next one'
        AgentProcess.eventually { finish(client(['plan', 'three.swarm'])).code == 0 }
    }

    def "Ctrl-C in the client stops the command in the agent"() {
        given:
        def waiting = client(['apply', 'refused.swarm'])
        waitFor { new String(waiting.inputStream.readNBytes(1)) }

        when:
        new ProcessBuilder('kill', '-INT', waiting.pid().toString()).start().waitFor()
        def result = finish(waiting)

        then: 'the question is cancelled as if no answer came'
        result.code == 1
        result.out.endsWith('Apply cancelled. Nothing was changed.\n')
    }

    private static void waitFor(Closure<String> firstOutput) {
        assert firstOutput() : 'the command printed nothing'
    }
}
