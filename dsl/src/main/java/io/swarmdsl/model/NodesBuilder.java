package io.swarmdsl.model;

import java.util.IllegalFormatException;

/** {@code nodes 7, prefix: 'doccur'}: how many nodes and how they are named. */
public final class NodesBuilder extends Section {
    public static final int MAX_NODES = 1000;
    Integer count;
    String prefix;
    String pattern;

    @Override
    public String sectionName() {
        return "nodes";
    }

    @Keyword(usage = "nodes N",
            doc = "How many nodes: 1 to 1000.",
            byDefault = "7", positional = true)
    public NodesBuilder count(int count) {
        this.count = inRange("nodes", count, 1, MAX_NODES);
        return this;
    }

    @Keyword(usage = "nodes N, prefix: 'doccur'   (names doccur1, doccur2, …)",
            doc = "Nodes are named PREFIX1, PREFIX2, …; the prefix also names the cluster when cluster is not given.",
            byDefault = "node")
    public NodesBuilder prefix(String prefix) {
        this.prefix = Addresses.hostName("prefix", prefix);
        this.pattern = null;
        return this;
    }

    @Keyword(usage = "nodes N, pattern: 'web-%02d'   (names web-01, web-02, …)",
            doc = "Nodes are named by a format with one number in it (%d, %02d).")
    public NodesBuilder pattern(String pattern) {
        try {
            Addresses.hostName("pattern", String.format(pattern, 1));
        } catch (IllegalFormatException e) {
            throw new SpecException("pattern '" + pattern + "' must contain one number format such as %d or %02d");
        }
        if (String.format(pattern, 1).equals(String.format(pattern, 2))) {
            throw new SpecException("pattern '" + pattern + "' must contain a number format such as %d or %02d");
        }
        this.pattern = pattern;
        this.prefix = null;
        return this;
    }

    String nameOf(int index) {
        if (pattern != null) {
            return String.format(pattern, index);
        }
        return (prefix == null ? "node" : prefix) + index;
    }
}
