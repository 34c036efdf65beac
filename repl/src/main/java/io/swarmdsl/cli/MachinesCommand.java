package io.swarmdsl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.swarmdsl.apply.Loaded;
import io.swarmdsl.apply.Replacements;
import io.swarmdsl.cli.terminal.ConsoleView;
import io.swarmdsl.exec.ApplyReport;
import io.swarmdsl.exec.Executor;
import io.swarmdsl.exec.Journal;
import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.StepKind;
import io.swarmdsl.provider.Provider;
import io.swarmdsl.provider.Providers;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code swarm machines FILE}: the article's phase one alone. Creates (or adopts) the cluster's
 * droplets, waits until they are active, and prints the shell-sourceable block of the article's
 * {@code setup-machines.sh}, or JSON. The plan and progress go to standard error, so that
 * {@code swarm machines FILE > machines.sh} keeps only the block.
 */
@Command(name = "machines", mixinStandardHelpOptions = true,
        description = "Create or adopt the cluster's droplets (phase one alone), then print MACHINE_NAMES, MACHINE_PUBLIC_ADDRESSES, "
                + "MACHINE_CLUSTER_ADDRESSES and the rest as shell lines to source, or JSON.")
final class MachinesCommand implements Callable<Integer> {
    static final String CONFIRMATION = "\nCreate the droplets as planned? Only 'yes' is accepted: ";

    @CommandLine.Mixin
    ScriptSource script;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "sh", description = "sh (default: declare lines to source) or json")
    String format;

    @Option(names = "--yes", description = "do not ask: create the droplets planned")
    boolean yes;

    @CommandLine.Mixin
    ReplaceOption replacing;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Formats.check(spec.commandLine(), "format", format, List.of("sh", "json"));
        PrintWriter out = spec.commandLine().getOut();
        // An invalid script: Main's handler prints where, and exits with 2.
        Loaded loaded = script.loaded(spec.commandLine());
        ClusterSpec cluster = loaded.cluster();
        if (loaded.plan().steps().stream().noneMatch(step -> step.kind() == StepKind.PROVISION)) {
            spec.commandLine().getErr().println("swarm machines: phase one creates machines, and the script's provider '"
                    + cluster.provider().name() + "' makes none: it uses the hosts the script names");
            return Main.INVALID;
        }
        Redactor redactor = new Redactor();
        RunValues values = new RunValues(cluster, loaded.stateDirectory(), redactor);
        values.resolveSecrets();
        Provider.Session provisioner = Providers.of(cluster).session(cluster, values, redactor, loaded.directory());
        Plan provision = new Plan(cluster, loaded.plan().steps().stream().filter(provisioner::runs).toList());
        List<Provider.Replacement> replacements = provisioner.refresh(provision.steps()).replacements();
        Plan phaseOne = provisioner.replacing(provision, replacements);
        // Everything but the declare lines goes to stderr: a shell may be reading stdout.
        ConsoleView view = new ConsoleView(System.err, question -> ApplyCommand.ask(System.err, question), false, Main.verbosity(spec));
        if (yes && !replacing.replace && !replacements.isEmpty()) {
            view.show(phaseOne);
            view.say(Replacements.refusal(replacements));
            return 1;
        }
        if (!yes) {
            view.show(phaseOne);
            if (!view.confirm(Replacements.warning(replacements) + CONFIRMATION)) {
                view.say("Cancelled. Nothing was changed.");
                return 1;
            }
        }
        try (Journal journal = new Journal(loaded.journal(), redactor)) {
            ApplyReport report = new Executor(phaseOne, provisioner, view.progress(), journal, 4)
                    .run(Map.of());
            provisioner.notes().forEach(view::tell);
            if (!report.succeeded()) {
                view.say("Run the same command again to go on: droplets already created are adopted, never made twice.");
                return 1;
            }
        }
        out.print(format.equals("json") ? json(cluster, provisioner.made()) : sh(cluster, provisioner.made()));
        out.flush();
        return 0;
    }

    /** The article's block: {@code declare} lines in name order, arrays as bash's {@code declare -p} shows them. */
    static String sh(ClusterSpec cluster, List<Provider.Machine> machines) {
        StringBuilder block = new StringBuilder();
        block.append(array("MACHINE_CLUSTER_ADDRESSES", machines, Provider.Machine::privateAddress));
        block.append(scalar("MACHINE_CLUSTER_INTERFACE", cluster.clusterInterface()));
        block.append(scalar("MACHINE_DATACENTER", cluster.datacenter()));
        block.append(scalar("MACHINE_DOMAIN", cluster.domain()));
        block.append(scalar("MACHINE_DRIVER", cluster.provider().name()));
        block.append(array("MACHINE_NAMES", machines, Provider.Machine::name));
        block.append(array("MACHINE_PUBLIC_ADDRESSES", machines, Provider.Machine::publicAddress));
        block.append(scalar("MACHINE_SSH_USER", cluster.ssh().user()));
        return block.toString();
    }

    static String json(ClusterSpec cluster, List<Provider.Machine> machines) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("names", machines.stream().map(Provider.Machine::name).toList());
        document.put("public_addresses", machines.stream().map(Provider.Machine::publicAddress).toList());
        document.put("cluster_addresses", machines.stream().map(Provider.Machine::privateAddress).toList());
        document.put("cluster_interface", cluster.clusterInterface());
        document.put("datacenter", cluster.datacenter());
        document.put("domain", cluster.domain());
        document.put("driver", cluster.provider().name());
        document.put("ssh_user", cluster.ssh().user());
        document.put("droplet_ids", machines.stream().map(Provider.Machine::id).toList());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scalar(String name, String value) {
        return "declare -x " + name + "=\"" + value + "\"\n";
    }

    private static String array(String name, List<Provider.Machine> machines, Function<Provider.Machine, String> value) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < machines.size(); i++) {
            items.append('[').append(i).append("]=\"").append(value.apply(machines.get(i))).append("\"\n");
        }
        return "declare -ax " + name + "='(\n" + items + ")'\n";
    }
}
