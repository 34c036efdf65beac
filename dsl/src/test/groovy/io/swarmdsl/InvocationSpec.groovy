package io.swarmdsl

import spock.lang.Specification

import java.nio.file.Path

class InvocationSpec extends Specification {
    def invocation = new Invocation([SECRET: 'value'], Path.of('/work/here'), Path.of('/home/someone'), false)

    def "a path is the command's: ~ is its home, a relative one is in its directory, an absolute one stays"() {
        expect:
        invocation.resolve(given) == Path.of(expected)

        where:
        given            | expected
        '~'              | '/home/someone'
        '~/.ssh/id_rsa'  | '/home/someone/.ssh/id_rsa'
        'lab.swarm'      | '/work/here/lab.swarm'
        'keys/id'        | '/work/here/keys/id'
        '/etc/key'       | '/etc/key'
        '~other/key'     | '/work/here/~other/key'
    }

    def "the command's invocation is the one set, and the process's own again once cleared"() {
        when:
        Invocation.set(invocation)

        then:
        Invocation.current().variable('SECRET') == 'value'
        Invocation.current().directory() == Path.of('/work/here')

        when:
        Invocation.set(null)

        then:
        Invocation.current().is(Invocation.own())
    }

    def "its text names no variable's value"() {
        expect:
        !invocation.toString().contains('value')
        !invocation.toString().contains('SECRET')
    }

    def "a relative directory or home is refused"() {
        when:
        new Invocation([:], Path.of('here'), Path.of('/home/someone'), false)

        then:
        thrown(IllegalArgumentException)
    }
}
