package org.rubric;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tests of the Java binding, run by ctest (no test framework needed):
 *
 *   java -cp rubric-VERSION.jar:rubric-tests.jar org.rubric.RubricTest SOURCE_DIR
 *
 * (the jar with the native libraries inside: nothing else to give, see packaging()).
 *
 * Every expected score is worked out by hand from the rule text, with the arithmetic in a
 * comment. Prints "N passed, N failed"; exits 1 on any failure.
 */
public final class RubricTest {
    private static int passed, failed;

    private static void check(boolean ok, String what) {
        if (ok) {
            ++passed;
        } else {
            ++failed;
            StackTraceElement at = new Throwable().getStackTrace()[1];
            System.err.println("RubricTest.java:" + at.getLineNumber() + ": failed: " + what);
        }
    }

    private static void eq(Object actual, Object expected, String what) {
        check(expected == null ? actual == null : expected.equals(actual),
              what + ": got " + actual + ", expected " + expected);
    }

    /** BigDecimal equality by value (1 == 1.0). */
    private static void num(BigDecimal actual, String expected, String what) {
        check(actual != null && actual.compareTo(new BigDecimal(expected)) == 0,
              what + ": got " + actual + ", expected " + expected);
    }

    private interface Body { void run(); }

    private static RubricException throwsRubric(Body body, String what) {
        try {
            body.run();
        } catch (RubricException e) {
            ++passed;
            return e;
        }
        check(false, what + ": no RubricException");
        return null;
    }

    // The rubric of the C and Python tests.
    static final String TEXT = String.join("\n",
        "rubric \"Java 测试\" { total 11  rounding 2 half_up  missing zero }",
        "section 1 \"法治政府\" 6 {",
        "  item 1.1 \"办结率\" 3 {",
        "    standard \"办结率90％以上（含）的，得3分；80-89％的，得2分；70-79％的，得1分\"",
        "    lead \"市政府办\"",
        "    support \"市司法局\", \"市财政局\"",
        "    input done: count \"办结量\"",
        "    input all: count 0..100000 \"受理总量\"",
        "    ratio rate = done / all \"办结率\"",
        "    score tier >=90%:3 >=80%:2 >=70%:1",
        "  }",
        "  item 1.2 \"完成率\" 2 { input a: count  input b: count  ratio r = a / b  score r * 2 }",
        "  item 1.3 \"程序\" 1 {",
        "    input procedure: choice [完备, 较完备, 不完备] \"程序完备程度\"",
        "    score if procedure == \"完备\" then 1 else if procedure == \"较完备\" then 0.5 else 0",
        "  }",
        "}",
        "item 2 \"评审\" 4 {",
        "  input must_have: bool missing error \"必须提供\"",
        "  input review: judged 0..4 \"评审打分\"",
        "  score if must_have then review else 0",
        "}",
        "item 3 \"领域\" 1 {",
        "  input shares: list of percent \"各领域占比\"",
        "  score each 0.5 max 1 of count d in shares where d > 80%",
        "}",
        "bonus \"附加分\" 2 {",
        "  item \"创新\" 2 { input innovation: judged 0..2  score innovation }",
        "}",
        "task \"任务\" { deadline \"2023年12月\" lead \"市政府办\" }",
        "");

    // Unit A, by hand:
    //   1.1  795 / 1000 = 79.5%: not >= 80%, but >= 70%  → 1
    //   1.2  1/3 × 2                                     → 2/3 (shown 0.67)
    //   1.3  较完备                                       → 0.5
    //   1    1 + 2/3 + 0.5                               → 13/6 (shown 2.17)
    //   2    must_have, so review                        → 3.125 (shown 3.13, half up)
    //   3    90% and 81% are above 80% (80% is not): 2 × 0.5 = 1, max 1 → 1
    //   total 13/6 + 3.125 + 1 = 52/24 + 75/24 + 24/24   → 151/24 (shown 6.29)
    //   bonus 0.5
    static Map<String, String> unitA() {
        Map<String, String> f = new HashMap<>();
        f.put("done", "795");
        f.put("all", "1000");
        f.put("a", "1");
        f.put("b", "3");
        f.put("procedure", "较完备");
        f.put("must_have", "true");
        f.put("review", "3.125");
        f.put("shares", "[90%, 81%, 80%]");
        f.put("innovation", "0.5");
        return f;
    }

    static void structure(Rubric r) {
        eq(r.title(), "Java 测试", "title");
        num(r.totalPoints(), "11", "total points");
        eq(r.displayPlaces(), 2, "display places");
        eq(r.nodes().size(), 9, "node count");
        Node n = r.node("1.1");
        eq(n.kind(), "item", "1.1 kind");
        num(n.points(), "3", "1.1 points");
        eq(n.parent(), 0, "1.1 parent");
        eq(n.lead(), List.of("市政府办"), "lead");
        eq(n.support(), List.of("市司法局", "市财政局"), "support");
        check(n.meta().get("standard").contains("80-89％的，得2分"), "standard text");
        eq(r.node("1").children(), List.of(1, 2, 3), "children of 1");
        eq(r.node("1").parent(), -1, "top level");
        eq(r.node("4").kind(), "bonus", "bonus");
        eq(r.node("5").kind(), "task", "task");
        eq(r.node("5").points(), null, "task points");
        eq(r.node("5").meta().get("deadline"), "2023年12月", "deadline");
        eq(r.inputs().size(), 9, "input count");
        Input all = r.input("all");
        eq(all.type() + " " + all.range() + " " + all.label() + " " + all.node(), "count 0..100000 受理总量 1", "input all");
        eq(r.input("procedure").choices(), List.of("完备", "较完备", "不完备"), "choices");
        check(r.input("must_have").required(), "must_have required");
        check(!r.input("review").required(), "review not required");
        eq(r.input("shares").elementType(), "percent", "list element type");
        check(Rubric.version().matches("\\d+\\.\\d+\\.\\d+"), "version " + Rubric.version());
    }

