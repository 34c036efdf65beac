package io.swarmdsl.e2e

import io.swarmdsl.cli.agent.AgentClient
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

import java.util.concurrent.TimeUnit

/**
 * `swarm apply` served by the agent, as scripts/swarm hands it over, on two lab nodes: the agent and
 * its client each in a JVM of their own, the SSH sessions held between the commands.
 */
@Stepwise
class AgentApplySpec extends Specification {
    static final String JAVA = System.getProperty('java.home') + '/bin/java'
    static final String CLASSPATH = System.getProperty('java.class.path')
    static final List<String> NODES = ['lab1', 'lab2']

    @Shared Lab lab
    @Shared File dir
    @Shared Process agent
    @Shared List<String> heldAfterApply

    def setupSpec() {
        lab = Lab.up(NODES.size())
        NODES.each { lab.exec(it, 'rm -rf /srv/agent-e2e /var/lib/swarm') }
        dir = File.createTempDir('agent-apply-spec')
        new File(dir, 'agent.swarm').text = lab.script(NODES.size(), '''consul false
engine false
after 'provision', on: 'all', {
  run 'mkdir -p /srv/agent-e2e'
  upload content: 'served by the agent\\n', to: '/srv/agent-e2e/note.txt'
  run 'echo "$(hostname) $(cat /srv/agent-e2e/note.txt)" > /srv/agent-e2e/report'
}
''')
        def socket = new File(dir, 'agent.sock')
        agent = new ProcessBuilder(JAVA, '-cp', CLASSPATH, 'io.swarmdsl.cli.Main', 'agent', 'serve', '--socket', socket.path,
                '--idle', '300', '--hold', '60').directory(dir).redirectErrorStream(true).redirectOutput(new File(dir, 'agent.log')).start()
        for (int i = 0; i < 300 && !socket.exists(); i++) {
            Thread.sleep(50)
        }
        assert socket.exists(): new File(dir, 'agent.log').text
    }

    def cleanupSpec() {
        agent?.destroy()
        agent?.waitFor(10, TimeUnit.SECONDS)
        NODES.each { lab?.exec(it, 'rm -rf /srv/agent-e2e /var/lib/swarm') }
        dir?.deleteDir()
    }

    Map served(String... args) {
        def client = new ProcessBuilder([JAVA, '-cp', CLASSPATH, AgentClient.name, new File(dir, 'agent.sock').path] + args.toList())
                .directory(dir).redirectErrorStream(true).start()
        def output = client.inputStream.text
        assert client.waitFor(120, TimeUnit.SECONDS)
        [code: client.exitValue(), output: output]
    }

    /** The node's established SSH connections, as remote address:port, read from its kernel (not over SSH). */
    List<String> sshConnections(String node) {
        lab.exec(node, "awk '\$2 ~ /:0016\$/ && \$4 == \"01\" { print \$3 }' /proc/net/tcp").readLines().sort()
    }

    def "an apply served by the agent does the work on every node, and leaves its sessions held"() {
        when:
        def result = served('apply', '--yes', '--known-hosts', 'known_hosts', 'agent.swarm')

        then:
        result.code == 0
        result.output.contains('Apply complete')
        NODES.every { lab.exec(it, 'cat /srv/agent-e2e/report').trim() == "$it served by the agent" }

        when:
        heldAfterApply = sshConnections('lab1')

        then: 'one connection of the agent stays open'
        heldAfterApply.size() == 1
    }

    def "the re-apply finds nothing to do, over the very session it left held"() {
        when:
        def result = served('apply', '--yes', '--known-hosts', 'known_hosts', 'agent.swarm')

        then:
        result.code == 0
        result.output.contains('No changes. The cluster matches the script.')
        sshConnections('lab1') == heldAfterApply
    }

    def "forget closes the held sessions"() {
        when:
        def result = served('agent', 'forget')

        then:
        result.code == 0
        result.output.trim() == 'closed 2 held SSH sessions'
        eventually { sshConnections('lab1').isEmpty() }
    }

    private static boolean eventually(Closure<Boolean> condition) {
        for (int i = 0; i < 50; i++) {
            if (condition()) {
                return true
            }
            Thread.sleep(100)
        }
        false
    }
}
