package io.swarmdsl.plan;

import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;

/** The concrete thing a step does: a command, files, a composition, a Docker or Consul API call, a wait, a cloud call. */
public sealed interface Action {
    StepKind kind();

    /** Every text of the action, so a step knows whether it carries a secret. */
    Stream<Text> texts();

    /** A call to the cloud provider's API ({@code droplets}, {@code ssh-key}). */
    record Provision(ProviderCall call) implements Action {
        public StepKind kind() {
            return StepKind.PROVISION;
        }

        public Stream<Text> texts() {
            return parameters().values().stream();
        }

        public String operation() {
            return call.operation();
        }

        public SortedMap<String, Text> parameters() {
            return call.parameters();
        }
    }

    /** A shell command run on the node (through sudo when the SSH user is not root). */
    record Ssh(Text command) implements Action {
        public StepKind kind() {
            return StepKind.SSH;
        }

        public Stream<Text> texts() {
            return Stream.of(command);
        }
    }

    /** Files written on the node, or in the cluster's local state when the step has no node. */
    record Upload(List<FileSpec> files) implements Action {
        public StepKind kind() {
            return StepKind.UPLOAD;
        }

        public Stream<Text> texts() {
            return files.stream().flatMap(f -> f.content().texts());
        }
    }

    /** A composition written to {@code file} on the node and brought up as project {@code project}. */
    record Compose(String project, String file, Text yaml) implements Action {
        /** How a composition is brought up: a service the file no longer names is removed (a master become an agent loses its manager). */
        public static final String UP = "up -d --remove-orphans";

        /** {@code docker compose -p PROJECT -f FILE ARGS}, else the older {@code docker-compose}: how a node runs Compose. */
        public static String command(String project, String file, String args) {
            // Chosen up front: a failed "docker compose" run must not hide behind the fallback's output.
            return "if docker compose version >/dev/null 2>&1; then docker compose -p " + project + " -f " + file + " " + args
                    + "; else docker-compose -p " + project + " -f " + file + " " + args + "; fi";
        }

        public StepKind kind() {
            return StepKind.COMPOSE;
        }

        public Stream<Text> texts() {
            return Stream.of(yaml);
        }
    }

    /**
     * A Docker Engine API call to the node's engine on {@code port} (TLS with the cluster's client
     * certificate). {@code outputs} are the references the call's answer provides to later steps.
     */
    record Docker(int port, String method, String path, Text body, List<String> outputs) implements Action {
        public StepKind kind() {
            return StepKind.DOCKER;
        }

        public Stream<Text> texts() {
            return body == null ? Stream.empty() : Stream.of(body);
        }
    }

    /**
     * Consul's ACLs made to match {@code setup}, through the HTTPS API on {@code port} of the first of
     * {@code servers} (nodes) that answers, with the management token: what is missing is created,
     * what differs brought in line.
     */
    record ConsulAcl(int port, List<String> servers, AclSetup setup) implements Action {
        public ConsulAcl {
            servers = List.copyOf(servers);
        }

        public StepKind kind() {
            return StepKind.CONSUL;
        }

        public Stream<Text> texts() {
            return Stream.concat(Stream.of(Text.of(Refs.CONSUL_MANAGEMENT_TOKEN)), setup.tokens().stream().map(token -> Text.of(token.secret())));
        }
    }

    /**
     * {@code node} leaves Consul, through the HTTPS API on {@code port}: gracefully through its own
     * agent while it answers, else (a host that is gone) forced out through the first of
     * {@code servers} that answers once the others count it failed; done when it is {@code left},
     * out of raft, and the servers have a leader; {@code stays}: a member still (a master become an
     * agent, back as one), else gone or {@code left}. With the management token when {@code acl}.
     */
    record ConsulLeave(int port, String node, List<String> servers, boolean stays, boolean acl) implements Action {
        public ConsulLeave {
            servers = List.copyOf(servers);
        }

        public StepKind kind() {
            return StepKind.CONSUL;
        }

        public Stream<Text> texts() {
            return acl ? Stream.of(Text.of(Refs.CONSUL_MANAGEMENT_TOKEN)) : Stream.empty();
        }
    }

    /**
     * If {@code node} leads Consul's raft, another of {@code servers} whose log has caught up takes
     * over first (raft's leadership transfer: it asks for votes at once, which no election timeout
     * delays), so that the node's restart leaves the cluster with a leader throughout; done when
     * {@code node} does not lead. Through the HTTPS API on {@code port} (with the management token when
     * {@code acl}) and raft's port; nothing to do for a node that does not lead.
     */
    record ConsulHandOver(int port, String node, List<String> servers, boolean acl) implements Action {
        public ConsulHandOver {
            servers = List.copyOf(servers);
        }

        public StepKind kind() {
            return StepKind.CONSUL;
        }

        public Stream<Text> texts() {
            return acl ? Stream.of(Text.of(Refs.CONSUL_MANAGEMENT_TOKEN)) : Stream.empty();
        }
    }

    /** Waits until {@code condition} holds for {@code target}, or fails after the timeout. */
    record Wait(Condition condition, Text target, int timeoutSeconds) implements Action {
        public StepKind kind() {
            return StepKind.WAIT;
        }

        public Stream<Text> texts() {
            return Stream.of(target);
        }
    }
}
