package io.swarmdsl.cli.repl;

import io.swarmdsl.Invocation;
import io.swarmdsl.apply.Apply;
import io.swarmdsl.apply.Status;
import io.swarmdsl.cli.terminal.ConsoleView;
import io.swarmdsl.dsl.Keywords;
import io.swarmdsl.dsl.LanguageReference;
import io.swarmdsl.dsl.ScriptLoader;
import io.swarmdsl.exec.ClusterStatus;
import io.swarmdsl.model.ClusterBuilder;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.DidYouMean;
import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import io.swarmdsl.provider.Providers;
import io.swarmdsl.render.Renderer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REPL without a terminal: the accepted lines so far and the cluster they describe. Every input
 * is evaluated by running all accepted lines plus the new one on a fresh {@link ClusterBuilder}, so a
 * rejected line leaves the cluster exactly as it was, and the session always equals its script.
 */
public final class ReplSession {
    /** What an input answers; {@code error} when it was rejected. */
    public record Reply(String text, boolean error) {
        static Reply ok(String text) {
            return new Reply(text, false);
        }

        static Reply failed(String text) {
            return new Reply(text, true);
        }
    }

    /** The commands and what they do, in the order {@code :help} lists them. */
    public static final Map<String, String> COMMANDS = commands();

    /** The name errors in a typed line are reported against: {@code input:1:10: …}. */
    static final String INPUT = "input";
    /** The name errors in earlier, accepted lines are reported against (line numbers as in {@code :show}). */
    static final String SESSION = "session";

    private final List<String> accepted = new ArrayList<>();
    /** {@code states.get(i)} is the cluster after the first {@code i} accepted lines. */
    private final List<ClusterSpec> states = new ArrayList<>();
    private final List<String> history = new ArrayList<>();
    private ClusterSpec planned;
    private boolean finished;
    /** Where {@code :apply} keeps the cluster's state and journal: {@code .swarm/CLUSTER/} in it, as {@code apply -e}. */
    private final Path directory;
    /** Where {@code :apply} asks for its confirmation and shows its progress; set by the front end that owns the console. */
    private ConsoleView.Question question;
    private PrintStream applyOutput;

    public ReplSession() {
        this(Invocation.current().directory());
    }

    public ReplSession(Path directory) {
        this.directory = directory;
        // An empty script is a fresh builder: no compile needed, so the prompt comes at once.
        states.add(new ClusterBuilder().build());
        planned = cluster();
    }

    /** Lets {@code :apply} ask its question with {@code question} and show the plan and progress on {@code output}. */
    public void applyOn(ConsoleView.Question question, PrintStream output) {
        this.question = question;
        this.applyOutput = output;
    }

    public ClusterSpec cluster() {
        return states.get(states.size() - 1);
    }

    public List<String> acceptedLines() {
        return List.copyOf(accepted);
    }

    /** True once {@code :exit} was given. */
    public boolean finished() {
        return finished;
    }

    public Reply handle(String input) {
        return handle(input, INPUT, 1);
    }

    /** As {@link #handle(String)}, with errors placed in {@code source} from its line {@code firstLine} on ({@code stdin:12:3}). */
    public Reply handle(String input, String source, int firstLine) {
        String trimmed = input.strip();
        if (trimmed.isEmpty()) {
            return Reply.ok("");
        }
        history.add(input);
        return trimmed.startsWith(":") ? command(trimmed) : evaluate(input, source, firstLine);
    }

    private Reply evaluate(String input, String source, int firstLine) {
        StringBuilder script = new StringBuilder();
        int acceptedLineCount = 0;
        for (String line : accepted) {
            script.append(line).append('\n');
            acceptedLineCount += (int) line.lines().count();
        }
        script.append(input);
        ClusterSpec next;
        try {
            next = ScriptLoader.run(SESSION, script.toString(), new ClusterBuilder()).build();
        } catch (SpecException e) {
            return Reply.failed(relativeTo(e, acceptedLineCount, source, firstLine).describe());
        }
        List<String> changes = ClusterChanges.between(cluster(), next);
        accepted.add(input);
        states.add(next);
        return Reply.ok(changes.isEmpty() ? "no change to the cluster" : String.join("\n", changes));
    }

    /** Places an error in the new input by the input's own lines, so its column is the one the user typed. */
    private static SpecException relativeTo(SpecException e, int acceptedLineCount, String source, int firstLine) {
        SourcePosition position = e.position();
        if (position == null || position.line() <= acceptedLineCount) {
            return e;
        }
        return new SpecException(new SourcePosition(source, position.line() - acceptedLineCount + firstLine - 1, position.column()),
                e.getMessage());
    }

    private Reply command(String input) {
        String[] parts = input.split("\\s+", 2);
        String name = parts[0];
        String argument = parts.length > 1 ? parts[1].strip() : "";
        switch (name) {
            case ":plan":
                return plan(argument.isEmpty() ? "text" : argument);
            case ":graph":
                return plan("dot");
            case ":show":
                return Reply.ok(accepted.isEmpty() ? "(no lines yet)" : String.join("\n", accepted));
            case ":diff":
                return diff();
            case ":load":
                return load(argument);
            case ":save":
                return save(argument);
            case ":reset":
                accepted.clear();
                states.subList(1, states.size()).clear();
                planned = cluster();
                return Reply.ok("the session is empty again");
            case ":undo":
                return undo();
            case ":history":
                return history();
            case ":help":
                return help(argument);
            case ":exit":
                finished = true;
                return Reply.ok("");
            case ":apply":
                return apply();
            case ":status":
                return status(argument.isEmpty() ? "text" : argument);
            default:
                return Reply.failed("unknown command " + name + " (commands: " + String.join(" ", COMMANDS.keySet()) + ")");
        }
    }

