package io.swarmdsl.dsl;

import io.swarmdsl.model.ClusterBuilder;
import io.swarmdsl.model.Keyword;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes the IntelliJ GDSL file ({@code gdsl/swarm.gdsl}) from the builders' keywords, so that
 * {@code .swarm} files get completion and documentation for every keyword and block option. A spec
 * keeps the checked-in file equal to what this writes.
 */
public final class GdslWriter {
    private GdslWriter() {
    }

    public static String gdsl() {
        StringBuilder out = new StringBuilder();
        out.append("// IntelliJ IDEA support for .swarm scripts: completion and documentation of every keyword.\n")
                .append("// Written by io.swarmdsl.dsl.GdslWriter from the builders' @Keyword methods; do not edit by hand.\n")
                .append("// Use: mark *.swarm as a Groovy file type and put this file on the project's source path.\n\n");
        Map<String, Class<?>> blocks = new LinkedHashMap<>();
        collectBlocks(ClusterBuilder.class, blocks);

        out.append("contributor(context(filetypes: ['swarm'], scope: scriptScope())) {\n");
        members(out, ClusterBuilder.class, "  ");
        secretFunctions(out, "  ");
        out.append("}\n");
        for (Map.Entry<String, Class<?>> block : blocks.entrySet()) {
            out.append("\ncontributor(context(filetypes: ['swarm'], scope: closureScope())) {\n")
                    .append("  if (enclosingCall('").append(block.getKey()).append("')) {\n");
            members(out, block.getValue(), "    ");
            secretFunctions(out, "    ");
            out.append("  }\n}\n");
        }
        return out.toString();
    }

    private static void collectBlocks(Class<?> builder, Map<String, Class<?>> blocks) {
        for (Map.Entry<String, List<Method>> keyword : Keywords.of(builder).entrySet()) {
            for (Method method : keyword.getValue()) {
                if (Keywords.opensSection(method)) {
                    Class<?> section = Keywords.sectionOf(method);
                    if (blocks.putIfAbsent(keyword.getKey(), section) == null) {
                        collectBlocks(section, blocks);
                    }
                }
            }
        }
    }

    private static void members(StringBuilder out, Class<?> builder, String indent) {
        for (Map.Entry<String, List<Method>> keyword : Keywords.of(builder).entrySet()) {
            for (Method method : keyword.getValue()) {
                Keyword word = method.getAnnotation(Keyword.class);
                String meaning = word.doc().isEmpty() ? "" : " - " + word.doc();
                String doc = (word.usage() + meaning).replace("\\", "\\\\").replace("'", "\\'");
                out.append(indent).append("method name: '").append(keyword.getKey()).append("', type: 'void', params: [")
                        .append(parameters(method)).append("], doc: '").append(doc).append("'\n");
                if (method.getParameterCount() == 0 || method.getParameterTypes()[0] == boolean.class) {
                    // A flag also reads as a bare word: swarm replication, consul { encrypt }.
                    out.append(indent).append("property name: '").append(keyword.getKey()).append("', type: 'java.lang.Object', doc: '")
                            .append(doc).append("'\n");
                }
            }
        }
    }

    private static String parameters(Method method) {
        if (Keywords.opensSection(method)) {
            return "options: 'java.util.Map', value: 'java.lang.Object', block: 'groovy.lang.Closure'";
        }
        StringBuilder params = new StringBuilder();
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            params.append(i == 0 ? "" : ", ").append(i == 0 ? "value" : "value" + (i + 1)).append(": '")
                    .append(types[i] == Consumer.class ? "groovy.lang.Closure" : types[i].getName()).append("'");
        }
        return params.toString();
    }

    private static void secretFunctions(StringBuilder out, String indent) {
        out.append(indent).append("method name: 'env', type: 'io.swarmdsl.model.Secret', params: [name: 'java.lang.String'], ")
                .append("doc: 'A secret read from an environment variable when applying'\n")
                .append(indent).append("method name: 'file', type: 'io.swarmdsl.model.Secret', params: [path: 'java.lang.String'], ")
                .append("doc: 'A secret read from a file when applying'\n");
    }
}
