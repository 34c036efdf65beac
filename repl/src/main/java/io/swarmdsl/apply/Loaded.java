package io.swarmdsl.apply;

import io.swarmdsl.Invocation;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.swarmdsl.dsl.ScriptLoader;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.plan.Fingerprint;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.provider.Providers;
import io.swarmdsl.render.JsonRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code apply} works from: a script, or a saved plan. A saved plan names its script and the
 * script's hash; it is accepted only if the script is unchanged and plans to the very same bytes.
 * The cluster's state (CA, generated keys) lives in {@code .swarm/CLUSTER/} beside the script,
 * the journal beside the script as {@code SCRIPT.journal}.
 */
public record Loaded(ClusterSpec cluster, Plan plan, boolean saved, Path directory, Path journal) {

    public Path stateDirectory() {
        return directory.resolve(".swarm").resolve(cluster.name());
    }

    /**
     * Each node's public address as known without provisioning: the script's, or for DigitalOcean the
     * droplet's that the last apply or {@code swarm machines} recorded in {@code droplets.json}; null
     * when the node has none yet.
     */
    public Function<NodeSpec, String> publicAddresses() {
        Map<String, String> droplets = Providers.of(cluster).recordedAddresses(stateDirectory());
        return node -> node.publicAddress() != null ? node.publicAddress() : droplets.get(node.name());
    }

    /** The saved plan {@code file} is, else the cluster {@code script} loads (from {@code file}, or none: {@code -e}). */
    public static Loaded of(Path file, Supplier<ClusterSpec> script) {
        if (file != null && isSavedPlan(file)) {
            return savedPlan(file);
        }
        ClusterSpec cluster = script.get();
        if (file == null) {
            return inDirectory(cluster, Invocation.current().directory());
        }
        return new Loaded(cluster, Providers.plan(cluster), false, Invocation.current().resolve(file).getParent(), journalOf(file));
    }

    /** A cluster without a script file ({@code apply -e}, the REPL): state and journal in {@code directory/.swarm/CLUSTER/}. */
    public static Loaded inDirectory(ClusterSpec cluster, Path directory) {
        Path absolute = Invocation.current().resolve(directory);
        return new Loaded(cluster, Providers.plan(cluster), false, absolute, absolute.resolve(".swarm").resolve(cluster.name()).resolve("journal"));
    }

    /** {@code SCRIPT.journal}, beside the script. */
    public static Path journalOf(Path script) {
        Path file = Invocation.current().resolve(script);
        return file.resolveSibling(file.getFileName() + ".journal");
    }

    private static boolean isSavedPlan(Path file) {
        try {
            return file.toString().endsWith(".json") || Files.readString(Invocation.current().resolve(file), StandardCharsets.UTF_8).stripLeading().startsWith("{");
        } catch (IOException e) {
            return false;
        }
    }

    private static Loaded savedPlan(Path planFile) {
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
        ClusterSpec cluster = ScriptLoader.load(source[0], text);
        Plan plan = Providers.plan(cluster);
        String planned = new JsonRenderer(source[0], source[1]).render(plan);
        if (!planned.equals(saved)) {
            throw new ApplyException(planFile + " is not the plan " + source[0] + " gives now (another version of swarm "
                    + "made it, or it was edited): plan again");
        }
        // The very plan that was compared with the saved one is the one that runs.
        return new Loaded(cluster, plan, true, script.getParent(), journalOf(script));
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
