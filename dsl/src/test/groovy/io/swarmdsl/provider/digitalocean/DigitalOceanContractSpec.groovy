package io.swarmdsl.provider.digitalocean

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.exec.ApplyException
import io.swarmdsl.exec.ApplyReport
import io.swarmdsl.exec.Executor
import io.swarmdsl.exec.Journal
import io.swarmdsl.exec.Listeners
import io.swarmdsl.exec.Redactor
import io.swarmdsl.exec.RunValues
import io.swarmdsl.exec.StepOutcome
import io.swarmdsl.model.ClusterSpec
import io.swarmdsl.plan.Plan
import io.swarmdsl.plan.StepId
import io.swarmdsl.plan.Text
import io.swarmdsl.provider.Provider
import io.swarmdsl.provider.Providers
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/** The provider against a local HTTPS server that answers like DigitalOcean's API v2. */
class DigitalOceanContractSpec extends Specification {
    static final String TOKEN = 'dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
    static final String PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl swarm@test'

    @TempDir
    Path dir

    @AutoCleanup
    FakeDigitalOcean fake = new FakeDigitalOcean(TOKEN)

    List<Duration> waits = []
    ByteArrayOutputStream progress = new ByteArrayOutputStream()

    def setup() {
        Files.writeString(dir.resolve('token'), TOKEN + '\n')
        Files.writeString(dir.resolve('id_test.pub'), PUBLIC_KEY + '\n')
    }

    ClusterSpec cluster(String extra = '') {
        ScriptLoader.load('test.swarm', """
            provider 'digitalocean', region: 'sfo1', size: '512mb', image: 'ubuntu-15-10-x64', sshKey: 'id_test', token: file('${dir.resolve('token')}')
            nodes 5, prefix: 'doccur'
            masters 3
            $extra
        """.stripIndent())
    }

    /** Phase one of {@code spec}'s plan, run as apply runs it, with a journal beside the script. */
    Map provision(ClusterSpec spec, Plan plan = Providers.plan(spec), String token = TOKEN) {
        Redactor redactor = new Redactor()
        RunValues values = new RunValues(spec, dir.resolve('.swarm').resolve(spec.name()), redactor)
        values.resolveSecrets()
        Provisioner provisioner = new Provisioner(spec, fake.api(waits, token), values, redactor, dir, Duration.ofMillis(5))
        Plan phaseOne = new Plan(spec, plan.steps().findAll { provisioner.runs(it) })
        ApplyReport report
        new Journal(dir.resolve('test.swarm.journal'), redactor).withCloseable { journal ->
            report = new Executor(phaseOne, provisioner, Listeners.writingTo(new PrintStream(progress, true)), journal, 4).run([:])
        }
        [report: report, values: values, provisioner: provisioner]
    }

    Map state(String cluster = 'doccur') {
        new groovy.json.JsonSlurper().parse(dir.resolve(".swarm/$cluster/droplets.json").toFile()) as Map
    }

    String everythingWritten() {
        Files.walk(dir).findAll { Files.isRegularFile(it) && !it.fileName.toString().equals('token') }.collect { Files.readString(it) }.join('\n') +
                progress.toString()
    }

    def "creates the droplets of each role in one call with names, region, size, image, tags and the registered key"() {
        when:
        def result = provision(cluster())

        then:
        result.report.succeeded()
        fake.requests('POST', '/v2/account/keys').size() == 1
        fake.creates().size() == 2
        int keyId = fake.keys.values().first().id
        with(fake.creates()[0]) {
            names == ['doccur1', 'doccur2', 'doccur3']
            region == 'sfo1'
            size == '512mb'
            image == 'ubuntu-15-10-x64'
            private_networking == true
            tags == ['swarm:doccur', 'swarm:doccur:master']
            ssh_keys == [keyId]
        }
        fake.creates()[1].names == ['doccur4', 'doccur5']
        fake.creates()[1].tags == ['swarm:doccur', 'swarm:doccur:agent']

        and: 'the addresses are known to the rest of the apply, and recorded with the IDs'
        def doccur1 = fake.droplets.values().find { it.name == 'doccur1' }
        result.values.value(Text.Ref.runtime('doccur1.public_address', 'provision')) == doccur1.networks.v4[0].ip_address
        result.values.value(Text.Ref.runtime('doccur1.private_address', 'provision')) == doccur1.networks.v4[1].ip_address
        state().droplets.doccur1.id == doccur1.id
        state().droplets.keySet() == ['doccur1', 'doccur2', 'doccur3', 'doccur4', 'doccur5'] as Set
        state().ssh_key_id == fake.keys.values().first().id
    }

