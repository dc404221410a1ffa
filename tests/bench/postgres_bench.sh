#!/usr/bin/env bash
# Units per second of rubric_score inside PostgreSQL, beside `rubric eval` of the same facts.
# A script, not a test: run it by hand and write down the medians (README, "Embedding").
#   tests/bench/postgres_bench.sh BUILD_DIR [ROWS [RUNS]]      (default 1000000 rows, 3 runs)
# The 12 bundled 广汉 units are repeated to ROWS rows (each with an entity id of its own) in a
# table of a private server (tests/postgres/server.sh); one parallel-free SELECT scores them all:
#   SELECT count(rubric_score(r, facts)) FROM units
# and `rubric eval --format jsonl` scores the same rows written out as JSON lines. Each is run
# RUNS times; the median wall time gives units/s.
set -euo pipefail
build=$(cd "$1" && pwd)
rows=${2:-1000000} runs=${3:-3}
src=$(cd "$(dirname "$0")/../.." && pwd)
ext="$build/bindings/postgres"
cli="$build/rubric"
source "$src/tests/postgres/server.sh"
cd "$work"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }

python3 - "$src/rubrics/samples/guanghan-2023-units.json" > base.jsonl <<'PY'
import json, sys
for unit in json.load(open(sys.argv[1], encoding="utf-8")):
    print(json.dumps(unit, ensure_ascii=False))
PY
RUBRIC_FILE="$src/rubrics/guanghan-2023.rubric" psql_ -q -v ON_ERROR_STOP=1 -v rows="$rows" > /dev/null <<'SQL'
CREATE EXTENSION rubric;
CREATE TABLE base (n serial, facts jsonb);
\copy base (facts) FROM 'base.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
CREATE TABLE units AS
  SELECT jsonb_set(b.facts, '{entity}', to_jsonb((b.facts->>'entity') || '-' || g)) AS facts
  FROM generate_series(0, (:rows - 1) / 12) AS g, base AS b LIMIT :rows;
\copy units TO 'units.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
VACUUM ANALYZE units;
SQL
echo "rows: $(wc -l < units.jsonl), $(du -h units.jsonl | cut -f1) of JSON lines"

sql_times=() cli_times=()
for i in $(seq "$runs"); do
  t0=$(now)
  RUBRIC_FILE="$src/rubrics/guanghan-2023.rubric" psql_ -q -v ON_ERROR_STOP=1 > /dev/null <<'SQL'
\set r `cat "$RUBRIC_FILE"`
SET max_parallel_workers_per_gather = 0;
SELECT count(rubric_score(:'r', facts)) FROM units;
SQL
  sql_times+=("$(calc "$(now) - $t0")")
  t0=$(now)
  "$cli" eval "$src/rubrics/guanghan-2023.rubric" --facts units.jsonl --format jsonl --out /dev/null
  cli_times+=("$(calc "$(now) - $t0")")
done
sql=$(printf '%s\n' "${sql_times[@]}" | median)
cli_t=$(printf '%s\n' "${cli_times[@]}" | median)
echo "rubric_score in PostgreSQL: runs ${sql_times[*]} s; median $sql s = $(calc "$rows / $sql") units/s"
echo "rubric eval (JSON lines):   runs ${cli_times[*]} s; median $cli_t s = $(calc "$rows / $cli_t") units/s"
