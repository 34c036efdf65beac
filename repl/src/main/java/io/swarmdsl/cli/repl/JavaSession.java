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

    static final String HELP = String.join("\n",
            "Type Java: statements, declarations and expressions, as in JShell; an unfinished one continues on the next line.",
            "cluster is a ClusterBuilder (io.swarmdsl.model.* is imported); its methods are the language's keywords:",
            "  cluster.nodes(7).masters(3).consul(c -> c.encrypt(true)).swarm(SwarmBuilder::replication)",
            "  /plan   the plan of cluster as it is now",
            "  /help   this text",
            "  /exit   leave (Ctrl-D too)",
            "An input that fails (a compile error, an exception) leaves the session as it was before it.");

    /**
     * How {@code /plan} gets the builder {@code cluster} names now (it may have been reassigned):
     * a snippet hands it over here. Snippet classes load below this JVM's class loader, so they see this very field.
     */
    private static final AtomicReference<ClusterBuilder> HANDED_OVER = new AtomicReference<>();

    private JShell shell;
    /** The inputs that went through, in order: played again on a fresh shell when an input fails. */
    private final List<String> accepted = new ArrayList<>();
    private boolean finished;
    /** The cluster as the last answer described it, so the next one can say what changed. */
    private ClusterSpec described = new ClusterBuilder().build();

    public JavaSession() {
        shell = freshShell();
    }

    private static JShell freshShell() {
        JShell shell = JShell.builder().executionEngine("local").build();
        shell.addToClasspath(System.getProperty("java.class.path"));
        for (String setup : List.of("import io.swarmdsl.model.*;", "ClusterBuilder cluster = new ClusterBuilder();")) {
            List<String> problems = new ArrayList<>();
            evaluate(shell, setup, problems);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("the Java REPL cannot start: " + String.join("; ", problems));
            }
        }
        return shell;
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
        return handle(input, null, 1);
    }

    /**
     * As {@link #handle(String)}; with a {@code source}, each problem names the line it is on
     * ({@code stdin:4: error: …}), counted from {@code firstLine}. An input with a problem leaves the
     * session as it was before it, as a rejected line does in the language's REPL: its snippets that
     * ran (a call that changed the builder before the one that threw) are undone by playing the
     * inputs accepted so far again on a fresh shell. Anything they print is printed again then.
     */
    public ReplSession.Reply handle(String input, String source, int firstLine) {
        String trimmed = input.strip();
        if (trimmed.isEmpty()) {
            return ReplSession.Reply.ok("");
        }
        if (trimmed.startsWith("/")) {
            return command(trimmed);
        }
        List<String> answers = new ArrayList<>();
        boolean error = false;
        for (Piece snippet : snippets(input)) {
            List<String> problems = new ArrayList<>();
            answers.addAll(evaluate(shell, snippet.source(), problems));
            error |= !problems.isEmpty();
            problems.forEach(problem -> answers.add(source == null ? problem : source + ":" + (firstLine + snippet.line()) + ": " + problem));
        }
        if (error) {
            restore();
            answers.add("(the session is as it was before this input)");
            return ReplSession.Reply.failed(String.join("\n", answers));
        }
        accepted.add(input);
        answers.addAll(clusterChanges());
        return ReplSession.Reply.ok(String.join("\n", answers));
    }

    /** One snippet of an input and the line of the input it starts on, counted from 0. */
    private record Piece(String source, int line) {
    }

    /** The snippets of a whole input, as JShell splits it; one left open (at the end of piped input) is taken as it is. */
    private List<Piece> snippets(String input) {
        List<Piece> snippets = new ArrayList<>();
        String rest = input;
        while (!rest.isBlank()) {
            int line = newlines(input.substring(0, input.length() - rest.length()) + leadingBlank(rest));
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            boolean complete = info.completeness().isComplete();
            snippets.add(new Piece(complete ? info.source() : rest, line));
            rest = complete ? info.remaining() : "";
        }
        return snippets;
    }

    private static int newlines(String text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }

    private static String leadingBlank(String text) {
        return text.substring(0, text.length() - text.stripLeading().length());
    }

    /** A fresh shell with the accepted inputs played again: the session as it was before the failed input. */
    private void restore() {
        shell.close();
        shell = freshShell();
        for (String input : accepted) {
            List<String> problems = new ArrayList<>();
            snippets(input).forEach(snippet -> evaluate(shell, snippet.source(), problems));
            if (!problems.isEmpty()) {
                throw new IllegalStateException("an accepted input did not run the same way again (" + String.join("; ", problems)
                        + "): the Java REPL cannot go on");
            }
        }
    }

    private ReplSession.Reply command(String command) {
        switch (command) {
            case "/plan":
                return plan();
            case "/help":
                return ReplSession.Reply.ok(HELP);
            case "/exit":
                finished = true;
                return ReplSession.Reply.ok("");
            default:
                return ReplSession.Reply.failed("unknown command " + command + " (commands: /plan /help /exit)");
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
        evaluate(shell, JavaSession.class.getName() + ".handOver(cluster);", new ArrayList<>());
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

    /** Evaluates one snippet; returns what it answers (a value) and adds its problems to {@code problems}. */
    private static List<String> evaluate(JShell shell, String source, List<String> problems) {
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
