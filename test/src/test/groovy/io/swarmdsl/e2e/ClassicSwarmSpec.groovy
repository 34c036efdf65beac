package io.swarmdsl.e2e

import groovy.json.JsonSlurper
import io.swarmdsl.transport.docker.DockerEngines
import org.yaml.snakeyaml.Yaml
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/**
 * The article's cluster (Consul with gossip encryption and TLS, classic Swarm with replicated
 * masters) applied on three lab nodes. Consul and classic Swarm images cannot be had here: the lab
 * registry serves stand-ins under their names, which only record how they were started. So this
 * spec checks what swarm controls: the engines run with the planned options (read back over TLS),
 * the Consul and Swarm containers exist exactly as planned, and the resolver points at Consul. It
 * does not claim Consul or classic Swarm ran; the classic verify step, which asks the Swarm manager,
 * fails here, and says so.
 */
@Stepwise
class ClassicSwarmSpec extends Specification {
    static final List<Integer> INDEXES = [9, 10, 11]            // lab10 .. lab12
    @Shared Lab lab
    @Shared File dir
    @Shared File knownHosts
    @Shared List<String> nodes
    @Shared List<String> addresses
    @Shared Map<String, String> before = [:]
    @Shared Map plan

    def setupSpec() {
        lab = Lab.up(INDEXES.max() + 1)
        nodes = INDEXES.collect { lab.nodes[it] }
        addresses = INDEXES.collect { lab.addresses[it] }
        lab.reset(nodes)
        nodes.each { before[it] = nodeState(it) }
        dir = File.createTempDir('classic-spec')
        knownHosts = new File(dir, 'known_hosts')
        def script = lab.script(INDEXES, """cluster 'e2eclassic'
consul encrypt true
engine {
  registryMirror '${lab.registry}'
  label 'zone=lab'
  clusterStore false   // Debian's engine has no discovery backends: it refuses cluster-store
}
swarm replication
""")
        new File(dir, 'classic.swarm').text = script
        new File(dir, 'rejected.swarm').text = script.replace("label 'zone=lab'", "label 'zone=lab'\n  option 'no-such-option', true")
        def planned = SwarmProcess.run(dir, 'plan', '--format', 'json', 'classic.swarm')
        assert planned.code == 0
        plan = new JsonSlurper().parseText(planned.output) as Map
    }

    def cleanupSpec() {
        dir?.deleteDir()
    }

    Map swarm(String... args) {
        SwarmProcess.run(dir, args)
    }

    String nodeState(String node) {
        lab.exec(node, '''cat /etc/hosts /etc/hostname /etc/resolv.conf; ls -a /etc/docker /etc/consul /etc/swarm /var/lib/swarm 2>&1
docker info --format '{{.Swarm.LocalNodeState}} {{len .Labels}} {{.LoggingDriver}}'; docker ps -aq | wc -l; docker volume ls -q | wc -l''')
    }

    Map step(String id) {
        plan.steps.find { it.id == id } as Map
    }

    def "apply sets up every node; only the classic Swarm check fails, as the lab has a stand-in Swarm"() {
        when:
        def result = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm')

        then:
        result.code == 1
        def failed = result.output.readLines().findAll { it.contains(' FAILED') }
        failed.size() == 1
        failed[0].contains("verify.${nodes[0]}.swarm")
        result.output.contains(', 1 failed, 0 not run')
        nodes.every { node -> lab.exec(node, 'ls /var/lib/swarm/e2eclassic/steps').contains("swarm.${node}.up") }

        and: 'the gossip key went to the nodes, and nowhere else'
        def key = new File(dir, '.swarm/e2eclassic/consul-encrypt.key').text.trim()
        lab.exec(nodes[0], 'cat /etc/consul/config.json').contains(key)
        !result.output.contains(key)
        !new File(dir, 'classic.swarm.journal').text.contains(key)
    }

