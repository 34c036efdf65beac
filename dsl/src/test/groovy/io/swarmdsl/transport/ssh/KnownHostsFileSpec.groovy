package io.swarmdsl.transport.ssh

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import java.nio.file.attribute.PosixFilePermissions

/** Forgetting a host's key, as {@code ssh-keygen -R} does: plain and hashed entries, other hosts kept. */
class KnownHostsFileSpec extends Specification {
    static final String KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'
    static final String OTHER = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbTuTgM6jCNnuGHwcySpvxaNeL/KpcI/u6lC9GcNPGa'

    @TempDir
    Path dir

    def "removes the host's entries, plain, among other names and hashed by ssh-keygen, and keeps everything else"() {
        given:
        Path file = dir.resolve('known_hosts')
        Files.writeString(file, """# a comment
203.0.113.7 $KEY
203.0.113.8 $OTHER
doccur3,203.0.113.7 $KEY
[203.0.113.7]:2222 $KEY
""")
        Path hashed = dir.resolve('hashed')
        Files.writeString(hashed, "203.0.113.7 $KEY\n203.0.113.8 $OTHER\n")
        def keygen = ['ssh-keygen', '-H', '-f', hashed.toString()].execute()
        keygen.waitForProcessOutput(new StringBuilder(), new StringBuilder())
        Files.writeString(file, Files.readString(hashed), StandardOpenOption.APPEND)
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString('rw-------'))
        KnownHostsFile known = new KnownHostsFile(file)

        when:
        int removed = known.remove('203.0.113.7')
        List<String> lines = Files.readAllLines(file)

        then:
        keygen.exitValue() == 0
        removed == 3
        lines[0..3] == ['# a comment', "203.0.113.8 $OTHER".toString(), "doccur3 $KEY".toString(), "[203.0.113.7]:2222 $KEY".toString()]
        lines.size() == 5
        lines[4].startsWith('|1|')
        !known.keys('203.0.113.7', null)
        known.keys('203.0.113.8', null).length == 2
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) == 'rw-------'

        and: 'a host it does not know, or no file: nothing to remove'
        known.remove('198.51.100.1') == 0
        new KnownHostsFile(dir.resolve('absent')).remove('203.0.113.7') == 0
    }
}
