package org.rubric;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An evaluation context: the facts and scores of one unit at a time, reusable. Not
 * thread-safe: one per thread ({@link Rubric#evaluate} makes one per call). It keeps what it
 * needs of the rubric, so it stays usable after the Rubric is closed.
 */
public final class Evaluation implements AutoCloseable {
    private final Rubric rubric;
    private long handle;

    Evaluation(Rubric rubric, long handle) {
        this.rubric = rubric;
        this.handle = handle;
    }

    private long handle() {
        if (handle == 0) throw new IllegalStateException("the evaluation is closed");
        return handle;
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
        long h = handle();
        check(Native.evalReset(h));
        if (entity != null) check(Native.evalSetEntity(h, Native.utf8(entity, "entity")));
        for (Map.Entry<String, String> f : facts.entrySet()) {
            if (f.getValue() == null) continue;
            check(Native.evalSetFact(h, Native.utf8(f.getKey(), "fact name"), Native.utf8(f.getValue(), "fact value")));
        }
        check(Native.evalRun(h));
        Map<String, String> exact = new LinkedHashMap<>(), rounded = new LinkedHashMap<>();
        for (Node n : rubric.nodes()) {
            if (n.kind().equals("task")) continue;
            put(h, n.index(), n.code(), exact, rounded);
        }
        put(h, -1, "total", exact, rounded);
        put(h, -2, "bonus", exact, rounded);
        return new Result(entity, exact, rounded);
    }

    private void put(long h, long node, String key, Map<String, String> exact, Map<String, String> rounded) {
        byte[][] s = Native.evalScore(h, node);
        if (s == null) throw error(h);
        exact.put(key, Native.str(s[0]));
        rounded.put(key, Native.str(s[1]));
    }

    /** How every point of the last evaluate() came about, as JSON (numbers are strings). */
    public String explainJson() { return explain(true); }

    /** The same as text for people. */
    public String explainText() { return explain(false); }

    private String explain(boolean json) {
        byte[] b = Native.evalExplain(handle(), json);
        if (b == null) throw error(handle);
        return Native.str(b);
    }

    String batch(byte[] name, byte[] data, byte[] path, int in, int out, int flags, String groupColumn) {
        long h = handle();
        check(Native.evalSetGroupColumn(h, groupColumn == null ? null : Native.utf8(groupColumn, "group column")));
        byte[] b = path != null ? Native.evalBatchFile(h, path, in, out, flags) : Native.evalBatch(h, name, data, in, out, flags);
        if (b == null) throw error(h);
        return Native.str(b);
    }

    @Override
    public void close() {
        long h = handle;
        handle = 0;
        if (h != 0) Native.evalFree(h);
    }
}
