#!/usr/bin/env bash
# Streaming `rubric eval` of a rubric with rank rules (淮安 2021: three `rank` items): N generated
# units (default 1,000,000) in two groups, CSV in and CSV out, measured with /usr/bin/time -v
# (peak RSS and wall time), RUNS times (default 3), printing each run and the medians. Not a
# ctest (the figures depend on the machine).
#
#   bash tests/bench/stream-1m-cohort.sh build/rubric [N] [RUNS]
#
# Such a rubric is read twice (cohort_evaluation.hpp): the first reading keeps, per unit, only
# what the rank rules rank, so memory grows with units × rank rules, not with the facts. The
# units give only the facts of the three rank items (the others are missing: not achieved).
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:?usage: stream-1m-cohort.sh RUBRIC_CLI [N] [RUNS]}
n=${2:-1000000}
runs=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$n" "$tmp/units.csv" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
with open(out, "w", encoding="utf-8") as f:
    f.write("单位,类别,no_review_corrections,correction_rate,no_lost_lawsuits,lost_lawsuit_rate,arrears_repayment_rate\n")
    for i in range(n):
        # deterministic spread of rates (many ties), a third of the units without corrections
        f.write("U%07d,%s,%s,%d%%,%s,%d%%,%d%%\n" % (
            i, "县区" if i % 4 == 0 else "市直部门", "true" if i % 3 == 0 else "false",
            (i * 7) % 50, "true" if i % 5 == 0 else "false", (i * 11) % 30, (i * 13) % 101))
PY
echo "input: $n units, $(du -h "$tmp/units.csv" | cut -f1) of CSV"

walls=() rss=()
for r in $(seq "$runs"); do
  /usr/bin/time -v "$cli" eval rubrics/huaian-2021.rubric --facts "$tmp/units.csv" --group 类别 --format csv \
    --out "$tmp/out.csv" 2> "$tmp/time.txt"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$tmp/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  echo "run $r: wall ${wall} s, peak RSS $((kb / 1024)) MiB, $(($(wc -l < "$tmp/out.csv") - 1)) result rows"
  walls+=("$wall") rss+=("$kb")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mw=$(median "${walls[@]}")
mk=$(median "${rss[@]}")
echo "median: wall ${mw} s ($(awk -v n="$n" -v w="$mw" 'BEGIN {printf "%.0f", n / w}') units/s), peak RSS $((${mk%.*} / 1024)) MiB"

# Measuring and ranking alone (issue 12's figure): the run reads the facts file once to measure,
# ranks, then reads it again to score; the time from the first reading's open to the second's,
# taken from strace's timestamps (only the opens are traced: the reading itself is not slowed).
if command -v strace > /dev/null; then
  ranks=()
  for r in $(seq "$runs"); do
    strace -f -ttt -e trace=openat -o "$tmp/trace.txt" "$cli" eval rubrics/huaian-2021.rubric --facts "$tmp/units.csv" \
      --group 类别 --format csv --out "$tmp/out.csv" --quiet 2> /dev/null
    t=$(awk -v f="$tmp/units.csv" 'index($0, "\"" f "\"") && !/= -1/ {print $2}' "$tmp/trace.txt" | awk 'NR == 1 {a = $1} {b[NR] = $1} END {print b[NR] - a}')
    echo "run $r: measuring and ranking ${t} s (first reading's open to the scoring reading's)"
    ranks+=("$t")
  done
  echo "median: measuring and ranking $(median "${ranks[@]}") s"
fi
