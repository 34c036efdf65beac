package io.swarmdsl.cli;

import io.swarmdsl.Invocation;
import io.swarmdsl.cli.terminal.Verbosity;
import io.swarmdsl.dsl.ScriptLoader;
import io.swarmdsl.transport.ssh.CryptoWarmUp;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code swarm} command: a cluster is a short script; plan it, then apply it. */
@Command(name = "swarm",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Turns a .swarm script into a reviewed plan of SSH, Compose and Docker Engine actions that stands up a Docker cluster.",
        subcommands = {PlanCommand.class, ApplyCommand.class, ValidateCommand.class, StatusCommand.class, EnvCommand.class, DestroyCommand.class,
                MachinesCommand.class, BackupCommand.class, RestoreCommand.class, RotateCommand.class, ReplCommand.class, NewCommand.class, CompletionCommand.class, SchemaCommand.class, CommandLine.HelpCommand.class,
                AgentCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:execution failed", "2:the script or the command line is invalid"})
public final class Main implements Runnable {
    public static final int INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Given to any command; also the environment's NO_COLOR (no-color.org). */
    @CommandLine.Option(names = "--no-color", scope = CommandLine.ScopeType.INHERIT,
            description = "no colours (as when the environment sets NO_COLOR)")
    boolean noColor;

    @CommandLine.Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "only results and errors: nothing for a person reading along (progress, notes, estimates)")
    boolean quiet;

    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "also every step's output as it ends, and what caused an error")
    boolean verbose;

    /** How much the command behind {@code spec} says: {@code -q}, {@code -v} or neither (not both). */
    static Verbosity verbosity(CommandLine.Model.CommandSpec spec) {
        Main main = (Main) spec.root().userObject();
        return main.quiet ? Verbosity.QUIET : main.verbose ? Verbosity.VERBOSE : Verbosity.NORMAL;
    }

    /** Whether the command behind {@code spec} may colour its output: neither --no-color nor NO_COLOR says otherwise. */
    static boolean colour(CommandLine.Model.CommandSpec spec) {
        String noColorVariable = Invocation.current().variable("NO_COLOR");
        return !((Main) spec.root().userObject()).noColor && (noColorVariable == null || noColorVariable.isEmpty());
    }

    public static void main(String[] args) {
        boolean repl = args.length > 0 && args[0].equals("repl");
        // The REPL warms Groovy up once its prompt is drawn, so that the prompt comes first.
        if (!repl) {
            ScriptLoader.warmUpInBackground();
        }
        // The agent warms up for the applies it will serve.
        if (args.length > 0 && (args[0].equals("apply") || args[0].equals("agent"))) {
            CryptoWarmUp.startInBackground();
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line, ready to execute once: the agent makes one per command it serves. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setUsageHelpAutoWidth(true)
                .setExecutionStrategy(parsed -> {
                    // One rule for every command, before any of them runs.
                    Main main = (Main) parsed.commandSpec().userObject();
                    if (main.quiet && main.verbose) {
                        throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(),
                                "-q and -v say opposite things: give one of them");
                    }
                    return new CommandLine.RunLast().execute(parsed);
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof io.swarmdsl.model.SpecException spec) {
                        cmd.getErr().println(spec.describe());
                        return INVALID;
                    }
                    cmd.getErr().println("swarm: " + (e.getMessage() != null ? e.getMessage() : internalError(e)));
                    if (((Main) cmd.getCommandSpec().root().userObject()).verbose) {
                        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                            cmd.getErr().println("  because: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
                        }
                    }
                    return 1;
                });
    }

    /** An exception without a message is a bug of swarm's: say where, so that a report can name it. */
    private static String internalError(Exception e) {
        StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        return "an error inside swarm (" + e.getClass().getSimpleName() + (at == null ? "" : " at " + at.getClassName().replaceFirst(".*\\.", "")
                + "." + at.getMethodName() + ":" + at.getLineNumber()) + "); nothing more is known: please report it";
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: swarm plan FILE (see swarm --help)");
    }

    /** {@code swarm 0.1.0-SNAPSHOT (commit 248f813)}: the build's version and commit, written into the jar by Maven. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                build.load(in);
            }
            String commit = build.getProperty("commit", "");
            return new String[] {"swarm " + build.getProperty("version") + (commit.isEmpty() || commit.startsWith("${") ? "" : " (commit " + commit
                    + ("true".equals(build.getProperty("dirty")) ? ", with uncommitted changes" : "") + ")")};
        }
    }
}
