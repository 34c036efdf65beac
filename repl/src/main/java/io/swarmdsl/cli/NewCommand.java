package io.swarmdsl.cli;

import io.swarmdsl.Invocation;
import io.swarmdsl.cli.terminal.Verbosity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code swarm new [FILE]}: a commented starter script that plans as written (as {@code k0sctl init}, {@code kamal init}). */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Write a commented starter script (default " + ScriptSource.DEFAULT_FILE + ", which the other commands read when given no FILE).")
final class NewCommand implements Callable<Integer> {
    static final List<String> PROVIDERS = List.of("generic", "digitalocean");

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "where to write it (default: " + ScriptSource.DEFAULT_FILE + ")")
    Path file;

    @Option(names = "--provider", paramLabel = "PROVIDER", defaultValue = "generic",
            description = "generic (hosts you have; default) or digitalocean (droplets)")
    String provider;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Formats.check(spec.commandLine(), "provider", provider, PROVIDERS);
        Path target = file == null ? Path.of(ScriptSource.DEFAULT_FILE) : file;
        try (InputStream starter = NewCommand.class.getResourceAsStream("starters/" + provider + ".swarm")) {
            Files.writeString(Invocation.current().resolve(target), new String(starter.readAllBytes(), StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), target + " exists already: swarm new writes a new file only");
        }
        if (Main.verbosity(spec) != Verbosity.QUIET) {
            spec.commandLine().getErr().println("Wrote " + target + " (provider " + provider + "). Next: edit it, then swarm plan"
                    + (file == null ? "" : " " + target) + ".");
        }
        return 0;
    }
}
