package io.swarmdsl.plan;

import io.swarmdsl.model.NodeSpec;

/**
 * The shell commands of the plan. Each is idempotent: running it on a node where it already took
 * effect changes nothing, so an interrupted apply can run it again.
 */
final class Shell {
    private Shell() {
    }

    static Text hostname(NodeSpec node) {
        String name = node.name();
        String hostsLine = "127.0.1.1 " + node.fqdn() + " " + name;
        return Text.of("hostname " + name + " && echo " + name + " > /etc/hostname && "
                + "{ grep -q '^127\\.0\\.1\\.1[[:space:]]' /etc/hosts && sed -i 's/^127\\.0\\.1\\.1[[:space:]].*/" + hostsLine
                + "/' /etc/hosts || echo '" + hostsLine + "' >> /etc/hosts; }");
    }

    static Check hostnameIsSet(NodeSpec node) {
        return Check.holds("[ \"$(hostname)\" = " + node.name() + " ] && grep -qx " + node.name() + " /etc/hostname"
                + " && grep -qx '127.0.1.1 " + node.fqdn() + " " + node.name() + "' /etc/hosts");
    }

    static Check dockerIsInstalled() {
        return Check.holds("command -v dockerd && { docker compose version || command -v docker-compose; }");
    }

    /** The node's engine is in a Swarm, as a manager or as a worker (read through the local socket). */
    static Check inSwarmAs(boolean manager) {
        return new Check("docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null",
                "active " + manager);
    }

    static Check overlayNetworkExists(String name) {
        return new Check("docker network inspect --format '{{.Driver}} {{.Attachable}}' " + name + " 2>/dev/null", "overlay true");
    }

    static Text installDocker() {
        return Text.of("""
                if ! command -v dockerd >/dev/null 2>&1; then
                  if command -v apt-get >/dev/null 2>&1; then
                    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
                  else
                    curl -fsSL https://get.docker.com | sh
                  fi
                fi
                if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
                  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
                fi""");
    }

    static Text memoryAccounting() {
        return Text.of("""
                grep -q 'cgroup_enable=memory swapaccount=1' /etc/default/grub || {
                  sed -i 's/^GRUB_CMDLINE_LINUX="\\(.*\\)"/GRUB_CMDLINE_LINUX="\\1 cgroup_enable=memory swapaccount=1"/' /etc/default/grub
                  update-grub
                }""");
    }

    static Text reboot() {
        return Text.of("grep -q 'swapaccount=1' /proc/cmdline || (sleep 1 && reboot) >/dev/null 2>&1 &");
    }

    /**
     * The unit of Debian's and Docker's packages starts dockerd with {@code -H fd://}, which conflicts
     * with {@code hosts} in daemon.json: a drop-in clears it (docker-machine did the same).
     */
    static Text restartDocker() {
        return Text.of("""
                if [ -d /run/systemd/system ]; then
                  mkdir -p /etc/systemd/system/docker.service.d
                  printf '[Service]\\nExecStart=\\nExecStart=%s\\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
                  systemctl daemon-reload && systemctl restart docker
                else
                  service docker restart
                fi""");
    }
}
