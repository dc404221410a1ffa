#!/usr/bin/env bash
# cli_io_fault.sh: CLI runs with their Nth I/O call failing (fail_io_preload.cpp: read, write,
# fsync, fdatasync, rename, fread, fwrite), for every N from 1 to past the last call, with EIO
# and with ENOSPC. Each run either
#   - ends with exit 1 and one message "rubric: cannot read FILE…" or "rubric: cannot write
#     FILE: REASON" naming a file of the run (no crash, no other exit code, no second
#     message), with every output file as it was before (nothing half-written, nothing
#     replaced) and no temporary file left; or
#   - (the failing call was one whose failure cannot change the result, or N is past the last
#     call) ends with exit 0 and the results that a run without faults writes.
# The runs: `eval` of CSV facts into a CSV file (8 units, and 60,000: several blocks read and
# written), `eval` of JSON-lines facts into a JSON-lines file, `report --format all` (four files replaced together or not at all), `report` reading
# the previous quarter's results (--previous), and `eval` to
# standard output (a failed write there cannot take back what was sent: only the exit code
# and the message are checked).
#
#   cli_io_fault.sh RUBRIC_CLI PRELOAD_LIBRARY SOURCE_DIR SCRATCH_DIR
set -u
CLI=$1 SHIM=$2 ROOT=$3 W=$4/cli-io-fault
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
cp "$ROOT/tests/report/small.rubric" r.rubric
cp "$ROOT/tests/report/small-q2.csv" q2.csv
cp "$ROOT/tests/report/small-q2.jsonl" q2.jsonl
cp "$ROOT/tests/report/small-q1-results.csv" q1.csv
# 60,000 units (about 2 MB): read in several blocks and written in several writes, so that a
# failure can come in the middle of the reading and of the writing.
{
  head -1 q2.csv
  awk 'BEGIN { for (k = 0; k < 60000; k++) printf "U%d,单位%d,%s,true,%s,%d%%\n", k, k, k % 2 ? "镇" : "部门", k % 3 ? "false" : "true", k % 100 }'
} > big.csv
export LC_ALL=C LANG=C
fails=0 total_runs=0

# run_case NAME "OUTPUT FILES" ARGS...: every N and both errors for one command line.
run_case() {
  local name=$1 outputs=$2
  shift 2
  local args=("$@") o n e rc msg left same
  rm -rf expected && mkdir expected
  for o in $outputs; do rm -f "$o"; done
  "$CLI" "${args[@]}" > expected/stdout 2> expected/stderr || { echo "FAIL $name: the run without faults failed: $(head -c 300 expected/stderr)"; fails=$((fails + 1)); return; }
  for o in $outputs; do mv "$o" "expected/$o"; done
  local calls
  calls=$(RUBRIC_FAULT_REPORT=1 LD_PRELOAD=$SHIM "$CLI" "${args[@]}" 2>&1 >/dev/null | sed -n 's/^io calls: //p')
  for o in $outputs; do rm -f "$o"; done
  [ -n "$calls" ] && [ "$calls" -gt 2 ] || { echo "FAIL $name: I/O calls not counted ($calls)"; fails=$((fails + 1)); return; }
  local failed_runs=0 complete=0
  for e in EIO ENOSPC; do
    for n in $(seq 1 $((calls + 2))); do
      total_runs=$((total_runs + 1))
      for o in $outputs; do echo old > "$o"; done
      rm -f .*.rubric-*.tmp* io.log
      LD_PRELOAD=$SHIM RUBRIC_FAULT_IO=$n RUBRIC_FAULT_IO_ERRNO=$e RUBRIC_FAULT_IO_LOG=io.log "$CLI" "${args[@]}" > out.txt 2> err.txt
      rc=$?
      left=$(find . -maxdepth 1 -name '.*.rubric-*' | head -3 | tr '\n' ' ')
      what=$(head -c 200 io.log 2>/dev/null | tr '\n' ' ')
      if [ $rc -eq 0 ]; then
        same=1
        for o in $outputs; do cmp -s "$o" "expected/$o" || same=0; done
        [ -z "$outputs" ] && { cmp -s out.txt expected/stdout || same=0; }
        if [ $same -eq 1 ] && [ -z "$left" ]; then
          complete=$((complete + 1))
          [ -n "${IO_FAULT_VERBOSE:-}" ] && echo "  $name, $e on call $n ($what): complete"
        else
          echo "FAIL $name, $e on call $n ($what): exit 0 but not the expected results; temporaries: [$left]"
          fails=$((fails + 1))
        fi
        continue
      fi
      msg=$(cat err.txt)
      same=1
      if [ -n "$outputs" ]; then for o in $outputs; do [ "$(cat "$o")" == old ] || same=0; done; fi
      # One line, "rubric: cannot read|write <a file of the run>…".
      if [ $rc -eq 1 ] && [ "$(wc -l < err.txt)" -eq 1 ] &&
         [[ "$msg" =~ ^rubric:\ cannot\ (read|write|open)\ (r\.rubric|q1\.csv|q2\.csv|big\.csv|q2\.jsonl|res\.csv|res\.jsonl|rep\.(html|md|csv|json)|standard\ output) ]] &&
         [ $same -eq 1 ] && [ -z "$left" ]; then
        failed_runs=$((failed_runs + 1))
      else
        echo "FAIL $name, $e on call $n ($what): exit $rc, stderr: [$(head -c 400 err.txt)], outputs untouched: $same, temporaries: [$left]"
        fails=$((fails + 1))
      fi
    done
  done
  echo "$name: $calls I/O calls; with one failing (EIO, ENOSPC): $failed_runs clean failures (exit 1), $complete complete"
}

run_case eval-csv "res.csv" eval r.rubric --group 类别 --facts q2.csv --format csv --out res.csv --lang en
run_case eval-jsonl "res.jsonl" eval r.rubric --facts q2.jsonl --format jsonl --out res.jsonl --lang en
run_case report-all "rep.html rep.md rep.csv rep.json" report r.rubric --facts q2.csv --group 类别 --format all --out rep --lang en
run_case eval-big "res.csv" eval r.rubric --group 类别 --facts big.csv --format csv --out res.csv --lang en --quiet
run_case report-previous "res.csv" report r.rubric --facts q2.csv --group 类别 --previous q1.csv --warn-below 5 --format csv --out res.csv --lang en
run_case eval-stdout "" eval r.rubric --group 类别 --facts q2.csv --format csv --lang en
echo "$total_runs runs; $fails failed"
[ $fails -eq 0 ]
