package org.rubric;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A compiled rubric: immutable and shareable between threads. {@link #evaluate} may be
 * called from any number of threads at once (each call has its own native context, freed
 * when the call returns). Close it to release the native program (evaluations already made
 * stay usable): {@link #close} may run while other threads evaluate; the calls in flight
 * finish with their own context, and every later call throws IllegalStateException ("the
 * rubric is closed").
 *
 * <p>Facts are text. A number is refused by the library from its written size before any
 * big number is built (more digits than the number_digits limit, an exponent past
 * number_exponent, a value longer than 1 MiB), so pass a {@code BigDecimal} as
 * {@code toString()} ("1E+999999999" is refused at once), never {@code toPlainString()},
 * which writes every digit out first; likewise check a {@code BigInteger}'s
 * {@code bitLength()} before its {@code toString()}.
 *
 * <pre>{@code
 * try (Rubric r = Rubric.compileFile(Path.of("rubrics/guanghan-2023.rubric"))) {
 *     Result res = r.evaluate("GH01", Map.of("hotline_completed", "795", "hotline_accepted", "1000"));
 *     BigDecimal item = res.score("3.3.3");      // exact; res.rounded("total") for display
 * } catch (RubricException e) {
 *     e.diagnostics();                           // every diagnostic, with line and column
 * }
 * }</pre>
 */
public final class Rubric implements AutoCloseable {
    /** Facts and result formats of the batch calls. */
    public enum Format { AUTO, CSV, JSON, JSONL }

    public static final int BATCH_SKIP_BAD = 1, BATCH_ALLOW_UNKNOWN = 2, BATCH_EXACT = 4;

    private static final String[] META = {"requirement", "standard", "method", "evidence", "owners", "deadline",
                                          "measures", "note"};
    private static final String[] KINDS = {"section", "item", "bonus", "task", "adjustments"};
    private static final String[] SEVERITIES = {"error", "warning", "note"};

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // The contexts of the calls in flight of this rubric's own methods, for interrupt().
    private final Set<Evaluation> running = ConcurrentHashMap.newKeySet();
    private long handle;
    private final String title;
    private final BigDecimal totalPoints;
    private final int displayPlaces;
    private final boolean needsCohort;
    private final List<Node> nodes;
    private final List<Input> inputs;
    private final List<Diagnostic> diagnostics;
    private final Language language;
    private final Map<String, Node> byCode = new LinkedHashMap<>();
    private final Map<String, Input> byName = new LinkedHashMap<>();

    /** The library's version, "X.Y.Z". */
    public static String version() { return Native.str(Native.version()); }

    /**
     * Compiles rubric text; the name is shown in diagnostics. Throws RubricException with every
     * diagnostic. {@code language} is that of the text that comes back for people: the
     * diagnostics (of the exception too), explanations and batch messages.
     */
    public static Rubric compile(String text, String name, boolean warningsAsErrors, Language language) {
        int[] status = new int[1];
        long h = Native.compile(Native.utf8(name == null ? "<input>" : name, "name"), Native.utf8(text, "text"),
                                warningsAsErrors ? 1 : 0, status);
        return new Rubric(h, status[0], language);
    }

    public static Rubric compile(String text, String name, boolean warningsAsErrors) {
        return compile(text, name, warningsAsErrors, Language.EN);
    }

    public static Rubric compile(String text, String name) { return compile(text, name, false); }

    public static Rubric compile(String text) { return compile(text, null, false); }

    /** Reads and compiles the rubric at {@code path}. */
    public static Rubric compileFile(Path path) { return compileFile(path, Language.EN); }

    /** Reads and compiles the rubric at {@code path}; its text for people in {@code language}. */
    public static Rubric compileFile(Path path, Language language) {
        int[] status = new int[1];
        long h = Native.compileFile(Native.utf8(path.toString(), "path"), 0, status);
        return new Rubric(h, status[0], language);
    }

    private Rubric(long h, int status, Language language) {
        if (h == 0) throw new RubricException(status, Native.str(Native.statusString(status)));
        this.language = java.util.Objects.requireNonNull(language, "language");
        int lang = language.code();
        try {
            List<Diagnostic> diags = new ArrayList<>();
            long n = Native.programInt(h, Native.DIAG_COUNT, 0, 0);
            for (long i = 0; i < n; ++i) {
                diags.add(new Diagnostic(SEVERITIES[(int) Native.programInt(h, Native.DIAG_SEVERITY, i, 0)],
                        s(h, Native.DIAG_FILE, i, 0), (int) Native.programInt(h, Native.DIAG_LINE, i, 0),
                        (int) Native.programInt(h, Native.DIAG_COLUMN, i, 0), s(h, Native.DIAG_CODE, i, 0),
                        text(h, 2, i, lang), s(h, Native.DIAG_EXPECTED, i, 0), text(h, 1, i, lang)));
            }
            if (status != 0) {
                String rendered = text(h, 0, 0, lang);
                throw new RubricException(status, rendered.isEmpty() ? s(h, Native.ERRMSG, 0, 0) : rendered, diags);
            }
            diagnostics = List.copyOf(diags);
            title = s(h, Native.TITLE, 0, 0);
            totalPoints = new BigDecimal(s(h, Native.TOTAL_POINTS, 0, 0));
            displayPlaces = (int) Native.programInt(h, Native.DISPLAY_PLACES, 0, 0);
            needsCohort = Native.programInt(h, Native.NEEDS_COHORT, 0, 0) == 1;
            List<Node> ns = new ArrayList<>();
            long count = Native.programInt(h, Native.NODE_COUNT, 0, 0);
            for (long i = 0; i < count; ++i) {
                List<Integer> children = new ArrayList<>();
                for (long j = 0, c = Native.programInt(h, Native.NODE_CHILD_COUNT, i, 0); j < c; ++j)
                    children.add((int) Native.programInt(h, Native.NODE_CHILD, i, j));
                Map<String, String> meta = new LinkedHashMap<>();
                for (int f = 0; f < META.length; ++f) meta.put(META[f], s(h, Native.NODE_META, i, f));
                String points = s(h, Native.NODE_POINTS, i, 0);
                Node node = new Node((int) i, s(h, Native.NODE_CODE, i, 0), s(h, Native.NODE_NAME, i, 0),
                        KINDS[(int) Native.programInt(h, Native.NODE_KIND, i, 0)],
                        points.isEmpty() ? null : new BigDecimal(points),
                        (int) Native.programInt(h, Native.NODE_PARENT, i, 0), List.copyOf(children),
                        Collections.unmodifiableMap(meta), owners(h, i, 0), owners(h, i, 1));
                ns.add(node);
                byCode.put(node.code(), node);
            }
            nodes = List.copyOf(ns);
            List<Input> is = new ArrayList<>();
            count = Native.programInt(h, Native.INPUT_COUNT, 0, 0);
            for (long i = 0; i < count; ++i) {
                List<String> choices = new ArrayList<>();
                for (long j = 0, c = Native.programInt(h, Native.INPUT_CHOICE_COUNT, i, 0); j < c; ++j)
                    choices.add(s(h, Native.INPUT_CHOICE, i, j));
                Input in = new Input((int) i, s(h, Native.INPUT_NAME, i, 0), s(h, Native.INPUT_TYPE, i, 0),
                        s(h, Native.INPUT_ELEMENT_TYPE, i, 0), s(h, Native.INPUT_LABEL, i, 0),
                        s(h, Native.INPUT_RANGE, i, 0), Native.programInt(h, Native.INPUT_REQUIRED, i, 0) == 1,
                        (int) Native.programInt(h, Native.INPUT_NODE, i, 0), List.copyOf(choices));
                is.add(in);
                byName.put(in.name(), in);
            }
            inputs = List.copyOf(is);
        } catch (RuntimeException | Error e) {
            Native.programFree(h);
            throw e;
        }
        handle = h;
    }

    private static String text(long h, int what, long i, int language) {
        String v = Native.str(Native.programText(h, what, i, language));
        return v == null ? "" : v;
    }

    private static String s(long h, int what, long i, long j) {
        String v = Native.str(Native.programString(h, what, i, j));
        return v == null ? "" : v;
    }

    private static List<String> owners(long h, long node, int role) {
        List<String> out = new ArrayList<>();
        for (long j = 0, c = Native.programInt(h, Native.NODE_OWNER_COUNT, node, role); j < c; ++j)
            out.add(s(h, role == 0 ? Native.NODE_LEAD : Native.NODE_SUPPORT, node, j));
        return List.copyOf(out);
    }

    public String title() { return title; }
    public BigDecimal totalPoints() { return totalPoints; }
    public int displayPlaces() { return displayPlaces; }
    /**
     * True when the rubric scores a unit against the other units ({@code rank}, cohort_mean
     * ...): such units are scored only together, by {@link #evaluateBatch} or
     * {@link #evaluateFile} (one cohort per call, or per group); {@link #evaluate} throws
     * RubricException with status COHORT.
     */
    public boolean needsCohort() { return needsCohort; }
    public List<Node> nodes() { return nodes; }
    public List<Input> inputs() { return inputs; }
    /** Warnings and notes of the compile. */
    public List<Diagnostic> diagnostics() { return diagnostics; }

    public Node node(String code) {
        Node n = byCode.get(code);
        if (n == null) throw new NoSuchElementException("no node has the code " + code);
        return n;
    }

    public Input input(String name) {
        Input in = byName.get(name);
        if (in == null) throw new NoSuchElementException("no input is named " + name);
        return in;
    }

    /** A new evaluation context, for one thread at a time. */
    public Evaluation newEvaluation() {
        lock.readLock().lock();
        try {
            if (handle == 0) throw new IllegalStateException("the rubric is closed");
            int[] status = new int[1];
            long ev = Native.evalNew(handle, status);
            if (ev == 0) throw new RubricException(status[0], Native.str(Native.statusString(status[0])));
            return new Evaluation(this, ev);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Scores one unit (thread-safe). Facts are text; see {@link Evaluation#evaluate}. */
    public Result evaluate(String entity, Map<String, String> facts) {
        try (Evaluation ev = newEvaluation()) {
            running.add(ev);
            try {
                return ev.evaluate(entity, facts);
            } finally {
                running.remove(ev);
            }
        }
    }

    public Result evaluate(Map<String, String> facts) { return evaluate(null, facts); }

    /** How every point came about, as JSON (numbers are strings, never binary floating point). */
    public String explainJson(String entity, Map<String, String> facts) {
        try (Evaluation ev = newEvaluation()) {
            running.add(ev);
            try {
                ev.evaluate(entity, facts);
                return ev.explainJson();
            } finally {
                running.remove(ev);
            }
        }
    }

    /**
     * Scores every unit of a facts buffer (CSV with a header row, JSON or JSON lines) in one
     * call; returns JSON lines (one object per unit) or CSV. flags: BATCH_*. A cohort rubric
     * ({@link #needsCohort}) ranks the units of the call together, as one cohort. Bad facts, and
     * an entity id given twice, throw {@link RubricException} ({@code FACT}) with the diagnostics
     * unless {@code BATCH_SKIP_BAD} (then the bad units, and each repeat of an id, are skipped).
     */
    public String evaluateBatch(String data, Format in, Format out, int flags) {
        return evaluateBatch(data, in, out, flags, null);
    }

    /**
     * As {@link #evaluateBatch(String, Format, Format, int)}, with each unit's group in the
     * facts column {@code groupColumn} (not an input; null: none): the units of a cohort rubric
     * are ranked within their group (市直部门, 县区 ...). The column is not written out.
     */
    public String evaluateBatch(String data, Format in, Format out, int flags, String groupColumn) {
        try (Evaluation ev = newEvaluation()) {
            running.add(ev);
            try {
                return ev.evaluateBatch(data, in, out, flags, groupColumn);
            } finally {
                running.remove(ev);
            }
        }
    }

    /** As evaluateBatch, reading the facts file at {@code path} (format by extension). */
    public String evaluateFile(Path path, Format out, int flags) {
        return evaluateFile(path, out, flags, null);
    }

    /** As evaluateFile, with a group column (see {@link #evaluateBatch(String, Format, Format, int, String)}). */
    public String evaluateFile(Path path, Format out, int flags, String groupColumn) {
        try (Evaluation ev = newEvaluation()) {
            running.add(ev);
            try {
                return ev.evaluateFile(path, out, flags, groupColumn);
            } finally {
                running.remove(ev);
            }
        }
    }

    /** The language of the text that comes back for people (given when compiled). */
    public Language language() { return language; }

    /**
     * Scores every unit of a facts buffer in one call, as {@link #evaluateBatch}, and returns
     * one Result per unit in input order (with BATCH_SKIP_BAD, a skipped unit has only its
     * {@link Result#error}). Warnings and missing facts are in each Result.
     */
    public List<Result> scoreBatch(String data, Format in, int flags, String groupColumn) {
        return results(evaluateBatch(data, in, Format.JSONL, flags & ~BATCH_EXACT, groupColumn));
    }

    public List<Result> scoreBatch(String data, Format in, int flags) { return scoreBatch(data, in, flags, null); }

    /** As {@link #scoreBatch}, reading the facts file at {@code path} (format by extension). */
    public List<Result> scoreFile(Path path, int flags, String groupColumn) {
        return results(evaluateFile(path, Format.JSONL, flags & ~BATCH_EXACT, groupColumn));
    }

    public List<Result> scoreFile(Path path, int flags) { return scoreFile(path, flags, null); }

    /**
     * Cancels the calls of this rubric's own methods that are running now ({@link #evaluate},
     * {@link #evaluateBatch}, {@link #evaluateFile}, {@link #scoreBatch} ..., from any thread):
     * each throws RubricException with status INTERRUPTED (rubric_interrupt). Calls that start
     * afterwards run normally; an {@link Evaluation} made with {@link #newEvaluation} has its own
     * {@link Evaluation#interrupt} (and a progress handler for deadlines).
     */
    public void interrupt() {
        for (Evaluation ev : running) ev.interrupt();
    }

    static List<Result> results(String jsonLines) {
        List<Result> out = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            if (!line.isEmpty()) out.add(Result.fromJson(line));
        }
        return out;
    }

    /** Releases the native program; waits for a newEvaluation in flight. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != 0) Native.programFree(handle);
            handle = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
