package io.swarmdsl.plan

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.model.ClusterSpec
import io.swarmdsl.model.Phase
import io.swarmdsl.provider.Providers
import io.swarmdsl.render.TextRenderer
import spock.lang.Specification

/** A running cluster changed by its script so that nodes leave it, or masters become agents (issue 17). */
class RemovalStepsSpec extends Specification {
    static final String WEB = "compose 'web', on: 'agents', services: [web: [image: 'nginx']]"

    static ClusterSpec cluster(String script) {
        ScriptLoader.load('test.swarm', script)
    }

    /** The cluster of {@code now}, its last apply having been of {@code before}. */
    static Plan plan(String before, String now) {
        Providers.plan(cluster(now).withPrevious(cluster(before).nodes()))
    }

    static List<String> ids(Plan plan, String node) {
        plan.steps().findAll { it.node() == node }*.id()*.toString()
    }

    def "a cluster applied before with the same nodes plans exactly as a first apply"() {
        given:
        def script = 'nodes 5; masters 3; consul encrypt true; swarm replication'

        expect:
        new TextRenderer().render(plan(script, script)) == new TextRenderer().render(Providers.plan(cluster(script)))
    }

    def "a node the script no longer names leaves Consul, then is put back as it was, every composition of it taken down"() {
        when:
        def planned = plan("nodes 5; masters 3; swarm replication; $WEB", "nodes 4; masters 3; swarm replication; $WEB")

        then:
        planned.cluster().leaving()*.name() == ['node5']
        ids(planned, 'node5') == ['destroy.node5.consul-hold', 'destroy.node5.leave', 'destroy.node5.engine-up', 'destroy.node5.down-web',
                                  'destroy.node5.down-swarm', 'destroy.node5.down-consul', 'destroy.node5.originals', 'destroy.node5.engine',
                                  'destroy.node5.state']
        def leave = planned.steps().find { it.id().toString() == 'destroy.node5.leave' }
        leave.action() instanceof Action.ConsulLeave
        leave.action().servers() == ['node1', 'node2', 'node3']
        leave.sensitive()
    }

    def "servers leave first and one at a time, and every node that stays waits for the last before its engine changes"() {
        when: 'node1 (a master) and node5 (an agent) go; node2 .. node4 stay, node4 a master now'
        def planned = plan('nodes 5; masters 3; swarm replication',
                "provider('generic') { hosts { host 'node2', public: '10.0.0.2'; host 'node3', public: '10.0.0.3'; host 'node4', public: '10.0.0.4' } }; masters 3; swarm replication")
        def byId = PlannerSpec.byId(planned)

        then:
        planned.cluster().leaving()*.name() == ['node1', 'node5']
        byId['destroy.node5.leave'].after()*.toString().contains('destroy.node1.leave')
        !byId['destroy.node1.leave'].after()*.toString().any { it.contains('node5') }
        ['node2', 'node3', 'node4'].every { node ->
            def first = planned.steps().find { it.node() == node && it.phase() == Phase.ENGINE }
            first.after()*.toString().contains('destroy.node5.leave')
        }
    }

    def "in Swarm mode a manager that stays drains each leaving node (demoting a manager), one at a time, and removes it once it has left"() {
        when: 'of five managers, node3 and node5 go'
        def planned = plan('nodes 5; masters 5; consul false; swarm mode',
                "provider('generic') { hosts { host 'node1', public: '10.0.0.1'; host 'node2', public: '10.0.0.2'; host 'node4', public: '10.0.0.4' } }; masters 3; consul false; swarm mode")
        def byId = PlannerSpec.byId(planned)

        then: 'node1 drains node3 first, and removes it after its leave; node5 only after node3 is out'
        ids(planned, 'node1').findAll { it ==~ /destroy\.node1\.(drain|remove)-.*/ } == ['destroy.node1.drain-node3', 'destroy.node1.remove-node3', 'destroy.node1.drain-node5', 'destroy.node1.remove-node5']
        byId['destroy.node1.drain-node3'].action().command().display().contains("docker node demote 'node3'")
        byId['destroy.node1.remove-node3'].after()*.toString().contains('destroy.node3.swarm-leave')
        byId['destroy.node1.drain-node5'].after()*.toString().contains('destroy.node1.remove-node3')
        byId['destroy.node1.remove-node5'].after()*.toString().contains('destroy.node5.swarm-leave')
        and: 'the leaving node leaves the Swarm only once it is drained'
        ids(planned, 'node5').first() == 'destroy.node5.engine-up'
        byId['destroy.node5.engine-up'].after()*.toString().contains('destroy.node1.drain-node5')
    }

