package io.swarmdsl.render;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.model.Secret;
import io.swarmdsl.pki.ClusterPki;
import io.swarmdsl.plan.AclSetup;
import io.swarmdsl.plan.Action;
import io.swarmdsl.plan.CertificateNames;
import io.swarmdsl.plan.Condition;
import io.swarmdsl.plan.FileSpec;
import io.swarmdsl.plan.LocalState;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.ShellWords;
import io.swarmdsl.plan.Step;
import io.swarmdsl.plan.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The plan as a bash script a reviewer can read and run: the same steps in dependency order, with
 * ssh, curl, openssl and jq. Secrets are never inline: they come from the environment, the files
 * the script names, or are generated into the cluster's state directory when it runs.
 */
public final class ShellRenderer implements Renderer {
    private static final String EOF = "SWARM_EOF";
    private static final Map<String, String> OUTPUT_PATHS = Map.of(
            Refs.MANAGER_TOKEN.name(), ".JoinTokens.Manager",
            Refs.WORKER_TOKEN.name(), ".JoinTokens.Worker");

    @Override
    public String render(Plan plan) {
        ClusterSpec spec = plan.cluster();
        StringBuilder out = new StringBuilder();
        out.append("#!/usr/bin/env bash\n")
                .append("# Cluster ").append(spec.name()).append(": the plan of `swarm plan --format sh`, as a script.\n")
                .append("# It runs the steps of `swarm apply` one after the other, with ssh, curl, openssl and jq.\n")
                .append("# ").append(plan.summary()).append('\n')
                .append("# No secret is written here: they are read from the environment or files when it runs.\n")
                .append("set -euo pipefail\n\n")
                .append("CLUSTER=").append(spec.name()).append('\n')
                .append("STATE=").append(LocalState.directory(spec.name())).append('\n')
                .append("mkdir -p \"$STATE\" && chmod 700 \"$STATE\"\n")
                .append("SSH_HOST_KEYS=").append(spec.ssh().knownHosts().equals("strict") ? "yes" : "accept-new").append('\n')
                .append("SSH_JUMP=").append(spec.ssh().jump() == null ? "" : quote(spec.ssh().jump())).append("\n\n");
        secrets(out, spec);
        addresses(out, spec);
        out.append(helpers());
        for (NodeSpec node : spec.nodes()) {
            String sudo = node.ssh().user().equals("root") ? "" : " sudo";
            out.append("on_").append(node.name()).append("() { on ").append(node.ssh().user()).append(" \"$")
                    .append(variable(Refs.publicAddress(node.name()).name())).append("\" ").append(node.ssh().port()).append(' ')
                    .append(quote(node.ssh().key())).append(sudo).append(" \"$@\"; }\n");
        }
        for (Step step : plan.steps()) {
            out.append("\n# ").append(step.id()).append(" (").append(step.kind().word()).append("): ").append(step.summary()).append('\n');
            step(out, spec, step);
        }
        out.append("\necho ").append(quote(plan.summary().replace("Plan: ", "Done: "))).append('\n');
        return out.toString();
    }

    private static void secrets(StringBuilder out, ClusterSpec spec) {
        if (spec.provider() instanceof ProviderSpec.DigitalOcean cloud) {
            out.append("PROVIDER_TOKEN=").append(secretSource(cloud.token(), "PROVIDER_TOKEN", "the DigitalOcean API token")).append('\n');
        }
        Secret gossip = spec.consul().encrypt();
        if (gossip != null) {
            if (gossip.source() == Secret.Source.GENERATED) {
                String key = "\"$STATE/" + LocalState.generatedSecret(Refs.GOSSIP_KEY.name()) + "\"";
                out.append("[ -s ").append(key).append(" ] || (umask 077 && head -c 32 /dev/urandom | base64 > ").append(key).append(")\n")
                        .append("CONSUL_ENCRYPT=\"$(cat ").append(key).append(")\"\n");
            } else {
                out.append("CONSUL_ENCRYPT=").append(secretSource(gossip, "CONSUL_ENCRYPT", "the Consul gossip key")).append('\n');
            }
        }
        if (spec.consul().acl()) {
            List<Text.Ref> tokens = new ArrayList<>(List.of(Refs.CONSUL_MANAGEMENT_TOKEN, Refs.CONSUL_DEFAULT_TOKEN));
            spec.nodes().forEach(node -> tokens.add(Refs.consulAgentToken(node.name())));
            for (Text.Ref token : tokens) {
                String file = "\"$STATE/" + LocalState.generatedSecret(token.name()) + "\"";
                out.append("[ -s ").append(file).append(" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > ").append(file).append(")\n")
                        .append(variable(token.name())).append("=\"$(cat ").append(file).append(")\"\n");
            }
        }
        out.append('\n');
    }

