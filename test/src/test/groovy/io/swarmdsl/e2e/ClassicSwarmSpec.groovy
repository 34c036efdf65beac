package io.swarmdsl.e2e

import groovy.json.JsonSlurper
import io.swarmdsl.transport.consul.ConsulHttps
import io.swarmdsl.transport.docker.DockerEngines
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/**
 * The article's cluster (Consul with gossip encryption and TLS, classic Swarm with replicated
 * masters) applied on five lab nodes with the real programs: Consul 1.8.7 and classic Swarm 1.2.9
 * from the lab registry. What it checks is read from the running services themselves: Consul's
 * members, raft peers and DNS, the classic managers' /info, a container run through the manager.
 */
@Stepwise
class ClassicSwarmSpec extends Specification {
    static final List<Integer> INDEXES = (9..13).toList()       // lab10 .. lab14
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
        nodes.each { before[it] = lab.state(it) }
        dir = File.createTempDir('classic-spec')
        knownHosts = new File(dir, 'known_hosts')
        def script = lab.script(INDEXES, """cluster 'e2eclassic'
consul encrypt true
consul version: '1.8.7'
engine {
  registryMirror '${lab.registry}'
  label 'zone=lab'
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

    String consul(String node, String command) {
        lab.exec(node, "docker exec consul consul $command")
    }

    /** The docker client of a node talking to the classic manager on master {@code i}, with the node's certificates. */
    String client(int i) {
        "docker -H tcp://${addresses[i]}:3376 --tlsverify --tlscacert /etc/docker/ca.pem --tlscert /etc/docker/server.pem --tlskey /etc/docker/server-key.pem"
    }

    /** The classic manager's /info on master {@code i}, read from an agent node with its certificates. */
    Map manager(int i) {
        new JsonSlurper().parseText(lab.exec(nodes[4], "curl -fsS --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem "
                + "--key /etc/docker/server-key.pem https://${addresses[i]}:3376/info")) as Map
    }

    String role(int i) {
        manager(i).SystemStatus.find { it[0] == 'Role' }[1]
    }

    Map step(String id) {
        plan.steps.find { it.id == id } as Map
    }

    def "the article's cluster comes up and its verify passes"() {
        when:
        def result = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm')

        then:
        assert result.code == 0, result.output.readLines().findAll { it =~ /FAILED|not run|failed/ }.join('\n')
        result.output.readLines().any { it.contains("verify.${nodes[0]}.swarm") && it.contains(' ok ') }

        and: 'the gossip key and the ACL tokens went to the nodes, and nowhere else'
        def key = new File(dir, '.swarm/e2eclassic/consul-encrypt.key').text.trim()
        lab.exec(nodes[0], 'cat /etc/consul/config.json').contains(key)
        lab.exec(nodes[0], 'cat /etc/consul/config.json').contains(managementToken())
        def secrets = [key] + tokens()
        secrets.size() == 2 + 1 + nodes.size()     // gossip key; management, default and one agent token per node
        def saved = swarm('plan', 'classic.swarm', '-o', 'saved-plan.json')
        def sh = swarm('plan', '--format', 'sh', 'classic.swarm')
        saved.code == 0 && sh.code == 0
        def outputs = [result.output, new File(dir, 'classic.swarm.journal').text, new File(dir, 'saved-plan.json').text, sh.output,
                       swarm('status', 'classic.swarm').output]
        secrets.every { secret -> outputs.every { !it.contains(secret) } }
    }

    /** The tokens generated into the state directory: Consul's management token first. */
    List<String> tokens() {
        [managementToken()] + new File(dir, '.swarm/e2eclassic').listFiles().findAll { it.name.startsWith('consul-acl-') }
                .findAll { it.name != 'consul-acl-management.key' }*.text*.trim()
    }

    String managementToken() {
        new File(dir, '.swarm/e2eclassic/consul-acl-management.key').text.trim()
    }

    /** Consul's HTTPS API on master {@code i} with the tool's client certificate, and {@code token} (or none). */
    Map https(int i, String method, String path, String token, String body = null) {
        def answer = new ConsulHttps(new File(dir, '.swarm/e2eclassic').toPath()).call(addresses[i], 8501, method, path, token, body)
        [status: answer.status(), body: answer.body()]
    }

    def "Consul is locked: nothing without credentials, the default token's reads with a certificate, all with the management token"() {
        expect: 'from outside the nodes, plain HTTP finds no port open and HTTPS takes no connection without a client certificate'
        (0..4).every { i -> !Lab.connects(addresses[i], 8500) }
        (0..4).every { i -> Lab.connects(addresses[i], 8501) && !httpsWithoutCertificate(addresses[i]) }

        and: 'with a client certificate and no token: classic Swarm\'s keys, nothing else'
        https(3, 'GET', '/v1/kv/docker/swarm/nodes?keys', null).status == 200
        https(3, 'PUT', '/v1/kv/e2e/probe', null, 'x').status == 403
        https(3, 'PUT', '/v1/agent/service/register', null, '{"Name": "intruder"}').status == 403
        https(3, 'PUT', '/v1/catalog/deregister', null, "{\"Node\": \"${nodes[4]}\"}".toString()).status == 403
        https(3, 'GET', '/v1/acl/tokens', null).status == 403

        and: 'with the management token, all of it'
        https(3, 'PUT', '/v1/kv/e2e/probe', managementToken(), 'x').body == 'true'
        https(0, 'GET', '/v1/kv/e2e/probe?raw', managementToken()).body == 'x'

        and: 'the key just written is not readable without the token (Consul answers 403 or, filtering it out, 404)'
        https(3, 'GET', '/v1/kv/e2e/probe?raw', null).with { it.status in [403, 404] && it.body != 'x' }

        and: 'with the management token, the rest of it'
        https(3, 'PUT', '/v1/agent/service/register', managementToken(), '{"Name": "e2e-probe", "Port": 1}').status == 200
        https(3, 'PUT', '/v1/agent/service/deregister/e2e-probe', managementToken()).status == 200
        https(0, 'DELETE', '/v1/kv/e2e/probe', managementToken()).body == 'true'
        new JsonSlurper().parseText(https(0, 'GET', '/v1/acl/tokens', managementToken()).body).size() == 2 + 1 + nodes.size()

        and: 'status reads the security Consul runs with'
        swarm('status', 'classic.swarm').output.contains('Consul: ACLs on (default deny), TLS verifies incoming, outgoing, server names, '
                + 'HTTPS API with client certificates, gossip encrypted')
    }

    def "a lost management token stops the apply with a way out, and changes nothing"() {
        given:
        def file = new File(dir, '.swarm/e2eclassic/consul-acl-management.key')
        def kept = file.text

        when:
        file.delete()
        def result = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm')

        then:
        result.code != 0
        result.output.contains("has ACLs on, but the cluster's management token is not in")
        result.output.contains('uuidgen > FILE')
        !file.exists()
        lab.exec(nodes[0], 'cat /etc/consul/config.json').contains(kept.trim())

        cleanup:
        file.text = kept
        file.setReadable(false, false); file.setReadable(true, true)
        file.setWritable(false, false); file.setWritable(true, true)
    }

    /**
     * Whether an HTTPS request that trusts any server but shows no certificate of its own gets an
     * answer within 5 s. (With TLS 1.3 the server's refusal comes after the client's handshake, and
     * Java's client then waits for an answer that never comes; curl reports error 55 at once.)
     */
    static boolean httpsWithoutCertificate(String address) {
        def trustAll = [getAcceptedIssuers: { new java.security.cert.X509Certificate[0] }, checkClientTrusted: { a, b -> },
                        checkServerTrusted: { a, b -> }] as javax.net.ssl.X509TrustManager
        def ssl = javax.net.ssl.SSLContext.getInstance('TLS')
        ssl.init(null, [trustAll] as javax.net.ssl.TrustManager[], null)
        try {
            def http = java.net.http.HttpClient.newBuilder().sslContext(ssl).connectTimeout(java.time.Duration.ofSeconds(3)).build()
            http.send(java.net.http.HttpRequest.newBuilder(URI.create("https://${address}:8501/v1/kv/docker/?keys"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
            return true
        } catch (IOException e) {
            return false
        }
    }

    def "Consul lists the five nodes alive, three of them voting servers with one leader"() {
        when:
        def members = consul(nodes[3], 'members').readLines().drop(1)*.tokenize()
        def peers = consul(nodes[0], 'operator raft list-peers').readLines().drop(1)*.tokenize()

        then:
        members.collect { it[0] }.sort() == nodes.sort()
        members.every { it[2] == 'alive' }
        members.count { it[3] == 'server' } == 3
        peers.size() == 3
        peers.every { it[4] == 'true' }
        peers.count { it[3] == 'leader' } == 1
    }

    def "gossip is encrypted and a plain RPC connection is refused"() {
        expect:
        consul(nodes[4], 'info').readLines()*.strip().contains('encrypted = true')

        when: 'a byte of plain (not TLS) RPC goes to a server'
        lab.exec(nodes[3], "docker exec consul sh -c 'printf \"\\001\" | nc -w 2 ${addresses[0]} 8300' || true")

        then:
        lab.exec(nodes[0], 'docker logs consul 2>&1').contains('Non-TLS connection attempted with VerifyIncoming set')
    }

    def "an agent node's certificate makes no server: the servers will not replicate to it"() {
        given: "node4's agent is stopped, and a Consul server starts there with node4's own configuration, join list and certificate"
        String image = lab.exec(nodes[3], "docker inspect consul --format '{{.Config.Image}}'").trim()
        lab.exec(nodes[3], "docker stop consul >/dev/null && sed 's/\"server\": false/\"server\": true/' /etc/consul/config.json > /tmp/rogue.json "
                + "&& docker run -d --name rogue --network host -e CONSUL_DISABLE_PERM_MGMT=true -v /tmp/rogue.json:/consul/config/swarm.json:ro "
                + "-v /etc/consul/join.json:/consul/config/join.json:ro -v /etc/docker:/etc/docker:ro $image agent >/dev/null")

        expect: 'the leader reaches it, finds no server name on its certificate, and it never becomes a voter'
        Lab.within(40) { nodes[0..2].any { lab.exec(it, 'docker logs consul 2>&1').contains('not server.dc1.lab.swarm') } }
        !consul(nodes[0], 'operator raft list-peers').readLines().drop(1)*.tokenize().any { it[0] == nodes[3] && it[4] == 'true' }

        cleanup: 'the agent back, and what the rogue server left in raft and in the catalog removed'
        lab.exec(nodes[3], 'docker rm -fv rogue >/dev/null 2>&1; rm -f /tmp/rogue.json; docker start consul >/dev/null')
        lab.exec(nodes[0], "docker exec consul consul operator raft remove-peer -address=${addresses[3]}:8300 >/dev/null 2>&1 || true")
        assert Lab.within(60) {
            def members = consul(nodes[0], 'members').readLines().drop(1)*.tokenize()
            members.find { it[0] == nodes[3] }?.getAt(2) == 'alive' && members.find { it[0] == nodes[3] }?.getAt(3) == 'client'
                    && consul(nodes[0], 'operator raft list-peers').readLines().drop(1).size() == 3
        }
        assert https(0, 'PUT', '/v1/catalog/deregister', managementToken(), "{\"Node\": \"${nodes[3]}\", \"ServiceID\": \"consul\"}".toString()).status == 200
        assert Lab.within(60) {
            def passing = new JsonSlurper().parseText(lab.exec(nodes[0], "curl -fsS 'http://127.0.0.1:8500/v1/health/service/consul?passing'")) as List
            passing*.Node*.Node.sort() == nodes[0..2].sort()
        }
    }

    def "each node's resolver answers A and SRV records of consul.service through Consul"() {
        expect:
        nodes.each { node ->
            def a = lab.exec(node, 'getent ahostsv4 consul.service.lab.swarm | cut -d" " -f1 | sort -u').readLines()
            assert a.sort() == addresses[0..2].sort()
            def srv = lab.exec(node, 'docker run --rm --network host busybox nslookup -type=SRV consul.service.lab.swarm')
            assert nodes[0..2].every { srv.contains("8300 ${it}.node.dc1.lab.swarm") }
        }
    }

    def "classic Swarm lists five healthy engines, with one primary and two replicas"() {
        when:
        def roles = (0..2).collect { role(it) }
        def primary = manager(roles.indexOf('primary'))

        then:
        roles.sort() == ['primary', 'replica', 'replica']
        primary.SystemStatus.findAll { it[0].strip() == '└ Status' }*.get(1) == ['Healthy'] * 5
    }

    def "a container runs through the manager"() {
        expect:
        lab.exec(nodes[3], "${client(0)} run --rm busybox echo through-the-manager").contains('through-the-manager')
    }

    def "a replica takes over when the primary stops"() {
        given:
        int primary = (0..2).find { role(it) == 'primary' }
        def others = (0..2) - primary

        when:
        lab.exec(nodes[primary], 'docker stop swarm-agent-master')
        def deadline = System.currentTimeMillis() + 60_000
        while (!others.any { role(it) == 'primary' } && System.currentTimeMillis() < deadline) {
            sleep 1000
        }

        then:
        others.count { role(it) == 'primary' } == 1

        and: 'status names the node whose manager stopped'
        def status = swarm('status', 'classic.swarm')
        status.code == 1
        !status.output.readLines().find { it.strip().startsWith(nodes[primary] + ' ') }.endsWith(' ok')

        cleanup:
        lab.exec(nodes[primary], 'docker start swarm-agent-master')
    }

    def "status reads the live services: a stopped Consul agent is reported, and a re-apply brings it back"() {
        when:
        lab.exec(nodes[3], 'docker stop consul')
        def status = swarm('status', 'classic.swarm')

        then:
        status.code == 1
        status.output.readLines().any { it.contains(nodes[3]) && it.contains('container consul exited') }

        when:
        def repair = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm')

        then:
        repair.code == 0
        repair.output.readLines().any { it.contains("consul.${nodes[3]}.up") && it.contains(' ok ') }
        repair.output.readLines().any { it.contains("verify.${nodes[3]}.consul") && it.contains(' ok ') }
        swarm('status', 'classic.swarm').code == 0
    }

    def "a member that leaves comes back by itself: restart always, then retry_join"() {
        when:
        lab.exec(nodes[4], "docker exec -e CONSUL_HTTP_TOKEN=${managementToken()} consul consul leave")   // an agent's leave needs agent:write
        def deadline = System.currentTimeMillis() + 60_000
        while (swarm('status', 'classic.swarm').code != 0 && System.currentTimeMillis() < deadline) {
            sleep 1000
        }

        then:
        swarm('status', 'classic.swarm').code == 0
        consul(nodes[0], 'members').readLines().drop(1)*.tokenize().every { it[2] == 'alive' }
    }

    def "an engine that stops is reported, and a re-apply starts it again with its containers, not No changes"() {
        when:
        lab.exec(nodes[4], 'service docker stop')
        def status = swarm('status', 'classic.swarm')

        then:
        status.code == 1
        status.output.readLines().any { it.strip().startsWith(nodes[4] + ' ') && it.contains('engine: ') }

        when: 'CI asks what an apply would do, as terraform plan -detailed-exitcode'
        def drift = swarm('plan', '--refresh', '--detailed-exitcode', '--known-hosts', knownHosts.path, 'classic.swarm')

        then: 'changes are present: the engine comes back; the healthy nodes are left out'
        drift.code == 2
        drift.output.contains("The live cluster differs from the script:\n  ${nodes[4]}: engine: ")
        drift.output.contains("+ engine.${nodes[4]}.restart ")
        !(drift.output =~ /\+ engine\.lab\d+\.restart/).findAll().any { !it.contains(nodes[4]) }

        when:
        def repair = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm')
        def lines = repair.output.readLines()

        then: 'the live problem is said first, then the engine and what runs on it come back, and the verify steps check them'
        repair.code == 0
        repair.output.contains("The live cluster differs from the script:\n  ${nodes[4]}: engine: ")
        ["engine.${nodes[4]}.restart", "consul.${nodes[4]}.up", "swarm.${nodes[4]}.up", "verify.${nodes[4]}.consul", "verify.${nodes[0]}.swarm"]
                .every { id -> lines.any { it.contains(" ${id} ") && it.contains(' ok ') } }
        !lines.any { it =~ /engine\.lab\d+\.restart/ && !it.contains(nodes[4]) }
        swarm('status', 'classic.swarm').code == 0
        swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm').output.contains('No changes. The cluster matches the script.')

        when:
        def settled = swarm('plan', '--refresh', '--detailed-exitcode', '--known-hosts', knownHosts.path, 'classic.swarm')

        then:
        settled.code == 0
        settled.output.contains('No changes. The cluster matches the script.')
        !settled.output.contains('+ ')
    }

    def "a changed Consul option reaches the running agents"() {
        given:
        new File(dir, 'recursors.swarm').text = new File(dir, 'classic.swarm').text + "consul recursors: ['9.9.9.9']\n"
        def containers = nodes.collect { lab.exec(it, "docker inspect -f '{{.Id}}' consul").trim() }

        when:
        def result = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'recursors.swarm')

        then:
        result.code == 0
        nodes.every { node ->
            new JsonSlurper().parseText(lab.exec(node, 'curl -fsS http://127.0.0.1:8500/v1/agent/self')).DebugConfig.DNSRecursors == ['9.9.9.9']
        }

        and: 'Consul restarted node by node in the order the apply said (the servers first, the leader last of them), not at once'
        def order = (result.output =~ /so the servers keep their quorum: (.*?)\./)[0][1].split(' → ') as List
        order.take(3).sort() == nodes.take(3).sort()
        def restarted = order.collect { node -> result.output.readLines().findIndexOf { it.contains(" consul.${node}.restart ") && it.contains(' ok ') } }
        restarted.every { it >= 0 } && restarted == restarted.sort(false)
        result.output.contains("after consul.${order[0]}.back")
        nodes.collect { lab.exec(it, "docker inspect -f '{{.Id}}' consul").trim() } == containers
        swarm('status', 'recursors.swarm').code == 0

        and: "the engines' DNS falls back to the new recursor too"
        nodes.every { lab.exec(it, 'cat /etc/docker/daemon.json').contains('"9.9.9.9"') }

        cleanup: 'the cluster as the script has it, for the features after this one'
        assert swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm').code == 0
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

    def "the node's resolver points at its Consul agent"() {
        expect:
        nodes.eachWithIndex { node, i ->
            assert lab.exec(node, 'cat /etc/resolv.conf').readLines().contains("nameserver ${addresses[i]}".toString())
        }
    }

    def "new engine options on a running cluster restart the engines one node at a time, and Consul stays whole"() {
        given:
        new File(dir, 'relabelled.swarm').text = new File(dir, 'classic.swarm').text.replace("label 'zone=lab'", "label 'zone=lab-b'")

        when:
        def result = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'relabelled.swarm')
        def lines = result.output.readLines()

        then: 'every engine restarted, one node at a time in the order the apply said, and the verify steps passed'
        assert result.code == 0, lines.findAll { it =~ /FAILED|not run/ }.join('\n')
        def order = (result.output =~ /a Swarm manager stays up: (.*?)\./)[0][1].split(' → ') as List
        order.take(3).sort() == nodes.take(3).sort()
        def restarted = order.collect { node -> lines.findIndexOf { it.contains(" engine.${node}.restart ") && it.contains(' ok ') } }
        restarted.every { it >= 0 }
        restarted == restarted.sort(false)
        lines.any { it.contains(" verify.${nodes[0]}.swarm ") && it.contains(' ok ') }

        and: 'no agent was cut off: five members alive, three voters'
        consul(nodes[3], 'members').readLines().drop(1)*.tokenize().count { it[2] == 'alive' } == 5
        consul(nodes[0], 'operator raft list-peers').readLines().drop(1)*.tokenize().count { it[4] == 'true' } == 3
    }

    def "an engine option the engine rejects fails the first restart with the engine's own message, and no other runs"() {
        when:
        def result = swarm('apply', '--yes', '--known-hosts', knownHosts.path, 'rejected.swarm')

        then:
        result.code == 1
        result.output.contains('no-such-option')
        // Each node restarts only after the one before is back: a bad option takes one node down, not all.
        def order = (result.output =~ /a Swarm manager stays up: (.*?)\./)[0][1].split(' → ') as List
        nodes.findAll { node -> result.output.readLines().any { it.contains("engine.${node}.restart") && it.contains('FAILED') } } == [order[0]]
        result.output.contains('not run (it comes after engine.')
    }

    def "swarm destroy leaves the nodes as they were before the first apply"() {
        when:
        def result = swarm('destroy', '--yes', '--known-hosts', knownHosts.path, 'classic.swarm')

        then:
        result.code == 0
        nodes.every { lab.state(it) == before[it] }
    }
}
