package io.swarmdsl.exec

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification

/**
 * What {@code swarm status} says of Consul's security, read from the running configuration of a
 * server ({@code /v1/agent/self}). The field names are those real Consul 1.8.7 answers on the lab
 * (ClassicSwarmSpec reads the same through the tool).
 */
class ConsulMembersSpec extends Specification {
    static String security(Map debugConfig, String encrypted) {
        ConsulMembers.security(new ObjectMapper().valueToTree([DebugConfig: debugConfig, Stats: [serf_lan: [encrypted: encrypted]]]))
    }

    def "a server of the planned cluster: #says"() {
        expect:
        security(config, encrypted) == says

        where:
        config                                                                                          | encrypted || says
        [ACLsEnabled: true, ACLDefaultPolicy: 'deny', VerifyIncoming: true, VerifyIncomingRPC: false, VerifyIncomingHTTPS: false,
         VerifyOutgoing: true, VerifyServerHostname: true, HTTPSPort: 8501]                             | 'true'    || 'ACLs on (default deny), TLS verifies incoming, outgoing, server names, HTTPS API with client certificates, gossip encrypted'
        [ACLsEnabled: false, VerifyIncomingRPC: true, VerifyOutgoing: true, HTTPSPort: -1]              | 'true'    || 'ACLs off, TLS verifies incoming, outgoing, gossip encrypted'
        [ACLsEnabled: false, HTTPSPort: 8501, VerifyIncomingHTTPS: false]                               | 'false'   || 'ACLs off, TLS unverified, HTTPS API without client certificates, gossip not encrypted'
    }
}
