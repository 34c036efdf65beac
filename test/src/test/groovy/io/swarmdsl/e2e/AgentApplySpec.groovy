package io.swarmdsl.e2e

import io.swarmdsl.cli.agent.AgentProcess
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/**
 * `swarm apply` served by the agent, as scripts/swarm hands it over, on two lab nodes: the agent and
 * its client each in a JVM of their own, the SSH sessions held between the commands.
 */
@Stepwise
class AgentApplySpec extends Specification {
    static final List<String> NODES = ['lab1', 'lab2']

    @Shared Lab lab
    @Shared File dir
    @Shared AgentProcess agent
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
        agent = AgentProcess.serve(dir, '--idle', '300', '--hold', '60')
    }

    def cleanupSpec() {
        agent?.close()
        NODES.each { lab?.exec(it, 'rm -rf /srv/agent-e2e /var/lib/swarm') }
        dir?.deleteDir()
    }

    Map served(String... args) {
        def result = AgentProcess.finish(agent.client(args.toList()))
        [code: result.code, output: result.out + result.err]
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
        AgentProcess.eventually { sshConnections('lab1').isEmpty() }
    }
}
