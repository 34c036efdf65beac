package io.swarmdsl.dsl

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.model.SpecException
import spock.lang.Specification
import spock.lang.Unroll

class SandboxSpec extends Specification {

    @Unroll
    def "a script may not #what"() {
        when:
        ScriptLoader.load('evil.swarm', "nodes 3\n" + script)

        then:
        SpecException e = thrown()
        e.position().line() == 2
        e.message.contains(message)

        where:
        what                                  | script                                                || message
        'exit the JVM'                        | 'System.exit(1)'                                      || 'may not touch the machine that plans it'
        'halt through the runtime'            | 'Runtime.getRuntime().halt(1)'                        || "is not"
        'read files'                          | 'new File("/etc/passwd").text'                        || 'may not touch the machine that plans it'
        'read files through a cast'           | 'def f = "/etc/passwd" as File'                       || "'File' is not available"
        'read files through a declaration'    | 'File f = null'                                       || "'File' is not available"
        'read URLs'                           | '"file:///etc/passwd".toURL().text'                   || "is not allowed"
        'run processes'                       | '"touch /tmp/owned".execute()'                        || "'execute' is not allowed"
        'run processes with a builder'        | 'new ProcessBuilder("ls").start()'                    || 'may not touch the machine that plans it'
        'start threads'                       | 'Thread.start { }'                                    || 'may not touch the machine that plans it'
        'start threads from a closure'        | 'def t = { -> 1 }; t.start()'                         || "'start' is not allowed"
        'evaluate other code'                 | 'evaluate("System.exit(1)")'                          || "'evaluate' is not allowed"
        'reach classes through .class'        | 'def c = "x".class'                                   || "'class' is not allowed"
        'reach classes through getClass'      | '"x".getClass().forName("java.io.File")'              || "is not allowed"
        'reach classes through subscripts'    | 'this["class"]'                                       || "'class' is not allowed"
        'change meta classes'                 | 'String.metaClass.foo = { 1 }'                        || "is not"
        'call methods by computed names'      | 'def m = "exit"; this."$m"(1)'                        || 'method names computed at run time are not allowed'
        'read properties by computed names'   | 'def p = "class"; this."$p"'                          || 'property names computed at run time are not allowed'
        'take method pointers'                | 'def e = this.&evaluate'                              || 'method pointers (.&) are not allowed'
        'read fields directly'                | 'this.@binding'                                       || 'field access with .@ is not allowed'
        'import classes'                      | 'import java.io.File'                                 || 'imports are not allowed'
        'grab dependencies'                   | '@Grab("org.example:evil:1.0") def x = 1'            || 'annotations are not allowed'
        'sleep'                               | 'sleep(100000)'                                       || "'sleep' is not allowed"
        'read the environment'                | 'System.getenv("HOME")'                               || "'System' is not available"
    }

    @Unroll
    def "#what is stopped by the time limit with its place"() {
        when:
        ScriptLoader.load('loop.swarm', "nodes 3\n" + script)

        then:
        SpecException e = thrown()
        e.position().line() == 2
        e.message.contains('ran longer than 5 s')

        where:
        what                         | script
        'an empty endless loop'      | 'while (true) {}'
        'a loop without a block'     | 'def i = 0; while (true) i++'
        'an endless for loop'        | 'for (;;) { }'
        'a long closure iteration'   | '(1..100000000000).each { }'
    }

    @Unroll
    def "#what is stopped by the memory bound with its place"() {
        when:
        ScriptLoader.load('hungry.swarm', "nodes 3\n" + script)

        then:
        SpecException e = thrown()
        e.position().line() == 2
        e.message == 'the script held more than 256 MB of memory and was stopped'

        where:
        what                                  | script
        'one enormous value in one statement' | "def s = 'x' * 1_000_000_000"
        'a value that doubles in a loop'      | "def s = 'x'; while (true) { s = s + s }"
        'a list that keeps growing'           | "def kb = 'x' * 1024; def l = []; while (true) { l << kb * 1024 }"   // a MB a step, quickly made
    }

    def "a single statement that never reports in is stopped by the time limit"() {
        when: 'a sum the library computes, never calling back into the script'
        ScriptLoader.load('slow.swarm', "nodes 3\ndef total = (1..2_000_000_000).sum()")

        then:
        SpecException e = thrown()
        e.position().line() == 2
        e.message.contains('ran longer than 5 s')

        and: 'the process knows, so that an agent ends rather than serve on'
        io.swarmdsl.dsl.Evaluation.anyStoppedByForce()
    }

    def "a loop that allocates and drops is no offence to the memory bound"() {
        expect:
        ScriptLoader.load('churn.swarm', 'def n = 0; for (i in 1..2_000_000) { n += "value $i".size() }; nodes 3')
                .nodes().size() == 3
    }

    def "a script that calls itself without end is stopped"() {
        when:
        ScriptLoader.load('recursion.swarm', 'def f(n) { f(n + 1) }\nf(1)')

        then:
        SpecException e = thrown()
        e.message.contains('calls itself without end')
    }

    def "plain Groovy for building values still works"() {
        expect:
        ScriptLoader.load('fine.swarm', '''
            def count = [1, 2, 3].sum() + 1
            nodes count
            masters Math.min(3, count)
            def labels = (1..2).collect { "zone=z$it" }
            engine { labels.each { l -> label l } }
        ''').engine().labels() == ['zone=z1', 'zone=z2']
    }
}
