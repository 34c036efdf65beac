package io.swarmdsl.transport.ssh;

/** What to do with a host whose key the known_hosts file does not list yet. Both refuse a changed key. */
public enum HostKeyPolicy {
    /** Remember the key of a host seen for the first time, as OpenSSH's {@code StrictHostKeyChecking=accept-new}. */
    ACCEPT_NEW("accept-new"),
    /** Connect only to hosts whose key is already known. */
    STRICT("strict");

    private final String word;

    HostKeyPolicy(String word) {
        this.word = word;
    }

    /** The word scripts use for it: {@code accept-new} or {@code strict}. */
    public String word() {
        return word;
    }
}
