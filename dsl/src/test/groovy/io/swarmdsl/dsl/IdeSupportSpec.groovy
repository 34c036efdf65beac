package io.swarmdsl.dsl

import io.swarmdsl.dsl.GdslWriter
import spock.lang.Specification

class IdeSupportSpec extends Specification {
    static final File GDSL = new File('src/main/resources/gdsl/swarm.gdsl')

    def "the checked-in GDSL file offers exactly the language's keywords"() {
        given:
        if (Boolean.getBoolean('golden.update')) {
            GDSL.parentFile.mkdirs()
            GDSL.text = GdslWriter.gdsl()
        }

        expect:
        GDSL.text == GdslWriter.gdsl()
    }

    def "every keyword and block of the article's script is completed"() {
        given:
        def gdsl = GdslWriter.gdsl()

        expect:
        ['provider', 'domain', 'nodes', 'masters', 'consul', 'swarm', 'memory', 'compose', 'before', 'after', 'engine', 'ssh']
                .every { gdsl.contains("method name: '$it'") }
        ["enclosingCall('consul')", "enclosingCall('hosts')", "enclosingCall('before')", "enclosingCall('upload')"]
                .every { gdsl.contains(it) }
        gdsl.contains("property name: 'replication'")
        gdsl.contains("property name: 'encrypt'")
    }

    def "the GDSL file is valid Groovy"() {
        expect:
        new GroovyShell().parse(GdslWriter.gdsl())
    }
}
