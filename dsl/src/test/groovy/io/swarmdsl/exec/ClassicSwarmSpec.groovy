package io.swarmdsl.exec

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification

/** Classic Swarm's /info as its managers give it (the format of swarm 1.2.9's SystemStatus). */
class ClassicSwarmSpec extends Specification {
    static final ObjectMapper JSON = new ObjectMapper()

    static String info(String role, Map<String, String> engines) {
        def pairs = [['Role', role]] + (role == 'replica' ? [['Primary', '10.0.0.1:3376']] : []) +
                [['Strategy', 'spread'], ['Nodes', String.valueOf(engines.size())]]
        engines.each { name, status ->
            pairs += [[" $name".toString(), '10.0.0.9:2376'], ['  └ ID', 'X'], ['  └ Status', status], ['  └ Containers', '2']]
        }
        JSON.writeValueAsString([SystemStatus: pairs])
    }

    static final Map<String, String> HEALTHY = [lab1: 'Healthy', lab2: 'Healthy', lab3: 'Healthy']

    def "#what is #verdict"() {
        expect:
        ClassicSwarm.of(infos.collect { JSON.readTree(it as String) }).problem(3) == problem

        where:
        what                                    | infos                                                                                      || problem
        'one primary, two replicas, all Healthy' | [info('primary', HEALTHY), info('replica', HEALTHY), info('replica', HEALTHY)]            || null
        'an engine Pending at the primary'      | [info('replica', HEALTHY), info('primary', HEALTHY + [lab3: 'Pending']), info('replica', HEALTHY)] || '2 of 3 engines Healthy in the classic Swarm'
        'an engine missing'                     | [info('primary', [lab1: 'Healthy', lab2: 'Healthy']), info('replica', HEALTHY), info('replica', HEALTHY)] || '2 of 3 engines Healthy in the classic Swarm'
        'no primary'                            | [info('replica', HEALTHY), info('replica', HEALTHY), info('replica', HEALTHY)]            || '0 of 3 engines Healthy in the classic Swarm, 0 primary and 3 replicas among 3 managers, expected one primary'
        'a manager that does not answer'        | [info('primary', HEALTHY), info('replica', HEALTHY), '{}']                                 || '1 primary and 1 replicas among 3 managers, expected one primary'
        'a single manager without replication'  | [JSON.writeValueAsString([SystemStatus: [['Nodes', '3']] + HEALTHY.collectMany { n, s -> [[" $n".toString(), 'a'], ['  └ Status', s]] }])] || null
        verdict = problem == null ? 'healthy' : "reported: $problem"
    }
}