    static void evaluate(Rubric r) {
        Result res = r.evaluate("单位A", unitA());
        eq(res.entity(), "单位A", "entity");
        num(res.score("1.1"), "1", "1.1");
        eq(res.exact("1.2"), "2/3", "1.2 exact");
        num(res.rounded("1.2"), "0.67", "1.2 rounded");
        try {
            res.score("1.2");
            check(false, "2/3 as an exact BigDecimal should throw");
        } catch (ArithmeticException e) {
            ++passed;
        }
        num(res.score("1.3"), "0.5", "1.3");
        eq(res.exact("1"), "13/6", "1 exact");
        num(res.rounded("1"), "2.17", "1 rounded");
        num(res.score("2"), "3.125", "2 exact");
        num(res.rounded("2"), "3.13", "2 rounded half up");
        num(res.score("3"), "1", "3");
        eq(res.exact("total"), "151/24", "total exact");
        num(res.rounded("total"), "6.29", "total rounded");
        num(res.bonus(), "0.5", "bonus");
        check(!res.exactScores().containsKey("5"), "a task has no score");
        // 151/24 to 10 significant digits: 6.291666667.
        num(new BigDecimal(151).divide(new BigDecimal(24), new MathContext(10)), "6.291666667", "151/24");

        // Only must_have = false and 90 / 100: 90% >= 90% → 3; not must_have → 0; the rest not given → 0.
        Map<String, String> f = new HashMap<>();
        f.put("must_have", "false");
        f.put("done", "90");
        f.put("all", "100");
        f.put("innovation", null);  // null: not given
        num(r.evaluate(f).total(), "3", "defaults total");

        // Bad facts: status, and the message names the fact.
        RubricException e = throwsRubric(() -> r.evaluate(Map.of("must_have", "true", "nope", "1")), "unknown");
        if (e != null) {
            eq(e.status(), RubricException.NOT_FOUND, "unknown status");
            check(e.getMessage().contains("nope"), "unknown message");
        }
        e = throwsRubric(() -> r.evaluate(Map.of("must_have", "true", "review", "4.5")), "out of range");
        if (e != null) eq(e.status(), RubricException.FACT, "range status");
        e = throwsRubric(() -> r.evaluate(Map.of("review", "1")), "missing required");
        if (e != null) check(e.getMessage().contains("must_have"), "missing message");
        try {
            r.evaluate(Map.of("must_have", "tr\0ue"));
            check(false, "a NUL character should be refused");
        } catch (IllegalArgumentException x) {
            ++passed;
        }

        // Explanations: JSON with the entity and every scored node; numbers are strings.
        String json = r.explainJson("单位A", unitA());
        check(json.contains("\"entity\": \"单位A\""), "explain entity");
        check(json.contains("\"code\": \"1.2\""), "explain node");
        try (Evaluation ev = r.newEvaluation()) {
            ev.evaluate("单位A", unitA());
            check(ev.explainText().contains("1.1 办结率"), "explain text");
        }
    }

