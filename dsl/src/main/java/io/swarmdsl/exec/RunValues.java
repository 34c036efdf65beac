package io.swarmdsl.exec;

import io.swarmdsl.Invocation;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.NodeSpec;
import io.swarmdsl.model.Secret;
import io.swarmdsl.plan.LocalState;
import io.swarmdsl.plan.Refs;
import io.swarmdsl.plan.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The values a plan left as references, resolved while applying: addresses, secrets read from the
 * environment or files, keys generated once per cluster into its state directory, and outputs of
 * earlier steps (join tokens). Every secret resolved is handed to the redactor first.
 */
public final class RunValues {
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Path stateDirectory;
    private final Redactor redactor;

    public RunValues(ClusterSpec spec, Path stateDirectory, Redactor redactor) {
        this.stateDirectory = stateDirectory;
        this.redactor = redactor;
        // The nodes leaving the cluster too: their steps take them out.
        for (NodeSpec node : Stream.concat(spec.nodes().stream(), spec.leaving().stream()).toList()) {
            if (node.publicAddress() != null) {
                values.put(Refs.publicAddress(node.name()).name(), node.publicAddress());
                values.put(Refs.privateAddress(node.name()).name(), node.privateAddress());
            }
        }
        if (spec.consul().encrypt() != null) {
            secrets.put(Refs.GOSSIP_KEY.name(), spec.consul().encrypt());
        }
        if (spec.provider().token() != null) {
            secrets.put(Refs.PROVIDER_TOKEN.name(), spec.provider().token());
        }
        if (spec.consul().acl()) {
            secrets.put(Refs.CONSUL_MANAGEMENT_TOKEN.name(), Secret.generatedUuid("Consul's management token"));
            secrets.put(Refs.CONSUL_DEFAULT_TOKEN.name(), Secret.generatedUuid("Consul's default token"));
            for (NodeSpec node : spec.nodes()) {
                secrets.put(Refs.consulAgentToken(node.name()).name(), Secret.generatedUuid("the Consul agent token of " + node.name()));
            }
        }
    }

    public Path stateDirectory() {
        return stateDirectory;
    }

    /** Records a value learnt while applying (an address, a token); secrets are redacted from then on. */
    public void put(String name, String value, boolean secret) {
        if (secret) {
            redactor.add(value);
        }
        values.put(name, value);
    }

    /** Whether {@code name} was learnt already (a secret not read yet counts as unknown). */
    public boolean knows(String name) {
        return values.containsKey(name);
    }

    public String resolve(Text text) {
        return text.render(ref -> value(ref));
    }

    public String value(Text.Ref ref) {
        String known = values.get(ref.name());
        if (known != null) {
            return known;
        }
        Secret secret = secrets.get(ref.name());
        if (secret == null) {
            throw new ApplyException(ref.name() + " is not known yet: the step that gives it has not run");
        }
        String resolved = read(ref.name(), secret);
        redactor.add(resolved);
        values.put(ref.name(), resolved);
        return resolved;
    }

    /**
     * Reads every secret the plan needs before anything runs, so a missing one stops the apply at once.
     * Tokens are made when first used: a missing management token must be told from a new one first
     * (see {@link ConsulAcls#refuseLostManagementToken}).
     */
    public void resolveSecrets() {
        secrets.forEach((name, secret) -> {
            if (secret.source() != Secret.Source.GENERATED_UUID) {
                value(Text.Ref.secret(name));
            }
        });
    }

    /** The file of the state directory that keeps the generated secret {@code ref}. */
    public Path keptIn(Text.Ref ref) {
        return stateDirectory.resolve(LocalState.generatedSecret(ref.name()));
    }

    private String read(String name, Secret secret) {
        switch (secret.source()) {
            case ENV -> {
                String value = Invocation.current().variable(secret.reference());
                if (value == null || value.isBlank()) {
                    throw new ApplyException(name + " comes from the environment variable " + secret.reference() + ", which is not set");
                }
                return value.trim();
            }
            case FILE -> {
                Path path = Invocation.current().resolve(secret.reference());
                try {
                    return Files.readString(path, StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    throw new ApplyException(name + " comes from the file " + secret.reference() + ", which cannot be read: " + e.getMessage());
                }
            }
            case LITERAL -> {
                return secret.reference();
            }
            default -> {
                return generated(name, secret.source() == Secret.Source.GENERATED_UUID);
            }
        }
    }

    /** A key made once per cluster and kept, private to the user, in the cluster's state directory. */
    private synchronized String generated(String name, boolean uuid) {
        Path file = stateDirectory.resolve(LocalState.generatedSecret(name));
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(stateDirectory);
            String encoded;
            if (uuid) {
                encoded = UUID.randomUUID().toString();   // from a SecureRandom
            } else {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                encoded = Base64.getEncoder().encodeToString(key);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, encoded + "\n", StandardCharsets.UTF_8);
            return encoded;
        } catch (IOException e) {
            throw new ApplyException("cannot keep the generated " + name + " in " + file + ": " + e.getMessage());
        }
    }
}
