package io.swarmdsl.plan

import groovy.json.JsonSlurper
import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.plan.Shell
import org.yaml.snakeyaml.Yaml
import spock.lang.Specification

/**
 * Consul's configuration and composition follow the image and version in use. The keys are those
 * of Consul's documentation: before 1.12, ca_file, cert_file, key_file, verify_incoming and
 * verify_outgoing at the top; from 1.12 on, the same files and verify_outgoing under tls.defaults and
 * verify_incoming for the agents' RPC under tls.internal_rpc (the top-level keys are deprecated).
 */
class ConsulConfigSpec extends Specification {
    static final String HOSTS = 'provider("generic") { hosts { host "a", public: "192.0.2.1", private: "10.0.0.1" ' +
            '\n host "b", public: "192.0.2.2", private: "10.0.0.2" \n host "c", public: "192.0.2.3", private: "10.0.0.3" } }\nmasters 1\n'

    static Map config(String consul, String node = 'a') {
        def step = PlannerSpec.byId(PlannerSpec.plan(HOSTS + consul))["consul.${node}.config".toString()]
        new JsonSlurper().parseText(step.action().files()[0].content().text().display()) as Map
    }

    static Map join(String script, String node = 'a') {
        def step = PlannerSpec.byId(PlannerSpec.plan(script))["consul.${node}.join".toString()]
        new JsonSlurper().parseText(step.action().files()[0].content().text().display()) as Map
    }

    static Map service(String consul, String node = 'a') {
        def step = PlannerSpec.byId(PlannerSpec.plan(HOSTS + consul))["consul.${node}.up".toString()]
        (new Yaml().load(step.action().yaml().display()) as Map).services.consul as Map
    }

    def "Consul #version gets its TLS settings #place"() {
        when:
        def config = config("consul version: '$version'")

        then:
        config.keySet().containsAll(topLevel)
        (config.tls?.defaults?.keySet() ?: [] as Set) == defaults as Set
        (config.tls?.internal_rpc?.keySet() ?: [] as Set) == internalRpc as Set

        where:
        version  | place               | topLevel                                                                   | defaults                                                | internalRpc
        '1.8.7'  | 'at the top'        | ['ca_file', 'cert_file', 'key_file', 'verify_incoming', 'verify_outgoing', 'verify_server_hostname'] | [] | []
        '1.11.4' | 'at the top'        | ['ca_file', 'cert_file', 'key_file', 'verify_incoming', 'verify_outgoing', 'verify_server_hostname'] | [] | []
        '1.12.0' | 'in the tls stanza' | ['tls'] | ['ca_file', 'cert_file', 'key_file', 'verify_outgoing'] | ['verify_incoming', 'verify_server_hostname']
        '1.22.6' | 'in the tls stanza' | ['tls'] | ['ca_file', 'cert_file', 'key_file', 'verify_outgoing'] | ['verify_incoming', 'verify_server_hostname']
    }

    def "only a Consul server's certificate carries Consul's server name, so an agent's makes no server"() {
        given:
        def spec = ScriptLoader.load('t.swarm', HOSTS + 'consul encrypt true')

        expect:
        spec.masters().every { CertificateNames.dns(spec, it).contains("server.${spec.datacenter()}.${spec.domain()}".toString()) }
        spec.agents().every { CertificateNames.dns(spec, it) == [it.name(), it.fqdn(), 'localhost'] }
        !spec.agents().isEmpty()
    }

    def "ACLs are #acl for '#consul'"() {
        expect:
        ScriptLoader.load('t.swarm', HOSTS + consul).consul().acl() == (acl == 'on')
        config(consul).containsKey('acl') == (acl == 'on')

        where:
        consul                                                        || acl
        'consul encrypt true'                                         || 'on'
        "consul version: '1.8.7'"                                     || 'on'
        'consul acl: false'                                           || 'off'
        'consul tls: false'                                           || 'off'
        "consul version: '1.7.4'"                                     || 'off'
        "consul serverImage: 'gliderlabs/consul-server:0.6', agentImage: 'gliderlabs/consul-agent:0.6'" || 'off'
    }

