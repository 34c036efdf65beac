package io.swarmdsl.e2e

import com.github.dockerjava.core.LocalDirectorySSLConfig

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Path
import java.time.Duration
import java.time.Instant

/**
 * Watches a running cluster while an apply changes it: every 200 ms it asks the masters, from this
 * machine with the cluster's client certificate, whether Consul has a leader with its quorum and
 * whether a classic Swarm manager answers its /info. Each moment either was missing is kept,
 * so a spec can fail on any of them. It takes up new certificates the moment the state directory
 * holds them (a rotation, of the CA too), as the tool's own clients do on their next apply.
 */
final class ClusterWatch implements Closeable {
    static final long EVERY_MILLIS = 200

    private final Path certificates
    private volatile HttpClient http
    private List<Long> certificatesRead
    private final List<String> masters
    private final List<Map> missed = Collections.synchronizedList([])
    private volatile boolean watching = true
    private volatile int ticks
    /** What stopped the watch early: a watch that died would otherwise read as a cluster that never failed. */
    private volatile Throwable broken
    private final Thread thread

    /** {@code certificates}: the cluster's local state directory (ca.pem, cert.pem, key.pem). */
    ClusterWatch(Path certificates, List<String> masterAddresses) {
        masters = List.copyOf(masterAddresses)
        this.certificates = certificates
        rereadCertificates(true)
        thread = Thread.start('cluster-watch') {
            try {
                while (watching) {
                    long started = System.currentTimeMillis()
                    rereadCertificates(false)
                    check()
                    ticks++
                    Thread.sleep(Math.max(0, EVERY_MILLIS - (System.currentTimeMillis() - started)))
                }
            } catch (Throwable e) {
                broken = e
            }
        }
    }

    /** A new client for certificates written since the last one, once they were left alone for a tick (they are written one by one). */
    private void rereadCertificates(boolean now) {
        List<Long> written = ['ca.pem', 'cert.pem', 'key.pem'].collect { certificates.resolve(it).toFile().lastModified() }
        // A file not there (0) is one a rotation is about to write: the client so far serves on meanwhile.
        if (!now && (written == certificatesRead || 0L in written || written.max() > System.currentTimeMillis() - EVERY_MILLIS)) {
            return
        }
        def ssl = new LocalDirectorySSLConfig(certificates.toString()).getSSLContext()
        if (ssl == null) {
            throw new IllegalStateException("no client certificates in $certificates")
        }
        http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofMillis(500)).build()
        certificatesRead = written
    }

    /**
     * A leader that still has its quorum: a consistent read (the leader checks with a quorum first)
     * of a key under docker/, which the default token may read; 404 is such an answer too. Asking
     * /v1/status/leader would not do: a server names its last leader for seconds after the quorum is gone.
     */
    private void check() {
        Map<String, Object> consul = masters.collectEntries { [(it): answer(it, 8501, '/v1/kv/docker/cluster-watch?consistent')?.status ?: 'no answer'] }
        boolean leader = consul.values().any { it in [200, 404] }
        boolean manager = masters.any { answer(it, 3376, '/info')?.with { it.status == 200 } }
        if (!leader || !manager) {
            missed << [at: Instant.now(), leader: leader, manager: manager, consul: consul]
        }
    }

    private Map answer(String address, int port, String path) {
        try {
            def response = http.send(HttpRequest.newBuilder(URI.create("https://$address:$port$path")).timeout(Duration.ofMillis(900)).build(),
                    HttpResponse.BodyHandlers.ofString())
            [status: response.statusCode(), body: response.body()]
        } catch (IOException ignored) {
            null
        }
    }

    /**
     * The moments without a leader or without a manager, so far: when ({@code at}), whether there was
     * a leader and a manager, and what each server answered the consistent read.
     */
    List<Map> missed() {
        if (broken != null) {
            throw new IllegalStateException('the cluster watch stopped early', broken)
        }
        List.copyOf(missed)
    }

    /** How many times it asked: a watch that never asked proves nothing. */
    int ticks() {
        ticks
    }

    @Override
    void close() {
        watching = false
        thread.join(5000)
    }
}
