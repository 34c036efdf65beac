package io.swarmdsl.dsl

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.model.ClusterSpec
import io.swarmdsl.model.ProviderSpec
import io.swarmdsl.model.Role
import io.swarmdsl.model.Secret
import io.swarmdsl.model.SwarmSpec
import spock.lang.Specification
import spock.lang.Unroll

class LanguageSpec extends Specification {

    static ClusterSpec load(String script) {
        ScriptLoader.load('test.swarm', script)
    }

    def "the card line parses exactly as written"() {
        when:
        def spec = load('nodes 7; masters 3; consul encrypt true; swarm replication')

        then:
        spec.nodes().size() == 7
        spec.masters()*.name() == ['node1', 'node2', 'node3']
        spec.consul().encrypt().source() == Secret.Source.GENERATED
        spec.swarm().flavor() == SwarmSpec.Flavor.CLASSIC
        spec.swarm().replication()
        spec.provider() instanceof ProviderSpec.Unspecified
        spec.nodes().every { it.publicAddress() == null }
    }

    @Unroll
    def "#script sets #property to #expected"() {
        expect:
        property.split('\\.').inject(load(script)) { value, name -> value."$name"() } == expected

        where:
        script                                                       | property                     || expected
        'nodes 3'                                                    | 'nodes.size'                 || 3
        'nodes 2, prefix: "doccur"'                                  | 'name'                       || 'doccur'
        'nodes 12, pattern: "web-%02d"; masters 1'                   | 'agents.last.name'           || 'web-12'
        'nodes 5; masters 5'                                         | 'masters.size'               || 5
        'nodes 2'                                                    | 'masters.size'               || 1
        'cluster "prod"'                                             | 'name'                       || 'prod'
        'domain "example.com"'                                       | 'nodes.first.fqdn'           || 'node1.node.example.com'
        'datacenter "ams3"'                                          | 'datacenter'                 || 'ams3'
        'provider "digitalocean", region: "sfo1"'                    | 'datacenter'                 || 'sfo1'
        'clusterInterface "eth0"'                                    | 'clusterInterface'           || 'eth0'
        'provider "digitalocean", size: "512mb"'                     | 'provider.size'              || '512mb'
        'provider "digitalocean", image: "debian-12-x64"'            | 'provider.image'             || 'debian-12-x64'
        'provider "digitalocean", sshKey: "~/.ssh/k"'                | 'provider.sshKey'            || '~/.ssh/k'
        'provider "digitalocean", monitoring: true'                  | 'provider.monitoring'        || true
        'provider "digitalocean"'                                    | 'provider.token.origin'      || 'env DIGITALOCEAN_ACCESS_TOKEN'
        'provider "digitalocean", token: file("~/.do")'              | 'provider.token.origin'      || 'file ~/.do'
        'provider digitalocean'                                      | 'provider.name'              || 'digitalocean'
        'ssh user: "admin"'                                          | 'ssh.user'                   || 'admin'
        'ssh port: 2222'                                             | 'nodes.first.ssh.port'       || 2222
        'ssh key: "~/.ssh/id"'                                       | 'ssh.key'                    || '~/.ssh/id'
        'ssh knownHosts: "strict"'                                   | 'ssh.knownHosts'             || 'strict'
        'ssh jump: "me@bastion.example.com:22"'                      | 'ssh.jump'                   || 'me@bastion.example.com:22'
        'engine false'                                               | 'engine.enabled'             || false
        'engine port: 2377'                                          | 'engine.port'                || 2377
        'engine tls: false'                                          | 'engine.tls'                 || false
        'engine logDriver: "journald"'                               | 'engine.logDriver'           || 'journald'
        'engine { logOpt "max-size", "20m" }'                        | 'engine.logOpts'             || ['max-file': '10', 'max-size': '20m']
        'engine logOpts: ["max-file": "3"]'                          | 'engine.logOpts'             || ['max-file': '3']
        'engine dns: ["10.0.0.2"]'                                   | 'engine.dns'                 || ['10.0.0.2']
        'engine dnsSearch: "example.com"'                            | 'engine.dnsSearch'           || ['example.com']
        'engine { label "zone=a"; label "tier=web" }'                | 'engine.labels'              || ['zone=a', 'tier=web']
        'engine storageDriver: "overlay2"'                           | 'engine.storageDriver'       || 'overlay2'
        'engine registryMirror: "http://10.0.0.5:5000"'              | 'engine.registryMirrors'     || ['http://10.0.0.5:5000']
        'engine insecureRegistry: "10.0.0.5:5000"'                   | 'engine.insecureRegistries'  || ['10.0.0.5:5000']
        'engine { option "max-concurrent-downloads", 6 }'            | 'engine.options'             || ['max-concurrent-downloads': 6]
        'consul false'                                               | 'consul.enabled'             || false
        'consul version: "1.2"'                                      | 'consul.serverImage'         || 'hashicorp/consul:1.2'
        'consul serverImage: "hashicorp/consul:1.19"'                | 'consul.serverImage'         || 'hashicorp/consul:1.19'
        'consul agentImage: "hashicorp/consul:1.19"'                 | 'consul.agentImage'          || 'hashicorp/consul:1.19'
        'consul encrypt true'                                        | 'consul.encrypt.source'      || Secret.Source.GENERATED
        'consul encrypt false'                                       | 'consul.encrypt'             || null
        'consul { encrypt }'                                         | 'consul.encrypt.source'      || Secret.Source.GENERATED
        'consul encrypt env("GOSSIP")'                               | 'consul.encrypt.origin'      || 'env GOSSIP'
        'consul encrypt: file("/k")'                                 | 'consul.encrypt.origin'      || 'file /k'
        'consul encrypt "cg8StVXbQJ0gPvMd9o7yrg=="'                  | 'consul.encrypt.source'      || Secret.Source.LITERAL
        'consul tls: false'                                          | 'consul.tls'                 || false
        'consul { ui = false }'                                      | 'consul.ui'                  || false
        'consul dnsPort: 8600'                                       | 'consul.dnsPort'             || 8600
        'consul recursors: "1.1.1.1"'                                | 'consul.recursors'           || ['1.1.1.1']
        'consul { recursors "1.1.1.1", "9.9.9.9" }'                  | 'consul.recursors'           || ['1.1.1.1', '9.9.9.9']
        'nodes 5; masters 5'                                         | 'consul.bootstrapExpect'     || 5
        'swarm replication'                                          | 'swarm.replication'          || true
        'swarm classic'                                              | 'swarm.flavor'               || SwarmSpec.Flavor.CLASSIC
        'swarm mode'                                                 | 'swarm.flavor'               || SwarmSpec.Flavor.MODE
        'swarm { mode }'                                             | 'swarm.flavor'               || SwarmSpec.Flavor.MODE
        'swarm true'                                                 | 'swarm.flavor'               || SwarmSpec.Flavor.MODE
        'swarm false'                                                | 'swarm.flavor'               || SwarmSpec.Flavor.NONE
        'nodes 3'                                                    | 'swarm.flavor'               || SwarmSpec.Flavor.NONE
        'swarm replication; swarm image: "swarm:1.1"'                | 'swarm.image'                || 'swarm:1.1'
        'swarm replication; swarm strategy: "binpack"'               | 'swarm.strategy'             || 'binpack'
        'swarm replication; swarm port: 4000'                        | 'swarm.port'                 || 4000
        'memory accounting'                                          | 'memoryAccounting'           || true
        'memory accounting: false'                                   | 'memoryAccounting'           || false
        'compose "web", yaml: "services: {web: {image: nginx}}"'     | 'compositions.first.targets' || ['all']
        'compose "web", on: "agents", services: [web: [image: "x"]]' | 'compositions.first.targets' || ['agents']
        'before "engine", { run "date" }'                            | 'hooks.first.phase.keyword'  || 'engine'
        'after "swarm", on: "masters", { run "date" }'               | 'hooks.first.targets'        || ['masters']
        'def n = 3; nodes n * 2 + 1'                                 | 'nodes.size'                 || 7
        '(1..3).each { n -> engine { label "n=$n" } }'              | 'engine.labels'              || ['n=1', 'n=2', 'n=3']
    }

