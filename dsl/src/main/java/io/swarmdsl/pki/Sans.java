package io.swarmdsl.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x509.GeneralName;

/** The subject alternative names of a certificate as comparable text: {@code dns:NAME}, {@code ip:ADDRESS}. */
final class Sans {
    private Sans() {
    }

    static Set<String> of(X509Certificate certificate) {
        Set<String> names = new TreeSet<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    names.add((type == GeneralName.iPAddress ? "ip:" : "dns:") + entry.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    static Set<String> of(List<GeneralName> wanted) {
        Set<String> names = new TreeSet<>();
        for (GeneralName name : wanted) {
            String value = name.getName().toString();
            if (name.getTagNo() == GeneralName.iPAddress) {
                names.add("ip:" + ipText(value));
            } else {
                names.add("dns:" + value);
            }
        }
        return names;
    }

    /** BouncyCastle shows an IP name as {@code #0a000001}; the JDK as {@code 10.0.0.1}. */
    private static String ipText(String value) {
        if (!value.startsWith("#") || value.length() != 9) {
            return value;
        }
        StringBuilder ip = new StringBuilder();
        for (int i = 1; i < 9; i += 2) {
            ip.append(i == 1 ? "" : ".").append(Integer.parseInt(value.substring(i, i + 2), 16));
        }
        return ip.toString();
    }
}
