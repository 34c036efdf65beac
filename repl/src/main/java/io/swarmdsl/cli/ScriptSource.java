package io.swarmdsl.cli;

import io.swarmdsl.Invocation;
import io.swarmdsl.apply.Loaded;
import io.swarmdsl.dsl.ScriptLoader;
import io.swarmdsl.dsl.ScriptText;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.HookSpec;
import io.swarmdsl.model.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Where a command's script comes from: a file, {@code -e 'TEXT'} on the command line, or else
 * {@value #DEFAULT_FILE} in the working directory (as k0sctl and kamal have a default file).
 */
final class ScriptSource {
    static final String DEFAULT_FILE = "cluster.swarm";

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "the .swarm script (default: " + DEFAULT_FILE + " in the working directory)")
    Path file;

    @CommandLine.Option(names = {"-e", "--eval"}, paramLabel = "SCRIPT", description = "the script itself, e.g. -e 'nodes 3; masters 1'")
    String inline;

    /** FILE as given; without FILE nor {@code -e}, {@value #DEFAULT_FILE} when the working directory has one; else null. */
    Path file() {
        if (file == null && inline == null && Files.isRegularFile(Invocation.current().resolve(Path.of(DEFAULT_FILE)))) {
            file = Path.of(DEFAULT_FILE);
        }
        return file;
    }

    /** The name errors are reported against: the file as given, or {@code -e}. */
    String name() {
        return file != null ? file.toString() : "-e";
    }

    private String text;

    /** What apply works from: the saved plan the file is, or the cluster its script loads. */
    Loaded loaded(CommandLine commandLine) {
        if (file() != null && SavedPlan.is(file)) {
            return SavedPlan.load(file);
        }
        return loaded(load(commandLine));
    }

    /** What apply works from for {@code cluster}, loaded from this source: its state beside the script, or in the working directory. */
    Loaded loaded(ClusterSpec cluster) {
        return file == null ? Loaded.inDirectory(cluster, Invocation.current().directory()) : Loaded.ofScript(cluster, file);
    }

    /** The journal of the last apply of a script file (where its connections are recorded), or null. */
    Path lastJournal() {
        return file() == null ? null : Loaded.journalOf(file());
    }

    ClusterSpec load(CommandLine commandLine) {
        if (file != null && inline != null) {
            throw new CommandLine.ParameterException(commandLine, "give one script: FILE or -e 'SCRIPT', not both");
        }
        if (file() == null && inline == null) {
            throw new CommandLine.ParameterException(commandLine, "give a script: FILE or -e 'SCRIPT'; without one, " + DEFAULT_FILE
                    + " in the working directory is read, and there is none (swarm new writes one)");
        }
        text = file != null ? read(commandLine) : inline;
        ClusterSpec cluster = ScriptLoader.load(name(), text);
        checkUploads(cluster);
        return cluster;
    }

    /** A local file an upload names must be there when planning, not found missing halfway through an apply. */
    private void checkUploads(ClusterSpec cluster) {
        Path directory = file != null ? Invocation.current().resolve(file).toAbsolutePath().getParent()
                : Invocation.current().directory();
        for (HookSpec hook : cluster.hooks()) {
            for (HookSpec.Action action : hook.actions()) {
                if (action instanceof HookSpec.Upload upload && upload.source() != null
                        && !Files.isRegularFile(Invocation.current().resolve(directory, upload.source()))) {
                    throw new SpecException(hook.position(), "upload: no such local file '" + upload.source()
                            + "' (looked for " + Invocation.current().resolve(directory, upload.source()) + ")");
                }
            }
        }
    }

    /** The script's text, once loaded. */
    String text() {
        return text;
    }

    private String read(CommandLine commandLine) {
        try {
            return ScriptText.decode(name(), Files.readAllBytes(Invocation.current().resolve(file)));
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(commandLine, "no such file: " + file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(commandLine, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
