package io.swarmdsl.provider.digitalocean;

import com.myjeeva.digitalocean.pojo.Droplet;
import com.myjeeva.digitalocean.pojo.Image;
import com.myjeeva.digitalocean.pojo.Key;
import com.myjeeva.digitalocean.pojo.Region;
import io.swarmdsl.Invocation;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.exec.StepOutcome;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Condition;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.ProviderCall;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepKind;
import io.swarmdsl.plan.Text;
import io.swarmdsl.provider.Provider.HostKeys;
import io.swarmdsl.provider.Provider.Machine;
import io.swarmdsl.provider.Provider.Refresh;
import io.swarmdsl.provider.Provider.Replacement;
import io.swarmdsl.provider.Provider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Carries out the DigitalOcean steps of a plan (the article's phase one): registers the cluster's
 * SSH key or finds it by fingerprint, creates the droplets of a role in one call after adopting
 * those that already carry the cluster's tag and a node's name, waits until each is active and
 * hands its addresses to the rest of the apply; in a teardown, deletes the cluster's tagged droplets.
 * Every step is idempotent: the cluster tag on the droplets is the truth, {@code droplets.json} the
 * local record of it.
 */
public final class Provisioner implements Provider.Session {
    private static final int OUTPUT_TAIL = 2000;

    private final ClusterSpec spec;
    private final DigitalOceanApi api;
    private final DropletState state;
    private final Droplets droplets;
    private final RunValues values;
    private final Redactor redactor;
    private final Path scriptDirectory;
    private final Duration pollInterval;
    /** The droplets this run deleted to replace them: a listing may still show them for a while. */
    private final Set<Integer> replaced = ConcurrentHashMap.newKeySet();
    private HostKeys hostKeys;
    private Path knownHosts;
    /** What the user should know once the run is over: the replaced droplets' host keys. */
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    public Provisioner(ClusterSpec spec, DigitalOceanApi api, RunValues values, Redactor redactor, Path scriptDirectory,
                       Duration pollInterval) {
        this.spec = spec;
        this.api = api;
        this.state = new DropletState(values.stateDirectory());
        this.droplets = new Droplets(spec, api, state, values);
        this.values = values;
        this.redactor = redactor;
        this.scriptDirectory = scriptDirectory;
        this.pollInterval = pollInterval;
    }

    /** The provider's API with the token the script names (read, and redacted from then on, by {@code values}). */
    public static Provisioner of(ClusterSpec spec, RunValues values, Redactor redactor, Path scriptDirectory) {
        String token = values.value(Refs.PROVIDER_TOKEN);
        return new Provisioner(spec, DigitalOceanApi.connect(token), values, redactor, scriptDirectory, Duration.ofSeconds(5));
    }

    /** Whether {@code step} is one of this runner's: a cloud call or the wait for a droplet. */
    @Override
    public boolean runs(Step step) {
        return step.kind() == StepKind.PROVISION || step.action() instanceof Action.Wait wait && wait.condition() instanceof Condition.ProviderReady;
    }

    /** Where a replaced droplet's old host key is removed from: the known_hosts file the apply's SSH uses. */
    @Override
    public Provisioner withKnownHosts(Path file, HostKeys keys) {
        this.knownHosts = file;
        this.hostKeys = keys;
        return this;
    }

    /**
     * Reads, before planning, the droplets the cluster already has: their addresses let the facts of
     * those nodes be read. Finds the provision steps with nothing left to do, and the droplets to replace.
     */
    @Override
    public Refresh refresh(List<Step> steps) {
        return droplets.refresh(steps);
    }

    @Override
    public Plan replacing(Plan plan, List<Replacement> replacements) {
        return DropletSteps.withReplacements(plan, replacements);
    }

    /** What this run's steps said the user should know (a replaced droplet has a new host key), one line each. */
    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** The cluster's droplets as the last steps left them. */
    @Override
    public List<Machine> made() {
        List<Machine> machines = new ArrayList<>();
        for (NodeSpec node : spec.nodes()) {
            DropletState.Node known = state.node(node.name());
            if (known != null) {
                machines.add(new Machine(node.name(), known.id(), known.publicAddress(), known.privateAddress()));
            }
        }
        return machines;
    }

    @Override
    public StepOutcome run(Step step, String fingerprint) {
        long start = System.nanoTime();
        try {
            String output;
            if (step.action() instanceof Action.Wait wait) {
                output = waitUntilActive(step.node(), wait.timeoutSeconds());
            } else {
                ProviderCall call = ((Action.Provision) step.action()).call();
                if (call instanceof DropletCalls.RegisterKey key) {
                    output = sshKey(key);
                } else if (call instanceof DropletCalls.CreateDroplets create) {
                    output = droplets(create);
                } else if (call instanceof DropletCalls.DeleteDroplet delete) {
                    output = delete(delete.node());
                } else if (call instanceof DropletCalls.ReplaceDroplet replace) {
                    output = replace(replace);
                } else {
                    throw new ApplyException("no way to run the provision operation " + call.operation());
                }
            }
            return new StepOutcome(StepOutcome.Status.DONE, 0, tail(redactor.redact(output)), "", seconds(start), 1);
        } catch (ApplyException e) {
            return new StepOutcome(StepOutcome.Status.FAILED, -1, "", redactor.redact(e.getMessage()), seconds(start), 1);
        }
    }

    private String sshKey(DropletCalls.RegisterKey register) {
        String file = register.publicKeyFile();
        String publicKey = PublicKeyFile.read(Invocation.current().resolve(scriptDirectory, file));
        String fingerprint = PublicKeyFile.fingerprint(publicKey, file);
        Key key = api.key(fingerprint);
        String output;
        if (key == null) {
            key = api.createKey(register.name(), publicKey);
            output = "registered the SSH key " + fingerprint + " as " + key.getId();
        } else {
            output = "reused the SSH key " + fingerprint + " (" + key.getId() + ")";
        }
        state.sshKey(key.getId());
        values.put(Refs.SSH_KEY_ID.name(), String.valueOf(key.getId()), false);
        return output;
    }

    /**
     * Adopts the droplets that carry the cluster tag and a node's name, then creates the others in one
     * call. When a create got no answer it may have happened: look again before trying again.
     */
    private String droplets(DropletCalls.CreateDroplets create) {
        List<String> names = create.names();
        List<String> lines = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            Map<String, Droplet> existing = droplets.byNodeName(droplets.tagged().stream()
                    .filter(d -> !replaced.contains(d.getId())).toList());
            List<String> missing = new ArrayList<>();
            for (String name : names) {
                Droplet droplet = existing.get(name);
                String change = droplet == null ? null : Droplets.change(droplet, create);
                if (change != null) {
                    // A plan made without reading the droplets (a saved one): never adopt it as it is, never replace it unasked.
                    throw new ApplyException("droplet " + name + " (" + droplet.getId() + ") differs from the script (" + change
                            + "), and this plan does not replace it: run swarm apply FILE to see the replacement in the plan and confirm it");
                }
                if (droplet == null) {
                    missing.add(name);
                } else if (state.node(name) == null || state.node(name).id() != droplet.getId()) {
                    state.put(name, new DropletState.Node(droplet.getId(), null, null));
                    lines.add("adopted " + name + " (" + droplet.getId() + ")");
                }
            }
            if (missing.isEmpty()) {
                return lines.isEmpty() ? "droplets " + String.join(" ", names) + " exist" : String.join("\n", lines);
            }
            try {
                for (Droplet created : api.create(request(create, missing))) {
                    state.put(created.getName(), new DropletState.Node(created.getId(), null, null));
                    lines.add("created " + created.getName() + " (" + created.getId() + ")");
                }
                return String.join("\n", lines);
            } catch (DigitalOceanApi.NoAnswer e) {
                if (attempt >= DigitalOceanApi.ATTEMPTS) {
                    throw e;
                }
                pause(pollInterval);
            }
        }
    }

    private Droplet request(DropletCalls.CreateDroplets create, List<String> names) {
        Droplet request = new Droplet();
        request.setNames(names);
        request.setRegion(new Region(create.region()));
        request.setSize(create.size());
        request.setImage(new Image(create.image()));
        request.setEnablePrivateNetworking(true);
        request.setInstallMonitoring(create.monitoring());
        request.setTags(create.tags());
        String keyId = values.knows(Refs.SSH_KEY_ID.name()) ? values.resolve(Text.of(Refs.SSH_KEY_ID))
                : state.sshKeyId() == null ? null : String.valueOf(state.sshKeyId());
        if (keyId == null) {
            throw new ApplyException("the cluster's SSH key is not registered yet: the ssh-key step has not run");
        }
        request.setKeys(List.of(new Key(Integer.parseInt(keyId))));
        return request;
    }

    private String waitUntilActive(String node, int timeoutSeconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (true) {
            Droplet droplet = droplets.find(node);
            if (Droplets.isActive(droplet)) {
                DropletState.Node known = droplets.record(node, droplet);
                return node + " (" + droplet.getId() + ") is active: public " + known.publicAddress() + ", private " + known.privateAddress();
            }
            if (System.nanoTime() > deadline) {
                throw new ApplyException("gave up waiting after " + timeoutSeconds + " s for droplet " + node + " (" + droplet.getId()
                        + ") to be active; it is " + droplet.getStatus() + ". Run the same apply again to go on waiting");
            }
            pause(pollInterval);
        }
    }

    /**
     * Deletes the droplet to replace, by its ID and only if it still carries the cluster's tag and
     * the node's name; the droplets step after this one makes it anew. Its host key goes from the
     * known_hosts file: the new droplet has a new one.
     */
    private String replace(DropletCalls.ReplaceDroplet replacement) {
        String node = replacement.node();
        int id = replacement.dropletId();
        Droplet droplet = api.droplet(id);
        if (droplet == null) {
            state.remove(node);
            return "droplet " + node + " (" + id + ") no longer exists: it is made anew";
        }
        if (!node.equals(droplet.getName()) || droplet.getTags() == null || !droplet.getTags().contains(droplets.clusterTag())) {
            throw new ApplyException("droplet " + id + " is no longer " + node + " tagged " + droplets.clusterTag() + ": not deleted. "
                    + "Run the same apply again to plan from what exists now");
        }
        String address = Droplets.address(droplet, "public");
        api.delete(id);
        replaced.add(id);
        state.remove(node);
        String hostKey = forgetHostKey(node, address);
        notes.add(hostKey);
        return "deleted " + node + " (" + id + ", " + replacement.change() + "); the droplets step makes it anew\n" + hostKey;
    }

    /** Removes the old droplet's host key, or says how to. */
    private String forgetHostKey(String node, String address) {
        String advice = "the new droplet " + node + " has a new host key";
        if (address == null) {
            return advice;
        }
        if (hostKeys == null) {
            return advice + ": if a known_hosts file holds the old one, remove it with: ssh-keygen -R " + address;
        }
        try {
            int removed = hostKeys.forget(address, spec.node(node).ssh().port());
            return removed == 0 ? advice + "; " + knownHosts + " held no key of " + address
                    : advice + ": removed the old key of " + address + " from " + knownHosts;
        } catch (IOException e) {
            return advice + ", and the old key of " + address + " could not be removed from " + knownHosts + " (" + e.getMessage()
                    + "): remove it with: ssh-keygen -f " + knownHosts + " -R " + address;
        }
    }

    /** Deletes the node's droplets that carry the cluster tag; a droplet without it is never touched. */
    private String delete(String node) {
        DropletState.Node known = state.node(node);
        Droplet onRecord = known == null ? null : api.droplet(known.id());
        List<Droplet> tagged = onRecord != null && node.equals(onRecord.getName()) && onRecord.getTags() != null
                && onRecord.getTags().contains(droplets.clusterTag()) ? List.of(onRecord)
                : droplets.tagged().stream().filter(d -> node.equals(d.getName())).toList();
        for (Droplet droplet : tagged) {
            api.delete(droplet.getId());
        }
        state.remove(node);
        return tagged.isEmpty() ? "no droplet " + node + " tagged " + droplets.clusterTag() + ": nothing to delete"
                : "deleted " + tagged.stream().map(d -> node + " (" + d.getId() + ")").collect(Collectors.joining(", "));
    }

    private static String tail(String output) {
        return output.length() <= OUTPUT_TAIL ? output : "…" + output.substring(output.length() - OUTPUT_TAIL);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted");
        }
    }
}
