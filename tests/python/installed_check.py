"""Run by wheel_test.sh with the Python of a fresh venv into which only the wheel was installed,
in an empty environment (no RUBRIC_LIBRARY, no PYTHONPATH) and from a folder outside the source
tree: the package and its library must come from the venv. Prints "installed: ok".

Expected values, from the rule's text: item 1 scores completion × 10 with completion = done /
planned, so 1 of 3 gives 10/3 (no finite decimal: a Fraction; shown 3.33 with the default 2
places), 3 of 4 gives 7.5 (a Decimal). `warn … if total < 6` holds for 10/3 and for 0. A unit
without `planned` lacks that fact (missing: ["planned"]); 1/0 is undefined, so it scores 0.
"""
import decimal
import fractions
import os
import sys
import sysconfig

import rubric

RUBRIC = """rubric "安装检查" { total 10 }
item 1 "完成率" 10 {
  input done: count "完成数"
  input planned: count "计划数"
  ratio completion = done / planned "完成率"
  score completion * 10
}
warn "总分低于6分" if total < 6
"""


def expect(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


site = sysconfig.get_paths()["purelib"]
expect(not os.environ.get("RUBRIC_LIBRARY") and not os.environ.get("PYTHONPATH"), "the environment is empty")
expect(os.path.realpath(rubric.__file__).startswith(os.path.realpath(site)), "rubric comes from the venv: " + rubric.__file__)
lib_path = os.path.realpath(rubric._capi.lib._name)
expect(lib_path == os.path.join(os.path.realpath(os.path.dirname(rubric.__file__)), "librubric.so"),
       "librubric.so comes from inside the package: " + lib_path)

r = rubric.Rubric(RUBRIC, name="check.rubric")
third, three_quarters, without = r.evaluate_many([
    {"entity": "u1", "done": 1, "planned": 3},
    {"entity": "u2", "done": 3, "planned": 4},
    {"entity": "u3", "done": 1},
])
expect(third.total == fractions.Fraction(10, 3) and type(third.total) is fractions.Fraction, "10/3 is a Fraction")
expect(third.rounded["total"] == "3.33", "10/3 is shown 3.33")
expect(third.warnings == ["总分低于6分"], "the warning of u1: %r" % third.warnings)
expect(three_quarters.total == decimal.Decimal("7.5") and type(three_quarters.total) is decimal.Decimal, "7.5 is a Decimal")
expect(three_quarters.warnings == [] and three_quarters.missing == [], "u2 has no warning and misses nothing")
expect(without.total == 0 and without.missing == ["planned"], "u3 misses planned: %r" % without.missing)
single = r.evaluate({"done": 1, "planned": 3})
expect(single.total == fractions.Fraction(10, 3), "evaluate() agrees with the batch")

# Chinese: a compile error and a batch's facts error.
try:
    rubric.Rubric("item 1 \"x\" 1 { score y }\n", name="bad.rubric", lang="zh")
    expect(False, "a bad rubric raises")
except rubric.CompileError as e:
    expect("bad.rubric:1:" in str(e) and "错误：" in str(e), "the Chinese diagnostic: " + str(e))
try:
    r.evaluate_many([{"entity": "u1", "done": "many", "planned": 3}], lang="zh")
    expect(False, "a bad fact raises")
except rubric.FactError as e:
    expect("错误：" in str(e), "the Chinese facts error: " + str(e))
print("installed: ok", rubric.__version__)
