package io.swarmdsl.apply

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.exec.ApplyException
import io.swarmdsl.exec.Membership
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** A script loaded beside the members an earlier apply recorded: what this version cannot change yet is refused before anything runs. */
class LoadedSpec extends Specification {
    static final String HOSTS = "provider('generic') { hosts { " + (1..5).collect { "host 'n$it', public: '10.0.0.$it'" }.join('; ') + ' } }'

    @TempDir
    Path dir

    def "#change in #flavor: #outcome"() {
        given: 'the members of an apply of five nodes with three masters'
        def before = ScriptLoader.load('c.swarm', "$HOSTS; masters 3; $flavor")
        Membership.write(dir.resolve('.swarm').resolve(before.name()), [], before.nodes(), null)

        when:
        Exception refusal = null
        try {
            Loaded.inDirectory(ScriptLoader.load('c.swarm', "${script.replace('HOSTS', HOSTS)}; $flavor"), dir)
        } catch (ApplyException e) {
            refusal = e
        }

        then:
        (refusal == null) == (refused == null)
        refused == null || refusal.message.contains(refused)

        where:
        change             | flavor              | script                                                                               || refused
        'a node leaves'    | 'swarm mode'        | "provider('generic') { hosts { host 'n1', public: '10.0.0.1'; host 'n2', public: '10.0.0.2'; host 'n3', public: '10.0.0.3' } }; masters 3" || null
        'masters 3 → 1'    | 'swarm mode'        | 'HOSTS; masters 1'                                                                   || null
        'masters 3 → 5'    | 'swarm mode'        | 'HOSTS; masters 5'                                                                   || null
        'a worker first'   | 'swarm mode'        | "provider('generic') { hosts { " + [4, 1, 2, 3, 5].collect { "host 'n$it', public: '10.0.0.$it'" }.join('; ') + ' } }; masters 3' || 'the first master of a Swarm-mode cluster must be a manager already, and n4 was a worker'
        'masters 3 → 5'    | 'swarm replication' | 'HOSTS; masters 5'                                                                   || null
        'masters 3 → 1'    | 'swarm replication' | 'HOSTS; masters 1'                                                                   || null
        outcome = refused ? 'refused' : 'planned'
    }
}
