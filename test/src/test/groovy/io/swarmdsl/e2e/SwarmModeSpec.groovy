package io.swarmdsl.e2e

import io.swarmdsl.Poll
import groovy.json.JsonSlurper
import io.swarmdsl.transport.docker.DockerEngines
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/**
 * A Swarm-mode cluster made by `swarm apply` on four lab nodes with real engines (three masters, one
 * worker): the Swarm forms, services and overlay networks work across nodes, the engines speak only
 * TLS with the cluster's certificates, a re-apply changes nothing, and `swarm destroy` leaves the
 * nodes as they were.
 */
@Stepwise
class SwarmModeSpec extends Specification {
    static final List<Integer> INDEXES = [5, 6, 7, 8]          // lab6 .. lab9
    @Shared Lab lab
    @Shared File dir
    @Shared File knownHosts
    @Shared List<String> nodes
    @Shared List<String> addresses
    @Shared Map<String, String> before = [:]

    def setupSpec() {
        lab = Lab.up(INDEXES.max() + 1)
        nodes = INDEXES.collect { lab.nodes[it] }
        addresses = INDEXES.collect { lab.addresses[it] }
        lab.reset(nodes)
        nodes.each { before[it] = nodeState(it) }
        dir = File.createTempDir('swarm-mode-spec')
        knownHosts = new File(dir, 'known_hosts')
        new File(dir, 'mode.swarm').text = lab.script(INDEXES, script())
    }

    String script() {
        """cluster 'e2emode'
consul false
engine { registryMirror '${lab.registry}' }
swarm mode
"""
    }

    def cleanupSpec() {
        dir?.deleteDir()
    }

    Map swarm(String... args) {
        SwarmProcess.run(dir, args)
    }

