package io.swarmdsl.e2e

import groovy.json.JsonSlurper
import io.swarmdsl.Poll
import org.opentest4j.TestAbortedException

/**
 * The project's lab of real nodes ({@code scripts/lab}), for end-to-end specs. Needs root. Without
 * root a spec is skipped with the reason, except under CI ({@code CI=true}), where a skipped
 * end-to-end test would hide a failure: there it fails.
 */
final class Lab {
    static final File ROOT = new File('.').canonicalFile
    static final File SCRIPT = new File(ROOT, 'scripts/lab')

    final List<String> nodes
    final List<String> addresses
    final String key
    final String user
    /** The lab's registry, which node engines use as their registry mirror. */
    final String registry

    private Lab(Map<String, String> env) {
        nodes = env.LAB_NODES.tokenize()
        addresses = env.LAB_ADDRESSES.tokenize()
        key = env.LAB_KEY
        user = env.LAB_USER
        registry = env.LAB_REGISTRY
    }

    /**
     * Makes sure nodes lab1..labN run (keeping those already up), then describes them. Engines are not
     * started here: a spec that needs them makes its nodes new with {@link #reset}, which starts them
     * whatever state an earlier run left.
     */
    static synchronized Lab up(int count) {
        requireRoot()
        run(['up', String.valueOf(count), '--no-engine'])
        def env = [:]
        run(['env']).eachLine { line ->
            def match = line =~ /^([A-Z_]+)=(?:"(.*)"|'(.*)'|(.*))$/
            if (match) {
                env[match.group(1)] = match.group(2) ?: match.group(3) ?: match.group(4) ?: ''
            }
        }
        def lab = new Lab(env)
        assert lab.nodes.size() >= count: "scripts/lab env lists ${lab.nodes}"
        lab
    }

    static void requireRoot() {
        if (['id', '-u'].execute().text.trim() != '0') {
            String reason = 'end-to-end specs need root for scripts/lab (containers with sshd and dockerd)'
            if (System.getenv('CI') == 'true') {
                throw new AssertionError("CI=true: $reason, and CI must not skip them")
            }
            throw new TestAbortedException(reason)
        }
    }

    /** A command run inside a node through docker exec: checks results without trusting SSH. */
    String exec(String node, String command) {
        run(['exec', node, 'sh', '-c', command])
    }

    /** Makes {@code nodes} new again from the node image (running, with their engines): no state of earlier runs. */
    void reset(List<String> nodes) { run(['reset'] + nodes) }

    /** What a node's state is made of (files the plan touches, engine settings, containers, volumes): equal before and after a teardown. */
    String state(String node) {
        exec(node, '''cat /etc/hosts /etc/hostname /etc/resolv.conf; ls -a /etc/docker /etc/consul /etc/swarm /var/lib/swarm 2>&1
docker info --format '{{.Swarm.LocalNodeState}} {{len .Labels}} {{.LoggingDriver}}'; docker ps -aq | wc -l; docker volume ls -q | wc -l''')
    }

    /** Removes {@code node} at once, as a host lost for good; {@link #up} makes it anew. */
    void delete(String node) { run(['delete', node]) }

    void sshStop(String node) { run(['ssh-stop', node, '--sessions']) }

    void sshStart(String node) { run(['ssh-start', node]) }

    void rekey(String node) { run(['rekey', node]) }

    /** Drops {@code node}'s traffic with the other nodes; this machine (SSH, exec, registry) still reaches it. */
    void cut(String node) { run(['cut', node]) }

    /** Undoes {@link #cut}. */
    void mend(String node) { run(['mend', node]) }

    /** Until its next boot, {@code node}'s kernel seems to lack memory and swap accounting. */
    void hideMemoryAccounting(String node) { run(['no-memory-accounting', node]) }

    /** A generic-provider script for the first {@code count} nodes, plus {@code extra} lines. */
    String script(int count, String extra = '') {
        script(0..<count, extra)
    }

    /** A generic-provider script for the nodes at {@code indexes} (0 is lab1), plus {@code extra} lines; 3 masters from 3 nodes on. */
    String script(Iterable<Integer> indexes, String extra, Integer masters = null) {
        int count = indexes.size()
        def hosts = indexes.collect { i ->
            "    host '${nodes[i]}', public: '${addresses[i]}', private: '${addresses[i]}', user: '$user', key: '$key'"
        }.join('\n')
        """provider('generic') {
  hosts {
$hosts
  }
}
masters ${masters ?: count >= 3 ? 3 : 1}
domain 'lab.swarm'
clusterInterface 'eth0'
$extra
"""
    }

    /** Waits up to {@code seconds} for {@code condition}, and says whether it came true. */
    /** Whether a TCP connection to {@code address:port} is taken within two seconds. */
    static boolean connects(String address, int port) {
        try (def socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000)
            return true
        } catch (IOException e) {
            return false
        }
    }

    static boolean within(int seconds, Closure<Boolean> condition) {
        Poll.until(seconds * 1000L, 500, condition)
    }

    /** The records of a journal, parsed: one JSON object per line; a last line still being written is left out. */
    static List<Map> journal(File file) {
        List<String> lines = file.exists() ? file.readLines().findAll { it.startsWith('{') } : []
        List<Map> records = []
        lines.eachWithIndex { line, i ->
            try {
                records << (new JsonSlurper().parseText(line) as Map)
            } catch (groovy.json.JsonException partial) {
                if (i < lines.size() - 1) {
                    throw partial
                }
            }
        }
        records
    }

    static String run(List<String> args) {
        def process = new ProcessBuilder([SCRIPT.path] + args).directory(ROOT).redirectErrorStream(true).start()
        def output = process.inputStream.text
        if (process.waitFor() != 0) {
            throw new IllegalStateException("scripts/lab ${args.join(' ')} failed:\n$output")
        }
        output
    }
}
