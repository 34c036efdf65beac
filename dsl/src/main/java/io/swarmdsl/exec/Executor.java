package io.swarmdsl.exec;

import io.swarmdsl.plan.Fingerprint;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a plan: every step as soon as the steps it waits for have succeeded, up to {@code parallel}
 * at a time. A failed step stops the steps after it; every other step still runs, so unrelated
 * nodes finish. Steps the journal records as done with the same fingerprint are skipped.
 */
public final class Executor {
    /** Does one step, retrying what is worth retrying; never throws for a failure of the step itself. */
    public interface StepRunner {
        StepOutcome run(Step step, String fingerprint);

        /** Whether {@code step} may run in one go with the steps of its node right before and after it that may too. */
        default boolean joins(Step step) {
            return false;
        }

        /**
         * Runs {@code steps}, consecutive steps of one node each waiting only for the one before, as
         * one unit of work, telling {@code each} when each starts and ends; stops at the first that fails.
         */
        default void runInOne(List<Step> steps, List<String> fingerprints, EachStep each) {
            for (int i = 0; i < steps.size(); i++) {
                each.started(steps.get(i));
                StepOutcome outcome = run(steps.get(i), fingerprints.get(i));
                each.ended(steps.get(i), outcome);
                if (!outcome.succeeded()) {
                    return;
                }
            }
        }
    }

    /** Hears of each step of a unit of work as it starts and ends. */
    public interface EachStep {
        void started(Step step);

        void ended(Step step, StepOutcome outcome);
    }

    /** What the workers tell the scheduling thread: a step ended, a unit of work is over, or a runner broke. */
    private record Event(Step step, StepOutcome outcome, RuntimeException broken) {
    }

    private static final Event UNIT_OVER = new Event(null, null, null);

    /** How long an interrupted apply waits for its running steps to stop their commands. */
    private static final long STOP_WAIT_SECONDS = 15;

    private final Plan plan;
    private final StepRunner runner;
    private final ApplyListener listener;
    private final Journal journal;
    private final int parallel;
    /** Computed once per step: the journal, the runner and the skip check all use it. */
    private final Map<StepId, String> fingerprints = new java.util.concurrent.ConcurrentHashMap<>();

    public Executor(Plan plan, StepRunner runner, ApplyListener listener, Journal journal, int parallel) {
        this.plan = plan;
        this.runner = runner;
        this.listener = listener;
        this.journal = journal;
        this.parallel = Math.max(1, parallel);
    }

    public ApplyReport run(Map<StepId, String> doneBefore) {
        long start = System.nanoTime();
        Map<StepId, StepOutcome> outcomes = new LinkedHashMap<>();
        Map<StepId, List<Step>> dependants = new HashMap<>();
        Map<StepId, Integer> waitingFor = new HashMap<>();
        for (Step step : plan.steps()) {
            waitingFor.put(step.id(), step.after().size());
            step.after().forEach(before -> dependants.computeIfAbsent(before, k -> new ArrayList<>()).add(step));
        }
        Deque<Step> ready = new ArrayDeque<>();
        for (Step step : plan.steps()) {
            fingerprints.put(step.id(), Fingerprint.of(step));
            if (fingerprints.get(step.id()).equals(doneBefore.get(step.id()))) {
                outcomes.put(step.id(), new StepOutcome(StepOutcome.Status.SKIPPED, 0, "", "done by an earlier apply", 0, 0));
            }
        }
        listener.starting(plan, outcomes.size());
        journal.record(new LinkedHashMap<>(Map.of("event", "apply", "steps", plan.steps().size())));
        for (Step step : plan.steps()) {
            if (outcomes.containsKey(step.id())) {
                release(step, dependants, waitingFor, ready, outcomes, Set.of());
            }
        }
        for (Step step : plan.steps()) {
            if (!outcomes.containsKey(step.id()) && waitingFor.get(step.id()) == 0 && !ready.contains(step)) {
                ready.add(step);
            }
        }

        ExecutorService pool = Executors.newFixedThreadPool(parallel, task -> {
            Thread thread = new Thread(task, "apply");
            thread.setDaemon(true);
            return thread;
        });
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Set<StepId> claimed = new HashSet<>();
        int units = 0;
        try {
            while (!ready.isEmpty() || units > 0) {
                while (!ready.isEmpty()) {
                    List<Step> unit = unitFrom(ready.poll(), dependants, outcomes);
                    unit.forEach(step -> claimed.add(step.id()));
                    pool.submit(() -> runUnit(unit, events));
                    units++;
                }
                Event event = events.take();
                if (event == UNIT_OVER) {
                    units--;
                } else if (event.broken() != null) {
                    throw new IllegalStateException("a step runner failed unexpectedly", event.broken());
                } else {
                    outcomes.put(event.step().id(), event.outcome());
                    if (event.outcome().succeeded()) {
                        release(event.step(), dependants, waitingFor, ready, outcomes, claimed);
                    } else {
                        skipAfter(event.step(), dependants, outcomes);
                    }
                }
            }
        } catch (InterruptedException e) {
            // The running steps are interrupted too: they stop their commands and record so in the journal.
            pool.shutdownNow();
            awaitStopped(pool);
            Thread.currentThread().interrupt();
            throw new ApplyException("the apply was interrupted; the journal " + journal.path() + " records how far it got");
        } finally {
            pool.shutdownNow();
        }
        Map<StepId, StepOutcome> ordered = new LinkedHashMap<>();
        plan.steps().forEach(s -> ordered.put(s.id(), outcomes.getOrDefault(s.id(),
                new StepOutcome(StepOutcome.Status.NOT_RUN, 0, "", "not reached", 0, 0))));
        ApplyReport report = new ApplyReport(plan.steps(), ordered, (System.nanoTime() - start) / 1e9);
        journal.record(new LinkedHashMap<>(Map.of("event", "end", "succeeded", report.succeeded())));
        listener.finished(report);
        return report;
    }