    Map apply() {
        swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'mode.swarm')
    }

    /** What a node looks like to someone who did not run swarm: files the plan changes, the engine's state. */
    String nodeState(String node) {
        lab.exec(node, '''cat /etc/hosts /etc/hostname /etc/resolv.conf; ls -a /etc/docker /var/lib/swarm 2>&1
docker info --format '{{.Swarm.LocalNodeState}} {{len .Labels}} {{.LoggingDriver}}'; docker ps -aq | wc -l; docker network ls -q | wc -l''')
    }

    def "apply forms a Swarm: every node Ready, the three masters are managers with one leader"() {
        when:
        def result = apply()

        then:
        result.code == 0
        result.output.contains('Apply complete')

        when:
        def engines = new DockerEngines(new File(dir, '.swarm/e2emode').toPath(), true)
        def swarmNodes = engines.client(addresses[0], 2376).listSwarmNodesCmd().exec()
        engines.close()

        then:
        swarmNodes*.description*.hostname.sort() == nodes.sort()
        swarmNodes.every { it.status.state.name() == 'READY' }
        swarmNodes.findAll { it.spec.role.name() == 'MANAGER' }*.description*.hostname.sort() == nodes.take(3).sort()
        swarmNodes.count { it.managerStatus?.leader } == 1

        and: 'the join tokens, secrets, are in neither the output nor the journal'
        !result.output.contains('SWMTKN')
        !new File(dir, 'mode.swarm.journal').text.contains('SWMTKN')
    }

    def "a service of two replicas runs on two different nodes"() {
        when:
        lab.exec(nodes[0], 'docker service create --detach --quiet --name e2e-web --replicas 2 --replicas-max-per-node 1 busybox sleep 3600')
        List<String> running = []
        Poll.until(90_000, 1000) {
            running = lab.exec(nodes[0], "docker service ps e2e-web --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'")
                    .readLines().findAll { it.contains('Running') }
            running.size() >= 2
        }

        then:
        running.size() == 2
        running.collect { it.tokenize()[0] }.unique().size() == 2
    }

    def "two containers on different nodes reach each other by name over the overlay network"() {
        when:
        lab.exec(nodes[1], 'docker run -d --name e2e-a --network e2emode busybox sleep 3600')
        def ping = lab.exec(nodes[3], 'docker run --rm --network e2emode busybox ping -c 2 -W 5 e2e-a && echo reached')

        then:
        ping.contains('2 packets received')
        ping.contains('reached')
    }

    def "applying again changes nothing"() {
        when:
        def result = apply()

        then:
        result.code == 0
        result.output.trim() == 'No changes. The cluster matches the script.'
    }

    def "swarm status shows every node healthy, its role and the leader, as text and JSON"() {
        when:
        def text = swarm('status', 'mode.swarm')
        def json = swarm('status', '--format', 'json', 'mode.swarm')
        def status = new JsonSlurper().parseText(json.output)

        then:
        text.code == 0
        text.output.contains('4 nodes, Swarm mode, leader ')
        text.output.contains('4 of 4 healthy')
        nodes.every { node -> text.output.readLines().any { it.trim().startsWith(node + ' ') && it.trim().endsWith(' ok') } }
        json.code == 0
        status.nodes*.name.sort() == nodes.sort()
        status.nodes.count { it.leader } == 1
        status.nodes.findAll { it.swarmRole == 'manager' }*.name.sort() == nodes.take(3).sort()
        status.nodes.every { it.engine ==~ /\d+\.\d+.*/ && it.problem == null }
    }

    def "swarm env points the docker client at a node's engine over TLS"() {
        when:
        def env = swarm('env', 'mode.swarm', nodes[0])
        def vars = env.output.readLines().findAll { it.startsWith('export ') }.collectEntries { line ->
            def (name, value) = line.substring(7).split('=', 2)
            [name, value.replaceAll(/^"|"$/, '')]
        }
        def docker = new ProcessBuilder('docker', 'info', '--format', '{{.Swarm.LocalNodeState}} {{.Name}}')
        docker.environment().putAll(vars)
        def process = docker.redirectErrorStream(true).start()
        def answer = process.inputStream.text

        then:
        env.code == 0
        vars.DOCKER_HOST == "tcp://${addresses[0]}:2376"
        vars.DOCKER_TLS_VERIFY == '1'
        vars.DOCKER_CERT_PATH == new File(dir, '.swarm/e2emode').canonicalPath
        env.output.contains('eval "$(swarm env mode.swarm ' + nodes[0] + ')"')
        process.waitFor() == 0
        answer.trim() == "active ${nodes[0]}"
    }

    def "the engines refuse a client without the cluster's client certificate"() {
        given:
        def certs = new File(dir, '.swarm/e2emode')

        expect: 'with the client certificate, the engine answers'
        curl('--cacert', "$certs/ca.pem", '--cert', "$certs/cert.pem", '--key', "$certs/key.pem",
                "https://${addresses[0]}:2376/version").code == 0

        and: 'without it, the TLS handshake is refused'
        curl('--cacert', "$certs/ca.pem", "https://${addresses[0]}:2376/version").code != 0

        and: 'plain HTTP gets nothing either'
        !curl("http://${addresses[0]}:2376/version").output.contains('ApiVersion')
    }

    Map curl(String... args) {
        def process = (['curl', '-sS', '--max-time', '10'] + args.toList()).execute()
        def output = process.text
        [code: process.waitFor(), output: output]
    }

    def "a manager down for a while: the raft quorum holds, its replica is rescheduled, and it comes back by itself"() {
        given: 'a manager that runs a replica of the service (else the third manager)'
        def runningOn = { -> lab.exec(nodes[0], "docker service ps e2e-web --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'")
                .readLines().findAll { it.contains('Running') }.collect { it.tokenize()[0] } }
        def state = { String node -> lab.exec(nodes[0], "docker node inspect -f '{{.Status.State}}' ${node}").trim() }
        String stopped = nodes[1..2].find { it in runningOn() } ?: nodes[2]
        String asked = nodes[1..2].find { it != stopped }

        when: 'the node goes down (its container stopped, as a machine powered off)'
        assert ['docker', 'stop', '-t', '2', stopped].execute().waitFor() == 0

        then: 'the two other managers keep a leader, see the node down and run both replicas elsewhere'
        Lab.within(60) { state(stopped) == 'down' }
        lab.exec(asked, "docker node ls --format '{{.Hostname}} {{.ManagerStatus}}'").readLines().any { it.endsWith(' Leader') }
        Lab.within(60) { def on = runningOn(); on.size() == 2 && !(stopped in on) }

        when: 'it boots again'
        assert ['docker', 'start', stopped].execute().waitFor() == 0

        then: 'it is Ready again without a command, and status reads a healthy cluster'
        Lab.within(90) { state(stopped) == 'ready' }
        Lab.within(60) { swarm('status', 'mode.swarm').code == 0 }
    }

    /**
     * Runs {@code run} while the Swarm is watched every 200 ms through the first master, a manager
     * throughout: a moment when it does not list the nodes with a leader (which needs raft's quorum) is missed.
     */
    Map swarmWatched(Closure<Map> run) {
        def engines = new DockerEngines(new File(dir, '.swarm/e2emode').toPath(), true)
        List<Long> missed = Collections.synchronizedList([])
        int ticks = 0
        boolean done = false
        def watch = Thread.start {
            while (!done) {
                boolean answered
                try {
                    answered = engines.client(addresses[0], 2376).listSwarmNodesCmd().exec().any { it.managerStatus?.leader }
                } catch (Exception e) {
                    answered = false
                }
                ticks++
                if (!answered) {
                    missed << System.currentTimeMillis()
                }
                Thread.sleep(200)
            }
        }
        try {
            def result = run()
            Thread.sleep(1000)
            result + [missed: missed, ticks: ticks]
        } finally {
            done = true
            watch.join()
            engines.close()
        }
    }

    /** Each node's role as the first manager sees it: hostname → manager or worker. */
    Map<String, String> roles() {
        lab.exec(nodes[0], "docker node ls --format '{{.Hostname}} {{.ManagerStatus}}'").readLines()*.tokenize()
                .collectEntries { [(it[0]): it.size() > 1 ? 'manager' : 'worker'] }
    }

    def "masters 3 → 1: --yes alone refuses; with --remove two managers become workers one at a time, a leader at every moment"() {
        given:
        new File(dir, 'mode.swarm').text = lab.script(INDEXES, script(), 1)

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'mode.swarm')
        def refused = apply()
        def result = swarmWatched { swarm('apply', '--yes', '--remove', '--known-hosts', knownHosts.path, 'mode.swarm') }

        then: 'the plan says who is demoted, by whom, in which order'
        assert refused.code == 1, refused.output
        assert result.code == 0, result.output
        assert planned.output.contains("Masters no longer: ${nodes[1]}, ${nodes[2]}. ${nodes[0]} makes each a worker again (docker node demote), one at a time"),
                planned.output
        planned.output.indexOf("swarm.${nodes[0]}.demote-${nodes[1]}") < planned.output.indexOf("swarm.${nodes[0]}.demote-${nodes[2]}")

        and: 'one manager, the others workers, and a leader at every moment'
        roles() == [(nodes[0]): 'manager'] + nodes.drop(1).collectEntries { [(it): 'worker'] }
        println "Swarm mode, masters 3 → 1: ${result.missed.size()} of ${result.ticks} moments without a leader"
        result.ticks > 3
        assert result.missed == [], result.missed

        and: 'nothing is left to do'
        apply().output.trim() == 'No changes. The cluster matches the script.'
    }

    def "masters 1 → 3: the two workers become managers in place, one at a time, a leader at every moment"() {
        given:
        new File(dir, 'mode.swarm').text = lab.script(INDEXES, script())

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'mode.swarm')
        def result = swarmWatched { apply() }

        then: 'the plan says who is promoted, by whom; they do not join again'
        assert result.code == 0, result.output
        assert planned.output.contains("Masters now, workers before: ${nodes[1]}, ${nodes[2]}. ${nodes[0]} makes each a Swarm manager (docker node promote)"),
                planned.output
        planned.output.indexOf("swarm.${nodes[0]}.promote-${nodes[1]}") < planned.output.indexOf("swarm.${nodes[0]}.promote-${nodes[2]}")
        !planned.output.contains("swarm.${nodes[1]}.join")

        and: 'three managers, all reachable, and a leader at every moment'
        roles() == nodes.take(3).collectEntries { [(it): 'manager'] } + [(nodes[3]): 'worker']
        nodes[1..2].every { lab.exec(nodes[0], "docker node inspect -f '{{.ManagerStatus.Reachability}}' ${it}").trim() == 'reachable' }
        println "Swarm mode, masters 1 → 3: ${result.missed.size()} of ${result.ticks} moments without a leader"
        result.ticks > 3
        assert result.missed == [], result.missed

        and: 'nothing is left to do'
        apply().output.trim() == 'No changes. The cluster matches the script.'
    }

    def "a worker the script no longer names is drained, leaves the Swarm, is removed from its node list, and is as before"() {
        given: 'the script without the worker'
        new File(dir, 'mode.swarm').text = lab.script(INDEXES.take(3), script())
        def runningOn = { -> lab.exec(nodes[0], "docker service ps e2e-web --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'")
                .readLines().findAll { it.contains('Running') }.collect { it.tokenize()[0] } }

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts.path, 'mode.swarm')
        def refused = apply()

        then: 'the plan says how it leaves, and --yes alone refuses it'
        assert planned.output.contains("Leaving the cluster: ${nodes[3]} (agent).") && planned.output.contains("First ${nodes[0]} drains it from the Swarm"),
                planned.output
        planned.output.contains("drain-${nodes[3]}")
        assert refused.code == 1, refused.output

        when:
        def result = swarm('apply', '--yes', '--remove', '--known-hosts', knownHosts.path, 'mode.swarm')

        then: 'the Swarm has the three managers alone, both replicas run on them, and the worker is as it was before the first apply'
        assert result.code == 0, result.output
        lab.exec(nodes[0], "docker node ls --format '{{.Hostname}}'").readLines().sort() == nodes.take(3).sort()
        Lab.within(60) { def on = runningOn(); on.size() == 2 && !(nodes[3] in on) }
        nodeState(nodes[3]) == before[nodes[3]]

        and: 'nothing is left to do'
        apply().output.trim() == 'No changes. The cluster matches the script.'
    }

    def "swarm destroy leaves the nodes as they were before the first apply"() {
        given: "the workloads this spec started are gone (they are the user's, not swarm's)"
        lab.exec(nodes[0], 'docker service rm e2e-web')
        lab.exec(nodes[1], 'docker rm -f e2e-a')

        when:
        def result = swarm('destroy', '--yes', '--known-hosts', knownHosts.path, 'mode.swarm')

        then:
        result.code == 0
        nodes.every { nodeState(it) == before[it] }
    }
}
