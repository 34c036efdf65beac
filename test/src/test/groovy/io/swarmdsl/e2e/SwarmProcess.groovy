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
        def command = [System.getProperty('java.home') + '/bin/java', '-cp', System.getProperty('java.class.path'),
                       'io.swarmdsl.cli.Main'] + args.toList()
        new SwarmProcess(new ProcessBuilder(command).directory(directory).redirectErrorStream(true).start())
    }

    /** Runs to the end; returns the exit code. */
    static Map run(File directory, String... args) {
        def swarm = start(directory, args)
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
