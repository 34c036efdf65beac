package io.swarmdsl.exec

import io.swarmdsl.dsl.ScriptLoader
import java.nio.file.Files
import spock.lang.Specification
import spock.lang.TempDir

class MembershipSpec extends Specification {
    @TempDir
    java.nio.file.Path state

    static final def CLUSTER = ScriptLoader.load('test.swarm', """provider('generic') {
  hosts {
    host 'a', public: '10.0.0.1', private: '192.168.0.1', user: 'admin', key: '/keys/a', port: 2222
    host 'b', public: '10.0.0.2'
    host 'c', public: '10.0.0.3'
  }
}
masters 1""")

    def "the nodes an apply recorded read back as they were, roles, addresses and SSH settings included"() {
        when:
        Membership.write(state, CLUSTER.nodes(), [], new RunValues(CLUSTER, state, new Redactor()))

        then:
        Membership.read(state) == CLUSTER.nodes()
        !Files.readString(state.resolve('members.json')).contains('PRIVATE KEY')
    }

    def "nodes still leaving stay recorded beside the script's, until an apply writes the script's alone"() {
        given:
        def smaller = ScriptLoader.load('test.swarm', """provider('generic') { hosts { host 'a', public: '10.0.0.1'; host 'b', public: '10.0.0.2' } }
masters 1""").withPrevious(CLUSTER.nodes())

        when:
        Membership.write(state, smaller.nodes(), smaller.previous(), new RunValues(smaller, state, new Redactor()))

        then:
        Membership.read(state)*.name() == ['a', 'b', 'c']
        Membership.read(state).find { it.name() == 'a' }.ssh().user() == 'root'

        when:
        Membership.write(state, smaller.nodes(), [], new RunValues(smaller, state, new Redactor()))

        then:
        Membership.read(state)*.name() == ['a', 'b']
    }

    def "no record: no node was brought in from here; a broken one is refused, saying what to do"() {
        expect:
        Membership.read(state).isEmpty()

        when:
        Files.writeString(state.resolve('members.json'), '[{"name": ')
        Membership.read(state)

        then:
        def e = thrown(ApplyException)
        e.message.startsWith("cannot read the cluster's members from ${state.resolve('members.json')}")
        e.message.contains('put back a good copy')
    }
}
