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
