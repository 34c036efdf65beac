package io.swarmdsl.dsl;

import io.swarmdsl.model.ClusterBuilder;
import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one script run: the cluster being built, the statement being evaluated (its place,
 * for every error), and the words still waiting for a value ({@code consul encrypt} before {@code true}).
 * The compiled script reports each statement's place through {@link #at(int, int)}.
 */
public final class Evaluation {
    private static final ThreadLocal<Evaluation> CURRENT = new ThreadLocal<>();

    private final String file;
    private final ClusterBuilder cluster;
    private final List<PendingWord> pending = new ArrayList<>();
    private final long deadline;
    private int line = 1;
    private int column = 1;

    Evaluation(String file, ClusterBuilder cluster, long timeLimitNanos) {
        this.file = file;
        this.cluster = cluster;
        this.deadline = System.nanoTime() + timeLimitNanos;
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
                throw new SpecException(evaluation.position(), "the script ran longer than "
                        + ScriptLoader.TIME_LIMIT_SECONDS + " s and was stopped (an endless loop?)");
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
