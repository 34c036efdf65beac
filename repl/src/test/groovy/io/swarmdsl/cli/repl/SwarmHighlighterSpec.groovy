package io.swarmdsl.cli.repl

import org.jline.utils.AttributedStyle
import spock.lang.Specification
import spock.lang.Unroll

class SwarmHighlighterSpec extends Specification {
    def highlighter = new SwarmHighlighter()

    /** The style at the first character of {@code part} within the highlighted {@code line}. */
    AttributedStyle styleOf(String line, String part) {
        highlighter.highlight(line).styleAt(line.indexOf(part))
    }

    @Unroll
    def "in '#line', '#part' is coloured as a #kind"() {
        expect:
        styleOf(line, part) == style

        where:
        line                          | part          | kind       || style
        'nodes 7, prefix: "doccur"'   | 'nodes'       | 'keyword'  || SwarmHighlighter.KEYWORD
        'nodes 7, prefix: "doccur"'   | 'prefix'      | 'keyword'  || SwarmHighlighter.KEYWORD
        'nodes 7, prefix: "doccur"'   | '7'           | 'number'   || SwarmHighlighter.NUMBER
        'nodes 7, prefix: "doccur"'   | '"doccur"'    | 'string'   || SwarmHighlighter.STRING
        'consul encrypt true'         | 'encrypt'     | 'keyword'  || SwarmHighlighter.KEYWORD
        'def x = 3 // three masters'  | '// three'    | 'comment'  || SwarmHighlighter.COMMENT
        ':plan json'                  | ':plan'       | 'command'  || SwarmHighlighter.COMMAND
        'def frobnicate = 3'          | 'frobnicate'  | 'plain word' || AttributedStyle.DEFAULT
    }

    def "highlighting keeps the text as typed"() {
        expect:
        highlighter.highlight("swarm { replication }  // 'classic'").toString() == "swarm { replication }  // 'classic'"
    }
}
