import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The bare JSch loop of scripts/bench-apply: one session per node, all nodes in parallel threads;
 * on each, one exec channel per command and one SFTP channel for the two files, in the same order
 * as the other methods: mkdir, upload a, upload b, then the five commands.
 *
 * Usage: java -cp jsch.jar:DIR JschLoop KEY USER DIR LOCAL_A LOCAL_B COMMANDS_FILE HOST...
 * COMMANDS_FILE holds the five commands, one a line. Exits 1 if any step fails on any node.
 */
public final class JschLoop {
    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: JschLoop KEY USER DIR LOCAL_A LOCAL_B COMMANDS_FILE HOST...");
            System.exit(2);
        }
        String key = args[0], user = args[1], dir = args[2], localA = args[3], localB = args[4];
        List<String> commands = java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[5]));
        JSch jsch = new JSch();
        jsch.addIdentity(key);
        List<Thread> threads = new ArrayList<>();
        String[] errors = new String[args.length - 6];
        for (int i = 6; i < args.length; i++) {
            String host = args[i];
            int slot = i - 6;
            Thread t = new Thread(() -> {
                try {
                    node(jsch, user, host, dir, localA, localB, commands);
                } catch (Exception e) {
                    errors[slot] = host + ": " + e;
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        int failed = 0;
        for (String e : errors) if (e != null) { System.err.println(e); failed++; }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void node(JSch jsch, String user, String host, String dir, String localA, String localB,
                             List<String> commands) throws Exception {
        Session session = jsch.getSession(user, host, 22);
        session.setConfig("StrictHostKeyChecking", "no");
        session.connect(10_000);
        try {
            exec(session, "mkdir -p " + dir);
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(10_000);
            try {
                sftp.put(localA, dir + "/a.txt");
                sftp.put(localB, dir + "/b.txt");
            } finally {
                sftp.disconnect();
            }
            for (String command : commands) if (!command.isBlank()) exec(session, command);
        } finally {
            session.disconnect();
        }
    }

    private static void exec(Session session, String command) throws Exception {
        ChannelExec channel = (ChannelExec) session.openChannel("exec");
        channel.setCommand(command);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        channel.setErrStream(err);
        InputStream out = channel.getInputStream();
        channel.connect(10_000);
        try {
            byte[] buffer = new byte[8192];
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            for (int n; (n = out.read(buffer)) >= 0; ) stdout.write(buffer, 0, n);
            while (!channel.isClosed()) Thread.sleep(1);
            if (channel.getExitStatus() != 0)
                throw new IllegalStateException("'" + command + "' exited with " + channel.getExitStatus() + ": " + err);
        } finally {
            channel.disconnect();
        }
    }
}
