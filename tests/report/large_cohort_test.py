#!/usr/bin/env python3
"""`rubric report` on a cohort too large to keep whole: 6,000 units of tests/report/small.rubric in
one group, every format. The report is written as it is made (a megabyte at a time) and keeps
only each unit's totals and section scores, tallying lost points as units are scored; this
checks that nothing is lost on the way:
  * the ranking (CSV and JSON) equals the one worked out here from the rules' text, with
    competition ranks (1, 2, 2, 4) and every unit present once;
  * the lost-points analysis equals the sums worked out here;
  * the HTML lists every unit in its table, and its two charts draw the first 200 units by
    rank with a note that says so (a chart of 6,000 bars is not readable).
Usage: large_cohort_test.py RUBRIC_CLI SOURCE_ROOT WORK_DIR.
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
from fractions import Fraction

N = 6000  # the HTML and the JSON pass 1 MiB: written in several pieces


def unit(i):
    """The facts of unit i: a pattern that gives many ties."""
    doc = i % 3 != 0
    trained = i % 5 != 0
    rate = (i * 7) % 101  # percent, 0..100
    return "U%05d" % i, "单位%05d" % i, doc, trained, rate


def scores(doc, trained, rate):
    # small.rubric: 1.1 文件 4 if doc; 1.2 培训 2 if trained; 2.1 办结率 tier >=90%:4 >=60%:2.
    s11 = 4 if doc else 0
    s12 = 2 if trained else 0
    s21 = 4 if rate >= 90 else 2 if rate >= 60 else 0
    return s11, s12, s21


def main():
    cli, root, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    facts = os.path.join(work, "units.csv")
    with open(facts, "w", encoding="utf-8", newline="") as f:
        f.write("entity,name,doc,trained,rate\n")
        for i in range(N):
            e, n, doc, trained, rate = unit(i)
            f.write(f"{e},{n},{str(doc).lower()},{str(trained).lower()},{rate}%\n")

    # Expected: totals, competition ranks (ties share the better rank; input order among ties).
    units = []
    for i in range(N):
        e, n, doc, trained, rate = unit(i)
        s11, s12, s21 = scores(doc, trained, rate)
        units.append((e, s11 + s12, s21, s11 + s12 + s21, (s11, s12, s21)))
    order = sorted(range(N), key=lambda k: -units[k][3])  # stable: input order among ties
    rank = {}
    for pos, k in enumerate(order):
        prev = order[pos - 1] if pos else None
        rank[k] = rank[prev] if prev is not None and units[prev][3] == units[k][3] else pos + 1
    lost = {"1.1": [0, 0], "1.2": [0, 0], "2.1": [0, 0]}
    for e, _, _, _, (s11, s12, s21) in units:
        for code, pts, got in (("1.1", 4, s11), ("1.2", 2, s12), ("2.1", 4, s21)):
            if got < pts:
                lost[code][0] += 1
                lost[code][1] += pts - got

    def report(fmt):
        out = os.path.join(work, "report." + fmt)
        subprocess.run([cli, "report", "tests/report/small.rubric", "--facts", facts, "--format", fmt, "--out", out,
                        "--quiet"], cwd=root, check=True, timeout=300)
        with open(out, encoding="utf-8-sig") as f:
            return f.read()

    # CSV: the ranking, in rank order.
    rows = list(csv.DictReader(io.StringIO(report("csv"))))
    assert len(rows) == N, len(rows)
    want = [(units[k][0], rank[k], units[k][3]) for k in order]
    got = [(r["entity"], int(r["rank"]), Fraction(r["total"])) for r in rows]
    assert got == want, next((g, w) for g, w in zip(got, want) if g != w)
    for r in rows:
        k = int(r["entity"][1:])
        assert Fraction(r["section_1"]) == units[k][1] and Fraction(r["section_2"]) == units[k][2], r

    # JSON: the same ranking, and the lost points.
    j = json.loads(report("json"))
    assert j["unit_count"] == N
    assert [(u["entity"], u["rank"]) for u in j["groups"][0]["units"]] == [(w[0], w[1]) for w in want]
    got_lost = {x["code"]: [x["units_losing"], Fraction(x["points_lost"])] for x in j["lost_points"]}
    assert got_lost == {c: v for c, v in lost.items() if v[0]}, (got_lost, lost)

    # HTML: every unit in the table, 200 in each chart, and the note.
    page = report("html")
    assert len(re.findall(r'<tr class="unit', page)) == N
    charts = re.findall(r'<svg class="chart".*?</svg>', page, re.S)
    assert len(charts) == 3, len(charts)  # totals, sections, lost points
    assert len(re.findall(r"<rect ", charts[0])) == 200, len(re.findall(r"<rect ", charts[0]))
    assert len(re.findall(r"<rect ", charts[1])) == 200 * 2  # a cell per section
    assert page.count("图中为前 200 名（共 %d 个单位）" % N) == 2
    assert page.rstrip().endswith("</html>")

    md = report("md")
    assert len(re.findall(r"^\| \d+ \| 单位", md, re.M)) == N
    print("ok: %d units, every format" % N)
    return 0


if __name__ == "__main__":
    sys.exit(main())
