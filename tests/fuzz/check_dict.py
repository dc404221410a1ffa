#!/usr/bin/env python3
"""Checks that tests/fuzz/rubric.dict holds every keyword of the grammar (English and Chinese).

    python3 tests/fuzz/check_dict.py grammar/rubric/grammar/rules.hpp tests/fuzz/rubric.dict

The keywords are read from the RUBRIC_KW_ZH(name, "english", RUBRIC_ZH("中文")…) lines of
rules.hpp; a dictionary entry is "…" with non-ASCII bytes written as \\xNN. Exit 1, listing the
missing ones, when the dictionary has fallen behind the grammar.
"""
import re
import sys


def entries(path):
    out = set()
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.search(r'"(.*)"\s*$', line)
        if not m:
            continue
        raw = m.group(1)
        b = bytearray()
        i = 0
        while i < len(raw):
            if raw[i] == "\\" and i + 1 < len(raw) and raw[i + 1] == "x":
                b.append(int(raw[i + 2 : i + 4], 16))
                i += 4
            elif raw[i] == "\\" and i + 1 < len(raw):
                b.append(ord(raw[i + 1]))
                i += 2
            else:
                b.append(ord(raw[i]))
                i += 1
        out.add(bytes(b).decode("utf-8", "replace"))
    return out


def keywords(path):
    text = open(path, encoding="utf-8").read()
    words = []
    for m in re.finditer(r'RUBRIC_KW_ZH\(\w+, "([^"]+)"(.*?)\)\n', text):
        words.append(m.group(1))
        words += re.findall(r'RUBRIC_ZH\("([^"]+)"\)', m.group(2))
    return words


def main():
    rules, dict_path = sys.argv[1], sys.argv[2]
    words = keywords(rules)
    if len(words) < 50:
        print("check_dict: found only %d keywords in %s: has the grammar's keyword syntax changed?" % (len(words), rules))
        return 1
    have = entries(dict_path)
    missing = [w for w in words if w not in have]
    if missing:
        print("check_dict: %s lacks %d keywords: %s" % (dict_path, len(missing), ", ".join(missing)))
        return 1
    print("check_dict: all %d keywords are in %s" % (len(words), dict_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
