package io.swarmdsl.exec

import io.swarmdsl.plan.Fingerprint
import io.swarmdsl.plan.StepId
import spock.lang.Specification

class ConvergenceSpec extends Specification {
    static final def PLAN = ExecutorSpec.plan("after 'provision', { run 'one'; upload content: 'x', to: '/etc/x' }")

    static NodeFacts appliedEverything(String node, Map<String, String> fileHashes = ['/etc/x': Fingerprint.sha256('x')]) {
        def markers = PLAN.steps().findAll { it.node() == node && it.kind().word() != 'wait' }.collectEntries { step ->
            [(step.id()): new NodeFacts.Marker(Fingerprint.of(step), Convergence.writtenFiles(step).collect { fileHashes[it] })]
        }
        new NodeFacts(markers, fileHashes, [:])
    }

    def "a node that shows every step applied has nothing left to do"() {
        expect:
        Convergence.converge(PLAN, ['a', 'b', 'c'].collectEntries { [(it): appliedEverything(it)] }).steps().isEmpty()
    }

    def "a node without facts keeps all its steps, waits included"() {
        when:
        def left = Convergence.converge(PLAN, [a: appliedEverything('a'), b: appliedEverything('b')])

        then:
        left.steps()*.node().toSet() == ['c'] as Set
        left.steps()*.id()*.toString().contains('provision.c.ssh')
    }

    def "a file changed since it was written brings its step back, and the wait before it"() {
        given:
        def facts = ['a', 'b', 'c'].collectEntries { [(it): appliedEverything(it)] }
        facts.b = new NodeFacts(facts.b.applied(), ['/etc/x': 'someone else wrote this'], [:])

        when:
        def left = Convergence.converge(PLAN, facts)

        then:
        left.steps()*.id()*.toString() == ['provision.b.ssh', 'provision.b.after-2']
        left.steps()[1].after()*.toString() == ['provision.b.ssh']
    }

    def "a step whose command changed runs again"() {
        given:
        def changed = ExecutorSpec.plan("after 'provision', { run 'one, changed'; upload content: 'x', to: '/etc/x' }")
        def facts = ['a', 'b', 'c'].collectEntries { [(it): appliedEverything(it)] }

        expect:
        Convergence.converge(changed, facts).steps()*.id()*.toString().findAll { it.contains('after') } ==
                ['provision.a.after-1', 'provision.b.after-1', 'provision.c.after-1']
    }

    def "a step whose check holds on a node is left out without a marker"() {
        given:
        def facts = ['a', 'b', 'c'].collectEntries { [(it): appliedEverything(it)] }
        facts.a = new NodeFacts([:], facts.a.fileHashes(), [(StepId.parse('prepare.a.hostname')): 'yes'])

        expect:
        Convergence.converge(PLAN, facts).steps()*.id()*.toString() == ['provision.a.ssh', 'provision.a.originals', 'provision.a.after-1', 'provision.a.after-2']
    }

    def "where the kernel accounts memory, its change and the reboot are left out, and the reason names those nodes"() {
        given:
        def plan = ExecutorSpec.plan('memory accounting')
        def accounted = ['prepare.NODE.memory-accounting': 'yes', 'prepare.NODE.reboot': 'yes']
        def facts = [a: new NodeFacts([:], [:], accounted.collectEntries { id, out -> [(StepId.parse(id.replace('NODE', 'a'))): out] }),
                     b: new NodeFacts([:], [:], [:]),
                     c: new NodeFacts([:], [:], accounted.collectEntries { id, out -> [(StepId.parse(id.replace('NODE', 'c'))): out] })]

        when:
        def ids = Convergence.converge(plan, facts).steps()*.id()*.toString()

        then:
        ['a', 'c'].every { node -> !ids.any { it in ["prepare.${node}.memory-accounting", "prepare.${node}.reboot"]*.toString() } }
        ids.containsAll(['prepare.b.memory-accounting', 'prepare.b.reboot', 'prepare.b.rebooted'])
        Convergence.reasons(plan, facts) == ['the kernel already accounts memory and swap: no kernel change, no reboot': ['a', 'c']]
    }

