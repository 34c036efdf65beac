package io.swarmdsl.exec

import spock.lang.Specification

import java.nio.charset.StandardCharsets

/** How the output of a joined exec is split into its steps' outputs and exit codes. */
class StepMarksSpec extends Specification {
    List<List> steps = []
    StepMarks marks = new StepMarks({ String output, int code -> steps << [output, code] } as StepMarks.Ended)

    byte[] output(List<List> ofSteps) {
        ofSteps.collect { it[0] + '\n' + marks.mark() + ' ' + it[1] + '\n' }.join('').getBytes(StandardCharsets.UTF_8)
    }

    def "the steps' outputs and exit codes come out whole, however the bytes are cut on the way"() {
        given:
        def expected = [['hello', 0], ['', 0], ['été ✓\nline two', 0], ['boom', 3]]
        byte[] bytes = output(expected)

        when: 'the output arrives in two pieces, cut at every place in turn (each time with a new reader and mark)'
        def all = (0..bytes.length).collect { place ->
            steps = []
            marks = new StepMarks({ String output, int code -> steps << [output, code] } as StepMarks.Ended)
            byte[] fresh = output(expected)
            int cut = Math.min(place, fresh.length)
            marks.write(fresh, 0, cut)
            marks.write(fresh, cut, fresh.length - cut)
            steps
        }

        then:
        all.every { it == expected }
    }

    def "a step's end is told as soon as its mark line is complete, not before"() {
        given:
        byte[] bytes = output([['first', 0]])

        when:
        marks.write(bytes, 0, bytes.length - 1)

        then:
        steps.isEmpty()

        when:
        marks.write(bytes, bytes.length - 1, 1)

        then:
        steps == [['first', 0]]
    }

    def "a step that prints megabytes in small pieces comes out whole, then the next step"() {
        given:
        byte[] line = ('x' * 99 + '\n').bytes
        byte[] rest = ('\n' + marks.mark() + ' 0\nsecond\n' + marks.mark() + ' 1\n').bytes

        when: '4 MB in 100-byte pieces (searched again from the start each time, this took minutes)'
        40_000.times { marks.write(line, 0, line.length) }
        marks.write(rest, 0, rest.length)

        then:
        steps.size() == 2
        steps[0][0] == new String(line) * 40_000
        steps[1] == ['second', 1]
    }
}