    def "the plan says what Consul is open to: '#consul'"() {
        expect:
        new io.swarmdsl.render.TextRenderer().render(PlannerSpec.plan(HOSTS + consul)).readLines().find { it.startsWith('  consul ') }.contains(says)

        where:
        consul                                  || says
        'consul encrypt true'                   || 'the HTTP API for the network only over HTTPS with a client certificate, ACLs deny by default (down policy extend-cache)'
        "consul downPolicy: 'deny'"             || 'ACLs deny by default (down policy deny)'
        'consul acl: false'                     || 'no ACLs: whoever reaches the API reads and writes all of Consul'
        'consul tls: false'                     || 'no TLS: the HTTP API open on the network, no ACLs'
    }

    def "with ACLs every node denies by default; only the servers hold the management token, as Consul #version names it"() {
        when:
        def server = config("consul version: '$version'", 'a')
        def agent = config("consul version: '$version'", 'b')

        then:
        [server, agent].every { it.acl.enabled && it.acl.default_policy == 'deny' && it.acl.down_policy == 'extend-cache' && it.primary_datacenter == 'dc1' }
        server.acl.tokens.keySet() == [management, 'agent', 'default'] as Set
        agent.acl.tokens.keySet() == ['agent', 'default'] as Set
        [server, agent].every { it.acl.tokens.values().every { it == '(sensitive)' } }

        where:
        version  || management
        '1.8.7'  || 'master'
        '1.22.6' || 'initial_management'
    }

    def "with TLS the HTTP API answers only on the loopback address, the network gets HTTPS with client certificates"() {
        expect:
        config("consul version: '1.8.7'").addresses == [http: '127.0.0.1']
        config("consul version: '1.8.7'").ports == [dns: 53, https: 8501]
        config("consul version: '1.8.7'").verify_incoming == true     // before 1.12 for RPC and HTTPS alike
        config('consul encrypt true').tls.https == [verify_incoming: true]
        !config('consul tls: false').containsKey('addresses')
        config('consul tls: false').ports == [dns: 53]
    }

    def "the acl step comes before any other node's Consul, and gives its policy no key rights without classic Swarm"() {
        given:
        def plan = PlannerSpec.plan(HOSTS + 'consul encrypt true\nswarm replication')
        def byId = PlannerSpec.byId(plan)
        def acl = byId['consul.a.acl'].action() as Action.ConsulAcl

        expect:
        byId['consul.a.acl'].after()*.toString() == ['consul.a.leader']
        byId['consul.b.join'].after()*.toString().contains('consul.a.acl')
        acl.port() == 8501
        acl.setup().tokens()*.nodeIdentity() == [null, 'a', 'b', 'c']
        acl.setup().policies()[0].rules().contains('key_prefix "docker/" { policy = "write" }')
        !(PlannerSpec.byId(PlannerSpec.plan(HOSTS + 'consul encrypt true\nswarm mode'))['consul.a.acl'].action() as Action.ConsulAcl)
                .setup().policies()[0].rules().contains('key_prefix')

        and: 'the same accessor ids in every plan of the cluster, so a re-apply finds its tokens'
        (PlannerSpec.byId(PlannerSpec.plan(HOSTS + 'consul encrypt true\nswarm replication'))['consul.a.acl'].action() as Action.ConsulAcl)
                .setup().tokens()*.accessor() == acl.setup().tokens()*.accessor()
    }

    def "classic Swarm reaches its node's Consul over HTTPS with the node's certificate"() {
        given:
        def plan = PlannerSpec.plan(HOSTS + 'consul encrypt true\nswarm replication')
        def compose = new Yaml().load((PlannerSpec.byId(plan)['swarm.b.up'].action() as Action.Compose).yaml().display()) as Map
        def agent = compose.services['swarm-agent'] as Map

        expect:
        agent.command.takeRight(7) == ['--discovery-opt', "kv.cacertfile=$NodePaths.CA", '--discovery-opt', "kv.certfile=$NodePaths.CERT",
                                       '--discovery-opt', "kv.keyfile=$NodePaths.KEY", 'consul://10.0.0.2:8501']*.toString()
        agent.volumes.containsAll(["$NodePaths.CA:$NodePaths.CA:ro", "$NodePaths.KEY:$NodePaths.KEY:ro"]*.toString())
    }

    def "the default is HashiCorp's image at a current release, in the new dialect"() {
        expect:
        service('consul encrypt true').image == 'hashicorp/consul:1.22.6'
        config('consul encrypt true').tls.defaults.verify_outgoing == true
        !config('consul encrypt true').containsKey('verify_incoming')
    }

