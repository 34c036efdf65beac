package io.swarmdsl.cli

import spock.lang.Unroll

class EnvCommandSpec extends CommandLineSpec {
    String script(String swarmLine) {
        def file = dir.resolve('office.swarm')
        file.toFile().text = """provider('generic') { hosts {
            host 'alpha', public: '203.0.113.10', private: '10.10.0.10'
            host 'bravo', public: '203.0.113.11', private: '10.10.0.11'
            host 'charlie', public: '203.0.113.12', private: '10.10.0.12'
        } }
        cluster 'office'; masters 1; engine { port 2377 }
        $swarmLine
        """
        file.toString()
    }

    def "env prints the lines that point a Docker client at the node's engine, like docker-machine env"() {
        given:
        def file = script('swarm classic')

        expect:
        swarm('env', file, 'bravo') == 0
        out.toString() == """export DOCKER_TLS_VERIFY="1"
export DOCKER_HOST="tcp://203.0.113.11:2377"
export DOCKER_CERT_PATH="${dir.toAbsolutePath().resolve('.swarm/office')}"
# Run this command to configure your shell: eval "\$(swarm env ${file} bravo)"
""".toString()
        err.toString().isEmpty()
    }

    def "--swarm points at the classic Swarm manager's port"() {
        given:
        def file = script("swarm { port 3376 }\nswarm replication")

        expect:
        swarm('env', file, 'alpha', '--swarm') == 0
        out.toString().contains('export DOCKER_HOST="tcp://203.0.113.10:3376"\n')
        out.toString().contains("# Run this command to configure your shell: eval \"\$(swarm env ${file} alpha --swarm)\"")
    }

    @Unroll
    def "--swarm is refused #when"() {
        given:
        def file = script(swarmLine)

        expect:
        swarm('env', file, node, '--swarm') == 2
        err.toString().contains(message)
        out.toString().isEmpty()

        where:
        when                                   | swarmLine         | node    || message
        'on a node that runs no manager'       | 'swarm classic'   | 'bravo' || 'bravo runs no classic Swarm manager; the managers are alpha'
        'for Swarm mode'                       | 'swarm mode'      | 'alpha' || '--swarm is for classic Swarm, and office has Swarm mode'
        'without Swarm'                        | ''                | 'alpha' || '--swarm is for classic Swarm, and office has no Swarm'
    }

    def "an unknown node exits 2 with a suggestion"() {
        expect:
        swarm('env', script(''), 'bravvo') == 2
        err.toString().contains("no node named 'bravvo' in ")
        err.toString().contains("did you mean 'bravo'?")
        out.toString().isEmpty()
    }

    /** A DigitalOcean cluster whose droplets.json records what apply or machines found: doccur1 and doccur2 active, doccur3 not yet. */
    String dropletCluster() {
        def file = dir.resolve('do.swarm')
        file.toFile().text = "provider 'digitalocean'; nodes 3, prefix: 'doccur'"
        def state = dir.resolve('.swarm/doccur')
        state.toFile().mkdirs()
        state.resolve('droplets.json').toFile().text = '''{
  "droplets" : {
    "doccur1" : { "id" : 3164444, "publicAddress" : "104.236.169.124", "privateAddress" : "10.134.13.209" },
    "doccur2" : { "id" : 3164445, "publicAddress" : "159.203.255.168", "privateAddress" : "10.134.13.210" },
    "doccur3" : { "id" : 3164446, "publicAddress" : null, "privateAddress" : null }
  },
  "ssh_key_id" : 512189
}'''
        file.toString()
    }

    def "a droplet's address comes from droplets.json, as the last apply or swarm machines recorded it"() {
        given:
        def file = dropletCluster()

        expect:
        swarm('env', file, 'doccur2') == 0
        out.toString().contains('export DOCKER_HOST="tcp://159.203.255.168:2376"\n')
        out.toString().contains("export DOCKER_CERT_PATH=\"${dir.toAbsolutePath().resolve('.swarm/doccur')}\"")
        err.toString().isEmpty()
    }

    def "a node without a droplet yet (not active, or no droplets.json at all): env says so and exits 1"() {
        given:
        def file = dropletCluster()
        if (noState) {
            dir.resolve('.swarm/doccur/droplets.json').toFile().delete()
        }

        expect:
        swarm('env', file, node) == 1
        err.toString().contains("swarm env: $node has no droplet yet (none recorded in ${dir.toAbsolutePath().resolve('.swarm/doccur/droplets.json')}): "
                + "create it with swarm apply $file or swarm machines $file")
        out.toString().isEmpty()

        where:
        node      | noState
        'doccur3' | false
        'doccur1' | true
    }

    def "an invalid script exits 2"() {
        given:
        def file = dir.resolve('bad.swarm')
        file.toFile().text = 'mastrs 3'

        expect:
        swarm('env', file.toString(), 'node1') == 2
        err.toString().contains("unknown keyword 'mastrs'")
    }
}
