#!/usr/bin/env python3
"""The page of `rubric serve` in Debian's headless Chromium (page_test.mjs drives it with
puppeteer-core), checked here against independent sources:
  * the diagnostic of the typed error is where the text puts it (line 2, column 8), and is gone
    once the title is quoted;
  * the ranking of the bundled 广汉 units equals the competition ranking worked out here from
    `rubric eval`'s exact totals (highest first, ties share the better rank);
  * the explanation of a clicked unit is `rubric explain`'s for that unit;
  * the downloaded report is the HTML report naming every unit;
  * screenshots at 1366 px and 390 px are not blank (decoded by tests/report/chromium_test.py);
  * nothing was fetched from anywhere but the service.
Usage: page_test.py RUBRIC_CLI SOURCE_ROOT WORK_DIR. Exits 77 (skipped) only without chromium.
"""
import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "report"))
from chromium_test import check_screenshot, find_chromium  # noqa: E402
from serve_support import served  # noqa: E402

SKIP = 77
broken_line_1_length = len("# typed in the page test")  # page_test.mjs types this line first
RUBRIC = "guanghan-2023.rubric"
UNITS = "rubrics/samples/guanghan-2023-units.csv"


def exact(text):
    return Fraction(text)  # "97.98" or "10289/105"


def expected_ranking(cli, root):
    """Competition ranks from rubric eval's exact totals."""
    out = subprocess.run([cli, "eval", "rubrics/" + RUBRIC, "--facts", UNITS, "--format", "json"], cwd=root,
                         capture_output=True, check=True).stdout
    units = json.loads(out)["entities"]
    totals = {u["entity"]: exact(u.get("exact", {}).get("total", u["total"])) for u in units}
    ranks = {e: 1 + sum(1 for t in totals.values() if t > total) for e, total in totals.items()}
    return totals, ranks


def main(cli, root, work):
    chromium = find_chromium()
    if chromium is None:
        print("skipped: Debian's chromium is not installed (.ci/setup installs it)")
        return SKIP
    if not os.path.isdir(os.path.join(HERE, "node_modules", "puppeteer-core")):
        subprocess.run([os.path.join(HERE, "install-tools")], check=True)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    with served(cli, "--rubrics", os.path.join(root, "rubrics")) as server:
        r = subprocess.run(["node", os.path.join(HERE, "page_test.mjs"), chromium, f"http://127.0.0.1:{server.port}/", work,
                            os.path.join(root, UNITS), RUBRIC], capture_output=True, text=True, timeout=240)
    if r.returncode != 0:
        print(r.stdout[-3000:], r.stderr[-3000:])
        return 1
    seen = json.loads(r.stdout.strip().splitlines()[-1])

    assert seen["foreign"] == [], f"the page fetched from elsewhere: {seen['foreign']}"
    assert seen["console_errors"] == [], seen["console_errors"]
    # 1, 2: the typed error, under the editor as `rubric check` prints it, then fixed.
    assert seen["broken_diagnostics"].startswith("rubric.rubric:2:8:"), seen["broken_diagnostics"]
    assert "rubric 小队列" in seen["broken_diagnostics"], "the source line is shown under the message"
    # The caret goes to line 2, column 8: after line 1 and its newline, 7 characters in.
    assert seen["caret_after_click"] == broken_line_1_length + 1 + 7, seen["caret_after_click"]
    assert '"小队列"' in seen["fixed_source"], seen["fixed_source"]
    assert "rubric.rubric:2:8" not in seen["fixed_diagnostics"], seen["fixed_diagnostics"]
    assert "错误" not in seen["fixed_status"] or seen["fixed_status"].startswith("没有错误"), seen["fixed_status"]
    print("diagnostics: shown at 2:8, gone when fixed")

    # The rubric's own tests, run from the page: every `test "…"` of the file passes.
    count = open(os.path.join(root, "rubrics", RUBRIC), encoding="utf-8").read().count('\ntest "')
    assert seen["test_results"].startswith(f"测试：{count} 个通过，0 个失败"), (count, seen["test_results"][:200])
    print(f"tests: {count} run from the page, all pass")

    # 3: the ranking against rubric eval.
    totals, ranks = expected_ranking(cli, root)
    got = [(row["rank"], row["entity"]) for row in seen["ranking"]]
    assert sorted(e for _, e in got) == sorted(totals), (got, sorted(totals))
    for rank, entity in got:
        assert rank == ranks[entity], f"{entity}: rank {rank} on the page, {ranks[entity]} from rubric eval"
    page_totals = [exact(row["total"]) for row in seen["ranking"]]
    assert page_totals == sorted(page_totals, reverse=True), "the ranking is not by total"
    for row in seen["ranking"]:
        assert exact(row["total"]) == totals[row["entity"]], row
    print(f"ranking: {len(got)} units, as rubric eval ranks them")

    # 4: the explanation of the clicked unit is rubric explain's.
    want = subprocess.run([cli, "explain", "rubrics/" + RUBRIC, "--facts", UNITS, "--entity", seen["explained_entity"],
                           "--lang", "zh"], cwd=root, capture_output=True, text=True, check=True).stdout
    assert seen["explanation"] == want, "the page's explanation differs from rubric explain's"
    print(f"explanation of {seen['explained_entity']}: as rubric explain gives it")

    # 5: the downloaded report.
    assert seen["report_downloaded"]
    report = open(os.path.join(work, "report.html"), encoding="utf-8").read()
    assert report.lstrip().lower().startswith("<!doctype html"), report[:100]
    for row in seen["ranking"]:
        assert row["cells"][2] in report, row
    print("report: downloaded, names every unit")
    assert seen["template_downloaded"]
    with open(os.path.join(work, "template.xlsx"), "rb") as f:
        assert f.read(2) == b"PK", "the template is not a workbook"

    # 6: the screens.
    assert seen["desktop_fits"], "the page is wider than a 1366 px screen"
    assert seen["phone_fits"], "the page is wider than a 390 px phone"
    for shot in ("desktop-1366.png", "phone-390.png"):
        check_screenshot(os.path.join(work, shot))
    assert seen["title_zh"] != seen["title_en"] and seen["score_button_en"] == "Score", (seen["title_en"], seen["score_button_en"])
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
