"""The office's own files through the CLI: Excel / WPS workbooks and GBK / UTF-16 CSV in,
the fill-in template, and results as workbooks and Excel-friendly CSV out.

Independent readers and writers only: workbooks are made and read back by openpyxl
(Debian's python3-openpyxl), GBK and UTF-16 files by the iconv program. Expected scores are
worked out by hand from tests/office/data/office.rubric's standards (see EXPECTED_CSV).

Run by ctest (office_cli) with RUBRIC=path/to/rubric; the working directory is a fresh
temporary directory per test.
"""
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl

RUBRIC = os.environ["RUBRIC"]
ROOT = os.environ["RUBRIC_SOURCE_DIR"]
DATA = os.path.join(ROOT, "tests", "office", "data")
OFFICE = os.path.join(DATA, "office.rubric")
FACTS = os.path.join(DATA, "facts.csv")
GUANGHAN = os.path.join(ROOT, "rubrics", "guanghan-2023.rubric")
GUANGHAN_Q2 = os.path.join(ROOT, "rubrics", "samples", "guanghan-2023-cohort-q2.csv")

# Worked out from office.rubric's standards, facts.csv's rows:
#  D01: 是/否 -> 1+0 = 1; 95/100 = 95% >= 90% -> 3; 0.8 x 3 = 2.4; 完备 -> 1; 0.75.  Total 8.15.
#  D02: 有/无 -> 1; 1/3 = 33% -> 0; 85% x 3 = 2.55; 较完备 -> 0.5; 0.7999 (shown 0.8).
#       Total 4.8499, shown 4.85.
#  D03: √/× -> 1; 7/9 = 77.8% -> 1; 0.3 x 3 = 0.9; 不完备 -> 0; 1.  Total 3.9.
#  D04: Y/N -> 1; 0/0 undefined -> 0; entry_rate not given -> 0 (missing 1); 完备 -> 1; 0.  Total 2.
EXPECTED_CSV = (
    "entity,name,total,bonus,1,2,3,4,5,missing\r\n"
    "D01,市发展改革局,8.15,0,1,3,2.4,1,0.75,0\r\n"
    "D02,市司法局,4.85,0,1,0,2.55,0.5,0.8,0\r\n"
    "D03,市财政局,3.9,0,1,1,0.9,0,1,0\r\n"
    "D04,市教育局,2,0,1,0,0,1,0,1\r\n"
)

# The same facts as typed cells: what an office's workbook holds.
HEADER = ["entity", "name", "mechanism", "hired", "completed", "accepted", "entry_rate", "procedure", "review_score"]
ROWS = [
    ["D01", "市发展改革局", True, False, 95, 100, 0.1 + 0.7, "完备", 0.75],      # 0.1 + 0.7 = 0.7999999999999999
    ["D02", "市司法局", "有", "无", 1, 3, 0.85, "较完备", 0.7999000000000001],  # as Excel saves 0.7999
    ["D03", "市财政局", "√", "×", 7, 9, 0.3, "不完备", 1],
    ["D04", "市教育局", "Y", "N", 0, 0, None, "完备", 0],
]


def run(*args, check_rc=0):
    p = subprocess.run([RUBRIC, *args], capture_output=True)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    if check_rc is not None and p.returncode != check_rc:
        raise AssertionError(f"rubric {' '.join(args)}: exit {p.returncode}, expected {check_rc}\n{err}")
    return p.returncode, p.stdout, err


def eval_csv(facts, *extra, rubric=OFFICE):
    return run("eval", rubric, "--facts", facts, "--format", "csv", *extra)[1].decode("utf-8")


def iconv(src, dst, to):
    with open(dst, "wb") as out:
        subprocess.run(["iconv", "-f", "UTF-8", "-t", to, src], stdout=out, check=True)


