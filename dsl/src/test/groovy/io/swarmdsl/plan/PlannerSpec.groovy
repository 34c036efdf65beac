package io.swarmdsl.plan

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.model.Phase
import io.swarmdsl.plan.Action
import io.swarmdsl.plan.Plan
import io.swarmdsl.plan.Shell
import io.swarmdsl.plan.Step
import io.swarmdsl.plan.StepKind
import io.swarmdsl.provider.Providers
import spock.lang.Specification

class PlannerSpec extends Specification {

    static Plan plan(String script) {
        Providers.plan(ScriptLoader.load('test.swarm', script))
    }

    static Map<String, Step> byId(Plan plan) {
        plan.steps().collectEntries { [(it.id().toString()): it] }
    }

    /** Every step a step waits for, directly or not. */
    static Set<String> ancestors(Plan plan, String id) {
        def steps = byId(plan)
        def seen = [] as Set
        def todo = [id]
        while (todo) {
            steps[todo.pop()].after()*.toString().each { if (seen.add(it)) todo << it }
        }
        seen
    }

    def "steps follow the phases in order and every edge points backwards"() {
        given:
        def p = plan(new File('../examples/doccur.swarm').text)
        def index = p.steps().withIndex().collectEntries { step, i -> [(step.id()): i] }

        expect:
        p.steps()*.phase() == p.steps()*.phase().sort(false)
        p.steps().every { step -> step.after().every { index[it] < index[step.id()] } }
        p.steps()*.id().toSet().size() == p.steps().size()
    }

    def "engines get their options before Consul starts on them, and nothing uses Consul before its servers have a leader"() {
        given:
        def p = plan('nodes 5; masters 3; consul encrypt true; swarm replication')
        def steps = byId(p)

        expect: 'a first apply starts Consul once, on engines that already run with their final options'
        (1..5).every { "engine.node${it}.ready".toString() in ancestors(p, "consul.node${it}.up") }
        and: 'masters restart their engines one at a time, and a master with a running Consul server waits for it'
        steps['engine.node2.restart'].after()*.toString().contains('engine.node1.ready')
        steps['engine.node3.restart'].after()*.toString().contains('engine.node2.ready')
        steps['engine.node4.restart'].after()*.toString() == ['engine.node4.daemon', 'pki.node4.certs']
        steps['engine.node1.restart'].summary().contains('if its Consul server ran, wait until it is back with a leader')
        and: 'the resolver and the Swarm come after the leader'
        p.steps().findAll { it.phase() in [Phase.DNS, Phase.SWARM] }.every { 'consul.node1.leader' in ancestors(p, it.id().toString()) }
        and: 'agents join Consul only after the leader'
        ['node4', 'node5'].every { 'consul.node1.leader' in ancestors(p, "consul.${it}.up") }
        and: 'the leader waits for every server'
        ancestors(p, 'consul.node1.leader').containsAll(['consul.node1.up', 'consul.node2.up', 'consul.node3.up'])
    }

    def "nodes are independent of each other outside the explicit barriers"() {
        given:
        def p = plan('nodes 3; masters 1; consul false; swarm false')

        expect:
        p.steps().findAll { it.node() == 'node2' }.every { step ->
            ancestors(p, step.id().toString()).every { it.contains('.node2.') || it.startsWith('pki.ca') || it.startsWith('pki.client') }
        }
    }

    def "swarm mode initialises on the first master, joins managers one at a time and workers at once"() {
        given:
        def steps = byId(plan('nodes 5; masters 3; swarm mode'))

        expect:
        steps['swarm.node1.init'].action().path() == '/swarm/init'
        steps['swarm.node2.join'].after()*.toString().contains('swarm.node1.init')
        steps['swarm.node3.join'].after()*.toString().contains('swarm.node2.join')
        steps['swarm.node4.join'].after()*.toString().contains('swarm.node1.init')
        steps['swarm.node5.join'].after()*.toString().contains('swarm.node1.init')
        steps['swarm.node4.join'].sensitive()
        steps['verify.node1.swarm'].action().path() == '/nodes'
    }

