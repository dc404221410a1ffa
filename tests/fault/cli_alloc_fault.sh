#!/usr/bin/env bash
# cli_alloc_fault.sh: `rubric eval` with its Nth allocation failing (fail_new_preload.cpp), for
# every N up to 60 and then every 23rd to past the last: each run either ends cleanly with
# exit 3 and "rubric: out of memory" (no crash, no abort from a thread, the old results
# untouched, no temporary file left), or, once N is past the last allocation, writes the
# results it writes without faults.
#
#   cli_alloc_fault.sh RUBRIC_CLI PRELOAD_LIBRARY SOURCE_DIR SCRATCH_DIR
set -u
CLI=$1 SHIM=$2 ROOT=$3 W=$4/cli-alloc-fault
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
cp "$ROOT/tests/report/small.rubric" r.rubric
cp "$ROOT/tests/report/small-q2.csv" q2.csv
export LC_ALL=C LANG=C
args=(eval r.rubric --group 类别 --facts q2.csv --format csv --out res.csv --lang en)
"$CLI" "${args[@]}" || { echo "FAIL: the run without faults failed"; exit 1; }
mv res.csv expected.csv
total=$(RUBRIC_FAULT_REPORT=1 LD_PRELOAD=$SHIM "$CLI" "${args[@]}" 2>&1 >/dev/null | sed -n 's/^allocations: //p')
[ -n "$total" ] && [ "$total" -gt 100 ] || { echo "FAIL: allocations not counted ($total)"; exit 1; }
fails=0 oom=0 ok=0
for n in $(seq 1 60) $(seq 61 23 $((total + 50))); do
  echo old > res.csv
  rm -f .res.csv.rubric-*  # each run is judged by what it leaves itself
  LD_PRELOAD=$SHIM RUBRIC_FAULT_ALLOC=$n "$CLI" "${args[@]}" > out.txt 2> err.txt
  rc=$?
  left=$(find . -maxdepth 1 -name '.*.rubric-*.tmp*' | head -3)
  if [ $rc -eq 3 ] && [ "$(cat err.txt)" == "rubric: out of memory" ] && [ "$(cat res.csv)" == old ] && [ -z "$left" ]; then
    oom=$((oom + 1))
  elif [ $rc -eq 0 ] && cmp -s res.csv expected.csv && [ -z "$left" ]; then
    ok=$((ok + 1))
  else
    echo "FAIL: allocation $n failing: exit $rc, stderr: $(head -c 300 err.txt), temporaries: [$left]"
    fails=$((fails + 1))
  fi
done
echo "$total allocations; runs with one failing: $oom out of memory (exit 3), $ok complete; $fails failed"
[ $fails -eq 0 ]
