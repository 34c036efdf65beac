package io.swarmdsl.cli

import io.swarmdsl.apply.Destroy
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class DestroyCommandSpec extends Specification {
    @TempDir
    Path dir

    StringWriter err = new StringWriter()
    ByteArrayOutputStream out = new ByteArrayOutputStream()

    /** Runs {@code swarm ARGS} with {@code input} on standard input; what it prints goes to {@link #out}. */
    int swarm(String input, String... args) {
        def commandLine = Main.commandLine()
        commandLine.setErr(new PrintWriter(err, true))
        def (stdin, stdout) = [System.in, System.out]
        System.in = new ByteArrayInputStream(input.bytes)
        System.out = new PrintStream(out, true, 'UTF-8')
        try {
            commandLine.execute(args)
        } finally {
            System.in = stdin
            System.out = stdout
        }
    }

    Path script(String text) {
        def file = dir.resolve('shop.swarm')
        file.toFile().text = text
        file
    }

    // TEST-NET addresses: a destroy that tried to connect would fail, not change anything.
    static final String GENERIC = """provider('generic') { hosts {
        host 'alpha', public: '192.0.2.10', private: '10.0.0.10'
        host 'bravo', public: '192.0.2.11', private: '10.0.0.11'
    } }
    cluster 'shop'; masters 1; swarm mode
    """

    def "an invalid script exits 2 and names its place"() {
        given:
        def file = script('nodes 3\nmastrs 3\n')

        expect:
        swarm('yes\n', 'destroy', file.toString()) == 2
        err.toString().contains("${file}:2:1: unknown keyword 'mastrs'; did you mean 'masters'?")
        !Files.exists(dir.resolve('shop.swarm.destroy.journal'))
    }

    def "the teardown plan comes first; answering anything but 'yes' changes nothing"() {
        given:
        def file = script(GENERIC)
        def applyJournal = dir.resolve('shop.swarm.journal')
        applyJournal.toFile().text = '{"event":"end","succeeded":true}\n'

        when:
        int code = swarm('no\n', 'destroy', file.toString())

        then:
        code == 1
        def printed = out.toString('UTF-8')
        printed.startsWith('Cluster shop: 2 nodes on existing hosts (generic)')
        printed.contains('+ destroy.alpha.swarm-leave  (ssh)')
        printed.contains('+ destroy.bravo.state  (ssh)')
        printed.contains("Destroy the cluster as planned? Only 'yes' is accepted: Destroy cancelled. Nothing was changed.")
        !Files.exists(dir.resolve('shop.swarm.destroy.journal'))
        applyJournal.toFile().text == '{"event":"end","succeeded":true}\n'
        err.toString().isEmpty()
    }

    def "the destroy journal sits beside the apply journal"() {
        expect:
        Destroy.journalOf(Path.of('/x/shop.swarm.journal')) == Path.of('/x/shop.swarm.destroy.journal')
        Destroy.journalOf(Path.of('/x/.swarm/shop/journal')) == Path.of('/x/.swarm/shop/destroy.journal')
    }
}
