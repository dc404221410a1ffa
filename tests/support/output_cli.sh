#!/usr/bin/env bash
# Where results are written (README, "Where results are written"): one case per run.
#   output_cli.sh CLI ROOT SCRATCH CASE
# Each case is provoked for real in its own scratch directory: a full disk is a character
# device with /dev/full's numbers made here with mknod (never /dev/full itself), an endless
# input one with /dev/zero's, pipes are FIFOs with real readers and writers, signals are
# sent to a real run. Needs root for mknod (the tests are skipped otherwise: exit 77).
set -u
CLI=$1 ROOT=$2 SCRATCH=$3 CASE=$4
W=$SCRATCH/$CASE
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
cp "$ROOT/tests/report/small.rubric" r.rubric
cp "$ROOT/tests/report/small-q2.csv" q2.csv
export LC_ALL=C LANG=C
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# expect_eq WHAT ACTUAL EXPECTED
expect_eq() { [ "$2" == "$3" ] || fail "$1: got [$2], expected [$3]"; }
# run ARGS...: the CLI with stdout in out.txt, stderr in err.txt, the exit code in $rc
run() { "$CLI" "$@" > out.txt 2> err.txt; rc=$?; }
# No temporary file of ours is left in the directory.
no_temporaries() {
  local left
  left=$(find . -maxdepth 1 -name '.*.rubric-*.tmp*' | head -5)
  [ -z "$left" ] || fail "temporary files left: $left"
}
need_root() { [ "$(id -u)" == 0 ] || { echo "needs root (mknod)"; exit 77; }; }

case $CASE in
symlink-target)
  # The link is kept; the file it points to is replaced, keeping its mode.
  echo old > real.csv && chmod 640 real.csv && ln -s real.csv link.csv
  "$CLI" report r.rubric --group 类别 --facts q2.csv --format csv > expected.csv
  run report r.rubric --group 类别 --facts q2.csv --format csv --out link.csv
  expect_eq "exit" "$rc" 0
  [ -L link.csv ] || fail "link.csv is no longer a symbolic link"
  expect_eq "link" "$(readlink link.csv)" real.csv
  cmp -s real.csv expected.csv || fail "real.csv does not hold the report"
  expect_eq "mode" "$(stat -c %a real.csv)" 640
  no_temporaries
  ;;
full-disk)
  need_root
  mknod full c 1 7
  for lang in en zh; do
    run table r.rubric --out full --lang $lang
    expect_eq "exit ($lang)" "$rc" 1
    if [ $lang == en ]; then
      expect_eq "message" "$(cat err.txt)" "rubric: cannot write full: no space left on the device"
    else
      expect_eq "message" "$(cat err.txt)" "rubric: 无法写入 full：设备上没有剩余空间"
    fi
  done
  run report r.rubric --group 类别 --facts q2.csv --format csv --out "$W/full"
  expect_eq "exit (report)" "$rc" 1
  expect_eq "message (report)" "$(cat err.txt)" "rubric: cannot write $W/full: no space left on the device"
  # stdout on the full device: a message and exit 1 too.
  "$CLI" table r.rubric > full 2> err.txt; rc=$?
  expect_eq "exit (stdout)" "$rc" 1
  expect_eq "message (stdout)" "$(cat err.txt)" "rubric: cannot write standard output: no space left on the device"
  [ -c full ] || fail "full is no longer a character device"
  expect_eq "device numbers" "$(stat -c %t,%T full)" "1,7"
  no_temporaries
  ;;
stdout-closed-pipe)
  # A closed pipe on stdout is SIGPIPE, as for any program; with SIGPIPE ignored, EPIPE is a
  # message and exit 1. The pipe's read end is closed before the run starts: no race.
  python3 - "$CLI" <<'EOF' > result.txt
import os, subprocess, sys
for restore in (True, False):
    r, w = os.pipe()
    os.close(r)
    p = subprocess.run([sys.argv[1], "table", "r.rubric"], stdout=w, stderr=subprocess.PIPE, restore_signals=restore)
    os.close(w)
    print(p.returncode, p.stderr.decode().strip())
EOF
  expect_eq "SIGPIPE, then EPIPE" "$(cat result.txt)" "-13 
1 rubric: cannot write standard output: the reader closed the pipe"
  ;;
fifo-target)
  # A FIFO is written into (a reader gets the result) and is still a FIFO afterwards.
  mkfifo pipe
  "$CLI" table r.rubric > expected.md
  cat pipe > got.md & reader=$!
  run table r.rubric --out pipe
  wait $reader
  expect_eq "exit" "$rc" 0
  cmp -s got.md expected.md || fail "the reader did not get the table"
  [ -p pipe ] || fail "pipe is no longer a FIFO"
  no_temporaries
  ;;
