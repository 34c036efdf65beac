package io.swarmdsl.cli.terminal

import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.Schema
import com.networknt.schema.SchemaRegistry
import com.networknt.schema.SpecificationVersion
import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.exec.ApplyReport
import io.swarmdsl.exec.StepOutcome
import io.swarmdsl.provider.Providers
import io.swarmdsl.render.Schemas
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/** Every line of the apply's JSON stream keeps to the events schema shipped in the jar. */
class EventSchemaSpec extends Specification {
    @Shared
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Schemas.text('events'))
    @Shared
    ObjectMapper json = new ObjectMapper()

    def "the stream of an apply with every outcome keeps to the schema, line by line"() {
        given:
        def plan = Providers.plan(ScriptLoader.load('t.swarm', 'nodes 2; swarm mode'))
        def bytes = new ByteArrayOutputStream()
        def progress = new JsonProgress(new PrintStream(bytes, true, 'UTF-8'))
        def outcomes = [new StepOutcome(StepOutcome.Status.DONE, 0, 'ok\n', '', 0.25, 1),
                        new StepOutcome(StepOutcome.Status.SKIPPED, 0, '', 'already done', 0, 0),
                        new StepOutcome(StepOutcome.Status.FAILED, 7, 'no such file', 'exit code 7', 1.5, 3),
                        new StepOutcome(StepOutcome.Status.NOT_RUN, -1, '', 'not run: an earlier step failed', 0, 0)]
        def ended = [:]

        when:
        progress.starting(plan, 1)
        plan.steps().take(4).eachWithIndex { step, i ->
            progress.started(step)
            progress.ended(step, outcomes[i])
            ended[step.id()] = outcomes[i]
        }
        progress.finished(new ApplyReport(plan.steps().take(4), ended, 1.75))
        def lines = bytes.toString('UTF-8').readLines()

        then:
        lines.size() == 10
        lines.collect { json.readTree(it).get('event').asText() } == ['plan'] + ['start', 'end'] * 4 + ['summary']
        lines.every { schema.validate(json.readTree(it)).empty }
    }

    @Unroll
    def "an event with #broken is refused"() {
        expect:
        !schema.validate(json.readTree(line)).empty

        where:
        broken                   | line
        'an unknown event'       | '{"event":"progress","steps":3}'
        'an unknown status'      | '{"event":"end","step":"a.b","node":null,"status":"ok","exit":0,"seconds":0,"attempts":1,"message":"","output":""}'
        'a missing field'        | '{"event":"summary","succeeded":true,"done":1,"already_done":0,"failed":0,"seconds":1}'
        'a field of wrong type'  | '{"event":"plan","steps":"3","already_done":0}'
        'an unknown field'       | '{"event":"start","step":"a.b","node":"n1","kind":"ssh","token":"x"}'
    }
}
