package io.swarmdsl.provider.digitalocean;

import com.myjeeva.digitalocean.common.DropletStatus;
import com.myjeeva.digitalocean.pojo.Droplet;
import com.myjeeva.digitalocean.pojo.Image;
import com.myjeeva.digitalocean.pojo.Network;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.StepId;
import io.swarmdsl.provider.Provider.Refresh;
import io.swarmdsl.provider.Provider.Replacement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cluster's droplets as the API and the local record ({@code droplets.json}) show them: the
 * cluster tag on a droplet is the truth, the record says which of two with one name is the node's.
 * A droplet found active has its addresses recorded, for the rest of the apply.
 */
final class Droplets {
    private final ClusterSpec spec;
    private final DigitalOceanApi api;
    private final DropletState state;
    private final RunValues values;

    Droplets(ClusterSpec spec, DigitalOceanApi api, DropletState state, RunValues values) {
        this.spec = spec;
        this.api = api;
        this.state = state;
        this.values = values;
    }

    String clusterTag() {
        return DropletSteps.clusterTag(spec);
    }

    /** Every droplet that carries the cluster's tag. */
    List<Droplet> tagged() {
        return api.dropletsTagged(clusterTag());
    }

    /**
     * Reads, before planning, the droplets the cluster already has: their addresses let the facts of
     * those nodes be read. Finds the provision steps with nothing left to do (every droplet of their
     * role exists and is active; the SSH key only matters to create one), and the droplets whose
     * size or image is not the script's: those are to be replaced, so their nodes have no facts.
     */
    Refresh refresh(List<Step> steps) {
        Map<String, Droplet> existing = byNodeName(tagged());
        Set<String> active = new HashSet<>();
        List<Replacement> replacements = new ArrayList<>();
        Set<StepId> done = new HashSet<>();
        for (Step step : steps) {
            if (!(step.action() instanceof Action.Provision provision) || !(provision.call() instanceof DropletCalls.CreateDroplets create)) {
                continue;
            }
            for (String name : create.names()) {
                Droplet droplet = existing.get(name);
                String change = droplet == null ? null : change(droplet, create);
                if (change != null) {
                    replacements.add(new Replacement(name, droplet.getId(), change));
                } else if (droplet != null && isActive(droplet)) {
                    record(name, droplet);
                    active.add(name);
                }
            }
            if (active.containsAll(create.names())) {
                done.add(step.id());
            }
        }
        boolean allActive = spec.nodes().stream().allMatch(n -> active.contains(n.name()));
        steps.stream().filter(s -> s.action() instanceof Action.Provision p && p.call() instanceof DropletCalls.RegisterKey && allActive)
                .forEach(s -> done.add(s.id()));
        return new Refresh(done, replacements);
    }

    /** What differs between the droplet and the script's size and image, or null. An image the API shows no slug of is not compared. */
    static String change(Droplet droplet, DropletCalls.CreateDroplets create) {
        List<String> changes = new ArrayList<>();
        String size = create.size();
        if (droplet.getSize() != null && !droplet.getSize().equals(size)) {
            changes.add("size " + droplet.getSize() + " → " + size);
        }
        String image = create.image();
        Image current = droplet.getImage();
        // The script names an image by slug or by ID; a droplet's image may have lost its slug (a retired distribution).
        Object currentImage = current == null ? null : image.matches("\\d+") ? current.getId() : current.getSlug();
        if (currentImage != null && !String.valueOf(currentImage).equals(image)) {
            changes.add("image " + currentImage + " → " + image);
        }
        return changes.isEmpty() ? null : String.join(", ", changes);
    }

    /** The node's droplet: by the ID on record, else by the cluster tag and the node's name. */
    Droplet find(String node) {
        DropletState.Node known = state.node(node);
        Droplet droplet = known == null ? null : api.droplet(known.id());
        if (droplet != null && droplet.getTags() != null && droplet.getTags().contains(clusterTag())) {
            return droplet;
        }
        droplet = byNodeName(tagged()).get(node);
        if (droplet == null) {
            state.remove(node);
            throw new ApplyException("droplet " + node + " does not exist (or no longer carries the tag " + clusterTag()
                    + "): run the same apply again to create it");
        }
        return droplet;
    }

    /** Records the active droplet's addresses, in the state and for the steps that follow. */
    DropletState.Node record(String node, Droplet droplet) {
        String publicAddress = address(droplet, "public");
        String privateAddress = address(droplet, "private");
        DropletState.Node known = new DropletState.Node(droplet.getId(), publicAddress,
                privateAddress == null ? publicAddress : privateAddress);
        state.put(node, known);
        values.put(Refs.publicAddress(node).name(), known.publicAddress(), false);
        values.put(Refs.privateAddress(node).name(), known.privateAddress(), false);
        return known;
    }

    /** The cluster's nodes among {@code droplets}, by name; of two with one name, the one on record or else the oldest. */
    Map<String, Droplet> byNodeName(List<Droplet> droplets) {
        Set<String> nodes = spec.nodes().stream().map(NodeSpec::name).collect(Collectors.toSet());
        Map<String, Droplet> byName = new LinkedHashMap<>();
        droplets.stream().filter(d -> nodes.contains(d.getName())).sorted(Comparator.comparing(Droplet::getId)).forEach(d -> {
            DropletState.Node known = state.node(d.getName());
            if (!byName.containsKey(d.getName()) || known != null && known.id() == d.getId()) {
                byName.put(d.getName(), d);
            }
        });
        return byName;
    }

    static boolean isActive(Droplet droplet) {
        return droplet.getStatus() == DropletStatus.ACTIVE && address(droplet, "public") != null;
    }

    static String address(Droplet droplet, String type) {
        if (droplet.getNetworks() == null || droplet.getNetworks().getVersion4Networks() == null) {
            return null;
        }
        return droplet.getNetworks().getVersion4Networks().stream().filter(n -> type.equals(n.getType()))
                .map(Network::getIpAddress).findFirst().orElse(null);
    }
}
