#!/usr/bin/env python3
"""Writes the bundled 广汉 2023 sample cohort: two quarters of facts for 12 市直部门 and
12 镇（街道）, grouped by the column 类别 (rubric report --group 类别).

The units start from the 12 hand-written sample units (guanghan-2023-units.csv): towns from the
town rows, departments from the department rows, each varied by a fixed random seed so that the
cohort is reproducible. Two ties are made on purpose: 市教育局 and 市卫生健康局 differ only in
which half of item 1.1.3 (法律顾问) they miss, as do 南丰镇 and 南兴镇. Q2 improves most units a
little, sets a few back, and adds one unit (市退役军人事务局, 新增).

    python3 rubrics/samples/make-guanghan-cohort.py    # rewrites the two CSV files
"""
import csv
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "guanghan-2023-units.csv"), encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, base = rows[0], rows[1:]
by_id = {r[0]: r for r in base}

departments = ["市发展改革局", "市司法局", "市财政局", "市市场监管局", "市人力资源社会保障局", "市自然资源局",
               "市住房城乡建设局", "市教育局", "市卫生健康局", "市政务服务和大数据局", "市生态环境局", "市交通运输局"]
towns = ["雒城街道", "金雁街道", "汉州街道", "西高镇", "三星堆镇", "向阳镇", "连山镇", "高坪镇", "小汉镇",
         "南丰镇", "南兴镇", "三水镇"]
dept_templates = ["GH10", "GH11", "GH12"]
town_templates = ["GH01", "GH02", "GH03", "GH04", "GH05", "GH06", "GH07", "GH08", "GH09"]

bool_cols = [i for i in range(2, len(header)) if all(r[i] in ("true", "false", "") for r in base) and
             any(r[i] in ("true", "false") for r in base)]


def vary(row, rng, flips, good_share):
    row = list(row)
    for i in rng.sample(bool_cols, flips):
        row[i] = "true" if rng.random() < good_share else "false"
    return row


rng = random.Random(2023)
q1 = []
for k, name in enumerate(departments):
    t = by_id[dept_templates[k % 3]]
    row = vary(t, rng, 10, 0.55)
    q1.append(["SZ%02d" % (k + 1), name, "市直部门"] + row[2:])
for k, name in enumerate(towns):
    t = by_id[town_templates[k]] if k < 9 else by_id[town_templates[k % 9 + 3]]
    row = vary(t, rng, 8 if k < 9 else 12, 0.5)
    q1.append(["ZJ%02d" % (k + 1), name, "镇（街道）"] + row[2:])

col = {h: i + 1 for i, h in enumerate(header)}  # +1: the 类别 column is inserted after name


def tie(a, b):
    """Makes b a copy of a that misses the other half of item 1.1.3 (each 0.5): equal totals."""
    ra = next(r for r in q1 if r[1] == a)
    rb = next(r for r in q1 if r[1] == b)
    rb[3:] = ra[3:]
    ra[col["legal_adviser_mechanism"]], ra[col["legal_adviser_hired"]] = "true", "false"
    rb[col["legal_adviser_mechanism"]], rb[col["legal_adviser_hired"]] = "false", "true"


tie("市教育局", "市卫生健康局")
tie("南丰镇", "南兴镇")

rng = random.Random(20230701)
q2 = []
for r in q1:
    head, facts = r[:3], r[3:]
    improved = vary(["", ""] + facts, rng, 9, 0.7)[2:]
    q2.append(head + improved)
q2.append(["SZ13", "市退役军人事务局", "市直部门"] + vary(by_id["GH11"], rng, 14, 0.4)[2:])

out_header = header[:2] + ["类别"] + header[2:]
for name, data in (("guanghan-2023-cohort-q1.csv", q1), ("guanghan-2023-cohort-q2.csv", q2)):
    with open(os.path.join(here, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(out_header)
        w.writerows(data)
