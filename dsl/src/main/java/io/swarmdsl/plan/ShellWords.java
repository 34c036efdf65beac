package io.swarmdsl.plan;

/** How {@code plan --format sh} writes words and references, shared by the renderer and the providers' calls. */
public final class ShellWords {
    private ShellWords() {
    }

    /** The shell variable that holds a reference's value. */
    public static String variable(String reference) {
        return reference.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    /** {@code value} as one word, quoted only when it must be; a leading {@code ~/} stays outside the quotes. */
    public static String quote(String value) {
        if (value.startsWith("~/")) {
            return "~/" + quote(value.substring(2));
        }
        return value.matches("[A-Za-z0-9_./:,=@%+-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
    }
}
