package io.swarmdsl.e2e

import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.Schema
import com.networknt.schema.SchemaRegistry
import com.networknt.schema.SpecificationVersion
import io.swarmdsl.Poll
import io.swarmdsl.render.Schemas
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/** `swarm apply` over real SSH on five lab nodes: hooks, re-apply, resume after a kill, failures. */
@Stepwise
class ApplySpec extends Specification {
    static final int NODES = 5
    @Shared Lab lab
    @Shared File dir
    @Shared File knownHosts

    def setupSpec() {
        lab = Lab.up(NODES)
        dir = File.createTempDir('apply-spec')
        knownHosts = new File(dir, 'known_hosts')
        new File(dir, 'files').mkdirs()
        new File(dir, 'files/data.txt').text = 'data from the planning machine\n'
        lab.nodes.take(NODES).each { node -> lab.exec(node, 'rm -rf /srv/e2e /var/lib/swarm') }
    }

    def cleanupSpec() {
        dir?.deleteDir()
    }

    Map apply(String scriptName, String... extra) {
        SwarmProcess.run(dir, *(['apply', '--yes', '--known-hosts', knownHosts.path] + extra.toList() + [scriptName]))
    }

    File script(String name, String body) {
        def file = new File(dir, name)
        file.text = lab.script(NODES, "consul false\nengine false\n" + body)
        file
    }

    def "a script of hooks is applied on every node: commands and uploads"() {
        given:
        script('hooks.swarm', '''
after 'provision', on: 'all', {
  run 'mkdir -p /srv/e2e'
  upload content: 'hello from swarm\\n', to: '/srv/e2e/hello.txt', mode: '0640'
  upload 'files/data.txt', to: '/srv/e2e/data.txt'
  run 'echo "$(hostname) $(cat /srv/e2e/hello.txt)" > /srv/e2e/report'
}
after 'prepare', on: 'masters', {
  run 'touch /srv/e2e/master'
}
''')

        when:
        def result = apply('hooks.swarm')

        then:
        result.code == 0
        result.output.contains('Apply complete')
        lab.nodes.take(NODES).every { node ->
            lab.exec(node, 'cat /srv/e2e/report').trim() == "$node hello from swarm" &&
                    lab.exec(node, 'stat -c %a /srv/e2e/hello.txt').trim() == '640' &&
                    lab.exec(node, 'cat /srv/e2e/data.txt') == 'data from the planning machine\n'
        }
        lab.nodes.take(NODES).count { lab.exec(it, 'ls /srv/e2e').contains('master') } == 3
        knownHosts.readLines().size() == NODES
    }

    def "applying the same script again changes nothing and says so"() {
        when:
        def result = apply('hooks.swarm')

        then:
        result.code == 0
        result.output.trim() == 'No changes. The cluster matches the script.'
    }

    def "a file changed on a node is put back, and only that"() {
        given:
        lab.exec('lab2', 'echo tampered > /srv/e2e/hello.txt')

        when:
        def result = apply('hooks.swarm')

        then:
        result.code == 0
        result.output.contains('provision.lab2.after-2')
        !result.output.contains('provision.lab1.after-2')
        lab.exec('lab2', 'cat /srv/e2e/hello.txt') == 'hello from swarm\n'
    }

    def "the JSON event stream of a real apply keeps to the schema shipped in the jar, line by line"() {
        given:
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Schemas.text('events'))
        lab.exec('lab3', 'echo tampered > /srv/e2e/hello.txt')

        when:
        def result = apply('hooks.swarm', '--format', 'json')
        def events = result.output.readLines().findAll { it.startsWith('{') }.collect { new ObjectMapper().readTree(it) }