    def "the generic provider takes its nodes from the hosts it lists"() {
        when:
        def spec = load('''
            provider('generic') {
              hosts {
                host 'a', public: '192.0.2.1', private: '10.0.0.1', user: 'admin', key: '~/.ssh/a', port: 2200
                host 'b', public: '192.0.2.2'
                host 'c', public: 'c.example.com'
              }
            }
            ssh user: 'ops', reconnect: '90s'
        ''')

        then:
        spec.nodes()*.name() == ['a', 'b', 'c']
        spec.nodes()*.role() == [Role.MASTER, Role.MASTER, Role.MASTER]
        spec.node('a').privateAddress() == '10.0.0.1'
        spec.node('b').privateAddress() == '192.0.2.2'
        spec.node('a').ssh().user() == 'admin'
        spec.node('a').ssh().port() == 2200
        spec.node('b').ssh().user() == 'ops'
        spec.nodes().every { it.ssh().reconnectSeconds() == 90 }
        load('nodes 1').node('node1').ssh().reconnectSeconds() == 120
        spec.node('c').publicAddress() == 'c.example.com'
    }

    def "provider 'generic', { … } with a comma works as well"() {
        expect:
        load("provider 'generic', { hosts { host 'a', public: '192.0.2.1' } }").nodes()*.name() == ['a']
    }

    def "hooks keep their commands and uploads in order"() {
        when:
        def hook = load('''
            before 'engine', on: ['node1', 'agents'], {
              run 'one'
              upload 'files/a', to: '/etc/a', mode: '600'
              upload content: 'text', to: '/etc/b'
            }
        ''').hooks().first()

        then:
        hook.targets() == ['node1', 'agents']
        hook.actions()*.getClass()*.simpleName == ['Run', 'Upload', 'Upload']
        hook.actions()[1].mode() == '0600'
        hook.actions()[2].content() == 'text'
        hook.position().line() == 2
    }

    def "println in a script goes to stderr and never into a plan"() {
        given:
        def err = new ByteArrayOutputStream()
        def out = new ByteArrayOutputStream()
        def savedErr = System.err
        def savedOut = System.out
        System.err = new PrintStream(err, true)
        System.out = new PrintStream(out, true)

        when:
        load('println "checking"; nodes 1')

        then:
        err.toString().contains('checking')
        out.size() == 0

        cleanup:
        System.err = savedErr
        System.out = savedOut
    }
}
