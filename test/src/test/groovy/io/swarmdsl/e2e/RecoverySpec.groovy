package io.swarmdsl.e2e

import groovy.json.JsonSlurper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/**
 * Faults on the article's cluster (real Consul 1.8.7, real classic Swarm 1.2.9, five lab nodes), and
 * the cluster healing by itself: nobody runs a command between the fault and the checks. A node's
 * reboot is its container's restart (the lab starts the node's engine at boot, as systemd would).
 */
@Stepwise
class RecoverySpec extends Specification {
    static final List<Integer> INDEXES = (0..4).toList()        // lab1 .. lab5
    @Shared Lab lab
    @Shared File dir
    @Shared File knownHosts
    @Shared List<String> nodes
    @Shared List<String> addresses

    def setupSpec() {
        lab = Lab.up(INDEXES.max() + 1)
        nodes = INDEXES.collect { lab.nodes[it] }
        addresses = INDEXES.collect { lab.addresses[it] }
        lab.reset(nodes)
        dir = File.createTempDir('recovery-spec')
        knownHosts = new File(dir, 'known_hosts')
        new File(dir, 'cluster.swarm').text = lab.script(INDEXES, """cluster 'e2erecovery'
consul encrypt true
consul version: '1.8.7'
engine registryMirror: '${lab.registry}'
consul recursors: ['127.0.0.11']
swarm replication
compose 'sleeper', on: 'agents', services: [sleeper: [image: 'busybox', container_name: 'sleeper', command: 'sleep 86400', restart: 'always']]
""")
        def result = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'cluster.swarm')
        assert result.code == 0, result.output.readLines().findAll { it =~ /FAILED|not run/ }.join('\n')
    }

    def cleanupSpec() {
        if (dir != null) {
            swarm('destroy', '--yes', '--known-hosts', knownHosts.path, 'cluster.swarm')
            dir.deleteDir()
        }
    }

    Map swarm(String... args) {
        SwarmProcess.run(dir, args)
    }

    /** Keys outside docker/ need the management token: ACLs deny the rest. */
    String managementToken() {
        new File(dir, '.swarm/e2erecovery/consul-acl-management.key').text.trim()
    }

    String consul(String node, String command) {
        lab.exec(node, "docker exec -e CONSUL_HTTP_TOKEN=${managementToken()} consul consul $command")
    }

    /** The classic manager's /info on master {@code i}, read from an agent node (lab4, which no spec here cuts off) with its certificates; empty when it does not answer. */
    Map manager(int i) {
        def body = lab.exec(nodes[3], "curl -sS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem "
                + "--key /etc/docker/server-key.pem https://${addresses[i]}:3376/info || true")
        body.startsWith('{') ? new JsonSlurper().parseText(body) as Map : [:]
    }

    String role(int i) {
        manager(i).SystemStatus?.find { it[0] == 'Role' }?.getAt(1)
    }

    /** Restarts the nodes' containers all at once, as a power cut and boot of every machine would. */
    void rebootAll() {
        def restarts = nodes.collect { node -> Thread.start { assert ['docker', 'restart', '-t', '2', node].execute().waitFor() == 0 } }
        restarts*.join()
    }

    def "with one Consul server stopped, the others keep reading and writing the store, and it loses no acknowledged write"() {
        when: 'writes go through the agents; one may meet the stopped server before its agent has moved on, and is tried again, as a client would'
        lab.exec(nodes[1], 'docker stop consul')
        def written = (1..10).collect { n ->
            Lab.within(10) { lab.exec(nodes[n % 2 == 0 ? 3 : 4], "docker exec -e CONSUL_HTTP_TOKEN=${managementToken()} consul consul kv put e2e/while-down/$n value-$n 2>&1 || true").contains('Success') }
        }

        then: 'every write was acknowledged within seconds, and reads through the other nodes see them'
        written.every()
        (1..10).every { n ->
            Lab.within(10) { lab.exec(nodes[n % 3 == 0 ? 0 : 2], "docker exec -e CONSUL_HTTP_TOKEN=${managementToken()} consul consul kv get e2e/while-down/$n 2>&1 || true").trim() == "value-$n" }
        }

        when:
        lab.exec(nodes[1], 'docker start consul')

        then: 'once back and caught up, the stopped server has every write'
        Lab.within(30) { (1..10).every { n -> lab.exec(nodes[1], "docker exec -e CONSUL_HTTP_TOKEN=${managementToken()} consul consul kv get -stale e2e/while-down/$n 2>&1 || true").trim() == "value-$n" } }
    }

    def "a node whose Consul does not run yet, as while it boots, resolves every name outside Consul"() {
        given: "the lab's upstream resolver, Consul's recursor here, knows the nodes' container names"
        def node = nodes[4]

        when:
        lab.exec(node, 'docker stop consul')

        then: "Consul's names wait for Consul; the others resolve through its recursor, at once"
        lab.exec(node, "getent hosts ${nodes[2]}.node.lab.swarm || echo unresolved").trim() == 'unresolved'
        lab.exec(node, "getent hosts ${nodes[2]} || echo unresolved").tokenize()[0] == addresses[2]

        when:
        lab.exec(node, 'docker start consul')

        then: 'once Consul runs, it answers its own names again'
        Lab.within(30) { lab.exec(node, "getent hosts ${nodes[2]}.node.lab.swarm || true").tokenize()[0] == addresses[2] }

        cleanup:
        lab.exec(node, 'docker start consul')
    }

    def "with the primary manager stopped, a replica is primary and runs containers"() {
        given:
        int primary = (0..2).find { role(it) == 'primary' }
        def others = (0..2) - primary

        when:
        lab.exec(nodes[primary], 'docker stop swarm-agent-master')

        then:
        Lab.within(30) { others.any { role(it) == 'primary' } }

        and: 'a container runs through each manager that remains'
        others.every { i ->
            lab.exec(nodes[3], "docker -H tcp://${addresses[i]}:3376 --tlsverify --tlscacert /etc/docker/ca.pem --tlscert /etc/docker/server.pem "
                    + "--tlskey /etc/docker/server-key.pem run --rm busybox echo through-${i}").contains("through-${i}")
        }

        cleanup:
        lab.exec(nodes[primary], 'docker start swarm-agent-master')
    }

    def "a node cut off from the others and joined again rejoins Consul and Swarm by itself"() {
        given: 'an agent node, as seen by a master: Consul member and Swarm engine'
        def cut = nodes[4]

        when:
        lab.cut(cut)

        then: 'the others notice: Consul marks it failed, the primary manager stops counting it healthy'
        Lab.within(60) { memberStatus(nodes[0], cut) == 'failed' }
        Lab.within(60) { healthyEngines() == 4 }

        when:
        lab.mend(cut)

        then: 'nobody runs a command, and it is back on both sides'
        Lab.within(90) { memberStatus(nodes[0], cut) == 'alive' && memberStatus(cut, nodes[0]) == 'alive' }
        Lab.within(60) { healthyEngines() == 5 }

        cleanup:
        lab.mend(cut)
    }

    /** Consul's status of {@code member} as the agent on {@code node} sees it. */
    String memberStatus(String node, String member) {
        consul(node, 'members').readLines().drop(1)*.tokenize().find { it[0] == member }?.getAt(2)
    }

    /** How many engines the primary classic manager lists Healthy; -1 when no manager is primary. */
    int healthyEngines() {
        def primary = (0..2).find { role(it) == 'primary' }
        primary == null ? -1 : manager(primary).SystemStatus.count { it[0].strip() == '└ Status' && it[1] == 'Healthy' }
    }

    def "every node rebooted at once: the cluster comes back by itself, with its data and containers"() {
        given:
        consul(nodes[3], 'kv put e2e/before-reboot still-here')
        assert Lab.within(60) { swarm('status', 'cluster.swarm').code == 0 }

        when:
        rebootAll()

        then: 'without a command from anyone, status reads a healthy cluster again'
        Lab.within(90) { swarm('status', 'cluster.swarm').code == 0 }

        and: 'Consul has a leader, every member alive and the value written before'
        consul(nodes[4], 'members').readLines().drop(1)*.tokenize().count { it[2] == 'alive' } == 5
        consul(nodes[0], 'operator raft list-peers').readLines().drop(1)*.tokenize().count { it[3] == 'leader' } == 1
        consul(nodes[2], 'kv get e2e/before-reboot').trim() == 'still-here'

        and: 'classic Swarm lists every engine Healthy, and the restart: always containers run again'
        Lab.within(30) { healthyEngines() == 5 }
        nodes[3..4].every { lab.exec(it, "docker inspect -f '{{.State.Running}}' sleeper").trim() == 'true' }

        and: 'a re-apply finds nothing to do'
        swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'cluster.swarm').output.contains('No changes. The cluster matches the script.')
    }
}