    /** Waits a little for interrupted steps to end; a second interruption (Ctrl-C again) stops waiting. */
    private static void awaitStopped(ExecutorService pool) {
        try {
            pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException again) {
            // not waiting any longer
        }
    }

    /**
     * The ready step {@code first} and, if the runner can join them, the steps of its node that
     * follow it one after another, each waiting for nothing but the step before: one unit of work.
     */
    private List<Step> unitFrom(Step first, Map<StepId, List<Step>> dependants, Map<StepId, StepOutcome> outcomes) {
        List<Step> unit = new ArrayList<>(List.of(first));
        Step last = first;
        while (runner.joins(last)) {
            Step previous = last;
            Step next = dependants.getOrDefault(previous.id(), List.of()).stream()
                    .filter(step -> step.after().equals(List.of(previous.id())) && Objects.equals(step.node(), previous.node())
                            && !outcomes.containsKey(step.id()) && runner.joins(step))
                    .findFirst().orElse(null);
            if (next == null) {
                break;
            }
            unit.add(next);
            last = next;
        }
        return unit;
    }

    private void runUnit(List<Step> unit, BlockingQueue<Event> events) {
        try {
            runner.runInOne(unit, unit.stream().map(step -> fingerprints.get(step.id())).toList(), new EachStep() {
                @Override
                public void started(Step step) {
                    journal.record(entry("start", step, fingerprints.get(step.id())));
                    listener.started(step);
                }

                @Override
                public void ended(Step step, StepOutcome outcome) {
                    record(step, outcome);
                    events.add(new Event(step, outcome, null));
                }
            });
        } catch (RuntimeException e) {
            events.add(new Event(null, null, e));
        } finally {
            events.add(UNIT_OVER);
        }
    }

    private void record(Step step, StepOutcome outcome) {
        Map<String, Object> record = entry(outcome.status() == StepOutcome.Status.DONE ? "done" : "failed", step, fingerprints.get(step.id()));
        record.put("exit", outcome.exitCode());
        record.put("seconds", Math.round(outcome.seconds() * 1000) / 1000.0);
        record.put("attempts", outcome.attempts());
        record.put("message", outcome.message());
        record.put("output", outcome.output());
        journal.record(record);
        listener.ended(step, outcome);
    }

    private static Map<String, Object> entry(String event, Step step, String fingerprint) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("event", event);
        record.put("step", step.id().toString());
        record.put("node", step.node());
        record.put("fingerprint", fingerprint);
        return record;
    }

    /** Makes ready the steps that waited only for {@code step} now; not those already in a running unit of work. */
    private static void release(Step step, Map<StepId, List<Step>> dependants, Map<StepId, Integer> waitingFor,
                                Deque<Step> ready, Map<StepId, StepOutcome> outcomes, Set<StepId> claimed) {
        for (Step next : dependants.getOrDefault(step.id(), List.of())) {
            int left = waitingFor.merge(next.id(), -1, Integer::sum);
            if (left == 0 && !outcomes.containsKey(next.id()) && !claimed.contains(next.id())) {
                ready.add(next);
            }
        }
    }

    private void skipAfter(Step failed, Map<StepId, List<Step>> dependants, Map<StepId, StepOutcome> outcomes) {
        Deque<Step> todo = new ArrayDeque<>(dependants.getOrDefault(failed.id(), List.of()));
        while (!todo.isEmpty()) {
            Step step = todo.poll();
            if (!outcomes.containsKey(step.id())) {
                StepOutcome notRun = new StepOutcome(StepOutcome.Status.NOT_RUN, 0, "", "not run: it comes after "
                        + failed.id() + ", which failed", 0, 0);
                outcomes.put(step.id(), notRun);
                listener.ended(step, notRun);
                todo.addAll(dependants.getOrDefault(step.id(), List.of()));
            }
        }
    }
}