    def "new certificates on a node restart its engine, which reads them only when it starts"() {
        given: 'a cluster with engines, applied everywhere, whose node b has other certificates now'
        def plan = ExecutorSpec.plan('engine true')
        def facts = ['a', 'b', 'c'].collectEntries { node ->
            def markers = plan.steps().findAll { it.node() == node && it.kind().word() != 'wait' }.collectEntries { step ->
                [(step.id()): new NodeFacts.Marker(Fingerprint.of(step), Convergence.writtenFiles(step).collect { 'h' })]
            }
            def files = plan.steps().findAll { it.node() == node }.collectMany { Convergence.writtenFiles(it) }.collectEntries { [(it): 'h'] }
            [(node): new NodeFacts(markers, files, [:])]
        }
        facts.b.fileHashes()['/etc/docker/server.pem'] = 'a certificate issued since'

        expect: 'the verify steps check the live cluster along with the change, whatever they found last time'
        Convergence.converge(plan, facts, [StepId.parse('pki.ca'), StepId.parse('pki.client')] as Set, [:]).steps()*.id()*.toString() ==
                ['provision.a.ssh', 'provision.b.ssh', 'provision.c.ssh', 'pki.b.certs', 'engine.a.ready', 'engine.b.restart',
                 'engine.b.ready', 'engine.c.ready', 'verify.a.engine', 'verify.b.engine', 'verify.c.engine']
    }

    def "markers read back as written"() {
        given:
        def marker = new NodeFacts.Marker('abc', ['h1', 'h2'])

        expect:
        NodeFacts.Marker.parse(marker.format()) == marker
        NodeFacts.Marker.parse('abc') == new NodeFacts.Marker('abc', [])
    }

    /** The article's cluster on three nodes, every step applied on every node and every container up. */
    static Map<String, NodeFacts> appliedCluster(plan) {
        plan.cluster().nodes()*.name().collectEntries { name ->
            def markers = plan.steps().findAll { it.node() == name && it.kind().word() != 'wait' }.collectEntries { step ->
                [(step.id()): new NodeFacts.Marker(Fingerprint.of(step), Convergence.writtenFiles(step).collect { 'h' })]
            }
            def hashes = plan.steps().findAll { it.node() == name }.collectMany { Convergence.writtenFiles(it) }.collectEntries { [(it): 'h'] }
            [(name): new NodeFacts(markers, hashes, [:], [consul: true, 'swarm-agent': true, 'swarm-agent-master': true])]
        }
    }

    static final def CLUSTER = io.swarmdsl.plan.PlannerSpec.plan("nodes 3; masters 1; consul encrypt true; swarm replication")
    static final def LOCAL = [StepId.parse('pki.ca'), StepId.parse('pki.client')] as Set

    def "a composition whose container is stopped or gone comes back, and only it"() {
        given:
        def facts = appliedCluster(CLUSTER)

        expect:
        Convergence.converge(CLUSTER, facts, LOCAL, [:]).steps().isEmpty()

        when:
        facts[node] = new NodeFacts(facts[node].applied(), facts[node].fileHashes(), [:], containers)

        then:
        Convergence.converge(CLUSTER, facts, LOCAL, [:]).steps()*.id()*.toString().findAll { it.endsWith('.up') } == rerun

        where:
        node    | containers                                        || rerun
        'node2' | [consul: false, 'swarm-agent': true]              || ['consul.node2.up']
        'node3' | [consul: true]                                    || ['swarm.node3.up']
        'node1' | [consul: true, 'swarm-agent': true]               || ['swarm.node1.up']
    }

    static final String RUNNING = "nodes 5; masters 3; consul encrypt true; swarm replication; engine { label 'zone=a' }"

    def "on a running cluster a changed engine option restarts the engines one node at a time, masters first"() {
        given:
        def facts = appliedCluster(io.swarmdsl.plan.PlannerSpec.plan(RUNNING))
        def changed = io.swarmdsl.plan.PlannerSpec.plan(RUNNING.replace('zone=a', 'zone=b'))

        when:
        def left = Convergence.converge(changed, facts, LOCAL, [:])
        def restarts = left.steps().findAll { it.id().toString() ==~ /engine\.node\d\.restart/ }

        then: 'each restart waits for the engine restarted before it to answer again'
        Convergence.rollingOrder(left, facts, null) == ['node1', 'node2', 'node3', 'node4', 'node5']
        restarts*.node() == ['node1', 'node2', 'node3', 'node4', 'node5']
        (1..4).every { i -> restarts[i].after().contains(StepId.parse("engine.node${i}.ready")) }
        !restarts[0].after().any { it.toString() ==~ /engine\.node[2-5]\..*/ }
        Convergence.joining(left, facts).isEmpty()
    }

