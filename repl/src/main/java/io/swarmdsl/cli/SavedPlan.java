package io.swarmdsl.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.swarmdsl.Invocation;
import io.swarmdsl.apply.Loaded;
import io.swarmdsl.dsl.ScriptLoader;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.plan.Fingerprint;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.render.JsonRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plan saved with {@code swarm plan -f json -o FILE}: it names its script and the script's hash,
 * and is accepted only if the script is unchanged and plans to the very same bytes.
 */
final class SavedPlan {
    private SavedPlan() {
    }

    /** Whether {@code file} is a saved plan rather than a script: a {@code .json} file, or text that starts with {@code {}. */
    static boolean is(Path file) {
        try {
            return file.toString().endsWith(".json") || Files.readString(Invocation.current().resolve(file), StandardCharsets.UTF_8).stripLeading().startsWith("{");
        } catch (IOException e) {
            return false;
        }
    }

    /** The saved plan in {@code planFile}, once its script is found unchanged and planning it again gives the same bytes. */
    static Loaded load(Path planFile) {
        String saved = read(planFile);
        String[] source = source(saved, planFile);
        Path script = Invocation.current().resolve(Path.of(source[0]));
        if (!Files.exists(script)) {
            script = Invocation.current().resolve(planFile).getParent().resolve(source[0]);
        }
        String text = read(script);
        if (!Fingerprint.sha256(text).equals(source[1])) {
            throw new ApplyException("the script " + source[0] + " changed since " + planFile + " was saved: plan again");
        }
        // With the members the last apply left, as the saved plan was made: a node that has gone since changes it.
        Loaded fresh = Loaded.ofScript(ScriptLoader.load(source[0], text), script);
        Plan plan = fresh.plan();
        String planned = new JsonRenderer(source[0], source[1]).render(plan);
        if (!planned.equals(saved)) {
            throw new ApplyException(planFile + " is not the plan " + source[0] + " gives now (another version of swarm "
                    + "made it, or it was edited): plan again");
        }
        // The very plan that was compared with the saved one is the one that runs.
        return new Loaded(fresh.cluster(), plan, true, fresh.directory(), fresh.journal());
    }

    /** {script, sha256} of a saved plan's {@code source} object. */
    private static String[] source(String saved, Path planFile) {
        String script = null;
        String sha256 = null;
        try (JsonParser parser = new JsonFactory().createParser(saved)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    if (field.equals("source")) {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            parser.nextToken();
                            if (name.equals("script")) {
                                script = parser.getText();
                            } else if (name.equals("sha256")) {
                                sha256 = parser.getText();
                            } else if (name.equals("refreshed") && parser.getValueAsBoolean()) {
                                throw new ApplyException(planFile + " shows what was left to do when the nodes were read (plan --refresh), "
                                        + "and is not a plan to apply: save one with swarm plan FILE -o PLAN.json; apply reads the nodes itself");
                            }
                        }
                        break;
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ApplyException(planFile + " is not a saved plan: " + e.getMessage());
        }
        if (script == null || sha256 == null || script.equals("-e")) {
            throw new ApplyException(planFile + " is not a saved plan of a script file (save one with: swarm plan FILE -f json -o "
                    + planFile + ")");
        }
        return new String[] {script, sha256};
    }

    private static String read(Path file) {
        try {
            return Files.readString(Invocation.current().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ApplyException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
