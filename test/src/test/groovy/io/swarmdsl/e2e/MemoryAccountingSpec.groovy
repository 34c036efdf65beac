package io.swarmdsl.e2e

import spock.lang.Shared
import spock.lang.Specification

/**
 * {@code memory accounting} decided by the node's kernel, read at apply, on lab5. The lab cannot boot a
 * kernel: a node's reboot is its container's restart, and a kernel without accounting is the lab's
 * {@code no-memory-accounting}, which hides the cgroup files until the next boot (see scripts/lab).
 */
class MemoryAccountingSpec extends Specification {
    @Shared Lab lab
    @Shared File dir
    @Shared String node

    def setupSpec() {
        lab = Lab.up(5)
        node = lab.nodes[4]
        dir = File.createTempDir('memory-spec')
        new File(dir, 'cluster.swarm').text = lab.script([4], """cluster 'e2ememory'
memory accounting
engine registryMirror: '${lab.registry}'
consul false
swarm false
""")
    }

    def setup() {
        lab.reset([node])
        new File(dir, 'known_hosts').delete()
    }

    def cleanupSpec() {
        dir?.deleteDir()
    }

    Map apply() {
        SwarmProcess.run(dir, 'apply', '--yes', '--known-hosts', new File(dir, 'known_hosts').path, 'cluster.swarm')
    }

    String boot() {
        ['docker', 'inspect', '-f', '{{.State.StartedAt}}', node].execute().text.trim()
    }

    def "on a kernel that already accounts memory, the apply leaves out the kernel change and the reboot, and says why"() {
        given:
        def before = boot()

        when:
        def result = apply()

        then:
        result.code == 0
        result.output.contains("Left out on $node: the kernel already accounts memory and swap: no kernel change, no reboot.")
        !(result.output =~ /prepare\.$node\.(memory-accounting|reboot)\s/)
        boot() == before
        !lab.exec(node, 'cat /etc/default/grub').contains('swapaccount=1')
    }

    def "on a kernel without it, the apply changes GRUB's command line, reboots the node, waits for it and goes on"() {
        given:
        lab.hideMemoryAccounting(node)
        def before = boot()

        when:
        def result = apply()

        then: 'every step ran, the reboot and the steps after it included'
        result.code == 0
        ['memory-accounting', 'reboot', 'rebooted'].every { result.output =~ /prepare\.$node\.$it\s+ok/ }
        result.output =~ /verify\.$node\.engine\s+ok/

        and: 'the node did boot again, with the new command line for GRUB'
        boot() != before
        lab.exec(node, 'cat /etc/default/grub').contains('GRUB_CMDLINE_LINUX=" cgroup_enable=memory swapaccount=1"')

        and: 'the next apply finds the kernel accounting memory, and nothing to do'
        with(apply()) {
            code == 0
            output.contains('No changes. The cluster matches the script.')
        }
    }
}
