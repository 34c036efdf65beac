package io.swarmdsl.exec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.swarmdsl.plan.Documents;
import io.swarmdsl.plan.StepId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every step's start and result, one JSON object per line, appended as they happen (so a killed
 * apply leaves a journal that says exactly how far it got). A re-run skips the steps the journal
 * records as done with the same fingerprint. Everything written is redacted first.
 */
public final class Journal implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();
    private final Path path;
    private final Writer out;
    private final Redactor redactor;

    public Journal(Path path, Redactor redactor) {
        this.path = path;
        this.redactor = redactor;
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ApplyException("cannot open the journal " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Step id → fingerprint of the steps done by the last apply that did not finish (failed or was
     * killed): what a re-run may skip. A finished apply leaves nothing to resume; from then on the
     * nodes' facts alone say what is left to do.
     */
    public static Map<StepId, String> done(Path path) {
        Map<StepId, String> done = new HashMap<>();
        if (!Files.exists(path)) {
            return done;
        }
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                Map<String, String> record = parse(line);
                if ("end".equals(record.get("event")) && "true".equals(record.get("succeeded"))) {
                    done.clear();
                    continue;
                }
                StepId step = record.get("step") == null ? null : StepId.parse(record.get("step"));
                if (step == null) {
                    continue;
                }
                if ("done".equals(record.get("event"))) {
                    done.put(step, record.get("fingerprint"));
                } else {
                    done.remove(step);
                }
            }
        } catch (IOException e) {
            throw new ApplyException("cannot read the journal " + path + ": " + e.getMessage(), e);
        }
        return done;
    }

    /** What the last {@code targets} record says: the connections of the last apply, as {@link Preconnect} wrote them. */
    public static String lastTargets(Path path) {
        String targets = null;
        if (path != null && Files.exists(path)) {
            try {
                for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    if (line.contains("\"event\":\"targets\"")) {
                        targets = parse(line).get("targets");
                    }
                }
            } catch (IOException e) {
                return null;
            }
        }
        return targets;
    }

    public void record(Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", Instant.now().toString());
        fields.forEach((name, value) -> {
            if (value != null) {
                line.put(name, value instanceof String text ? redactor.redact(text) : value);
            }
        });
        String text = Documents.compactJson(line);
        synchronized (this) {
            try {
                out.write(text + "\n");
                out.flush();
            } catch (IOException e) {
                throw new ApplyException("cannot write the journal " + path + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String line) throws IOException {
        Map<String, String> record = new HashMap<>();
        if (line.isBlank()) {
            return record;
        }
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return record;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isScalarValue()) {
                    record.put(name, parser.getValueAsString());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            // A line cut short by a kill: the step it describes did not finish.
        }
        return record;
    }
}
