package io.swarmdsl.cli.repl;

import io.swarmdsl.Invocation;
import io.swarmdsl.apply.Status;
import io.swarmdsl.dsl.Keywords;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.ProviderBuilder;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.Role;
import io.swarmdsl.render.Renderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion of the language: {@code :commands}; keywords at the start of a statement; a
 * section's options inside its block or after its keyword ({@code consul enc⇥}); provider names;
 * node names and roles after {@code on:}; the provider's regions after {@code region:}; a command's
 * argument ({@code :plan json}, {@code :status json}, {@code :help NAME}); files after {@code :load} and {@code :save}. Works on the text before the cursor, multi-line blocks included.
 */
final class SwarmCompleter implements Completer {
    private static final Pattern PARTIAL_WORD = Pattern.compile("[A-Za-z0-9_-]*$");
    private static final Pattern AFTER_ON = Pattern.compile("\\bon:\\s*(['\"]?)$");
    private static final Pattern AFTER_PROVIDER = Pattern.compile("\\bprovider\\s*\\(?\\s*(['\"]?)$");
    private static final Pattern AFTER_REGION = Pattern.compile("\\bregion:?\\s*\\(?\\s*(['\"]?)$");
    private static final Pattern PROVIDER_NAME = Pattern.compile("\\bprovider\\s*\\(?\\s*['\"]([A-Za-z0-9_-]+)['\"]");
    private static final Pattern COMMAND_ARGUMENT = Pattern.compile("^\\s*(:[a-z]+)\\s+$");
    private static final Pattern FILE_COMMAND = Pattern.compile("^\\s*:(load|save)\\s+\\S*$");
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)");

    private final Map<String, Map<String, String>> vocabulary = Keywords.vocabulary();
    private final Supplier<ClusterSpec> cluster;

    SwarmCompleter(Supplier<ClusterSpec> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, line.wordCursor());
        String before = line.line().substring(0, line.cursor());
        if (FILE_COMMAND.matcher(before).find()) {
            completePath(word, candidates);
            return;
        }
        Matcher partial = PARTIAL_WORD.matcher(word);
        partial.find();
        // What the shell-like word holds before the name being typed ("{", "on:'", "("): kept in the candidate.
        String lead = word.substring(0, partial.start());
        String beforeName = before.substring(0, before.length() - partial.group().length());
        String closedByReader = quoteOpeningWord(line, before, word);
        for (String value : suggestions(beforeName)) {
            String candidate = !closedByReader.isEmpty() && value.endsWith(closedByReader)
                    ? value.substring(0, value.length() - 1) : value;
            candidates.add(new Candidate(lead + candidate, value, null, null, null, null, true));
        }
    }

    /**
     * The quote a word starts with ({@code region: 'fr}), which the line reader takes off the word and
     * puts back closed around the chosen candidate; the candidate must then not close it too
     * ({@code 'fra1''}). A quote inside a word ({@code region:'fr}) stays in the word: not the reader's.
     */
    private static String quoteOpeningWord(ParsedLine line, String before, String word) {
        boolean quoteTakenOff = line instanceof CompletingParsedLine raw && raw.rawWordCursor() > line.wordCursor();
        int quoteAt = before.length() - word.length() - 1;
        return quoteTakenOff && quoteAt >= 0 ? String.valueOf(before.charAt(quoteAt)) : "";
    }

    /** Files and directories for {@code :load} and {@code :save}; a directory stays open for the next part. */
    private static void completePath(String typed, List<Candidate> candidates) {
        int slash = typed.lastIndexOf('/');
        String directory = typed.substring(0, slash + 1);
        String namePrefix = typed.substring(slash + 1);
        Path where = Invocation.current().resolve(directory.isEmpty() ? "." : directory);
        try (Stream<Path> entries = Files.list(where)) {
            entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> name.startsWith(namePrefix) && (namePrefix.startsWith(".") || !name.startsWith(".")))
                    .sorted()
                    .forEach(name -> {
                        boolean isDirectory = Files.isDirectory(where.resolve(name));
                        candidates.add(new Candidate(directory + name + (isDirectory ? "/" : ""), name, null, null, null, null,
                                !isDirectory));
                    });
        } catch (IOException | UncheckedIOException e) {
            // A directory that cannot be read offers nothing to complete.
        }
    }

    /** The words that fit where the cursor is, given the text before the name being typed. */
    List<String> suggestions(String beforeName) {
        if (beforeName.isBlank() && !beforeName.contains("\n")) {
            List<String> words = new ArrayList<>(ReplSession.COMMANDS.keySet());
            words.addAll(vocabulary.get("").keySet());
            return words;
        }
        if (beforeName.strip().equals(":")) {
            // The colon is already typed: it stays in the candidate as part of the word's lead.
            return ReplSession.COMMANDS.keySet().stream().map(command -> command.substring(1)).toList();
        }
        Matcher argument = COMMAND_ARGUMENT.matcher(beforeName);
        if (argument.find()) {
            return commandArguments(argument.group(1));
        }
        if (beforeName.strip().startsWith(":")) {
            return List.of();
        }
        Matcher on = AFTER_ON.matcher(beforeName);
        if (on.find()) {
            return quoted(targets(), on.group(1));
        }
        Matcher provider = AFTER_PROVIDER.matcher(beforeName);
        if (provider.find()) {
            return quoted(ProviderBuilder.NAMES, provider.group(1));
        }
        Statement statement = Statement.at(beforeName);
        Matcher region = AFTER_REGION.matcher(beforeName);
        if (region.find() && (statement.section.equals("provider") || statement.text.strip().startsWith("provider"))) {
            return quoted(regions(beforeName), region.group(1));
        }
        Map<String, String> section = vocabulary.getOrDefault(statement.section, Map.of());
        if (statement.text.isBlank()) {
            return List.copyOf(section.keySet());
        }
        Matcher first = FIRST_WORD.matcher(statement.text);
        if (first.find() && vocabulary.containsKey(first.group(1))) {
            return List.copyOf(vocabulary.get(first.group(1)).keySet());
        }
        return List.of();
    }

    /** {@code :plan} and {@code :status} take a format, {@code :help} a command or keyword. */
    private List<String> commandArguments(String command) {
        switch (command) {
            case ":plan":
                return Renderer.FORMATS;
            case ":status":
                return Status.FORMATS;
            case ":help": {
                List<String> names = new ArrayList<>();
                ReplSession.COMMANDS.keySet().forEach(name -> names.add(name.substring(1)));
                vocabulary.values().forEach(words -> words.keySet().stream().filter(word -> !names.contains(word)).forEach(names::add));
                return names;
            }
            default:
                return List.of();
        }
    }

    /** The regions of the provider named last before the cursor, else of the session's provider. */
    private List<String> regions(String beforeName) {
        String provider = null;
        Matcher named = PROVIDER_NAME.matcher(beforeName);
        while (named.find()) {
            provider = named.group(1);
        }
        if (provider == null && cluster.get().provider() instanceof ProviderSpec.DigitalOcean) {
            provider = "digitalocean";
        }
        return ProviderBuilder.REGIONS.getOrDefault(provider, List.of());
    }

    private List<String> targets() {
        List<String> targets = new ArrayList<>(List.of(Role.MASTER.plural(), Role.AGENT.plural(), "all"));
        cluster.get().nodes().stream().map(NodeSpec::name).forEach(targets::add);
        return targets;
    }

    /** Names as string literals, opened with the quote already typed (or a single one) and closed. */
    private static List<String> quoted(List<String> names, String typedQuote) {
        String quote = typedQuote.isEmpty() ? "'" : typedQuote;
        return names.stream().map(name -> (typedQuote.isEmpty() ? quote : "") + name + quote).toList();
    }

    /** The statement the cursor is in: the section keyword of its innermost open block, and its text so far. */
    private record Statement(String section, String text) {
        static Statement at(String text) {
            Deque<String> sections = new ArrayDeque<>();
            int statementStart = 0;
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '{') {
                    Matcher first = FIRST_WORD.matcher(text.substring(statementStart, i));
                    sections.push(first.find() ? first.group(1) : "");
                    statementStart = i + 1;
                } else if (c == '}') {
                    sections.poll();
                    statementStart = i + 1;
                } else if (c == ';' || c == '\n') {
                    statementStart = i + 1;
                }
            }
            return new Statement(sections.isEmpty() ? "" : sections.peek(), text.substring(statementStart));
        }
    }
}
