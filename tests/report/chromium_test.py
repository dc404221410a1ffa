#!/usr/bin/env python3
"""Renders the HTML report of the bundled 广汉 cohort in headless Chromium and checks
  * the DOM Chromium built: every group's ranking table is there, with the units in the
    order of the JSON report and ranks that never decrease;
  * the page is self-contained: no script, no external URL;
  * screenshots (a phone-sized and a desktop-sized window) are not blank: the PNG is
    decoded here (zlib + PNG filters, standard library only) and must show many colours
    and a fair share of non-white pixels.
Usage: chromium_test.py RUBRIC_CLI SOURCE_ROOT WORK_DIR. Exits 77 (skipped) without chromium.
"""
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib

SKIP = 77


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(browser, work, *args):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + os.path.join(work, "profile"), *args]
    return subprocess.run(cmd, capture_output=True, timeout=180, check=False)


class Rows(html.parser.HTMLParser):
    """Collects, per table.ranking, the (data-rank, data-entity) of its rows in order."""

    def __init__(self):
        super().__init__()
        self.tables = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "table" and "ranking" in (a.get("class") or "").split():
            self.tables.append([])
        if tag == "tr" and "data-rank" in a and self.tables:
            self.tables[-1].append((int(a["data-rank"]), a["data-entity"]))


def png_pixels(path):
    """Decodes an 8-bit RGB or RGBA PNG: returns (width, height, rows of bytes, bytes per pixel)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            ul = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + left) & 0xFF
            elif f == 2:
                line[i] = (line[i] + up) & 0xFF
            elif f == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif f == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def check_screenshot(path):
    width, height, rows, bpp = png_pixels(path)
    colours, non_white, total = set(), 0, 0
    for y in range(0, height, 2):
        row = rows[y]
        for x in range(0, width, 2):
            px = row[x * bpp:x * bpp + 3]
            colours.add(px)
            total += 1
            if min(px) < 235:
                non_white += 1
    share = non_white / total
    print(f"{os.path.basename(path)}: {width}x{height}, {len(colours)} colours, {share:.1%} not white")
    assert len(colours) >= 16, f"{path}: only {len(colours)} colours: blank?"
    assert share >= 0.03, f"{path}: {share:.1%} of the page is not white: blank?"


def main():
    cli, root, work = sys.argv[1:4]
    browser = find_chromium()
    if not browser:
        print("chromium is not installed: skipped")
        return SKIP
    os.makedirs(work, exist_ok=True)
    base = [cli, "report", "rubrics/guanghan-2023.rubric", "--facts", "rubrics/samples/guanghan-2023-cohort-q2.csv",
            "--group", "类别", "--previous", "rubrics/samples/guanghan-2023-cohort-q1.results.csv", "--warn-below", "60"]
    page = os.path.join(work, "report.html")
    subprocess.run(base + ["--format", "html", "--out", page], cwd=root, check=True)
    report = json.loads(subprocess.run(base + ["--format", "json"], cwd=root, check=True, capture_output=True).stdout)

    text = open(page, encoding="utf-8").read()
    assert "<script" not in text.lower(), "the report has a script"
    for bad in ("http://", "https://", "//fonts.", "@import", "url("):
        assert bad not in text.replace('xmlns="http://www.w3.org/2000/svg"', ""), f"the report refers to {bad}"

    dom = chromium(browser, work, "--dump-dom", "file://" + os.path.abspath(page))
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    rows = Rows()
    rows.feed(dom.stdout.decode("utf-8"))
    assert rows.scripts == 0
    expected = [[(u["rank"], u["entity"]) for u in g["units"]] for g in report["groups"]]
    assert len(rows.tables) == len(expected) >= 2, (len(rows.tables), len(expected))
    for got, want in zip(rows.tables, expected):
        assert got == want, f"ranking in the DOM {got}\n  != the JSON report {want}"
        ranks = [r for r, _ in got]
        assert ranks == sorted(ranks) and ranks[0] == 1, ranks
    print("DOM: " + ", ".join(f"{len(t)} ranked units" for t in rows.tables))

    for size in ("412,915", "1280,1600"):
        shot = os.path.join(work, f"shot-{size.replace(',', 'x')}.png")
        if os.path.exists(shot):
            os.remove(shot)
        r = chromium(browser, work, "--screenshot=" + shot, "--window-size=" + size, "file://" + os.path.abspath(page))
        assert r.returncode == 0 and os.path.exists(shot), r.stderr.decode(errors="replace")[-2000:]
        check_screenshot(shot)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
