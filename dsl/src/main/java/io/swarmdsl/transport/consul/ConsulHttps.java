package io.swarmdsl.transport.consul;

import com.github.dockerjava.core.LocalDirectorySSLConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Consul's HTTPS API on the cluster's nodes, with the cluster's client certificate (ca.pem, cert.pem
 * and key.pem of the state directory, the files the engines take too) and an ACL token sent as a
 * header, never in a URL. Knows no plan.
 */
public final class ConsulHttps {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    private final Path certificates;
    private HttpClient http;

    /** {@code certificates}: the directory with ca.pem, cert.pem and key.pem, read at the first call (an apply makes them first). */
    public ConsulHttps(Path certificates) {
        this.certificates = certificates;
    }

    private synchronized HttpClient http() throws IOException {
        if (http == null) {
            SSLContext ssl;
            try {
                // docker-java reads the PEM files (BouncyCastle) into the context its own TLS uses.
                ssl = new LocalDirectorySSLConfig(certificates.toString()).getSSLContext();
            } catch (Exception e) {
                throw new IOException("cannot read the cluster's client certificate in " + certificates + ": " + e.getMessage(), e);
            }
            http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(CONNECT_TIMEOUT).build();
        }
        return http;
    }

    /** What Consul answered: its status and body. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status == 200;
        }
    }

    /**
     * {@code method path} on {@code https://address:port}, with {@code token} (or none when null) and
     * a JSON {@code body} (or none). An answer of any status comes back; only no answer throws.
     */
    public Answer call(String address, int port, String method, String path, String token, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + address + ":" + port + path)).timeout(RESPONSE_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        try {
            HttpResponse<String> response = http().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
