package io.swarmdsl.exec

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.provider.Providers
import spock.lang.Specification
import spock.lang.Unroll

class PlanRunnerSpec extends Specification {
    static List<String> cannotRun(String script) {
        PlanRunner.cannotRun(Providers.plan(ScriptLoader.load('runner.swarm', script)))
    }

    def "without a provider, every node's SSH wait is named: nothing would give it an address"() {
        expect:
        cannotRun('nodes 3; masters 1') == ['provision.node1.ssh', 'provision.node2.ssh', 'provision.node3.ssh']
                .collect { "nodes without an address ($it)".toString() }
    }

    @Unroll
    def "#provider: every step can run"() {
        expect:
        cannotRun(script).isEmpty()

        where:
        provider       | script
        'generic'      | "provider('generic') { hosts { host 'a', public: '192.0.2.1'; host 'b', public: '192.0.2.2' } }"
        'digitalocean' | "provider 'digitalocean', region: 'sfo1', size: '512mb', image: 'ubuntu-15-10-x64', sshKey: 'id', token: env('T'); nodes 3"
    }
}
