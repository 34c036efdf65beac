package io.swarmdsl.transport.consul;

import com.github.dockerjava.core.LocalDirectorySSLConfig;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** The TLS context of the cluster's client certificate: ca.pem, cert.pem and key.pem of a directory. */
final class ClusterTls {
    private ClusterTls() {
    }

    static SSLContext context(Path certificates) throws IOException {
        try {
            // docker-java reads the PEM files (BouncyCastle) into the context its own TLS uses.
            return new LocalDirectorySSLConfig(certificates.toString()).getSSLContext();
        } catch (Exception e) {
            throw new IOException("cannot read the cluster's client certificate in " + certificates + ": " + e.getMessage(), e);
        }
    }
}
