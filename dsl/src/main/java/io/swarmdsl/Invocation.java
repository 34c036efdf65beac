package io.swarmdsl;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a command runs in: its environment, working directory and home, and whether its output is a
 * terminal. A command of a JVM of its own has the process's; the agent, which serves one command at
 * a time for clients with environments and directories of their own, sets each command's. Whatever
 * reads the environment, the home or a relative path asks {@link #current()}, never the process.
 */
public record Invocation(Map<String, String> environment, Path directory, Path home, boolean terminal) {
    private static final Invocation OWN = new Invocation(System.getenv(), Path.of(System.getProperty("user.dir")),
            Path.of(System.getProperty("user.home")), ownTerminal());
    private static volatile Invocation current = OWN;

    public Invocation {
        environment = Map.copyOf(environment);
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(home, "home");
        if (!directory.isAbsolute() || !home.isAbsolute()) {
            throw new IllegalArgumentException("the working directory and the home are absolute paths, got " + directory + " and " + home);
        }
    }

    /** This process's own: what a command run in it without an agent sees. */
    public static Invocation own() {
        return OWN;
    }

    public static Invocation current() {
        return current;
    }

    /** The command that runs from now on is {@code invocation}'s; null: this process's own again. */
    public static void set(Invocation invocation) {
        current = invocation == null ? OWN : invocation;
    }

    /** The variable's value, or null when it is not set. */
    public String variable(String name) {
        return environment.get(name);
    }

    /** {@code path} in the working directory (as given, when absolute). */
    public Path resolve(Path path) {
        return directory.resolve(path);
    }

    /** {@code path} with a leading {@code ~} as the home, then in the working directory. */
    public Path resolve(String path) {
        return resolve(directory, path);
    }

    /**
     * {@code path} with a leading {@code ~} as the home, then in {@code base}: by the full path,
     * so that a directory removed and made again since is the new one.
     */
    public Path resolve(Path base, String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return home.resolve(path.substring(Math.min(2, path.length())));
        }
        return base.resolve(path);
    }

    @Override
    public String toString() {
        return "Invocation[directory=" + directory + ", home=" + home + ", terminal=" + terminal + ", "
                + environment.size() + " variables (not shown: they hold secrets)]";
    }

    /** A console, and a terminal type that can move the cursor. */
    private static boolean ownTerminal() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !"dumb".equals(term);
    }
}
