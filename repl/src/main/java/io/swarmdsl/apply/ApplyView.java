package io.swarmdsl.apply;

import io.swarmdsl.exec.ApplyListener;
import io.swarmdsl.plan.Plan;

/**
 * What an apply or a destroy shows its user and asks them. The command line and the REPL each bring
 * one (the terminal's progress display lives with them), so the apply core prints nothing itself.
 */
public interface ApplyView {
    /** A line every user reads, whatever the output's format. */
    void say(String line);

    /** A line for a person reading along; left out of a machine-readable stream. */
    void tell(String line);

    /** The plan about to run, for a person. */
    void show(Plan plan);

    /** Asks {@code question} before anything runs; true only when the answer is yes. */
    boolean confirm(String question);

    /** Where the run's progress goes. */
    ApplyListener progress();
}
