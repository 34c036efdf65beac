package io.swarmdsl.cli.agent

import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files

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
    Process alone(List<String> args) {
        AgentProcess.start([AgentProcess.JAVA, '-cp', AgentProcess.CLASSPATH, 'io.swarmdsl.cli.Main'] + args, dir)
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

    def "a client in another directory or with another environment is not served, and the launcher runs the command itself"() {
        given:
        def elsewhere = Files.createTempDirectory('elsewhere').toFile()

        expect:
        finish(client(['plan', new File(dir, 'three.swarm').path], elsewhere)).code == AgentClient.NOT_SERVED
        finish(client(['plan', 'three.swarm'], dir, [DIGITALOCEAN_TOKEN: 'another-token'])).code == AgentClient.NOT_SERVED

        cleanup:
        elsewhere.deleteDir()
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
