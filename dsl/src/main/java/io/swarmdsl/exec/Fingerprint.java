package io.swarmdsl.exec;

import io.swarmdsl.plan.Step;
import io.swarmdsl.render.JsonRenderer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a step does, as a short hash: the same step planned again has the same fingerprint, a
 * changed command or file content a different one. Computed from the plan as shown (secrets as
 * placeholders), so a fingerprint never carries a secret.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(Step step) {
        return sha256(JsonRenderer.describe(step)).substring(0, 16);
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
