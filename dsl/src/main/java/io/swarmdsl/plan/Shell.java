package io.swarmdsl.plan;

import io.swarmdsl.model.ConsulSpec;
import io.swarmdsl.model.NodeSpec;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

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

    /**
     * The kernel accounts memory and swap, as Docker reads it: cgroup v2 lists the memory controller
     * (swap accounting is on with it unless the command line turns it off); cgroup v1 has the memory
     * controller's swap files.
     */
    static final String MEMORY_IS_ACCOUNTED = "grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null"
            + " || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]";

    /** This boot: the kernel's boot id, and when PID 1 started (a new init, as in a container's restart, is a new boot too). */
    private static final String BOOT = "\"$(cat /proc/sys/kernel/random/boot_id) $(awk '{print $22}' /proc/1/stat)\"";

    static Check memoryIsAccounted() {
        return Check.holds(MEMORY_IS_ACCOUNTED).because("the kernel already accounts memory and swap: no kernel change, no reboot");
    }

    static Text memoryAccounting() {
        return Text.of("if " + MEMORY_IS_ACCOUNTED + "; then exit 0; fi\n" + """
                if [ ! -f /etc/default/grub ]; then
                  echo 'the kernel does not account memory and swap, and the node boots without GRUB (no /etc/default/grub): add cgroup_enable=memory swapaccount=1 to its kernel command line, reboot it and apply again, or leave memory accounting out of the script' >&2
                  exit 1
                fi
                grep -q 'cgroup_enable=memory swapaccount=1' /etc/default/grub || {
                  sed -i 's/^GRUB_CMDLINE_LINUX="\\(.*\\)"/GRUB_CMDLINE_LINUX="\\1 cgroup_enable=memory swapaccount=1"/' /etc/default/grub
                }
                update-grub""");
    }

    /** Reboots a node whose kernel does not account memory yet, noting the boot it leaves for {@link #rebooted}. */
    static Text reboot(String cluster) {
        return Text.of("if " + MEMORY_IS_ACCOUNTED + "; then exit 0; fi\n"
                + "mkdir -p " + NodePaths.state(cluster) + " && echo " + BOOT + " > " + NodePaths.rebootPending(cluster) + "\n"
                + "(sleep 1 && reboot) >/dev/null 2>&1 &");
    }

    /**
     * Exit 0: the node runs a boot other than the one {@link #reboot} left (or none was asked for), and
     * its kernel accounts memory; 1: not back yet; 3: back, but its kernel still does not account memory.
     */
    static String rebooted(String cluster) {
        String pending = NodePaths.rebootPending(cluster);
        return "if [ -e " + pending + " ] && [ \"$(cat " + pending + ")\" = " + BOOT + " ]; then exit 1; fi\n"
                + "rm -f " + pending + "\n"
                + "if " + MEMORY_IS_ACCOUNTED + "; then exit 0; fi\n"
                + "echo \"back from its reboot, but the kernel still does not account memory and swap (its command line: $(cat /proc/cmdline))\"\n"
                + "exit " + PrepareSteps.REBOOTED_WITHOUT_ACCOUNTING;
    }

    /**
     * The unit of Debian's and Docker's packages starts dockerd with {@code -H fd://}, which conflicts
     * with {@code hosts} in daemon.json: a drop-in clears it (docker-machine did the same). With
     * {@code clusterStoreFlags}, the drop-in also passes them to an engine older than Docker 20.10,
     * read from the node's dockerd: 20.10 deprecated them (Debian's build refuses them) and 23
     * removed them. Without systemd there is no drop-in, and no cluster-store.
     */
    static Text restartDocker(String clusterStoreFlags) {
        String flags = clusterStoreFlags == null ? ""
                : "flags=\nif " + ENGINE_TAKES_CLUSTER_STORE + "; then flags=' " + clusterStoreFlags + "'; fi\n";
        String execStart = clusterStoreFlags == null ? "%s\\n' \"$(command -v dockerd)\"" : "%s%s\\n' \"$(command -v dockerd)\" \"$flags\"";
        return Text.of(flags + """
                if [ -d /run/systemd/system ]; then
                  mkdir -p /etc/systemd/system/docker.service.d
                  printf '[Service]\\nExecStart=\\nExecStart=""" + execStart + " > " + NodePaths.DOCKER_DROP_IN + "\n" + """
                  # on failure, what dockerd said (systemctl only says that it failed)
                  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
                else
                  service docker restart
                fi""");
    }

    /** Succeeds when the node's dockerd is older than Docker 20.10 ({@code Docker version 19.03.15, build …}). */
    static final String ENGINE_TAKES_CLUSTER_STORE = "dockerd --version 2>/dev/null | awk '{ split($3, v, \".\"); "
            + "exit !(v[1] + 0 < 20 || (v[1] + 0 == 20 && v[2] + 0 < 10)) } END { if (!NR) exit 1 }'";

    /**
     * {@link #restartDocker} on a master: when its Consul server ran before the restart (a running
     * cluster, not a first apply), waits until the server is back and knows a leader, so that the next
     * master restarts only once this one votes again.
     */
    static Text restartDockerKeepingConsul(String clusterStoreFlags, int seconds) {
        return Text.of("consul_ran=$(docker ps -q --filter name=^consul$ 2>/dev/null)\n{\n", restartDocker(clusterStoreFlags), "\n} || exit 1\n"
                + "[ -n \"$consul_ran\" ] || exit 0\n" + consulBackWithLeader(seconds, "the engine restart"));
    }

    /**
     * Restarts the Consul container when its {@code config} changed after it started (a re-apply
     * that uploaded a new one; a first apply starts it after it). A server then waits until it is back
     * and knows a leader. With TLS ({@code httpsPort}), certificates newer than the container and
     * than its last reload ({@code loaded}, touched then) are reloaded in place (SIGHUP) instead,
     * until the HTTPS port serves the node's certificate: a leader stays the leader. A curl that cannot show the served certificate
     * (before 7.88) falls back to the restart, which is certain.
     */
    static Text restartConsulIfChanged(String config, Integer httpsPort, String loaded, boolean server, int seconds) {
        String restart = "docker restart consul >/dev/null || exit 1" + (server ? "\n" + consulBackWithLeader(seconds, "its restart") : "");
        String script = "started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0\n"
                // In nanoseconds: a file written within the second the container started is newer too.
                + "started=$(date -d \"$started\" +%s%N)\n"
                + "newest() { stat -c %.9Y \"$@\" 2>/dev/null | tr -d . | sort -n | tail -1; }\n";
        if (httpsPort == null) {
            return Text.of(script + "[ \"$(newest " + config + ")\" -gt \"$started\" ] || exit 0\n" + restart);
        }
        String served = "curl -sk -m 2 --cert " + NodePaths.CERT + " --key " + NodePaths.KEY + " -o /dev/null -w '%{certs}' https://127.0.0.1:"
                + httpsPort + "/v1/status/leader 2>/dev/null | " + firstCertificate("");
        return Text.of(script + "if [ \"$(newest " + config + ")\" -gt \"$started\" ]; then\n" + indent(restart) + "\n  exit 0\nfi\n"
                + "loaded=$(newest " + loaded + ")\n"
                + "[ -z \"$loaded\" ] || [ \"$loaded\" -lt \"$started\" ] || started=$loaded\n"
                + "[ \"$(newest " + NodePaths.CA + " " + NodePaths.CERT + " " + NodePaths.KEY + ")\" -gt \"$started\" ] || exit 0\n"
                + "served() { " + served + "; }\n"
                + "if [ -z \"$(served)\" ]; then\n" + indent(restart) + "\n  exit 0\nfi\n"
                + "wanted=$(" + firstCertificate(NodePaths.CERT) + ")\n"
                + "docker kill -s HUP consul >/dev/null || exit 1\n"
                + waitUntil("[ \"$(served)\" = \"$wanted\" ]", seconds, "its Consul agent still served its old certificate " + seconds
                        + " s after a reload") + "\n"
                + "mkdir -p " + loaded.substring(0, loaded.lastIndexOf('/')) + " && touch " + loaded);
    }

    /**
     * The first certificate of the PEM in {@code file} (empty: standard input; curl's {@code %{certs}}
     * puts {@code Cert:} before it), without its line breaks.
     */
    private static String firstCertificate(String file) {
        return "sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}'" + (file.isEmpty() ? "" : " " + file)
                + " | tr -d ' \\r\\n'";
    }

    private static String indent(String lines) {
        return lines.lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
    }

    /**
     * Restarts each of the classic Swarm {@code containers} that started before the newest of the
     * certificates it reads ({@code files}): Swarm reads them only when it starts. A manager then
     * waits until it answers over TLS on {@code managerPort} again, so the next one restarts only
     * once this one serves.
     */
    static Text restartSwarmIfChanged(List<String> containers, List<String> files, Integer managerPort, int seconds) {
        String script = "newest=$(stat -c %.9Y " + String.join(" ", files) + " 2>/dev/null | tr -d . | sort -n | tail -1)\n"
                + "[ -n \"$newest\" ] || exit 0\nrestarted=\n"
                + "for c in " + String.join(" ", containers) + "; do\n"
                + "  started=$(docker inspect -f '{{.State.StartedAt}}' \"$c\" 2>/dev/null) || continue\n"
                + "  [ \"$newest\" -gt \"$(date -d \"$started\" +%s%N)\" ] || continue\n"
                + "  docker restart \"$c\" >/dev/null || exit 1\n  restarted=1\ndone";
        if (managerPort == null) {
            return Text.of(script);
        }
        return Text.of(script + "\n[ -n \"$restarted\" ] || exit 0\n" + waitUntil("curl -fsS -m 2 --cacert " + NodePaths.CA + " --cert "
                + NodePaths.CERT + " --key " + NodePaths.KEY + " https://127.0.0.1:" + managerPort + "/_ping >/dev/null 2>&1", seconds,
                "its Swarm manager did not answer " + seconds + " s after its restart"));
    }

    private static String consulBackWithLeader(int seconds, String after) {
        return waitUntil("curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :", seconds,
                "its Consul server was not back with a leader " + seconds + " s after " + after);
    }

    /** Polls {@code probe} every 0.2 s until it holds; after {@code seconds}, fails saying {@code failure}. */
    private static String waitUntil(String probe, int seconds, String failure) {
        return """
                end=$(($(date +%%s) + %d))
                until %s; do
                  [ "$(date +%%s)" -lt "$end" ] || { echo "%s" >&2; exit 1; }
                  sleep 0.2
                done""".formatted(seconds, probe, failure);
    }

    /**
     * Keeps, once, the original of each file in {@code paths} under the cluster's {@code originals}
     * directory on the node: a copy (symbolic links stay links), or {@code PATH.absent} for a file
     * that did not exist, and likewise for the topmost of its directories that did not exist. A kept
     * original is never replaced, so a re-apply keeps the first one. {@link #restoreOriginals} puts
     * them back. Parameter expansion rather than {@code dirname}: every node runs this at once, and
     * forks are what it costs.
     */
    static Text keepOriginals(String cluster, Collection<String> paths) {
        String list = paths.stream().map(path -> "  " + quote(path)).collect(Collectors.joining(" \\\n", "\\\n", "\n"));
        return Text.of("o=" + NodePaths.originals(cluster) + "\n" + """
                keep() {
                  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
                    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
                }
                for f in""" + " " + list + """
                do
                  if [ -e "$f" ] || [ -L "$f" ]; then
                    keep "$f" || exit 1
                  else
                    d=${f%/*} top=
                    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
                    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
                  fi
                done""");
    }

    /**
     * Puts back what {@link #keepOriginals} kept: copies in place (a bind-mounted file cannot be
     * replaced, only rewritten), removes the files that did not exist and the directories that did
     * not exist once nothing else is in them, then sets the hostname from the restored
     * {@code /etc/hostname}. Does nothing on a node without kept originals.
     */
    static Text restoreOriginals(String cluster) {
        return Text.of("o=" + NodePaths.originals(cluster) + "\n" + """
                if [ -d "$o" ]; then
                  (cd "$o" && find . ! -type d) | LC_ALL=C sort -r | while IFS= read -r k; do
                    f=${k#.}
                    case $f in
                      *.absent)
                        f=${f%.absent}
                        if [ -d "$f" ] && [ ! -L "$f" ]; then find "$f" -depth -type d -empty -delete; else rm -f "$f"; fi ;;
                      *)
                        mkdir -p "$(dirname "$f")"
                        if [ -L "$o$f" ]; then rm -f "$f" 2>/dev/null; fi
                        cp -a "$o$f" "$f" 2>/dev/null || cat "$o$f" > "$f" ;;
                    esac || exit 1
                  done && hostname -F /etc/hostname
                fi""");
    }

    /**
     * Consul as the node's agent sees it, for up to {@code seconds}: {@code members} members alive (serf
     * status 1), a leader, gossip encrypted when {@code encrypted}, and the node's resolver answering
     * {@code name} through Consul. Says what is wrong when time is up.
     */
    private static final int CONSUL_UDP_ANSWER_LIMIT = 3;

    static Text consulHealthy(int members, int servers, boolean encrypted, String name, boolean srv, int seconds) {
        // Curl's own complaints stay out of the output: the problem line says what is wrong.
        String api = "curl -fsS -m 5 http://127.0.0.1:" + ConsulSpec.HTTP_PORT + "/v1/";
        String quiet = " 2>/dev/null";
        // SRV through the node's resolver: the Consul container shares the node's network and
        // resolv.conf, and HashiCorp's image (Alpine) has nslookup, which a host may lack. The
        // gliderlabs images' busybox predates nslookup -type: no SRV check there. Consul answers at
        // most 3 records over UDP (dns_config.udp_answer_limit), so 5 or 7 servers give 3.
        int records = Math.min(servers, CONSUL_UDP_ANSWER_LIMIT);
        return Text.of("end=$(($(date +%s) + " + seconds + "))\n"
                + "while :; do\n"
                + "  alive=$(" + api + "agent/members" + quiet + " | grep -o '\"Status\":1[,}]' | wc -l)\n"
                + "  voters=$(" + api + "operator/raft/configuration" + quiet + " | grep -o '\"Voter\":true' | wc -l)\n"
                + "  self=$(" + api + "agent/self" + quiet + ")\n"
                + "  if [ -z \"$self\" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:" + ConsulSpec.HTTP_PORT + "'\n"
                + "  elif [ \"$alive\" -ne " + members + " ]; then problem=\"$alive of " + members + " Consul members alive\"\n"
                + "  elif ! " + api + "status/leader" + quiet + " | grep -q :; then problem='no Consul leader'\n"
                + "  elif [ \"$voters\" -ne " + servers + " ]; then problem=\"$voters of " + servers + " Consul servers voting in raft\"\n"
                + (encrypted ? "  elif ! printf '%s' \"$self\" | grep -q '\"encrypted\":\"true\"'; then problem='gossip not encrypted'\n" : "")
                + "  elif ! getent hosts " + name + " >/dev/null; then problem='the resolver does not answer " + name + "'\n"
                + (!srv ? "" : "  elif [ \"$(docker exec consul nslookup -type=SRV " + name + " 2>/dev/null | grep -c 'service = ')\" -ne " + records + " ]; then "
                + "problem='the resolver does not answer the " + records + " SRV records of " + name + "'\n")
                + "  else exit 0; fi\n"
                + "  [ \"$(date +%s)\" -lt \"$end\" ] || { echo \"$problem\" >&2; exit 1; }\n"
                + "  sleep 1\n"
                + "done");
    }

    /**
     * On a manager that stays: drains {@code node} (demoting it first if it manages) and waits until
     * none of its tasks runs; a node no longer in the Swarm has nothing to drain.
     */
    static Text drainSwarmNode(String node, int seconds) {
        String quoted = quote(node);
        return Text.of("role=$(docker node inspect -f '{{.Spec.Role}}' " + quoted + " 2>/dev/null) || exit 0\n"
                + "[ \"$role\" != manager ] || docker node demote " + quoted + " >/dev/null || exit 1\n"
                + "docker node update --availability drain " + quoted + " >/dev/null || exit 1\n"
                + waitUntil("[ -z \"$(docker node ps -q --filter desired-state=running " + quoted + ")\" ]", seconds,
                        "tasks still ran on " + node + " " + seconds + " s after its drain"));
    }

    /** On a manager: {@code node}'s role as the managers see it, "manager reachable" or "worker none" once a role change is done. */
    static Check swarmRoleOf(String node, boolean manager) {
        return new Check("docker node inspect -f '" + ROLE_AND_REACHABILITY + "' " + quote(node) + " 2>/dev/null", manager ? "manager reachable" : "worker none");
    }

    private static final String ROLE_AND_REACHABILITY = "{{.Spec.Role}} {{if .ManagerStatus}}{{.ManagerStatus.Reachability}}{{else}}none{{end}}";

    /**
     * On a manager: makes the Swarm node {@code node} a manager ({@code docker node promote}) or a
     * worker again, and waits until raft has taken it in (reachable) or let it go, so that the next
     * change of the managers starts from a settled quorum.
     */
    static Text changeSwarmRole(String node, boolean manager, int seconds) {
        String quoted = quote(node);
        String expected = manager ? "manager reachable" : "worker none";
        return Text.of("docker node " + (manager ? "promote " : "demote ") + quoted + " >/dev/null || exit 1\n"
                + waitUntil("[ \"$(docker node inspect -f '" + ROLE_AND_REACHABILITY + "' " + quoted + ")\" = '" + expected + "' ]", seconds,
                        node + " was not " + (manager ? "a reachable manager " : "a worker out of raft ") + seconds + " s after its "
                                + (manager ? "promotion" : "demotion")));
    }

    /** On a manager that stays: once {@code node} has left the Swarm (the managers see it down), removes it from the node list. */
    static Text removeSwarmNode(String node, int seconds) {
        String quoted = quote(node);
        return Text.of("docker node inspect " + quoted + " >/dev/null 2>&1 || exit 0\n"
                + waitUntil("[ \"$(docker node inspect -f '{{.Status.State}}' " + quoted + ")\" = down ]", seconds,
                        node + " was not down " + seconds + " s after it left the Swarm") + "\n"
                + "docker node rm " + quoted + " >/dev/null");
    }

    static Text leaveSwarm() {
        return Text.of("""
                case "$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" in
                  active|pending|error|locked)
                    docker swarm leave --force && { docker network rm docker_gwbridge >/dev/null 2>&1 || true; } ;;
                esac""");
    }

    /** Takes a composition down with its volumes, if its file is on the node. */
    static Text composeDown(String project, String file) {
        // down -v removes only the volumes the file names now: a service dropped since (a master's
        // manager, once the node became an agent) left its volume, labelled with the project.
        return Text.of("if [ -f " + file + " ]; then " + Action.Compose.command(project, file, "down -v --remove-orphans")
                + "; docker volume ls -q --filter label=com.docker.compose.project=" + project + " | xargs -r docker volume rm >/dev/null; fi");
    }

    /**
     * Restarts the engine through the node's service manager, as {@link #restartDocker} does, once its
     * original options are back (on systemd, the drop-in is gone: reload first). Only on a node that
     * kept originals, that is, where an apply changed something.
     */
    static Text restartDockerAsBefore(String cluster) {
        return Text.of("if [ -d " + NodePaths.originals(cluster) + " ]; then\n" + RESTART_AS_BEFORE.indent(2) + "fi");
    }

    private static final String RESTART_AS_BEFORE = """
              if [ -d /run/systemd/system ]; then
                systemctl daemon-reload && systemctl restart docker
              else
                service docker restart
              fi""";

    /**
     * An engine that does not answer (an option it rejected, say) gets its original options back and
     * is started, so that the teardown can take its Swarm and containers down. Only on a node that
     * kept originals; an engine that answers is left alone here.
     */
    static Text engineAnswersOrAsBefore(String cluster) {
        String kept = NodePaths.originals(cluster);
        return Text.of("if [ -d " + kept + " ] && ! docker info >/dev/null 2>&1; then\n"
                + "  echo 'the engine does not answer: starting it with its original options'\n"
                + "  for f in " + NodePaths.DAEMON_JSON + " " + NodePaths.DOCKER_DROP_IN + "; do\n"
                + "    if [ -e \"" + kept + "$f\" ]; then cp -a \"" + kept + "$f\" \"$f\"; "
                + "elif [ -e \"" + kept + "$f.absent\" ]; then rm -f \"$f\"; fi\n"
                + "  done\n"
                + RESTART_AS_BEFORE.indent(2) + "fi");
    }

    /** Removes the cluster's state on the node (markers and originals), and {@code /var/lib/swarm} once it is empty. */
    static Text removeState(String cluster) {
        return Text.of("rm -rf " + NodePaths.state(cluster) + " && { rmdir " + NodePaths.stateRoot() + " 2>/dev/null || true; }");
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
