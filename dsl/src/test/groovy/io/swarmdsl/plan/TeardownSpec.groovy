package io.swarmdsl.plan

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.model.Phase
import io.swarmdsl.model.SpecException
import io.swarmdsl.plan.Action
import io.swarmdsl.plan.Plan
import io.swarmdsl.plan.Teardown
import io.swarmdsl.provider.Providers
import io.swarmdsl.render.TextRenderer
import spock.lang.Specification
import spock.lang.Unroll

class TeardownSpec extends Specification {
    static final String WEB = "compose 'web', on: 'agents', services: [web: [image: 'nginx']]"

    static Plan teardown(String script) {
        Teardown.plan(ScriptLoader.load('test.swarm', script))
    }

    static List<String> names(Plan plan, String node) {
        plan.steps().findAll { it.node() == node }*.id()*.toString().collect { it - "destroy.${node}." }
    }

    @Unroll
    def "#what: node1 gets #master, node2 gets #agent"() {
        when:
        def plan = teardown(script)

        then:
        names(plan, 'node1') == master
        names(plan, 'node2') == agent

        where:
        what                  | script                                                  || master                                                          | agent
        'classic Swarm'       | 'nodes 2; masters 1; swarm replication'                 || ['engine-up', 'down-swarm', 'down-consul', 'originals', 'engine', 'state']   | ['engine-up', 'down-swarm', 'down-consul', 'originals', 'engine', 'state']
        'Swarm mode'          | 'nodes 2; masters 1; swarm mode'                        || ['engine-up', 'swarm-leave', 'down-consul', 'originals', 'engine', 'state']  | ['engine-up', 'swarm-leave', 'down-consul', 'originals', 'engine', 'state']
        'no Consul'           | 'nodes 2; masters 1; consul false; swarm mode'          || ['engine-up', 'swarm-leave', 'originals', 'engine', 'state']                 | ['engine-up', 'swarm-leave', 'originals', 'engine', 'state']
        'no Swarm'            | 'nodes 2; masters 1'                                    || ['engine-up', 'down-consul', 'originals', 'engine', 'state']                 | ['engine-up', 'down-consul', 'originals', 'engine', 'state']
        'engines left alone'  | 'nodes 2; masters 1; consul false; engine false'        || ['originals', 'state']                                          | ['originals', 'state']
        'a composition'       | "nodes 2; masters 1; swarm classic; $WEB"               || ['engine-up', 'down-swarm', 'down-consul', 'originals', 'engine', 'state']   | ['engine-up', 'down-web', 'down-swarm', 'down-consul', 'originals', 'engine', 'state']
    }

    def "every step is a command of the destroy phase; a node's steps run in order, nodes independently"() {
        when:
        def plan = teardown("nodes 3; masters 1; swarm mode; $WEB")

        then:
        plan.steps().every { it.phase() == Phase.DESTROY && it.action() instanceof Action.Ssh && it.node() != null }
        ['node1', 'node2', 'node3'].every { node ->
            def ids = plan.steps().findAll { it.node() == node }*.id()
            def steps = plan.steps().findAll { it.node() == node }
            steps[0].after().isEmpty() && (1..<steps.size()).every { steps[it].after() == [ids[it - 1]] }
        }
    }

    def "the commands are idempotent in shape: each acts only when there is something to undo"() {
        when:
        def commands = teardown("nodes 2; masters 1; cluster 'shop'; swarm mode; $WEB").steps()
                .collectEntries { [(it.id().toString()): it.action().command().display()] }

        then:
        commands['destroy.node1.swarm-leave'].contains("case \"\$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)\" in")
        commands['destroy.node1.swarm-leave'].contains('docker swarm leave --force')
        commands['destroy.node2.down-web'].startsWith('if [ -f /etc/swarm/compose/web/docker-compose.yml ]; then ')
        commands['destroy.node2.down-web'].contains('docker compose -p web -f /etc/swarm/compose/web/docker-compose.yml down -v')
        commands['destroy.node2.down-web'].contains('docker-compose -p web -f /etc/swarm/compose/web/docker-compose.yml down -v')
        commands['destroy.node2.down-web'].contains('docker volume ls -q --filter label=com.docker.compose.project=web | xargs -r docker volume rm')
        commands['destroy.node1.down-consul'].startsWith('if [ -f /etc/consul/docker-compose.yml ]; then')
        commands['destroy.node1.originals'].startsWith('o=/var/lib/swarm/shop/originals\nif [ -d "$o" ]; then')
        commands['destroy.node1.originals'].contains('hostname -F /etc/hostname')
        commands['destroy.node1.engine'].startsWith('if [ -d /var/lib/swarm/shop/originals ]; then')
        commands['destroy.node1.engine'].contains('systemctl daemon-reload && systemctl restart docker')
        commands['destroy.node1.engine'].contains('service docker restart')
        commands['destroy.node1.state'] == 'rm -rf /var/lib/swarm/shop && { rmdir /var/lib/swarm 2>/dev/null || true; }'
    }

