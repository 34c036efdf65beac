package io.swarmdsl.pki

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.time.Duration
import java.time.Instant

class ClusterPkiSpec extends Specification {
    static final String SERVER_AUTH = '1.3.6.1.5.5.7.3.1'
    static final String CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'

    @TempDir
    @Shared
    Path dir

    @Shared
    ClusterPki pki

    def setupSpec() {
        pki = new ClusterPki(dir, 'doccur')
    }

    def "the cluster CA is made once, then reused, its key readable only by the user"() {
        when:
        def first = pki.ca()
        def again = new ClusterPki(dir, 'doccur').ca()
        def ca = ClusterPki.certificate(first.certificatePem())

        then:
        first == again
        ca.basicConstraints >= 0
        ca.subjectX500Principal.name.contains('CN=doccur CA')
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve('ca-key.pem'))) == 'rw-------'
        (Duration.between(Instant.now(), ca.notAfter.toInstant()).toDays() as int) in (3 * 365 - 2)..(3 * 365)
    }

    def "a node's server certificate names the node and its addresses, for server and client use"() {
        when:
        def server = ClusterPki.certificate(pki.server('doccur1', ['doccur1', 'doccur1.node.example.com', 'localhost'],
                ['10.0.0.1', '203.0.113.1', '127.0.0.1']).certificatePem())

        then:
        Sans.of(server) == ['dns:doccur1', 'dns:doccur1.node.example.com', 'dns:localhost',
                            'ip:10.0.0.1', 'ip:203.0.113.1', 'ip:127.0.0.1'] as Set
        server.extendedKeyUsage.containsAll([SERVER_AUTH, CLIENT_AUTH])
        server.basicConstraints == -1
        verifies(server)
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve('doccur1/server-key.pem'))) == 'rw-------'
    }

    def "a valid certificate for the same names is reused; new addresses get a new one"() {
        given:
        def first = pki.server('doccur2', ['doccur2'], ['10.0.0.2'])

        expect:
        pki.server('doccur2', ['doccur2'], ['10.0.0.2']) == first
        pki.server('doccur2', ['doccur2'], ['10.0.0.2', '10.0.0.2']) == first

        when:
        def moved = pki.server('doccur2', ['doccur2'], ['10.0.0.22'])

        then:
        moved != first
        Sans.of(ClusterPki.certificate(moved.certificatePem())) == ['dns:doccur2', 'ip:10.0.0.22'] as Set
    }

    def "the user's client certificate is for client use only"() {
        when:
        def client = ClusterPki.certificate(pki.client().certificatePem())

        then:
        client.extendedKeyUsage == [CLIENT_AUTH]
        verifies(client)
        pki.client() == pki.client()
    }

    boolean verifies(java.security.cert.X509Certificate certificate) {
        certificate.verify(ClusterPki.certificate(pki.ca().certificatePem()).publicKey)
        true
    }

    def "forgotten node and client certificates are issued anew, keys and all, from the same CA"() {
        given:
        def ca = pki.ca()
        def server = pki.server('node1', ['node1'], ['10.0.0.1'])
        def client = pki.client()

        when:
        pki.forgetIssued(['node1'])

        then:
        pki.keptServer('node1') == null
        !pki.hasCurrentClient()
        pki.hasCurrentCa()

        when:
        def again = pki.server('node1', ['node1'], ['10.0.0.1'])

        then:
        again.privateKeyPem() != server.privateKeyPem()
        again.certificatePem() != server.certificatePem()
        pki.keptServer('node1') == again
        pki.client().privateKeyPem() != client.privateKeyPem()
        pki.ca() == ca
    }

    def "a CA rotation trusts both CAs while the certificates are reissued from the new one, then the new one alone"() {
        given: 'a PKI of its own, with a node and a client certificate from the first CA'
        def own = new ClusterPki(Files.createTempDirectory(dir, 'rotation'), 'doccur')
        def oldCa = ClusterPki.certificate(own.ca().certificatePem())
        def oldServer = own.server('node1', ['node1'], ['10.0.0.1'])
        def oldClient = own.client()

        when: 'the rotation begins'
        boolean begun = own.beginCaRotation()

        then: 'ca.pem holds the new CA first, then the old one; certificates of the old one are kept and trusted'
        begun
        own.rotatingCa()
        def cas = ClusterPki.certificates(own.ca().certificatePem())
        cas.size() == 2
        cas[1] == oldCa
        cas[0] != oldCa
        own.server('node1', ['node1'], ['10.0.0.1']) == oldServer
        own.client() == oldClient
        !own.beginCaRotation()

        when: 'the certificates the old CA signed are forgotten'
        def forgotten = own.forgetSignedByOldCa(['node1', 'node2'])
        def newServer = own.server('node1', ['node1'], ['10.0.0.1'])

        then: 'they are issued anew by the new CA, and forgetting again forgets nothing'
        forgotten == ['node1']
        ClusterPki.certificate(newServer.certificatePem()).verify(cas[0].publicKey) == null
        own.client() != oldClient
        own.forgetSignedByOldCa(['node1']) == []

        when: 'the rotation ends'
        own.endCaRotation()

        then: 'ca.pem holds the new CA alone, which signed what is kept'
        !own.rotatingCa()
        ClusterPki.certificates(own.ca().certificatePem()) == [cas[0]]
        own.server('node1', ['node1'], ['10.0.0.1']) == newServer
    }
}
