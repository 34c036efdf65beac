package io.swarmdsl.plan

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.model.Phase
import io.swarmdsl.provider.Providers
import io.swarmdsl.render.GoldenPlanSpec
import spock.lang.Specification

class StepIdSpec extends Specification {
    def "an id reads back from the form journals and markers keep: #text"() {
        expect:
        StepId.parse(text) == id
        id == null || id.toString() == text

        where:
        text                        || id
        'consul.node1.up'           || StepId.of(Phase.CONSUL, 'node1', 'up')
        'pki.ca'                    || StepId.of(Phase.PKI, null, 'ca')
        'destroy.node2.state'       || StepId.of(Phase.DESTROY, 'node2', 'state')
        'provision.droplets-agents' || StepId.of(Phase.PROVISION, null, 'droplets-agents')
        'nophase.node1.up'          || null
        'consul'                    || null
        'consul..up'                || null
        'consul.a.b.c'              || null
    }

    def "every step of #example has an id that reads back as itself, and no two steps share one"() {
        when:
        def ids = Providers.plan(ScriptLoader.load(example, new File(GoldenPlanSpec.EXAMPLES, example).text)).steps()*.id()

        then:
        !ids.isEmpty()
        ids.every { StepId.parse(it.toString()) == it }
        ids.toSet().size() == ids.size()

        where:
        example << GoldenPlanSpec.examples()
    }
}
