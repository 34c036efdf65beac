package io.swarmdsl.e2e

import groovy.json.JsonSlurper
import io.swarmdsl.transport.consul.ConsulHttps
import io.swarmdsl.transport.consul.ConsulRaft
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions
import java.time.Instant
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/**
 * A running cluster changed by its script (issue 17, day two), with the real Consul 1.8.7 and
 * classic Swarm 1.2.9: every apply is watched from this machine every 200 ms (ClusterWatch), and
 * any moment without a Consul leader or without a classic manager that answers fails the spec.
 */
@Stepwise
class DayTwoSpec extends Specification {
    static final List<Integer> INDEXES = (9..13).toList()       // lab10 .. lab14; the cluster starts on the first three
    static final int REPLACEMENT = 14                            // lab15: the host that takes a deleted master's place
    @Shared Lab lab
    @Shared File dir
    @Shared File knownHosts
    @Shared List<String> nodes
    @Shared List<String> addresses
    /** The state of the node the shrink removes, before any apply: the teardown must bring it back. */
    @Shared String before

    def setupSpec() {
        lab = Lab.up(REPLACEMENT + 1)
        nodes = INDEXES.collect { lab.nodes[it] }
        addresses = INDEXES.collect { lab.addresses[it] }
        lab.reset(nodes + [lab.nodes[REPLACEMENT]])
        before = lab.state(nodes[4])
        dir = File.createTempDir('day-two-spec')
        knownHosts = new File(dir, 'known_hosts')
    }

    def cleanupSpec() {
        dir?.deleteDir()
    }

    /** The cluster's script on the first {@code count} nodes (or those at {@code indexes}), with an engine label, a Consul version, its masters. */
    File script(int count, String zone = 'a', String consulVersion = '1.8.7', int masters = 3, List<Integer> indexes = INDEXES.take(count)) {
        def file = new File(dir, 'daytwo.swarm')
        file.text = lab.script(indexes, """cluster 'daytwo'
consul encrypt true
consul version: '$consulVersion'
engine {
  registryMirror '${lab.registry}'
  label 'zone=$zone'
}
swarm replication
""", masters)
        file
    }

    Map swarm(String... args) {
        SwarmProcess.run(dir, args)
    }

    Map apply(List<String> more = []) {
        swarm(*(['apply', '--yes', '--known-hosts', knownHosts.path] + more + ['daytwo.swarm']))
    }

    /**
     * Applies with the cluster watched through {@code masters} (the servers and managers that serve
     * throughout); returns the apply's result and the moments the watch missed a leader or a manager.
     */
    Map watchedApply(List<String> masters = addresses.take(3), List<String> more = []) {
        watched(masters) { apply(more) }
    }

    /** {@code run} (a command of swarm) with the cluster watched through {@code masters}, as {@link #watchedApply}. */
    Map watched(List<String> masters, Closure<Map> run) {
        String leader = consulLeader(masters)
        def watch = new ClusterWatch(new File(dir, '.swarm/daytwo').toPath(), masters)
        try {
            Thread.sleep(1000)
            def result = run()
            Thread.sleep(1000)
            result + [missed: watch.missed(), ticks: watch.ticks(), leader: leader]
        } finally {
            watch.close()
        }
    }

    List<String> consulMembers(String state) {
        lab.exec(nodes[0], 'docker exec consul consul members -http-addr=https://127.0.0.1:8501 2>/dev/null || docker exec consul consul members')
                .readLines().drop(1).findAll { it.contains(" $state ") }.collect { it.tokenize()[0] }
    }

    List<Map> journal() {
        Lab.journal(new File(dir, 'daytwo.swarm.journal'))
    }

    def "the cluster comes up on three nodes"() {
        given:
        script(3)

        when:
        def result = apply()

        then:
        assert result.code == 0, result.output
        consulMembers('alive').sort() == nodes.take(3).sort()
    }

    def "grown to five nodes: the new ones join, the running ones keep serving and restart nothing"() {
        given:
        script(5)

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'daytwo.swarm')
        def result = watchedApply()