    def "servers stay members when they restart, agents leave and rejoin, and all rejoin after a leave"() {
        expect:
        config('consul encrypt true', node).leave_on_terminate == leaves
        config('consul encrypt true', node).rejoin_after_leave == true
        join(HOSTS + 'consul encrypt true', node).retry_join == joins

        where:
        node | leaves | joins
        'b'  | true   | ['10.0.0.1']
        'c'  | true   | ['10.0.0.1']
        'a'  | false  | []
    }

    def "a server joining or leaving changes only the join list of the others, which restarts nothing"() {
        given:
        def script = { int masters -> "nodes 6; masters $masters; consul encrypt true" }
        def plans = [3, 5].collect { PlannerSpec.byId(PlannerSpec.plan(script(it))) }

        expect: 'the configuration Consul runs with stays the same on a server that stays one'
        plans.collect { it['consul.node1.config'].action().files()[0].content().text().display() }.unique().size() == 1
        and: 'the servers it joins and how many bootstrap raft change'
        [3, 5].collect { join(script(it), 'node1').bootstrap_expect } == [3, 5]
        [3, 5].collect { join(script(it), 'node6').retry_join.size() } == [3, 5]
        and: 'no step comes after the join list but the configuration, which it does not bring back'
        plans.every { steps -> steps.values().findAll { it.after()*.toString().contains('consul.node1.join') }*.id()*.toString() == ['consul.node1.config'] }
    }

    def "the image decides the paths and the command: #image"() {
        when:
        def consul = service("consul serverImage: '$image'")

        then:
        consul.command == command
        consul.volumes.take(3) == volumes
        (consul.environment.CONSUL_DISABLE_PERM_MGMT != null) == asRoot

        where:
        image                          | command   | volumes                                                                  | asRoot
        'hashicorp/consul:1.8.7'       | ['agent'] | ['consul-data:/consul/data', '/etc/consul/config.json:/consul/config/swarm.json:ro', '/etc/consul/join.json:/consul/config/join.json:ro'] | true
        'gliderlabs/consul-server:0.6' | null      | ['consul-data:/data', '/etc/consul/config.json:/config/swarm.json:ro', '/etc/consul/join.json:/config/join.json:ro'] | false
    }

    def "a changed Consul option or certificate restarts Consul, servers one at a time, and only a container older than its files"() {
        given:
        def steps = PlannerSpec.byId(PlannerSpec.plan('nodes 5; masters 3; consul encrypt true'))

        expect: 'the restart comes right after the configuration and the certificates, so a new one of either brings it back'
        steps['consul.node2.restart'].after()*.toString().containsAll(['consul.node2.up', 'consul.node2.config', 'pki.node2.certs'])
        and: 'the servers restart one after another, and the leader is awaited once they all have'
        steps['consul.node2.restart'].after()*.toString().contains('consul.node1.restart')
        steps['consul.node3.restart'].after()*.toString().contains('consul.node2.restart')
        !steps['consul.node4.restart'].after()*.toString().any { it.startsWith('consul.node') && !it.startsWith('consul.node4') }
        steps['consul.node1.leader'].after()*.toString().containsAll(['consul.node1.restart', 'consul.node2.restart', 'consul.node3.restart'])
        and: 'the composition no longer changes with the configuration: compose would recreate every server at once'
        service('consul dnsPort: 53') == service('consul dnsPort: 8600')
    }

    def "the certificates' directory is mounted, not the files: a file renamed over one would never show"() {
        expect:
        service('consul encrypt true').volumes.contains('/etc/docker:/etc/docker:ro')
        !service('consul encrypt true').volumes.any { it.startsWith('/etc/docker/') }
    }

