package org.rubric;

import java.util.Map;

/**
 * An evaluation context: the facts and scores of one unit at a time, reusable. Meant for one
 * thread at a time ({@link Rubric#evaluate} makes one per call). It keeps what it needs of the
 * rubric, so it stays usable after the Rubric is closed.
 *
 * <p>Its calls are serialised (synchronized), so misuse from several threads is slow rather
 * than a crash, and {@link #close} may be called from any thread at any time: it refuses new
 * calls at once, waits for the call in flight, then frees the native context. A call after
 * close throws IllegalStateException ("the evaluation is closed").
 */
public final class Evaluation implements AutoCloseable {
    private final Rubric rubric;
    private long handle;  // guarded by this
    // Set by close() before it waits for the monitor: a thread calling in a loop would take the
    // monitor again first (monitors are not fair), and close() could wait for many calls.
    private volatile boolean closing;

    Evaluation(Rubric rubric, long handle) {
        this.rubric = rubric;
        this.handle = handle;
    }

    /** The handle; call while holding the monitor. */
    private long handle() {
        if (handle == 0 || closing) throw new IllegalStateException("the evaluation is closed");
        return handle;
    }

    /** Fails fast, before waiting for the monitor, once close() has begun. */
    private void notClosing() {
        if (closing) throw new IllegalStateException("the evaluation is closed");
    }

    private void check(int rc) {
        if (rc != 0) throw new RubricException(rc, Native.str(Native.evalErrmsg(handle)));
    }

    private static RubricException error(long h) {
        int rc = Native.evalErrcode(h);
        return new RubricException(rc != 0 ? rc : RubricException.INTERNAL, Native.str(Native.evalErrmsg(h)));
    }

    /**
     * Scores one unit. Facts are text, read as in a facts file ("true", "795", "85%", "0.85",
     * "完备", "[0.8, 0.9]"); a null value means not given. Throws RubricException (status
     * FACT or NOT_FOUND) for a bad fact, an unknown name or a missing required fact, and
     * (status COHORT) for a rubric that ranks units against each other
     * ({@link Rubric#needsCohort}): score those with {@link Rubric#evaluateBatch}.
     */
    public Result evaluate(String entity, Map<String, String> facts) {
        notClosing();
        synchronized (this) {
            return evaluateLocked(entity, facts);
        }
    }

    private Result evaluateLocked(String entity, Map<String, String> facts) {
        long h = handle();
        check(Native.evalReset(h));
        if (entity != null) check(Native.evalSetEntity(h, Native.utf8(entity, "entity")));
        for (Map.Entry<String, String> f : facts.entrySet()) {
            if (f.getValue() == null) continue;
            check(Native.evalSetFact(h, Native.utf8(f.getKey(), "fact name"), Native.utf8(f.getValue(), "fact value")));
        }
        check(Native.evalRun(h));
        // The unit's line as rubric eval writes it: scores, warnings and missing facts at once.
        byte[] line = Native.evalResultJson(h);
        if (line == null) throw error(h);
        return Result.fromJson(Native.str(line)).withEntity(entity);
    }

    /** How every point of the last evaluate() came about, as JSON (numbers are strings). */
    public String explainJson() { return explain(true); }

    /** The same as text for people. */
    public String explainText() { return explain(false); }

    private String explain(boolean json) {
        notClosing();
        synchronized (this) {
            long h = handle();
            check(Native.evalSetLanguage(h, rubric.language().code()));
            byte[] b = Native.evalExplain(h, json);
            if (b == null) throw error(h);
            return Native.str(b);
        }
    }

    String batch(byte[] name, byte[] data, byte[] path, int in, int out, int flags, String groupColumn) {
        notClosing();
        synchronized (this) {
            return batchLocked(name, data, path, in, out, flags, groupColumn);
        }
    }

    private String batchLocked(byte[] name, byte[] data, byte[] path, int in, int out, int flags, String groupColumn) {
        long h = handle();
        check(Native.evalSetGroupColumn(h, groupColumn == null ? null : Native.utf8(groupColumn, "group column")));
        check(Native.evalSetLanguage(h, rubric.language().code()));
        byte[] b = path != null ? Native.evalBatchFile(h, path, in, out, flags) : Native.evalBatch(h, name, data, in, out, flags);
        if (b == null) throw error(h);
        return Native.str(b);
    }

    /** Frees the native context, after the call in flight (from another thread) if any. Idempotent. */
    @Override
    public void close() {
        closing = true;
        long h;
        synchronized (this) {
            h = handle;
            handle = 0;
        }
        if (h != 0) Native.evalFree(h);
    }
}