    private Reply plan(String format) {
        if (!Renderer.FORMATS.contains(format)) {
            return Reply.failed("unknown format '" + format + "' (formats: " + String.join(", ", Renderer.FORMATS) + ")");
        }
        planned = cluster();
        return Reply.ok(Renderer.forFormat(format).render(Providers.plan(cluster())).stripTrailing());
    }

    /** The answer is the apply's own output; the reply only says whether it went through. */
    private Reply apply() {
        if (question == null) {
            return Reply.failed(":apply needs a console to ask on");
        }
        try {
            int code = new Apply(Apply.Options.defaults(), new ConsoleView(applyOutput, question, false)).run(cluster(), directory);
            return new Reply("", code != 0);
        } catch (RuntimeException e) {
            // Whatever stopped the apply (a refused plan, a lost node, Ctrl-C) ends it, not the session.
            return Reply.failed(e.getMessage());
        } finally {
            applyOutput.flush();
        }
    }

    /** The live cluster as {@code swarm status} reads it; an error when any node is not as the script wants it. */
    private Reply status(String format) {
        if (!Status.FORMATS.contains(format)) {
            return Reply.failed("unknown format '" + format + "' (formats: " + String.join(", ", Status.FORMATS) + ")");
        }
        ClusterStatus status = Status.read(cluster(), directory);
        return new Reply(Status.render(status, format).stripTrailing(), !status.healthy());
    }

    private Reply diff() {
        List<String> changes = ClusterChanges.between(planned, cluster());
        return Reply.ok(changes.isEmpty() ? "no change since the last :plan" : String.join("\n", changes));
    }

    private Reply load(String file) {
        if (file.isEmpty()) {
            return Reply.failed("usage: :load FILE");
        }
        String text;
        try {
            text = Files.readString(Invocation.current().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Reply.failed("cannot read " + file + ": " + e.getMessage());
        }
        return evaluate(text.stripTrailing(), file, 1);
    }

    private Reply save(String file) {
        if (file.isEmpty()) {
            return Reply.failed("usage: :save FILE");
        }
        try {
            Files.writeString(Invocation.current().resolve(file), accepted.isEmpty() ? "" : String.join("\n", accepted) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Reply.failed("cannot write " + file + ": " + e.getMessage());
        }
        return Reply.ok("saved " + accepted.size() + " " + (accepted.size() == 1 ? "entry" : "entries") + " to " + file);
    }

    private Reply undo() {
        if (accepted.isEmpty()) {
            return Reply.failed("nothing to undo");
        }
        String dropped = accepted.remove(accepted.size() - 1);
        ClusterSpec before = states.remove(states.size() - 1);
        List<String> changes = ClusterChanges.between(before, cluster());
        return Reply.ok("dropped: " + dropped.lines().findFirst().orElse("")
                + (changes.isEmpty() ? "" : "\n" + String.join("\n", changes)));
    }

    private Reply history() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < history.size(); i++) {
            text.append(String.format("%4d  %s%n", i + 1, history.get(i)));
        }
        return Reply.ok(text.toString().stripTrailing());
    }

    private Reply help(String name) {
        if (name.isEmpty()) {
            StringBuilder text = new StringBuilder("Type the language one line at a time (several with ';'); an open { ( [ or quote continues the line.\n");
            COMMANDS.forEach((command, what) -> text.append(String.format("  %-14s %s%n", command, what)));
            text.append("Keywords: ").append(String.join(" ", Keywords.vocabulary().get("").keySet()))
                    .append("  (:help KEYWORD for its usage)");
            return Reply.ok(text.toString());
        }
        String asCommand = name.startsWith(":") ? name : ":" + name;
        List<String> answers = new ArrayList<>();
        if (COMMANDS.containsKey(asCommand)) {
            answers.add(asCommand + "  " + COMMANDS.get(asCommand));
        }
        String reference = LanguageReference.help(name);
        if (reference != null) {
            answers.add(reference);
        }
        if (answers.isEmpty()) {
            List<String> names = new ArrayList<>(LanguageReference.names());
            COMMANDS.keySet().forEach(command -> names.add(command.substring(1)));
            return Reply.failed("no command or keyword named '" + name + "'" + DidYouMean.suggest(name, names));
        }
        return Reply.ok(String.join("\n\n", answers));
    }

    private static Map<String, String> commands() {
        Map<String, String> commands = new LinkedHashMap<>();
        commands.put(":plan", "the plan of the cluster so far (:plan json|sh|dot for other formats)");
        commands.put(":graph", "the plan as a Graphviz graph (dot)");
        commands.put(":show", "the accepted lines, as a script");
        commands.put(":diff", "what changed since the last :plan");
        commands.put(":load", ":load FILE: evaluate a script into the session");
        commands.put(":save", ":save FILE: write the accepted lines as a .swarm script");
        commands.put(":undo", "drop the last accepted line");
        commands.put(":reset", "drop every line: the default cluster");
        commands.put(":history", "every input of this session");
        commands.put(":help", ":help [COMMAND|KEYWORD]");
        commands.put(":apply", "plan, ask, then apply the cluster over SSH (state and journal in .swarm/CLUSTER/ here)");
        commands.put(":status", "the live cluster as its engines report it: nodes, roles, health, leader (:status json too;"
                + " the client certificate in .swarm/CLUSTER/ here)");
        commands.put(":exit", "leave (Ctrl-D too)");
        return Collections.unmodifiableMap(commands);
    }
}
