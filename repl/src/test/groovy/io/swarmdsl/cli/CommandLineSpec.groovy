package io.swarmdsl.cli

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** The `swarm` command line run in this JVM, its output and errors captured, with a directory for scripts. */
abstract class CommandLineSpec extends Specification {
    @TempDir
    Path dir

    StringWriter out = new StringWriter()
    StringWriter err = new StringWriter()

    int swarm(String... args) {
        def commandLine = Main.commandLine()
        commandLine.setOut(new PrintWriter(out, true))
        commandLine.setErr(new PrintWriter(err, true))
        commandLine.execute(args)
    }
}
