package io.swarmdsl.exec

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.plan.Fingerprint
import io.swarmdsl.plan.Plan
import io.swarmdsl.plan.Step
import io.swarmdsl.plan.StepId
import io.swarmdsl.provider.Providers
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.util.concurrent.atomic.AtomicInteger

/** The scheduler's rules, with a step runner that records what it is asked to do. */
class ExecutorSpec extends Specification {
    @TempDir
    Path dir

    /** Defaults for these specs, which {@code script} may change (as a REPL's later line does). */
    static Plan plan(String script) {
        Providers.plan(ScriptLoader.run('exec.swarm', """
            provider('generic') { hosts {
              host 'a', public: '10.213.0.11'
              host 'b', public: '10.213.0.12'
              host 'c', public: '10.213.0.13'
            } }
            masters 1; consul false; engine false
            $script
        """, new io.swarmdsl.model.ClusterBuilder()).build())
    }

    static final Plan HOOKS = plan("after 'provision', { run 'one'; run 'two'; run 'three' }")

    List<String> ran = Collections.synchronizedList([])
    Redactor redactor = new Redactor()

    ApplyReport run(Plan plan, Map<String, String> done = [:], int parallel = 8, Closure<Boolean> fails = { false }) {
        def runner = { Step step, String fingerprint ->
            ran << step.id()
            fails(step) ? new StepOutcome(StepOutcome.Status.FAILED, 1, 'boom', 'exit code 1', 0, 1)
                    : new StepOutcome(StepOutcome.Status.DONE, 0, '', '', 0, 1)
        } as Executor.StepRunner
        new Journal(dir.resolve('exec.journal'), redactor).withCloseable { journal ->
            new Executor(plan, runner, Listeners.QUIET, journal, parallel).run(done)
        }
    }

    def "every step runs once, each after the steps it waits for"() {
        when:
        def report = run(HOOKS)

        then:
        report.succeeded()
        ran.size() == HOOKS.steps().size()
        ran.toSet() == HOOKS.steps()*.id().toSet()
        HOOKS.steps().every { step -> step.after().every { ran.indexOf(it) < ran.indexOf(step.id()) } }
    }

    def "a failed step stops the steps after it, and the other nodes finish"() {
        when:
        def report = run(HOOKS, [:], 8, { it.id() == id('provision.b.after-1') })

        then:
        !report.succeeded()
        report.outcomes()[id('provision.b.after-1')].status() == StepOutcome.Status.FAILED
        report.outcomes()[id('provision.b.after-2')].status() == StepOutcome.Status.NOT_RUN
        report.outcomes()[id('provision.b.after-2')].message().contains('provision.b.after-1, which failed')
        ['a', 'c'].every { node -> report.outcomes()[id("provision.${node}.after-3")].status() == StepOutcome.Status.DONE }
        report.summary().startsWith('Apply failed:')
    }

    def "steps the journal records as done with the same fingerprint are skipped"() {
        given:
        def first = HOOKS.steps().find { it.id() == id('provision.a.after-1') }
        def second = HOOKS.steps().find { it.id() == id('provision.a.after-2') }

        when:
        def report = run(HOOKS, [(first.id()): Fingerprint.of(first), (second.id()): 'an older fingerprint'])

        then:
        !ran.contains(first.id())
        ran.contains(second.id())
        report.outcomes()[first.id()].status() == StepOutcome.Status.SKIPPED
    }

    def "no more than the parallel limit run at once"() {
        given:
        def running = new AtomicInteger()
        def most = new AtomicInteger()
        def runner = { Step step, String fingerprint ->
            most.accumulateAndGet(running.incrementAndGet(), Math::max)
            sleep(20)
            running.decrementAndGet()
            new StepOutcome(StepOutcome.Status.DONE, 0, '', '', 0, 1)
        } as Executor.StepRunner

        when:
        new Journal(dir.resolve('p.journal'), redactor).withCloseable { journal ->
            new Executor(HOOKS, runner, Listeners.QUIET, journal, 2).run([:])
        }

        then:
        most.get() == 2
    }

    def "the journal says how far an apply got, and a re-read finds the steps done"() {
        given:
        redactor.add('s3cr3t-value')

        when:
        run(HOOKS, [:], 8, { it.id() == id('provision.c.after-2') })
        def journal = dir.resolve('exec.journal')
        def done = Journal.done(journal)

        then:
        done.containsKey(id('provision.a.after-3'))
        !done.containsKey(id('provision.c.after-2'))
        !done.containsKey(id('provision.c.after-3'))
        journal.toFile().text.readLines().every { it.startsWith('{"at":"') }
    }

