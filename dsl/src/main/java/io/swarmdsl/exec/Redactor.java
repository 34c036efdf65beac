package io.swarmdsl.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Replaces every secret value the apply knows of with {@code (sensitive)} in whatever is shown or kept. */
public final class Redactor {
    private final List<String> secrets = new ArrayList<>();

    public synchronized void add(String secret) {
        if (secret != null && secret.length() >= 4 && !secrets.contains(secret)) {
            secrets.add(secret);
            // Longest first, so a secret containing another is replaced whole.
            secrets.sort(Comparator.comparingInt(String::length).reversed());
        }
    }

    public synchronized String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "(sensitive)");
        }
        return result;
    }
}