    private static String secretSource(Secret secret, String variable, String what) {
        return switch (secret.source()) {
            case ENV -> "\"${" + secret.reference() + ":?set " + secret.reference() + " to " + what + "}\"";
            case FILE -> "\"$(cat " + quote(secret.reference()) + ")\"";
            // A value written in the script is not repeated here: the reviewer passes it in.
            case LITERAL, GENERATED, GENERATED_UUID -> "\"${" + variable + ":?set " + variable + " to " + what + " (written in the .swarm script)}\"";
        };
    }

    private static void addresses(StringBuilder out, ClusterSpec spec) {
        boolean cloud = spec.provider() instanceof ProviderSpec.DigitalOcean;
        for (NodeSpec node : spec.nodes()) {
            String publicVar = variable(Refs.publicAddress(node.name()).name());
            String privateVar = variable(Refs.privateAddress(node.name()).name());
            if (node.publicAddress() != null) {
                out.append(publicVar).append('=').append(node.publicAddress()).append(' ')
                        .append(privateVar).append('=').append(node.privateAddress()).append('\n');
            } else if (!cloud) {
                out.append(": \"${").append(publicVar).append(":?no provider: set ").append(publicVar).append("}\" \"${")
                        .append(privateVar).append(":=$").append(publicVar).append("}\"\n");
            }
        }
        out.append('\n');
    }

    private static void step(StringBuilder out, ClusterSpec spec, Step step) {
        Action action = step.action();
        String node = step.node();
        if (action instanceof Action.Ssh ssh) {
            out.append("on_").append(node).append(" bash -s ").append(heredoc(ssh.command()));
        } else if (action instanceof Action.Upload upload) {
            for (FileSpec file : upload.files()) {
                upload(out, spec, node, file);
            }
        } else if (action instanceof Action.Compose compose) {
            out.append("put ").append(node).append(' ').append(compose.file()).append(" 0644 ").append(heredoc(compose.yaml()));
            out.append("compose_up ").append(node).append(' ').append(compose.project()).append(' ').append(compose.file()).append('\n');
        } else if (action instanceof Action.Docker docker) {
            String call = "docker_api \"$" + variable(Refs.publicAddress(node).name()) + "\" " + docker.port() + " " + docker.method()
                    + " " + docker.path();
            out.append(call).append(docker.body() == null ? "" : " \"$(cat " + heredoc(docker.body()) + ")\"").append('\n');
            for (String output : docker.outputs()) {
                out.append(variable(output)).append("=$(docker_api \"$").append(variable(Refs.publicAddress(node).name()))
                        .append("\" ").append(docker.port()).append(" GET /swarm | jq -r ").append(OUTPUT_PATHS.get(output)).append(")\n");
            }
        } else if (action instanceof Action.ConsulAcl acl) {
            // The first server; apply tries the others too.
            String at = "\"$" + variable(Refs.publicAddress(acl.servers().get(0)).name()) + "\" " + acl.port();
            for (AclSetup.Policy policy : acl.setup().policies()) {
                out.append("consul_acl_policy ").append(at).append(' ').append(quote(policy.name())).append(" \"$(cat ")
                        .append(heredoc(Text.of(AclSetup.body(policy)))).append(")\"\n");
            }
            for (AclSetup.Token token : acl.setup().tokens()) {
                out.append("consul_acl_token ").append(at).append(' ').append(token.accessor()).append(" \"$(cat ")
                        .append(heredoc(acl.setup().body(token))).append(")\"\n");
            }
        } else if (action instanceof Action.ConsulLeave leave) {
            out.append("consul_leave \"$").append(variable(Refs.publicAddress(leave.node()).name())).append("\" \"$")
                    .append(variable(Refs.publicAddress(leave.servers().get(0)).name())).append("\" ").append(leave.port()).append(' ')
                    .append(quote(leave.node())).append('\n');
        } else if (action instanceof Action.ConsulHandOver handOver) {
            // No shell tool speaks raft: run from this script, the leader's restart costs one election.
            out.append("# ").append(handOver.node()).append(" would hand raft's leadership over here (swarm apply only): one election\n");
        } else if (action instanceof Action.Wait wait) {
            waitFor(out, spec, node, wait);
        } else if (action instanceof Action.Provision provision) {
            out.append(provision.call().shell()).append('\n');
        }
    }