    def "the Consul leader's engine restarts last of the masters, and where its containers stop with it, it hands raft over first"() {
        given:
        def facts = appliedCluster(io.swarmdsl.plan.PlannerSpec.plan(RUNNING))
        def changed = io.swarmdsl.plan.PlannerSpec.plan(RUNNING.replace('zone=a', 'zone=b'))

        when:
        def left = Convergence.converge(changed, facts, LOCAL, [:], 'node1')
        def after = { String node -> left.steps().find { it.id() == StepId.parse("engine.${node}.restart") }.after()*.toString()
                .findAll { it ==~ /engine\.node\d\.ready/ && !it.contains(node) } }

        then:
        Convergence.rollingOrder(left, facts, 'node1') == ['node2', 'node3', 'node1', 'node4', 'node5']
        after('node2') == []
        after('node3') == ['engine.node2.ready']
        after('node1') == ['engine.node3.ready']
        after('node4') == ['engine.node1.ready']
        after('node5') == ['engine.node4.ready']
        !left.steps().any { ConsulHandOvers.runs(it) }

        when: 'the engines keep no container through a restart (no live-restore)'
        def handingOver = Convergence.leaderHandsOverBeforeEngineRestart(left, facts, 'node1')
        def handOver = handingOver.steps().find { ConsulHandOvers.runs(it) }

        then: 'node1 hands over once node3, the master before it, answers again; its engine restarts after that'
        handOver.id() == StepId.parse('engine.node1.hand-over')
        handOver.after()*.toString().contains('engine.node3.ready')
        handingOver.steps().find { it.id() == StepId.parse('engine.node1.restart') }.after()*.toString().contains('engine.node1.hand-over')
        Convergence.leaderHandsOverBeforeEngineRestart(left, facts, null).is(left)
    }

    def "a new Consul image recreates the containers one node at a time, the leader last of the servers, which hands over first"() {
        given:
        def facts = appliedCluster(io.swarmdsl.plan.PlannerSpec.plan(RUNNING))
        def upgraded = io.swarmdsl.plan.PlannerSpec.plan(RUNNING + "; consul version: '1.22.7'")

        when:
        def left = Convergence.converge(upgraded, facts, LOCAL, [:], 'node2')
        def afterOthers = { String node -> left.steps().find { it.id() == StepId.parse("consul.${node}.up") }.after()*.toString()
                .findAll { it ==~ /consul\.node\d\.(back|restart)/ && !it.contains(node) } }

        then: 'each container is recreated once the one before is back with a leader'
        Convergence.consulRollingOrder(left, facts, 'node2') == ['node1', 'node3', 'node2', 'node4', 'node5']
        afterOthers('node1') == []
        afterOthers('node3') == ['consul.node1.back']
        afterOthers('node2') == ['consul.node3.back']
        afterOthers('node4') == ['consul.node2.back']
        afterOthers('node5') == ['consul.node4.back']
        Convergence.rollingOrder(left, facts, 'node2').isEmpty()

        and: 'the leader hands raft over to the servers already rolled once the one before it is back, and is recreated after that'
        def handOver = left.steps().find { it.id() == StepId.parse('consul.node2.hand-over') }
        handOver.action().servers() == ['node1', 'node3']
        handOver.after()*.toString().contains('consul.node3.back')
        left.steps().find { it.id() == StepId.parse('consul.node2.up') }.after()*.toString().contains('consul.node2.hand-over')
        left.steps()*.id().indexOf(handOver.id()) < left.steps()*.id().indexOf(StepId.parse('consul.node2.up'))
        left.steps().count { ConsulHandOvers.runs(it) } == 1
    }