    def "reuses an SSH key DigitalOcean already has under the key's fingerprint"() {
        given:
        String fingerprint = PublicKeyFile.fingerprint(PUBLIC_KEY, 'key')
        fake.keys[fingerprint] = [id: 77, fingerprint: fingerprint, public_key: PUBLIC_KEY, name: 'mine']

        when:
        def result = provision(cluster())

        then:
        result.report.succeeded()
        fake.requests('POST', '/v2/account/keys').empty
        fake.creates()*.ssh_keys.flatten() == [77, 77]
    }

    def "adopts droplets that carry the cluster tag and a node's name, through every page, and creates only the others"() {
        given: 'three of five exist, tagged; a droplet of the same name without the tag is someone else\'s'
        def existing = ['doccur1', 'doccur2', 'doccur4'].collect { fake.seed(it, ['swarm:doccur']) }
        fake.seed('doccur3', ['web'])

        when:
        def result = provision(cluster())

        then:
        result.report.succeeded()
        fake.creates()*.names == [['doccur3'], ['doccur5']]
        state().droplets.doccur1.id == existing[0].id
        state().droplets.doccur4.id == existing[2].id
        fake.droplets.values().count { it.name == 'doccur3' } == 2
        fake.requests('GET', '/v2/droplets?').any { it.url.contains('page=2') }
    }

    def "a second run changes nothing: every droplet is adopted"() {
        given:
        provision(cluster())
        int before = fake.droplets.size()

        when:
        def again = provision(cluster())

        then:
        again.report.succeeded()
        fake.droplets.size() == before
        fake.creates().size() == 2
    }

    def "waits until each droplet is active before giving its addresses"() {
        given:
        fake.readsUntilActive = 3

        when:
        def result = provision(cluster())

        then:
        result.report.succeeded()
        fake.droplets.values().every { it.status == 'active' }
        fake.requests('GET', "/v2/droplets/${fake.droplets.keySet().first()}").size() >= 3
    }

    def "a failure part-way leaves a state from which a re-run goes on without duplicates"() {
        given: 'the account can hold the two agents but not the three masters'
        fake.dropletLimit = 2

        when:
        def first = provision(cluster())

        then:
        !first.report.succeeded()
        first.report.outcomes()[id('provision.droplets-masters')].message().contains('droplet limit')
        state().droplets.keySet() == ['doccur4', 'doccur5'] as Set

        when: 'the limit is raised and the same apply runs again'
        fake.dropletLimit = 10
        def second = provision(cluster())

        then:
        second.report.succeeded()
        fake.creates().findAll { it.names.contains('doccur4') }.size() == 1
        fake.droplets.values()*.name.sort() == ['doccur1', 'doccur2', 'doccur3', 'doccur4', 'doccur5']
    }

    def "a create that got no answer is looked for before it is tried again"() {
        given: 'the masters are created, but the answer is a server error'
        fake.failNext('POST', '/v2/droplets', 500, [id: 'server_error', message: 'Unexpected server-side error'], 1, true)

        when:
        def result = provision(cluster())

        then:
        result.report.succeeded()
        fake.droplets.values()*.name.sort() == ['doccur1', 'doccur2', 'doccur3', 'doccur4', 'doccur5']
    }

    def "rate limited (429), it waits until the reset the headers give, then goes on"() {
        given:
        fake.rateLimitNext(2)

        when:
        def result = provision(cluster())

        then:
        result.report.succeeded()
        waits.size() == 2
        waits.every { it >= Duration.ofSeconds(1) && it <= Duration.ofSeconds(3) }
    }

    def "an invalid token (401) says so, and never shows the token"() {
        when:
        def result = provision(cluster(), Providers.plan(cluster()), 'dop_v1_wrong_token_wrong_token_wrong')

        then:
        !result.report.succeeded()
        def message = result.report.outcomes()[id('provision.ssh-key')].message()
        message.contains('401')
        message.contains('DIGITALOCEAN_ACCESS_TOKEN')
        !message.contains('dop_v1_wrong')
    }

    def "an unknown #what (422) lists the valid ones, read from the API"() {
        when:
        def result = provision(ScriptLoader.load('test.swarm', """
            provider 'digitalocean', $setting, sshKey: 'id_test', token: file('${dir.resolve('token')}')
            nodes 1, prefix: 'doccur'
        """.stripIndent()))

        then:
        def message = result.report.outcomes()[id('provision.droplets-masters')].message()
        message.contains(expected)

        where:
        what     | setting                                                          | expected
        'region' | "region: 'sfo9', size: '512mb', image: 'ubuntu-15-10-x64'"       | "region 'sfo9' is unknown, regions: fra1, nyc1, sfo1"
        'size'   | "region: 'sfo1', size: '1tb', image: 'ubuntu-15-10-x64'"         | "size '1tb' is unknown, sizes: 512mb, s-1vcpu-1gb, s-1vcpu-2gb"
        'image'  | "region: 'sfo1', size: '512mb', image: 'ubuntu-99-x64'"          | "image 'ubuntu-99-x64' is unknown, images: debian-12-x64, ubuntu-15-10-x64"
    }

