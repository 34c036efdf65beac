package io.swarmdsl

import com.tngtech.archunit.core.domain.JavaClasses
import com.tngtech.archunit.core.importer.ClassFileImporter
import com.tngtech.archunit.core.importer.ImportOption
import com.tngtech.archunit.core.importer.Location
import com.tngtech.archunit.lang.ArchRule
import io.swarmdsl.model.ProviderSpec
import spock.lang.Shared
import spock.lang.Specification

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses
import static com.tngtech.archunit.library.Architectures.layeredArchitecture
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices

/**
 * The packages' arrows follow the flow: script → spec → plan → execution → transports, with the
 * renderers and providers beside it and the command line on top. Read from the compiled classes of
 * both modules, so a wrong import fails here rather than in a review.
 */
class LayersSpec extends Specification {
    /** The project's own classes, without tests (the dsl module's test jar included). */
    static final ImportOption MAIN_ONLY = { Location location ->
        new ImportOption.DoNotIncludeTests().includes(location) && !location.contains('-tests.jar')
    } as ImportOption

    @Shared
    JavaClasses main = new ClassFileImporter().withImportOption(MAIN_ONLY).importPackages('io.swarmdsl')

    static final ArchRule NO_CYCLE = slices().matching('io.swarmdsl.(**)').should().beFreeOfCycles()

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer('Model').definedBy('io.swarmdsl.model..')
            .layer('Language').definedBy('io.swarmdsl.dsl..')
            .layer('Plan').definedBy('io.swarmdsl.plan..')
            .layer('Pki').definedBy('io.swarmdsl.pki..')
            .layer('Render').definedBy('io.swarmdsl.render..')
            .layer('Execution').definedBy('io.swarmdsl.exec..')
            .layer('Transport').definedBy('io.swarmdsl.transport..')
            .layer('Provider').definedBy('io.swarmdsl.provider..')
            .layer('Apply').definedBy('io.swarmdsl.apply..')
            .layer('Cli').definedBy('io.swarmdsl.cli..')
            .whereLayer('Cli').mayNotBeAccessedByAnyLayer()
            .whereLayer('Apply').mayOnlyBeAccessedByLayers('Cli')
            .whereLayer('Provider').mayOnlyBeAccessedByLayers('Apply', 'Cli')
            .whereLayer('Render').mayOnlyBeAccessedByLayers('Cli')
            .whereLayer('Execution').mayOnlyBeAccessedByLayers('Provider', 'Apply', 'Cli')
            .whereLayer('Transport').mayOnlyBeAccessedByLayers('Execution', 'Apply', 'Cli')
            .whereLayer('Language').mayOnlyBeAccessedByLayers('Apply', 'Cli')
            .whereLayer('Plan').mayOnlyBeAccessedByLayers('Render', 'Execution', 'Provider', 'Apply', 'Cli')
            .whereLayer('Pki').mayOnlyBeAccessedByLayers('Plan', 'Render', 'Execution', 'Apply', 'Cli')
            .whereLayer('Model').mayOnlyBeAccessedByLayers('Language', 'Plan', 'Render', 'Execution', 'Provider', 'Apply', 'Cli')

    /** The planner, execution and the apply do not even look at which provider the script names. */
    static final ArchRule PROVIDERS_THROUGH_THEIR_PORT = noClasses().that().resideInAnyPackage(
            'io.swarmdsl.dsl..', 'io.swarmdsl.plan..', 'io.swarmdsl.exec..', 'io.swarmdsl.transport..', 'io.swarmdsl.apply..')
            .should().dependOnClassesThat().resideInAnyPackage('io.swarmdsl.provider.digitalocean..', 'io.swarmdsl.provider.generic..')
            .orShould().dependOnClassesThat().belongToAnyOf(ProviderSpec.DigitalOcean)
            .because('the planner, execution and the apply know providers only through io.swarmdsl.provider.Provider')

    /** The command line and the renderers may show the script's provider settings, but call no provider but through the port. */
    static final ArchRule NO_PROVIDER_CODE_OUTSIDE_ITS_PACKAGE = noClasses().that().resideOutsideOfPackages(
            'io.swarmdsl.provider.digitalocean..', 'io.swarmdsl.provider.generic..')
            .should().dependOnClassesThat().resideInAnyPackage('io.swarmdsl.provider.digitalocean..', 'io.swarmdsl.provider.generic..')
            .because('a provider is found through META-INF/services and used through io.swarmdsl.provider.Provider')

    static final ArchRule CLOUD_IN_ITS_PACKAGE = noClasses().that().resideOutsideOfPackage('io.swarmdsl.provider.digitalocean..')
            .should().dependOnClassesThat().resideInAPackage('com.myjeeva..')
            .because('DigitalOcean is known only to its provider package')

    def "no package depends on itself through others"() {
        expect: 'the classes of both modules are read'
        [io.swarmdsl.model.ClusterSpec, io.swarmdsl.plan.Planner, io.swarmdsl.exec.Executor, io.swarmdsl.cli.Main].every { main.contain(it) }

        when:
        NO_CYCLE.check(main)

        then:
        notThrown(AssertionError)
    }

    def "every arrow between layers goes with the flow"() {
        when:
        LAYERS.check(main)

        then:
        notThrown(AssertionError)
    }

    def "only the DigitalOcean provider uses DigitalOcean's client"() {
        when:
        CLOUD_IN_ITS_PACKAGE.check(main)

        then:
        notThrown(AssertionError)
    }

    def "the planner, execution and the apply know no provider but through its port"() {
        when:
        PROVIDERS_THROUGH_THEIR_PORT.check(main)

        then:
        notThrown(AssertionError)
    }

    def "no code outside a provider's package uses it, the command line included"() {
        when:
        NO_PROVIDER_CODE_OUTSIDE_ITS_PACKAGE.check(main)

        then:
        notThrown(AssertionError)
    }

    def "a wrong arrow fails the rules: the plan calling into execution, which calls the plan"() {
        given: 'the project plus one plan class, of the tests, that uses execution'
        def withWrongArrow = new ClassFileImporter().withImportOption({ Location location ->
            MAIN_ONLY.includes(location) || location.contains('io/swarmdsl/plan/WrongArrow')
        } as ImportOption).importPackages('io.swarmdsl')

        expect:
        withWrongArrow.contain(io.swarmdsl.plan.WrongArrow)
        LAYERS.evaluate(withWrongArrow).hasViolation()
        LAYERS.evaluate(withWrongArrow).failureReport.details.any { it.contains('io.swarmdsl.plan.WrongArrow') && it.contains('io.swarmdsl.exec.RunValues') }
        NO_CYCLE.evaluate(withWrongArrow).hasViolation()
    }
}
