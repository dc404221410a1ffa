"""Scores the bundled 广汉 2023 sample units with the Python binding.

    RUBRIC_LIBRARY=build/bindings/librubric.so PYTHONPATH=bindings/python \
        python3 bindings/python/examples/score_sample.py [RUBRIC [FACTS]]
"""
import os
import sys

import rubric

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
rubric_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "rubrics", "guanghan-2023.rubric")
facts_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "rubrics", "samples", "guanghan-2023-units.csv")

try:
    r = rubric.Rubric.from_file(rubric_path)
except rubric.CompileError as e:
    sys.exit(str(e))  # every diagnostic, file:line:col with a caret

print("%s: %s points, %d items, %d inputs" % (r.title, r.total_points,
                                              sum(n.kind == "item" for n in r.nodes), len(r.inputs)))

# One unit, fact by fact: values are str, int, bool or Decimal (never float).
res = r.evaluate({"decision_rules_doc": True, "hotline_completed": 795, "hotline_accepted": 1000}, entity="example")
print("example: 1.1.1 = %s, 3.3.3 = %s, total = %s" % (res["1.1.1"], res["3.3.3"], res.total))

# Every unit of the sample file in one call; scores are exact (Decimal, or Fraction).
results = r.evaluate_file(facts_path)
width = max(len(x.name or "") for x in results)
for x in sorted(results, key=lambda x: x.total, reverse=True):
    print("%s  %s  %7s" % (x.entity, (x.name or "").ljust(width, "\u3000"), x.rounded["total"]))
