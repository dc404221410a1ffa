#!/usr/bin/env bash
# Streaming `rubric eval`: N generated units (default 1,000,000) from CSV through the 广汉 2023
# rubric to CSV, measured with /usr/bin/time -v (peak RSS and wall time), RUNS times (default 3),
# printing each run and the medians. Not a ctest (the figures depend on the machine).
#
#   cmake -S . -B build-report-rel -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build-report-rel -j2 --target rubric_cli
#   bash tests/bench/stream-1m.sh build-report-rel/rubric [N] [RUNS]
#
# The units are the 12 bundled sample units (rubrics/samples/guanghan-2023-units.csv) repeated
# with new ids, so the file is ~N/12 copies of realistic rows (≈ 400 bytes a row). The input
# and output live in a temporary directory that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:?usage: stream-1m.sh RUBRIC_CLI [N] [RUNS]}
n=${2:-1000000}
runs=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$n" "$tmp/units.csv" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
lines = open("rubrics/samples/guanghan-2023-units.csv", encoding="utf-8").read().splitlines()
head, rows = lines[0], [l.split(",", 1)[1] for l in lines[1:]]
with open(out, "w", encoding="utf-8") as f:
    f.write(head + "\n")
    for i in range(n):
        f.write("U%07d,%s\n" % (i, rows[i % len(rows)]))
PY
echo "input: $n units, $(du -h "$tmp/units.csv" | cut -f1) of CSV"

walls=() rss=()
for r in $(seq "$runs"); do
  /usr/bin/time -v "$cli" eval rubrics/guanghan-2023.rubric --facts "$tmp/units.csv" --format csv --out "$tmp/out.csv" \
    2> "$tmp/time.txt"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$tmp/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  echo "run $r: wall ${wall} s, peak RSS $((kb / 1024)) MiB, $(($(wc -l < "$tmp/out.csv") - 1)) result rows"
  walls+=("$wall") rss+=("$kb")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mw=$(median "${walls[@]}")
mk=$(median "${rss[@]}")
echo "median: wall ${mw} s ($(awk -v n="$n" -v w="$mw" 'BEGIN {printf "%.0f", n / w}') units/s), peak RSS $((${mk%.*} / 1024)) MiB"