    def "in Swarm mode the first master changes roles in place, one at a time: #change"() {
        when:
        def planned = plan("nodes 5; masters $before; consul false; swarm mode", "nodes 5; masters $now; consul false; swarm mode")
        def byId = PlannerSpec.byId(planned)
        def roleChanges = ids(planned, 'node1').findAll { it ==~ /swarm\.node1\.(promote|demote)-.*/ }

        then: 'each change waits for the one before; the nodes changing role do not join again'
        roleChanges == changes
        roleChanges.withIndex().every { id, i -> byId[id].after()*.toString().containsAll([i == 0 ? 'swarm.node1.init' : "swarm.${roleChanges[i - 1].tokenize('-')[1]}.role".toString(),
                                                                                  "engine.${id.tokenize('-')[1]}.ready".toString()]) }
        changes.every { id -> byId["swarm.${id.tokenize('-')[1]}.role".toString()].after()*.toString().contains(id) }
        changes.every { id -> !ids(planned, id.tokenize('-')[1]).contains("swarm.${id.tokenize('-')[1]}.join".toString()) }
        changes.every { id -> byId[id].check().probe().contains("docker node inspect") }
        changes.every { id -> byId[id].action().command().display().contains("docker node ${id.contains('promote') ? 'promote' : 'demote'} '${id.tokenize('-')[1]}'") }

        where:
        change   | before | now || changes
        '3 → 5'  | 3      | 5   || ['swarm.node1.promote-node4', 'swarm.node1.promote-node5']
        '5 → 3'  | 5      | 3   || ['swarm.node1.demote-node4', 'swarm.node1.demote-node5']
        '3 → 3'  | 3      | 3   || []
    }

    def "a droplet that leaves goes with its machine: it leaves Consul and the Swarm, then its droplet is deleted, nothing put back"() {
        when:
        def cloud = 'provider "digitalocean", region: "sfo1"\n'
        def planned = plan(cloud + 'nodes 3, prefix: "do"; masters 1; swarm mode', cloud + 'nodes 2, prefix: "do"; masters 1; swarm mode')
        def byId = PlannerSpec.byId(planned)

        then:
        ids(planned, 'do3') == ['destroy.do3.consul-hold', 'destroy.do3.leave', 'destroy.do3.engine-up', 'destroy.do3.swarm-leave', 'destroy.do3.droplet']
        byId['destroy.do3.droplet'].action().call().operation() == 'delete-droplet'
        byId['destroy.do3.droplet'].after()*.toString() == ['destroy.do3.swarm-leave']
        ids(planned, 'do1').containsAll(['destroy.do1.drain-do3', 'destroy.do1.remove-do3'])
    }

    def "a master become an agent leaves raft between its new configuration and its Consul's restart as an agent"() {
        when:
        def planned = plan('nodes 5; masters 5; swarm replication', 'nodes 5; masters 3; swarm replication')
        def consul = ids(planned, 'node4').findAll { it.startsWith('consul.') }

        then:
        planned.cluster().demoted()*.name() == ['node4', 'node5']
        planned.cluster().leaving().isEmpty()
        consul == ['consul.node4.join', 'consul.node4.config', 'consul.node4.leave', 'consul.node4.up', 'consul.node4.restart', 'consul.node4.back']
        planned.steps().find { it.id().toString() == 'consul.node4.leave' }.action() instanceof Action.ConsulLeave
        !ids(planned, 'node1').any { it.contains('leave') }
    }

    def "the plan text names who leaves and who is a master no longer, removals first"() {
        when:
        def text = new TextRenderer().render(plan('nodes 5; masters 5', 'nodes 4; masters 3'))

        then:
        text.contains('  leaving   node5 (in the cluster, no longer in the script)')
        text.contains('  demoted   node4 (masters no longer: their Consul servers leave raft)')
        text.indexOf('== leaving: the nodes the script no longer names leave Consul') < text.indexOf('== provision')
    }

    def "a server's wait after its change asks for its vote in raft; an agent's for a leader only"() {
        when:
        def byId = PlannerSpec.byId(PlannerSpec.plan('nodes 4; masters 3'))

        then:
        byId['consul.node1.back'].action().condition().word() == 'consul-voter'
        byId['consul.node1.back'].action().condition().probe().display().contains('"Node":"node1"')
        byId['consul.node4.back'].action().condition().word() == 'consul-back'
    }
}
