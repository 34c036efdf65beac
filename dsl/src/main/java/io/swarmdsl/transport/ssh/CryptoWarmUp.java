package io.swarmdsl.transport.ssh;

import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Runs the cryptography of an SSH handshake once on a spare thread, while the script still
 * compiles: the first of twenty parallel handshakes in a fresh JVM otherwise pays for loading and
 * interpreting curve25519, Ed25519 and AES on every thread at once.
 */
public final class CryptoWarmUp {
    private static final String[] JSCH_CLASSES = {
        "com.jcraft.jsch.JSch", "com.jcraft.jsch.Session", "com.jcraft.jsch.ChannelExec", "com.jcraft.jsch.ChannelSftp",
        "com.jcraft.jsch.DHXEC", "com.jcraft.jsch.bc.XDH", "com.jcraft.jsch.bc.SignatureEd25519",
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
            SecureRandom random = new SecureRandom();
            X25519PrivateKeyParameters ours = new X25519PrivateKeyParameters(random);
            X25519Agreement agreement = new X25519Agreement();
            agreement.init(ours);
            byte[] secret = new byte[agreement.getAgreementSize()];
            agreement.calculateAgreement(new X25519PrivateKeyParameters(random).generatePublicKey(), secret, 0);

            Ed25519PrivateKeyParameters host = new Ed25519PrivateKeyParameters(random);
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, host);
            signer.update(secret, 0, secret.length);
            byte[] signature = signer.generateSignature();
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, host.generatePublicKey());
            verifier.update(secret, 0, secret.length);
            verifier.verifySignature(signature);

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
