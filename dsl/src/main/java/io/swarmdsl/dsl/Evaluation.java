package io.swarmdsl.dsl;

import io.swarmdsl.model.ClusterBuilder;
import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The state of one script run: the cluster being built, the statement being evaluated (its place,
 * for every error), and the words still waiting for a value ({@code consul encrypt} before {@code true}).
 * The compiled script reports each statement's place through {@link #at(int, int)}.
 *
 * <p>A run is bounded in time and in memory. The script reports in before every statement and in
 * every loop, and stops itself past its time there. A single statement can still run long or
 * allocate without end ({@code 'x' * 1_000_000_000}, a regular expression that backtracks), so the
 * script runs on a thread of its own that a watchdog stops by force past either bound.
 */
public final class Evaluation {
    /** Long enough for any real script (a 1000-node one runs in milliseconds), short enough to stop a loop. */
    public static final long TIME_LIMIT_SECONDS = 5;
    /** What a run may hold in memory (a 1000-node script holds a few MB). */
    public static final long MEMORY_LIMIT_MB = 256;
    /** A script that does not report in is stopped this long after its time is up. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long STACK_BYTES = 4L << 20;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final ThreadLocal<Evaluation> CURRENT = new ThreadLocal<>();
    private static volatile boolean stoppedByForce;

    private final String file;
    private final ClusterBuilder cluster;
    private final List<PendingWord> pending = new ArrayList<>();
    private final long deadline;
    private final boolean oneValuePerKeyword;
    /** What the script's thread must have allocated before the next collection may find it over the bound. */
    private long collectAt = MEMORY_LIMIT_MB << 20;
    private volatile int line = 1;
    private volatile int column = 1;

    Evaluation(String file, ClusterBuilder cluster, boolean oneValuePerKeyword) {
        this.file = file;
        this.cluster = cluster;
        this.oneValuePerKeyword = oneValuePerKeyword;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIME_LIMIT_SECONDS);
    }

    /**
     * Runs {@code body} as this evaluation, within its bounds, and gives what it threw (null when it
     * ended well). A run stopped by force is reported as a {@link SpecException} at its last place.
     */
    Throwable runBounded(Runnable body) {
        Throwable[] failure = new Throwable[1];
        Thread script = new Thread(null, () -> {
            enter();
            try {
                body.run();
                flushPending();
            } catch (Throwable e) {
                failure[0] = e;
            } finally {
                leave();
            }
        }, "swarm-script", STACK_BYTES);
        script.setDaemon(true);
        script.start();
        String stopped = watch(script);
        return stopped == null ? failure[0] : new SpecException(position(), stopped);
    }

    /**
     * Waits for the script's thread; stops it by force past a bound, and says which. Memory is the
     * heap grown since the start: garbage counts only until a collection, which runs before the
     * verdict (a loop that allocates and drops is no offence; a value that keeps growing is).
     */
    @SuppressWarnings("deprecation") // Thread.stop: the one way to end code that never reports in (Java 17)
    private String watch(Thread script) {
        long baseline = liveBefore();
        String stopped = null;
        boolean interrupted = false;
        while (script.isAlive()) {
            try {
                script.join(10);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (stopped == null && script.isAlive()) {
                if (heldMore(baseline, script)) {
                    stopped = "the script held more than " + MEMORY_LIMIT_MB + " MB of memory and was stopped";
                } else if (System.nanoTime() > deadline + GRACE_NANOS) {
                    stopped = ranTooLong();
                }
                if (stopped != null) {
                    stoppedByForce = true;
                    script.stop();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return stopped;
    }

    /**
     * Whether this process stopped a script by force: the stop may have cut Groovy's own caches
     * halfway, so a long-lived process (the agent) should end rather than serve another command.
     */
    public static boolean anyStoppedByForce() {
        return stoppedByForce;
    }

    /**
     * Whether the script holds more than the bound: the heap grown since {@code baseline}, garbage
     * collected first. Collections are paid only when they could find it over: a script cannot hold
     * more than it allocated, so the first comes once its thread has allocated the bound, and each
     * next once it has allocated what it still lacked (an eighth of the bound at least).
     */
    private boolean heldMore(long baseline, Thread script) {
        long limit = MEMORY_LIMIT_MB << 20;
        long allocated = allocatedBy(script, baseline);
        if (allocated < collectAt) {
            return false;
        }
        MEMORY.gc();
        long held = MEMORY.getHeapMemoryUsage().getUsed() - baseline;
        collectAt = allocated + Math.max(limit - held, limit / 8);
        return held > limit;
    }

    /** What the script's thread allocated so far; where the JVM cannot say, the heap's growth. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19
    private static long allocatedBy(Thread script, long baseline) {
        long allocated = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                ? threads.getThreadAllocatedBytes(script.getId()) : -1;
        return allocated >= 0 ? allocated : MEMORY.getHeapMemoryUsage().getUsed() - baseline;
    }

    /**
     * The heap in use before the script, without the garbage it holds now: what the last collection
     * left, unless less is in use now; when that is more than the bound itself (what a script stopped
     * just before held, say), a collection says. Garbage in the baseline would hide as much of the
     * script's own memory once a collection during the script frees it. A heap of less than a quarter
     * of the bound is taken as it is: a fresh command's, where reading the collectors' last results
     * would add 30-50 ms to its start for at most that quarter.
     */
    private static long liveBefore() {
        long used = MEMORY.getHeapMemoryUsage().getUsed();
        if (used <= (MEMORY_LIMIT_MB << 20) / 4) {
            return used;
        }
        long live = Math.min(used, lastCollected(used));
        if (live > MEMORY_LIMIT_MB << 20) {
            MEMORY.gc();
            live = MEMORY.getHeapMemoryUsage().getUsed();
        }
        return live;
    }

    /** The heap the last collection left, or {@code used} before any. */
    private static long lastCollected(long used) {
        GcInfo last = null;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            GcInfo info = bean instanceof com.sun.management.GarbageCollectorMXBean gc ? gc.getLastGcInfo() : null;
            if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
                last = info;
            }
        }
        if (last == null) {
            return used;
        }
        long afterLast = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? last.getMemoryUsageAfterGc().get(pool.getName()) : null;
            afterLast += after == null ? 0 : after.getUsed();
        }
        return afterLast;
    }

    private static String ranTooLong() {
        return "the script ran longer than " + TIME_LIMIT_SECONDS + " s and was stopped (an endless loop?)";
    }

    /**
     * Called by the compiled script before every statement and in every loop and block (inserted by
     * {@link StatementPositions}): records the place, and stops a script that runs past its time.
     */
    public static void at(int line, int column) {
        Evaluation evaluation = CURRENT.get();
        if (evaluation != null) {
            evaluation.flushPending();
            evaluation.line = line;
            evaluation.column = column;
            if (System.nanoTime() > evaluation.deadline) {
                throw new SpecException(evaluation.position(), ranTooLong());
            }
        }
    }

    static Evaluation current() {
        return CURRENT.get();
    }

    void enter() {
        CURRENT.set(this);
    }

    void leave() {
        CURRENT.remove();
    }

    boolean oneValuePerKeyword() {
        return oneValuePerKeyword;
    }

    ClusterBuilder cluster() {
        return cluster;
    }

    SourcePosition position() {
        return new SourcePosition(file, line, column);
    }

    void await(PendingWord word) {
        pending.add(word);
    }

    /** Words left without a value take their default meaning: {@code consul encrypt} alone means encrypt. */
    void flushPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<PendingWord> waiting = new ArrayList<>(pending);
        pending.clear();
        for (PendingWord word : waiting) {
            word.applyAlone();
        }
    }
}
