package io.swarmdsl.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * The cluster's certificates, kept in its state directory: one CA (ECDSA P-256, three years), a
 * client certificate for the user, and per node a server certificate whose SANs are the node's
 * names and addresses, with both server and client usage (Consul presents it both ways; the
 * article's agents broke when docker-machine dropped client usage). Private keys are written 0600.
 * Existing certificates are reused while valid; a node whose names or addresses changed gets a
 * new one (docker-machine's "certificate is valid for X, not Y").
 */
public final class ClusterPki {
    static final Duration VALIDITY = Duration.ofDays(3 * 365);
    /** A certificate this close to its end is issued anew rather than reused. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** The files in the cluster's state directory (the {@code sh} plan's helpers use the same names). */
    public static final String CA_CERT = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String CLIENT_CERT = "cert.pem";
    public static final String CLIENT_KEY = "key.pem";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final String cluster;
    private final Map<String, Object> nodeLocks = new ConcurrentHashMap<>();

    public ClusterPki(Path directory, String cluster) {
        this.directory = directory;
        this.cluster = cluster;
    }

    /** A certificate and its key, as PEM text. */
    public record Issued(String certificatePem, String privateKeyPem) {
    }

    public Path caCertificate() {
        return directory.resolve(CA_CERT);
    }

    /**
     * The CA: made once, then reused (kept as ca.pem and ca-key.pem). During a CA rotation ca.pem
     * holds the new CA, which signs, and after it the one it replaces, still trusted.
     */
    public synchronized Issued ca() {
        Issued existing = read(CA_CERT, CA_KEY);
        if (existing != null && stillValid(certificate(existing.certificatePem()))) {
            return existing;
        }
        return write(CA_CERT, CA_KEY, newCa());
    }

    /**
     * Begins a CA rotation (swarm rotate certs --ca): a new CA signs from now on, and ca.pem holds it
     * and the old one, so that the nodes, once they hold it, take certificates of either. False when
     * a rotation is under way already (it goes on from where it is).
     */
    public synchronized boolean beginCaRotation() {
        Issued current = ca();
        if (rotatingCa()) {
            return false;
        }
        Issued fresh = newCa();
        write(CA_CERT, CA_KEY, new Issued(fresh.certificatePem() + current.certificatePem(), fresh.privateKeyPem()));
        return true;
    }

    /** Whether ca.pem holds an old CA beside the one that signs. */
    public synchronized boolean rotatingCa() {
        Issued current = read(CA_CERT, CA_KEY);
        return current != null && certificates(current.certificatePem()).size() > 1;
    }

    /** Ends a CA rotation: ca.pem holds the CA that signs, alone. */
    public synchronized void endCaRotation() {
        Issued current = ca();
        write(CA_CERT, CA_KEY, new Issued(pem(certificate(current.certificatePem())), current.privateKeyPem()));
    }

    /**
     * Of {@code nodes} and the client, forgets the kept certificates the signing CA did not sign (a
     * CA rotation's old ones), so that the next apply issues them anew; returns the nodes forgotten.
     */
    public synchronized List<String> forgetSignedByOldCa(Collection<String> nodes) {
        X509Certificate signer = certificate(ca().certificatePem());
        List<String> forgotten = nodes.stream().filter(node -> {
            Issued kept = keptServer(node);
            return kept != null && !signedBy(kept, signer);
        }).toList();
        Issued client = read(CLIENT_CERT, CLIENT_KEY);
        forget(forgotten, client != null && !signedBy(client, signer));
        return forgotten;
    }

    private Issued newCa() {
        KeyPair keys = keyPair();
        X500Name name = new X500Name("O=swarm,CN=" + cluster + " CA");
        Instant now = Instant.now();
        X509Certificate certificate = sign(new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(300)),
                Date.from(now.plus(VALIDITY)), name, keys.getPublic()), keys.getPrivate(), builder -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                });
        return new Issued(pem(certificate), privateKeyPem(keys.getPrivate()));
    }

    /** Whether a CA is kept that {@link #ca()} would reuse. */
    public synchronized boolean hasCurrentCa() {
        Issued existing = read(CA_CERT, CA_KEY);
        return existing != null && stillValid(certificate(existing.certificatePem()));
    }

    /** Whether a client certificate is kept that {@link #client()} would reuse. */
    public synchronized boolean hasCurrentClient() {
        Issued existing = read(CLIENT_CERT, CLIENT_KEY);
        return hasCurrentCa() && existing != null && stillValid(certificate(existing.certificatePem())) && signedByCa(existing);
    }

    /** The user's client certificate (cert.pem, key.pem), as docker-machine makes it. */
    public synchronized Issued client() {
        Issued existing = read(CLIENT_CERT, CLIENT_KEY);
        if (existing != null && stillValid(certificate(existing.certificatePem())) && signedByCa(existing)) {
            return existing;
        }
        return write(CLIENT_CERT, CLIENT_KEY, issue("client", List.of(), false));
    }

    /**
     * The server certificate of a node, for {@code dnsNames} and {@code ipAddresses} (kept in
     * {@code NODE/}); reissued when the wanted names are not exactly those of the kept one.
     */
    public Issued server(String node, Collection<String> dnsNames, Collection<String> ipAddresses) {
        // One lock per node, not the whole PKI: nodes' keys are made at the same time (keys take a moment).
        synchronized (nodeLocks.computeIfAbsent(node, n -> new Object())) {
            return serverOf(node, dnsNames, ipAddresses);
        }
    }

    /** The server certificate and key kept for {@code node}, as they are (null when none is kept): what the node should hold. */
    public Issued keptServer(String node) {
        synchronized (nodeLocks.computeIfAbsent(node, n -> new Object())) {
            return read(node + "/server.pem", node + "/server-key.pem");
        }
    }

    /**
     * Forgets the kept certificates of {@code nodes} and the client certificate, keys and all, so
     * that the next apply issues new ones from the same CA (swarm rotate certs).
     */
    public synchronized void forgetIssued(Collection<String> nodes) {
        forget(nodes, true);
    }

    private void forget(Collection<String> nodes, boolean client) {
        try {
            for (String node : nodes) {
                synchronized (nodeLocks.computeIfAbsent(node, n -> new Object())) {
                    Files.deleteIfExists(directory.resolve(node + "/server-key.pem"));
                    Files.deleteIfExists(directory.resolve(node + "/server.pem"));
                }
            }
            if (client) {
                Files.deleteIfExists(directory.resolve(CLIENT_KEY));
                Files.deleteIfExists(directory.resolve(CLIENT_CERT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Issued serverOf(String node, Collection<String> dnsNames, Collection<String> ipAddresses) {
        List<GeneralName> wanted = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        dnsNames.forEach(dns -> {
            if (seen.add("dns:" + dns)) {
                wanted.add(new GeneralName(GeneralName.dNSName, dns));
            }
        });
        ipAddresses.forEach(ip -> {
            if (seen.add("ip:" + ip)) {
                wanted.add(new GeneralName(GeneralName.iPAddress, ip));
            }
        });
        String cert = node + "/server.pem";
        String key = node + "/server-key.pem";
        Issued existing = read(cert, key);
        if (existing != null && stillValid(certificate(existing.certificatePem())) && signedByCa(existing)
                && Sans.of(certificate(existing.certificatePem())).equals(Sans.of(wanted))) {
            return existing;
        }
        return write(cert, key, issue(node, wanted, true));
    }

    private Issued issue(String commonName, List<GeneralName> sans, boolean server) {
        Issued ca = ca();
        X509Certificate caCertificate = certificate(ca.certificatePem());
        KeyPair keys = keyPair();
        Instant now = Instant.now();
        X509Certificate certificate = sign(new JcaX509v3CertificateBuilder(caCertificate, serial(),
                Date.from(now.minusSeconds(300)), Date.from(now.plus(VALIDITY)), new X500Name("O=swarm,CN=" + commonName),
                keys.getPublic()), privateKey(ca.privateKeyPem()), builder -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
                    builder.addExtension(Extension.extendedKeyUsage, false, server
                            ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
                            : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                    if (!sans.isEmpty()) {
                        builder.addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(sans.toArray(GeneralName[]::new)));
                    }
                    builder.addExtension(Extension.authorityKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
                });
        return new Issued(pem(certificate), privateKeyPem(keys.getPrivate()));
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException, GeneralSecurityException;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer, Extensions extensions) {
        try {
            extensions.add(builder);
            ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    /** Signed by a CA of ca.pem: during a CA rotation, the old one's certificates serve on until they are reissued. */
    private boolean signedByCa(Issued issued) {
        return certificates(ca().certificatePem()).stream().anyMatch(ca -> signedBy(issued, ca));
    }

    private static boolean signedBy(Issued issued, X509Certificate ca) {
        try {
            certificate(issued.certificatePem()).verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean stillValid(X509Certificate certificate) {
        return certificate.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
    }

    /** ECDSA P-256, which Docker, Consul and curl all take: made in a millisecond, where RSA 2048 takes up to a second. */
    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    /** The first certificate of a PEM text: during a CA rotation's ca.pem, the CA that signs. */
    static X509Certificate certificate(String pem) {
        List<X509Certificate> certificates = certificates(pem);
        if (certificates.isEmpty()) {
            throw new IllegalStateException("not a certificate: no PEM certificate in the text");
        }
        return certificates.get(0);
    }

    /** Every certificate of a PEM text, in order. */
    static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                certificates.add(new JcaX509CertificateConverter().getCertificate((org.bouncycastle.cert.X509CertificateHolder) object));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("not a certificate: " + e.getMessage(), e);
        }
        return certificates;
    }

    private static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return object instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) object);
        } catch (IOException e) {
            throw new IllegalStateException("not a private key: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 ("PRIVATE KEY"), which Go (Docker, Consul), curl and docker-java all read for EC keys. */
    private static String privateKeyPem(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode a private key: " + e.getMessage(), e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private Issued read(String certificate, String key) {
        Path certificatePath = directory.resolve(certificate);
        Path keyPath = directory.resolve(key);
        if (!Files.exists(certificatePath) || !Files.exists(keyPath)) {
            return null;
        }
        try {
            return new Issued(Files.readString(certificatePath, StandardCharsets.UTF_8), Files.readString(keyPath, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Issued write(String certificate, String key, Issued issued) {
        try {
            Path keyPath = directory.resolve(key);
            Files.createDirectories(keyPath.getParent());
            Files.deleteIfExists(keyPath);
            Files.createFile(keyPath, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyPath, issued.privateKeyPem(), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(certificate), issued.certificatePem(), StandardCharsets.UTF_8);
            return issued;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