    static void batch(Rubric r, String root) {
        String csv = "entity,name,done,all,a,b,procedure,must_have,review,shares,innovation\n"
                   + "u1,甲,795,1000,1,3,较完备,true,3.125,90%;81%;80%,0.5\n"
                   + "u2,乙,90,100,,,,false,4,,\n";
        // u1 is unit A (6.29 shown, 151/24 exact); u2: 90% → 3, must_have false → 0, total 3.
        String out = r.evaluateBatch(csv, Rubric.Format.CSV, Rubric.Format.CSV, Rubric.BATCH_EXACT);
        // The last column counts missing facts: u1 gives all nine inputs, u2 leaves a, b,
        // procedure, shares and innovation empty (5).
        check(out.startsWith("entity,name,total,bonus,1,1.1,1.2,1.3,2,3,4,4.1,missing\r\n"), "batch header: " + out);
        check(out.contains("\r\nu1,甲,151/24,0.5,13/6,1,2/3,0.5,3.125,1,0.5,0.5,0\r\n"), "batch u1: " + out);
        check(out.contains("\r\nu2,乙,3,0,3,3,0,0,0,0,0,0,5\r\n"), "batch u2: " + out);
        String jsonl = r.evaluateBatch(csv, Rubric.Format.CSV, Rubric.Format.JSONL, 0);
        check(jsonl.contains("{\"entity\": \"u1\", \"name\": \"甲\", \"total\": \"6.29\""), "jsonl: " + jsonl);
        RubricException e = throwsRubric(() -> r.evaluateBatch("entity,must_have\nx,perhaps\n", Rubric.Format.CSV,
                                                               Rubric.Format.CSV, 0), "bad batch");
        if (e != null) {
            eq(e.status(), RubricException.FACT, "bad batch status");
            check(e.getMessage().contains("<facts>:2:"), "bad batch position: " + e.getMessage());
        }
        // An entity id given twice is refused, as by `rubric eval`: the repeat (line 3, the id
        // cell) and the line of the first are named; no result.
        e = throwsRubric(() -> r.evaluateBatch("entity,must_have\nx,true\nx,false\n", Rubric.Format.CSV,
                                               Rubric.Format.CSV, 0), "duplicate entity");
        if (e != null) {
            eq(e.status(), RubricException.FACT, "duplicate entity status");
            check(e.getMessage().contains("<facts>:3:1: error: entity x is given twice (first on line 2)"),
                  "duplicate entity message: " + e.getMessage());
        }

        try (Rubric g = Rubric.compileFile(Path.of(root, "rubrics", "guanghan-2023.rubric"))) {
            String table = g.evaluateFile(Path.of(root, "rubrics", "samples", "guanghan-2023-units.csv"),
                                          Rubric.Format.CSV, 0);
            eq(table.split("\r\n").length, 13, "header + 12 units");
            // 3.3.3 市民诉求办结率: 90％以上 3分, 80-89％ 2分, 70-79％ 1分, 70％以下 不得分.
            // GH01 3874 / 3990 = 97.1% → 3.  Scored fact by fact here:
            Result one = g.evaluate(Map.of("hotline_completed", "3874", "hotline_accepted", "3990"));
            num(one.score("3.3.3"), "3", "GH01 3.3.3");
            // 120 / 190 = 63.2% → 0;  795 / 1000 = 79.5% → 1.
            num(g.evaluate(Map.of("hotline_completed", "120", "hotline_accepted", "190")).score("3.3.3"), "0", "63%");
            num(g.evaluate(Map.of("hotline_completed", "795", "hotline_accepted", "1000")).score("3.3.3"), "1", "79.5%");
        }
        e = throwsRubric(() -> r.evaluateFile(Path.of(root, "no-such.csv"), Rubric.Format.CSV, 0), "missing file");
        if (e != null) eq(e.status(), RubricException.NOT_FOUND, "missing file status");
    }

    // Cohort rules: item 1 ranks repaid, best first (rank r of n gets 2 - (r - 1) * 2 / (n - 1));
    // item 2 gives 1 point when cost is not above the cohort's mean cost.
    static final String COHORT_TEXT = String.join("\n",
        "rubric \"排名\" { total 3 }",
        "item 1 \"清欠排名\" 2 {",
        "  input repaid: percent \"拖欠账款清偿率\"",
        "  score rank repaid higher linear 2..0",
        "}",
        "item 2 \"行政成本\" 1 {",
        "  input cost: decimal \"行政成本\"",
        "  score if cost <= cohort_mean(cost) then 1",
        "}", "");

