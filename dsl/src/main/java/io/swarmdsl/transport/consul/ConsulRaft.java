package io.swarmdsl.transport.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmdsl.model.ConsulSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * Raft's own port on a Consul server (8300), reached as the servers reach each other: TLS with a
 * certificate of the cluster's CA, then raft's messages in MessagePack. Only one message is sent,
 * TimeoutNow: the server starts an election at once, which the others grant although they know a
 * leader. It is how raft hands leadership over (hashicorp/raft's LeadershipTransfer, which Consul
 * offers as {@code consul operator raft transfer-leader} only from 1.15). Knows no plan.
 */
public final class ConsulRaft {
    /** Consul's first byte of a connection: TLS follows; within it, the next byte says raft. */
    private static final int RPC_TLS = 3;
    private static final int RPC_RAFT = 1;
    /** Raft's message types: 3 is TimeoutNow. */
    private static final int TIMEOUT_NOW = 3;
    /** The raft protocol Consul speaks since 1.0. */
    private static final Map<String, Object> HEADER = Map.of("ProtocolVersion", 3);
    private static final int TIMEOUT_MILLIS = 3000;
    private static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private final Path certificates;

    /** {@code certificates}: the directory with ca.pem, cert.pem and key.pem, read at each call. */
    public ConsulRaft(Path certificates) {
        this.certificates = certificates;
    }

    /** Tells the server at {@code address} to start an election now; throws when it does not take the message. */
    public void startElection(String address) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, ConsulSpec.RAFT_PORT), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            plain.getOutputStream().write(RPC_TLS);
            try (SSLSocket tls = (SSLSocket) ClusterTls.context(certificates).getSocketFactory().createSocket(plain, address, ConsulSpec.RAFT_PORT, true)) {
                tls.setUseClientMode(true);
                OutputStream out = tls.getOutputStream();
                out.write(RPC_RAFT);
                out.write(TIMEOUT_NOW);
                out.write(MSGPACK.writeValueAsBytes(HEADER));
                out.flush();
                // The answer: an error's text (empty when none), then the response, a header alone.
                InputStream in = tls.getInputStream();
                try (MappingIterator<JsonNode> answer = MSGPACK.readerFor(JsonNode.class).readValues(in)) {
                    if (!answer.hasNext()) {
                        throw new IOException("no answer");
                    }
                    String error = answer.next().asText();
                    if (!error.isEmpty()) {
                        throw new IOException(error);
                    }
                }
            }
        }
    }
}
