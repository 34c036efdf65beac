package io.swarmdsl.e2e

import groovy.json.JsonSlurper
import io.swarmdsl.cli.repl.Tmux
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

import static io.swarmdsl.cli.repl.Tmux.waitUntil

/**
 * Ctrl-C during the REPL's {@code :apply}, on a real terminal (tmux) and a real node (lab4 only): the
 * running step stops on the node, the prompt comes back, the journal keeps what was done, the session goes on.
 */
class ReplInterruptSpec extends Specification {
    static final String NODE = 'lab4'
    /** Long enough that only an interruption ends it during the spec; unusual enough to find on the node. */
    static final String LONG_STEP = 'sleep 347'
    /** The long step's own process on the node, not the shell that looks for it. */
    static final String FIND_LONG_STEP = "pgrep -f '^$LONG_STEP' || true"

    @Shared Lab lab
    @Shared Path dir
    @Shared Path home
    Tmux tmux

    def setupSpec() {
        lab = Lab.up(4)
        dir = Files.createTempDirectory('repl-interrupt')
        home = Files.createTempDirectory('repl-interrupt-home')
        lab.exec(NODE, 'rm -rf /var/lib/swarm/interrupt /srv/repl-interrupt')
    }

    def cleanup() {
        tmux?.close()
    }

    def cleanupSpec() {
        lab?.exec(NODE, "pkill -f '^$LONG_STEP'; rm -rf /var/lib/swarm/interrupt /srv/repl-interrupt; true")
        dir?.toFile()?.deleteDir()
        home?.toFile()?.deleteDir()
    }

    def "Ctrl-C during :apply stops the running step, keeps the journal and returns to the prompt"() {
        given: 'a script for lab4 whose hook sleeps between two marks'
        Files.writeString(dir.resolve('interrupt.swarm'), lab.script([3], """cluster 'interrupt'
consul false
engine false
swarm false
after 'prepare', on: 'all', {
  run 'mkdir -p /srv/repl-interrupt && touch /srv/repl-interrupt/before'
  run '$LONG_STEP'
  run 'touch /srv/repl-interrupt/after'
}
"""))
        Path journal = dir.resolve('.swarm/interrupt/journal')
        tmux = Tmux.swarm('swarm-repl-interrupt', dir, home, 'repl', 'interrupt.swarm')

        when: 'the plan is applied and the long step runs'
        tmux.screenShows('swarm>')
        tmux.keys(':apply', 'Enter')
        tmux.screenShows("Only 'yes' is accepted:", 60_000)
        tmux.keys('yes', 'Enter')
        boolean running = waitUntil(60_000) { lab.exec(NODE, FIND_LONG_STEP).trim() }

        then:
        running

        when: 'Ctrl-C'
        long pressed = System.nanoTime()
        tmux.keys('C-c')
        waitUntil(10_000) { tmux.lastLine() == 'swarm>' && tmux.screen().contains('the apply was interrupted') }
        double seconds = (System.nanoTime() - pressed) / 1e9

        then: 'the prompt is back at once, and the screen says what happened and where the journal is'
        tmux.lastLine() == 'swarm>'
        seconds < 5
        tmux.joinedScreen().contains("the apply was interrupted; the journal $journal records how far it got".toString())

        tmux.joinedScreen().contains("${NODE}: prepare.${NODE}.after-2 failed: ${NODE} (${lab.addresses[3]}:22): interrupted while a command ran; it was sent TERM".toString())

        and: 'the step stopped on the node, and the one after it never ran'
        waitUntil(5_000) { lab.exec(NODE, FIND_LONG_STEP).isBlank() }
        lab.exec(NODE, 'ls /srv/repl-interrupt').readLines() == ['before']

        and: 'the journal records the steps done so far, the interrupted one as not done'
        Files.exists(journal)
        def records = Files.readAllLines(journal).collect { new JsonSlurper().parseText(it) }
        def done = records.findAll { it.event == 'done' }*.step
        done.size() >= 2
        def interrupted = records.find { it.event == 'start' && !(it.step in done) }
        interrupted != null
        records.any { it.event == 'failed' && it.step == interrupted.step && it.message.contains('interrupted') }
        !records.any { it.event == 'end' && it.succeeded }

        when: 'the session still works'
        tmux.keys(':show', 'Enter')

        then:
        tmux.screenShows("cluster 'interrupt'")
        waitUntil { tmux.lastLine() == 'swarm>' }

        cleanup:
        println "Ctrl-C to prompt: ${String.format('%.2f', seconds)} s"
    }
}