    def "new certificates in the state directory go to every node; engines, Consul and Swarm restart one node at a time"() {
        given:
        def plan = io.swarmdsl.plan.PlannerSpec.plan(RUNNING)
        def facts = appliedCluster(plan)
        def outdated = (1..5).collect { StepId.parse("pki.node${it}.certs") } as Set

        when:
        def left = Convergence.converge(plan, facts, LOCAL, outdated, [:], 'node1')
        def ids = left.steps()*.id()*.toString()
        def after = { String step -> left.steps().find { it.id() == StepId.parse(step) }.after()*.toString() }

        then: 'the certificates, and each step that puts them to use; no composition, configuration or daemon.json'
        (1..5).every { n -> ['pki.NODE.certs', 'engine.NODE.restart', 'consul.NODE.restart', 'swarm.NODE.restart'].every { ids.contains(it.replace('NODE', "node$n")) } }
        !ids.any { it ==~ /.*\.(up|config|daemon)/ }

        and: 'engines and Consul roll, the leader last of the masters; the classic managers restart one after another'
        Convergence.rollingOrder(left, facts, 'node1') == ['node2', 'node3', 'node1', 'node4', 'node5']
        Convergence.consulRollingOrder(left, facts, 'node1') == ['node2', 'node3', 'node1', 'node4', 'node5']
        after('swarm.node2.restart').contains('swarm.node1.restart')
        after('swarm.node3.restart').contains('swarm.node2.restart')

        and: 'Consul reloads the certificates in place: the leader keeps leading, nothing hands over'
        !left.steps().any { ConsulHandOvers.runs(it) }
    }

    def "a first apply restarts the engines all at once: none of them serves yet"() {
        given:
        def plan = io.swarmdsl.plan.PlannerSpec.plan(RUNNING)

        when:
        def left = Convergence.converge(plan, [:], [] as Set, [:])

        then:
        Convergence.rollingOrder(left, [:], null).isEmpty()
        ['node4', 'node5'].every { node ->
            !left.steps().find { it.id() == StepId.parse("engine.${node}.restart") }.after().any { it.toString() ==~ /engine\.node[1-3]\..*/ }
        }
    }

    def "grown by two nodes, the plan brings them in and restarts nothing on the running ones"() {
        given:
        def facts = appliedCluster(io.swarmdsl.plan.PlannerSpec.plan(RUNNING.replace('nodes 5', 'nodes 3')))
        def grown = io.swarmdsl.plan.PlannerSpec.plan(RUNNING)

        when:
        def left = Convergence.converge(grown, facts, LOCAL, [:])

        then:
        Convergence.joining(left, facts) == ['node4', 'node5']
        Convergence.rollingOrder(left, facts, null).isEmpty()
        and: 'on the running nodes only checks, and the ACL step that makes the new agents their tokens'
        left.steps().findAll { it.node() in ['node1', 'node2', 'node3'] && it.phase().name() != 'VERIFY' && it.kind().word() != 'wait' }
                *.id()*.toString() == ['consul.node1.acl']
    }

    def "an engine that does not answer is started again, and the containers it runs come back after it"() {
        given:
        def facts = appliedCluster(CLUSTER)
        facts.node3 = new NodeFacts(facts.node3.applied(), facts.node3.fileHashes(), [:], [:], false)

        when:
        def left = Convergence.converge(CLUSTER, facts, LOCAL, ['node3': 'engine: connection refused'])

        then:
        left.steps()*.id()*.toString().findAll { it.contains('node3') && !it.startsWith('provision') } ==
                ['engine.node3.restart', 'engine.node3.ready', 'consul.node3.up', 'consul.node3.back', 'swarm.node3.up', 'verify.node3.consul']
        left.steps()*.id()*.toString().contains('verify.node1.swarm')
    }

    def "while the live cluster shows a problem the verify steps stay: it never reads as No changes"() {
        given: 'every step applied and every container up, but a node the Swarm sees unhealthy'
        def facts = appliedCluster(CLUSTER)

        when:
        def left = Convergence.converge(CLUSTER, facts, LOCAL, ['node2': 'the classic Swarm sees its engine Unhealthy'])

        then: 'the verify steps, with the waits before them, and nothing else'
        left.steps().findAll { it.kind().word() != 'wait' }*.id()*.toString() ==
                ['verify.node1.consul', 'verify.node2.consul', 'verify.node3.consul', 'verify.node1.swarm']

        expect: 'and a healthy one has nothing to do'
        Convergence.converge(CLUSTER, facts, LOCAL, [:]).steps().isEmpty()
    }
}