        then:
        result.code == 0
        events.size() >= 4
        events.every { schema.validate(it).isEmpty() }
        events.first().get('event').asText() == 'plan'
        events.last().get('event').asText() == 'summary'
        events.last().get('succeeded').asBoolean()
        events.find { it.get('event').asText() == 'end' && it.get('step').asText() == 'provision.lab3.after-2' }.get('status').asText() == 'done'
        lab.exec('lab3', 'cat /srv/e2e/hello.txt') == 'hello from swarm\n'
    }

    def "a saved plan runs as saved, and is refused once its script changed"() {
        given:
        def script = script('saved.swarm', """
after 'provision', on: 'all', {
  run 'echo saved >> /srv/e2e/saved.log'
}
""")

        when: 'the plan is saved, then applied'
        def planned = SwarmProcess.run(dir, 'plan', 'saved.swarm', '-o', 'saved.json')
        def applied = apply('saved.json')

        then:
        planned.code == 0
        new File(dir, 'saved.json').text.contains('"script": "saved.swarm"')
        applied.code == 0
        applied.output.contains('Apply complete')
        lab.nodes.take(NODES).every { lab.exec(it, 'cat /srv/e2e/saved.log').readLines() == ['saved'] }

        when: 'the script changes after the plan was saved'
        script.text = script.text.replace('echo saved', 'echo changed')
        def refused = apply('saved.json')

        then:
        refused.code == 1
        refused.output.contains('changed since')
        lab.nodes.take(NODES).every { lab.exec(it, 'cat /srv/e2e/saved.log').readLines() == ['saved'] }
    }

    def "an apply killed midway resumes where it stopped and does nothing twice"() {
        given:
        script('slow.swarm', '''
after 'provision', on: 'all', {
''' + (1..6).collect { "  run 'sleep 0.4; echo step$it >> /srv/e2e/slow.log'" }.join('\n') + '''
}
''')
        def journal = new File(dir, 'slow.swarm.journal')

        when: 'the first apply is killed once some steps are done'
        def first = SwarmProcess.start(dir, 'apply', '--yes', '--known-hosts', knownHosts.path, 'slow.swarm')
        def hooksDone = { Lab.journal(journal).findAll { it.event == 'done' && it.step.contains('after-') }*.step }
        Poll.until(60_000) { hooksDone().size() >= 8 }
        first.kill()
        def doneBeforeKill = hooksDone()

        and: 'it is run again'
        def second = apply('slow.swarm')

        then:
        doneBeforeKill.size() >= 8
        doneBeforeKill.size() < NODES * 6
        second.code == 0
        second.output.contains('were done by an earlier apply (journal)')
        lab.nodes.take(NODES).every { node ->
            def lines = lab.exec(node, 'cat /srv/e2e/slow.log').readLines()
            (1..6).every { n -> lines.contains("step$n".toString()) } &&
                    doneBeforeKill.findAll { it.contains(".$node.") }.every { id ->
                        lines.count("step${id.replaceAll(/.*after-/, '')}".toString()) == 1
                    }
        }
    }

    def "a node whose SSH server stops midway fails with its step once it stays unreachable; the other nodes complete"() {
        given:
        script('stop.swarm', '''
ssh reconnect: '6s'
after 'provision', on: 'all', {
''' + (1..4).collect { "  run 'sleep 0.5; echo stop$it >> /srv/e2e/stop.log'" }.join('\n') + '''
}
''')

        def journal = new File(dir, 'stop.swarm.journal')

        when: 'lab2 stops its SSH server once its first command is done'
        def swarm = SwarmProcess.start(dir, 'apply', '--yes', '--known-hosts', knownHosts.path, 'stop.swarm')
        Poll.until(60_000, 20) { Lab.journal(journal).any { it.event == 'done' && it.step == 'provision.lab2.after-1' } }
        lab.sshStop('lab2')
        int code = swarm.waitFor()
        def output = swarm.output()

        then:
        code == 1
        output =~ /lab2\s+provision\.lab2\.after-\d+\s+FAILED/
        output =~ /unreachable for [6-9] s \(\d+ attempts\): lab2 /
        output.contains('Apply failed')
        ['lab1', 'lab3', 'lab4', 'lab5'].every { lab.exec(it, 'cat /srv/e2e/stop.log').readLines() == ['stop1', 'stop2', 'stop3', 'stop4'] }

        cleanup:
        lab.sshStart('lab2')
    }

    def "a node whose host key changed is refused before anything runs"() {
        given:
        lab.rekey('lab3')
        lab.exec('lab1', 'rm -f /srv/e2e/report')

        when:
        def result = apply('hooks.swarm')

        then:
        result.code == 1
        result.output.contains('lab3')
        result.output.toLowerCase().contains('host key')
        !lab.exec('lab1', 'ls /srv/e2e').contains('report')
    }
}
