#!/usr/bin/env python3
"""`rubric eval R --facts 审核 --compare 自评` (self_review.hpp). Expected values are worked out
from the rules of tests/report/small.rubric (1.1 文件: 4 if doc; 1.2 培训: 2 if trained; 2.1 办结率:
tier >=90%:4 >=60%:2; section 1 = 1.1 + 1.2, section 2 = 2.1):
  自评 A1 (T, T, 95%) 4+2+4 = 10;  A2 (T, T, 80%) 4+2+2 = 8;  A3 (T, F, 50%) 4 — not reviewed
  审核 A1 (T, F, 92%) 4+0+4 = 8;   A2 (F, T, 85%) 0+2+2 = 4;  B9 (T, T, 100%) 10 — no 自评
and, for the difference of the *shown* scores, a one-place rubric scoring a / b: 自评 1/3 shows
0.3, 审核 2/3 shows 0.7, so the difference is 0.4 (the exact 1/3 would show 0.3).
Usage: self_review_test.py RUBRIC_CLI SOURCE_ROOT WORK_DIR.
"""
import json
import os
import subprocess
import sys

SMALL = "tests/report/small.rubric"
D = "tests/self_review"


def run(cli, root, *args, rc=0):
    p = subprocess.run([cli, "eval", *args, "--lang", "en"], cwd=root, capture_output=True, text=True, timeout=120)
    assert p.returncode == rc, (args, p.returncode, p.stderr)
    return p.stdout, p.stderr


def main():
    cli, root, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    base = [SMALL, "--facts", f"{D}/review.csv", "--compare", f"{D}/self.csv"]

    out, err = run(cli, root, *base, "--format", "csv")
    with open(os.path.join(root, D, "expected.csv"), encoding="utf-8", newline="") as f:
        assert out == f.read().replace("\r\n", "\n"), out  # text mode reads CRLF as LF
    assert err.strip() == "rubric: warning: A3 is in the self-assessment but not in the reviewed facts", err

    out, _ = run(cli, root, *base, "--format", "jsonl")
    lines = [json.loads(l) for l in out.splitlines()]
    assert [u["entity"] for u in lines] == ["A1", "A2", "B9"]
    a1 = lines[0]
    assert a1["self_given"] and a1["total"] == {"self": "10", "review": "8", "diff": "-2"}
    assert a1["nodes"]["1.2"] == {"self": "2", "review": "0", "diff": "-2"}
    assert lines[1]["nodes"]["1.1"] == {"self": "4", "review": "0", "diff": "-4"}
    b9 = lines[2]
    assert not b9["self_given"] and b9["total"] == {"self": None, "review": "10", "diff": None}

    out, _ = run(cli, root, *base, "--format", "json")
    doc = json.loads(out)
    assert doc["rubric"] == "小队列" and [u["entity"] for u in doc["entities"]] == ["A1", "A2", "B9"]

    out, _ = run(cli, root, *base)  # the table: totals
    rows = [l.split() for l in out.splitlines() if set(l) - set("- ")]  # not the heading's dashes
    assert rows[1] == ["A1", "甲一", "10", "8", "-2"] and rows[2] == ["A2", "甲二", "8", "4", "-4"], rows
    assert rows[3] == ["B9", "乙九", "10"], rows

    # The difference is that of the shown scores.
    rub = os.path.join(work, "ratio.rubric")
    with open(rub, "w", encoding="utf-8") as f:
        f.write('rubric "比例" { total 1  rounding 1 half_up }\n'
                'item 1 "比例" 1 { input a: count  input b: count  ratio r = a / b  score r * 1 }\n')
    for name, a in (("self", 1), ("review", 2)):
        with open(os.path.join(work, name + ".csv"), "w", encoding="utf-8") as f:
            f.write(f"entity,a,b\nU,{a},3\n")
    out, _ = run(cli, root, rub, "--facts", os.path.join(work, "review.csv"), "--compare", os.path.join(work, "self.csv"),
                 "--format", "jsonl")
    u = json.loads(out)
    assert u["total"] == {"self": "0.3", "review": "0.7", "diff": "0.4"}, u

    # The report's section 自评与审核差异: A1 and A2 gave a self-assessment (B9 did not), and the
    # review changed both totals: A2 by -4 first (the larger cut), then A1 by -2. Items cut:
    # 1.1 (A2 claimed 4, got 0: 4 points, 1 unit), then 1.2 (A1 claimed 2, got 0: 2 points).
    def report(fmt):
        p = subprocess.run([cli, "report", SMALL, "--facts", f"{D}/review.csv", "--compare", f"{D}/self.csv", "--format", fmt],
                           cwd=root, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        return p.stdout
    md = report("md")
    assert "提交自评的单位 2 个，其中 2 个单位的审核总分与自评不同（差异 = 审核 − 自评）。" in md
    assert "| 甲二 | 8.00 | 4.00 | -4.00 |\n| 甲一 | 10.00 | 8.00 | -2.00 |" in md
    assert "| 1.1 文件 | 4 | 1 | 4.00 |\n| 1.2 培训 | 2 | 1 | 2.00 |" in md
    j = json.loads(report("json"))["self_review"]
    assert j["units_with_self"] == 2
    assert [(u["entity"], u["self"], u["review"], u["diff_shown"]) for u in j["differing"]] == [("A2", "8", "4", "-4"), ("A1", "10", "8", "-2")]
    assert j["cuts"] == [{"code": "1.1", "units": 1, "points_cut": "4"}, {"code": "1.2", "units": 1, "points_cut": "2"}]
    rows = report("csv").splitlines()
    assert rows[0].endswith(",self_total,self_diff")
    assert rows[1].startswith(",1,B9,") and rows[1].endswith(",,") and rows[2].endswith(",10,-2") and rows[3].endswith(",8,-4")
    page = report("html")
    assert 'id="self-review-units"' in page and '<tr data-entity="A2"><td>甲二</td>' in page
    plain = subprocess.run([cli, "report", SMALL, "--facts", f"{D}/review.csv", "--format", "json"], cwd=root,
                           capture_output=True, text=True, timeout=120)
    assert json.loads(plain.stdout)["self_review"] is None

    # Refusals: a bad self-assessment writes nothing; the output may not be an input; no xlsx.
    bad = os.path.join(work, "bad-self.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("entity,doc\nA1,maybe\n")
    target = os.path.join(work, "out.csv")
    run(cli, root, SMALL, "--facts", f"{D}/review.csv", "--compare", bad, "--format", "csv", "--out", target, rc=1)
    assert not os.path.exists(target)
    run(cli, root, *base, "--format", "csv", "--out", f"{D}/self.csv", rc=1)
    run(cli, root, *base, "--format", "xlsx", "--out", target, rc=2)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
