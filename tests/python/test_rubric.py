"""Tests of the Python binding (bindings/python/rubric), run by ctest:

    RUBRIC_LIBRARY=build/bindings/librubric.so PYTHONPATH=bindings/python \
        python3 -m unittest discover -s tests/python -v

Every expected score is worked out by hand from the rule text, with the arithmetic in a
comment. RUBRIC_SOURCE_DIR (default: two levels up) locates rubrics/.
"""
import csv
import decimal
import fractions
import os
import tempfile
import threading
import time
import unittest

import rubric

D = decimal.Decimal
F = fractions.Fraction
ROOT = os.environ.get("RUBRIC_SOURCE_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
GUANGHAN = os.path.join(ROOT, "rubrics", "guanghan-2023.rubric")
GUANGHAN_UNITS = os.path.join(ROOT, "rubrics", "samples", "guanghan-2023-units.csv")

# A rubric with every kind of node and input type (the C test uses the same one).
TEXT = """rubric "Python 测试" { total 11  rounding 2 half_up  missing zero }

section 1 "法治政府" 6 {
  item 1.1 "办结率" 3 {
    standard "办结率90％以上（含）的，得3分；80-89％的，得2分；70-79％的，得1分"
    lead "市政府办"
    support "市司法局", "市财政局"
    input done: count "办结量"
    input all: count 0..100000 "受理总量"
    ratio rate = done / all "办结率"
    score tier >=90%:3 >=80%:2 >=70%:1
  }
  item 1.2 "完成率" 2 {
    input a: count
    input b: count
    ratio r = a / b
    score r * 2
  }
  item 1.3 "程序" 1 {
    input procedure: choice [完备, 较完备, 不完备] "程序完备程度"
    score if procedure == "完备" then 1 else if procedure == "较完备" then 0.5 else 0
  }
}
item 2 "评审" 4 {
  input must_have: bool missing error "必须提供"
  input review: judged 0..4 "评审打分"
  score if must_have then review else 0
}
item 3 "领域" 1 {
  input shares: list of percent "各领域占比"
  score each 0.5 max 1 of count d in shares where d > 80%
}
bonus "附加分" 2 {
  item "创新" 2 { input innovation: judged 0..2  score innovation }
}
task "任务" { deadline "2023年12月" lead "市政府办" }
"""

# Unit A, scored by hand:
#   1.1  795 / 1000 = 79.5%: not >= 80%, but >= 70%           → 1
#   1.2  a / b = 1/3; × 2                                     → 2/3 (shown 0.67)
#   1.3  较完备                                                → 0.5
#   1    1 + 2/3 + 0.5                                        → 13/6 (shown 2.17)
#   2    must_have, so review                                 → 3.125 (shown 3.13, half up)
#   3    shares above 80%: 90% and 81% (80% is not above) = 2; 2 × 0.5 = 1, max 1 → 1
#   total 13/6 + 3.125 + 1 = 52/24 + 75/24 + 24/24            → 151/24 (shown 6.29)
#   bonus 创新 0.5 (cap 2)                                     → 0.5
UNIT_A = {"done": 795, "all": "1000", "a": 1, "b": 3, "procedure": "较完备", "must_have": True,
          "review": D("3.125"), "shares": ["90%", "81%", "80%"], "innovation": "0.5"}


class StructureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = rubric.Rubric(TEXT, "test.rubric")

    def test_header(self):
        self.assertEqual(self.r.title, "Python 测试")
        self.assertEqual(self.r.total_points, D(11))
        self.assertEqual(self.r.display_places, 2)
        self.assertEqual(self.r.diagnostics, [])

    def test_nodes(self):
        self.assertEqual([n.code for n in self.r.nodes], ["1", "1.1", "1.2", "1.3", "2", "3", "4", "4.1", "5"])
        self.assertEqual([n.kind for n in self.r.nodes],
                         ["section", "item", "item", "item", "item", "item", "bonus", "item", "task"])
        n = self.r.node("1.1")
        self.assertEqual((n.name, n.points, n.parent), ("办结率", D(3), 0))
        self.assertEqual(n.lead, ["市政府办"])
        self.assertEqual(n.support, ["市司法局", "市财政局"])
        self.assertIn("80-89％的，得2分", n.meta["standard"])
        self.assertEqual(self.r.node("1").children, [1, 2, 3])
        self.assertIsNone(self.r.node("1").parent)
        self.assertIsNone(self.r.node("5").points)
        self.assertEqual(self.r.node("5").meta["deadline"], "2023年12月")
        with self.assertRaises(KeyError):
            self.r.node("9.9")

    def test_inputs(self):
        self.assertEqual(len(self.r.inputs), 9)
        i = self.r.input("all")
        self.assertEqual((i.type, i.label, i.range, i.node), ("count", "受理总量", (D(0), D(100000)), 1))
        self.assertIsNone(self.r.input("done").range)
        self.assertEqual(self.r.input("procedure").choices, ["完备", "较完备", "不完备"])
        self.assertTrue(self.r.input("must_have").required)
        self.assertFalse(self.r.input("review").required)
        self.assertEqual((self.r.input("shares").type, self.r.input("shares").element_type), ("list", "percent"))

    def test_version(self):
        self.assertRegex(rubric.version(), r"^\d+\.\d+\.\d+$")


class EvaluateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = rubric.Rubric(TEXT, "test.rubric")

    def test_unit_a(self):
        res = self.r.evaluate(UNIT_A, entity="单位A")
        self.assertEqual(res["1.1"], D(1))
        self.assertEqual(res["1.2"], F(2, 3))
        self.assertIsInstance(res["1.2"], F)  # no finite decimal form: a Fraction
        self.assertEqual(res["1.3"], D("0.5"))
        self.assertEqual(res["1"], F(13, 6))
        self.assertEqual(res["2"], D("3.125"))
        self.assertIsInstance(res["2"], D)
        self.assertEqual(res["3"], D(1))
        self.assertEqual(res.total, F(151, 24))
        self.assertEqual(res.bonus, D("0.5"))
        self.assertEqual((res.rounded["1.2"], res.rounded["1"], res.rounded["2"], res.rounded["total"]),
                         ("0.67", "2.17", "3.13", "6.29"))
        self.assertNotIn("5", res.scores)  # a task has no score

    def test_defaults_and_reuse(self):
        # Only must_have = False and 1.1's facts: 90 / 100 = 90% >= 90% → 3; item 2: not must_have → 0;
        # a, b missing → 0/0 undefined → 0; no choice → 0; no shares → 0. Total 3.
        res = self.r.evaluate({"must_have": False, "done": 90, "all": 100, "review": 4, "innovation": None})
        self.assertEqual((res.total, res["1.1"], res["2"]), (D(3), D(3), D(0)))
        # The same thread's context is reused: nothing of the previous unit remains.
        # must_have, review 2 → item 2 = 2; everything else not given → 0. Total 2.
        self.assertEqual(self.r.evaluate({"must_have": "是", "review": 2}).total, D(2))

    def test_exact_inputs(self):
        # review = 1/8 = 0.125 exactly; total = 0.125 (every other item has no facts).
        self.assertEqual(self.r.evaluate({"must_have": True, "review": F(1, 8)}).total, D("0.125"))
        # review = 0.1 + 0.2 as Decimals is exactly 0.3.
        self.assertEqual(self.r.evaluate({"must_have": True, "review": D("0.1") + D("0.2")}).total, D("0.3"))
        with self.assertRaises(rubric.FactError):
            self.r.evaluate({"must_have": True, "review": F(1, 3)})  # no exact decimal text

    def test_float_refused(self):
        # README / package docstring: a float is never a fact (0.1 is not 1/10), wherever it is.
        with self.assertRaises(TypeError) as cm:
            self.r.evaluate({"must_have": True, "review": 0.5})
        self.assertIn("float", str(cm.exception))
        with self.assertRaises(TypeError):
            self.r.evaluate({"must_have": True, "shares": [D("0.5"), 0.5]})
        with self.assertRaises(TypeError):
            self.r.evaluate_many([{"must_have": True, "review": 0.5}])


    def test_bad_facts(self):
        with self.assertRaises(rubric.FactError) as cm:
            self.r.evaluate({"must_have": True, "no_such_input": 1})
        self.assertEqual(cm.exception.status, 4)  # RUBRIC_ERROR_NOT_FOUND
        self.assertIn("no_such_input", str(cm.exception))
        with self.assertRaises(rubric.FactError) as cm:
            self.r.evaluate({"must_have": True, "review": "4.5"})  # judged 0..4
        self.assertEqual(cm.exception.status, 3)  # RUBRIC_ERROR_FACT
        with self.assertRaises(rubric.FactError):
            self.r.evaluate({"must_have": True, "procedure": "很完备"})
        with self.assertRaises(rubric.FactError) as cm:
            self.r.evaluate({"review": 1})  # must_have is `missing error`
        self.assertIn("must_have", str(cm.exception))
        with self.assertRaises(ValueError):
            self.r.evaluate({"must_have": "tr\0ue"})

    def test_explain(self):
        ex = self.r.explain(UNIT_A, entity="单位A")
        self.assertEqual(ex["entity"], "单位A")
        self.assertEqual([n["code"] for n in ex["nodes"]], ["1", "1.1", "1.2", "1.3", "2", "3", "4", "4.1"])

        def no_float(x):
            if isinstance(x, dict):
                return all(no_float(v) for v in x.values())
            if isinstance(x, list):
                return all(no_float(v) for v in x)
            return not isinstance(x, float)
        self.assertTrue(no_float(ex))
        text = self.r.explain(UNIT_A, entity="单位A", as_text=True)
        self.assertIn("单位A", text)
        self.assertIn("1.1 办结率", text)


class BatchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = rubric.Rubric(TEXT, "test.rubric")

    def test_many_matches_single(self):
        units = [dict(UNIT_A, entity="u1", name="甲"),
                 {"entity": "u2", "must_have": False, "done": 90, "all": 100},
                 {"must_have": True, "review": "1", "shares": [D("0.9"), "95%"]}]
        results = self.r.evaluate_many(units)
        self.assertEqual([x.entity for x in results], ["u1", "u2", "3"])
        self.assertEqual(results[0].name, "甲")
        self.assertEqual(results[0].total, F(151, 24))  # unit A, by hand above
        self.assertEqual(results[1].total, D(3))        # 90% → 3, must_have false → 0
        # review 1 → 1; shares 90%, 95% both above 80% → 2 × 0.5 = 1. Total 2.
        self.assertEqual(results[2].total, D(2))
        # The season run's missing facts: u1 gives all nine inputs; u2 gives must_have, done and
        # all, so a, b, procedure, review, shares and innovation are missing, in declaration order.
        self.assertEqual(results[0].missing, [])
        self.assertEqual(results[1].missing, ["a", "b", "procedure", "review", "shares", "innovation"])
        for unit, batch in zip(units, results):
            single = self.r.evaluate({k: v for k, v in unit.items() if k not in ("entity", "name")})
            self.assertEqual(batch.scores, single.scores)
            self.assertEqual(batch.rounded, single.rounded)

    def test_bad_units(self):
        units = [{"entity": "ok", "must_have": True}, {"entity": "bad", "must_have": "perhaps"}]
        with self.assertRaises(rubric.FactError) as cm:
            self.r.evaluate_many(units)
        self.assertIn("bad", str(cm.exception))
        results = self.r.evaluate_many(units, skip_bad=True)
        self.assertEqual([(x.entity, x.error is None) for x in results], [("ok", True), ("bad", False)])
        self.assertIn("perhaps", results[1].error)
        with self.assertRaises(rubric.FactError):
            self.r.evaluate_many([{"must_have": True, "extra": 1}])
        self.assertEqual(len(self.r.evaluate_many([{"must_have": True, "extra": 1}], allow_unknown=True)), 1)

    def test_duplicate_entity(self):
        # An entity id given twice is refused, as by `rubric eval`: the message names the id,
        # the repeat's place (<units> line 3, column 12: the "entity" value) and the first line.
        # The second unit's default id is its position, "2", which the third gives too.
        units = [{"entity": "u1", "must_have": True}, {"must_have": True}, {"entity": 2, "must_have": False}]
        with self.assertRaises(rubric.FactError) as cm:
            self.r.evaluate_many(units)
        self.assertEqual(cm.exception.status, rubric._capi.ERROR_FACT)
        self.assertIn("<units>:3:12: error: entity 2 is given twice (first on line 2)", str(cm.exception))
        results = self.r.evaluate_many(units, skip_bad=True)
        self.assertEqual([(x.entity, x.error is None) for x in results], [("u1", True), ("2", True), ("2", False)])
        self.assertIn("given twice", results[2].error)

    def test_guanghan_file(self):
        r = rubric.Rubric.from_file(GUANGHAN)
        results = r.evaluate_file(GUANGHAN_UNITS)
        self.assertEqual([x.entity for x in results], ["GH%02d" % i for i in range(1, 13)])
        by_id = {x.entity: x for x in results}
        # 3.3.3 市民诉求办结率: 90％以上 3分, 80-89％ 2分, 70-79％ 1分, 70％以下 不得分.
        # GH01: 3874 / 3990 = 97.1% → 3.  GH09: 120 / 190 = 63.2% → 0.
        self.assertEqual(by_id["GH01"]["3.3.3"], D(3))
        self.assertEqual(by_id["GH09"]["3.3.3"], D(0))
        # The file in one call equals the rows one by one.
        with open(GUANGHAN_UNITS, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                facts = {k: (v or None) for k, v in row.items() if k not in ("entity", "name")}
                self.assertEqual(r.evaluate(facts).scores, by_id[row["entity"]].scores, row["entity"])
        r.close()


# Cohort rules: item 1 ranks repaid, best first (rank r of n gets 2 - (r - 1) * 2 / (n - 1));
# item 2 gives 1 point when cost is not above the cohort's mean cost.
COHORT_TEXT = """rubric "排名" { total 3 }
item 1 "清欠排名" 2 {
  input repaid: percent "拖欠账款清偿率"
  score rank repaid higher linear 2..0
}
item 2 "行政成本" 1 {
  input cost: decimal "行政成本"
  score if cost <= cohort_mean(cost) then 1
}
"""


class CohortTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = rubric.Rubric(COHORT_TEXT, "cohort.rubric")

    def test_needs_cohort(self):
        self.assertTrue(self.r.needs_cohort)
        self.assertFalse(rubric.Rubric(TEXT).needs_cohort)

    def test_one_unit_alone_is_refused(self):
        with self.assertRaises(rubric.RubricError) as cm:
            self.r.evaluate({"repaid": "95%", "cost": 3})
        self.assertEqual(cm.exception.status, rubric._capi.ERROR_COHORT)
        self.assertEqual(cm.exception.status_text, "needs the whole cohort")
        self.assertIn("rubric_eval_batch", str(cm.exception))

    def test_one_cohort_with_a_tie(self):
        # repaid 95, 90, 90, 80 rank 1, 2, 2, 4 of n = 4: 2 - (r - 1) * 2/3 = 2, 4/3, 4/3, 0.
        # Mean cost (3 + 6 + 9 + 4) / 4 = 5.5: 3 -> 1, 6 -> 0, 9 -> 0, 4 -> 1.
        # Totals: u1 3, u2 4/3, u3 4/3, u4 1.
        results = self.r.evaluate_many([
            {"entity": "u1", "repaid": D("0.95"), "cost": 3},
            {"entity": "u2", "repaid": "90%", "cost": 6},
            {"entity": "u3", "repaid": "90%", "cost": D("9")},
            {"entity": "u4", "repaid": "80%", "cost": 4}])
        self.assertEqual([(x.entity, x["1"], x["2"], x.total) for x in results],
                         [("u1", D(2), D(1), D(3)), ("u2", F(4, 3), D(0), F(4, 3)),
                          ("u3", F(4, 3), D(0), F(4, 3)), ("u4", D(0), D(1), D(1))])
        self.assertEqual(results[1].rounded["total"], "1.33")

    def test_groups_are_ranked_apart(self):
        units = [{"entity": "a1", "kind": "市直部门", "repaid": "95%", "cost": 3},
                 {"entity": "b1", "kind": "县区", "repaid": "70%", "cost": 10},
                 {"entity": "a2", "kind": "市直部门", "repaid": "90%", "cost": 6},
                 {"entity": "b2", "kind": "县区", "repaid": "50%", "cost": 20},
                 {"entity": "a3", "kind": "市直部门", "repaid": "85%", "cost": 9}]
        # 市直部门: 95, 90, 85 rank 1, 2, 3 of n = 3: 2, 1, 0; mean cost 6: 3, 6 -> 1, 9 -> 0.
        #   Totals a1 3, a2 2, a3 0.
        # 县区: 70, 50 rank 1, 2 of n = 2: 2, 0; mean cost 15: 10 -> 1, 20 -> 0. Totals b1 3, b2 0.
        grouped = self.r.evaluate_many(units, group_column="kind")
        self.assertEqual([(x.entity, x.total) for x in grouped],
                         [("a1", D(3)), ("b1", D(3)), ("a2", D(2)), ("b2", D(0)), ("a3", D(0))])
        # One cohort of five (kind is then an unknown field): 95, 90, 85, 70, 50 rank a1 1, a2 2,
        # a3 3, b1 4, b2 5: 2 - (r - 1) / 2 = 2, 1.5, 1, 0.5, 0; mean cost 48/5 = 9.6:
        # 3, 6, 9 -> 1; 10, 20 -> 0. Totals a1 3, b1 0.5, a2 2.5, b2 0, a3 2.
        with self.assertRaises(rubric.FactError):
            self.r.evaluate_many(units)
        one = self.r.evaluate_many(units, allow_unknown=True)
        self.assertEqual([(x.entity, x.total) for x in one],
                         [("a1", D(3)), ("b1", D("0.5")), ("a2", D("2.5")), ("b2", D(0)), ("a3", D(2))])
        # The same through a file.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "units.csv")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write("entity,kind,repaid,cost\n")
                for u in units:
                    f.write("%s,%s,%s,%s\n" % (u["entity"], u["kind"], u["repaid"], u["cost"]))
            from_file = self.r.evaluate_file(path, group_column="kind")
        self.assertEqual([(x.entity, x.scores) for x in from_file], [(x.entity, x.scores) for x in grouped])
        with self.assertRaises(rubric.RubricError) as cm:
            self.r.evaluate_many(units, group_column="cost")  # an input cannot be the group column
        self.assertEqual(cm.exception.status, rubric._capi.ERROR_MISUSE)

    def test_bad_unit_is_not_ranked(self):
        # u1 95 and u2 80 rank 1, 2 of n = 2: 2, 0; mean cost (3 + 9) / 2 = 6: 3 -> 1, 9 -> 0.
        # Totals u1 3, u2 0. (Had bad's cost 100 counted, the mean 112/3 would give u2 1.)
        results = self.r.evaluate_many([{"entity": "u1", "repaid": "95%", "cost": 3},
                                        {"entity": "bad", "repaid": "perhaps", "cost": 100},
                                        {"entity": "u2", "repaid": "80%", "cost": 9}], skip_bad=True)
        self.assertEqual([(x.entity, x.error is None, x.scores.get("total")) for x in results],
                         [("u1", True, D(3)), ("bad", False, None), ("u2", True, D(0))])


class CompileErrorTest(unittest.TestCase):
    def test_check_error_positions(self):
        text = 'rubric "检查" { total 1 }\nitem 1 "名称" 1 { input abc: bool  score if abd then 1 }\n'
        with self.assertRaises(rubric.CompileError) as cm:
            rubric.Rubric(text, "check.rubric")
        e = cm.exception
        self.assertEqual(e.status, 2)  # RUBRIC_ERROR_CHECK
        errors = [d for d in e.diagnostics if d.severity == "error"]
        self.assertEqual(len(errors), 1)
        # `abd` is the 43rd character of line 2: `item 1 "名称" 1 { ` is 16 characters (each
        # Chinese character counts one), `input abc: bool  ` 17 more (33), `score if ` 9 (42).
        self.assertEqual((errors[0].file, errors[0].line, errors[0].column), ("check.rubric", 2, 43))
        self.assertIn("abd", errors[0].message)
        self.assertIn("abc", errors[0].expected)  # did you mean
        self.assertIn("check.rubric:2:43", str(e))
        self.assertTrue(any(d.severity == "warning" for d in e.diagnostics))  # abc is never used

    def test_syntax_error(self):
        with self.assertRaises(rubric.CompileError) as cm:
            rubric.Rubric('rubric "x" { total 1 }\nitem 1 "a" 1 { score tier >=: }\n', "bad.rubric")
        self.assertEqual(cm.exception.status, 1)  # RUBRIC_ERROR_SYNTAX
        self.assertEqual(cm.exception.diagnostics[0].line, 2)

    def test_warnings_as_errors(self):
        text = 'rubric "分值不符" { total 100 }\nitem 1 "a" 4 { input a: bool  score if a then 4 }\n'
        r = rubric.Rubric(text)  # 4 ≠ 100: a warning only
        self.assertEqual([d.severity for d in r.diagnostics], ["warning"])
        with self.assertRaises(rubric.CompileError):
            rubric.Rubric(text, werror=True)

    def test_files(self):
        self.assertEqual(rubric.Rubric.from_file(os.path.join(ROOT, "rubrics", "examples", "tier.rubric")).title,
                         "示例：分档计分")
        with self.assertRaises(FileNotFoundError):
            rubric.Rubric.from_file(os.path.join(ROOT, "no-such.rubric"))
        with self.assertRaises(TypeError):
            rubric.Rubric(b"bytes are not text")


class LimitsTest(unittest.TestCase):
    # "item 1 "x" 100 { input a: count  score " is 39 characters: an expression starts at column 40.
    HEAD = 'item 1 "x" 100 { input a: count  score '

    def test_defaults_and_unknown_names(self):
        r = rubric.Rubric(self.HEAD + "a }\n")
        self.assertEqual(r.limits, {"source_bytes": 16 << 20, "nesting": 64, "nodes": 100000, "exprs": 1000000,
                                    "number_digits": 40, "number_exponent": 40, "facts_bytes": 64 << 20,
                                    "json_depth": 32, "fields": 10000, "eval_steps": 10000000})
        with self.assertRaises(ValueError):
            rubric.Rubric(self.HEAD + "a }\n", limits={"depth": 3})
        with self.assertRaises(rubric.CompileError) as cm:
            rubric.Rubric(self.HEAD + "a }\n", limits={"nesting": 1001})
        self.assertEqual(cm.exception.status, 5)  # RUBRIC_ERROR_MISUSE

    def test_nesting_at_and_past(self):
        def nested(n):
            return self.HEAD + "(" * n + "a" + ")" * n + " }\n"
        r = rubric.Rubric(nested(10), limits={"nesting": 10})
        self.assertEqual(r.limits["nesting"], 10)
        with self.assertRaises(rubric.CompileError) as cm:
            rubric.Rubric(nested(11), "deep.rubric", limits={"nesting": 10})
        self.assertEqual(cm.exception.status, 7)  # RUBRIC_ERROR_LIMIT
        d = cm.exception.diagnostics[0]
        # the content of the 11th bracket: column 40 + 11
        self.assertEqual((d.code, d.line, d.column), ("E-limit-nesting", 1, 51))

    def test_eval_steps_at_and_past(self):
        # count d in xs where d > 80%: 2 instructions plus one per element.
        r = rubric.Rubric('item 1 "x" 100 { input xs: list of percent  score count d in xs where d > 80% }\n',
                          limits={"eval-steps": 7})
        self.assertEqual(r.evaluate({"xs": [D("0.9")] * 5}).total, 5)
        with self.assertRaises(rubric.RubricError) as cm:
            r.evaluate({"xs": [D("0.9")] * 6})
        self.assertEqual(cm.exception.status, 7)
        self.assertIn("8 steps, more than the limit of 7", str(cm.exception))


class HostileNumbersTest(unittest.TestCase):
    """Numbers are refused by their size before they are written out as text (issue 18:
    Decimal('1e999999999') took 10 s and 1.9 GB, Fraction(1, 2**3000000) more than 30 s)."""

    RUBRIC = 'item 1 "x" 4 { input v: decimal  input w: list of decimal  score 1 }\n'

    def refused(self, r, value, limit=40):
        start = time.monotonic()
        for facts in ({"v": value}, {"w": [1, value]}):
            with self.assertRaises(rubric.FactError) as cm:
                r.evaluate(facts)
            self.assertEqual(cm.exception.status, 3)  # RUBRIC_ERROR_FACT
            # The binding's own message: refused before the text was made.
            self.assertIn("digits written out, more than the limit of %d (number_digits)" % limit, str(cm.exception))
            self.assertIn("fact `%s`" % next(iter(facts)), str(cm.exception))
        with self.assertRaises(rubric.FactError):
            r.evaluate_many([{"v": value}], skip_bad=True)
        self.assertLess(time.monotonic() - start, 1.0)

    def test_hostile_values_refused_fast(self):
        r = rubric.Rubric(self.RUBRIC)
        # (The cheapest for the old code first: it wrote 10**7 digits, then the library refused
        # them as a value longer than 1 MiB, RubricError ERROR_LIMIT.)
        for value in (D("1e9999999"), D("1e999999999"), D("-1e-999999999"), D("9" * 100000),
                      D((0, (0,), -10**9)), F(1, 2 ** 3000000), F(3 ** 2000000, 7), 10 ** 10 ** 6, -(2 ** 200)):
            self.refused(r, value)
        r.close()

    def test_at_the_limit(self):
        r = rubric.Rubric(self.RUBRIC)
        self.assertEqual(r.limits["number_digits"], 40)
        # 40 digits written out are within the limit, 41 are not.
        for ok in (D("1e39"), D("1e-39"), 10 ** 40 - 1, F(1, 2 ** 39), D("0E+100")):
            self.assertEqual(r.evaluate({"v": ok}).total, D(1), ok)
        for bad in (D("1e40"), D("1e-40"), 10 ** 40, F(1, 2 ** 40), D("1.0000000000000000000000000000000000000000")):
            self.refused(r, bad)
        # The rubric's own limit is used, not a fixed one.
        wide = rubric.Rubric(self.RUBRIC, limits={"number_digits": 100})
        self.assertEqual(wide.evaluate({"v": D("1e99")}).total, D(1))
        self.refused(wide, D("1e100"), 100)

    def test_fraction_stays_exact(self):
        # 36 significant digits: past decimal's default 28-digit context, which rounded this
        # Fraction to 1.000000000000000000000000000E+30 (so v == ... was false).
        r = rubric.Rubric('item 1 "x" 4 { input v: decimal\n'
                          '  score if v == 1000000000000000000000000000000.00001 then 1 else 0 }\n')
        self.assertEqual(r.evaluate({"v": F(10 ** 35 + 1, 10 ** 5)}).total, D(1))
        self.assertEqual(r.evaluate({"v": F(10 ** 35, 10 ** 5)}).total, D(0))

class LifetimeAndThreadsTest(unittest.TestCase):
    def test_close(self):
        r = rubric.Rubric(TEXT)
        ev = r.new_evaluation()
        with r:
            self.assertEqual(r.evaluate({"must_have": True, "review": 1}).total, D(1))
        with self.assertRaises(rubric.RubricError) as cm:
            r.evaluate({"must_have": True})
        self.assertEqual(cm.exception.status, 5)  # RUBRIC_ERROR_MISUSE
        r.close()  # twice is fine
        # An evaluation made before keeps working: review 2 → total 2.
        self.assertEqual(ev.evaluate({"must_have": True, "review": 2}).total, D(2))
        ev.close()
        with self.assertRaises(rubric.RubricError):
            ev.evaluate({})

    def test_threads_share_one_rubric(self):
        r = rubric.Rubric(TEXT)
        # Unit k: must_have, review = k/4 (0 .. 4), a = k, b = 16: 1.2 = k/16 × 2 = k/8.
        # Total = k/4 + k/8 = 3k/8.
        facts = [{"must_have": True, "review": str(D(k) / 4), "a": k, "b": 16}
                 for k in range(17)]
        want = [F(3 * k, 8) for k in range(17)]
        got = {}

        def work(t):
            out = []
            for _ in range(20):
                out.append([r.evaluate(f).total for f in facts])
            got[t] = out

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(got), 8)
        for t in range(8):
            for run in got[t]:
                self.assertEqual(run, want)
        r.close()

    def test_close_during_concurrent_evaluation(self):
        # Issue 18: close() freed the per-thread contexts under the threads still evaluating
        # (wrong errors such as "NULL rubric_eval handle", garbage, a segfault in one run of
        # six). Now close() waits for the calls in flight; each call gives the right total or
        # raises "the rubric is closed", never anything else. 25 rounds of 8 threads.
        facts = {"must_have": True, "review": "2.5", "a": 1, "b": 4}  # 2.5 + 1/4 × 2 = 3
        problems = []
        deadline = time.monotonic() + 8
        for _ in range(25):
            if time.monotonic() > deadline:
                break
            r = rubric.Rubric(TEXT)
            ev = r.new_evaluation()  # also closed from another thread while in use
            started = threading.Barrier(10)

            def work(use_ev=False):
                started.wait()
                for _ in range(100000):
                    try:
                        res = ev.evaluate(facts) if use_ev else r.evaluate(facts)
                        if res.total != D(3):
                            problems.append("total %s" % res.total)
                    except rubric.RubricError as e:
                        if e.status != 5 or "closed" not in str(e):
                            problems.append("%s (status %d)" % (e, e.status))
                        return
                    except Exception as e:  # pragma: no cover
                        problems.append(repr(e))
                        return

            threads = [threading.Thread(target=work) for _ in range(8)]
            threads.append(threading.Thread(target=work, args=(True,)))
            for t in threads:
                t.start()
            started.wait()
            time.sleep(0.005)
            r.close()
            ev.close()
            end = time.monotonic() + 5
            for t in threads:
                t.join(max(0.0, end - time.monotonic()))
                self.assertFalse(t.is_alive())
        self.assertEqual(problems, [])

    def test_calls_after_close_raise(self):
        r = rubric.Rubric(TEXT)
        r.evaluate({"must_have": True})  # this thread has a context
        ev = r.new_evaluation()
        ev.close()
        r.close()
        calls = [lambda: r.evaluate({"must_have": True}), lambda: r.explain({"must_have": True}),
                 lambda: r.evaluate_many([{"must_have": True}]), lambda: r.evaluate_file(GUANGHAN_UNITS),
                 lambda: r.new_evaluation(), lambda: r.limits, lambda: ev.evaluate({}), lambda: ev.result(),
                 lambda: ev.explain()]
        for call in calls:
            with self.assertRaises(rubric.RubricError) as cm:
                call()
            self.assertEqual(cm.exception.status, 5)  # RUBRIC_ERROR_MISUSE
            self.assertIn("closed", str(cm.exception))
        # A thread that never evaluated before the close is refused too.
        errors = []

        def late():
            try:
                r.evaluate({"must_have": True})
            except rubric.RubricError as e:
                errors.append(str(e))
        t = threading.Thread(target=late)
        t.start()
        t.join()
        self.assertEqual(errors, ["the rubric is closed"])

    def test_thread_churn_keeps_memory_flat(self):
        # Issue 18: each thread's context was kept until close() (10,000 short-lived threads:
        # +214 MB). A context now dies with its thread: the live count stays at 0 after the
        # threads are joined, and RSS does not grow with their number.
        r = rubric.Rubric.from_file(GUANGHAN)
        live = getattr(r, "_live_contexts", None) or (lambda: len(r._contexts))  # (old code: a list)

        def rss_mib():
            try:
                with open("/proc/self/status") as f:
                    return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))
            except OSError:
                return None

        def one():
            r.evaluate({})

        for _ in range(200):  # warm up the allocator
            t = threading.Thread(target=one)
            t.start()
            t.join()
        before = rss_mib()
        for _ in range(2000):  # about 40 MB of contexts in the old code
            t = threading.Thread(target=one)
            t.start()
            t.join()
        after = rss_mib()
        self.assertEqual(live(), 0)
        if before is not None:
            self.assertLess(after - before, 16, "RSS grew from %d to %d MiB" % (before, after))
        r.evaluate({})  # this thread's own context lives on until close()
        self.assertEqual(live(), 1)
        r.close()
        self.assertEqual(live(), 0)