fifo-input)
  # Inputs that are not regular files are bounded as they are read: an endless FIFO and a
  # device with /dev/zero's numbers, under --limit facts-bytes.
  need_root
  mkfifo endless.csv
  (while :; do echo "entity,name,类别,doc,trained,rate"; done > endless.csv) 2> /dev/null & writer=$!
  run report r.rubric --group 类别 --facts endless.csv --limit facts-bytes=1000 --format csv
  kill $writer 2> /dev/null; wait $writer 2> /dev/null
  expect_eq "exit (fifo)" "$rc" 1
  expect_eq "message (fifo)" "$(cat err.txt)" "rubric: endless.csv has more than 1000 bytes, the limit"
  mknod zero.csv c 1 5
  for cmd in "eval r.rubric --facts zero.csv" "explain r.rubric --facts zero.csv --entity A1" "report r.rubric --group 类别 --facts zero.csv"; do
    # shellcheck disable=SC2086
    timeout 60 "$CLI" $cmd --limit facts-bytes=4096 --lang zh > out.txt 2> err.txt; rc=$?
    expect_eq "exit ($cmd)" "$rc" 1
    expect_eq "message ($cmd)" "$(cat err.txt)" "rubric: zero.csv 超过了 4096 字节的上限"
  done
  [ -c zero.csv ] || fail "zero.csv is no longer a device"
  ;;
signal)
  # A run blocked while its temporary files exist (the fourth file of --format all is a FIFO
  # that nobody reads, so opening it waits) is killed: the temporary files are removed and
  # the old results are untouched. Job control on: a background job of a script would
  # otherwise start with SIGINT ignored.
  set -m
  for sig in TERM INT HUP; do
    rm -f r.* .r.* && cp "$ROOT/tests/report/small.rubric" r.rubric
    echo "old md" > r.md
    mkfifo r.json
    "$CLI" report r.rubric --group 类别 --facts q2.csv --format all --out r & pid=$!
    for _ in $(seq 1 200); do
      [ "$(find . -maxdepth 1 -name '.r.*.rubric-*.tmp' | wc -l)" == 3 ] && break
      sleep 0.05
    done
    expect_eq "temporary files while it runs ($sig)" "$(find . -maxdepth 1 -name '.r.*.rubric-*.tmp' | wc -l)" 3
    kill -$sig $pid
    wait $pid; rc=$?
    expect_eq "killed by $sig" "$rc" $((128 + $(kill -l $sig)))
    no_temporaries
    expect_eq "r.md untouched ($sig)" "$(cat r.md)" "old md"
    [ ! -e r.html ] && [ ! -e r.csv ] || fail "a result was written although the run was killed ($sig)"
  done
  ;;
signal-big)
  # The same with a big output: 150,000 units, killed while the four files are written.
  awk 'BEGIN { print "entity,name,类别,doc,trained,rate"; for (i = 0; i < 150000; i++) printf "U%d,单位%d,部门,true,%s,%d%%\n", i, i, (i % 2 ? "true" : "false"), i % 100 }' > big.csv
  echo "old md" > r.md
  "$CLI" report r.rubric --group 类别 --facts big.csv --format all --out r & pid=$!
  seen=0
  for _ in $(seq 1 2000); do
    if [ -n "$(find . -maxdepth 1 -name '.r.*.rubric-*.tmp' | head -1)" ]; then seen=1; break; fi
    kill -0 $pid 2> /dev/null || break
    sleep 0.01
  done
  expect_eq "a temporary file seen while it ran" "$seen" 1
  kill -TERM $pid
  wait $pid; rc=$?
  expect_eq "killed by TERM" "$rc" 143
  no_temporaries
  expect_eq "r.md untouched" "$(cat r.md)" "old md"
  [ ! -e r.html ] && [ ! -e r.csv ] && [ ! -e r.json ] || fail "a result was written although the run was killed"
  ;;
sigint-run)
  # Ctrl-C during a run: the run stops at its next check, says so, writes nothing and leaves
  # no temporary file; the old results stay; exit 130. The facts come through a FIFO, so the
  # signal always arrives while the run reads: once the CLI has opened the FIFO (the run is
  # under way), the first units are written, then SIGINT, then the rest. A CSV is checked
  # after each block, a JSON document every 1024 units (2000 follow the signal).
  set -m
  mkfifo facts.csv facts.json
  row() { awk -v from="$1" -v to="$2" 'BEGIN { for (i = from; i < to; i++) printf "U%d,单位%d,部门,true,true,%d%%\n", i, i, i % 100 }'; }
  obj() { awk -v from="$1" -v to="$2" 'BEGIN { for (i = from; i < to; i++) printf ",{\"entity\": \"U%d\", \"类别\": \"部门\", \"doc\": true, \"rate\": \"%d%%\"}\n", i, i % 100 }'; }
  for f in facts.csv facts.json; do
    echo "old" > res.csv
    "$CLI" eval r.rubric --group 类别 --facts $f --format csv --out res.csv --lang en > out.txt 2> err.txt & pid=$!
    exec 3> $f  # returns once the CLI has opened the FIFO
    if [ $f == facts.csv ]; then
      { echo "entity,name,类别,doc,trained,rate"; row 0 100; } >&3
    else
      echo '[{"entity": "U0", "类别": "部门", "doc": true}' >&3
    fi
    kill -INT $pid
    if [ $f == facts.csv ]; then row 100 50000 >&3; else { obj 1 2001; echo ']'; } >&3; fi 2> /dev/null
    exec 3>&-
    wait $pid; rc=$?
    expect_eq "exit ($f)" "$rc" 130
    expect_eq "message ($f)" "$(cat err.txt)" "rubric: the run over $f was cancelled: no results
