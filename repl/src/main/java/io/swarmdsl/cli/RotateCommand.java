package io.swarmdsl.cli;

import io.swarmdsl.apply.Apply;
import io.swarmdsl.apply.CertificateRotation;
import io.swarmdsl.apply.GossipRotation;
import io.swarmdsl.apply.Loaded;
import io.swarmdsl.cli.terminal.Verbosity;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code swarm rotate gossip|certs [FILE]}: a new secret for a running cluster, with no downtime. */
@Command(name = "rotate", mixinStandardHelpOptions = true, subcommands = {RotateCommand.Gossip.class, RotateCommand.Certs.class},
        description = "Replace a secret of a running cluster without downtime: swarm rotate gossip, swarm rotate certs.")
final class RotateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to rotate: swarm rotate gossip [FILE] or swarm rotate certs [FILE]");
    }

    @Command(name = "gossip", mixinStandardHelpOptions = true,
            description = "A new gossip key through Consul's keyring: installed on every member, used, kept in the state directory,"
                    + " then the old one removed; no restart. Consul keeps it in its keyring, which a restart uses.")
    static final class Gossip implements Callable<Integer> {
        @CommandLine.Mixin
        ScriptSource script;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            // An invalid script ends the command with its place and exit code 2 (Main's handler).
            Loaded loaded = script.loaded(spec.commandLine());
            GossipRotation.Rotated rotated = GossipRotation.rotate(loaded);
            if (Main.verbosity(spec) != Verbosity.QUIET) {
                spec.commandLine().getErr().println("Rotated the gossip key of " + loaded.cluster().name() + " through " + rotated.server()
                        + ": the new key alone on every member (" + String.join(", ", rotated.pools()) + "), the old one removed."
                        + " Consul keeps it in its keyring (a restart uses it); nodes that join later get it from the state directory.");
            }
            return 0;
        }
    }

    @Command(name = "certs", mixinStandardHelpOptions = true,
            description = "New certificates and keys for every node and for this machine's client, from the cluster's CA (or a new one,"
                    + " --ca), put in place by an apply that shows its plan and asks (as swarm apply): engines and Swarm restart one node"
                    + " at a time, Consul reloads them in place."
                    + " Should it stop or be declined, the next swarm apply finishes the rotation.")
    static final class Certs implements Callable<Integer> {
        @CommandLine.Mixin
        ScriptSource script;

        @CommandLine.Mixin
        RunOptions run;

        @CommandLine.Option(names = "--ca", description = "A new CA too, in three applies: every node trusts the new CA beside the old one,"
                + " then every certificate is reissued by the new CA, then the nodes trust the new CA alone. Stopped halfway, run it again.")
        boolean ca;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Loaded loaded = script.loaded(spec.commandLine());
            return ca ? rotateCa(loaded) : rotateIssued(loaded);
        }

        private Integer rotateCa(Loaded loaded) {
            String cluster = loaded.cluster().name();
            tell(CertificateRotation.beginCa(loaded)
                    ? "A new CA for " + cluster + " (1 of 3): every node trusts it beside the old one, so certificates of either serve."
                    : "The CA rotation of " + cluster + " goes on (1 of 3): every node trusts the new CA beside the old one.");
            Integer code = apply(loaded);
            if (code != 0) {
                return code;
            }
            List<String> nodes = CertificateRotation.reissueFromNewCa(loaded);
            tell("New certificates from the new CA (2 of 3): this machine's client certificate is reissued"
                    + (nodes.isEmpty() ? "" : "; those of " + String.join(", ", nodes) + " are issued as the apply below puts them in place") + ".");
            code = apply(loaded);
            if (code != 0) {
                return code;
            }
            CertificateRotation.endCa(loaded);
            tell("The old CA retires (3 of 3): every node trusts the new CA alone.");
            return apply(loaded);
        }

        private Integer rotateIssued(Loaded loaded) {
            List<String> nodes = CertificateRotation.begin(loaded);
            tell("New certificates for " + loaded.cluster().name() + ": this machine's client certificate"
                    + " is reissued; those of " + String.join(", ", nodes) + " are issued as the apply below puts them in place."
                    + " Until then the old ones stay valid; swarm apply finishes the rotation should this one stop.");
            return apply(loaded);
        }

        private Integer apply(Loaded loaded) {
            return new Apply(run.options(), run.view(spec.commandLine())).run(script.lastJournal(), () -> loaded);
        }

        private void tell(String message) {
            if (Main.verbosity(spec) != Verbosity.QUIET) {
                spec.commandLine().getErr().println(message);
            }
        }
    }
}
