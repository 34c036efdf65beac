package io.swarmdsl

import groovy.json.JsonSlurper
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
        '1.8.7'  | 'at the top'        | ['ca_file', 'cert_file', 'key_file', 'verify_incoming', 'verify_outgoing'] | []                                                      | []
        '1.11.4' | 'at the top'        | ['ca_file', 'cert_file', 'key_file', 'verify_incoming', 'verify_outgoing'] | []                                                      | []
        '1.12.0' | 'in the tls stanza' | ['tls']                                                                    | ['ca_file', 'cert_file', 'key_file', 'verify_outgoing'] | ['verify_incoming']
        '1.22.6' | 'in the tls stanza' | ['tls']                                                                    | ['ca_file', 'cert_file', 'key_file', 'verify_outgoing'] | ['verify_incoming']
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
        config('consul encrypt true', node).retry_join == joins

        where:
        node | leaves | joins
        'b'  | true   | ['10.0.0.1']
        'c'  | true   | ['10.0.0.1']
        'a'  | false  | []
    }

    def "the image decides the paths and the command: #image"() {
        when:
        def consul = service("consul serverImage: '$image'")

        then:
        consul.command == command
        consul.volumes.take(2) == volumes
        (consul.environment.CONSUL_DISABLE_PERM_MGMT != null) == asRoot

        where:
        image                          | command   | volumes                                                                  | asRoot
        'hashicorp/consul:1.8.7'       | ['agent'] | ['consul-data:/consul/data', '/etc/consul/config.json:/consul/config/swarm.json:ro'] | true
        'gliderlabs/consul-server:0.6' | null      | ['consul-data:/data', '/etc/consul/config.json:/config/swarm.json:ro']    | false
    }

    def "a changed Consul option changes the composition, so compose recreates the container"() {
        expect:
        service('consul dnsPort: 53').labels['io.swarmdsl.files'] != service('consul dnsPort: 8600').labels['io.swarmdsl.files']
        service('consul dnsPort: 53').labels['io.swarmdsl.files'] == service('consul dnsPort: 53').labels['io.swarmdsl.files']
    }
}
