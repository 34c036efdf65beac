package io.swarmdsl.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON Schemas (draft 2020-12) of what swarm writes for tools: the plan ({@code plan -f json})
 * and the event stream ({@code apply -f json}), versioned as their {@code format_version}.
 */
public final class Schemas {
    public static final List<String> NAMES = List.of("plan", "events");

    private Schemas() {
    }

    /** The schema {@code name} ({@code plan} or {@code events}) of format version {@link JsonRenderer#FORMAT_VERSION}, as text. */
    public static String text(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no schema named " + name);
        }
        String resource = "/io/swarmdsl/schema/" + name + "-v" + JsonRenderer.FORMAT_VERSION + ".json";
        try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
