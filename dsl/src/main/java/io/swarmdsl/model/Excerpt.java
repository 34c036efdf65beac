package io.swarmdsl.model;

/**
 * A short excerpt of a value a message quotes: an enormous value must not make an enormous message.
 */
public final class Excerpt {
    /** Characters of a value a message quotes at most. */
    public static final int LENGTH = 60;

    private Excerpt() {
    }

    /** {@code text} itself when short, else its start and how much was left out. */
    public static String of(CharSequence text) {
        return clip(text, LENGTH);
    }

    public static String clip(CharSequence text, int length) {
        if (text.length() <= length) {
            return text.toString();
        }
        return text.subSequence(0, length) + "… (" + (text.length() - length) + " more characters)";
    }

    /** The first line of a message, clipped: another library's message may quote a whole value. */
    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return clip(end < 0 ? message : message.substring(0, end), 4 * LENGTH);
    }
}
