-- The SQL face of rubric_pg.c. Every function is IMMUTABLE (the result depends only on the
-- rubric text and the facts) and PARALLEL SAFE (each backend has its own compiled programs),
-- so that a distributed engine may push the calls down to its workers.
\echo Use "CREATE EXTENSION rubric" to load this file. \quit

-- The diagnostics of a rubric (none for a clean one), in English ('en') or Chinese ('zh').
CREATE FUNCTION rubric_check(rubric text, lang text DEFAULT 'en')
RETURNS TABLE (severity text, line integer, col integer, code text, message text)
AS 'MODULE_PATHNAME', 'rubric_pg_check'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- One unit's scores: the JSON line of `rubric eval --format jsonl` ("total", "bonus", "nodes"
-- rounded for display as text, "exact" for the values rounding changed, "warnings",
-- "missing", "missing_inputs"). facts: {"entity": "GH01", "input": value, ...}.
CREATE FUNCTION rubric_score(rubric text, facts jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'rubric_pg_score'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A cohort rubric (rank, cohort_mean ...): every row of the window's partition is one unit of
-- one cohort. rubric_score_cohort(r, facts) OVER (PARTITION BY kind).
CREATE FUNCTION rubric_score_cohort(rubric text, facts jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'rubric_pg_score_cohort'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- How every point of one unit came about, for people.
CREATE FUNCTION rubric_explain(rubric text, facts jsonb, lang text DEFAULT 'en')
RETURNS text
AS 'MODULE_PATHNAME', 'rubric_pg_explain'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
