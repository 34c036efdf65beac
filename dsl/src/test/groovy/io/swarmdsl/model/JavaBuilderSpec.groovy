package io.swarmdsl.model

import io.swarmdsl.model.ClusterBuilder
import io.swarmdsl.model.SpecException
import io.swarmdsl.model.SwarmBuilder
import io.swarmdsl.model.SwarmSpec
import io.swarmdsl.provider.Providers
import io.swarmdsl.render.TextRenderer
import java.util.function.Consumer
import spock.lang.Specification

/** The builders are the language's Java face: the same model and planner without a script. */
class JavaBuilderSpec extends Specification {

    def "the card line can be written with the builder API"() {
        when:
        def spec = new ClusterBuilder().nodes(7).masters(3)
                .consul({ it.encrypt(true) } as Consumer)
                .swarm({ SwarmBuilder s -> s.replication() } as Consumer)
                .build()

        then:
        spec.masters().size() == 3
        spec.swarm().flavor() == SwarmSpec.Flavor.CLASSIC
        new TextRenderer().render(Providers.plan(spec)).contains('Plan: 124 steps on 7 nodes')
    }

    def "the builder applies the same rules, without a position"() {
        when:
        new ClusterBuilder().nodes(3).masters(5).build()

        then:
        SpecException e = thrown()
        e.position() == null
        e.describe() == 'masters 5 is more than the 3 nodes of the cluster'
    }
}
