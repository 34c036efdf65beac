package io.swarmdsl.render

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.exec.Redactor
import io.swarmdsl.exec.RunValues
import io.swarmdsl.plan.Refs
import io.swarmdsl.provider.Providers
import io.swarmdsl.render.Renderer
import spock.lang.Specification
import spock.lang.Unroll

import java.nio.file.Files

class DeterminismAndSecretsSpec extends Specification {
    static final String GOSSIP_KEY = 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s='
    static final String SCRIPT = """
        provider 'digitalocean', region: 'sfo1', token: env('DO_TOKEN_FOR_TEST')
        nodes 5, prefix: 'sec'
        masters 3
        consul encrypt '$GOSSIP_KEY'
        swarm mode
        after 'swarm', on: 'all', { run 'docker info' }
    """

    static String render(String script, String format) {
        Renderer.forFormat(format).render(Providers.plan(ScriptLoader.load('same.swarm', script)))
    }

    @Unroll
    def "the same script gives the same #format bytes twice"() {
        expect:
        render(SCRIPT, format) == render(SCRIPT, format)

        where:
        format << Renderer.FORMATS
    }

    def "documents rendered on many threads at once are the same as on one"() {
        given:
        def document = [a: [1, 2, [b: 'c']], d: [e: [f: 'g']]]
        def expected = io.swarmdsl.plan.Documents.json(document)
        def pool = java.util.concurrent.Executors.newFixedThreadPool(8)

        when:
        def results = (1..8).collect { pool.submit({ (1..2000).collect { io.swarmdsl.plan.Documents.json(document) } } as java.util.concurrent.Callable) }*.get().flatten()

        then:
        results.every { it == expected }

        cleanup:
        pool.shutdown()
    }

    @Unroll
    def "no secret value appears in the #format plan"() {
        when:
        def out = render(SCRIPT, format)

        then:
        !out.contains(GOSSIP_KEY)
        !out.contains(GOSSIP_KEY.substring(0, 12))
        and: 'secrets are marked, or read from the environment in the shell script'
        format == 'sh' ? out.contains('CONSUL_ENCRYPT="${CONSUL_ENCRYPT:?') && out.contains('${DO_TOKEN_FOR_TEST:?')
                : format == 'dot' ? out.contains('color="firebrick"') : out.contains('(sensitive)')

        where:
        format << Renderer.FORMATS
    }

    def "the model itself never prints a secret"() {
        given:
        def spec = ScriptLoader.load('same.swarm', SCRIPT)

        expect:
        !spec.toString().contains(GOSSIP_KEY)
        spec.consul().encrypt().toString() == '(sensitive)'
    }

    def "a generated gossip key is created in the state directory by the shell script, not written into it"() {
        when:
        def out = render('nodes 3; consul encrypt true', 'sh')

        then:
        out.contains('head -c 32 /dev/urandom | base64 > "$STATE/consul-encrypt.key"')
        out.contains('"encrypt": "${CONSUL_ENCRYPT}"')
    }

    def "the shell script and apply keep one gossip key per cluster, in the same file"() {
        given: 'apply generates the key once'
        def spec = ScriptLoader.load('same.swarm', 'nodes 3; consul encrypt true')
        def state = Files.createTempDirectory('swarm-state')
        def key = new RunValues(spec, state, new Redactor()).value(Refs.GOSSIP_KEY)

        when: 'the shell plan names the file it reads the key from'
        def out = render('nodes 3; consul encrypt true', 'sh')
        def file = (out =~ 'CONSUL_ENCRYPT="\\$\\(cat "\\$STATE/([^"]+)"\\)"')[0][1]

        then: 'it is the file apply wrote, which holds the key apply uses'
        state.resolve(file).toFile().text.trim() == key

        cleanup:
        state.toFile().deleteDir()
    }

    def "json steps carry the contract's fields and mark sensitive steps"() {
        when:
        def json = new groovy.json.JsonSlurper().parseText(render(SCRIPT, 'json'))

        then:
        json.format_version == 1
        json.cluster.name == 'sec'
        json.cluster.consul.encrypt == [value: '(sensitive)', from: 'written in the script']
        json.steps.every { it.keySet().containsAll(['id', 'phase', 'node', 'kind', 'summary', 'after', 'sensitive']) }
        json.steps.find { it.id == 'swarm.sec4.join' }.sensitive
        json.steps.find { it.id == 'swarm.sec4.join' }.api.body.contains('"JoinToken": "(sensitive)"')
        json.steps.find { it.id == 'prepare.sec1.hostname' }.command.startsWith('hostname sec1')
        json.steps.find { it.id == 'consul.sec1.config' }.files[0].path == '/etc/consul/config.json'
        json.steps*.kind.toSet() == ['provision', 'ssh', 'upload', 'compose', 'docker', 'consul', 'wait'] as Set

        and: "the acl step shows its tokens by accessor, never by secret"
        def acl = json.steps.find { it.id == 'consul.sec1.acl' }
        acl.sensitive
        acl.consul_acl.tokens*.secret.every { it == '(sensitive)' }
        acl.consul_acl.tokens*.accessor.every { it ==~ /[0-9a-f-]{36}/ }
    }
}
