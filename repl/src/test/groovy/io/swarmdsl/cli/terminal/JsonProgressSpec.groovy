package io.swarmdsl.cli.terminal

import com.fasterxml.jackson.databind.ObjectMapper
import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.exec.StepOutcome
import io.swarmdsl.provider.Providers
import spock.lang.Specification

class JsonProgressSpec extends Specification {
    def "each event is one JSON object whose step is the id as plans print it"() {
        given:
        def plan = Providers.plan(ScriptLoader.load('t.swarm', 'nodes 1'))
        def step = plan.steps()[0]
        def bytes = new ByteArrayOutputStream()
        def progress = new JsonProgress(new PrintStream(bytes, true, 'UTF-8'))

        when:
        progress.started(step)
        progress.ended(step, new StepOutcome(StepOutcome.Status.DONE, 0, 'ok', '', 0.5, 1))
        def events = bytes.toString('UTF-8').readLines().collect { new ObjectMapper().readValue(it, Map) }

        then:
        events*.event == ['start', 'end']
        events*.step == [step.id().toString()] * 2
        events[0].node == 'node1'
        events[1].status == 'done'
    }
}