    static void cohort(Rubric plain) throws Exception {
        check(!plain.needsCohort(), "the plain rubric needs no cohort");
        try (Rubric r = Rubric.compile(COHORT_TEXT, "cohort.rubric")) {
            check(r.needsCohort(), "needsCohort");
            RubricException e = throwsRubric(() -> r.evaluate("x", Map.of("repaid", "95%", "cost", "3")), "one unit");
            if (e != null) {
                eq(e.status(), RubricException.COHORT, "one unit status");
                eq(e.statusText(), "needs the whole cohort", "one unit status text");
            }

            // One cohort with a tie: repaid j2 95 rank 1, j1 and j3 80 rank 2, j4 70 rank 4, of
            // n = 4: 2 - (r - 1) * 2/3 = 2, 4/3, 4/3, 0. Mean cost (5 + 2 + 8 + 1) / 4 = 4:
            // 5 -> 0, 2 -> 1, 8 -> 0, 1 -> 1. Totals j1 4/3, j2 3, j3 4/3, j4 1.
            String out = r.evaluateBatch("entity,repaid,cost\nj1,80%,5\nj2,95%,2\nj3,80%,8\nj4,70%,1\n",
                                         Rubric.Format.CSV, Rubric.Format.CSV, Rubric.BATCH_EXACT);
            // (Every unit gives both inputs: the missing column is 0.)
            eq(out, "entity,name,total,bonus,1,2,missing\r\nj1,,4/3,0,4/3,0,0\r\nj2,,3,0,2,1,0\r\nj3,,4/3,0,4/3,0,0\r\n"
                    + "j4,,1,0,0,1,0\r\n", "one cohort");

            // Groups: 县区 k3 90, k1 60 rank 1, 2 of n = 2: 2, 0; mean cost (4 + 6) / 2 = 5: k1 4 -> 1,
            // k3 6 -> 0; totals k1 1, k3 2. 市直部门 k2 60, k4 30 rank 1, 2: 2, 0; mean (4 + 2) / 2 = 3:
            // k2 4 -> 0, k4 2 -> 1; totals k2 2, k4 1.
            String groups = "entity,kind,repaid,cost\nk1,县区,60%,4\nk2,市直部门,60%,4\nk3,县区,90%,6\nk4,市直部门,30%,2\n";
            String grouped = r.evaluateBatch(groups, Rubric.Format.CSV, Rubric.Format.CSV, 0, "kind");
            eq(grouped, "entity,name,total,bonus,1,2,missing\r\nk1,,1,0,0,1,0\r\nk2,,2,0,2,0,0\r\nk3,,2,0,2,0,0\r\n"
                        + "k4,,1,0,0,1,0\r\n", "two groups");
            // As one cohort (kind ignored as unknown): 90 k3 rank 1, 60 k1 and k2 rank 2, 30 k4 rank 4
            // of n = 4: 2, 4/3, 4/3, 0; mean cost (4 + 4 + 6 + 2) / 4 = 4: k1 and k2 4 -> 1.
            // k1 = 4/3 + 1 = 7/3, shown 2.33.
            String one = r.evaluateBatch(groups, Rubric.Format.CSV, Rubric.Format.CSV, Rubric.BATCH_ALLOW_UNKNOWN);
            check(one.contains("\r\nk1,,2.33,0,1.33,1,0\r\n"), "one cohort of four: " + one);
            Path file = Files.createTempFile("rubric-cohort", ".csv");
            try {
                Files.writeString(file, groups);
                eq(r.evaluateFile(file, Rubric.Format.CSV, 0, "kind"), grouped, "two groups from a file");
            } finally {
                Files.delete(file);
            }
            e = throwsRubric(() -> r.evaluateBatch(groups, Rubric.Format.CSV, Rubric.Format.CSV, 0, "cost"),
                             "an input as the group column");
            if (e != null) eq(e.status(), RubricException.MISUSE, "group column status");

            // A bad unit takes no part: x (repaid 99%, cost "abc") is skipped; j1 95 and j2 80 rank
            // 1, 2 of n = 2: 2, 0; mean cost (3 + 9) / 2 = 6: 3 -> 1, 9 -> 0. Totals 3, 0.
            // (Had x's 99% been ranked, j1 would be second of 3: 1.)
            out = r.evaluateBatch("entity,repaid,cost\nj1,95%,3\nx,99%,abc\nj2,80%,9\n", Rubric.Format.CSV,
                                  Rubric.Format.CSV, Rubric.BATCH_SKIP_BAD);
            eq(out, "entity,name,total,bonus,1,2,missing\r\nj1,,3,0,2,1,0\r\nj2,,0,0,0,0,0\r\n", "bad unit left out");
        }
    }

    static void compileErrors(String root) {
        String text = "rubric \"检查\" { total 1 }\nitem 1 \"名称\" 1 { input abc: bool  score if abd then 1 }\n";
        RubricException e = throwsRubric(() -> Rubric.compile(text, "check.rubric"), "check error");
        if (e != null) {
            eq(e.status(), RubricException.CHECK, "check status");
            Diagnostic err = e.diagnostics().stream().filter(d -> d.severity().equals("error")).findFirst().orElse(null);
            check(err != null, "an error diagnostic");
            if (err != null) {
                // `abd` is the 43rd character of line 2: `item 1 "名称" 1 { ` is 16 characters (a
                // Chinese character counts one), `input abc: bool  ` 17 more (33), `score if ` 9 (42).
                eq(err.file() + ":" + err.line() + ":" + err.column(), "check.rubric:2:43", "position");
                check(err.message().contains("abd"), "message");
                eq(err.code().charAt(0), 'E', "code");
            }
            check(e.getMessage().contains("check.rubric:2:43"), "rendered message");
        }
        e = throwsRubric(() -> Rubric.compile("rubric \"x\" { total 1 }\nitem 1 \"a\" 1 { score tier >=: }\n"), "syntax");
        if (e != null) {
            eq(e.status(), RubricException.SYNTAX, "syntax status");
            eq(e.diagnostics().get(0).line(), 2, "syntax line");
        }
        String warn = "rubric \"分值不符\" { total 100 }\nitem 1 \"a\" 4 { input a: bool  score if a then 4 }\n";
        try (Rubric w = Rubric.compile(warn)) {
            eq(w.diagnostics().size(), 1, "one warning");
            eq(w.diagnostics().get(0).severity(), "warning", "warning severity");
        }
        throwsRubric(() -> Rubric.compile(warn, "w.rubric", true), "warnings as errors");
        e = throwsRubric(() -> Rubric.compileFile(Path.of(root, "no-such.rubric")), "no file");
        if (e != null) eq(e.status(), RubricException.NOT_FOUND, "no file status");
    }