    def "classic Swarm runs managers on every master with replication, on the first one without"() {
        expect:
        byId(plan('nodes 4; masters 3; swarm replication'))['swarm.node2.up'].action().yaml().display().contains('swarm-agent-master')
        !byId(plan('nodes 4; masters 3; swarm classic'))['swarm.node2.up'].action().yaml().display().contains('swarm-agent-master')
        byId(plan('nodes 4; masters 3; swarm classic'))['swarm.node1.up'].action().yaml().display().contains('swarm-agent-master')
    }

    def "classic Swarm containers use Consul for DNS, and find their discovery at the node's own agent, by address"() {
        given:
        def yaml = byId(plan('provider("generic") { hosts { host "a", public: "192.0.2.1", private: "10.0.0.1" } }\nswarm replication'))['swarm.a.up']
                .action().yaml().display()

        expect:
        yaml.contains('dns:\n      - 10.0.0.1')
        yaml.contains('--replication')
        yaml.count('consul://10.0.0.1:8501') == 2     // HTTPS with the node's certificate (ConsulConfigSpec)
        and: 'the recovery settings: agents register every 5 s and expire after 15 s; managers re-read engines every 2 to 4 s,'
        and: 'and a replica takes over 6 s after the primary stops'
        yaml.contains("- --heartbeat\n      - 5s\n      - --ttl\n      - 15s")
        yaml.contains("- --replication\n      - --replication-ttl\n      - 6s")
        yaml.contains("- --engine-refresh-min-interval\n      - 2s\n      - --engine-refresh-max-interval\n      - 4s")
    }

    def "cluster-store is not in daemon.json: the restart passes it to engines older than Docker 20.10 only, read from the node"() {
        given:
        def steps = byId(plan('nodes 3; masters 1; consul true; swarm replication'))
        def restart = steps['engine.node2.restart'].action().command().display()

        expect:
        !steps['engine.node2.daemon'].action().files()[0].content().text().display().contains('cluster-store')
        restart.contains("then flags=' --cluster-store=consul://127.0.0.1:8500 --cluster-advertise=eth1:2376'; fi")
        restart.contains('"$(command -v dockerd)" "$flags" > /etc/systemd/system/docker.service.d/10-swarm.conf')
        steps['engine.node2.restart'].summary().contains('cluster-store in Consul if the engine is older than Docker 20.10')

        and: 'not with clusterStore false, nor in Swarm mode'
        ['nodes 3; masters 1; consul true; swarm replication; engine clusterStore: false', 'nodes 3; masters 1; consul true; swarm mode'].every {
            !byId(plan(it))['engine.node2.restart'].action().command().display().contains('cluster-store')
        }
    }

    def "an engine takes cluster-store when its dockerd is older than 20.10"() {
        given: 'a dockerd that prints its version as Docker\'s do'
        def bin = File.createTempDir('dockerd')
        if (version) {
            def dockerd = new File(bin, 'dockerd')
            dockerd.text = "#!/bin/sh\necho 'Docker version ${version}, build 0123abc'\n"
            dockerd.setExecutable(true)
        }

        expect:
        ['bash', '-c', "PATH=${bin}:/usr/bin:/bin; if ${Shell.ENGINE_TAKES_CLUSTER_STORE}; then echo takes; else echo refuses; fi"]
                .execute().text.trim() == answer

        cleanup:
        bin.deleteDir()

        where:
        version          || answer
        '1.12.6'         || 'takes'
        '17.06.2-ce'     || 'takes'
        '19.03.15'       || 'takes'
        '20.10.24+dfsg1' || 'refuses'
        '20.10.0'        || 'refuses'
        '23.0.6'         || 'refuses'
        '29.1.2'         || 'refuses'
        null             || 'refuses'
    }

    def "hooks sit where they are declared, on the nodes they name"() {
        given:
        def p = plan('''
            nodes 3; masters 1
            before 'engine', on: 'agents', { run 'echo before' }
            after 'consul', on: 'node2', { upload content: 'x', to: '/etc/x' }
        ''')
        def steps = byId(p)

        expect:
        !steps.containsKey('engine.node1.before-1')
        steps['engine.node2.before-1'].after()*.toString() == ['pki.node2.certs']
        steps['engine.node2.daemon'].after()*.toString() == ['engine.node2.before-1']
        steps['consul.node2.after-1'].action() instanceof Action.Upload
        steps['consul.node2.after-1'].after()*.toString() == ['consul.node2.back']
        steps['dns.node2.resolver'].after()*.toString().contains('consul.node2.after-1')
    }

