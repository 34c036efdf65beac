package io.swarmdsl.plan;

import java.util.SortedMap;

/**
 * A call a provider's step makes to its API, typed by the provider that plans and runs it: its
 * runner reads the record's fields, never names parsed back. Plans read it through its operation
 * and parameters (text, JSON, fingerprint) and its lines of {@code plan --format sh}.
 */
public interface ProviderCall {
    /** How plans name the call: {@code droplets}, {@code ssh-key}, … */
    String operation();

    /** Its parameters as plans show them, by name (secrets as references). */
    SortedMap<String, Text> parameters();

    /** The call in {@code plan --format sh}: lines that use the script's helper functions. */
    String shell();
}
