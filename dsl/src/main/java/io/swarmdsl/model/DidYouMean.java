package io.swarmdsl.model;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Suggests the closest known word for a misspelt one, the way git and gradle do. */
public final class DidYouMean {
    private static final Pattern IN_MESSAGE = Pattern.compile("(?s)(.*); did you mean '([^']*)'\\?(.*)");

    private DidYouMean() {
    }

    /** An error message without its suggestion, and the suggested word (null when it has none): for machine-readable errors. */
    public record Split(String message, String suggestion) {
    }

    public static Split split(String message) {
        Matcher matcher = IN_MESSAGE.matcher(message);
        return matcher.matches() ? new Split(matcher.group(1) + matcher.group(3), matcher.group(2)) : new Split(message, null);
    }

    /** {@code "; did you mean 'masters'?"}, or an empty string when nothing is close enough. */
    public static String suggest(String word, Collection<String> known) {
        if (word.length() > Excerpt.LENGTH) {
            return ""; // no keyword is that long, and the distances would cost length × length
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(word.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int tolerated = Math.max(1, Math.min(3, word.length() / 3));
        return best != null && bestDistance <= tolerated ? "; did you mean '" + best + "'?" : "";
    }

    /** Damerau-Levenshtein (optimal string alignment): a swap of two letters counts as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
