package io.swarmdsl.cli.agent

import io.swarmdsl.Poll
import java.util.concurrent.TimeUnit

/**
 * An agent in a JVM of its own (the test's classpath), serving a directory as scripts/swarm starts
 * it, and its clients: for the agent's specs here and the end-to-end ones on lab nodes.
 */
final class AgentProcess implements AutoCloseable {
    static final String JAVA = System.getProperty('java.home') + '/bin/java'
    static final String CLASSPATH = System.getProperty('java.class.path')

    final File directory
    final File socket
    private final Process process

    private AgentProcess(File directory, File socket, Process process) {
        this.directory = directory
        this.socket = socket
        this.process = process
    }

    /** Starts {@code swarm agent serve} in {@code directory} with {@code options}, its socket there; returns once it listens. */
    static AgentProcess serve(File directory, String... options) {
        serve(directory, directory, options)
    }

    /** Starts {@code swarm agent serve} in {@code directory}, its socket and log in {@code socketDirectory}; returns once it listens. */
    static AgentProcess serve(File directory, File socketDirectory, String... options) {
        def socket = new File(socketDirectory, 'agent.sock')
        def log = new File(socketDirectory, 'agent.log')
        def process = new ProcessBuilder([JAVA, '-cp', CLASSPATH, 'io.swarmdsl.cli.Main', 'agent', 'serve', '--socket', socket.path]
                + options.toList()).directory(directory).redirectErrorStream(true).redirectOutput(log).start()
        assert Poll.until(15_000) { socket.exists() }: log.text
        new AgentProcess(directory, socket, process)
    }

    /** The client, as scripts/swarm starts it, in the agent's directory unless told otherwise. */
    Process client(List<String> args, File from = directory, Map<String, String> environment = [:]) {
        start([JAVA, '-cp', CLASSPATH, AgentClient.name, socket.path] + args, from, environment)
    }

    static Process start(List<String> command, File directory, Map<String, String> environment = [:]) {
        def builder = new ProcessBuilder(command).directory(directory)
        builder.environment().putAll(environment)
        builder.start()
    }

    /** Waits for {@code process} (after writing {@code input}, if any): its exit code, stdout and stderr. */
    static Map finish(Process process, String input = null) {
        if (input != null) {
            process.outputStream.withWriter { it << input }
        }
        def out = new StringBuffer()
        def err = new StringBuffer()
        process.consumeProcessOutput(out, err)
        assert process.waitFor(120, TimeUnit.SECONDS)
        process.waitForProcessOutput()
        [code: process.exitValue(), out: out.toString(), err: err.toString()]
    }

    /** Whether {@code condition} holds within 5 s, asked every 100 ms. */
    static boolean eventually(Closure<Boolean> condition) {
        Poll.until(5_000, 100, condition)
    }

    @Override
    void close() {
        process.destroy()
        process.waitFor(10, TimeUnit.SECONDS)
    }
}