class LanguageTest(unittest.TestCase):
    """lang="zh": the words come from the message catalogs (include/rubric/impl/messages_zh.inl:
    severity.error is 错误, explain.each-hold is "{total} 项中有 {hits} 项达到")."""
    EACH = 'item 1 "x" 1 { input a: bool  input b: bool  score each 0.5 }\n'

    def test_compile_error_in_chinese(self):
        with self.assertRaises(rubric.CompileError) as cm:
            rubric.Rubric('item 1 "x" 1 { score y }\n', name="bad.rubric", lang="zh")
        self.assertIn("bad.rubric:1:22: 错误：", str(cm.exception))
        self.assertIn("错误：", cm.exception.diagnostics[0].rendered)
        with self.assertRaises(rubric.CompileError) as cm:
            rubric.Rubric('item 1 "x" 1 { score y }\n', name="bad.rubric")
        self.assertIn("bad.rubric:1:22: error:", str(cm.exception))

    def test_explain_in_chinese(self):
        r = rubric.Rubric(self.EACH, lang="zh")
        self.assertIn("2 项中有 1 项达到", r.explain({"a": True}, as_text=True))
        self.assertNotIn("项中有", r.explain({"a": True}, as_text=True, lang="en"))
        english = rubric.Rubric(self.EACH)
        self.assertIn("2 项中有 1 项达到", english.explain({"a": True}, as_text=True, lang="zh"))

    def test_batch_messages_in_chinese(self):
        r = rubric.Rubric(self.EACH)
        with self.assertRaises(rubric.FactError) as cm:
            r.evaluate_many([{"entity": "u1", "a": "maybe"}], lang="zh")
        self.assertIn("错误：", str(cm.exception))
        bad, good = r.evaluate_many([{"entity": "u1", "a": "maybe"}, {"entity": "u2", "a": True}],
                                    skip_bad=True, lang="zh")
        self.assertIn("错误：", bad.error)
        self.assertEqual(good.total, decimal.Decimal("0.5"))

    def test_unknown_language(self):
        with self.assertRaises(ValueError):
            rubric.Rubric(self.EACH, lang="fr")
        with self.assertRaises(ValueError):
            rubric.Rubric(self.EACH).explain({}, lang="EN")