    private static void upload(StringBuilder out, ClusterSpec spec, String node, FileSpec file) {
        if (file.content() instanceof FileSpec.Inline inline) {
            out.append("put ").append(node).append(' ').append(file.path()).append(' ').append(file.mode()).append(' ')
                    .append(heredoc(inline.text()));
        } else if (file.content() instanceof FileSpec.LocalFile local) {
            out.append("put ").append(node).append(' ').append(file.path()).append(' ').append(file.mode()).append(" < ")
                    .append(quote(local.path())).append('\n');
        } else if (file.content() instanceof FileSpec.Generated generated) {
            switch (generated.artifact()) {
                case CA_CERT -> out.append("make_ca\n");
                case CLIENT_CERT -> out.append("make_client_cert\n");
                case NODE_CA -> out.append("put ").append(node).append(' ').append(file.path()).append(" 0644 < \"$STATE/")
                        .append(ClusterPki.CA_CERT).append("\"\n");
                case SERVER_CERT -> {
                    NodeSpec n = spec.node(node);
                    out.append("make_server_cert ").append(node).append(" \"")
                            .append(CertificateNames.dns(spec, n).stream().map(name -> "DNS:" + name + ",").collect(Collectors.joining()))
                            .append("IP:$").append(variable(Refs.privateAddress(node).name())).append(",IP:$")
                            .append(variable(Refs.publicAddress(node).name())).append(",IP:127.0.0.1\"\n");
                    out.append("put ").append(node).append(' ').append(file.path()).append(" 0644 < \"$STATE/").append(node).append("/server.pem\"\n");
                }
                case SERVER_KEY -> out.append("put ").append(node).append(' ').append(file.path()).append(" 0600 < \"$STATE/")
                        .append(node).append("/server-key.pem\"\n");
                case CA_KEY, CLIENT_KEY -> {
                    // Made together with their certificates.
                }
            }
        }
    }

    private static void waitFor(StringBuilder out, ClusterSpec spec, String node, Action.Wait wait) {
        String prefix = "wait_until " + wait.timeoutSeconds() + " ";
        Condition condition = wait.condition();
        if (condition instanceof Condition.ProviderReady ready) {
            out.append(prefix).append(quote(ready.what())).append(' ').append(ready.shellProbe()).append('\n')
                    .append(ready.shellThen()).append('\n');
        } else if (condition instanceof Condition.SshAnswers) {
            out.append(prefix).append(quote("SSH on " + node)).append(" on_").append(node).append(" true\n");
        } else if (condition instanceof Condition.NodeProbe probe) {
            out.append(prefix).append(quote(probe.what())).append(" on_").append(node).append(' ').append(argument(probe.probe())).append('\n');
        } else if (condition instanceof Condition.EngineAnswers) {
            out.append(prefix).append(quote("the engine of " + node)).append(" docker_api \"$")
                    .append(variable(Refs.publicAddress(node).name())).append("\" ").append(spec.engine().port()).append(" GET /_ping\n");
        } else {
            throw new IllegalStateException("no shell form for the wait " + condition.word());
        }
    }

    /** A here-document: quoted when the text has no references, else with references as variables and the rest escaped. */
    static String heredoc(Text text) {
        String body;
        String opener;
        if (text.refs().isEmpty()) {
            body = text.display();
            opener = "<<'" + EOF + "'";
        } else {
            StringBuilder escaped = new StringBuilder();
            for (Text.Part part : text.parts()) {
                escaped.append(part instanceof Text.Literal literal
                        ? literal.text().replace("\\", "\\\\").replace("$", "\\$").replace("`", "\\`")
                        : "${" + variable(((Text.Ref) part).name()) + "}");
            }
            body = escaped.toString();
            opener = "<<" + EOF;
        }
        return opener + "\n" + body + (body.endsWith("\n") ? "" : "\n") + EOF + "\n";
    }

    /** One shell word: in double quotes with references as variables, or quoted as it is when it has none but needs it. */
    private static String argument(Text text) {
        boolean special = text.parts().stream().anyMatch(part -> part instanceof Text.Literal literal && literal.text().matches("(?s).*[$`\"\\\\].*"));
        if (text.refs().isEmpty() && special) {
            return quote(text.display());
        }
        StringBuilder word = new StringBuilder("\"");
        for (Text.Part part : text.parts()) {
            word.append(part instanceof Text.Literal literal
                    ? literal.text().replace("\\", "\\\\").replace("$", "\\$").replace("`", "\\`").replace("\"", "\\\"")
                    : "$" + variable(((Text.Ref) part).name()));
        }
        return word.append('"').toString();
    }

    static String variable(String reference) {
        return ShellWords.variable(reference);
    }

    private static String quote(String value) {
        return ShellWords.quote(value);
    }

    private static String helpers() {
        try (InputStream in = ShellRenderer.class.getResourceAsStream("plan-helpers.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