    def "after an apply that finished, the journal leaves nothing to skip"() {
        when:
        run(HOOKS)

        then:
        Journal.done(dir.resolve('exec.journal')).isEmpty()
    }

    def "a journal line cut short by a kill does not count as done"() {
        given:
        def journal = dir.resolve('cut.journal')
        journal.toFile().text = '{"at":"x","event":"done","step":"prepare.a.s1","fingerprint":"f1"}\n{"at":"x","event":"start","step":"prepare.a.s2"\n'

        expect:
        Journal.done(journal) == [(id('prepare.a.s1')): 'f1']
    }

    def "secrets are redacted from whatever the journal keeps"() {
        given:
        redactor.add('s3cr3t-value')
        def runner = { Step step, String fingerprint -> new StepOutcome(StepOutcome.Status.DONE, 0, 'the key is s3cr3t-value', '', 0, 1) } as Executor.StepRunner

        when:
        new Journal(dir.resolve('r.journal'), redactor).withCloseable { journal ->
            new Executor(HOOKS, runner, Listeners.QUIET, journal, 4).run([:])
        }

        then:
        !dir.resolve("r.journal").toFile().text.contains('s3cr3t-value')
        dir.resolve("r.journal").toFile().text.contains('the key is (sensitive)')
    }

    /** A runner that joins commands, as the SSH runner does, recording each unit of work it is given. */
    class JoiningRunner implements Executor.StepRunner {
        List<List<String>> units = Collections.synchronizedList([])
        String failing

        StepOutcome run(Step step, String fingerprint) {
            ran << step.id()
            step.id().toString() == failing ? new StepOutcome(StepOutcome.Status.FAILED, 3, 'boom', 'exit code 3', 0, 1)
                    : new StepOutcome(StepOutcome.Status.DONE, 0, '', '', 0, 1)
        }

        boolean joins(Step step) {
            step.action() instanceof io.swarmdsl.plan.Action.Ssh
        }

        void runInOne(List<Step> steps, List<String> fingerprints, Executor.EachStep each) {
            units << steps*.id()*.toString()
            Executor.StepRunner.super.runInOne(steps, fingerprints, each)
        }
    }

    ApplyReport runJoined(JoiningRunner runner) {
        new Journal(dir.resolve('joined.journal'), redactor).withCloseable { journal ->
            new Executor(HOOKS, runner, Listeners.QUIET, journal, 8).run([:])
        }
    }

    def "a node's consecutive commands go to the runner as one unit, and each is still reported and journaled"() {
        given:
        def runner = new JoiningRunner()

        when:
        def report = runJoined(runner)

        then: 'the wait for SSH runs alone; the commands after it, on the same node, go together'
        report.succeeded()
        runner.units.findAll { it.any { id -> id.contains('.a.') } } ==
                [['provision.a.ssh'], ['provision.a.originals', 'provision.a.after-1', 'provision.a.after-2', 'provision.a.after-3', 'prepare.a.hostname']]
        ran.size() == HOOKS.steps().size()
        def journaled = dir.resolve('joined.journal').toFile().readLines().findAll { it.contains('"event":"done"') }
        journaled.size() == HOOKS.steps().size()
        HOOKS.steps().every { step -> journaled.any { it.contains('"step":"' + step.id() + '"') } }
    }

    def "a failure inside a unit stops the unit there: its later steps are reported as not run"() {
        given:
        def runner = new JoiningRunner(failing: 'provision.b.after-2')

        when:
        def report = runJoined(runner)

        then:
        !report.succeeded()
        report.outcomes()[id('provision.b.after-1')].status() == StepOutcome.Status.DONE
        report.outcomes()[id('provision.b.after-2')].status() == StepOutcome.Status.FAILED
        report.outcomes()[id('provision.b.after-3')].status() == StepOutcome.Status.NOT_RUN
        report.outcomes()[id('prepare.b.hostname')].status() == StepOutcome.Status.NOT_RUN
        !ran.contains('provision.b.after-3')
        report.outcomes()[id('prepare.a.hostname')].status() == StepOutcome.Status.DONE
    }

    private static StepId id(String text) {
        StepId.parse(text)
    }
}
