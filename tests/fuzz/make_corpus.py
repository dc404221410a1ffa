#!/usr/bin/env python3
"""Generates the fuzz seed corpora from the project's own files (nothing is copied into git).

    python3 tests/fuzz/make_corpus.py --source . --out build-fuzz/corpus [--shared ../shared]

Writes OUT/<target>/<name> for the targets parse, check, fmt, eval, paths, facts, run, decimal, capi and fault:
  parse, check, fmt  every *.rubric under rubrics/ and tests/, the ```rubric blocks of
                grammar/GRAMMAR.md and README.md;
  eval          FLAGS + rubric + "\\n@facts\\n" + facts: each rubric with facts made from its
                own `test` blocks (CSV, JSON, JSON lines and `name = value` lines), the
                bundled samples with their rubric, and a few flag variations;
  paths         the eval seeds (the same layout);
  facts         FLAGS + facts: rubrics/samples/*, the golden facts, csv-spectrum (shared/oracles),
                and the facts made from the rubrics' tests, in every reader mode;
  run           FLAGS + facts: the CSV and JSON-lines facts of the facts target, each with a few
                flag variations (its own rubric is fixed: the hand-picked seeds fit it);
  decimal       FLAGS + "a b": the operands of the decTest oracle (shared/oracles/decimal);
  capi          each rubric with a call script that scores the entities made from its tests
                one call at a time, then in one batch call;
  fault         FLAGS N0 N1 + rubric + "\\n@facts\\n" + facts: the small rubrics with the facts
                made from their tests, each with a few allocation numbers N.
Each target also gets the hand-picked seeds of tests/fuzz/seeds/<target>/. Files are named by
a hash of their content, so running the script again adds nothing twice.
"""
import argparse
import hashlib
import json
import os
import re
import sys

SEP = b"\n@facts\n"