def office_workbook(path, rows=ROWS, header=HEADER, first_sheet=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet:  # a sheet before the data, to test --sheet
        ws.title = first_sheet
        ws["A1"] = "说明"
        ws = wb.create_sheet("数据")
    else:
        ws.title = "数据"
    ws.append(header)
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        row[0].number_format = "0.0%"  # shown 85.0%, held 0.85
    # What Excel and WPS leave behind: formatted but empty cells far right and below.
    ws.cell(row=30, column=20).number_format = "0.00"
    ws.cell(row=2, column=15).font = openpyxl.styles.Font(bold=True)
    wb.save(path)


def make_shared_strings(path):
    """Rewrites the text cells of the first sheet from inline strings (what Debian's openpyxl
    writes) to shared strings, as Excel and WPS save them: each string once in
    xl/sharedStrings.xml, as two rich-text runs with a phonetic guide (<rPh>) that is not part
    of the text."""
    import xml.etree.ElementTree as ET
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ET.register_namespace("", ns)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = ET.fromstring(parts["xl/worksheets/sheet1.xml"])
    strings, index = [], {}
    for c in sheet.iter(f"{{{ns}}}c"):
        if c.get("t") != "inlineStr":
            continue
        is_ = c.find(f"{{{ns}}}is")
        text = "".join(t.text or "" for t in is_.iter(f"{{{ns}}}t"))
        c.remove(is_)
        c.set("t", "s")
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        ET.SubElement(c, f"{{{ns}}}v").text = str(index[text])
    sst = ET.Element(f"{{{ns}}}sst", count=str(len(strings)), uniqueCount=str(len(strings)))
    for text in strings:
        si = ET.SubElement(sst, f"{{{ns}}}si")
        half = len(text) // 2
        for piece in (text[:half], text[half:]):
            r = ET.SubElement(si, f"{{{ns}}}r")
            t = ET.SubElement(r, f"{{{ns}}}t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        ph = ET.SubElement(si, f"{{{ns}}}rPh", sb="0", eb="1")
        ET.SubElement(ph, f"{{{ns}}}t").text = "PINYIN"
    parts["xl/worksheets/sheet1.xml"] = ET.tostring(sheet, xml_declaration=True, encoding="UTF-8")
    parts["xl/sharedStrings.xml"] = ET.tostring(sst, xml_declaration=True, encoding="UTF-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>",
                        '<Relationship Id="rIdSST" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


class OfficeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rubric-office-")
        self.old = os.getcwd()
        os.chdir(self.dir)

    def tearDown(self):
        os.chdir(self.old)
        shutil.rmtree(self.dir)


class FactsIn(OfficeTest):
    def test_utf8_csv_with_office_booleans(self):
        self.assertEqual(eval_csv(FACTS), EXPECTED_CSV)

    def test_gbk_csv_is_detected(self):
        iconv(FACTS, "gbk.csv", "GBK")
        self.assertEqual(eval_csv("gbk.csv"), EXPECTED_CSV)

    def test_gb18030_named(self):
        iconv(FACTS, "g.csv", "GB18030")
        self.assertEqual(eval_csv("g.csv", "--encoding", "gbk"), EXPECTED_CSV)

    def test_utf16_with_bom(self):
        iconv(FACTS, "u16.csv", "UTF-16")  # glibc writes a BOM for "UTF-16"
        with open("u16.csv", "rb") as f:
            self.assertIn(f.read(2), (b"\xff\xfe", b"\xfe\xff"))
        self.assertEqual(eval_csv("u16.csv"), EXPECTED_CSV)
        # Big-endian, as some Mac tools write it.
        with open("be.csv", "wb") as out:
            out.write(b"\xfe\xff")
            out.write(subprocess.run(["iconv", "-f", "UTF-8", "-t", "UTF-16BE", FACTS], capture_output=True, check=True).stdout)
        self.assertEqual(eval_csv("be.csv"), EXPECTED_CSV)

    def test_cohort_in_gbk_is_byte_identical(self):
        iconv(GUANGHAN_Q2, "q2-gbk.csv", "GBK")
        utf8 = eval_csv(GUANGHAN_Q2, "--group", "类别", rubric=GUANGHAN)
        self.assertEqual(eval_csv("q2-gbk.csv", "--group", "类别", rubric=GUANGHAN), utf8)

    def test_undecodable_names_encoding_and_line(self):
        with open("bad.csv", "wb") as f:
            f.write("entity,name,mechanism\nD01,市司法局,是\n".encode("gbk") + b"D02,\x81\x20,true\n")
        rc, out, err = run("eval", OFFICE, "--facts", "bad.csv", "--format", "csv", "--out", "r.csv", check_rc=1)
        self.assertIn("bad.csv cannot be read as GB18030: line 3", err)
        self.assertFalse(os.path.exists("r.csv"))
        rc, out, err = run("eval", OFFICE, "--facts", "bad.csv", "--lang", "zh", check_rc=1)
        self.assertIn("无法按 GB18030 读取 bad.csv：第 3 行", err)

    def test_unknown_encoding_is_usage(self):
        rc, out, err = run("eval", OFFICE, "--facts", FACTS, "--encoding", "latin-9", check_rc=2)
        self.assertIn("unknown encoding `latin-9`", err)

    def test_workbook_scores_as_csv(self):
        office_workbook("f.xlsx")
        self.assertEqual(eval_csv("f.xlsx"), EXPECTED_CSV)

    def test_workbook_inline_strings(self):
        office_workbook("f.xlsx")
        with zipfile.ZipFile("f.xlsx") as z:
            self.assertIn(b'"inlineStr"', z.read("xl/worksheets/sheet1.xml"))
        self.assertEqual(eval_csv("f.xlsx"), EXPECTED_CSV)

    def test_workbook_shared_strings(self):
        office_workbook("f.xlsx")
        make_shared_strings("f.xlsx")
        with zipfile.ZipFile("f.xlsx") as z:
            self.assertNotIn(b'"inlineStr"', z.read("xl/worksheets/sheet1.xml"))
            self.assertIn(b"<rPh", z.read("xl/sharedStrings.xml"))
        self.assertEqual(eval_csv("f.xlsx"), EXPECTED_CSV)

    def test_workbook_empty_rows_between_units(self):
        rows = [ROWS[0], [None] * 9, ROWS[1], ROWS[2], [None] * 9, [None] * 9, ROWS[3]]
        office_workbook("gaps.xlsx", rows=rows)
        self.assertEqual(eval_csv("gaps.xlsx"), EXPECTED_CSV)

    def test_workbook_named_sheet(self):
        office_workbook("two.xlsx", first_sheet="封面")
        self.assertEqual(eval_csv("two.xlsx", "--sheet", "数据"), EXPECTED_CSV)
        rc, out, err = run("eval", OFFICE, "--facts", "two.xlsx", "--sheet", "汇总", check_rc=1)
        self.assertIn("two.xlsx has no sheet named “汇总” (its sheets: 封面, 数据)", err)

    def test_workbook_fact_error_names_row_entity_field(self):
        rows = [list(r) for r in ROWS]
        rows[2][4] = "七"  # D03's 办结量, row 4 of the sheet
        office_workbook("bad.xlsx", rows=rows)
        rc, out, err = run("eval", OFFICE, "--facts", "bad.xlsx", "--format", "csv", check_rc=1)
        self.assertIn("bad.xlsx:4:", err)
        self.assertIn("entity D03, field `completed`", err)

    def test_workbook_dates_shown_as_dates(self):
        # The name column as a date and a date-time cell: read as Excel shows them.
        rows = [["D01", date(2026, 3, 31)], ["D02", datetime(2026, 3, 31, 8, 30)]]
        office_workbook("d.xlsx", rows=rows, header=["entity", "name"])
        out = eval_csv("d.xlsx")
        self.assertIn("\r\nD01,2026-03-31,", out)
        self.assertIn("\r\nD02,2026-03-31 08:30:00,", out)

    def test_guanghan_cohort_workbook_is_byte_identical(self):
        wb = openpyxl.Workbook()
        ws = wb.active
        with open(GUANGHAN_Q2, encoding="utf-8") as f:
            for i, row in enumerate(csv.reader(f)):
                cells = []
                for v in row:
                    if i == 0 or v == "":
                        cells.append(v or None)
                    elif v in ("true", "false"):
                        cells.append(v == "true")
                    elif v.endswith("%"):
                        cells.append(float(Decimal(v[:-1]) / 100))
                    else:
                        try:
                            cells.append(int(v))
                        except ValueError:
                            try:
                                cells.append(float(v))
                            except ValueError:
                                cells.append(v)
                ws.append(cells)
        wb.save("q2.xlsx")
        make_shared_strings("q2.xlsx")
        utf8 = eval_csv(GUANGHAN_Q2, "--group", "类别", rubric=GUANGHAN)
        self.assertEqual(eval_csv("q2.xlsx", "--group", "类别", rubric=GUANGHAN), utf8)

    def test_explain_reads_a_workbook(self):
        office_workbook("f.xlsx")
        rc, out, err = run("explain", OFFICE, "--facts", "f.xlsx", "--entity", "D02", "--format", "json")
        self.assertIn(b'"entity"', out)


class ExplainAll(OfficeTest):
    """explain --all --format html: one 得分说明 document, a section per unit in input order."""

    def test_html_document(self):
        from html.parser import HTMLParser

        class Sections(HTMLParser):
            def __init__(self):
                super().__init__()
                self.sections, self.tag, self.title = [], None, ""

            def handle_starttag(self, tag, attrs):
                self.tag = tag
                if tag == "section":
                    self.sections.append({"id": dict(attrs)["id"], "h2": "", "pre": ""})

            def handle_endtag(self, tag):
                self.tag = None

            def handle_data(self, data):
                if self.tag == "title":
                    self.title += data
                elif self.tag in ("h2", "pre") and self.sections:
                    self.sections[-1][self.tag] += data

        run("explain", OFFICE, "--facts", FACTS, "--all", "--format", "html", "--lang", "zh", "--out", "all.html")
        with open("all.html", encoding="utf-8") as f:
            doc = Sections()
            doc.feed(f.read())
        self.assertTrue(doc.title.endswith("得分说明"))
        self.assertEqual([s["id"] for s in doc.sections], ["D01", "D02", "D03", "D04"])
        self.assertEqual(doc.sections[1]["h2"], "D02 市司法局")
        # The totals worked out at the top of this file; D02's 4.8499 is shown 4.85 with its exact value.
        self.assertIn("总分 → 8.15分", doc.sections[0]["pre"])
        self.assertIn("总分 → 4.85分（精确值 4.8499）", doc.sections[1]["pre"])
        self.assertIn("总分 → 3.9分", doc.sections[2]["pre"])
        self.assertIn("总分 → 2分", doc.sections[3]["pre"])
        # Each section is what explain --entity says of the unit (its first line is the heading).
        one = run("explain", OFFICE, "--facts", FACTS, "--entity", "D03", "--lang", "zh")[1].decode("utf-8")
        self.assertEqual(doc.sections[2]["h2"] + "\n" + doc.sections[2]["pre"], one)


class ExplainByName(OfficeTest):
    """--entity by id or by the unit's name, as the office knows it."""

    def test_one_unit(self):
        by_id = run("explain", OFFICE, "--facts", FACTS, "--entity", "D02")[1]
        self.assertIn("D02".encode(), by_id)
        self.assertEqual(run("explain", OFFICE, "--facts", FACTS, "--entity", "市司法局")[1], by_id)

    def test_cohort(self):
        cohort = os.path.join(ROOT, "tests", "cohort")
        args = ["explain", os.path.join(cohort, "cohort.rubric"), "--facts", os.path.join(cohort, "clean.csv"), "--group", "类别"]
        by_id = run(*args, "--entity", "D2")[1]
        with open(os.path.join(cohort, "explain-D2.expected.txt"), "rb") as f:
            self.assertEqual(by_id, f.read())
        self.assertEqual(run(*args, "--entity", "部门二")[1], by_id)
        with open(os.path.join(cohort, "clean.csv"), encoding="utf-8") as f:
            text = f.read().replace("D3,部门三", "D3,部门二")
        with open("twice.csv", "w", encoding="utf-8") as f:
            f.write(text)
        args[3] = "twice.csv"
        rc, out, err = run(*args, "--entity", "部门二", check_rc=1)
        self.assertIn("部门二 is the name of several units in twice.csv (D2, D3)", err)

    def test_a_name_given_twice_is_refused(self):
        with open(FACTS, encoding="utf-8") as f:
            text = f.read().replace("D03,市财政局", "D03,市司法局")
        with open("twice.csv", "w", encoding="utf-8") as f:
            f.write(text)
        rc, out, err = run("explain", OFFICE, "--facts", "twice.csv", "--entity", "市司法局", check_rc=1)
        self.assertIn("市司法局 is the name of several units in twice.csv (D02, D03): give the unit's id", err)
        self.assertIn(b"D03", run("explain", OFFICE, "--facts", "twice.csv", "--entity", "D03")[1])
        rc, out, err = run("explain", OFFICE, "--facts", FACTS, "--entity", "市公安局", check_rc=1)
        self.assertEqual(out, b"")


class BadWorkbooks(OfficeTest):
    def refused(self, path, *extra):
        rc, out, err = run("eval", OFFICE, "--facts", path, "--format", "csv", "--out", "r.csv", *extra, check_rc=1)
        self.assertFalse(os.path.exists("r.csv"))
        self.assertEqual(out, b"")
        return err

    def test_truncated(self):
        office_workbook("f.xlsx")
        with open("f.xlsx", "rb") as f:
            data = f.read()
        with open("cut.xlsx", "wb") as f:
            f.write(data[: len(data) // 2])
        self.assertIn("cut.xlsx is not a readable .xlsx workbook", self.refused("cut.xlsx"))

    def test_damaged_part(self):
        office_workbook("f.xlsx")
        with open("f.xlsx", "rb") as f:
            data = bytearray(f.read())
        # Flip bytes inside the sheet's compressed data: inflate or CRC fails.
        with zipfile.ZipFile("f.xlsx") as z:
            info = z.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        for k in range(start + 10, start + 40):
            data[k] ^= 0x5A
        with open("bad.xlsx", "wb") as f:
            f.write(data)
        err = self.refused("bad.xlsx")
        self.assertRegex(err, r"bad\.xlsx is damaged: (its part xl/worksheets/sheet1\.xml cannot be read|xl/worksheets/sheet1\.xml line)")

    def test_password_protected(self):
        # An encrypted workbook is an OLE compound file (as an old .xls is).
        with open("secret.xlsx", "wb") as f:
            f.write(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
        err = self.refused("secret.xlsx")
        self.assertIn("secret.xlsx is a password-protected workbook or an old .xls file", err)

    def test_zip_bomb_stops_at_the_limit(self):
        office_workbook("f.xlsx")
        with zipfile.ZipFile("f.xlsx") as z:
            parts = {n: z.read(n) for n in z.namelist()}
        with zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
            for n, b in parts.items():
                if n != "xl/worksheets/sheet1.xml":
                    z.writestr(n, b)
            with z.open("xl/worksheets/sheet1.xml", "w") as w:
                w.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                for _ in range(64):
                    w.write(b" " * (1 << 20))  # 64 MiB of spaces, a few hundred KB compressed
        self.assertLess(os.path.getsize("bomb.xlsx"), 1 << 20)
        # A part may inflate to 8 times facts-bytes (XML is verbose): 32 MiB here.
        err = self.refused("bomb.xlsx", "--limit", "facts-bytes=4M")
        self.assertIn("bomb.xlsx: the part xl/worksheets/sheet1.xml inflates to more than 33554432 bytes", err)

    def test_shared_string_amplification_is_bounded(self):
        # 4000 cells each naming one 100 KB shared string: 400 MB of text from a small file.
        office_workbook("base.xlsx", rows=[["U0", "x"]], header=["entity", "name"])
        make_shared_strings("base.xlsx")
        with zipfile.ZipFile("base.xlsx") as z:
            parts = {n: z.read(n) for n in z.namelist()}
        ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        parts["xl/sharedStrings.xml"] = (b"<sst " + ns + b"><si><t>entity</t></si><si><t>name</t></si><si><t>" +
                                         "长".encode() * 34000 + b"</t></si></sst>")
        rows = [b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>']
        rows += [b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>U%d</t></is></c><c r="B%d" t="s"><v>2</v></c></row>'
                 % (i, i, i, i) for i in range(2, 4002)]
        parts["xl/worksheets/sheet1.xml"] = b"<worksheet " + ns + b"><sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"
        with zipfile.ZipFile("amp.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
            for n, b in parts.items():
                z.writestr(n, b)
        self.assertLess(os.path.getsize("amp.xlsx"), 1 << 20)
        err = self.refused("amp.xlsx", "--limit", "facts-bytes=8M")
        self.assertIn("the sheet's cells hold more than 8388608 bytes of text", err)

    def test_formula_without_a_saved_value(self):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(HEADER)
        ws.append(["D01", "市司法局", True, True, "=90+5", 100, 0.8, "完备", 1])
        wb.save("formula.xlsx")
        err = self.refused("formula.xlsx")
        self.assertIn("cell E2 holds a formula whose value was never calculated", err)

    def test_data_without_header(self):
        office_workbook("f.xlsx", rows=[ROWS[0] + [None, None, "多余"]])
        err = self.refused("f.xlsx")
        self.assertIn("cell L2 holds data, but its column has no header (L1 is empty)", err)

    def test_not_a_zip_named_xlsx(self):
        with open("text.xlsx", "w") as f:
            f.write("entity\nD01\n")
        self.assertIn("text.xlsx is not a readable .xlsx workbook", self.refused("text.xlsx"))


class Template(OfficeTest):
    def test_workbook_template_filled_scores_as_csv(self):
        with open("units.csv", "w", encoding="utf-8") as f:
            f.write("单位代码,单位名称\n" + "".join(f"{r[0]},{r[1]}\n" for r in ROWS))
        run("template", OFFICE, "--units", "units.csv", "--out", "t.xlsx", "--lang", "zh")
        wb = openpyxl.load_workbook("t.xlsx")
        self.assertEqual(wb.sheetnames, ["填报", "填报说明"])
        ws = wb["填报"]
        self.assertEqual([c.value for c in ws[1]],
                         ["单位代码", "单位名称", "建立法律顾问工作机制", "聘请法律顾问", "办结量", "受理总量", "信息录入率",
                          "决策程序完备程度", "案卷评查评分"])
        self.assertEqual([(ws.cell(i, 1).value, ws.cell(i, 2).value) for i in range(2, 6)], [(r[0], r[1]) for r in ROWS])
        note = ws["C1"].comment.text
        for words in ("输入：mechanism", "指标：1 推进政府法律顾问制度", "提交说明：提供法律顾问聘用合同", "牵头部门：市司法局"):
            self.assertIn(words, note)
        self.assertIn("牵头部门：市政务服务中心", ws["E1"].comment.text)
        rules = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        self.assertEqual((rules["C2"].type, rules["C2"].formula1), ("list", '"是,否"'))
        self.assertEqual((rules["H2"].type, rules["H2"].formula1), ("list", '"完备,较完备,不完备"'))
        self.assertEqual((rules["E2"].type, rules["E2"].operator, rules["E2"].formula1), ("whole", "greaterThanOrEqual", "0"))
        self.assertEqual((rules["G2"].type, rules["G2"].formula1, rules["G2"].formula2), ("decimal", "0", "1"))
        self.assertEqual((rules["I2"].type, rules["I2"].formula1, rules["I2"].formula2), ("decimal", "0", "1"))
        guide = wb["填报说明"]
        self.assertEqual(guide["A2"].value, "建立法律顾问工作机制")
        self.assertEqual(guide["B2"].value, "mechanism")
        # The office fills it in (drop-down words, numbers, a percent typed as 85%), and saves.
        for i, r in enumerate(ROWS, start=2):
            for j, v in enumerate(r[2:], start=3):
                if v is True or v is False:
                    v = "是" if v else "否"
                ws.cell(i, j, v)
        wb.save("filled.xlsx")
        self.assertEqual(eval_csv("filled.xlsx"), EXPECTED_CSV)

    def test_choice_labels_in_the_template_and_back(self):
        # rubrics/examples/points.rubric: channel is choice [database "数据库对接", frontend "前置机",
        # other "其他"] "报送方式". The drop-down offers the labels (GRAMMAR.md, "Labels"); an office that
        # picks one is scored by it. Worked by hand from the rule points channel [database: 2,
        # frontend: 2, other: 1]: 前置机 -> 2, 其他 -> 1; awards [国家级;市级] -> the highest, 5.
        points = os.path.join(ROOT, "rubrics", "examples", "points.rubric")
        with open("units.csv", "w", encoding="utf-8") as f:
            f.write("单位代码,单位名称\nU1,甲\nU2,乙\n")
        run("template", points, "--units", "units.csv", "--out", "t.xlsx", "--lang", "zh")
        wb = openpyxl.load_workbook("t.xlsx")
        ws = wb["填报"]
        header = [c.value for c in ws[1]]
        self.assertEqual(header, ["单位代码", "单位名称", "报送方式", "获奖级别"])
        rules = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        self.assertEqual((rules["C2"].type, rules["C2"].formula1), ("list", '"数据库对接,前置机,其他"'))
        ws["C2"], ws["D2"] = "前置机", "国家级;市级"
        ws["C3"], ws["D3"] = "其他", ""
        wb.save("filled.xlsx")
        out = eval_csv("filled.xlsx", rubric=points)
        rows = list(csv.reader(io.StringIO(out)))
        col = {name: i for i, name in enumerate(rows[0])}
        self.assertEqual([(r[col["entity"]], r[col["1"]], r[col["2"]]) for r in rows[1:]], [("U1", "2", "5"), ("U2", "1", "0")])

    def test_csv_template_has_bom_and_reads_back(self):
        run("template", OFFICE, "--format", "csv", "--out", "t.csv", "--lang", "zh")
        with open("t.csv", "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        header = data[3:].decode("utf-8").splitlines()[0]
        self.assertEqual(header, "单位代码,单位名称,建立法律顾问工作机制,聘请法律顾问,办结量,受理总量,信息录入率,决策程序完备程度,案卷评查评分")
        with open("filled.csv", "wb") as f:
            f.write(data)
            with open(FACTS, encoding="utf-8") as src:
                f.write("".join(src.readlines()[1:]).encode("utf-8"))
        self.assertEqual(eval_csv("filled.csv"), EXPECTED_CSV)

    def test_english_template_name_column(self):
        run("template", OFFICE, "--format", "csv", "--out", "t.csv", "--lang", "en", "--no-bom")
        with open("t.csv", "rb") as f:
            self.assertTrue(f.read().startswith("unit id,name,建立法律顾问工作机制".encode()))


class ResultsOut(OfficeTest):
    def test_eval_workbook_cell_by_cell(self):
        run("eval", OFFICE, "--facts", FACTS, "--format", "xlsx", "--out", "r.xlsx", "--lang", "zh")
        wb = openpyxl.load_workbook("r.xlsx")
        ws = wb.active
        self.assertEqual(ws.title, "评分结果")
        head = [c.value for c in ws[1]]
        self.assertEqual(head, ["单位代码", "单位名称", "总分", "总分（精确值）", "附加分",
                                "1 推进政府法律顾问制度 (2)", "2 市民诉求办结率 (3)", "3 信息录入率 (3)", "4 决策程序 (1)",
                                "5 案卷评查 (1)", "5 案卷评查 (1)（精确值）", "未提供的输入数"])
        # Hand-worked (see EXPECTED_CSV): D02's total 4.8499 is shown 4.85, its item 5 0.7999 as 0.8.
        expected = [
            ["D01", "市发展改革局", "8.15", None, "0", "1", "3", "2.4", "1", "0.75", None, "0"],
            ["D02", "市司法局", "4.85", "4.8499", "0", "1", "0", "2.55", "0.5", "0.8", "0.7999", "0"],
            ["D03", "市财政局", "3.9", None, "0", "1", "1", "0.9", "0", "1", None, "0"],
            ["D04", "市教育局", "2", None, "0", "1", "0", "0", "1", "0", None, "1"],
        ]
        for i, want in enumerate(expected, start=2):
            got = []
            for j, cell in enumerate(ws[i]):
                v = cell.value
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    self.assertNotIn(j, (0, 1, 3, 10), f"column {j} must be text")
                    got.append(str(Decimal(repr(v)).normalize()) if v != int(v) else str(int(v)))
                else:
                    got.append(v)
            self.assertEqual(got, want, f"row {i}")
        self.assertEqual(ws["C3"].number_format, "0.00")

    def test_report_workbook_cell_by_cell(self):
        run("report", OFFICE, "--facts", FACTS, "--format", "xlsx", "--warn-below", "4", "--out", "rep.xlsx", "--lang", "zh")
        wb = openpyxl.load_workbook("rep.xlsx")
        self.assertEqual(wb.sheetnames, ["排名", "分项得分", "失分点", "部门失分", "预警"])

        def values(ws):
            out = []
            for row in ws.iter_rows(values_only=True):
                out.append([v if not isinstance(v, (int, float)) or isinstance(v, bool)
                            else str(Decimal(repr(v)).normalize()) if v != int(v) else str(int(v)) for v in row])
            return out
        # Ranked by exact total (EXPECTED_CSV): 8.15, 4.8499, 3.9, 2. The gap is the difference
        # of the shown totals (8.15 - 4.85 = 3.3), the exact one beside it (8.15 - 4.8499 = 3.3001).
        self.assertEqual(values(wb["排名"]), [
            ["类别", "排名", "单位代码", "单位名称", "总分", "总分（精确值）", "与第一名差距", "与第一名差距（精确值）", "附加分", "预警"],
            [None, "1", "D01", "市发展改革局", "8.15", None, "0", None, "0", None],
            [None, "2", "D02", "市司法局", "4.85", "4.8499", "3.3", "3.3001", "0", None],
            [None, "3", "D03", "市财政局", "3.9", None, "4.25", None, "0", "总分低于4分"],
            [None, "4", "D04", "市教育局", "2", None, "6.15", None, "0", "总分低于4分"],
        ])
        # Points lost per item (points minus score, summed): item 2: 0+3+2+3 = 8 (3 units);
        # item 3: 0.6+0.45+2.1+3 = 6.15 (4); item 1: 1 each = 4 (4); item 4: 0.5+1 = 1.5 (2);
        # item 5: 0.25+0.2001+0+1 = 1.4501 (3), shown 1.45.
        self.assertEqual(values(wb["失分点"]), [
            ["指标", "分值", "失分单位数", "失分合计", "失分合计（精确值）", "牵头部门"],
            ["2 市民诉求办结率", "3", "3", "8", None, "市政务服务中心"],
            ["3 信息录入率", "3", "4", "6.15", None, None],
            ["1 推进政府法律顾问制度", "2", "4", "4", None, "市司法局"],
            ["4 决策程序", "1", "2", "1.5", None, None],
            ["5 案卷评查", "1", "3", "1.45", "1.4501", None],
        ])
        self.assertEqual(values(wb["部门失分"])[1:], [["市政务服务中心", "1", "8"], ["市司法局", "1", "4"]])
        self.assertEqual(values(wb["预警"])[1:], [[None, "D03", "市财政局", "3.9", "总分低于4分"],
                                                [None, "D04", "市教育局", "2", "总分低于4分"]])
        self.assertEqual(values(wb["分项得分"])[2][:4], [None, "D02", "市司法局", "4.85"])

    def test_workbooks_leave_what_does_not_apply_empty(self):
        # rubrics/examples/cases.rubric on tests/report/cases.csv, worked out in tests/report_tests.cmake:
        # A (水利局) 36 + 30 + 10 = 76, 2.3 not its own; B (公路局, by its label) 32 + 60 = 92 and C
        # (交通局) 40 + 30 = 70, 2.1 and 2.2 not theirs. Empty cells, not 0; missing: rated (A),
        # water_files and unpublished (B, C). The lost points: 2.3 30 (C), 2.2 20 (A), 1.1 4 + 8.
        cases = os.path.join(ROOT, "rubrics", "examples", "cases.rubric")
        facts = os.path.join(ROOT, "tests", "report", "cases.csv")
        run("eval", cases, "--facts", facts, "--format", "xlsx", "--out", "cases.xlsx")
        rows = list(openpyxl.load_workbook("cases.xlsx").worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[1:], [("A", None, 76, 0, 36, 36, 40, 30, 10, None, 1),
                                    ("B", None, 92, 0, 32, 32, 60, None, None, 60, 2),
                                    ("C", None, 70, 0, 40, 40, 30, None, None, 30, 2)])
        run("report", cases, "--facts", facts, "--format", "xlsx", "--out", "cases-report.xlsx")
        wb = openpyxl.load_workbook("cases-report.xlsx")
        self.assertEqual(list(wb["scores"].iter_rows(values_only=True))[1:],
                         [(None, "A", None, 76, 0, 36, 36, 40, 30, 10, None),
                          (None, "B", None, 92, 0, 32, 32, 60, None, None, 60),
                          (None, "C", None, 70, 0, 40, 40, 30, None, None, 30)])
        self.assertEqual(list(wb["lost points"].iter_rows(values_only=True))[1:],
                         [("2.3 交通运输信用评价", 60, 1, 30, None), ("2.2 水利行业黑名单公示", 30, 1, 20, None),
                          ("1.1 信用信息按时报送", 40, 2, 12, None)])

    def test_report_workbook_grand_total_and_grade(self):
        # tests/report/README.md, "Ranked by the grand total": ranked by total + bonus + adjustments
        # (U2 13, U1 9, U3 8, U5 8, U4 2), the gap of it to 13, the grade and the vetoes that fired.
        adjusted = os.path.join(ROOT, "tests", "report", "adjusted.rubric")
        run("report", adjusted, "--facts", os.path.join(ROOT, "tests", "report", "adjusted.csv"), "--format", "xlsx",
            "--out", "adj.xlsx", "--lang", "zh")
        wb = openpyxl.load_workbook("adj.xlsx")
        rows = [[v if not isinstance(v, (int, float)) or isinstance(v, bool)
                 else str(Decimal(repr(v)).normalize()) if v != int(v) else str(int(v)) for v in row]
                for row in wb["排名"].iter_rows(values_only=True)]
        veto = "被通报批评的，不得评为优秀"
        self.assertEqual(rows, [
            ["类别", "排名", "单位代码", "单位名称", "总分", "与第一名差距", "附加分", "奖扣分", "总得分", "1 工作", "1 排名",
             "预警", "等级", "否决"],
            [None, "1", "U2", "二", "8", "0", "2", "3", "13", "8", "4", None, "优秀", None],
            [None, "2", "U1", "一", "9", "4", "0", "0", "9", "9", "2", None, "合格", None],
            [None, "3", "U3", "三", "10", "5", "0", "-2", "8", "10", "1", None, "合格", veto],
            [None, "3", "U5", "五", "9", "5", "0", "-1", "8", "9", "2", None, "合格", veto],
            [None, "5", "U4", "四", "7", "11", "0", "-5", "2", "7", "5", None, "不合格", veto],
        ])

    def test_eval_workbook_lists_units_not_scored(self):
        with open(FACTS, encoding="utf-8") as f:
            text = f.read().replace("D03,市财政局,√,×,7,9", "D03,市财政局,√,×,七,9")
        with open("bad.csv", "w", encoding="utf-8") as f:
            f.write(text)
        rc, out, err = run("eval", OFFICE, "--facts", "bad.csv", "--format", "xlsx", "--skip-bad", "--out", "r.xlsx",
                           "--lang", "zh", check_rc=1)
        wb = openpyxl.load_workbook("r.xlsx")
        self.assertEqual(wb.sheetnames, ["评分结果", "未评分单位"])
        self.assertEqual([r[0].value for r in wb["评分结果"].iter_rows(min_row=2)], ["D01", "D02", "D04"])
        rows = list(wb["未评分单位"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], "D03")
        self.assertIn("completed", rows[0][1])

    def test_report_csv_bom_reads_back_as_previous(self):
        run("report", OFFICE, "--facts", FACTS, "--format", "csv", "--bom", "--out", "q1.csv")
        with open("q1.csv", "rb") as f:
            self.assertTrue(f.read().startswith(b"\xef\xbb\xbfgroup,rank,entity,name,total"))
        rc, out, err = run("report", OFFICE, "--facts", FACTS, "--format", "csv", "--previous", "q1.csv")
        # The same facts again: every unit keeps its rank (持平, "same"), its change of total 0.
        lines = out.decode("utf-8").splitlines()
        self.assertEqual(len(lines), 5)
        for line in lines[1:]:
            self.assertTrue(line.endswith(",0,0,same"), line)

    def test_csv_labels_get_a_bom(self):
        run("eval", OFFICE, "--facts", FACTS, "--format", "csv", "--headers", "labels", "--out", "r.csv", "--lang", "zh")
        with open("r.csv", "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        lines = data[3:].decode("utf-8").split("\r\n")
        self.assertEqual(lines[0], "单位代码,单位名称,总分,附加分,1 推进政府法律顾问制度 (2),2 市民诉求办结率 (3),"
                                   "3 信息录入率 (3),4 决策程序 (1),5 案卷评查 (1),未提供的输入数")
        self.assertEqual("\r\n".join(lines[1:]), EXPECTED_CSV.split("\r\n", 1)[1])

    def test_csv_bom_switches(self):
        run("eval", OFFICE, "--facts", FACTS, "--format", "csv", "--bom", "--out", "a.csv")
        with open("a.csv", "rb") as f:
            self.assertEqual(f.read(), b"\xef\xbb\xbf" + EXPECTED_CSV.encode())
        run("eval", OFFICE, "--facts", FACTS, "--format", "csv", "--headers", "labels", "--no-bom", "--out", "b.csv")
        with open("b.csv", "rb") as f:
            self.assertFalse(f.read().startswith(b"\xef\xbb\xbf"))
        rc, out, err = run("eval", OFFICE, "--facts", FACTS, "--headers", "names", check_rc=2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
