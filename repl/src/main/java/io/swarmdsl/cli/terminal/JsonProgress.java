package io.swarmdsl.cli.terminal;

import io.swarmdsl.exec.ApplyListener;
import io.swarmdsl.exec.ApplyReport;
import io.swarmdsl.exec.StepOutcome;
import io.swarmdsl.plan.Documents;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Step;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Progress as one JSON object per line, for CI: {@code plan}, {@code start}, {@code end} and {@code summary} events. */
public final class JsonProgress implements ApplyListener {
    private final PrintStream out;

    public JsonProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void starting(Plan plan, int alreadyDone) {
        emit(event("plan", "steps", plan.steps().size(), "already_done", alreadyDone));
    }

    @Override
    public void started(Step step) {
        emit(event("start", "step", step.id().toString(), "node", step.node(), "kind", step.kind().word()));
    }

    @Override
    public void ended(Step step, StepOutcome outcome) {
        emit(event("end", "step", step.id().toString(), "node", step.node(), "status", outcome.status().name().toLowerCase(),
                "exit", outcome.exitCode(), "seconds", outcome.seconds(), "attempts", outcome.attempts(),
                "message", outcome.message(), "output", outcome.output()));
    }

    @Override
    public void finished(ApplyReport report) {
        emit(event("summary", "succeeded", report.succeeded(), "done", report.count(StepOutcome.Status.DONE),
                "already_done", report.count(StepOutcome.Status.SKIPPED), "failed", report.count(StepOutcome.Status.FAILED),
                "not_run", report.count(StepOutcome.Status.NOT_RUN), "seconds", report.seconds()));
    }

    private static Map<String, Object> event(String type, Object... fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", type);
        for (int i = 0; i < fields.length; i += 2) {
            event.put((String) fields[i], fields[i + 1]);
        }
        return event;
    }

    private synchronized void emit(Map<String, Object> event) {
        out.println(Documents.compactJson(event));
        out.flush();
    }
}
