package io.swarmdsl.dsl;

import io.swarmdsl.dsl.LanguageReference.Entry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the language reference, {@code docs/language/}: an index and one page per keyword of the
 * script's top level with every option, its default and an example, from {@link LanguageReference}.
 * A spec keeps the checked-in pages equal to what this writes and plans every example.
 */
public final class ReferenceWriter {
    static final String GENERATED = "<!-- Written by io.swarmdsl.dsl.ReferenceWriter from the builders' @Keyword annotations; do not edit by hand."
            + " Rewrite: mvn -pl dsl test -Dtest=LanguageReferenceSpec -Dgolden.update=true -->\n\n";

    private ReferenceWriter() {
    }

    /** File name (in {@code docs/language/}) to its Markdown text. */
    public static Map<String, String> pages() {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("README.md", index());
        for (Entry keyword : LanguageReference.keywords()) {
            pages.put(keyword.name() + ".md", page(keyword));
        }
        return pages;
    }

    private static String index() {
        StringBuilder out = new StringBuilder(GENERATED);
        out.append("# The swarm language\n\n")
                .append("A `.swarm` file is a Groovy script whose keywords describe the cluster. Every section can be written three ways:\n")
                .append("a value (`nodes 7`), options (`nodes 7, prefix: 'doccur'`) and a block (`consul { encrypt true; ui false }`);\n")
                .append("a bare word names an option that is true (`swarm replication`, `memory accounting`). Plain Groovy (variables,\n")
                .append("loops, string interpolation) builds values; a script cannot reach the machine that plans it.\n\n")
                .append("| keyword | what it is |\n|---|---|\n");
        for (Entry keyword : LanguageReference.keywords()) {
            out.append("| [`").append(keyword.name()).append("`](").append(keyword.name()).append(".md) | ")
                    .append(cell(keyword.doc())).append(" |\n");
        }
        out.append("\n## Secrets\n\n")
                .append("`env('NAME')` and `file('PATH')` say where a secret (a token, a gossip key) is read when applying:\n")
                .append("`token: env('DIGITALOCEAN_ACCESS_TOKEN')`, `consul encrypt file('~/.consul-key')`. The script itself never reads it,\n")
                .append("and no plan, log or journal shows it.\n");
        return out.toString();
    }

    private static String page(Entry keyword) {
        StringBuilder out = new StringBuilder(GENERATED);
        out.append("# `").append(keyword.name()).append("`\n\n").append(keyword.doc()).append("\n\n");
        for (String written : keyword.written()) {
            out.append("    ").append(written).append('\n');
        }
        if (!keyword.byDefault().isEmpty()) {
            out.append("\nDefault: ").append(keyword.byDefault()).append(".\n");
        }
        if (!keyword.options().isEmpty()) {
            options(out, keyword, "##");
        }
        out.append("\n## Example\n\n```groovy\n").append(keyword.example()).append("\n```\n\n")
                .append("A spec plans this example as written (`LanguageReferenceSpec`).\n\n")
                .append("[All keywords](README.md)\n");
        return out.toString();
    }

    private static void options(StringBuilder out, Entry section, String heading) {
        out.append('\n').append(heading).append(" Options of `").append(section.name()).append("`\n\n")
                .append("| option | written | meaning | default |\n|---|---|---|---|\n");
        for (Entry option : section.options()) {
            out.append("| ").append(option.positional() ? "*(its value)*" : "`" + option.name() + "`")
                    .append(option.repeatable() ? " (repeatable)" : "").append(" | ")
                    .append(code(option.written())).append(" | ").append(cell(option.doc())).append(" | ")
                    .append(option.byDefault().isEmpty() ? "" : cell(option.byDefault())).append(" |\n");
        }
        for (Entry option : section.options()) {
            if (!option.options().isEmpty()) {
                options(out, option, heading + "#");
            }
        }
    }

    private static String code(List<String> forms) {
        return String.join("<br>", forms.stream().map(form -> "`" + cell(form) + "`").toList());
    }

    /** Text for a table cell: a pipe would end the cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