    def "a node and its containers ask its Consul first, then Consul's recursors, which answer while Consul is down"() {
        given:
        def steps = byId(plan("""provider('generic') { hosts { host 'alpha', public: '10.0.0.5', private: '10.1.0.5' } }
masters 1
consul recursors: $recursors"""))
        def resolvConf = steps['dns.alpha.resolver'].action().files()[0].content().text().display()
        def daemon = new groovy.json.JsonSlurper().parseText(steps['engine.alpha.daemon'].action().files()[0].content().text().display())

        expect:
        resolvConf.readLines().findAll { it.startsWith('nameserver ') }*.substring(11) == nameservers
        daemon.dns == nameservers

        where:
        recursors                                  || nameservers
        "['1.1.1.1']"                              || ['10.1.0.5', '1.1.1.1']
        "['1.1.1.1', '9.9.9.9']"                   || ['10.1.0.5', '1.1.1.1', '9.9.9.9']
        "['1.1.1.1', '9.9.9.9', '8.8.8.8']"        || ['10.1.0.5', '1.1.1.1', '9.9.9.9']   // glibc reads three
    }

    def "engines keep their containers through a restart (live-restore), unless the script says otherwise or runs Swarm mode"() {
        given:
        def steps = byId(plan("""provider('generic') { hosts { host 'alpha', public: '10.0.0.5', private: '10.1.0.5' } }
masters 1
$swarm
$engine"""))
        def daemon = new groovy.json.JsonSlurper().parseText(steps['engine.alpha.daemon'].action().files()[0].content().text().display())

        expect:
        daemon['live-restore'] == liveRestore

        where:
        swarm              | engine                                        || liveRestore
        ''                 | ''                                            || true
        ''                 | "engine { option 'live-restore', false }"     || false
        'swarm mode'       | ''                                            || null   // Docker refuses Swarm mode with it
    }

    def "the leader wait asks every server over HTTPS, so one lost meanwhile does not hold it up"() {
        given:
        def wait = byId(plan("""provider('generic') { hosts { host 'a', public: '10.0.0.1'; host 'b', public: '10.0.0.2'; host 'c', public: '10.0.0.3' } }
masters 3"""))['consul.a.leader'].action()

        expect:
        wait.target().display() == (1..3).collect { "https://10.0.0.$it:8501/v1/status/leader" }.join(' ')
        wait.condition().probe().display().startsWith("curl -fsS -m 2 --cacert $NodePaths.CA --cert $NodePaths.CERT --key $NodePaths.KEY https://")
    }

    def "memory accounting reboots each node and waits for it"() {
        expect:
        byId(plan('nodes 1; memory accounting')).keySet().containsAll(
                ['prepare.node1.memory-accounting', 'prepare.node1.reboot', 'prepare.node1.rebooted'])
    }

    def "DigitalOcean droplets are created in one call per role, then each is awaited"() {
        given:
        def p = plan('provider "digitalocean", region: "sfo1"\nnodes 5, prefix: "do"')

        expect:
        p.steps().count { it.kind() == StepKind.PROVISION } == 3
        byId(p)['provision.droplets-masters'].action().parameters()['names'].display() == 'do1,do2,do3'
        byId(p)['provision.do4.active'].after()*.toString() == ['provision.droplets-agents']
        byId(p)['provision.droplets-agents'].action().parameters()['token'].display() == '(sensitive)'
    }

    def "addresses not known yet are references, known ones are literal"() {
        expect:
        byId(plan('nodes 1'))['provision.node1.ssh'].action().target().display() == 'root@(known after provision):22'
        byId(plan('provider("generic") { hosts { host "a", public: "192.0.2.1" } }'))['provision.a.ssh'].action().target().display() == 'root@192.0.2.1:22'
    }

    def "the summary counts steps by kind"() {
        expect:
        plan('nodes 1; consul false; engine false').summary() == 'Plan: 3 steps on 1 node: 2 ssh, 1 wait.'
    }

    def "a 1000-node cluster plans"() {
        expect:
        plan('nodes 1000; masters 5; consul encrypt true; swarm mode').steps().size() > 10000
    }
}
