package io.swarmdsl.provider.digitalocean;

import io.swarmdsl.plan.ProviderCall;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.ShellWords;
import io.swarmdsl.plan.Text;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The calls to DigitalOcean's API that the plan's steps carry, typed: {@link Provisioner} reads their
 * fields. Their parameters are how plans show them; every call names the token as a reference.
 */
final class DropletCalls {
    private DropletCalls() {
    }

    /** Registers the cluster's SSH key, unless one with its fingerprint is registered already. */
    record RegisterKey(String name, String publicKeyFile) implements ProviderCall {
        public String operation() {
            return "ssh-key";
        }

        public SortedMap<String, Text> parameters() {
            return withToken("name", name, "public_key_file", publicKeyFile);
        }

        public String shell() {
            return ShellWords.variable(Refs.SSH_KEY_ID.name()) + "=$(do_ssh_key " + ShellWords.quote(name) + " "
                    + ShellWords.quote(publicKeyFile) + ")";
        }
    }

    /** Creates the droplets {@code names} of one role in one call, adopting those that exist with the cluster's tag. */
    record CreateDroplets(List<String> names, String region, String size, String image, boolean monitoring, List<String> tags)
            implements ProviderCall {
        CreateDroplets {
            names = List.copyOf(names);
            tags = List.copyOf(tags);
        }

        public String operation() {
            return "droplets";
        }

        public SortedMap<String, Text> parameters() {
            return withToken("names", String.join(",", names), "region", region, "size", size, "image", image,
                    "private_networking", "true", "monitoring", String.valueOf(monitoring), "tags", String.join(",", tags),
                    "ssh_keys", Text.of(Refs.SSH_KEY_ID));
        }

        public String shell() {
            return "do_droplets " + Stream.of(String.join(",", names), region, size, image, String.join(",", tags), String.valueOf(monitoring))
                    .map(ShellWords::quote).collect(Collectors.joining(" "));
        }
    }

    /** Deletes droplet {@code dropletId}, still node {@code node} tagged {@code tag}, to make it anew: {@code change} says why. */
    record ReplaceDroplet(String node, String tag, int dropletId, String change) implements ProviderCall {
        public String operation() {
            return "replace-droplet";
        }

        public SortedMap<String, Text> parameters() {
            return withToken("change", change, "droplet_id", String.valueOf(dropletId), "name", node, "tag", tag);
        }

        public String shell() {
            return "do_api DELETE /droplets/" + dropletId + "  # " + node + ": " + change;
        }
    }

    /** Deletes node {@code node}'s droplets that carry the cluster's tag {@code tag}. */
    record DeleteDroplet(String node, String tag) implements ProviderCall {
        public String operation() {
            return "delete-droplet";
        }

        public SortedMap<String, Text> parameters() {
            return withToken("name", node, "tag", tag);
        }

        public String shell() {
            return "! id=$(do_droplet " + ShellWords.quote(node) + " | jq -r .id) || do_api DELETE \"/droplets/$id\"";
        }
    }

    /** {@code keysAndValues} and the token, sorted by name. */
    private static SortedMap<String, Text> withToken(Object... keysAndValues) {
        TreeMap<String, Text> parameters = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            parameters.put((String) keysAndValues[i], Text.of(keysAndValues[i + 1]));
        }
        parameters.put("token", Text.of(Refs.PROVIDER_TOKEN));
        return parameters;
    }
}
