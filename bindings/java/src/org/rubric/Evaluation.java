package org.rubric;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * An evaluation context: the facts and scores of one unit at a time, reusable. Meant for one
 * thread at a time ({@link Rubric#evaluate} makes one per call). It keeps what it needs of the
 * rubric, so it stays usable after the Rubric is closed.
 *
 * <p>Its calls are serialised (synchronized), so misuse from several threads is slow rather
 * than a crash, and {@link #close} may be called from any thread at any time: it refuses new
 * calls at once, waits for the call in flight, then frees the native context. A call after
 * close throws IllegalStateException ("the evaluation is closed").
 *
 * <p>Cancelling (rubric_interrupt, rubric_eval_progress_handler): {@link #interrupt} from any
 * thread, or a progress handler ({@link #setProgressHandler}: a deadline, a Cancel button).
 * A cancelled call throws {@link RubricException} with status {@link RubricException#INTERRUPTED}
 * and gives no result; the evaluation stays usable, and the next call runs normally. The batch
 * calls are cancelled between units (they check before each unit they read), a single
 * {@link #evaluate} before it scores (one unit's work is bounded by the eval_steps limit).
 *
 * <pre>{@code
 * try (Evaluation ev = rubric.newEvaluation()) {
 *     long end = System.nanoTime() + 2_000_000_000L;            // a 2 s deadline
 *     ev.setProgressHandler(100, () -> System.nanoTime() > end);
 *     cancelButton.onClick(ev::interrupt);                      // or from another thread
 *     String csv = ev.evaluateFile(Path.of("units.csv"), Rubric.Format.CSV, 0, null);
 * } catch (RubricException e) {
 *     if (e.status() == RubricException.INTERRUPTED) ...        // "interrupted (rubric_interrupt)"
 * }
 * }</pre>
 */
public final class Evaluation implements AutoCloseable {
    private final Rubric rubric;
    private long handle;  // guarded by this
    // Set by close() before it waits for the monitor: a thread calling in a loop would take the
    // monitor again first (monitors are not fair), and close() could wait for many calls.
    private volatile boolean closing;
    // interrupt() reads the handle from here, not under the monitor (which the call it cancels
    // holds); close() clears it under interruptLock before it frees the native context.
    private final Object interruptLock = new Object();
    private long interruptible;  // guarded by interruptLock
    private BooleanSupplier progress;  // guarded by this
    private long progressSlot;         // guarded by this; 0 until a handler is first set

    Evaluation(Rubric rubric, long handle) {
        this.rubric = rubric;
        this.handle = handle;
        this.interruptible = handle;
    }

    /**
     * Cancels the call running on this evaluation, from any thread (rubric_interrupt): that
     * call throws RubricException with status INTERRUPTED. With no call running, the next call
     * is cancelled instead, at its first check (an interrupt racing with the start of a call is
     * never lost), and the one after runs. Does not wait for the call. On a closed evaluation
     * it does nothing.
     */
    public void interrupt() {
        synchronized (interruptLock) {
            if (interruptible != 0) Native.evalInterrupt(interruptible);
        }
    }

    /**
     * Sets the progress handler (rubric_eval_progress_handler): {@code cancel} is called on the
     * calling thread, inside the calls of this evaluation, after every {@code every} units
     * read by the batch calls ({@link #evaluateBatch}, {@link #evaluateFile}; a cohort's units
     * are read twice, or more in stages) and once by {@link #evaluate} before it scores. Returning true cancels
     * the call (RubricException, status INTERRUPTED); an exception thrown by {@code cancel}
     * cancels it too and is what the caller gets. It must not call this evaluation. Null
     * removes the handler; {@code every} below 1 is taken as 1. It applies from the next call (it
     * waits for a call in flight on another thread). A deadline:
     * {@code long end = System.nanoTime() + limit; ev.setProgressHandler(100, () -> System.nanoTime() > end)}.
     */
    public void setProgressHandler(int every, BooleanSupplier cancel) {
        notClosing();
        synchronized (this) {
            long h = handle();
            if (cancel != null && progressSlot == 0) {
                progressSlot = Native.progressNew();
                if (progressSlot == 0) throw new OutOfMemoryError("rubric: no memory for a progress handler");
            }
            check(Native.evalSetProgress(h, progressSlot, Math.max(1, every), cancel != null));
            progress = cancel;
        }
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
        check(Native.evalRun(h, progressSlot, progress));
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

    /**
     * Scores every unit of a facts buffer in one call, as {@link Rubric#evaluateBatch(String,
     * Rubric.Format, Rubric.Format, int, String)} does, on this evaluation: so it can be
     * cancelled ({@link #interrupt}, {@link #setProgressHandler}).
     */
    public String evaluateBatch(String data, Rubric.Format in, Rubric.Format out, int flags, String groupColumn) {
        return batch(Native.utf8("<facts>", "name"), Native.utf8(data, "data"), null, in.ordinal(), out.ordinal(), flags,
                     groupColumn);
    }

    /** As {@link Rubric#evaluateFile(Path, Rubric.Format, int, String)}, on this evaluation (cancellable). */
    public String evaluateFile(Path path, Rubric.Format out, int flags, String groupColumn) {
        return batch(null, null, Native.utf8(path.toString(), "path"), Rubric.Format.AUTO.ordinal(), out.ordinal(), flags,
                     groupColumn);
    }

    /** As {@link Rubric#scoreBatch(String, Rubric.Format, int, String)}, on this evaluation (cancellable). */
    public List<Result> scoreBatch(String data, Rubric.Format in, int flags, String groupColumn) {
        return Rubric.results(evaluateBatch(data, in, Rubric.Format.JSONL, flags & ~Rubric.BATCH_EXACT, groupColumn));
    }

    /** As {@link Rubric#scoreFile(Path, int, String)}, on this evaluation (cancellable). */
    public List<Result> scoreFile(Path path, int flags, String groupColumn) {
        return Rubric.results(evaluateFile(path, Rubric.Format.JSONL, flags & ~Rubric.BATCH_EXACT, groupColumn));
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
        byte[] b = path != null ? Native.evalBatchFile(h, path, in, out, flags, progressSlot, progress)
                                : Native.evalBatch(h, name, data, in, out, flags, progressSlot, progress);
        if (b == null) throw error(h);
        return Native.str(b);
    }

    /** Frees the native context, after the call in flight (from another thread) if any. Idempotent. */
    @Override
    public void close() {
        closing = true;
        long h, slot;
        synchronized (this) {
            h = handle;
            handle = 0;
            slot = progressSlot;
            progressSlot = 0;
        }
        synchronized (interruptLock) {
            interruptible = 0;
        }
        if (h != 0) Native.evalFree(h);
        if (slot != 0) Native.progressFree(slot);  // after the context that points to it
    }
}