class PackageVersionTest(unittest.TestCase):
    def test_version_agrees_with_the_library(self):
        with open(os.path.join(ROOT, "include", "rubric", "version.hpp"), encoding="utf-8") as f:
            text = f.read()
        parts = [text.split("#define RUBRIC_VERSION_%s " % k)[1].split()[0] for k in ("MAJOR", "MINOR", "PATCH")]
        self.assertEqual(rubric.__version__, ".".join(parts))


class InterruptTest(unittest.TestCase):
    """Evaluation.interrupt(): sent with no call running, it cancels the next call
    (ERROR_INTERRUPTED), and the call after that scores; interrupting a closed evaluation is
    harmless. (A call cancelled while it runs on another thread: tests/c_api/cancel_test.c.)"""
    TEXT = 'rubric "中断" { total 2 }\nitem 1 "办结" 2 { input done: count  score if done >= 5 then 2 }\n'

    def test_interrupt(self):
        r = rubric.Rubric(self.TEXT)
        ev = r.new_evaluation()
        ev.interrupt()
        with self.assertRaises(rubric.RubricError) as cm:
            ev.evaluate({"done": 7})
        self.assertEqual(cm.exception.status, rubric._capi.ERROR_INTERRUPTED)
        self.assertEqual(cm.exception.status_text, "interrupted")
        self.assertEqual(ev.evaluate({"done": 7}).total, 2)
        ev.close()
        ev.interrupt()


