#!/usr/bin/env python3
"""`rubric diff` (diff.hpp) on two versions of the 广汉 table: rubrics/guanghan-2023.rubric and
tests/diff/guanghan-2024.rubric, a version made by hand whose header lists its edits. Every
expected change below is worked out from those edits, not from the tool's output:
  * JSON: exactly the added, removed and changed nodes, with the fields that changed;
  * Markdown and HTML: the same rows (HTML read with html.parser);
  * every rubric of the repository compared with itself: no difference (and no failure of
    the rule printer on any scoring form);
  * usage: one file is a usage error (2); a rubric with errors is refused (1), nothing written.
Usage: diff_test.py RUBRIC_CLI SOURCE_ROOT WORK_DIR.
"""
import glob
import html.parser
import json
import os
import subprocess
import sys

OLD = "rubrics/guanghan-2023.rubric"
NEW = "tests/diff/guanghan-2024.rubric"


def run(cli, root, *args, rc=0):
    p = subprocess.run([cli, "diff", *args, "--lang", "zh"], cwd=root, capture_output=True, text=True, timeout=120)
    assert p.returncode == rc, (args, p.returncode, p.stderr)
    return p.stdout


class Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def main():
    cli, root, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    d = json.loads(run(cli, root, OLD, NEW, "--format", "json"))

    assert d["header"] == [{"field": "title", "before": "广汉市政务诚信评价指标责任分工表",
                            "after": "广汉市政务诚信评价指标责任分工表（2024年版）"}], d["header"]
    assert [(n["code"], n["name"], n["points"], n["parent"]) for n in d["added"]] == [("2.5.1", "公开工作年度报告", "0.5", "2.5")]
    assert [(n["code"], n["name"], n["points"], n["parent"]) for n in d["removed"]] == [("2.5.6", "目标考核", "0.5", "2.5")]

    changed = {c["after"]["code"]: c for c in d["changed"]}
    # In the new document order: 1.3.2, 2.2, 2.2.4, 2.4, 2.4.3, 2.5.2 … 2.5.6, 3.3.3.
    assert [c["after"]["code"] for c in d["changed"]] == ["1.3.2", "2.2", "2.2.4", "2.4", "2.4.3", "2.5.2", "2.5.3",
                                                           "2.5.4", "2.5.5", "2.5.6", "3.3.3"], list(changed)

    def fields(code):
        return {f["field"]: (f["before"], f["after"]) for f in changed[code]["fields"]}

    c = changed["1.3.2"]
    assert c["renamed"] and not c["moved"] and c["before"]["name"] == "自觉接受公众和舆论监督" and fields("1.3.2") == {}
    assert fields("2.2") == {"points": ("2", "2.5")} and not changed["2.2"]["moved"]
    assert fields("2.4") == {"points": ("4", "3.5")}
    c = changed["2.2.4"]  # 政策吹风会: from 2.4 to 2.2
    assert c["moved"] and c["new_parent"] and not c["renamed"] and c["before"]["code"] == "2.4.3"
    assert c["before"]["parent"] == "2.4" and c["after"]["parent"] == "2.2" and fields("2.2.4") == {}
    c = changed["2.4.3"]  # 政府公报: renumbered only
    assert c["moved"] and not c["new_parent"] and c["before"]["code"] == "2.4.4" and fields("2.4.3") == {}
    for new, old in (("2.5.2", "2.5.1"), ("2.5.3", "2.5.2"), ("2.5.4", "2.5.3"), ("2.5.5", "2.5.4")):
        c = changed[new]
        assert c["moved"] and not c["new_parent"] and c["before"]["code"] == old and fields(new) == {}, new
    c = changed["2.5.6"]  # 经费保障: renumbered, a supporting department and a second owner
    assert c["before"]["code"] == "2.5.5" and c["after"]["name"] == "经费保障"
    assert fields("2.5.6") == {"support": ("", "市政务服务和大数据局"),
                               "owners": ("市财政局", "市财政局、市政务服务和大数据局")}
    c = changed["3.3.3"]  # the thresholds, as the language writes them, and the prose beside
    f = fields("3.3.3")
    assert f["rule"] == ("tier hotline_completion_rate >=90%:3 >=80%:2 >=70%:1",
                         "tier hotline_completion_rate >=95%:3 >=85%:2 >=70%:1"), f["rule"]
    assert set(f) == {"rule", "standard"} and "95％以上" in f["standard"][1]

    # Markdown: the counts (1 added, 1 removed, 7 moved or renumbered, 1 renamed, 4 with other
    # changes: 2.2, 2.4, 2.5.6, 3.3.3) and a row per change.
    md = run(cli, root, OLD, NEW)
    assert "新增 1 项，删除 1 项，移动或重新编号 7 项，更名 1 项，内容调整 4 项。" in md
    for row in ("| 2.2.4 政策吹风会 | 位置 | 2.4.3 政策吹风会（2 政务公开 › 2.4 平台建设） | 2.2.4 政策吹风会（2 政务公开 › 2.2 解读回应与参与） |",
                "| 2.4.3 政府公报 | 编号 | 2.4.4 | 2.4.3 |",
                "| 1.3.2 自觉接受社会公众和舆论监督 | 名称 | 自觉接受公众和舆论监督 | 自觉接受社会公众和舆论监督 |",
                "| 2.5.1 公开工作年度报告 | 0.5 | 2 政务公开 › 2.5 制度规范建设 | 按时发布，加0.5分 |",
                "| 2.5.6 目标考核 | 0.5 | 2 政务公开 › 2.5 制度规范建设 |"):
        assert row in md, row

    # HTML: the same table rows, read by an HTML parser.
    page = run(cli, root, OLD, NEW, "--format", "html")
    cells = Cells()
    cells.feed(page)
    assert ["3.3.3 市民诉求办结率", "计分规则", "tier hotline_completion_rate >=90%:3 >=80%:2 >=70%:1",
            "tier hotline_completion_rate >=95%:3 >=85%:2 >=70%:1"] in cells.rows
    assert ["2.5.6 经费保障", "配合部门", "", "市政务服务和大数据局"] in cells.rows
    assert "<script" not in page and "http" not in page.replace('name="viewport"', "")

    # Every rubric against itself: nothing.
    files = sorted(glob.glob(os.path.join(root, "rubrics", "**", "*.rubric"), recursive=True))
    assert len(files) >= 10
    for f in files:
        same = json.loads(run(cli, root, f, f, "--format", "json"))
        assert same["header"] == [] and same["added"] == [] and same["removed"] == [] and same["changed"] == [], f

    # The grade scale and the vetoes, as the language writes them: 良好 from 80 to 85, and the
    # lowering veto's condition from `criticized` to `criticized and major_case`.
    with open(os.path.join(root, "rubrics/examples/grade.rubric"), encoding="utf-8") as fh:
        text = fh.read()
    changed_grade = os.path.join(work, "grade-2024.rubric")
    with open(changed_grade, "w", encoding="utf-8") as fh:
        fh.write(text.replace("良好 >= 80,", "良好 >= 85,").replace("实行一票否决\" if criticized", "实行一票否决\" if criticized and major_case"))
    g = json.loads(run(cli, root, "rubrics/examples/grade.rubric", changed_grade, "--format", "json"))
    assert g["header"] == [
        {"field": "grades", "before": "优秀 >= 90, 良好 >= 80, 合格 >= 60, otherwise 不合格",
         "after": "优秀 >= 90, 良好 >= 85, 合格 >= 60, otherwise 不合格"},
        {"field": "vetoes",
         "before": "优秀 \"发生重大失信事件的，不得评为优秀\" if major_case; \"被省级以上通报批评的，实行一票否决\" if criticized",
         "after": "优秀 \"发生重大失信事件的，不得评为优秀\" if major_case; \"被省级以上通报批评的，实行一票否决\" if criticized and major_case"},
    ], g["header"]

    # The points of a choice, as the language writes them (issue 13, item 6): other from 1 to 0.5.
    with open(os.path.join(root, "rubrics/examples/points.rubric"), encoding="utf-8") as fh:
        text = fh.read()
    changed_points = os.path.join(work, "points-2024.rubric")
    with open(changed_points, "w", encoding="utf-8") as fh:
        fh.write(text.replace("other: 1]", "other: 0.5]"))
    p = json.loads(run(cli, root, "rubrics/examples/points.rubric", changed_points, "--format", "json"))
    assert [c["after"]["code"] for c in p["changed"]] == ["1"], p["changed"]
    assert [(f["field"], f["before"], f["after"]) for f in p["changed"][0]["fields"]] == [
        ("rule", "points channel [database: 2, frontend: 2, other: 1]", "points channel [database: 2, frontend: 2, other: 0.5]")]
    # A tier's otherwise changed: the rule is written as the language writes it (otherwise, not else).
    tier_old = os.path.join(work, "tier-2023.rubric")
    tier_new = os.path.join(work, "tier-2024.rubric")
    tier_text = ('rubric "档" { total 3 }\n'
                 'item 1 "办结率" 3 {\n  input rate: percent\n  score tier rate >=90%:3 >=80%:2 otherwise OTHER\n}\n')
    for path, other in ((tier_old, "1"), (tier_new, "0.5")):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(tier_text.replace("OTHER", other))
    t = json.loads(run(cli, root, tier_old, tier_new, "--format", "json"))
    assert [(f["field"], f["before"], f["after"]) for f in t["changed"][0]["fields"]] == [
        ("rule", "tier rate >=90%:3 >=80%:2 otherwise 1", "tier rate >=90%:3 >=80%:2 otherwise 0.5")], t["changed"]
    # A named value changed (let staff = permanent + temporary → permanent): every rule that reads
    # it changes, 1.1 directly and 1.2 through hours_per_head = training_hours / staff; the lets
    # a rule reads are written after it.
    with open(os.path.join(root, "rubrics/examples/let.rubric"), encoding="utf-8") as fh:
        text = fh.read()
    assert "let staff = permanent + temporary" in text
    changed_let = os.path.join(work, "let-2024.rubric")
    with open(changed_let, "w", encoding="utf-8") as fh:
        fh.write(text.replace("let staff = permanent + temporary", "let staff = permanent"))
    d = json.loads(run(cli, root, "rubrics/examples/let.rubric", changed_let, "--format", "json"))
    rules = {c["after"]["code"]: [f for f in c["fields"] if f["field"] == "rule"] for c in d["changed"]}
    assert sorted(rules) == ["1.1", "1.2"], d["changed"]
    assert rules["1.1"][0]["before"] == "if certified >= (staff * 0.9) then 2; let staff = permanent + temporary", rules["1.1"]
    assert rules["1.1"][0]["after"] == "if certified >= (staff * 0.9) then 2; let staff = permanent", rules["1.1"]
    assert rules["1.2"][0]["after"].endswith("; let staff = permanent; let hours_per_head = training_hours / staff"), rules["1.2"]

    # Parts that apply to some units (issue 13, item 2): 水利行业黑名单公示 moved from the 水利局's
    # case to the 交通局's and 公路局's (after 交通运输信用评价, which becomes 2.2). Matched by name, it
    # moved (2.2 → 2.3) and its case changed; 交通运输信用评价 only moved (2.3 → 2.2).
    with open(os.path.join(root, "rubrics/examples/cases.rubric"), encoding="utf-8") as fh:
        text = fh.read()
    start = text.index('    item 2.2 "水利行业黑名单公示"')
    end = text.index("    }\n", start) + len("    }\n")
    block = text[start:end]
    text = text[:start] + text[end:]
    anchor = text.index("      score 60 * rated\n    }\n") + len("      score 60 * rated\n    }\n")
    text = text[:anchor] + block.replace("item 2.2", "item 2.3") + text[anchor:]
    text = text.replace('item 2.3 "交通运输信用评价"', 'item 2.2 "交通运输信用评价"')
    text = text[:text.index("# 水利局:")]  # the tests expect the old codes
    changed_cases = os.path.join(work, "cases-2024.rubric")
    with open(changed_cases, "w", encoding="utf-8") as fh:
        fh.write(text)
    c = json.loads(run(cli, root, "rubrics/examples/cases.rubric", changed_cases, "--format", "json"))
    by_code = {x["after"]["code"]: x for x in c["changed"]}
    assert sorted(by_code) == ["2.2", "2.3"], c["changed"]
    assert by_code["2.3"]["moved"] and by_code["2.3"]["before"]["code"] == "2.2", by_code["2.3"]
    assert [(f["field"], f["before"], f["after"]) for f in by_code["2.3"]["fields"]] == [
        ("case", "县水利局", "县交通局, 县公路局")], by_code["2.3"]
    assert by_code["2.2"]["fields"] == [], by_code["2.2"]

    # Usage and refusals.
    run(cli, root, OLD, rc=2)
    bad = os.path.join(work, "bad.rubric")
    with open(bad, "w", encoding="utf-8") as fh:
        fh.write('rubric "坏" { total 1 }\nitem 1 "x" 1 { score 1 +  }\n')
    out = os.path.join(work, "out.md")
    run(cli, root, OLD, bad, "--out", out, rc=1)
    assert not os.path.exists(out)
    run(cli, root, OLD, NEW, "--out", NEW, rc=1)  # never over an input
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