    static void lifetimeAndThreads() throws Exception {
        Rubric r = Rubric.compile(TEXT);
        Evaluation kept = r.newEvaluation();
        r.close();
        r.close();  // twice is fine
        try {
            r.evaluate(Map.of());
            check(false, "evaluate after close should throw");
        } catch (IllegalStateException e) {
            ++passed;
        }
        // An evaluation made before close keeps working: must_have, review 2 → total 2.
        num(kept.evaluate(null, Map.of("must_have", "true", "review", "2")).total(), "2", "after close");
        kept.close();

        // One rubric, 8 threads at once. Unit k: review = k/4, a = k, b = 16, so
        // 2 = k/4 and 1.2 = k/16 × 2 = k/8; total = k/4 + k/8 = 3k/8.
        try (Rubric shared = Rubric.compile(TEXT)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Boolean>> jobs = new ArrayList<>();
            for (int t = 0; t < 8; ++t) {
                jobs.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int round = 0; round < 50; ++round) {
                        for (int k = 0; k <= 16; ++k) {
                            BigDecimal review = new BigDecimal(k).divide(new BigDecimal(4));
                            Result res = shared.evaluate(Map.of("must_have", "true", "review", review.toPlainString(),
                                                                "a", Integer.toString(k), "b", "16"));
                            BigDecimal want = new BigDecimal(3 * k).divide(new BigDecimal(8));
                            ok &= res.score("total").compareTo(want) == 0;  // exact: total() is rounded
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Boolean> job : jobs) check(job.get(), "a thread got a wrong total");
            pool.shutdown();
        }
    }

    // Issue 18: close while other threads evaluate. Evaluation.close() from another thread freed
    // the native context under the call in flight (a JVM crash, or garbage); now it waits for
    // that call. Every call gives the right total or throws IllegalStateException ("... closed").
    // Rounds of 8 threads on Rubric.evaluate and 1 on a shared Evaluation, bounded in time.
    static void closeDuringConcurrentUse() throws Exception {
        // review 2.5, 1.2 = 1/4 × 2 = 0.5: total 3.
        Map<String, String> facts = Map.of("must_have", "true", "review", "2.5", "a", "1", "b", "4");
        BigDecimal three = new BigDecimal(3);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + 5_000_000_000L;
        int rounds = 0;
        for (; rounds < 20 && System.nanoTime() < deadline; ++rounds) {
            Rubric r = Rubric.compile(TEXT);
            Evaluation shared = r.newEvaluation();
            CyclicBarrier started = new CyclicBarrier(10);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 9; ++t) {
                final boolean useShared = t == 0;
                Thread th = new Thread(() -> {
                    try {
                        started.await();
                    } catch (Exception e) {
                        problems.add(e.toString());
                        return;
                    }
                    for (int i = 0; i < 10_000_000; ++i) {
                        try {
                            Result res = useShared ? shared.evaluate(null, facts) : r.evaluate(facts);
                            if (res.total().compareTo(three) != 0) problems.add("total " + res.total());
                        } catch (IllegalStateException e) {
                            if (!String.valueOf(e.getMessage()).contains("closed")) problems.add(e.toString());
                            return;
                        } catch (RuntimeException e) {
                            problems.add(e.toString());
                            return;
                        }
                    }
                });
                th.setDaemon(true);
                th.start();
                threads.add(th);
            }
            started.await();
            Thread.sleep(3);
            r.close();
            shared.close();
            long end = System.nanoTime() + 5_000_000_000L;
            for (Thread th : threads) {
                th.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                if (th.isAlive()) problems.add("a thread still runs after close");
            }
        }
        check(rounds >= 5, "close during concurrent use: only " + rounds + " rounds");
        eq(problems.size() > 5 ? problems.subList(0, 5) : problems, List.of(), "close during concurrent use");
    }

    // Every call after close throws IllegalStateException, never reaches the native code.
    static void callsAfterClose(String root) {
        Rubric r = Rubric.compile(TEXT);
        Evaluation ev = r.newEvaluation();
        num(ev.evaluate(null, Map.of("must_have", "true", "review", "1")).total(), "1", "before close");
        ev.close();
        ev.close();  // twice is fine
        r.close();
        List<Body> calls = List.of(
            () -> r.evaluate(Map.of("must_have", "true")), () -> r.explainJson(null, Map.of("must_have", "true")),
            () -> r.evaluateBatch("entity,must_have\nx,true\n", Rubric.Format.CSV, Rubric.Format.JSONL, 0),
            () -> r.evaluateFile(Path.of(root, "rubrics", "samples", "guanghan-2023-units.csv"), Rubric.Format.CSV, 0),
            r::newEvaluation, () -> ev.evaluate(null, Map.of("must_have", "true")), ev::explainJson, ev::explainText);
        for (int i = 0; i < calls.size(); ++i) {
            try {
                calls.get(i).run();
                check(false, "call " + i + " after close should throw");
            } catch (IllegalStateException e) {
                check(e.getMessage().contains("closed"), "call " + i + ": " + e.getMessage());
            }
        }
    }