class ProgressHandlerTest(unittest.TestCase):
    """Evaluation.set_progress_handler(every, fn): fn runs after every `every` units a batch
    reads; a true result cancels the batch (ERROR_INTERRUPTED, no results), an exception from fn
    cancels it and is raised in its place; the context scores the same batch afterwards, and
    None removes the handler. 2,000 units, each 2 points when done >= 5: done = k % 10 gives
    2 × (number of k in 0..1999 with k % 10 >= 5) = 2 × 1000 = 2000 points in all."""
    TEXT = 'rubric "进度" { total 2 }\nitem 1 "办结" 2 { input done: count  score if done >= 5 then 2 }\n'
    UNITS = [{"entity": "u%d" % k, "done": k % 10} for k in range(2000)]

    def test_cancel_by_result(self):
        ev = rubric.Rubric(self.TEXT).new_evaluation()
        calls = []
        ev.set_progress_handler(100, lambda: calls.append(1) or len(calls) == 3)
        with self.assertRaises(rubric.RubricError) as cm:
            ev.evaluate_many(self.UNITS)
        self.assertEqual(cm.exception.status, rubric._capi.ERROR_INTERRUPTED)
        self.assertEqual(len(calls), 3)  # stopped at the call that said so
        ev.set_progress_handler(100, None)
        results = ev.evaluate_many(self.UNITS)
        self.assertEqual(len(results), 2000)
        self.assertEqual(sum(r.scores["total"] for r in results), 2000)
        self.assertEqual(len(calls), 3)  # removed: not called again

    def test_an_exception_from_the_handler_is_raised_by_the_call(self):
        ev = rubric.Rubric(self.TEXT).new_evaluation()

        def deadline():
            raise TimeoutError("past the deadline")
        ev.set_progress_handler(500, deadline)
        with self.assertRaises(TimeoutError):
            ev.evaluate_many(self.UNITS)
        with self.assertRaises(TimeoutError):  # evaluate() asks the handler before it scores
            ev.evaluate({"done": 7})
        ev.set_progress_handler(500, lambda: False)
        self.assertEqual(ev.evaluate({"done": 7}).total, 2)
        self.assertEqual(sum(r.scores["total"] for r in ev.evaluate_many(self.UNITS)), 2000)


