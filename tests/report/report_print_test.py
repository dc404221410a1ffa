#!/usr/bin/env python3
"""The report as it goes out (issue 15): `report --format pdf` and the HTML it prints.
  * PDF: A4 pages (pdfinfo), each page carrying the heading (--title, --period), the issuer
    and the generation date (pdftotext, page by page; the date from SOURCE_DATE_EPOCH), each
    page rendered by pdftoppm and not blank;
  * HTML in headless Chromium at 1366 px and 390 px wide: no unit name in the ranking breaks
    over more than one line, and every chart label is at least 11 px tall as rendered (a copy
    of the page gets a measuring script; the report itself has none);
  * the gap to the leader agrees with the totals shown (or says the exact gap).
Usage: report_print_test.py RUBRIC_CLI SOURCE_ROOT WORK_DIR. Exits 77 (skipped) without chromium.
Independent readers: Chromium, and Debian's poppler-utils (pdfinfo, pdftotext, pdftoppm).
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chromium_test import SKIP, check_screenshot, chromium, find_chromium, png_pixels  # noqa: E402

EPOCH = "1774915200"  # 2026-03-31 00:00:00 UTC
DATE = "2026-03-31"
TITLE, PERIOD, ISSUER = "广汉市政务诚信建设监测", "2023年第二季度", "广汉市社会信用体系建设领导小组办公室"

MEASURE = """<script>
const out = {names: [], labels: []};
for (const td of document.querySelectorAll('td.name')) {
  const r = document.createRange(); r.selectNodeContents(td);
  const lines = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
  out.names.push([td.textContent, lines.size]);
}
for (const t of document.querySelectorAll('svg.chart text')) out.labels.push([t.textContent, t.getBoundingClientRect().height]);
document.body.setAttribute('data-measure', JSON.stringify(out));
</script>"""


def nearly_in(needle, hay, missing=2):
    """`needle`, with at most `missing` characters left out, is in `hay`. pdftotext loses the
    Unicode of a few CJK glyphs in Chromium's subset fonts (seen: 广, 发, 生; the page renders
    them), so a heading is matched allowing for that; numbers and dates are matched exactly."""
    import itertools
    for k in range(missing + 1):
        for drop in itertools.combinations(range(len(needle)), k):
            if "".join(c for i, c in enumerate(needle) if i not in drop) in hay:
                return True
    return False


def body_ink(path):
    """The share of non-white pixels between the page margins (the heading and the date in
    the margins are on every page, so they must not make an empty page pass)."""
    width, height, rows, bpp = png_pixels(path)
    ink = total = 0
    for y in range(int(height * 16 / 297), int(height * (297 - 18) / 297)):  # the @page margins
        row = rows[y]
        for x in range(0, width):
            total += 1
            ink += min(row[x * bpp:x * bpp + 3]) < 200
    return ink / total


def measure(browser, work, page, width):
    copy = os.path.join(work, f"measure-{width}.html")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(copy, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", MEASURE + "</body>"))
    dom = chromium(browser, work, f"--window-size={width},900", "--dump-dom", "file://" + os.path.abspath(copy))
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    m = re.search(r'data-measure="([^"]*)"', dom.stdout.decode("utf-8"))
    assert m, "the measuring script did not run"
    return json.loads(html.unescape(m.group(1)))


def main():
    cli, root, work = sys.argv[1:4]
    browser = find_chromium()
    if not browser or not shutil.which("pdftoppm"):
        print("chromium or poppler-utils is not installed: skipped")
        return SKIP
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, RUBRIC_CHROMIUM=browser)
    base = [cli, "report", "rubrics/guanghan-2023.rubric", "--facts", "rubrics/samples/guanghan-2023-cohort-q2.csv",
            "--group", "类别", "--previous", "rubrics/samples/guanghan-2023-cohort-q1.results.csv", "--warn-below", "60",
            "--title", TITLE, "--period", PERIOD, "--issuer", ISSUER]

    # --- the PDF -----------------------------------------------------------------------
    pdf = os.path.join(work, "report.pdf")
    subprocess.run(base + ["--format", "pdf", "--out", pdf], cwd=root, env=env, check=True, timeout=240)
    with open(pdf, "rb") as f:
        assert f.read(5) == b"%PDF-", "not a PDF"
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, check=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    w, h = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    assert pages >= 2, pages
    assert abs(w - 595.28) < 1.5 and abs(h - 841.89) < 1.5, f"not A4: {w} x {h} pt"
    heading = f"{TITLE}（{PERIOD}） · 监测报告"
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", pdf, "-"],
                              capture_output=True, check=True, text=True).stdout
        flat = re.sub(r"\s+", "", text)
        assert nearly_in(re.sub(r"\s+", "", heading), flat), f"page {n}: no heading\n{text[:400]}"
        assert nearly_in(ISSUER, flat), f"page {n}: no issuer"
        assert nearly_in("生成日期", flat, 1) and DATE in flat, f"page {n}: no generation date"
        assert f"第{n}页，共{pages}页" in flat, f"page {n}: no page number"
        subprocess.run(["pdftoppm", "-r", "50", "-f", str(n), "-l", str(n), "-png", "-singlefile", pdf,
                        os.path.join(work, f"page-{n}")], check=True)
        png = os.path.join(work, f"page-{n}.png")
        if n == 1:
            check_screenshot(png)  # the ranking and its charts: many colours, much ink
        assert body_ink(png) > 0.0001, f"page {n} is blank between its margins"
    print(f"PDF: {pages} A4 pages, each with heading, issuer, date and page number")

    # --- the HTML it prints ---------------------------------------------------------------
    page = os.path.join(work, "report.html")
    subprocess.run(base + ["--format", "html", "--out", page], cwd=root, env=env, check=True)
    for width in (1366, 390):
        m = measure(browser, work, page, width)
        assert len(m["names"]) >= 24, len(m["names"])
        wrapped = [name for name, lines in m["names"] if lines != 1]
        assert not wrapped, f"{width} px: unit names over several lines: {wrapped}"
        small = [(t, round(hgt, 1)) for t, hgt in m["labels"] if hgt < 11]
        assert not small, f"{width} px: chart labels smaller than 11 px: {small[:8]}"
        print(f"{width} px: {len(m['names'])} names on one line each; smallest chart label "
              f"{min(hgt for _, hgt in m['labels']):.1f} px")

    # The gap shown = the leader's shown total - the unit's shown total, or the exact gap beside.
    text = open(page, encoding="utf-8").read()
    for table in re.findall(r'<table class="ranking".*?</table>', text, re.S):
        rows = re.findall(r'<td class="n">([^<]*)</td><td class="n">([^<]*)</td>', table)
        leader = Decimal(rows[0][0])
        for total, gap in rows:
            shown_gap = gap.split("（")[0]
            assert Decimal(shown_gap) == leader - Decimal(total), (total, gap, leader)
    print("gaps agree with the shown totals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