rubric: interrupted (Ctrl-C)"
    expect_eq "old results untouched ($f)" "$(cat res.csv)" "old"
    no_temporaries
  done
  ;;
output-is-input)
  # `--out q2 --format all` would write q2.csv, the facts: refused before anything is read,
  # however the output names the input.
  cp q2.csv q2.orig
  run report r.rubric --group 类别 --facts q2.csv --format all --out q2
  expect_eq "exit" "$rc" 1
  expect_eq "message" "$(cat err.txt)" "rubric: not writing q2.csv: it is the input q2.csv (choose another output name)"
  ln q2.csv hard.csv
  ln -s q2.csv soft.csv
  for out in ./q2.csv "$W/q2.csv" hard.csv soft.csv; do
    run report r.rubric --group 类别 --facts q2.csv --format csv --out $out --lang zh
    expect_eq "exit ($out)" "$rc" 1
    expect_eq "message ($out)" "$(cat err.txt)" "rubric: 不写入 $out：它就是输入文件 q2.csv（请换一个输出文件名）"
  done
  run report r.rubric --group 类别 --facts q2.csv --format csv --out r.rubric
  expect_eq "exit (rubric)" "$rc" 1
  expect_eq "message (rubric)" "$(cat err.txt)" "rubric: not writing r.rubric: it is the input r.rubric (choose another output name)"
  "$CLI" report r.rubric --group 类别 --facts q2.csv --format csv --out prev.csv
  run report r.rubric --group 类别 --facts q2.csv --previous prev.csv --format csv --out ./prev.csv
  expect_eq "exit (previous)" "$rc" 1
  expect_eq "message (previous)" "$(cat err.txt)" "rubric: not writing ./prev.csv: it is the input prev.csv (choose another output name)"
  run table r.rubric --out ./r.rubric
  expect_eq "exit (table)" "$rc" 1
  expect_eq "message (table)" "$(cat err.txt)" "rubric: not writing ./r.rubric: it is the input r.rubric (choose another output name)"
  cmp -s q2.csv q2.orig || fail "the facts file was changed"
  cmp -s r.rubric "$ROOT/tests/report/small.rubric" || fail "the rubric was changed"
  [ ! -e q2.html ] && [ ! -e q2.md ] || fail "a report was written"
  no_temporaries
  ;;
permissions)
  echo old > out.csv && chmod 604 out.csv
  run report r.rubric --group 类别 --facts q2.csv --format csv --out out.csv
  expect_eq "exit" "$rc" 0
  expect_eq "mode" "$(stat -c %a out.csv)" 604
  head -1 out.csv | grep -q '^group,rank,entity' || fail "out.csv does not hold the report"
  (umask 077 && "$CLI" report r.rubric --group 类别 --facts q2.csv --format csv --out new.csv)
  expect_eq "mode of a new file under umask 077" "$(stat -c %a new.csv)" 600
  no_temporaries
  ;;
format-all-atomic)
  # One of the four files cannot be written: none is replaced.
  need_root
  echo "old md" > r.md
  mkdir r.csv
  run report r.rubric --group 类别 --facts q2.csv --format all --out r
  expect_eq "exit (directory)" "$rc" 1
  expect_eq "message (directory)" "$(cat err.txt)" "rubric: cannot write r.csv: it is a directory"
  expect_eq "r.md untouched" "$(cat r.md)" "old md"
  [ ! -e r.html ] && [ ! -e r.json ] || fail "a file was written although r.csv could not be"
  rmdir r.csv
  mknod r.csv c 1 7
  run report r.rubric --group 类别 --facts q2.csv --format all --out r --lang zh
  expect_eq "exit (full)" "$rc" 1
  expect_eq "message (full)" "$(cat err.txt)" "rubric: 无法写入 r.csv：设备上没有剩余空间"
  expect_eq "r.md untouched" "$(cat r.md)" "old md"
  [ ! -e r.html ] && [ ! -e r.json ] || fail "a file was written although r.csv could not be"
  no_temporaries
  rm r.csv
  run report r.rubric --group 类别 --facts q2.csv --format all --out r
  expect_eq "exit (all fine)" "$rc" 0
  [ -s r.html ] && [ -s r.md ] && [ -s r.csv ] && [ -s r.json ] || fail "not every file was written"
  no_temporaries
  ;;
*)
  echo "unknown case $CASE" >&2
  exit 2
  ;;
esac
[ $fails == 0 ] || { echo "$fails failure(s) in $CASE" >&2; exit 1; }
echo "ok: $CASE"