    def "every engine runs with the planned options, read back through the Engine API over TLS"() {
        given:
        def engines = new DockerEngines(new File(dir, '.swarm/e2eclassic').toPath(), true)

        expect:
        nodes.eachWithIndex { node, i ->
            Map daemon = new JsonSlurper().parseText(step("engine.${node}.daemon").files[0].content as String) as Map
            assert lab.exec(node, 'cat /etc/docker/daemon.json') == step("engine.${node}.daemon").files[0].content
            def info = engines.client(addresses[i], 2376).infoCmd().exec()
            assert info.name == node
            assert info.labels.toList().containsAll(daemon.labels)
            assert info.loggingDriver == daemon['log-driver']
            assert info.registryConfig.mirrors*.replaceAll('/$', '') == daemon['registry-mirrors']*.replaceAll('/$', '')
            assert daemon.tlsverify && daemon.hosts.contains('tcp://0.0.0.0:2376')   // and this very call went over TLS
            lab.exec(node, 'docker rm -f e2e-defaults >/dev/null 2>&1; docker run -d --name e2e-defaults busybox sleep 600')
            def container = engines.client(addresses[i], 2376).inspectContainerCmd('e2e-defaults').exec()
            assert container.hostConfig.logConfig.config == daemon['log-opts']
            def resolver = lab.exec(node, 'docker exec e2e-defaults cat /etc/resolv.conf').readLines()
            assert daemon.dns.every { resolver.contains("nameserver $it".toString()) }
            assert resolver.contains("search ${daemon['dns-search'].join(' ')}".toString())
            lab.exec(node, 'docker rm -f e2e-defaults')
        }

        cleanup:
        engines?.close()
    }

    def "Consul and Swarm containers run exactly as planned: command, mounts, network, restart policy, DNS"() {
        given:
        def engines = new DockerEngines(new File(dir, '.swarm/e2eclassic').toPath(), true)

        expect:
        nodes.eachWithIndex { node, i ->
            def client = engines.client(addresses[i], 2376)
            for (String composition : ['consul', 'swarm']) {
                Map compose = new Yaml().load(step("${composition}.${node}.up").files[0].content as String) as Map
                compose.services.each { String name, Map service ->
                    def container = client.inspectContainerCmd(service.container_name as String).exec()
                    assert container.state.running
                    assert container.config.image == service.image
                    if (service.command) {
                        assert container.config.cmd.toList() == service.command
                    }
                    assert container.hostConfig.networkMode == (service.network_mode ?: "${composition}_default")
                    assert container.hostConfig.restartPolicy.name == service.restart
                    assert (container.hostConfig.dns?.toList() ?: []) == (service.dns ?: [])
                    assert (container.hostConfig.dnsSearch?.toList() ?: []) == (service.dns_search ?: [])
                    (service.volumes ?: []).each { String volume ->
                        def (source, target) = volume.tokenize(':')
                        assert container.mounts.any { it.destination.path == target && (it.source == source || it.name?.endsWith(source)) }
                    }
                    (service.environment ?: [:]).each { key, value -> assert container.config.env.contains("$key=$value") }
                    assert lab.exec(node, "docker exec ${service.container_name} cat /stand-in/record").contains('stand-in')
                }
            }
        }

        cleanup:
        engines?.close()
    }

    def "the node's resolver points at its Consul agent"() {
        expect:
        nodes.eachWithIndex { node, i ->
            assert lab.exec(node, 'cat /etc/resolv.conf').readLines().contains("nameserver ${addresses[i]}".toString())
        }
    }

    def "an engine option the engine rejects fails each node's restart with the engine's own message"() {
        when:
        def result = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'rejected.swarm')

        then:
        result.code == 1
        result.output.contains('no-such-option')
        nodes.every { node -> result.output.readLines().any { it.contains("engine.${node}.restart") && it.contains('FAILED') } }
        result.output.contains('not run (it comes after engine.')
    }

    def "swarm destroy leaves the nodes as they were before the first apply"() {
        when:
        def result = swarm('destroy', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm')

        then:
        result.code == 0
        nodes.every { nodeState(it) == before[it] }
    }
}
