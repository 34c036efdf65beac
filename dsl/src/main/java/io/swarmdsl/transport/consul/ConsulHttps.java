package io.swarmdsl.transport.consul;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Consul's HTTPS API on the cluster's nodes, with the cluster's client certificate (ca.pem, cert.pem
 * and key.pem of the state directory, the files the engines take too) and an ACL token sent as a
 * header, never in a URL. Knows no plan.
 */
public final class ConsulHttps {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(5);

    private final Path certificates;
    private HttpClient http;

    /** {@code certificates}: the directory with ca.pem, cert.pem and key.pem, read at the first call (an apply makes them first). */
    public ConsulHttps(Path certificates) {
        this.certificates = certificates;
    }

    private synchronized HttpClient http() throws IOException {
        if (http == null) {
            http = HttpClient.newBuilder().sslContext(ClusterTls.context(certificates)).connectTimeout(CONNECT_TIMEOUT).build();
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
        HttpResponse<byte[]> response = exchange(address, port, method, path, token,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body), RESPONSE_TIMEOUT);
        return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8).strip());
    }

    /**
     * As {@link #call}, with bytes both ways and more time ({@code /v1/snapshot}: the whole state
     * of the cluster, a gzipped archive): the answer's status, and its body when it is 200.
     */
    public Binary transfer(String address, int port, String method, String path, String token, byte[] body) throws IOException {
        HttpResponse<byte[]> response = exchange(address, port, method, path, token,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body), TRANSFER_TIMEOUT);
        return new Binary(response.statusCode(), response.body());
    }

    /** What Consul answered a {@link #transfer}: its status and body, as bytes. */
    public record Binary(int status, byte[] body) {
        /** The body as text, for an error's message. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8).strip();
        }
    }

    private HttpResponse<byte[]> exchange(String address, int port, String method, String path, String token,
                                          HttpRequest.BodyPublisher body, Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + address + ":" + port + path)).timeout(timeout)
                .method(method, body);
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        try {
            return http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
