package io.swarmdsl.exec

import io.swarmdsl.plan.Plan
import io.swarmdsl.plan.Step

/** Listeners for specs of execution: the terminal's progress display lives with the command line. */
class Listeners {
    /** Hears nothing. */
    static final ApplyListener QUIET = writingTo(new PrintStream(OutputStream.nullOutputStream()))

    /** Writes every step's end, message and output to {@code out}: what any display could show. */
    static ApplyListener writingTo(PrintStream out) {
        new ApplyListener() {
            void starting(Plan plan, int alreadyDone) {
            }

            void started(Step step) {
            }

            synchronized void ended(Step step, StepOutcome outcome) {
                out.println("${step.id()} ${outcome.status()} ${outcome.message()}")
                outcome.output().eachLine { out.println("    | $it") }
            }

            synchronized void finished(ApplyReport report) {
                out.println(report.summary())
            }
        }
    }
}
