package io.swarmdsl.transport.ssh;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Runs the cryptography of an SSH handshake once on a spare thread, while the script still
 * compiles: the first of twenty parallel handshakes in a fresh JVM otherwise pays for loading and
 * interpreting curve25519, Ed25519 and AES on every thread at once.
 */
public final class CryptoWarmUp {
    private static final String[] JSCH_CLASSES = {
        "com.jcraft.jsch.JSch", "com.jcraft.jsch.Session", "com.jcraft.jsch.ChannelExec", "com.jcraft.jsch.ChannelSftp",
        "com.jcraft.jsch.DHXEC", "com.jcraft.jsch.jce.XDH", "com.jcraft.jsch.jce.SignatureEd25519",
        "com.jcraft.jsch.jce.AES128CTR", "com.jcraft.jsch.jce.AES128GCM", "com.jcraft.jsch.jce.HMACSHA256",
        "com.jcraft.jsch.jce.SHA256", "com.jcraft.jsch.jce.SHA512", "com.jcraft.jsch.UserAuthPublicKey"
    };

    private CryptoWarmUp() {
    }

    public static void startInBackground() {
        Thread thread = new Thread(CryptoWarmUp::run, "ssh-crypto-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void run() {
        try {
            for (String name : JSCH_CLASSES) {
                Class.forName(name, true, CryptoWarmUp.class.getClassLoader());
            }
            KeyPairGenerator xdh = KeyPairGenerator.getInstance("X25519");
            KeyPair ours = xdh.generateKeyPair();
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(ours.getPrivate());
            agreement.doPhase(xdh.generateKeyPair().getPublic(), true);
            byte[] secret = agreement.generateSecret();

            KeyPair host = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(host.getPrivate());
            signer.update(secret);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(host.getPublic());
            verifier.update(secret);
            verifier.verify(signature);

            byte[] block = new byte[32 * 1024];
            SecretKeySpec key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(secret), 0, 16, "AES");
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(new byte[16]));
            ctr.doFinal(block);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
            gcm.doFinal(block);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.doFinal(block);
            MessageDigest.getInstance("SHA-512").digest(block);
        } catch (Exception | LinkageError e) {
            // Only a head start: the handshakes themselves report any real problem.
        }
    }
}
