package io.swarmdsl.cli;

import io.swarmdsl.cli.agent.AgentServer;
import io.swarmdsl.transport.ssh.HeldSessions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code swarm agent}: the warm process {@code scripts/swarm} hands its commands to. The launcher
 * starts it ({@code serve}) and stops it; {@code forget}, sent through the launcher, closes the SSH
 * sessions it holds.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "The warm swarm process that scripts/swarm hands commands to (see the README): scripts/swarm agent status|stop|forget.",
        subcommands = {AgentCommand.Serve.class, AgentCommand.Forget.class})
public final class AgentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "scripts/swarm agent status|stop|forget");
    }

    @Command(name = "serve", description = "Serve commands on a Unix socket until idle (scripts/swarm starts it).")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--socket", required = true, paramLabel = "PATH", description = "the Unix socket to listen on")
        Path socket;

        @Option(names = "--idle", defaultValue = "600", paramLabel = "SECONDS", description = "end after this long without a command (default: ${DEFAULT-VALUE})")
        long idle;

        @Option(names = "--hold", defaultValue = "60", paramLabel = "SECONDS",
                description = "keep each SSH session this long after the command that used it (default: ${DEFAULT-VALUE}; 0: close at once)")
        long hold;

        @Override
        public Integer call() throws IOException {
            if (hold > 0) {
                HeldSessions.keepFor(Duration.ofSeconds(hold));
            }
            new AgentServer(socket, Duration.ofSeconds(idle), arguments -> Main.commandLine().execute(arguments)).serve();
            return 0;
        }
    }

    @Command(name = "forget", description = "Close the SSH sessions the agent holds: the next command opens new ones.")
    static final class Forget implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("closed " + HeldSessions.closeAll() + " held SSH sessions");
            return 0;
        }
    }
}
