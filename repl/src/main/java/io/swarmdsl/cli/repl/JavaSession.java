package io.swarmdsl.cli.repl;

import io.swarmdsl.model.ClusterBuilder;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.SpecException;
import io.swarmdsl.provider.Providers;
import io.swarmdsl.render.TextRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

/**
 * The REPL in Java: JShell snippets against the cluster builder API, run in this JVM (so they see
 * the real classes), with {@code cluster} a predefined {@link ClusterBuilder} that {@code /plan} plans.
 */
public final class JavaSession implements AutoCloseable {
    public static final String PROMPT = "java> ";
    public static final String CONTINUATION_PROMPT = " ..> ";

    /**
     * How {@code /plan} gets the builder {@code cluster} names now (it may have been reassigned):
     * a snippet hands it over here. Snippet classes load below this JVM's class loader, so they see this very field.
     */
    private static final AtomicReference<ClusterBuilder> HANDED_OVER = new AtomicReference<>();

    private final JShell shell;
    private boolean finished;
    /** The cluster as the last answer described it, so the next one can say what changed. */
    private ClusterSpec described = new ClusterBuilder().build();

    public JavaSession() {
        shell = JShell.builder().executionEngine("local").build();
        shell.addToClasspath(System.getProperty("java.class.path"));
        for (String setup : List.of("import io.swarmdsl.model.*;", "ClusterBuilder cluster = new ClusterBuilder();")) {
            List<String> problems = evaluate(setup);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("the Java REPL cannot start: " + String.join("; ", problems));
            }
        }
    }

    /** Called by the {@code /plan} snippet; public because snippets are compiled outside this package. */
    public static void handOver(ClusterBuilder cluster) {
        HANDED_OVER.set(cluster);
    }

    /** True once {@code /exit} was given. */
    public boolean finished() {
        return finished;
    }

    /** Whether {@code text} is a whole input yet: a command, or Java snippets none of which is left open. */
    public boolean isComplete(String text) {
        if (text.strip().startsWith("/")) {
            return true;
        }
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = text;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                return false;
            }
            rest = info.remaining();
        }
        return true;
    }

    /** Answers a whole input: a command, or one or more snippets, each answered with its value or its errors. */
    public ReplSession.Reply handle(String input) {
        String trimmed = input.strip();
        if (trimmed.isEmpty()) {
            return ReplSession.Reply.ok("");
        }
        if (trimmed.startsWith("/")) {
            return command(trimmed);
        }
        List<String> answers = new ArrayList<>();
        boolean error = false;
        String rest = input;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            // An input left open at the end of piped input is evaluated as it is, to report its errors.
            String source = info.completeness().isComplete() ? info.source() : rest;
            rest = info.completeness().isComplete() ? info.remaining() : "";
            List<String> problems = new ArrayList<>();
            answers.addAll(evaluate(source, problems));
            error |= !problems.isEmpty();
            answers.addAll(problems);
        }
        answers.addAll(clusterChanges());
        return new ReplSession.Reply(String.join("\n", answers), error);
    }

    private ReplSession.Reply command(String command) {
        switch (command) {
            case "/plan":
                return plan();
            case "/exit":
                finished = true;
                return ReplSession.Reply.ok("");
            default:
                return ReplSession.Reply.failed("unknown command " + command + " (commands: /plan /exit)");
        }
    }

    private ReplSession.Reply plan() {
        ClusterBuilder cluster = currentCluster();
        if (cluster == null) {
            return ReplSession.Reply.failed("cluster is no longer a ClusterBuilder: cluster = new ClusterBuilder() starts again");
        }
        try {
            return ReplSession.Reply.ok(new TextRenderer().render(Providers.plan(cluster.build())).stripTrailing());
        } catch (SpecException e) {
            return ReplSession.Reply.failed(e.describe());
        }
    }

    /** The builder {@code cluster} names now, or null when it names none. */
    private ClusterBuilder currentCluster() {
        HANDED_OVER.set(null);
        evaluate(JavaSession.class.getName() + ".handOver(cluster);");
        return HANDED_OVER.getAndSet(null);
    }

    /** What the input changed in the cluster, as the language REPL answers; nothing while it does not build. */
    private List<String> clusterChanges() {
        ClusterBuilder cluster = currentCluster();
        if (cluster == null) {
            return List.of();
        }
        try {
            ClusterSpec now = cluster.build();
            List<String> changes = ClusterChanges.between(described, now);
            described = now;
            return changes;
        } catch (SpecException e) {
            return List.of();
        }
    }

    /** Evaluates one snippet; returns its problems (compile errors, an exception), none when it ran. */
    private List<String> evaluate(String source) {
        List<String> problems = new ArrayList<>();
        evaluate(source, problems);
        return problems;
    }

    /** Evaluates one snippet; returns what it answers (a value) and adds its problems to {@code problems}. */
    private List<String> evaluate(String source, List<String> problems) {
        List<String> answers = new ArrayList<>();
        for (SnippetEvent event : shell.eval(source)) {
            // Events caused by another snippet (a dependant updated) are not what the user typed.
            if (event.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                shell.diagnostics(snippet).map(diag -> "error: " + diag.getMessage(Locale.ENGLISH)).forEach(problems::add);
                if (problems.isEmpty()) {
                    problems.add("rejected: " + source.strip());
                }
            } else if (event.exception() != null) {
                problems.add(describe(event.exception()));
            } else if (event.value() != null && snippet instanceof VarSnippet && !isBuilder(((VarSnippet) snippet).typeName())) {
                answers.add(((VarSnippet) snippet).name() + " ==> " + event.value());
            } else if (event.value() != null && snippet instanceof ExpressionSnippet && !isBuilder(((ExpressionSnippet) snippet).typeName())) {
                answers.add(((ExpressionSnippet) snippet).name() + " ==> " + event.value());
            }
        }
        return answers;
    }

    /** A builder's value is its identity hash, which says nothing: the cluster's changes say what it did. */
    private static boolean isBuilder(String typeName) {
        return typeName.endsWith("Builder");
    }

    private static String describe(Exception exception) {
        String name = exception instanceof EvalException ? ((EvalException) exception).getExceptionClassName() : exception.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1) + ": " + exception.getMessage();
    }

    @Override
    public void close() {
        shell.close();
    }
}
