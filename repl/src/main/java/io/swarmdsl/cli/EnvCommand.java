package io.swarmdsl.cli;

import io.swarmdsl.apply.Loaded;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.DidYouMean;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.SpecException;
import io.swarmdsl.model.SwarmSpec;
import io.swarmdsl.plan.Planner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code swarm env FILE NODE}: the shell lines that point a Docker client at a node's engine (or,
 * with {@code --swarm}, at its classic Swarm manager) with the cluster's client certificate, like
 * {@code docker-machine env}.
 */
@Command(name = "env", mixinStandardHelpOptions = true,
        description = "Print the DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH lines for a node's engine: eval \"$(swarm env FILE NODE)\".")
final class EnvCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .swarm script")
    Path file;

    @Parameters(index = "1", paramLabel = "NODE", description = "the node whose engine the client should talk to")
    String node;

    @Option(names = "--swarm", description = "the node's classic Swarm manager instead of its engine")
    boolean swarm;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ScriptSource source = new ScriptSource();
        source.file = file;
        Loaded loaded;
        try {
            loaded = source.loaded(spec.commandLine());
        } catch (SpecException e) {
            err.println(e.describe());
            return Main.INVALID;
        }
        ClusterSpec cluster = loaded.cluster();
        NodeSpec target = cluster.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElse(null);
        String refused = target == null ? "no node named '" + node + "' in " + file
                + DidYouMean.suggest(node, cluster.nodes().stream().map(NodeSpec::name).toList())
                : !cluster.engine().enabled() ? "the script leaves the engines alone (engine false): swarm configured no endpoint"
                : swarm ? refusedSwarm(cluster, target) : null;
        if (refused != null) {
            err.println("swarm env: " + refused);
            return Main.INVALID;
        }
        String address = loaded.publicAddresses().apply(target);
        if (address == null) {
            err.println("swarm env: " + (cluster.provider() instanceof ProviderSpec.DigitalOcean
                    ? node + " has no droplet yet (none recorded in " + loaded.stateDirectory().resolve("droplets.json")
                    + "): create it with swarm apply " + file + " or swarm machines " + file
                    : "the address of " + node + " is known only after provisioning, and the script names no provider that does"));
            return 1;
        }
        int port = swarm ? cluster.swarm().port() : cluster.engine().port();
        String command = "swarm env " + file + " " + node + (swarm ? " --swarm" : "");
        if (cluster.engine().tls()) {
            out.println("export DOCKER_TLS_VERIFY=\"1\"");
        } else {
            out.println("unset DOCKER_TLS_VERIFY DOCKER_CERT_PATH");
        }
        out.println("export DOCKER_HOST=\"tcp://" + address + ":" + port + "\"");
        if (cluster.engine().tls()) {
            out.println("export DOCKER_CERT_PATH=\"" + loaded.stateDirectory() + "\"");
        }
        out.println("# Run this command to configure your shell: eval \"$(" + command + ")\"");
        out.flush();
        return 0;
    }

    private static String refusedSwarm(ClusterSpec cluster, NodeSpec target) {
        if (cluster.swarm().flavor() != SwarmSpec.Flavor.CLASSIC) {
            return "--swarm is for classic Swarm, and " + cluster.name() + " has "
                    + (cluster.swarm().flavor() == SwarmSpec.Flavor.MODE ? "Swarm mode: point the client at a manager's engine "
                    + "(swarm env FILE " + cluster.masters().get(0).name() + ")" : "no Swarm");
        }
        if (!Planner.isClassicManager(cluster, target)) {
            return target.name() + " runs no classic Swarm manager; the managers are "
                    + String.join(", ", cluster.nodes().stream().filter(n -> Planner.isClassicManager(cluster, n)).map(NodeSpec::name).toList());
        }
        return null;
    }
}
