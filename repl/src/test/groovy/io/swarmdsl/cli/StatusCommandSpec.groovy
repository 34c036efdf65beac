package io.swarmdsl.cli

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

class StatusCommandSpec extends Specification {
    @TempDir
    Path dir

    def "a DigitalOcean cluster's nodes are read at the addresses droplets.json records"() {
        given: 'doccur1 recorded at an address where no engine answers, doccur2 not provisioned yet'
        def file = dir.resolve('do.swarm')
        file.toFile().text = "provider 'digitalocean'; nodes 2, prefix: 'doccur'; engine { port 1 }"
        dir.resolve('.swarm/doccur').toFile().mkdirs()
        dir.resolve('.swarm/doccur/droplets.json').toFile().text =
                '{"droplets": {"doccur1": {"id": 3164444, "publicAddress": "127.0.0.1", "privateAddress": "10.134.13.209"}}}'
        def out = new ByteArrayOutputStream()
        PrintStream before = System.out
        System.setOut(new PrintStream(out, true))

        when:
        int code = Main.commandLine().execute('status', '--format', 'json', file.toString())
        def nodes = new ObjectMapper().readValue(out.toString(), Map).nodes

        then:
        code == 1
        nodes*.name == ['doccur1', 'doccur2']
        nodes*.address == ['127.0.0.1', null]
        nodes[1].problem == 'address not known (the node is not provisioned)'
        nodes[0].problem != nodes[1].problem

        cleanup:
        System.setOut(before)
    }
}
