-- The extension's regression test (run by tests/postgres/run_test.sh against a real server;
-- the expected output is expected/rubric.out). Every expected value is worked out in the
-- comment above its query from the rule's text.
CREATE EXTENSION rubric;
SET client_min_messages = warning;

-- The README's ten-line rubric. 795 of 1000 is 79.5%: not >= 80%, but >= 70% → item 1 = 1;
-- hired: `each 0.5` of 2 conditions, 1 holds → item 2 = 0.5; total 1.5; `mechanism` is missing.
\set readme 'rubric "示例" { total 4  rounding 2 half_up  missing zero }\nitem 1 "市民诉求办结率" 3 {\n  input completed: count "12345热线诉求办结量"\n  input accepted: count "12345热线受理诉求总量"\n  ratio rate = completed / accepted "办结率"\n  score tier >=90%:3 >=80%:2 >=70%:1\n}\nitem 2 "推进政府法律顾问制度" 1 { input mechanism: bool  input hired: bool  score each 0.5 max 1 }\n'
SELECT s->>'total' AS total, s->'nodes'->>'1' AS item1, s->'nodes'->>'2' AS item2, s->'missing_inputs' AS missing
FROM (SELECT rubric_score(:'readme', '{"entity": "u1", "completed": 795, "accepted": 1000, "hired": true}') AS s) x;

-- 10/3: item 1 scores completion × 10; 1 of 3 → 10/3, shown 3.33 (2 places by default), exact
-- "10/3"; 3 of 4 → 7.5. `warn … if total < 6` holds for 10/3, not for 7.5. A number may
-- also be given as text ("3").
\set third 'rubric "三分之一" { total 10 }\nitem 1 "完成率" 10 {\n  input done: count "完成数"\n  input planned: count "计划数"\n  ratio completion = done / planned "完成率"\n  score completion * 10\n}\nwarn "总分低于6分" if total < 6\n'
SELECT f->>'entity' AS entity, s->>'total' AS total, s->'exact'->>'total' AS exact, s->'warnings' AS warnings
FROM (VALUES ('{"entity": "a", "done": 1, "planned": 3}'::jsonb), ('{"entity": "b", "done": "3", "planned": 4}'))
     AS units(f), LATERAL rubric_score(:'third', f) AS s ORDER BY 1;

-- Diagnostics: `y` is not declared (an error at line 1, column 22: `y` is the 22nd character); in Chinese too.
SELECT severity, line, col, code FROM rubric_check('item 1 "x" 1 { score y }');
SELECT count(*) AS clean FROM rubric_check(:'readme');
SELECT message <> (SELECT message FROM rubric_check('item 1 "x" 1 { score y }')) AS chinese
FROM rubric_check('item 1 "x" 1 { score y }', 'zh');

-- Bad input is an error with its diagnostics, never a crash.
\set VERBOSITY default
SELECT rubric_score('item 1 "x" 1 { score y }', '{}');
SELECT rubric_score(:'readme', '{"entity": "u1", "completed": "many"}');
SELECT rubric_score(:'readme', '{"entity": "u1", "colour": "red"}');
SELECT rubric_score(:'readme', '{"entity": "u1", "completed": 1e50}');
SELECT rubric_explain(:'readme', '{"entity": "u1", "hired": "perhaps"}');
SELECT rubric_score(:'readme', '[1, 2]');
-- A list of facts (rubrics/examples/count_where.rubric): 90%, 81% and 95% are above 80%; 80%
-- and 50% are not → 3 × 1 = 3. A bad element is an error of the facts reader, with its place.
\set lists 'item 1 "街道和乡镇政务诚信建设" 8 {\n  input domain_shares: list of percent "各领域发布承诺的街道乡镇占比"\n  score each 1 max 8 of count d in domain_shares where d > 80%\n}\n'
SELECT rubric_score(:'lists', '{"entity": "L1", "domain_shares": ["90%", 0.81, "80%", "50%", "95%"]}')->>'total' AS total;
SELECT rubric_score(:'lists', '{"entity": "L1", "domain_shares": ["90%", "lots"]}');
SELECT rubric_explain(:'readme', '{}', 'fr');
\set VERBOSITY terse

-- Explanations: the Chinese one has 办结率 (the ratio's label) and the tier's 1 point.
SELECT position('办结率' IN rubric_explain(:'readme', '{"entity": "u1", "completed": 795, "accepted": 1000}', 'zh')) > 0 AS has_label;

-- A cohort rubric (GRAMMAR.md, rank … places [3, 2.5, 2] otherwise 1). Per partition:
-- 县区: A 95% first → 3; B and C 90% share the 2nd place → 2.5 each; E 80% is 4th → 1.
-- 部门: D alone ranks first → 3.
\set cohort 'item 1 "清欠情况" 3 {\n  input repaid: percent "拖欠账款清偿率"\n  score rank repaid higher places [3, 2.5, 2] otherwise 1\n}\n'
CREATE TABLE cohort_units (kind text, facts jsonb);
INSERT INTO cohort_units VALUES
  ('县区', '{"entity": "A", "repaid": "95%"}'), ('县区', '{"entity": "B", "repaid": "90%"}'),
  ('部门', '{"entity": "D", "repaid": "50%"}'), ('县区', '{"entity": "C", "repaid": 0.9}'),
  ('县区', '{"entity": "E", "repaid": "80%"}');
SELECT kind, facts->>'entity' AS entity,
       rubric_score_cohort(:'cohort', facts) OVER (PARTITION BY kind) ->> 'total' AS total
FROM cohort_units ORDER BY kind, entity;
SELECT rubric_score(:'cohort', '{"entity": "A", "repaid": "95%"}');

-- 40 different rubrics in one query: the backend keeps 16 compiled programs, so most are
-- compiled, evicted and compiled again. Each of the 120 rows scores `if a then 1` with a true → 1: 120.
SELECT sum((rubric_score(format('item 1 "第%s项" 1 { input a: bool  score if a then 1 }', i % 40),
                         '{"a": true}')->>'total')::numeric) AS total
FROM generate_series(1, 120) AS i;

-- Query cancel (a statement timeout is a cancel): ten million units stop at the timeout.
SET statement_timeout = '200ms';
SELECT count(rubric_score(:'readme', jsonb_build_object('entity', i, 'completed', i % 1000, 'accepted', 1000)))
FROM generate_series(1, 10000000) AS i;
RESET statement_timeout;