class SingleUnitTest(unittest.TestCase):
    """evaluate() of one unit gives what a batch gives: warnings and missing facts. Item 1 scores
    completion × 10 (done / planned): 1 of 3 → 10/3, a Fraction, shown 3.33; the warning
    `total < 6` holds; without `planned`, 1/0 is undefined → 0, and `planned` is missing."""
    TEXT = ('rubric "三分之一" { total 10 }\n'
            'item 1 "完成率" 10 {\n  input done: count "完成数"\n  input planned: count "计划数"\n'
            '  ratio completion = done / planned "完成率"\n  score completion * 10\n}\n'
            'warn "总分低于6分" if total < 6\n')

    def test_warnings_and_missing(self):
        r = rubric.Rubric(self.TEXT)
        res = r.evaluate({"done": 1, "planned": 3}, entity="u1")
        self.assertEqual(res.entity, "u1")
        self.assertEqual(res.total, F(10, 3))
        self.assertEqual(res.rounded["total"], "3.33")
        self.assertEqual(res.warnings, ["总分低于6分"])
        self.assertEqual(res.missing, [])
        res = r.evaluate({"done": 1})
        self.assertIsNone(res.entity)
        self.assertEqual(res.total, 0)
        self.assertEqual(res.missing, ["planned"])
        res = r.evaluate({"done": 3, "planned": 4})
        self.assertEqual((res.total, res.warnings), (D("7.5"), []))


