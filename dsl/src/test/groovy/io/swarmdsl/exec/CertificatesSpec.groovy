package io.swarmdsl.exec

import io.swarmdsl.plan.Fingerprint
import io.swarmdsl.plan.PlannerSpec
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

class CertificatesSpec extends Specification {
    @TempDir
    Path state

    def "a node's certificates are outdated when it holds other files than the state directory keeps, or none are kept any more"() {
        given: 'every node holds the CA, certificate and key the state directory keeps, but node5, whose files were not read'
        def plan = PlannerSpec.plan(ConvergenceSpec.RUNNING)
        def certificates = new Certificates(plan.cluster(), new RunValues(plan.cluster(), state, new Redactor()))
        def pki = certificates.pki()
        def facts = plan.cluster().nodes()*.name().collectEntries { node ->
            def issued = pki.server(node, [node], ['10.0.0.1'])
            [(node): new NodeFacts([:], ['/etc/docker/ca.pem': Fingerprint.sha256(pki.ca().certificatePem()),
                                         '/etc/docker/server.pem': Fingerprint.sha256(issued.certificatePem()),
                                         '/etc/docker/server-key.pem': Fingerprint.sha256(issued.privateKeyPem())], [:])]
        }
        facts.node5 = new NodeFacts([:], [:], [:])

        expect:
        certificates.outdatedOnNodes(plan.steps(), facts).isEmpty()

        when: 'node2 holds another certificate'
        facts.node2.fileHashes()['/etc/docker/server.pem'] = Fingerprint.sha256('another')

        then:
        certificates.outdatedOnNodes(plan.steps(), facts)*.toString() == ['pki.node2.certs']

        when: 'swarm rotate certs forgets the issued ones'
        pki.forgetIssued(plan.cluster().nodes()*.name())

        then:
        certificates.outdatedOnNodes(plan.steps(), facts)*.toString().sort() == (1..4).collect { "pki.node${it}.certs" }
    }
}