    // Facts are text: hostile numbers are refused by the library from their written size,
    // before any big number is built, fast (issue 18). BigDecimal.toString() keeps the
    // exponent ("1E+999999999"); toPlainString() would write a billion digits first.
    static void hostileNumbers() {
        try (Rubric r = Rubric.compile("item 1 \"x\" 4 { input v: decimal  input w: list of decimal  score 1 }\n")) {
            String[] values = {new BigDecimal("1e999999999").toString(), new BigDecimal("-1e-999999999").toString(),
                               "1e999999999", "9".repeat(100_000), "1" + "0".repeat(2 << 20)};
            int[] status = {RubricException.FACT, RubricException.FACT, RubricException.FACT, RubricException.FACT,
                            RubricException.LIMIT};
            String[] why = {"exponent 999999999 is beyond ±40", "exponent -999999999 is beyond ±40",
                            "exponent 999999999 is beyond ±40", "too many digits (100000 > 40)", "longer than 1048576 bytes"};
            long start = System.nanoTime();
            for (int i = 0; i < values.length; ++i) {
                String v = values[i];
                for (Map<String, String> facts : List.of(Map.of("v", v), Map.of("w", "[1;" + v + "]"))) {
                    RubricException e = throwsRubric(() -> r.evaluate(facts), "hostile value " + i);
                    if (e == null) continue;
                    eq(e.status(), status[i], "hostile value " + i + " status");
                    check(e.getMessage().contains(why[i]), "hostile value " + i + ": " + e.getMessage());
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            check(ms < 2000, "hostile values took " + ms + " ms");
            // At the limit: 40 digits, exponent 40.
            num(r.evaluate(Map.of("v", "9".repeat(40))).total(), "1", "40 digits");
            num(r.evaluate(Map.of("v", new BigDecimal("1e40").toString())).total(), "1", "exponent 40");
        }
    }

    /**
     * What an integrator sees of the package: the jar loaded its own native libraries (no -D
     * path), typed results that never throw for 10/3, warnings, missing facts, Chinese text.
     * Item 1 scores completion × 10 with completion = done / planned: 1 of 3 → 10/3 (shown
     * 3.33, 2 places by default), 3 of 4 → 7.5; `warn … if total < 6` holds for 10/3 and for
     * the unit without `planned` (1/0 is undefined: 0 points).
     */
    static void packaging() {
        check(System.getProperty("rubric.jni.library") == null && System.getenv("RUBRIC_JNI_LIBRARY") == null,
              "no library path was given");
        String text = "rubric \"三分之一\" { total 10 }\n"
                    + "item 1 \"完成率\" 10 {\n  input done: count \"完成数\"\n  input planned: count \"计划数\"\n"
                    + "  ratio completion = done / planned \"完成率\"\n  score completion * 10\n}\n"
                    + "warn \"总分低于6分\" if total < 6\n";
        try (Rubric r = Rubric.compile(text, "third.rubric")) {
            Result third = r.evaluate("a", Map.of("done", "1", "planned", "3"));
            num(third.total(), "3.33", "total() of 10/3 is the rounded value");
            Exact x = third.exactValue("total");
            eq(x.numerator(), java.math.BigInteger.TEN, "10/3 numerator");
            eq(x.denominator(), java.math.BigInteger.valueOf(3), "10/3 denominator");
            check(!x.isTerminating(), "10/3 does not terminate");
            num(x.toBigDecimal(new MathContext(5)), "3.3333", "10/3 to 5 digits");
            eq(x.toString(), "10/3", "10/3 text");
            eq(third.warnings(), List.of("总分低于6分"), "single evaluate: warnings");
            eq(third.missing(), List.of(), "single evaluate: nothing missing");

            List<Result> rs = r.scoreBatch("entity,name,done,planned\nu1,甲,1,3\nu2,乙,3,4\nu3,丙,1,\n",
                                           Rubric.Format.CSV, 0);
            eq(rs.size(), 3, "three results");
            eq(rs.get(0).entity(), "u1", "u1");
            eq(rs.get(0).name(), "甲", "u1 name");
            eq(rs.get(0).exact("total"), "10/3", "u1 exact");
            eq(rs.get(0).warnings(), List.of("总分低于6分"), "u1 warnings");
            num(rs.get(1).total(), "7.5", "u2 total");
            num(rs.get(1).score("total"), "7.5", "u2 exact 7.5");
            eq(rs.get(1).warnings(), List.of(), "u2 no warnings");
            num(rs.get(2).total(), "0", "u3 total");
            eq(rs.get(2).missing(), List.of("planned"), "u3 misses planned");

            List<Result> skipped = r.scoreBatch("entity,done,planned\nb1,many,3\nb2,3,4\n", Rubric.Format.CSV,
                                                Rubric.BATCH_SKIP_BAD);
            check(skipped.get(0).error() != null && skipped.get(0).error().contains("many"), "b1 is skipped");
            num(skipped.get(1).total(), "7.5", "b2 is scored");
        }
        // Chinese: the words come from the message catalog (severity.error is 错误,
        // explain.each-hold is "{total} 项中有 {hits} 项达到").
        RubricException e = throwsRubric(() -> Rubric.compile("item 1 \"x\" 1 { score y }\n", "bad.rubric", false,
                                                              Language.ZH), "a bad rubric, in Chinese");
        if (e != null) check(e.getMessage().contains("bad.rubric:1:22: 错误："), "Chinese diagnostic: " + e.getMessage());
        try (Rubric zh = Rubric.compile("item 1 \"x\" 1 { input a: bool  input b: bool  score each 0.5 }\n", "e.rubric",
                                        false, Language.ZH)) {
            eq(zh.language(), Language.ZH, "language");
            try (Evaluation ev = zh.newEvaluation()) {
                ev.evaluate("u", Map.of("a", "true"));
                check(ev.explainText().contains("2 项中有 1 项达到"), "Chinese explanation");
            }
            e = throwsRubric(() -> zh.scoreBatch("entity,a\nu1,maybe\n", Rubric.Format.CSV, 0), "bad facts, in Chinese");
            if (e != null) check(e.getMessage().contains("错误："), "Chinese facts error: " + e.getMessage());
        }
    }

    // Issue 18, cancellation (rubric_interrupt, rubric_eval_progress_handler). PLAIN scores
    // `done >= 5` as 2 points, else 0; units(n) are JSON lines {"entity": "uK", "done": K % 10}.
    static final String PLAIN = "rubric \"取消\" { total 2 }\n"
        + "item 1 \"办结\" 2 {\n  input done: count \"办结数\"\n  score if done >= 5 then 2 else 0\n}\n";

    static String units(int n) {
        StringBuilder b = new StringBuilder(n * 32);
        for (int k = 0; k < n; ++k) b.append("{\"entity\": \"u").append(k).append("\", \"done\": ").append(k % 10).append("}\n");
        return b.toString();
    }

    /** Starts body on a daemon thread; thrown[0] receives what it threw. */
    static Thread start(Body body, Throwable[] thrown) {
        Thread th = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        th.setDaemon(true);
        th.start();
        return th;
    }

    static void interrupted(Throwable t, String message, String what) {
        check(t instanceof RubricException, what + ": threw " + t);
        if (!(t instanceof RubricException)) return;
        RubricException e = (RubricException) t;
        eq(e.status(), RubricException.INTERRUPTED, what + ": status");
        eq(e.statusText(), "interrupted", what + ": status text");
        check(e.getMessage().contains(message), what + ": message " + e.getMessage());
    }

    // The ten units u0..u9 as CSV: u5..u9 score 2, u0..u4 score 0.
    static void scoresTen(String out, String what) {
        check(out.contains("\r\nu7,,2,0,2,0\r\n") && out.contains("\r\nu4,,0,0,0,0\r\n"), what + ": " + out);
    }

    static void cancellation() throws Exception {
        // 200,000 units: many seconds to score, so an interrupt lands while the batch runs.
        String many = units(200_000);
        String ten = units(10);
        try (Rubric r = Rubric.compile(PLAIN, "cancel.rubric"); Evaluation ev = r.newEvaluation()) {
            // Evaluation.interrupt() from this thread while another scores the long batch. The
            // progress handler only says that the batch has begun (asked every 100 units: 2,000
            // times if it ran to the end).
            java.util.concurrent.CountDownLatch begun = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            ev.setProgressHandler(100, () -> {
                asked.incrementAndGet();
                begun.countDown();
                return false;
            });
            Throwable[] thrown = new Throwable[1];
            long t0 = System.nanoTime();
            Thread worker = start(() -> ev.evaluateBatch(many, Rubric.Format.JSONL, Rubric.Format.CSV, 0, null), thrown);
            check(begun.await(60, java.util.concurrent.TimeUnit.SECONDS), "the long batch began");
            ev.interrupt();
            worker.join(60_000);
            check(!worker.isAlive(), "the interrupted batch still runs after 60 s");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            interrupted(thrown[0], "rubric_interrupt", "interrupt from another thread");
            check(asked.get() >= 1 && asked.get() < 2000, "cut short: the handler was asked " + asked.get() + " times");
            System.out.println("cancellation: the batch of 200,000 units was interrupted after about "
                               + asked.get() * 100 + " units, " + ms + " ms");
            // The same context scores again, and nothing of the interrupt is left over.
            ev.setProgressHandler(1, null);
            scoresTen(ev.evaluateBatch(ten, Rubric.Format.JSONL, Rubric.Format.CSV, 0, null), "after the interrupt");
            num(ev.evaluate("x", Map.of("done", "5")).total(), "2", "evaluate after the interrupt");

            // Sent with no call running: the next call is cancelled (evaluate checks before it
            // scores), the one after is not.
            ev.interrupt();
            interrupted(throwsRubric(() -> ev.evaluate("x", Map.of("done", "5")), "pending interrupt"),
                        "rubric_interrupt", "pending interrupt");
            num(ev.evaluate("x", Map.of("done", "6")).total(), "2", "the call after the pending interrupt");

            // The progress handler: asked every 10 of 100 units, 10 times; cancelling on the third.
            int[] calls = {0};
            ev.setProgressHandler(10, () -> ++calls[0] < 0);
            ev.evaluateBatch(units(100), Rubric.Format.JSONL, Rubric.Format.CSV, 0, null);
            eq(calls[0], 10, "handler calls for 100 units every 10");
            calls[0] = 0;
            ev.setProgressHandler(10, () -> ++calls[0] == 3);
            interrupted(throwsRubric(() -> ev.evaluateBatch(units(100), Rubric.Format.JSONL, Rubric.Format.CSV, 0, null),
                                     "cancelled by the handler"), "progress handler", "cancelled by the handler");
            eq(calls[0], 3, "handler calls until it cancelled");
            // evaluate asks once, before it scores.
            calls[0] = 0;
            ev.setProgressHandler(1000, () -> ++calls[0] > 0);
            interrupted(throwsRubric(() -> ev.evaluate("x", Map.of("done", "9")), "evaluate cancelled"),
                        "progress handler", "evaluate cancelled by the handler");
            eq(calls[0], 1, "evaluate asks the handler once");

            // A deadline 100 ms away, on the long batch: cancelled within seconds.
            long end = System.nanoTime() + 100_000_000L;
            ev.setProgressHandler(50, () -> System.nanoTime() > end);
            long t1 = System.nanoTime();
            interrupted(throwsRubric(() -> ev.evaluateBatch(many, Rubric.Format.JSONL, Rubric.Format.CSV, 0, null),
                                     "deadline"), "progress handler", "deadline");
            long took = (System.nanoTime() - t1) / 1_000_000;
            check(took < 10_000, "a 100 ms deadline stopped the batch after " + took + " ms");

            // A handler that throws cancels the call, and its exception is what the caller gets.
            ev.setProgressHandler(10, () -> { throw new IllegalStateException("the user pressed Cancel"); });
            try {
                ev.evaluateBatch(units(100), Rubric.Format.JSONL, Rubric.Format.CSV, 0, null);
                check(false, "a throwing handler should cancel the batch");
            } catch (IllegalStateException e) {
                eq(e.getMessage(), "the user pressed Cancel", "the handler's exception");
            }
            ev.setProgressHandler(10, null);
            scoresTen(ev.evaluateBatch(ten, Rubric.Format.JSONL, Rubric.Format.CSV, 0, null), "after a throwing handler");

            // Rubric.interrupt() cancels the rubric's own calls in flight (each has its own context).
            Throwable[] fromRubric = new Throwable[1];
            Thread w = start(() -> r.evaluateBatch(many, Rubric.Format.JSONL, Rubric.Format.CSV, 0), fromRubric);
            for (long stop = System.nanoTime() + 60_000_000_000L; w.isAlive() && System.nanoTime() < stop; ) {
                r.interrupt();
                w.join(5);
            }
            check(!w.isAlive(), "Rubric.interrupt: the batch still runs after 60 s");
            interrupted(fromRubric[0], "rubric_interrupt", "Rubric.interrupt");
            num(r.evaluate(Map.of("done", "7")).total(), "2", "the rubric scores after Rubric.interrupt");
            r.interrupt();  // nothing running: the next call is not affected
            num(r.evaluate(Map.of("done", "8")).total(), "2", "Rubric.interrupt with nothing running");
        }
        // interrupt() after close does nothing.
        Rubric r = Rubric.compile(PLAIN);
        Evaluation closed = r.newEvaluation();
        closed.close();
        closed.interrupt();
        r.close();
        r.interrupt();
        ++passed;
    }

    // A section `by` an attribute: each unit is scored by its own case; the other case's items do
    // not apply to it (absent, not 0).
    static final String CASES = String.join("\n",
        "rubric \"适用\" { total 100 }",
        "input kind: choice [water \"县水利局\", road \"县交通局\"] \"责任单位\"",
        "section 1 \"共性\" 40 { item 1.1 \"报送\" 40 { input on_time: percent  score 40 * on_time } }",
        "section 2 \"履职\" 60 by kind {",
        "  case water { item 2.1 \"档案\" 60 { input files: bool  score if files then 60 } }",
        "  case road { item 2.2 \"评价\" 60 { input rated: percent  score 60 * rated } }",
        "}",
        "");

    static void cases() {
        try (Rubric r = Rubric.compile(CASES, "cases.rubric")) {
            // The 水利局: 40 × 50% = 20; files → 60; section 2 is its case's 60; total 80.
            Result w = r.evaluate("水利局", Map.of("kind", "water", "on_time", "50%", "files", "true"));
            num(w.score("1.1"), "20", "cases: 1.1");
            num(w.score("2.1"), "60", "cases: 2.1 for water");
            num(w.score("2"), "60", "cases: 2 for water");
            num(w.total(), "80", "cases: total for water");
            check(w.exactScores().containsKey("2.2") && w.exactScores().get("2.2") == null, "cases: 2.2 is there, as null, for water");
            try {
                w.score("2.2");
                check(false, "cases: 2.2 should not apply to the water unit");
            } catch (NoSuchElementException e) {
                check(e.getMessage().contains("does not apply"), "cases: says it does not apply: " + e.getMessage());
            }
            // The 交通局 by its label: 40 × 75% = 30; 60 × 50% = 30; total 60.
            Result d = r.evaluate("交通局", Map.of("kind", "县交通局", "on_time", "75%", "rated", "50%"));
            num(d.score("2.2"), "30", "cases: 2.2 for road");
            num(d.total(), "60", "cases: total for road");
            try {
                d.rounded("2.1");
                check(false, "cases: 2.1 should not apply to the road unit");
            } catch (NoSuchElementException e) {
                check(e.getMessage().contains("does not apply"), "cases: rounded says it does not apply: " + e.getMessage());
            }
            try {
                d.score("9.9");
                check(false, "cases: an unknown code");
            } catch (NoSuchElementException e) {
                check(e.getMessage().contains("no node has the code"), "cases: an unknown code is not 'does not apply'");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String root = args.length > 0 ? args[0] : ".";
        try (Rubric r = Rubric.compile(TEXT, "test.rubric")) {
            structure(r);
            evaluate(r);
            batch(r, root);
            cohort(r);
        }
        compileErrors(root);
        cases();
        lifetimeAndThreads();
        closeDuringConcurrentUse();
        callsAfterClose(root);
        hostileNumbers();
        cancellation();
        packaging();
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
