package io.swarmdsl.cli;

import io.swarmdsl.cli.repl.JavaRepl;
import io.swarmdsl.cli.repl.JavaSession;
import io.swarmdsl.cli.repl.PlainRepl;
import io.swarmdsl.cli.repl.ReplSession;
import io.swarmdsl.cli.repl.TerminalRepl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code swarm repl [FILE]}: the language one line at a time, each answered with what it changed. */
@Command(name = "repl", mixinStandardHelpOptions = true,
        description = "Type the language one line at a time; each line answers what it changed. "
                + "Reads standard input as plain lines when it is not a terminal.")
final class ReplCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "a .swarm script to start from")
    Path file;

    @CommandLine.Option(names = "--java", description = "Java instead of the language: JShell with the cluster builder API and a "
            + "ClusterBuilder named cluster; /plan plans it. NOT sandboxed: plain JShell runs any Java you type, "
            + "with your rights; use it only for your own code")
    boolean java;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (java) {
            return callJava();
        }
        ReplSession session = new ReplSession();
        PrintWriter out = spec.commandLine().getOut();
        if (file != null) {
            ReplSession.Reply loaded = session.handle(":load " + file);
            out.println(loaded.text());
            out.flush();
            if (loaded.error()) {
                return Main.INVALID;
            }
        }
        if (System.console() != null) {
            new TerminalRepl(session, Main.colour(spec)).run();
            return 0;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return new PlainRepl(session).run(in, out) ? 0 : Main.INVALID;
    }

    private int callJava() throws IOException {
        if (file != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "repl --java starts from an empty cluster: it takes no FILE");
        }
        try (JavaSession session = new JavaSession()) {
            if (System.console() != null) {
                new JavaRepl(session, Main.colour(spec)).runOnTerminal();
                return 0;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return new JavaRepl(session, false).run(in, spec.commandLine().getOut()) ? 0 : Main.INVALID;
        }
    }
}
