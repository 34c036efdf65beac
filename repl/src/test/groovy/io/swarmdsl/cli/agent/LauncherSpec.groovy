package io.swarmdsl.cli.agent

import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.attribute.FileTime
import java.nio.file.attribute.PosixFilePermissions
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream

/**
 * scripts/swarm and the agents it starts, in two checkouts side by side: each a copy of the launcher
 * with jars made of this build's classes, as a build of its own would leave them.
 */
class LauncherSpec extends Specification {
    static final File LAUNCHER = new File('../scripts/swarm').canonicalFile

    @Shared File parent
    @Shared File agents
    @Shared File first
    @Shared File second

    def setupSpec() {
        assert LAUNCHER.canExecute()
        parent = Files.createTempDirectory('launcher-spec').toFile()
        agents = new File(parent, 'runtime/swarm-agent-' + ['id', '-u'].execute().text.trim())
        Files.createDirectories(agents.parentFile.toPath(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString('rwx------')))
        first = checkout('first')
        second = checkout('second')
    }

    def cleanupSpec() {
        [first, second].each { if (it) { run(it, ['agent', 'stop']) } }
        parent?.deleteDir()
    }

    /** A checkout of the launcher and of jars made from this build's classes (the test classpath). */
    private File checkout(String name) {
        def root = new File(parent, name)
        def lib = new File(root, 'repl/target/lib')
        lib.mkdirs()
        new File(root, 'scripts').mkdirs()
        ['swarm', 'swarm.classlist'].each { Files.copy(new File(LAUNCHER.parentFile, it).toPath(), new File(root, "scripts/$it").toPath()) }
        new File(root, 'scripts/swarm').setExecutable(true)
        System.getProperty('java.class.path').split(File.pathSeparator).collect { new File(it) }.each { entry ->
            if (entry.isDirectory() && entry.name == 'classes') {
                boolean repl = entry.parentFile.parentFile.name == 'repl'
                jar(entry, repl ? new File(root, 'repl/target/swarm.jar') : new File(lib, "swarm-${entry.parentFile.parentFile.name}-classes.jar"))
            } else if (entry.isFile() && entry.name.endsWith('.jar') && !new File(lib, entry.name).exists()) {
                Files.createSymbolicLink(new File(lib, entry.name).toPath(), entry.toPath())
            }
        }
        assert new File(root, 'repl/target/swarm.jar').exists() && lib.list().any { it.startsWith('swarm-dsl-') }
        new File(root, 'repl/target/swarm.built').text = ''
        root
    }

    private static void jar(File classes, File jar) {
        new JarOutputStream(new FileOutputStream(jar)).withCloseable { out ->
            classes.eachFileRecurse { file ->
                if (file.isFile()) {
                    out.putNextEntry(new JarEntry(classes.toPath().relativize(file.toPath()).toString()))
                    out.write(file.bytes)
                    out.closeEntry()
                }
            }
        }
    }

    /** {@code checkout/scripts/swarm ARGS} (through bash, with {@code pipe} after it if given): exit code, stdout, stderr. */
    private Map run(File checkout, List<String> args, Map<String, String> environment = [:], String pipe = null) {
        String command = ([new File(checkout, 'scripts/swarm').path] + args).collect { "'" + it.replace("'", "'\\''") + "'" }.join(' ')
        def builder = new ProcessBuilder('bash', '-c', pipe == null ? command : "$command | $pipe; exit \${PIPESTATUS[0]}").directory(parent)
        builder.environment().putAll([XDG_RUNTIME_DIR: agents.parent, SWARM_AGENT_IDLE: '120',
                PATH: System.getProperty('java.home') + '/bin:' + System.getenv('PATH')] + environment)
        AgentProcess.finish(builder.start())
    }

    /** The running agents by the checkout each serves: its PID. */
    private Map<String, Long> running() {
        agents.listFiles().findAll { it.name.endsWith('.root') }.collectEntries { root ->
            long pid = new File(agents, root.name.replace('.root', '.pid')).text.trim() as long
            alive(pid) ? [(root.text.trim()): pid] : [:]
        }
    }

    private static boolean alive(long pid) {
        ProcessHandle.of(pid).map { it.alive }.orElse(false)
    }

    def "two checkouts side by side keep their agents, and a new build ends only its own checkout's agent of the build before"() {
        when:
        def planned = [first, second].collect { run(it, ['plan', '-e', 'nodes 3; masters 1']) }
        def before = running()

        then:
        planned.every { it.code == 0 && it.out.contains('3 nodes') }
        before.keySet() == [first.path, second.path] as Set

        when: 'the second checkout is built anew, and plans again'
        Files.setLastModifiedTime(new File(second, 'repl/target/swarm.built').toPath(), FileTime.fromMillis(System.currentTimeMillis() + 10_000))
        def again = run(second, ['plan', '-e', 'nodes 3; masters 1'])

        then: "the first checkout's agent serves on; the second's old one is gone, a new one serves"
        again.code == 0
        alive(before[first.path])
        AgentProcess.eventually { !alive(before[second.path]) }
        running()[second.path] != before[second.path]
        running().keySet() == [first.path, second.path] as Set
    }

    def "the agents' directory and every file in it are the user's alone"() {
        given:
        run(first, ['plan', '-e', 'nodes 3; masters 1'])

        expect:
        PosixFilePermissions.toString(Files.getPosixFilePermissions(agents.toPath())) == 'rwx------'
        Files.getOwner(agents.toPath()).name == System.getProperty('user.name')
        agents.listFiles().size() >= 5
        agents.listFiles().every { file ->
            PosixFilePermissions.toString(Files.getPosixFilePermissions(file.toPath())).endsWith('------')
        }
    }

    def "a broken pipe ends the command quietly, with the agent (#agent) and without"() {
        when: 'a plan much longer than a pipe holds, read as far as its first line'
        def result = run(first, ['plan', '-e', 'nodes 300; masters 3'], [SWARM_AGENT: agent], 'head -1')

        then:
        result.code in [0, 141]
        result.err == ''
        result.out.readLines().size() == 1

        where:
        agent << ['on', 'off']
    }
}
