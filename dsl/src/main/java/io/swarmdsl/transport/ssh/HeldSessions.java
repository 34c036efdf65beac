package io.swarmdsl.transport.ssh;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connections a long-lived process keeps open between its commands, as OpenSSH's ControlPersist
 * keeps a master: the next apply to the same target skips the handshake. Off unless {@link #keepFor}
 * is called (the agent does; a one-shot {@code swarm} closes what it opened). A connection is kept
 * for the same target and transport options only, and handed out again only while its session is
 * up and the known_hosts file of the new transport still lists the key its host proved it holds.
 */
public final class HeldSessions {
    private static final Object LOCK = new Object();
    private static final Map<String, Deque<Held>> HELD = new HashMap<>();
    private static volatile Duration idle;
    private static ScheduledExecutorService reaper;

    private record Held(JschConnection connection, long until) {
    }

    private HeldSessions() {
    }

    /** From now on, released connections stay open for {@code idleTime} in case a later command wants them. */
    public static void keepFor(Duration idleTime) {
        synchronized (LOCK) {
            idle = idleTime;
            if (reaper == null) {
                reaper = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "held-ssh-sessions");
                    thread.setDaemon(true);
                    return thread;
                });
                reaper.scheduleWithFixedDelay(HeldSessions::closeExpired, 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** Holds no more connections, and closes those held. */
    public static void stopKeeping() {
        idle = null;
        closeAll();
    }

    /** Closes every held connection; how many there were. */
    public static int closeAll() {
        List<Held> all = new ArrayList<>();
        synchronized (LOCK) {
            HELD.values().forEach(all::addAll);
            HELD.clear();
        }
        all.forEach(held -> held.connection().close());
        return all.size();
    }

    /** Keeps {@code connection} under {@code key} if holding is on and its session is up; false if the caller is to close it. */
    static boolean offer(String key, JschConnection connection) {
        Duration keep = idle;
        if (keep == null || !connection.isUp()) {
            return false;
        }
        synchronized (LOCK) {
            HELD.computeIfAbsent(key, k -> new ArrayDeque<>()).push(new Held(connection, System.nanoTime() + keep.toNanos()));
        }
        return true;
    }

    /** A held connection for {@code key} that is still up, or null. Connections found dead on the way are closed. */
    static JschConnection take(String key) {
        while (true) {
            Held held;
            synchronized (LOCK) {
                Deque<Held> queue = HELD.get(key);
                held = queue == null ? null : queue.poll();
                if (queue != null && queue.isEmpty()) {
                    HELD.remove(key);
                }
            }
            if (held == null) {
                return null;
            }
            if (held.connection().isUp()) {
                return held.connection();
            }
            held.connection().close();
        }
    }

    private static void closeExpired() {
        long now = System.nanoTime();
        List<Held> expired = new ArrayList<>();
        synchronized (LOCK) {
            HELD.values().forEach(queue -> queue.removeIf(held -> {
                boolean old = held.until() - now < 0 || !held.connection().isUp();
                if (old) {
                    expired.add(held);
                }
                return old;
            }));
            HELD.values().removeIf(Deque::isEmpty);
        }
        expired.forEach(held -> held.connection().close());
    }
}
