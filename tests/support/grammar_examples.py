#!/usr/bin/env python3
"""Runs every ```rubric block of grammar/GRAMMAR.md through the CLI: each must
check without errors or warnings (--werror) and its tests must pass. Keeps the
language reference honest. Usage: grammar_examples.py CLI DOC OUTDIR"""
import pathlib
import re
import subprocess
import sys

cli, doc, out = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
blocks = re.findall(r"^```rubric\n(.*?)^```$", doc.read_text(encoding="utf-8"), re.S | re.M)
if not blocks:
    sys.exit(f"no ```rubric blocks in {doc}")
failed = 0
for n, code in enumerate(blocks, 1):
    path = out / f"example-{n}.rubric"
    path.write_text(code, encoding="utf-8")
    for args in (["check", "--werror", str(path)], ["test", str(path)]):
        r = subprocess.run([cli, *args], capture_output=True, text=True)
        if r.returncode != 0:
            failed += 1
            print(f"example {n} ({args[0]}, exit {r.returncode}):\n{r.stdout}{r.stderr}")
print(f"{len(blocks)} examples, {failed} failures")
sys.exit(1 if failed else 0)
