package io.swarmdsl.e2e

/**
 * The real `swarm` command line in its own JVM (the test's classpath), so a spec can feed it
 * stdin, read what it prints and kill it with SIGKILL mid-apply.
 */
final class SwarmProcess {
    final Process process
    private final StringBuffer output = new StringBuffer()
    private final Thread reader

    private SwarmProcess(Process process) {
        this.process = process
        reader = Thread.start {
            process.inputStream.eachLine { synchronized (output) { output.append(it).append('\n') } }
        }
    }

    static SwarmProcess start(File directory, String... args) {
        start(directory, [:], [], args)
    }

    /** With {@code environment} added to this JVM's and {@code jvmOptions} (a trust store, say) before the main class. */
    static SwarmProcess start(File directory, Map<String, String> environment, List<String> jvmOptions, String... args) {
        def command = [System.getProperty('java.home') + '/bin/java'] + jvmOptions + ['-cp', System.getProperty('java.class.path'),
                       'io.swarmdsl.cli.Main'] + args.toList()
        def builder = new ProcessBuilder(command).directory(directory).redirectErrorStream(true)
        builder.environment().putAll(environment)
        new SwarmProcess(builder.start())
    }

    /** Runs to the end; returns the exit code. */
    static Map run(File directory, String... args) {
        run(directory, [:], [], args)
    }

    static Map run(File directory, Map<String, String> environment, List<String> jvmOptions, String... args) {
        def swarm = start(directory, environment, jvmOptions, args)
        int code = swarm.waitFor()
        [code: code, output: swarm.output()]
    }

    /** Runs to the end with {@code input} as its standard input (then closed); returns the exit code and the output. */
    static Map answering(File directory, String input, String... args) {
        def swarm = start(directory, args)
        swarm.process.outputStream.withCloseable { it.write(input.getBytes('UTF-8')) }
        int code = swarm.waitFor()
        [code: code, output: swarm.output()]
    }

    int waitFor() {
        int code = process.waitFor()
        reader.join(5000)
        code
    }

    String output() {
        synchronized (output) { output.toString() }
    }

    void kill() {
        process.destroyForcibly()
        process.waitFor()
        reader.join(5000)
    }
}
