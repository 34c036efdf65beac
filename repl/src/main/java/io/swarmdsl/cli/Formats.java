package io.swarmdsl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The {@code -f/--format} and {@code -o FILE} conventions every command shares. */
final class Formats {
    /** The format {@code -o FILE} implies by its extension when no {@code -f} is given. */
    private static final Map<String, String> BY_EXTENSION = Map.of(".json", "json", ".sh", "sh", ".dot", "dot");

    private Formats() {
    }

    /** Refuses a {@code what} (format, shell, provider) the command does not know, naming those it does. */
    static void check(CommandLine commandLine, String what, String value, List<String> known) {
        if (!known.contains(value)) {
            throw new CommandLine.ParameterException(commandLine, "unknown " + what + " '" + value + "' (" + what + "s: "
                    + String.join(", ", known) + ")");
        }
    }

    /** {@code -o -}: standard output, as most tools read it. */
    static boolean isStandardOutput(Path output) {
        return output == null || output.toString().equals("-");
    }

    /** The format given, else the one {@code output}'s extension implies, else text. */
    static String chosen(String format, Path output) {
        if (format != null) {
            return format;
        }
        if (!isStandardOutput(output)) {
            String name = output.getFileName().toString();
            for (Map.Entry<String, String> extension : BY_EXTENSION.entrySet()) {
                if (name.endsWith(extension.getKey())) {
                    return extension.getValue();
                }
            }
        }
        return "text";
    }
}