def write(out, target, data):
    # Target 8 (paths) reads what target 3 (eval) reads: it gets every eval seed too.
    for t in (target, "paths") if target == "eval" else (target,):
        d = os.path.join(out, t)
        os.makedirs(d, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def rubric_files(src):
    found = []
    for top in ("rubrics", "tests"):
        for root, dirs, files in os.walk(os.path.join(src, top)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".rubric"):
                    found.append(os.path.join(root, name))
    return found


def md_blocks(path):
    if not os.path.exists(path):
        return []
    text = read(path).decode("utf-8", "replace")
    return [m.group(1).encode() for m in re.finditer(r"```rubric\n(.*?)```", text, re.S)]


def split_top(s):
    """Splits `a = 1, b = [1, 2], c = "x,y"` at the commas outside brackets and quotes."""
    parts, depth, quote, cur = [], 0, False, ""
    for ch in s:
        if ch == '"':
            quote = not quote
        elif not quote and ch == "[":
            depth += 1
        elif not quote and ch == "]":
            depth -= 1
        if not quote and depth == 0 and ch in ",，":
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return parts


def test_entities(text):
    """Facts from a rubric's own tests: one entity per test, {name: value text}."""
    entities = []
    for m in re.finditer(r"(?:\bgiven\b|已知)(.*?)(?=\bexpect\b|预期|\})", text, re.S):
        facts = {}
        for part in split_top(m.group(1)):
            if "=" not in part:
                continue
            k, v = part.split("=", 1)
            k, v = k.strip(), v.strip()
            if v.startswith('"') and v.endswith('"'):
                v = v[1:-1]
            if k:
                facts[k] = v
        if facts:
            entities.append(facts)
    return entities


def csv_cell(v):
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def as_json_value(v):
    if v in ("true", "false", "是", "否"):
        return v in ("true", "是")
    if re.fullmatch(r"-?\d+(\.\d+)?", v):
        return json.loads(v)
    if v.startswith("[") and v.endswith("]"):
        return [as_json_value(x.strip()) for x in split_top(v[1:-1]) if x.strip()]
    return v


def facts_texts(entities):
    """The same entities as CSV, JSON, JSON lines and `name = value` lines."""
    names = []
    for e in entities:
        for k in e:
            if k not in names:
                names.append(k)
    rows = [",".join(["entity"] + [csv_cell(n) for n in names])]
    for i, e in enumerate(entities):
        rows.append(",".join(["E%d" % (i + 1)] + [csv_cell(e.get(n, "")) for n in names]))
    csv_text = ("\r\n".join(rows) + "\r\n").encode()
    objs = []
    for i, e in enumerate(entities):
        o = {"entity": "E%d" % (i + 1)}
        o.update({k: as_json_value(v) for k, v in e.items()})
        objs.append(o)
    json_text = json.dumps(objs, ensure_ascii=False, indent=1).encode()
    jsonl_text = "\n".join(json.dumps(o, ensure_ascii=False) for o in objs).encode() + b"\n"
    given_text = "\n\n".join("\n".join("%s = %s" % kv for kv in e.items()) for e in entities).encode() + b"\n"
    return {0: csv_text, 1: json_text, 2: jsonl_text, 3: given_text}


def capi_script(entities, batch_facts):
    """A call sequence for the C ABI target: score each entity, then a batch over `batch_facts`."""
    lines = ["q|0", "n", "n1", "m"]
    for i, e in enumerate(entities):
        lines.append("e|E%d" % (i + 1))
        lines += ["f|%s|%s" % (k, v) for k, v in e.items()]
        lines += ["R", "t", "s|1", "a|0", "j", "x", "c", "r"]
    lines += ["F1", "b|1|3|0"]
    return ("\n".join(lines) + "\n").encode() + batch_facts


def json_to_lines(data):
    try:
        v = json.loads(data.decode("utf-8"))
    except Exception:
        return None
    if isinstance(v, dict):
        v = [v]
    if not isinstance(v, list):
        return None
    # A lone surrogate escape ("\ud83d", a case of tests/bad) has no UTF-8 form: keep it as
    # the bytes CESU-8 would give, which is itself a useful malformed seed.
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in v).encode("utf-8", "surrogatepass") + b"\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default=None)
    a = ap.parse_args()
    src = os.path.abspath(a.source)
    shared = a.shared or os.path.join(src, "..", "shared")
    out = a.out

    rubrics = [(p, read(p)) for p in rubric_files(src)]
    snippets = md_blocks(os.path.join(src, "grammar", "GRAMMAR.md")) + md_blocks(os.path.join(src, "README.md"))
    texts = [t for _, t in rubrics] + snippets

    # 1, 2: rubric text alone.
    for t in texts:
        write(out, "parse", t)
        write(out, "check", t)
        write(out, "fmt", t)

    # 3: rubric + facts, with the option byte.
    generated_facts = []
    for t in texts:
        ents = test_entities(t.decode("utf-8", "replace"))
        for fmt, ft in facts_texts(ents).items() if ents else []:
            generated_facts.append((fmt, ft))
            # Large rubrics once; small ones also with their tests run and every entity explained.
            for extra in (0x00, 0xC0) if len(t) < 8192 else (0x00,):
                write(out, "eval", bytes([fmt | extra]) + t + SEP + ft)
        write(out, "eval", bytes([0xC0]) + t)  # no facts: every fact missing
        if ents and len(t) < 4096:
            # The fault target runs each input three times and fails one allocation: small ones.
            fts = facts_texts(ents)
            for i, (fmt, flags) in enumerate(((0, 0x20 | 0xC0), (2, 0x12 | 0x80), (1, 0x04 | 0x40), (2, 0x80))):
                n = (i * 7919 + len(t)) & 0xFFFF
                write(out, "fault", bytes([flags | fmt, n & 0xFF, n >> 8]) + t + SEP + fts[fmt])
        if ents:
            write(out, "capi", bytes([0x00]) + t + SEP + capi_script(ents, facts_texts(ents)[0]))
            write(out, "capi", bytes([0x04]) + t + SEP + b"q|1\nn1\nP\n" + capi_script(ents, facts_texts(ents)[2]).replace(b"b|1|3|0", b"b|3|3|1"))
        if len(t) < 8192:
            write(out, "eval", bytes([0x10 | 0x04]) + t)
    samples = os.path.join(src, "rubrics", "samples")
    pairs = []
    if os.path.isdir(samples):
        for name in sorted(os.listdir(samples)):
            stem = re.sub(r"-units$", "", os.path.splitext(name)[0])
            rp = os.path.join(src, "rubrics", stem + ".rubric")
            if os.path.exists(rp):
                pairs.append((rp, os.path.join(samples, name)))
    good = os.path.join(src, "tests", "golden", "good")
    if os.path.isdir(good):
        for name in sorted(os.listdir(good)):
            if name.endswith(".rubric"):
                stem = name[: -len(".rubric")]
                for ext in (".facts.csv", ".facts.json", ".facts.jsonl"):
                    if os.path.exists(os.path.join(good, stem + ext)):
                        pairs.append((os.path.join(good, name), os.path.join(good, stem + ext)))
    for rp, fp in pairs:
        fmt = 0 if fp.endswith(".csv") else 2 if fp.endswith((".jsonl", ".ndjson")) else 1
        facts = read(fp)
        generated_facts.append((fmt, facts))
        for extra in (0x00, 0x84) if len(read(rp)) < 8192 else (0x80,):
            write(out, "eval", bytes([fmt | extra]) + read(rp) + SEP + facts)

    # 4: facts readers.
    sources = []
    if os.path.isdir(samples):
        sources += [os.path.join(samples, n) for n in sorted(os.listdir(samples))]
    for root, dirs, files in os.walk(os.path.join(src, "tests")):
        dirs.sort()
        sources += [os.path.join(root, n) for n in sorted(files) if n.endswith((".csv", ".json", ".jsonl", ".ndjson"))]
    spectrum = os.path.join(shared, "oracles", "csv-spectrum")
    for sub in ("csvs", "json"):
        d = os.path.join(spectrum, sub)
        if os.path.isdir(d):
            sources += [os.path.join(d, n) for n in sorted(os.listdir(d))]
    for p in sources:
        data = read(p)
        if p.endswith(".csv"):
            for flags in (0x00, 0x12, 0x26):  # run: one thread; skip bad, two threads; unknown columns, JSON-lines out
                write(out, "run", bytes([flags]) + data)
        elif p.endswith((".jsonl", ".ndjson")):
            for flags in (0x01, 0x13, 0x27):
                write(out, "run", bytes([flags]) + data)
        if p.endswith(".csv"):
            for flags in (0x00, 0x03, 0x0B, 0x04, 0x07):
                write(out, "facts", bytes([flags]) + data)
        elif p.endswith(".json"):
            for flags in (0x01, 0x05, 0x21):
                write(out, "facts", bytes([flags]) + data)
            lines = json_to_lines(data)
            if lines:
                write(out, "facts", bytes([0x02]) + lines)
                write(out, "facts", bytes([0x06]) + lines)
        else:
            write(out, "facts", bytes([0x02]) + data)
    for fmt, ft in generated_facts:
        if fmt < 3:
            write(out, "facts", bytes([fmt]) + ft)
            if fmt == 0:
                write(out, "facts", bytes([0x03]) + ft)

    # 5: decimal operands.
    dec = os.path.join(shared, "oracles", "decimal")
    seen = set()
    for tsv in ("dectest_cases.tsv", "dectest_rounded_ops.tsv"):
        p = os.path.join(dec, tsv)
        if not os.path.exists(p):
            continue
        for i, line in enumerate(read(p).decode("utf-8", "replace").splitlines()):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.split("\t")
            pair = (cols[1], cols[2]) if len(cols) > 2 else (cols[1], "")
            if pair in seen:
                continue
            seen.add(pair)
            flags = (i * 37) & 0xFF
            text = pair[0] + (" " + pair[1] if pair[1] else "")
            write(out, "decimal", bytes([flags]) + text.encode())

    # 6: the C ABI: rubric + a call script (written above, with the eval seeds).

    # The hand-picked seeds.
    seeds = os.path.join(src, "tests", "fuzz", "seeds")
    if os.path.isdir(seeds):
        for target in sorted(os.listdir(seeds)):
            d = os.path.join(seeds, target)
            for n in sorted(os.listdir(d)):
                if not n.startswith("."):
                    write(out, target, read(os.path.join(d, n)))

    for target in sorted(os.listdir(out)):
        print("corpus %-8s %5d files" % (target, len(os.listdir(os.path.join(out, target)))))


if __name__ == "__main__":
    sys.exit(main())
