package io.swarmdsl.render

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.node.ObjectNode
import com.networknt.schema.Schema
import com.networknt.schema.SchemaRegistry
import com.networknt.schema.SpecificationVersion
import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.provider.Providers
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/** The plan JSON keeps to its schema (shipped in the jar), and the schema is strict enough to catch a broken plan. */
class PlanSchemaSpec extends Specification {
    @Shared
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Schemas.text('plan'))
    @Shared
    ObjectMapper json = new ObjectMapper()

    @Unroll
    def "the golden JSON plan #golden.name keeps to the plan schema"() {
        expect:
        schema.validate(json.readTree(golden)).collect { it.toString() } == []

        where:
        golden << new File('src/test/resources/golden').listFiles().findAll { it.name.endsWith('.plan.json') }.sort()
    }

    def "a saved plan, and a refreshed one, keep to it too"() {
        given:
        def plan = Providers.plan(ScriptLoader.load('t.swarm', 'nodes 3; swarm mode'))

        expect:
        schema.validate(json.readTree(new JsonRenderer('t.swarm', 'a' * 64).render(plan))).empty
        schema.validate(json.readTree(new JsonRenderer('t.swarm', 'a' * 64, true).render(plan))).empty
    }

    @Unroll
    def "a plan with #broken is refused"() {
        given:
        ObjectNode plan = (ObjectNode) json.readTree(new File('src/test/resources/golden/generic.plan.json'))
        change(plan)

        expect:
        !schema.validate(plan).empty

        where:
        broken                                 | change
        'another format_version'               | { ObjectNode p -> p.put('format_version', 2) }
        'no steps'                             | { ObjectNode p -> p.remove('steps') }
        'an unknown step kind'                 | { ObjectNode p -> step(p, 'ssh').put('kind', 'telnet') }
        'an unknown phase'                     | { ObjectNode p -> step(p, 'ssh').put('phase', 'deploy') }
        'an ssh step without its command'      | { ObjectNode p -> step(p, 'ssh').remove('command') }
        'a wait step without its condition'    | { ObjectNode p -> step(p, 'wait').remove('wait') }
        'a field of the wrong type'            | { ObjectNode p -> step(p, 'ssh').put('sensitive', 'no') }
        'a field the format does not have'     | { ObjectNode p -> step(p, 'upload').put('owner', 'root') }
        'a file mode that is not octal'        | { ObjectNode p -> ((ObjectNode) step(p, 'upload').get('files').get(0)).put('mode', '644') }
        'an unknown top-level field'           | { ObjectNode p -> p.put('comment', 'hi') }
    }

    private static ObjectNode step(ObjectNode plan, String kind) {
        (ObjectNode) plan.get('steps').find { JsonNode step -> step.get('kind').asText() == kind }
    }
}
