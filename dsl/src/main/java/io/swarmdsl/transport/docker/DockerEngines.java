package io.swarmdsl.transport.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The Docker Engine API of the cluster's nodes, through docker-java's HTTP transport: over TLS with
 * the cluster's client certificate (ca.pem, cert.pem and key.pem of the cluster's state directory),
 * or plain HTTP when the script turns TLS off. One pooled client per engine address.
 */
public final class DockerEngines implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(120);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path certificates;
    private final boolean tls;
    private final Map<String, DockerHttpClient> clients = new ConcurrentHashMap<>();

    /** {@code certificates}: the directory with ca.pem, cert.pem and key.pem; unused when {@code tls} is false. */
    public DockerEngines(Path certificates, boolean tls) {
        this.certificates = certificates;
        this.tls = tls;
    }

    public static URI endpoint(String address, int port) {
        return URI.create("tcp://" + address + ":" + port);
    }

    /** Calls {@code method path} on the engine at {@code address:port}; {@code body} is JSON or null. */
    public EngineAnswer call(String address, int port, String method, String path, String body) throws EngineException {
        Request.Builder request = Request.builder().method(Request.Method.valueOf(method)).path(path);
        if (body != null) {
            request.putHeader("Content-Type", "application/json")
                    .body(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        }
        String where = method + " " + path + " on " + address + ":" + port;
        try (Response response = http(address, port).execute(request.build())) {
            String text = read(response.getBody());
            int status = response.getStatusCode();
            if (status >= 400) {
                throw new EngineException(EngineException.Kind.REFUSED, status,
                        "the engine at " + address + ":" + port + " refused " + method + " " + path + " (" + status + "): " + message(text), null);
            }
            return new EngineAnswer(status, text);
        } catch (RuntimeException | IOException e) {
            throw failure(where, e);
        }
    }

    /** docker-java's typed client for the engine at {@code address:port}; closed with this object. */
    public DockerClient client(String address, int port) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint(address, port).toString())
                .withDockerTlsVerify(tls)
                .withDockerCertPath(tls ? certificates.toString() : null)
                .build();
        return DockerClientImpl.getInstance(config, http(address, port));
    }

    private DockerHttpClient http(String address, int port) {
        return clients.computeIfAbsent(address + ":" + port, key -> new ApacheDockerHttpClient.Builder()
                .dockerHost(endpoint(address, port))
                .sslConfig(tls ? new LocalDirectorySSLConfig(certificates.toString()) : null)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .maxConnections(4)
                .build());
    }

    private static EngineException failure(String where, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof EngineException engine) {
                return engine;
            }
            if (cause instanceof SSLException) {
                return new EngineException(EngineException.Kind.TLS, 0, where + ": TLS handshake failed: " + cause.getMessage(), e);
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return new EngineException(EngineException.Kind.CONNECT, 0, where + ": " + cause.getMessage(), e);
            }
            if (cause instanceof SocketTimeoutException) {
                return new EngineException(EngineException.Kind.TIMEOUT, 0, where + ": no answer in time", e);
            }
        }
        return new EngineException(EngineException.Kind.CONNECT, 0, where + ": " + e.getMessage(), e);
    }

    private static String read(InputStream body) throws IOException {
        return body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The engine's own message from an error body ({@code {"message": "..."}}), else the body. */
    static String message(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    if ("message".equals(field)) {
                        return parser.getText();
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        return body.strip();
    }

    @Override
    public void close() {
        clients.values().forEach(client -> {
            try {
                client.close();
            } catch (IOException e) {
                // closing pooled connections: nothing left to do
            }
        });
        clients.clear();
    }
}