    def "the teardown plan prints like any plan, under its own phase"() {
        when:
        def text = new TextRenderer().render(teardown('nodes 1; consul false; engine false'))

        then:
        text.contains('== destroy: leave the Swarm, take the compositions down')
        text.endsWith('Plan: 2 steps on 1 node: 2 ssh.\n')
    }

    def "hooks cannot name the destroy phase"() {
        when:
        ScriptLoader.load('test.swarm', "nodes 1; after 'destroy', { run 'true' }")

        then:
        def e = thrown(SpecException)
        e.message.contains("unknown phase 'destroy'")
    }

    def "the bring-up keeps, first on each node once it answers, the original of every file it changes there"() {
        given:
        def script = """nodes 2; masters 1; cluster 'shop'; $WEB
            after 'provision', on: 'node1', { upload content: 'y', to: '/etc/y.conf' }
            before 'prepare', on: 'node2', { upload content: 'x', to: '/etc/x.conf' }"""
        def plan = Providers.plan(ScriptLoader.load('test.swarm', script))
        def steps = PlannerSpec.byId(plan)

        expect: 'even a hook right after provision changes nothing before its original is kept'
        steps['provision.node1.originals'].after()*.toString() == ['provision.node1.ssh']
        steps['provision.node1.after-1'].after()*.toString() == ['provision.node1.originals']
        steps['prepare.node1.hostname'].after()*.toString() == ['provision.node1.after-1']
        steps['prepare.node2.before-1'].after()*.toString() == ['provision.node2.originals']
        kept(steps['provision.node1.originals']) == ['/etc/hostname', '/etc/hosts', '/etc/y.conf', '/etc/docker/ca.pem', '/etc/docker/server.pem',
                '/etc/docker/server-key.pem', '/etc/docker/daemon.json', '/etc/consul/join.json', '/etc/consul/config.json', '/etc/consul/docker-compose.yml',
                '/etc/resolv.conf', '/etc/systemd/system/docker.service.d/10-swarm.conf']
        kept(steps['provision.node2.originals']) == ['/etc/hostname', '/etc/hosts', '/etc/x.conf', '/etc/docker/ca.pem',
                '/etc/docker/server.pem', '/etc/docker/server-key.pem', '/etc/docker/daemon.json', '/etc/consul/join.json', '/etc/consul/config.json',
                '/etc/consul/docker-compose.yml', '/etc/resolv.conf', '/etc/swarm/compose/web/docker-compose.yml',
                '/etc/systemd/system/docker.service.d/10-swarm.conf']
        steps['provision.node1.originals'].action().command().display().startsWith('o=/var/lib/swarm/shop/originals\n')
    }

    def "with the engines left alone, their drop-in is not among the originals"() {
        expect:
        kept(PlannerSpec.byId(Providers.plan(ScriptLoader.load('t', 'nodes 1; consul false; engine false')))['provision.node1.originals']) ==
                ['/etc/hostname', '/etc/hosts']
    }

    def "a kept original is never replaced, and a missing file is recorded as missing"() {
        when:
        def command = Providers.plan(ScriptLoader.load('t', 'nodes 1')).steps().find { it.id().toString() == 'provision.node1.originals' }
                .action().command().display()

        then: 'keep() does nothing when a copy or an .absent record is there already'
        command.contains('[ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || {')
        command.contains('cp -a "$1" "$o$1"')
        command.contains(': > "$o$1.absent"')
    }

    /** The paths listed in an originals command, one a line, quoted. */
    static List<String> kept(step) {
        step.action().command().display().readLines().findAll { it ==~ /\s+'\/.*'( \\)?/ }.collect { it.trim().replaceAll(/^'|'( \\)?$/, '') }
    }
}
