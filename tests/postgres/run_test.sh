#!/usr/bin/env bash
# The PostgreSQL extension against a real server, pg_regress style:
#   1-2. a private server with the extension installed (server.sh);
#   3. sql/rubric.sql through psql, its output compared with expected/rubric.out;
#   4. the 广汉 bundled units (rubrics/samples/guanghan-2023-units.json) loaded into a table and
#      scored in one SELECT, each unit's JSON equal to that of `rubric eval --format jsonl`;
#   5. the server stopped and the folder removed, also on failure (server.sh's trap).
#   run_test.sh SOURCE_DIR EXTENSION_BUILD_DIR RUBRIC_CLI
set -euo pipefail
src=$(cd "$1" && pwd) ext=$(cd "$2" && pwd) cli=$(realpath "$3")
here="$src/tests/postgres"
source "$here/server.sh"

# 3. The regression SQL, read from standard input as pg_regress does (so that errors carry no file name).
cd "$work"
psql_ -a -q < "$here/sql/rubric.sql" > "$work/results/rubric.out" 2>&1 || true
if ! diff -u "$here/expected/rubric.out" "$work/results/rubric.out"; then
  echo "FAILED: sql/rubric.sql differs from expected/rubric.out (above)"
  # To review a new output line by line before it becomes the expected one: RUBRIC_PG_RESULTS=FILE.
  [ -z "${RUBRIC_PG_RESULTS:-}" ] || cp "$work/results/rubric.out" "$RUBRIC_PG_RESULTS"
  exit 1
fi

# 4. The 广汉 units scored in one SELECT (CREATE TABLE … AS SELECT: \copy takes no variables), compared with `rubric eval` of the same facts.
python3 - "$src/rubrics/samples/guanghan-2023-units.json" > "$work/units.jsonl" <<'PY'
import json, sys
for unit in json.load(open(sys.argv[1], encoding="utf-8")):
    print(json.dumps(unit, ensure_ascii=False))
PY
"$cli" eval "$src/rubrics/guanghan-2023.rubric" --facts "$src/rubrics/samples/guanghan-2023-units.json" \
       --format jsonl --out "$work/cli.jsonl"
# One JSON document per line, read and written by psql as CSV whose quote and delimiter never occur.
RUBRIC_FILE="$src/rubrics/guanghan-2023.rubric" psql_ -q -v ON_ERROR_STOP=1 > /dev/null <<'SQL'
\set r `cat "$RUBRIC_FILE"`
CREATE TABLE units (n serial, facts jsonb);
\copy units (facts) FROM 'units.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
CREATE TABLE scores AS SELECT n, rubric_score(:'r', facts) AS score FROM units;
\copy (SELECT score FROM scores ORDER BY n) TO 'sql.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
SQL
python3 - "$work/cli.jsonl" "$work/sql.jsonl" <<'PY'
import json, sys
cli = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
sql = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
if len(cli) != 12 or cli != sql:
    print("FAILED: rubric_score differs from rubric eval (%d and %d units)" % (len(sql), len(cli)))
    for a, b in zip(cli, sql):
        if a != b:
            print(" rubric eval:", a, "\n rubric_score:", b)
    sys.exit(1)
print("guanghan: %d units, rubric_score = rubric eval" % len(sql))
PY
echo "postgres: ok"
