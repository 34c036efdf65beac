package io.swarmdsl.cli.terminal

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.exec.StepOutcome
import io.swarmdsl.provider.Providers
import spock.lang.Specification
import spock.lang.Unroll

class PlainProgressSpec extends Specification {
    @Unroll
    def "#verbosity progress shows #shown"() {
        given:
        def plan = Providers.plan(ScriptLoader.load('t.swarm', 'nodes 1'))
        def (first, second) = [plan.steps()[0], plan.steps()[1]]
        def bytes = new ByteArrayOutputStream()
        def progress = new PlainProgress(new PrintStream(bytes, true, 'UTF-8'), verbosity)

        when:
        progress.starting(plan, 0)
        progress.ended(first, new StepOutcome(StepOutcome.Status.DONE, 0, 'all went well', '', 0.5, 1))
        progress.ended(second, new StepOutcome(StepOutcome.Status.FAILED, 1, 'it broke', 'exit code 1', 0.5, 1))
        def text = bytes.toString('UTF-8')

        then:
        text.contains(first.id().toString()) == okLine
        text.contains('| all went well') == okOutput
        text.contains(second.id().toString()) && text.contains('FAILED') && text.contains('| it broke')

        where:
        verbosity         || okLine | okOutput | shown
        Verbosity.QUIET   || false  | false    | 'only the failed step'
        Verbosity.NORMAL  || true   | false    | 'every step, the output of the failed one'
        Verbosity.VERBOSE || true   | true     | 'every step with its output'
    }
}
