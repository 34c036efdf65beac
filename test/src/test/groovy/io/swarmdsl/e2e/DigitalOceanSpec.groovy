package io.swarmdsl.e2e

import groovy.io.FileType
import groovy.json.JsonSlurper
import io.swarmdsl.provider.digitalocean.FakeDigitalOcean
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/**
 * A DigitalOcean cluster whose droplets "become" lab nodes: a fake DigitalOcean API (local HTTPS)
 * reports the addresses of lab13..lab15, so that one `swarm apply --yes` runs provision, SSH and
 * the rest of the plan; then `swarm machines`, the cost in `swarm plan`, and a `swarm destroy`
 * that deletes only the droplets carrying the cluster's tag. The token shows nowhere.
 */
@Stepwise
class DigitalOceanSpec extends Specification {
    static final List<Integer> INDEXES = [12, 13, 14]           // lab13 .. lab15
    static final String TOKEN = 'dop_v1_e2e0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab'
    static final String SCRIPT = 'do.swarm'

    @Shared Lab lab
    @Shared FakeDigitalOcean api
    @Shared File dir
    @Shared List<String> nodes
    @Shared List<String> addresses
    @Shared StringBuilder everything = new StringBuilder()

    def setupSpec() {
        // No engines needed: the script leaves them alone (and other specs' nodes may hold broken ones on purpose).
        lab = Lab.up(INDEXES.max() + 1)
        nodes = INDEXES.collect { lab.nodes[it] }
        addresses = INDEXES.collect { lab.addresses[it] }
        lab.reset(nodes)
        api = new FakeDigitalOcean(TOKEN)
        api.addresses = ['dolab1', 'dolab2', 'dolab3'].withIndex().collectEntries { name, i -> [(name): addresses[i]] }
        dir = File.createTempDir('digitalocean-spec')
        new File(dir, SCRIPT).text = """provider 'digitalocean', region: 'sfo1', size: '512mb', image: 'ubuntu-15-10-x64',
         sshKey: '${lab.key}'
ssh user: '${lab.user}'
nodes 3, prefix: 'dolab'
masters 1
consul false
engine false
swarm false
"""
    }

    def cleanupSpec() {
        api?.close()
        dir?.deleteDir()
    }

    Map swarm(Map<String, String> environment = [DIGITALOCEAN_ACCESS_TOKEN: TOKEN], String... args) {
        Map result = SwarmProcess.run(dir, environment + [SWARM_DIGITALOCEAN_API: api.endpoint()], FakeDigitalOcean.trustOptions(), args)
        everything << result.output
        result
    }

    Map apply() {
        swarm('apply', '--yes', '--known-hosts', new File(dir, 'known_hosts').path, SCRIPT)
    }

    def "one apply creates the droplets, reaches them over SSH and runs the rest of the plan"() {
        when:
        def result = apply()

        then:
        result.code == 0
        result.output.contains('provision.ssh-key')
        api.droplets.values()*.name.sort() == ['dolab1', 'dolab2', 'dolab3']
        api.droplets.values().every { it.tags.contains('swarm:dolab') }
        nodes.withIndex().every { node, i -> lab.exec(node, 'hostname').trim() == "dolab${i + 1}" }
    }

    def "a second apply adopts the droplets, reads the nodes' facts and changes nothing"() {
        when:
        def result = apply()

        then:
        result.code == 0
        result.output.contains('No changes. The cluster matches the script.')
        api.droplets.size() == 3
        api.creates().size() == 2
    }

    def "a droplet of another size is a replacement in the plan, and --yes alone refuses it, changing nothing"() {
        given: 'dolab3 as if made with another size than the script gives'
        Map dolab3 = api.droplets.values().find { it.name == 'dolab3' }
        dolab3.size_slug = 's-1vcpu-1gb'
        int requests = api.server.allServeEvents.size()

        when:
        def result = apply()

        then:
        result.code == 1
        result.output.contains('provision.dolab3.replace')
        result.output.contains('replace droplet dolab3 (size s-1vcpu-1gb → 512mb): it is deleted and made anew, its data is lost')
        result.output.contains('Refused: this plan replaces 1 droplet (deleted and made anew, their data lost): dolab3 (size s-1vcpu-1gb → 512mb). '
                + '--yes alone never replaces a droplet: add --replace to confirm')
        api.server.allServeEvents.take(api.server.allServeEvents.size() - requests)*.request*.method*.value().every { it == 'GET' }
        api.droplets.containsKey(dolab3.id)
    }

    def "without --yes, the question says how many droplets are replaced"() {
        given:
        def swarm = SwarmProcess.start(dir, [DIGITALOCEAN_ACCESS_TOKEN: TOKEN, SWARM_DIGITALOCEAN_API: api.endpoint()],
                FakeDigitalOcean.trustOptions(), 'apply', '--known-hosts', new File(dir, 'known_hosts').path, SCRIPT)
        swarm.process.outputStream.withWriter { it << 'no\n' }

        when:
        int code = swarm.waitFor()
        everything << swarm.output()

        then:
        code == 1
        swarm.output().contains('1 droplet will be replaced (deleted and made anew, their data lost): dolab3 (size s-1vcpu-1gb → 512mb).\n'
                + 'Apply this plan? Only \'yes\' is accepted: ')
        swarm.output().contains('Apply cancelled. Nothing was changed.')
        api.requests('DELETE', '/v2/droplets/').empty
    }