    def "server errors on reads are retried a bounded number of times"() {
        given: 'the two roles\' droplet steps run at once, each with its own attempts'
        fake.failNext('GET', '/v2/droplets', 503, [id: 'service_unavailable', message: 'Service Unavailable'], count)

        when:
        def result = provision(cluster())

        then:
        result.report.succeeded() == succeeds

        where:
        count | succeeds
        3     | true
        8     | false
    }

    def "destroy deletes only the droplets that carry the cluster's tag"() {
        given:
        provision(cluster())
        def ours = fake.droplets.values().findAll { it.tags.contains('swarm:doccur') }*.id
        def untagged = fake.seed('doccur1', ['web'])
        def otherCluster = fake.seed('doccur2', ['swarm:other'])
        ClusterSpec spec = cluster()

        when:
        def result = provision(spec, DropletTeardown.plan(spec))

        then:
        result.report.succeeded()
        fake.requests('DELETE', '/v2/droplets/')*.url.collect { it.tokenize('/').last() as int }.sort() == ours.sort()
        fake.droplets.keySet() == [untagged.id, otherCluster.id] as Set
        state().droplets.isEmpty()
    }

    def "the token is in no output, no state file and no journal"() {
        when:
        provision(cluster())
        provision(cluster(), Providers.plan(cluster()), TOKEN.reverse())

        then:
        !everythingWritten().contains(TOKEN)
        !everythingWritten().contains(TOKEN.reverse())
        everythingWritten().contains('created doccur1')
    }

    /** A provisioner as apply makes one, recording the host keys it is asked to forget. */
    Provisioner provisioner(ClusterSpec spec, List<String> forgotten = []) {
        Redactor redactor = new Redactor()
        RunValues values = new RunValues(spec, dir.resolve('.swarm').resolve(spec.name()), redactor)
        values.resolveSecrets()
        new Provisioner(spec, fake.api(waits), values, redactor, dir, Duration.ofMillis(5))
                .withKnownHosts(dir.resolve('known_hosts'), { host, port -> forgotten << "$host:$port".toString(); 1 } as Provider.HostKeys)
    }

    /** doccur3's droplet as if made with another size (and image) than the script's. */
    Map changeDoccur3(String size, String image = 'ubuntu-15-10-x64') {
        Map doccur3 = fake.droplets.values().find { it.name == 'doccur3' }
        doccur3.size_slug = size
        doccur3.image = [slug: image]
        doccur3
    }

    def "a droplet of another size or image than the script's is found before planning, as a replacement"() {
        given:
        provision(cluster())
        Map doccur3 = changeDoccur3('s-1vcpu-1gb', image)
        ClusterSpec spec = cluster()
        Provisioner provisioner = provisioner(spec)
        int requests = fake.server.allServeEvents.size()

        when:
        def refresh = provisioner.refresh(Providers.plan(spec).steps())
        Plan plan = provisioner.replacing(Providers.plan(spec), refresh.replacements())
        def replace = plan.steps().find { it.id().toString() == 'provision.doccur3.replace' }

        then: 'only read: nothing deleted, nothing created'
        refresh.replacements()*.node() == ['doccur3']
        refresh.replacements()[0].id() == doccur3.id
        refresh.replacements()[0].change() == change
        replace.summary() == "replace droplet doccur3 ($change): it is deleted and made anew, its data is lost"
        plan.steps().findAll { it.id().name().startsWith('droplets-') }.every { it.after()*.toString().contains('provision.doccur3.replace') }
        !refresh.done().contains(id('provision.droplets-masters'))
        refresh.done().contains(id('provision.droplets-agents'))
        !refresh.done().contains(id('provision.ssh-key'))
        fake.server.allServeEvents.drop(0).take(fake.server.allServeEvents.size() - requests)*.request*.method*.value().every { it == 'GET' }
        fake.requests('DELETE', '/v2/droplets/').empty
        fake.creates().size() == 2

        where:
        image              | change
        'ubuntu-15-10-x64' | 'size s-1vcpu-1gb → 512mb'
        'debian-12-x64'    | 'size s-1vcpu-1gb → 512mb, image debian-12-x64 → ubuntu-15-10-x64'
    }

