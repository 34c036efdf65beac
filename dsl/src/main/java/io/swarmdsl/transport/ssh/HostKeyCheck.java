package io.swarmdsl.transport.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * The host key decision of one session. JSch (told {@code StrictHostKeyChecking=yes}) asks it about
 * the key the host has just proved it holds, and refuses the connection unless the answer is OK;
 * this fork of JSch has no {@code accept-new} of its own, so the policy is applied here. The reason
 * of a refusal is kept for the error message, with SHA256 fingerprints as OpenSSH prints them.
 */
final class HostKeyCheck implements HostKeyRepository {
    private final KnownHostsFile knownHosts;
    private final HostKeyPolicy policy;
    private volatile String refusal = "its host key was refused";

    HostKeyCheck(KnownHostsFile knownHosts, HostKeyPolicy policy) {
        this.knownHosts = knownHosts;
        this.policy = policy;
    }

    /** Why the last key was refused, as a sentence about the node. */
    String refusal() {
        return refusal;
    }

    @Override
    public int check(String host, byte[] key) {
        String presented = describe(key);
        int status;
        try {
            status = knownHosts.check(host, key, policy == HostKeyPolicy.ACCEPT_NEW);
        } catch (IOException e) {
            refusal = "its host key " + presented + " is new but could not be recorded in " + knownHosts.file() + ": " + e.getMessage();
            return NOT_INCLUDED;
        }
        if (status == CHANGED) {
            refusal = "its host key has changed: it presented " + presented + ", but " + knownHosts.file() + " has "
                    + knownFingerprints(host, key) + " for " + host + ". If the node was rebuilt, remove the old key with: "
                    + "ssh-keygen -f " + knownHosts.file() + " -R '" + host + "'";
        } else if (status == NOT_INCLUDED) {
            refusal = "its host key " + presented + " is not in " + knownHosts.file() + " and knownHosts is '"
                    + policy.word() + "' (add the key first, or use 'accept-new')";
        } else {
            // JSch refuses a key that matched only if known_hosts marks it @revoked
            refusal = "its host key " + presented + " is marked @revoked in " + knownHosts.file();
        }
        return status;
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return knownHosts.keys(host, type);
    }

    @Override
    public HostKey[] getHostKey() {
        return knownHosts.keys(null, null);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return knownHosts.file().toString();
    }

    /** JSch adds and removes keys only when told StrictHostKeyChecking=ask or no, which this session is not. */
    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        throw new UnsupportedOperationException("host keys are recorded by the host key policy only");
    }

    @Override
    public void remove(String host, String type) {
        throw new UnsupportedOperationException("host keys are never removed by swarm");
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        throw new UnsupportedOperationException("host keys are never removed by swarm");
    }

    private String knownFingerprints(String host, byte[] presented) {
        String type = type(presented);
        return Arrays.stream(knownHosts.keys(host, type))
                .filter(known -> known.getMarker().isEmpty())
                .map(known -> fingerprint(Base64.getDecoder().decode(known.getKey())))
                .collect(Collectors.joining(", "));
    }

    private static String describe(byte[] key) {
        return type(key) + " " + fingerprint(key);
    }

    private static String type(byte[] key) {
        try {
            return new HostKey("", key).getType();
        } catch (JSchException e) {
            return "unknown type";
        }
    }

    /** {@code SHA256:} and the unpadded base64 of the key's SHA-256, as {@code ssh-keygen -l} prints it. */
    static String fingerprint(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