    def "with --replace, exactly that droplet is deleted and made anew, its host key forgotten, and its steps run again"() {
        given:
        Map old = api.droplets.values().find { it.name == 'dolab3' }
        File knownHosts = new File(dir, 'known_hosts')
        int creates = api.creates().size()

        when:
        def result = swarm('apply', '--yes', '--replace', '--known-hosts', knownHosts.path, SCRIPT)
        Map created = api.droplets.values().find { it.name == 'dolab3' }
        Map state = new JsonSlurper().parse(new File(dir, '.swarm/dolab/droplets.json')) as Map

        then:
        result.code == 0
        api.requests('DELETE', '/v2/droplets/')*.url == ["/v2/droplets/${old.id}".toString()]
        api.creates().size() == creates + 1
        api.creates().find { it.names == ['dolab3'] }.size == '512mb'
        api.droplets.values()*.name.sort() == ['dolab1', 'dolab2', 'dolab3']
        created.id != old.id
        state.droplets.dolab3.id == created.id
        result.output.contains("the new droplet dolab3 has a new host key: removed the old key of ${addresses[2]} from ${knownHosts.path}")
        result.output.contains('prepare.dolab3.hostname')
        !result.output.contains('prepare.dolab1.hostname')
        knownHosts.text.contains(addresses[2])     // the new key, accepted on first connection

        when: 'the next apply'
        def again = apply()

        then:
        again.code == 0
        again.output.contains('No changes. The cluster matches the script.')
    }

    def "swarm machines prints the article's block, which bash can source"() {
        when:
        def result = swarm('machines', '--yes', SCRIPT)
        String block = result.output.substring(result.output.indexOf('declare -ax MACHINE_CLUSTER_ADDRESSES'))
        new File(dir, 'machines.sh').text = block
        def bash = ['bash', '-c', 'source ./machines.sh && echo "${MACHINE_NAMES[2]} ${MACHINE_PUBLIC_ADDRESSES[0]} ' +
                '${MACHINE_CLUSTER_ADDRESSES[1]} $MACHINE_DRIVER $MACHINE_DATACENTER $MACHINE_SSH_USER $MACHINE_CLUSTER_INTERFACE"']
                .execute(null, dir)
        def out = new StringBuilder(), err = new StringBuilder()
        bash.waitForProcessOutput(out, err)

        then:
        result.code == 0
        block.contains("declare -ax MACHINE_NAMES='(\n[0]=\"dolab1\"\n[1]=\"dolab2\"\n[2]=\"dolab3\"\n)'")
        err.toString() == ''
        out.toString().trim() == "dolab3 ${addresses[0]} ${addresses[1]} digitalocean sfo1 ${lab.user} eth1"
    }

    def "swarm machines --format json gives the same"() {
        when:
        def result = swarm('machines', '--yes', '--format', 'json', SCRIPT)
        def json = new JsonSlurper().parseText(result.output.substring(result.output.indexOf('{\n')))

        then:
        result.code == 0
        json.names == ['dolab1', 'dolab2', 'dolab3']
        json.public_addresses == addresses
        json.driver == 'digitalocean'
    }

    def "swarm plan shows the monthly cost with a token at hand, and nothing without one"() {
        when:
        def withToken = swarm('plan', SCRIPT)
        int requests = api.server.allServeEvents.size()
        def without = swarm([:], 'plan', SCRIPT)

        then:
        withToken.output.contains('Estimated cost: $15/month')
        !without.output.contains('Estimated cost')
        api.server.allServeEvents.size() == requests
    }

    def "a droplet the script no longer names: --yes alone refuses; with --remove exactly it is deleted, and the next apply changes nothing"() {
        given: 'the script with two droplets instead of three'
        File script = new File(dir, SCRIPT)
        script.text = script.text.replace("nodes 3, prefix: 'dolab'", "nodes 2, prefix: 'dolab'")
        Map leaving = api.droplets.values().find { it.name == 'dolab3' }
        int deletes = api.requests('DELETE', '/v2/droplets/').size()
        String knownHosts = new File(dir, 'known_hosts').path

        when:
        def planned = swarm('plan', '--refresh', '--known-hosts', knownHosts, SCRIPT)
        def refused = apply()
        def result = swarm('apply', '--yes', '--remove', '--known-hosts', knownHosts, SCRIPT)

        then: 'the plan says it leaves with its droplet; only the apply with --remove deletes it, and nothing else'
        assert planned.output.contains('Leaving the cluster: dolab3 (agent).') && planned.output.contains('its droplet is deleted'), planned.output
        planned.output.contains('destroy.dolab3.droplet')
        refused.code == 1
        assert result.code == 0, result.output
        api.requests('DELETE', '/v2/droplets/').drop(deletes)*.url == ["/v2/droplets/${leaving.id}".toString()]
        api.droplets.values()*.name.sort() == ['dolab1', 'dolab2']

        when: 'the next apply'
        def again = apply()

        then:
        again.code == 0
        again.output.contains('No changes. The cluster matches the script.')
    }

    def "swarm destroy deletes only the droplets carrying the cluster's tag"() {
        given:
        def someoneElses = api.seed('dolab1', ['web'])

        when:
        def result = swarm('destroy', '--yes', SCRIPT)

        then:
        result.code == 0
        api.droplets.keySet() == [someoneElses.id] as Set
    }

    def "the token is in no output and no file the commands wrote"() {
        given:
        List<File> written = []
        dir.eachFileRecurse(FileType.FILES) { written << it }

        expect:
        !everything.toString().contains(TOKEN)
        written*.name.containsAll(['do.swarm.destroy.journal', 'droplets.json'])
        written.every { !it.text.contains(TOKEN) }
    }
}