    def "the same size and image, or an image the API shows no slug of, is no replacement"() {
        given:
        provision(cluster())
        fake.droplets.values().find { it.name == 'doccur2' }.image = [id: 7555620]

        when:
        def replacements = provisioner(cluster()).refresh(Providers.plan(cluster()).steps()).replacements()

        then:
        replacements.empty
    }

    def "a replacement deletes exactly that droplet by its ID, makes it anew, records it and forgets its host key"() {
        given:
        provision(cluster())
        Map old = changeDoccur3('s-1vcpu-1gb')
        String oldAddress = old.networks.v4[0].ip_address
        ClusterSpec spec = cluster()
        List<String> forgotten = []
        Provisioner provisioner = provisioner(spec, forgotten)
        def refresh = provisioner.refresh(Providers.plan(spec).steps())
        Plan phaseOne = new Plan(spec, provisioner.replacing(Providers.plan(spec), refresh.replacements()).steps()
                .findAll { provisioner.runs(it) })

        when:
        ApplyReport report
        new Journal(dir.resolve('test.swarm.journal'), new Redactor()).withCloseable { journal ->
            report = new Executor(phaseOne, provisioner, Listeners.writingTo(new PrintStream(progress, true)), journal, 4).run([:])
        }
        Map created = fake.droplets.values().find { it.name == 'doccur3' }

        then:
        report.succeeded()
        fake.requests('DELETE', '/v2/droplets/')*.url == ["/v2/droplets/${old.id}".toString()]
        fake.creates()*.names == [['doccur1', 'doccur2', 'doccur3'], ['doccur3'], ['doccur4', 'doccur5']]
        created.id != old.id
        created.size_slug == '512mb'
        state().droplets.doccur3.id == created.id
        state().droplets.doccur3.publicAddress == created.networks.v4[0].ip_address
        forgotten == ["$oldAddress:22".toString()]
        report.outcomes()[id('provision.doccur3.replace')].output().contains("the new droplet doccur3 has a new host key: removed the old key of $oldAddress")
        !everythingWritten().contains(TOKEN)
    }

    def "a plan that did not read the droplets (a saved one) never adopts a changed droplet as it is, nor replaces it"() {
        given:
        provision(cluster())
        changeDoccur3('s-1vcpu-1gb')

        when:
        def again = provision(cluster())

        then:
        !again.report.succeeded()
        again.report.outcomes()[id('provision.droplets-masters')].message().contains(
                'droplet doccur3 (' + fake.droplets.values().find { it.name == 'doccur3' }.id + ') differs from the script (size s-1vcpu-1gb → 512mb)')
        fake.requests('DELETE', '/v2/droplets/').empty
        fake.creates().size() == 2
    }

    def "the monthly cost comes from the API's size list"() {
        expect:
        MonthlyCost.line(cluster(), fake.api()) == 'Estimated cost: $25/month'
    }

    def "the plan's price estimate asks a failing API once, without a pause, where an apply would retry"() {
        given:
        fake.failNext('GET', '/v2/sizes', 503, [id: 'service_unavailable', message: 'Service Unavailable'], 3)
        List waits = []

        when:
        MonthlyCost.line(cluster(), fake.api(waits, fake.token, DigitalOceanApi.Patience.ESTIMATE))

        then:
        thrown(ApplyException)
        fake.requests('GET', '/v2/sizes').size() == 1
        waits.empty
    }

    def "the public key's fingerprint is the one DigitalOcean files it under"() {
        expect:
        PublicKeyFile.fingerprint(PUBLIC_KEY, 'key') ==~ /([0-9a-f]{2}:){15}[0-9a-f]{2}/

        when:
        PublicKeyFile.fingerprint('not a key', 'id_test.pub')

        then:
        thrown(ApplyException)
    }

    def "SSH logs in with the key registered with DigitalOcean, whichever of the two the script names"() {
        when:
        ClusterSpec spec = ScriptLoader.load('k.swarm', "provider 'digitalocean'$provider\n$ssh\nnodes 1")

        then:
        spec.provider().sshKey() == registered
        spec.nodes()[0].ssh().key() == loggingIn

        where:
        provider                      | ssh                           | registered        | loggingIn
        ''                            | ''                            | '~/.ssh/id_rsa'   | '~/.ssh/id_rsa'
        ", sshKey: '~/.ssh/do'"       | ''                            | '~/.ssh/do'       | '~/.ssh/do'
        ''                            | "ssh key: '~/.ssh/mine'"      | '~/.ssh/mine'     | '~/.ssh/mine'
        ", sshKey: '~/.ssh/do'"       | "ssh key: '~/.ssh/mine'"      | '~/.ssh/do'       | '~/.ssh/mine'
    }

    private static StepId id(String text) {
        StepId.parse(text)
    }
}
