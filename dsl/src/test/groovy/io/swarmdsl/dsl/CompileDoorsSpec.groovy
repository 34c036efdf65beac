package io.swarmdsl.dsl

import io.swarmdsl.model.SpecException
import spock.lang.Specification
import spock.lang.Unroll

/**
 * No code of a script runs while it compiles: every way to reach into the compiler (an annotation
 * anywhere, a declared type, an import) is refused before names are resolved or transformations
 * collected, and the compiler could not load a transformation even if one got past.
 */
class CompileDoorsSpec extends Specification {
    static final String OPEN_THE_DOOR = "{ System.setProperty('swarm.door', 'open') }"

    def cleanup() {
        System.clearProperty('swarm.door')
    }

    @Unroll
    def "#door is refused at line 2 before any of it runs"() {
        when:
        ScriptLoader.load('door.swarm', "nodes 3\n" + script.replace('DOOR', OPEN_THE_DOOR))

        then:
        SpecException e = thrown()
        e.position().line() == 2
        e.message.contains(message)
        e.message.contains('may not touch the machine that plans it')
        System.getProperty('swarm.door') == null

        where:
        door                                        | script                                                                        || message
        'ASTTest on a local variable'               | '@groovy.transform.ASTTest(value=DOOR) def x = 1'                             || 'annotations are not allowed'
        'ASTTest on a method'                       | '@groovy.transform.ASTTest(value=DOOR) def f() { 1 }'                         || 'annotations are not allowed'
        'ASTTest on a method parameter'             | 'def f(@groovy.transform.ASTTest(value=DOOR) x) { x }'                        || 'annotations are not allowed'
        'ASTTest on a closure parameter'            | 'def c = { @groovy.transform.ASTTest(value=DOOR) x -> x }'                    || 'annotations are not allowed'
        'ASTTest on a for-loop variable'            | 'for (@groovy.transform.ASTTest(value=DOOR) def i in [1]) { }'                || 'annotations are not allowed'
        'ASTTest on a script field'                 | '@groovy.transform.Field @groovy.transform.ASTTest(value=DOOR) def x = 1'     || 'annotations are not allowed'
        'ASTTest on a class'                        | '@groovy.transform.ASTTest(value=DOOR) class Evil { }'                        || 'not allowed'
        'ASTTest on an import'                      | '@groovy.transform.ASTTest(value=DOOR) import java.lang.Math'                 || 'not allowed'
        'a type annotation in a cast'               | 'def x = (@groovy.transform.ASTTest(value=DOOR) String) "a"'                  || 'annotations are not allowed'
        'a type annotation in a type argument'      | 'List<@groovy.transform.ASTTest(value=DOOR) String> x = []'                   || 'annotations are not allowed'
        'Grab'                                      | '@Grab("org.example:evil:1.0") def x = 1'                                     || 'annotations are not allowed'
        'GrabConfig'                                | '@GrabConfig(systemClassLoader=true) def x = 1'                               || 'annotations are not allowed'
        'a base script'                             | '@groovy.transform.BaseScript groovy.lang.Script base'                        || 'annotations are not allowed'
        'a type-checking extension'                 | '@groovy.transform.TypeChecked(extensions="evil.groovy") def f() { 1 }'       || 'annotations are not allowed'
        'static compilation'                        | '@groovy.transform.CompileStatic def f() { 1 }'                               || 'annotations are not allowed'
        'a class with a static initializer'         | 'class Evil { static { System.setProperty("swarm.door", "open") } }'          || "declaring a class, trait, record or enum ('Evil')"
        'a trait'                                   | 'trait Evil { }'                                                              || "declaring a class, trait, record or enum ('Evil')"
        'a record'                                  | 'record Evil(int x) { }'                                                      || "declaring a class, trait, record or enum ('Evil')"
        'an enum'                                   | 'enum Evil { A }'                                                             || "declaring a class, trait, record or enum ('Evil')"
        'an interface'                              | 'interface Evil { }'                                                          || "declaring a class, trait, record or enum ('Evil')"
        'an anonymous class'                        | 'def x = new Object() { String toString() { "x" } }'                          || 'declaring a class'
        'an import'                                 | 'import java.io.File'                                                         || 'imports are not allowed'
        'a static import'                           | 'import static java.lang.System.exit'                                         || 'imports are not allowed'
        'a star import'                             | 'import java.io.*'                                                            || 'imports are not allowed'
    }

    def "an annotation the parser drops (on a catch parameter) runs nothing either"() {
        when:
        ScriptLoader.load('door.swarm', "nodes 3\ntry { masters 1 } catch (@groovy.transform.ASTTest(value=$OPEN_THE_DOOR) Exception e) { }")

        then:
        System.getProperty('swarm.door') == null
    }

    def "a class the script names is never compiled from a source file found on the class path"() {
        expect: 'the source is there for a loader that looks'
        getClass().classLoader.getResource('swarmdoor/Evil.groovy') != null

        when:
        ScriptLoader.load('door.swarm', "nodes 3\nswarmdoor.Evil x = null")

        then:
        SpecException e = thrown()
        e.position().line() == 2
        !e.message.contains('annotations')
        System.getProperty('swarm.door') == null
    }

    def "a package declaration is refused"() {
        when:
        ScriptLoader.load('door.swarm', "package evil\nnodes 3")

        then:
        SpecException e = thrown()
        e.position().line() == 1
        e.message.startsWith('a package declaration is not allowed')
    }

    def "the compiler's transformation loader sees no transformation, global or local"() {
        given:
        def services = 'META-INF/services/org.codehaus.groovy.transform.ASTTransformation'
        def transforms = ScriptLoader.transformLoader()

        expect: 'the application sees at least Grab\'s global transformation; the compiler does not'
        ScriptLoader.classLoader.getResources(services).hasMoreElements()
        !transforms.getResources(services).hasMoreElements()

        when:
        transforms.loadClass('org.codehaus.groovy.transform.ASTTestTransformation')

        then:
        thrown(ClassNotFoundException)
    }
}
