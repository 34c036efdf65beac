package io.swarmdsl.transport.ssh;

import io.swarmdsl.Invocation;
import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchRevokedHostKeyException;
import com.jcraft.jsch.JSchSessionDisconnectException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens SSH connections to nodes over JSch: host keys checked against one known_hosts file under
 * each target's policy, keys from the target's key file and the agent, host aliases from the ssh
 * config file, bastions by port forwarding. It does not retry; {@link SshException#retryable()}
 * tells the caller whether to. Closing it closes every connection it opened.
 */
public final class SshTransport implements AutoCloseable {
    /** curve25519 first: the quickest exchange in Java, and every OpenSSH since 6.5 offers it. */
    private static final String KEY_EXCHANGES = "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
            + "ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
            + "diffie-hellman-group14-sha256";
    /** Probes often enough that a dead node ends a waiting command instead of leaving it hanging. */
    private static final int KEEPALIVE_MILLIS = 15_000;
    private static final int KEEPALIVE_MISSES = 4;
    private static final Pattern JUMP = Pattern.compile("(?:([^@]+)@)?(\\[[^\\]]+\\]|[^:@\\[]+)(?::(\\d+))?");

    static {
        // BouncyCastle's curve25519 (here anyway, for the certificates): the JDK's pure-Java field
        // arithmetic was most of the CPU of a handshake. Set for the whole process, since JSch signs
        // with a key file's Ed25519 key by its global configuration, not the session's.
        JSch.setConfig("xdh", "com.jcraft.jsch.bc.XDH");
        JSch.setConfig("ssh-ed25519", "com.jcraft.jsch.bc.SignatureEd25519");
    }

    private final SshOptions options;
    private final KnownHostsFile knownHosts;
    private final ConfigRepository sshConfig;
    private final IdentityRepository agent;
    private final Set<SshConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, Session> jumpSessions = new HashMap<>();

    public SshTransport(SshOptions options) {
        this.options = options;
        this.knownHosts = new KnownHostsFile(options.knownHosts());
        this.sshConfig = readConfig(options.sshConfig());
        this.agent = options.agentSocket() == null ? null : agent(options.agentSocket());
    }

    /** Opens one session to the target; the caller keeps it for all of the node's commands and uploads. */
    public SshConnection connect(SshTarget target) throws SshException {
        Endpoint endpoint = endpoint(target.host(), target.port(), target.user());
        String where = target.node() + " (" + endpoint.address() + (target.jump() == null ? "" : " via " + target.jump()) + ")";
        // Only direct sessions are held: one behind a bastion lives on the bastion's session, which this transport closes.
        // The key file as this command finds it (its home, its directory): the same words may name another file.
        String heldAs = target.jump() == null ? target + " " + keyFile(target) + " " + options : null;
        Predicate<JschConnection> keeper = heldAs == null ? connection -> false : connection -> hold(heldAs, connection);
        JschConnection held = heldAs == null ? null : HeldSessions.take(heldAs);
        if (held != null) {
            if (knownHosts.lists(endpoint.knownHostsName(), held.hostKey())) {
                held.adopt(connections::remove, keeper);
                connections.add(held);
                return held;
            }
            held.close(); // known_hosts no longer vouches for the key: a new handshake decides
        }
        Session session = target.jump() == null
                ? open(target, endpoint, where, null)
                : open(target, endpoint, where, jumpSession(target, endpoint));
        JschConnection connection = new JschConnection(target.node(), where, session, connections::remove, keeper);
        connections.add(connection);
        return connection;
    }

    private boolean hold(String heldAs, JschConnection connection) {
        if (!HeldSessions.offer(heldAs, connection)) {
            return false;
        }
        connections.remove(connection);
        return true;
    }

    /** The known_hosts file the host keys are checked against. */
    public Path knownHostsFile() {
        return knownHosts.file();
    }

    /** Removes a host's keys from the known_hosts file (a machine made anew has a new one); how many there were. */
    public int forgetHostKey(String host, int port) throws IOException {
        return knownHosts.remove(endpoint(host, port, null).knownHostsName());
    }

    @Override
    public void close() {
        List.copyOf(connections).forEach(SshConnection::close);
        synchronized (jumpSessions) {
            jumpSessions.values().forEach(Session::disconnect);
            jumpSessions.clear();
        }
    }

    private Session open(SshTarget target, Endpoint endpoint, String where, Session jump) throws SshException {
        HostKeyCheck hostKeys = new HostKeyCheck(knownHosts, target.policy());
        Path key = keyFile(target);
        Session session = null;
        int forwardedPort = 0;
        try {
            session = newSession(target, key, endpoint, hostKeys);
            if (jump != null) {
                // Through a local port forwarded by the bastion's session: the target session then has
                // a real socket, so the connect timeout bounds its handshake as it does a direct one.
                forwardedPort = jump.setPortForwardingL("127.0.0.1", 0, endpoint.host(), endpoint.port());
                if (session.getHostKeyAlias() == null) {
                    session.setHostKeyAlias(endpoint.knownHostsName());
                }
                session.setHost("127.0.0.1");
                session.setPort(forwardedPort);
            }
            session.connect((int) options.connectTimeout().toMillis());
            return session;
        } catch (JSchException e) {
            if (session != null) {
                session.disconnect();
            }
            throw refused(target.node(), where, e, hostKeys, credentials(endpoint.user(), key));
        } finally {
            if (forwardedPort != 0) {
                closeForwarding(jump, forwardedPort);
            }
        }
    }

    private Session newSession(SshTarget target, Path key, Endpoint endpoint, HostKeyCheck hostKeys) throws JSchException {
        JSch jsch = new JSch(); // one per session: it holds this target's key file
        if (sshConfig != null) {
            jsch.setConfigRepository(sshConfig);
        }
        if (key != null && keyFileTrouble(key).isEmpty()) {
            jsch.addIdentity(key.toString());
        }
        if (agent != null) {
            jsch.setIdentityRepository(new KeyIdentities(jsch.getIdentityRepository(), agent));
        }
        Session session = jsch.getSession(endpoint.user(), target.host(), endpoint.port());
        session.setPort(endpoint.port()); // the target's port wins over the config file's
        session.setHostKeyRepository(hostKeys);
        session.setConfig("StrictHostKeyChecking", "yes"); // refuse whatever HostKeyCheck does not answer OK to
        session.setConfig("PreferredAuthentications", "publickey");
        // Straight to signing with each key: no "none" request and no query of whether a key would
        // do, each of which costs a round trip (and the node's work) per connection.
        session.setConfig("enable_auth_none", "no");
        session.setConfig("enable_pubkey_auth_query", "no");
        session.setConfig("kex", KEY_EXCHANGES);
        session.setServerAliveInterval(KEEPALIVE_MILLIS);
        session.setServerAliveCountMax(KEEPALIVE_MISSES);
        session.setDaemonThread(true);
        return session;
    }

    /** One bastion session serves every target behind it, so twenty nodes do not open twenty logins on it. */
    private Session jumpSession(SshTarget target, Endpoint endpoint) throws SshException {
        Matcher jump = JUMP.matcher(target.jump());
        if (!jump.matches()) {
            throw new IllegalArgumentException("jump host of " + target.node() + " must be [user@]host[:port], got '" + target.jump() + "'");
        }
        String host = jump.group(2).startsWith("[") ? jump.group(2).substring(1, jump.group(2).length() - 1) : jump.group(2);
        SshTarget bastion = new SshTarget(target.node(), host, jump.group(3) == null ? 0 : Integer.parseInt(jump.group(3)),
                jump.group(1) == null ? endpoint.user() : jump.group(1), target.keyPath(), null, target.policy());
        Endpoint bastionEndpoint = endpoint(bastion.host(), bastion.port(), bastion.user());
        String id = bastionEndpoint.user() + "@" + bastionEndpoint.address() + " " + bastion.keyPath() + " " + bastion.policy();
        synchronized (jumpSessions) {
            Session session = jumpSessions.get(id);
            if (session == null || !session.isConnected()) {
                session = open(bastion, bastionEndpoint, target.node() + " (jump host " + bastionEndpoint.address() + ")", null);
                jumpSessions.put(id, session);
            }
            return session;
        }
    }

    private static void closeForwarding(Session jump, int port) {
        try {
            jump.delPortForwardingL("127.0.0.1", port);
        } catch (JSchException e) {
            // the bastion's session is gone, and its forwardings with it
        }
    }

    /** User, host and port after the ssh config file: the target's own values first, then the file's, then root and 22. */
    private Endpoint endpoint(String host, int port, String user) {
        ConfigRepository.Config config = sshConfig == null ? null : sshConfig.getConfig(host);
        String configUser = config == null ? null : config.getUser();
        String configHost = config == null ? null : config.getHostname();
        int configPort = config == null ? -1 : config.getPort();
        return new Endpoint(user != null ? user : configUser != null ? configUser : "root",
                configHost != null ? configHost : host,
                port > 0 ? port : configPort > 0 ? configPort : 22);
    }

    private record Endpoint(String user, String host, int port) {
        String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        /** How known_hosts names the host, as OpenSSH writes it. */
        String knownHostsName() {
            return port == 22 ? host : "[" + host + "]:" + port;
        }
    }

    private String credentials(String user, Path key) {
        List<String> offered = new ArrayList<>();
        if (key != null) {
            offered.add("key file " + key + keyFileTrouble(key));
        }
        if (agent != null) {
            offered.add("the keys of the agent at " + options.agentSocket());
        }
        return "user " + user + " was not let in with " + (offered.isEmpty() ? "no key at all" : String.join(" nor ", offered));
    }

    /**
     * Why the key file cannot be offered, or "" when it can. JSch would skip a missing file, and end
     * the whole login (agent keys untried) at an encrypted one, having no one to ask for its passphrase.
     */
    private static String keyFileTrouble(Path key) {
        if (!Files.exists(key)) {
            return " (it does not exist)";
        }
        try {
            return KeyPair.load(new JSch(), key.toString()).isEncrypted() ? " (it is encrypted: add it to an ssh-agent)" : "";
        } catch (JSchException e) {
            return " (not a private key JSch can read)";
        }
    }

    private SshException refused(String node, String where, JSchException e, HostKeyCheck hostKeys, String credentials) {
        if (e instanceof JSchChangedHostKeyException || e instanceof JSchRevokedHostKeyException) {
            return new SshException(SshException.Kind.HOST_KEY_CHANGED, node, where + ": " + hostKeys.refusal(), e);
        }
        if (e instanceof JSchUnknownHostKeyException) {
            return new SshException(SshException.Kind.HOST_KEY_UNKNOWN, node, where + ": " + hostKeys.refusal(), e);
        }
        String message = String.valueOf(e.getMessage());
        boolean tooManyKeys = e instanceof JSchSessionDisconnectException disconnect
                && String.valueOf(disconnect.getDescription()).contains("authentication");
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel") || message.startsWith("USERAUTH fail") || tooManyKeys) {
            return new SshException(SshException.Kind.AUTH, node, where + ": " + credentials, e);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return new SshException(SshException.Kind.TIMEOUT, node,
                        where + ": no answer within " + options.connectTimeout().toMillis() + " ms", e);
            }
            if (cause instanceof UnknownHostException) {
                return new SshException(SshException.Kind.CONNECT, node, where + ": unknown host name", e);
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return new SshException(SshException.Kind.CONNECT, node, where + ": " + String.valueOf(cause.getMessage()).toLowerCase(), e);
            }
        }
        return new SshException(SshException.Kind.CONNECT, node, where + ": " + message, e);
    }

    /** The target's key file, {@code ~} and a relative path as the command gives them; null for none. */
    private static Path keyFile(SshTarget target) {
        return target.keyPath() == null ? null : Invocation.current().resolve(target.keyPath());
    }

    private static ConfigRepository readConfig(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return OpenSSHConfig.parseFile(file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ssh config file " + file, e);
        }
    }

    private static IdentityRepository agent(Path socket) {
        try {
            return new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory(), socket));
        } catch (AgentProxyException e) {
            throw new IllegalStateException("no Unix domain sockets for the ssh-agent: " + e.getMessage(), e);
        }
    }
}
