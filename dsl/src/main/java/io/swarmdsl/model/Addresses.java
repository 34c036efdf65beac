package io.swarmdsl.model;

import java.util.regex.Pattern;

/** Checks of names and addresses, done without any lookup (the DSL never touches the network). */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern LOOKS_NUMERIC = Pattern.compile("[0-9.]+");

    private Addresses() {
    }

    /** An IPv4 or IPv6 literal, or a DNS name. */
    public static String address(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new SpecException(what + " must not be empty");
        }
        boolean valid = LOOKS_NUMERIC.matcher(value).matches() ? IPV4.matcher(value).matches()
                : value.contains(":") ? isIpv6(value) : isDnsName(value);
        if (!valid) {
            throw new SpecException(what + " '" + value + "' is not a valid IP address or host name");
        }
        return value;
    }

    public static String hostName(String what, String value) {
        if (value == null || !HOST_LABEL.matcher(value).matches()) {
            throw new SpecException(what + " '" + value + "' is not a valid host name"
                    + " (letters, digits and '-', at most 63, not starting or ending with '-')");
        }
        return value;
    }

    public static String dnsName(String what, String value) {
        if (value == null || !isDnsName(value)) {
            throw new SpecException(what + " '" + value + "' is not a valid DNS name");
        }
        return value;
    }

    private static boolean isDnsName(String value) {
        if (value.length() > 253) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String value) {
        return value.matches("[0-9A-Fa-f:]+") && value.split("::", -1).length <= 2 && value.length() <= 39;
    }
}