class GradeAndAdjustmentsTest(unittest.TestCase):
    """The grade and the grand total reach Python (rubrics/examples/adjustments.rubric): 50/100 → 50,
    four criticisms −3 × 4 = −12, kept at −10 → grand total 40 → 不合格; 100/100 with both awards
    2 + 4 = 6, kept at +5 → 105 → 优秀."""

    def test_grade_and_grand_total(self):
        r = rubric.Rubric.from_file(os.path.join(ROOT, "rubrics", "examples", "adjustments.rubric"))
        low = r.evaluate({"done": 50, "planned": 100, "criticisms": 4})
        self.assertEqual((low.total, low.adjustments, low.grand_total), (50, -10, 40))
        self.assertEqual(low["2.3"], -12)
        self.assertEqual((low.grade, low.vetoes), ("不合格", []))
        high = r.evaluate({"done": 100, "planned": 100, "provincial_award": True, "national_award": True})
        self.assertEqual((high.grand_total, high.grade), (105, "优秀"))

    def test_vetoes(self):
        # rubrics/examples/grade.rubric: 100 earns 优秀; 发生重大失信事件 → the grade below, 良好.
        r = rubric.Rubric.from_file(os.path.join(ROOT, "rubrics", "examples", "grade.rubric"))
        res = r.evaluate({"rules_made": 3, "done": 10, "planned": 10, "major_case": True})
        self.assertEqual((res.grand_total, res.grade), (100, "良好"))
        self.assertEqual(res.vetoes, ["发生重大失信事件的，不得评为优秀"])
        plain = rubric.Rubric("item 1 \"a\" 1 { input x: bool  score if x then 1 }\n").evaluate({"x": True})
        self.assertIsNone(plain.grade)
        self.assertEqual(plain.grand_total, 1)



class CasesTest(unittest.TestCase):
    """Parts that apply to some units (rubrics/examples/cases.rubric, its test "水利局"): 40 × 90% =
    36; 30; 30 − 10 × 2 = 10; section 2 = 40; total 76; 2.3 (the 交通局's and 公路局's) does not
    apply: None, not 0."""

    def test_what_does_not_apply_is_none(self):
        r = rubric.Rubric.from_file(os.path.join(ROOT, "rubrics", "examples", "cases.rubric"))
        res = r.evaluate({"unit_kind": "water", "on_time": "90%", "water_files": True, "unpublished": 2})
        self.assertEqual((res.total, res["2"], res["2.1"], res["2.2"]), (76, 40, 30, 10))
        self.assertIsNone(res["2.3"])
        self.assertIsNone(res.rounded["2.3"])


if __name__ == "__main__":
    unittest.main()
