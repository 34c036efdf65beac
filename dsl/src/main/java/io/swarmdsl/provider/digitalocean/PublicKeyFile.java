package io.swarmdsl.provider.digitalocean;

import io.swarmdsl.exec.ApplyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The cluster's SSH public key, as DigitalOcean files it: the key's text and its MD5 fingerprint. */
final class PublicKeyFile {
    private PublicKeyFile() {
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new ApplyException("cannot read the cluster's SSH public key " + path + " (the provider's sshKey plus .pub): "
                    + e.getMessage());
        }
    }

    /** The MD5 fingerprint DigitalOcean files a key under: colon-separated hex of the key's bytes. */
    static String fingerprint(String publicKey, String file) {
        String[] fields = publicKey.split("\\s+");
        try {
            byte[] blob = Base64.getDecoder().decode(fields.length > 1 ? fields[1] : "");
            byte[] digest = MessageDigest.getInstance("MD5").digest(blob);
            List<String> hex = new ArrayList<>();
            for (byte b : digest) {
                hex.add(String.format("%02x", b));
            }
            return String.join(":", hex);
        } catch (IllegalArgumentException | NoSuchAlgorithmException e) {
            throw new ApplyException(file + " is not an OpenSSH public key (type, base64 key, comment)");
        }
    }
}
