package io.swarmdsl.model;

/**
 * One node of the cluster. Addresses are null until known: for cloud nodes they are only known
 * after provisioning, and the plan shows them as {@code (known after provision)}.
 */
public record NodeSpec(String name, String fqdn, Role role, String publicAddress, String privateAddress, SshSpec ssh) {
    public boolean isMaster() {
        return role == Role.MASTER;
    }
}
