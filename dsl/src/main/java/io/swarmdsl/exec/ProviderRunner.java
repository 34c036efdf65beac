package io.swarmdsl.exec;

import io.swarmdsl.plan.Step;

/**
 * The runner of a cloud provider's own steps (its API calls, the waits for its machines). The apply
 * hands one in, so execution knows of no provider: each provider implements this in its package.
 */
public interface ProviderRunner extends Executor.StepRunner {
    /** Whether {@code step} is one of the provider's. */
    boolean runs(Step step);
}