        then:
        assert result.code == 0, result.output
        result.ticks > 10
        assert result.missed == [], result.missed
        consulMembers('alive').sort() == nodes.sort()

        and: 'the plan said who joins, and planned nothing that restarts a running node'
        planned.output.contains("Joining the running cluster: ${nodes[3]}, ${nodes[4]}")
        !planned.output.contains('The live cluster differs')
        nodes.take(3).every { node -> !(planned.output =~ /\+ (engine|consul|swarm)\.$node\.(restart|up|daemon|config)/) }

        and: 'the classic managers see all five engines'
        managerNodes() == 5
    }

    def "a changed engine option restarts the engines one node at a time, each back before the next"() {
        given:
        script(5, 'b')

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'daytwo.swarm')
        int journalBefore = journal().size()
        def result = watchedApply()
        def restarts = journal().drop(journalBefore).findAll { it.step ==~ /engine\.lab\d+\.restart/ }

        then:
        assert result.code == 0, result.output
        result.ticks > 10

        and: 'the plan said so: masters first, then the agents, each keeping its containers (live-restore, set by the first apply)'
        def order = (planned.output =~ /a Swarm manager stays up: (.*?)\./)[0][1].split(' → ') as List
        order.take(3).sort() == nodes.take(3).sort()
        order.drop(3) == nodes.drop(3)
        planned.output.contains('their containers keep running (live-restore), so Consul keeps its leader')

        and: 'they ran in that order, and no two overlapped: each began after the one before had ended'
        def spans = order.collect { node ->
            [Instant.parse(restarts.find { it.step == "engine.${node}.restart" && it.event == 'start' }.at as String),
             Instant.parse(restarts.find { it.step == "engine.${node}.restart" && it.event == 'done' }.at as String)]
        }
        (1..<spans.size()).every { i -> spans[i][0].isAfter(spans[i - 1][1]) }

        and: 'a Swarm manager answered and Consul had a leader at every moment: no container restarted with its engine'
        println "the engine roll: ${result.missed.size()} of ${result.ticks} moments without a leader or a manager"
        assert result.missed == [], result.missed
        nodes.every { Instant.parse(lab.exec(it, "docker inspect -f '{{.State.StartedAt}}' consul").trim()).isBefore(spans[0][0]) }

        and: 'every engine runs with the new label, and the managers see all five'
        nodes.every { lab.exec(it, "docker info --format '{{json .Labels}}'").contains('zone=b') }
        managerNodes() == 5
    }

    def "a new Consul image is rolled out one node at a time, the leader last of the servers, handing raft over first"() {
        given: 'the same Consul 1.8.7 under a second tag: the lab has no other release to upgrade to'
        script(5, 'b', '1.8.7-relabel')

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'daytwo.swarm')
        int journalBefore = journal().size()
        def result = watchedApply()
        def consulSteps = journal().drop(journalBefore).findAll { it.step ==~ /consul\.lab\d+\.(up|back|hand-over)/ }

        then:
        assert result.code == 0, result.output
        result.ticks > 10

        and: 'the plan said so'
        def order = (planned.output =~ /so the servers keep their quorum: (.*?)\./)[0][1].split(' → ') as List
        order.take(3).sort() == nodes.take(3).sort()
        order.drop(3) == nodes.drop(3)
        planned.output.contains("The leader, ${order[2]}, goes last of the servers, and first hands raft's leadership to one already rolled")

        and: 'each container was recreated once the one before was back with a leader'
        def at = { String node, String step, String event ->
            Instant.parse(consulSteps.find { it.step == "consul.${node}.${step}" && it.event == event }.at as String)
        }
        (1..<order.size()).every { i -> at(order[i], 'up', 'start').isAfter(at(order[i - 1], 'back', 'done')) }
        nodes.every { lab.exec(it, "docker inspect -f '{{.Config.Image}}' consul").trim() == 'hashicorp/consul:1.8.7-relabel' }
        consulMembers('alive').sort() == nodes.sort()

        and: 'the leader handed raft to a server already rolled once the one before it was back, and was recreated after that'
        def handedOver = consulSteps.find { it.step == "consul.${order[2]}.hand-over" && it.event == 'done' }
        assert handedOver?.output ==~ /${order[2]} handed raft's leadership to (${order[0]}|${order[1]}) .*/, handedOver
        at(order[2], 'hand-over', 'start').isAfter(at(order[1], 'back', 'done'))
        at(order[2], 'up', 'start').isAfter(at(order[2], 'hand-over', 'done'))

        and: 'a leader and a manager at every moment: no election, though every server was recreated'
        println "the Consul roll: ${result.missed.size()} of ${result.ticks} moments without a leader or a manager"
        assert result.missed == [], result.missed
    }

    def "rotate certs: every node gets a new certificate, put to use one node at a time, a leader and a manager throughout"() {
        given:
        Map<String, String> before = nodes.collectEntries { [(it): heldCertificate(it)] }
        Map<String, String> consulStartedAt = nodes.collectEntries { [(it): lab.exec(it, "docker inspect -f '{{.State.StartedAt}}' consul").trim()] }

        when:
        def result = watched(addresses.take(3)) { swarm('rotate', 'certs', '--yes', '--known-hosts', knownHosts.path, 'daytwo.swarm') }

        then:
        assert result.code == 0, result.output
        result.ticks > 10
        result.output.contains('New certificates for daytwo')
        !result.output.contains('PRIVATE KEY')

        and: 'every node holds a new certificate, which its engine, its Consul and (on a master) its Swarm manager present'
        nodes.every { heldCertificate(it) != before[it] }
        nodes.every { node -> presentedCertificates(node).every { it == heldCertificate(node) } }

        and: 'the plan said how it rolls: engines keeping their containers, Consul reloading in place'
        result.output.contains('their containers keep running (live-restore)')
        result.output.contains('Consul reloads its new certificates in place, one node at a time: no restart, so the leader stays the leader')
        !result.output.contains('goes last of the servers: one election')

        and: 'no Consul container restarted'
        nodes.every { consulStartedAt[it] == lab.exec(it, "docker inspect -f '{{.State.StartedAt}}' consul").trim() }

        and: 'a leader and a manager at every moment'
        println "rotate certs: ${result.missed.size()} of ${result.ticks} moments without a leader or a manager"
        assert result.missed == [], result.missed

        and: 'nothing is left to do'
        apply().output.contains('No changes. The cluster matches the script.')
    }

    def "rotate certs --ca: a new CA, trusted beside the old one while every certificate is reissued, then alone; a leader and a manager throughout"() {
        given: 'the client certificate of the old CA, kept aside'
        def state = new File(dir, '.swarm/daytwo')
        def old = new File(dir, 'old-client')
        old.mkdirs()
        ['ca.pem', 'cert.pem', 'key.pem'].each { new File(old, it).bytes = new File(state, it).bytes }
        Map<String, String> before = nodes.collectEntries { [(it): heldCertificate(it)] }
        Map<String, String> consulStartedAt = nodes.collectEntries { [(it): lab.exec(it, "docker inspect -f '{{.State.StartedAt}}' consul").trim()] }

        when:
        def result = watched(addresses.take(3)) { swarm('rotate', 'certs', '--ca', '--yes', '--known-hosts', knownHosts.path, 'daytwo.swarm') }

        then:
        assert result.code == 0, result.output
        ['(1 of 3)', '(2 of 3)', '(3 of 3)'].every { result.output.contains(it) }
        !result.output.contains('PRIVATE KEY')

        and: 'the state directory holds one CA, a new one, and every node trusts it alone'
        def ca = new File(state, 'ca.pem').text
        ca.count('BEGIN CERTIFICATE') == 1
        ca != new File(old, 'ca.pem').text
        nodes.every { lab.exec(it, 'cat /etc/docker/ca.pem').trim() == ca.trim() }

        and: 'every node holds a new certificate of the new CA, which its engine, its Consul and (on a master) its Swarm manager present'
        nodes.every { heldCertificate(it) != before[it] }
        nodes.every { lab.exec(it, 'openssl verify -CAfile /etc/docker/ca.pem /etc/docker/server.pem').contains(': OK') }
        nodes.every { node -> presentedCertificates(node).every { it == heldCertificate(node) } }

        and: "the old CA's client certificate is refused by the engines and Consul"
        [2376, 8501].every { port -> tlsStatus(old, addresses[0], port, port == 2376 ? '/_ping' : '/v1/status/leader') == 'refused' }
        [2376, 8501].every { port -> tlsStatus(state, addresses[0], port, port == 2376 ? '/_ping' : '/v1/status/leader') == '200' }

        and: 'Consul reloaded each time, never restarted, and there were a leader and a manager at every moment'
        nodes.every { consulStartedAt[it] == lab.exec(it, "docker inspect -f '{{.State.StartedAt}}' consul").trim() }
        println "rotate certs --ca: ${result.missed.size()} of ${result.ticks} moments without a leader or a manager"
        assert result.missed == [], result.missed

        and: 'nothing is left to do'
        apply().output.contains('No changes. The cluster matches the script.')
    }

    /** What {@code address}:{@code port} answers {@code path} over TLS with the client certificate in {@code certificates}: the HTTP status, or refused. */
    String tlsStatus(File certificates, String address, int port, String path) {
        def curl = ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-m', '5', '--cacert', "$certificates/ca.pem", '--cert', "$certificates/cert.pem",
                    '--key', "$certificates/key.pem", '-k', "https://$address:$port$path"].execute()
        curl.waitFor()
        String status = curl.text.trim()
        status == '000' ? 'refused' : status
    }

    /** The SHA-256 fingerprint of the certificate in {@code node}'s /etc/docker/server.pem. */
    String heldCertificate(String node) {
        lab.exec(node, 'openssl x509 -in /etc/docker/server.pem -noout -fingerprint -sha256').trim()
    }

    /** The fingerprints of the certificates {@code node}'s engine, Consul and (on a master) classic manager present over TLS. */
    List<String> presentedCertificates(String node) {
        def ports = [2376, 8501] + (nodes.take(3).contains(node) ? [3376] : [])
        ports.collect { port ->
            lab.exec(node, "echo | openssl s_client -connect 127.0.0.1:$port -cert /etc/docker/server.pem -key /etc/docker/server-key.pem "
                    + "-CAfile /etc/docker/ca.pem 2>/dev/null | openssl x509 -noout -fingerprint -sha256").trim()
        }
    }

    def "a backup of Consul, then a restore, brings back a KV value changed since"() {
        given:
        kv('PUT', 'before the backup')
        def snapshot = new File(dir, 'daytwo.snap')

        when:
        def backup = swarm('backup', '--snapshot', snapshot.path, 'daytwo.swarm')

        then:
        assert backup.code == 0, backup.output
        backup.output.contains("Saved Consul's snapshot of daytwo")
        snapshot.length() > 1000
        Files.getPosixFilePermissions(snapshot.toPath()) == PosixFilePermissions.fromString('rw-------')
        !backup.output.contains(managementToken())

        when: 'the value changes, and the snapshot goes back'
        kv('PUT', 'after the backup')
        def refused = SwarmProcess.answering(dir, 'no\n', 'restore', '--snapshot', snapshot.path, 'daytwo.swarm')
        def restore = swarm('restore', '--yes', '--snapshot', snapshot.path, 'daytwo.swarm')

        then: 'answered no, nothing changes; with --yes, the value is the one the snapshot holds'
        refused.code == 1
        refused.output.contains('Restore cancelled. Nothing was changed.')
        assert restore.code == 0, restore.output
        Lab.within(30) { kv('GET') == 'before the backup' }

        when: 'a file that is no snapshot'
        new File(dir, 'not-a.snap').text = 'nodes 3\n'
        def wrong = swarm('restore', '--yes', '--snapshot', new File(dir, 'not-a.snap').path, 'daytwo.swarm')

        then:
        wrong.code == 1
        wrong.output.contains('is not a Consul snapshot')
        kv('GET') == 'before the backup'
    }

    def "the gossip key is rotated through the keyring with KV traffic going on, and survives restarts"() {
        given:
        def keyFile = new File(dir, '.swarm/daytwo/consul-encrypt.key')
        String oldKey = keyFile.text.trim()
        int writes = 0
        List<String> failedWrites = Collections.synchronizedList([])
        boolean writing = true
        def traffic = Thread.start {
            while (writing) {
                try {
                    kv('PUT', "write ${writes++}")
                } catch (Throwable e) {
                    failedWrites << e.message
                }
                Thread.sleep(100)
            }
        }

        when:
        def rotated = swarm('rotate', 'gossip', 'daytwo.swarm')
        writing = false
        traffic.join(5000)
        String newKey = keyFile.text.trim()
        def keyring = new groovy.json.JsonSlurper().parseText(new ConsulHttps(new File(dir, '.swarm/daytwo').toPath())
                .call(addresses[0], 8501, 'GET', '/v1/operator/keyring', managementToken(), null).body()) as List<Map>

        then: 'every member holds the new key alone, the old one is gone, and no write failed meanwhile'
        assert rotated.code == 0, rotated.output
        rotated.output.contains('Rotated the gossip key of daytwo')
        newKey != oldKey
        !rotated.output.contains(oldKey) && !rotated.output.contains(newKey)
        keyring.every { pool -> pool.Keys == [(newKey): pool.NumNodes] }
        keyring.find { !it.WAN }.NumNodes == 5
        writes > 3
        failedWrites == []
        consulMembers('alive').sort() == nodes.sort()

        when: 'a server and then an agent restart: Consul takes the key from its keyring, not the old one its configuration still names'
        [nodes[1], nodes[4]].each { node ->
            lab.exec(node, 'docker restart consul >/dev/null')
            assert Lab.within(60) { consulMembers('alive').sort() == nodes.sort() }
        }
        def after = new groovy.json.JsonSlurper().parseText(new ConsulHttps(new File(dir, '.swarm/daytwo').toPath())
                .call(addresses[0], 8501, 'GET', '/v1/operator/keyring', managementToken(), null).body()) as List<Map>

        then:
        after.every { pool -> pool.Keys == [(newKey): pool.NumNodes] }
        lab.exec(nodes[4], 'cat /etc/consul/config.json').contains(oldKey)
    }

    String managementToken() {
        new File(dir, '.swarm/daytwo/consul-acl-management.key').text.trim()
    }

    /** The test key under docker/, written or read through a server's HTTPS API with the management token. */
    String kv(String method, String value = null) {
        def answer = new ConsulHttps(new File(dir, '.swarm/daytwo').toPath()).call(addresses[0], 8501, method,
                '/v1/kv/docker/day-two-check' + (method == 'GET' ? '?raw' : ''), managementToken(), value)
        assert answer.status() == 200, answer.body()
        answer.body()
    }

    def "the watch itself sees a moment without a leader when two of the three servers stop: its silence above means something"() {
        given:
        def watch = new ClusterWatch(new File(dir, '.swarm/daytwo').toPath(), addresses.take(3))

        when:
        Thread.sleep(600)
        lab.exec(nodes[1], 'docker stop -t 1 consul >/dev/null')
        lab.exec(nodes[2], 'docker stop -t 1 consul >/dev/null')
        Thread.sleep(3000)
        lab.exec(nodes[1], 'docker start consul >/dev/null')
        lab.exec(nodes[2], 'docker start consul >/dev/null')
        def missed = watch.missed()
        watch.close()

        then:
        missed.any { !it.leader }
        Lab.within(60) { lab.exec(nodes[0], 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader || true').contains(':') }
    }

    /** Consul's raft servers as a server that stays sees them: name → voter. */
    Map<String, Boolean> raft(String address) {
        def answer = new ConsulHttps(new File(dir, '.swarm/daytwo').toPath()).call(address, 8501, 'GET', '/v1/operator/raft/configuration',
                managementToken(), null)
        assert answer.status() == 200, answer.body()
        (new JsonSlurper().parseText(answer.body()).Servers as List<Map>).collectEntries { [(it.Node): it.Voter] }
    }

    /** Consul's members as {@code node}'s agent sees them: name → [status, type]. */
    Map<String, List<String>> members(String node) {
        lab.exec(node, 'docker exec consul consul members').readLines().drop(1)*.tokenize().collectEntries { [(it[0]): [it[2], it[3]]] }
    }

    /** The node whose Consul server leads raft, as the first of {@code masters} that answers says (null when none does). */
    String consulLeader(List<String> masters) {
        for (String address : masters) {
            try {
                def answer = new ConsulHttps(new File(dir, '.swarm/daytwo').toPath()).call(address, 8501, 'GET', '/v1/status/leader',
                        managementToken(), null)
                def ip = (answer.body() =~ /"([\d.]+):\d+"/).with { it.find() ? it.group(1) : null }
                if (answer.status() == 200 && ip != null) {
                    return lab.nodes[lab.addresses.indexOf(ip)]
                }
            } catch (IOException ignored) {
                // not a server yet (a replacement before its apply): ask the next
            }
        }
        null
    }

    def "masters 3 → 5: two agents become Consul servers and classic managers one at a time, the quorum kept"() {
        given:
        script(5, 'b', '1.8.7-relabel', 5)

        Map<String, String> consulStartedAt = nodes.take(3).collectEntries { [(it): lab.exec(it, "docker inspect -f '{{.State.StartedAt}}' consul").trim()] }

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'daytwo.swarm')
        def result = watchedApply(addresses)

        then:
        assert result.code == 0, result.output
        assert planned.output.contains("Consul's voting servers change one at a time: 3 → 4 (${nodes[3]} becomes a server) → 5 (${nodes[4]} becomes a server)"), planned.output
        planned.output.contains('the quorum is kept at every step')

        and: 'five voters, every member alive, a classic manager on every node'
        Lab.within(60) { raft(addresses[0]).values().count { it } == 5 }
        members(nodes[0]).values().every { it[0] == 'alive' && it[1] == 'server' }
        nodes.every { lab.exec(it, "docker ps --format '{{.Names}}'").contains('swarm-agent-master') }

        and: 'the servers there before restarted nothing: only their join list changed, which Consul reads when it starts'
        nodes.take(3).every { consulStartedAt[it] == lab.exec(it, "docker inspect -f '{{.State.StartedAt}}' consul").trim() }

        and: 'a leader and a manager at every moment'
        println "masters 3 → 5: ${result.missed.size()} of ${result.ticks} moments without a leader or a manager"
        assert result.missed == [], result.missed
    }

    def "masters 5 → 3: --yes alone refuses; with --remove two servers leave raft one at a time, the leader handing over first"() {
        given: 'the leadership on one of the servers that become agents (raft told it to ask for votes, as a hand-over does)'
        script(5, 'b', '1.8.7-relabel', 3)
        new ConsulRaft(new File(dir, '.swarm/daytwo').toPath()).startElection(addresses[3])
        assert Lab.within(10) { consulLeader(addresses) == nodes[3] }

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'daytwo.swarm')
        def refused = apply()

        then:
        assert refused.code == 1, refused.output
        refused.output.contains("Refused: this plan takes ${nodes[3]} (as a master), ${nodes[4]} (as a master) out of the cluster")
        planned.output.contains("Masters no longer: ${nodes[3]}, ${nodes[4]}")
        planned.output.contains("Consul's voting servers change one at a time: 5 → 4 (${nodes[3]} becomes an agent) → 3 (${nodes[4]} becomes an agent)")
        raft(addresses[0]).size() == 5

        when:
        def result = watchedApply(addresses.take(3), ['--remove'])

        then:
        assert result.code == 0, result.output
        raft(addresses[0]) == nodes.take(3).collectEntries { [(it): true] }
        Lab.within(30) { members(nodes[0]).values().every { it[0] == 'alive' } }
        members(nodes[0]).findAll { it.value[1] == 'server' }.keySet() == nodes.take(3) as Set
        nodes.drop(3).every { !lab.exec(it, "docker ps --format '{{.Names}}'").contains('swarm-agent-master') }

        and: 'the leader, demoted, handed raft to a server that stays before it left'
        assert result.leader == nodes[3], result.leader
        def left = journal().reverse().find { it.step == "consul.${nodes[3]}.leave" && it.event == 'done' }
        assert left?.output ==~ /${nodes[3]} handed raft's leadership to (${nodes.take(3).join('|')}) .*/, left

        and: 'a leader and a manager at every moment'
        println "masters 5 → 3: ${result.missed.size()} of ${result.ticks} moments without a leader or a manager"
        assert result.missed == [], result.missed
    }

    def "shrink 5 → 4: the node the script no longer names leaves Consul, no failed member stays, and it is as before"() {
        given:
        script(4, 'b', '1.8.7-relabel')

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'daytwo.swarm')
        def result = watchedApply(addresses.take(3), ['--remove'])

        then:
        assert result.code == 0, result.output
        planned.output.contains("Leaving the cluster: ${nodes[4]} (agent)")
        planned.output.contains("destroy.${nodes[4]}.leave")
        result.missed == []

        and: 'the node left; every other member is alive; the node is as it was before the first apply'
        def seen = members(nodes[0])
        seen.findAll { it.value[0] == 'alive' }.keySet() == nodes.take(4) as Set
        seen[nodes[4]] == null || seen[nodes[4]][0] == 'left'
        !seen.values().any { it[0] == 'failed' }
        lab.state(nodes[4]) == before
        !new File(dir, '.swarm/daytwo/members.json').text.contains(nodes[4])
    }

    def "a master whose host was deleted is forced out of raft, and a new host takes its place"() {
        given: 'lab10 is gone for good; the script names lab15 in its place'
        lab.delete(nodes[0])
        def replacement = lab.nodes[REPLACEMENT]
        def serving = addresses[1..2] + [lab.addresses[REPLACEMENT]]
        script(4, 'b', '1.8.7-relabel', 3, [REPLACEMENT] + INDEXES[1..3])
        Lab.within(60) { members(nodes[1])[nodes[0]]?.getAt(0) == 'failed' }

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'daytwo.swarm')
        def result = watchedApply(serving, ['--remove'])

        then:
        assert result.code == 0, result.output
        planned.output.contains("Leaving the cluster: ${nodes[0]} (master)")
        planned.output.contains("${nodes[0]} does not answer over SSH: it is forced out of Consul")
        planned.output.contains("3 → 2 (${nodes[0]} leaves) → 3 (${replacement} joins)")

        and: 'raft holds the two servers that stayed and the new one, all voting; the deleted one is no failed member'
        Lab.within(60) { raft(addresses[1]) == [(replacement): true, (nodes[1]): true, (nodes[2]): true] }
        def seen = members(nodes[1])
        seen[nodes[0]] == null || seen[nodes[0]][0] == 'left'
        seen.findAll { it.value[0] == 'alive' }.keySet() == ([replacement] + nodes[1..3]) as Set
        lab.exec(replacement, "docker ps --format '{{.Names}}'").contains('swarm-agent-master')

        and: 'a leader and a manager at every moment of the apply (the election the deletion caused was over before it)'
        println "replace a master: ${result.missed.size()} of ${result.ticks} moments without a leader or a manager"
        assert result.missed == [], result.missed
    }

    /** How many engines the classic managers list (from the first master's /info, read on that node). */
    int managerNodes() {
        def info = new JsonSlurper().parseText(lab.exec(nodes[3], "curl -fsS --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem "
                + "--key /etc/docker/server-key.pem https://${addresses[0]}:3376/info")) as Map
        (info.SystemStatus.find { it[0].toString().contains('Nodes') }[1] as String).toInteger()
    }
}