    def "Consul #outcome (configuration #config, certificates #certificates, last reload #loaded, container started 10:00)"() {
        given: 'a docker that tells when its container started and records what is done to it, and a curl that shows the served certificate'
        def dir = File.createTempDir('consul-restart')
        executable(dir, 'docker', """#!/bin/sh
case "\$1" in
  inspect) ${container ? "echo 2026-12-01T10:00:00.123456789Z" : "echo 'No such object: consul' >&2; exit 1"} ;;
  restart) echo restarted >> ${dir}/log ;;
  kill) echo reloaded >> ${dir}/log; touch ${dir}/hup ;;
esac
""")
        executable(dir, 'curl', """#!/bin/sh
${curlShowsCertificates ? '' : 'exit 0'}
if [ -f ${dir}/hup ]; then printf 'Subject:CN = a\\nCert:'; cat ${dir}/server.pem; else printf 'Cert:-----BEGIN CERTIFICATE-----\\nOLD\\n-----END CERTIFICATE-----\\n'; fi
""")
        file(dir, 'config.json', config)
        ['ca.pem', 'server-key.pem'].each { file(dir, it, '2026-12-01T09:00:00Z') }
        file(dir, 'server.pem', certificates, '-----BEGIN CERTIFICATE-----\nNEW\n-----END CERTIFICATE-----\n')
        new File(dir, 'state').mkdirs()
        if (loaded) {
            file(dir, 'state/tls-loaded', loaded)
        }
        def command = Shell.restartConsulIfChanged(NodePaths.CONSUL_CONFIG, 8501, "$dir/state/tls-loaded", false, 5).display()
                .replace('/etc/consul/', "$dir/").replace('/etc/docker/', "$dir/")

        when:
        def process = runWithFakes(dir, command)

        then:
        process.exitValue() == 0
        (new File(dir, 'log').exists() ? new File(dir, 'log').readLines() : []) == done
        new File(dir, 'state/tls-loaded').exists() == (loaded != null || done == ['reloaded'])

        cleanup:
        dir.deleteDir()

        where:
        outcome                                     | config                 | certificates           | loaded                 | container | curlShowsCertificates || done
        'is left alone'                             | '2026-12-01T09:59:00Z' | '2026-12-01T09:00:00Z' | null                   | true      | true                  || []
        'restarts for a new configuration'          | '2026-12-01T10:01:00Z' | '2026-12-01T09:00:00Z' | null                   | true      | true                  || ['restarted']
        'restarts for both, which loads both'       | '2026-12-01T10:01:00Z' | '2026-12-01T10:01:00Z' | null                   | true      | true                  || ['restarted']
        'reloads new certificates'                  | '2026-12-01T09:59:00Z' | '2026-12-01T10:05:00Z' | null                   | true      | true                  || ['reloaded']
        'is left alone after their reload'          | '2026-12-01T09:59:00Z' | '2026-12-01T10:05:00Z' | '2026-12-01T10:06:00Z' | true      | true                  || []
        'reloads certificates newer than a reload'  | '2026-12-01T09:59:00Z' | '2026-12-01T10:07:00Z' | '2026-12-01T10:06:00Z' | true      | true                  || ['reloaded']
        'restarts where curl cannot show them'      | '2026-12-01T09:59:00Z' | '2026-12-01T10:05:00Z' | null                   | true      | false                 || ['restarted']
        'does nothing without a container'          | '2026-12-01T10:01:00Z' | '2026-12-01T10:05:00Z' | null                   | false     | true                  || []
    }

    def "without TLS only the configuration restarts Consul"() {
        given:
        def dir = File.createTempDir('consul-restart')
        executable(dir, 'docker', """#!/bin/sh
case "\$1" in
  inspect) echo 2026-12-01T10:00:00.123456789Z ;;
  *) echo "\$1" >> ${dir}/log ;;
esac
""")
        file(dir, 'config.json', config)
        def command = Shell.restartConsulIfChanged("$dir/config.json", null, "$dir/tls-loaded", false, 5).display()

        when:
        def process = runWithFakes(dir, command)

        then:
        process.exitValue() == 0
        (new File(dir, 'log').exists() ? new File(dir, 'log').readLines() : []) == done

        cleanup:
        dir.deleteDir()

        where:
        config                 || done
        '2026-12-01T09:59:00Z' || []
        '2026-12-01T10:01:00Z' || ['restart']
    }

    /** {@code command} in bash with the fake programs of {@code dir} first on the PATH, once it has ended. */
    private static Process runWithFakes(File dir, String command) {
        def process = ['bash', '-c', "PATH=${dir}:/usr/bin:/bin\n" + command].execute()
        process.waitFor()
        process
    }

    private static void executable(File dir, String name, String text) {
        new File(dir, name).with {
            setText(text)
            setExecutable(true)
        }
    }

    private static void file(File dir, String name, String time, String text = name) {
        def file = new File(dir, name)
        file.text = text
        ['touch', '-d', time, file.path].execute().waitFor()
    }
}
