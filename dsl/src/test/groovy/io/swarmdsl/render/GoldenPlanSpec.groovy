package io.swarmdsl.render

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.plan.Fingerprint
import io.swarmdsl.provider.Providers
import io.swarmdsl.render.Renderer
import spock.lang.Specification
import spock.lang.Unroll

/**
 * The plan of every checked-in example, byte for byte. A change of the planner or a renderer shows
 * up here as a diff to review; after reviewing, rewrite them with {@code -Dgolden.update=true}.
 */
class GoldenPlanSpec extends Specification {
    static final File EXAMPLES = new File('../examples')
    static final File GOLDEN = new File('src/test/resources/golden')
    static final boolean UPDATE = Boolean.getBoolean('golden.update')

    static List<String> examples() {
        EXAMPLES.listFiles().findAll { it.name.endsWith('.swarm') && it.name != 'lab.swarm' }*.name.sort()
    }

    @Unroll
    def "#example plans as its golden #format file says"() {
        given:
        def script = new File(EXAMPLES, example)
        def rendered = Renderer.forFormat(format).render(Providers.plan(ScriptLoader.load("examples/$example", script.text)))
        def golden = new File(GOLDEN, example.replace('.swarm', ".plan.$format"))
        if (UPDATE) {
            golden.text = rendered
        }

        expect:
        golden.exists()
        rendered == golden.text

        where:
        [example, format] << [examples(), ['text', 'json', 'sh', 'dot']].combinations()
    }

    /** A step's fingerprint is what the nodes' markers and the journal hold: it changes only on purpose. */
    @Unroll
    def "the steps of #example keep the fingerprints of their golden file"() {
        given:
        def plan = Providers.plan(ScriptLoader.load("examples/$example", new File(EXAMPLES, example).text))
        def rendered = plan.steps().collect { "${it.id()} ${Fingerprint.of(it)}\n" }.join('')
        def golden = new File(GOLDEN, example.replace('.swarm', '.fingerprints'))
        if (UPDATE) {
            golden.text = rendered
        }

        expect:
        rendered == golden.text

        where:
        example << examples()
    }

    def "the golden files cover at least the article's cluster, the card line, existing hosts, Swarm mode, hooks and compose"() {
        expect:
        examples().containsAll(['doccur.swarm', 'card.swarm', 'generic.swarm', 'swarm-mode.swarm', 'hooks.swarm'])
    }
}
