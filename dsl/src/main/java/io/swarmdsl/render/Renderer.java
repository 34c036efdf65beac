package io.swarmdsl.render;

import io.swarmdsl.plan.Plan;
import java.util.List;

/** A way to show a plan. Every renderer prints secrets as {@code (sensitive)} or reads them from the environment. */
public interface Renderer {
    List<String> FORMATS = List.of("text", "json", "sh", "dot");

    String render(Plan plan);

    static Renderer forFormat(String format) {
        return switch (format) {
            case "text" -> new TextRenderer();
            case "json" -> new JsonRenderer();
            case "sh" -> new ShellRenderer();
            case "dot" -> new DotRenderer();
            default -> throw new IllegalArgumentException("unknown format '" + format + "' (formats: "
                    + String.join(", ", FORMATS) + ")");
        };
    }
}
