/*
 * rubric_pg.c: the PostgreSQL extension (CREATE EXTENSION rubric): scoring where the facts
 * live. Written in C on top of rubric.h only (the C interface, linked into this module), so no
 * C++ frame is ever on the stack when PostgreSQL raises an error (ereport longjmps) and no C++
 * exception can reach PostgreSQL: every rubric_* call returns a status first, and only then
 * does this file report it.
 *
 *   rubric_check(rubric text, lang text)          → setof (severity, line, col, code, message)
 *   rubric_score(rubric text, facts jsonb)        → jsonb, one unit (rubric eval's JSON line)
 *   rubric_score_cohort(rubric text, facts jsonb) → jsonb, a window function: the partition is
 *                                                   one cohort (rank, cohort_mean ...)
 *   rubric_explain(rubric text, facts jsonb, lang text) → text
 *
 * Memory. Everything made for a call (texts, results) is palloc'd in the call's context. The
 * compiled programs are the library's (its own heap): at most RUBRIC_PG_CACHE programs per
 * backend, keyed by the rubric text (a 64-bit hash, then the whole text compared), the least
 * recently used one freed when another is needed; a backend's programs go when it ends.
 * Query cancel is checked before each unit (and each unit of a cohort as it is gathered); one
 * unit's scoring is bounded by the rubric's eval_steps limit, not interruptible in between.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "windowapi.h"

#include "rubric/rubric.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(rubric_pg_check);
PG_FUNCTION_INFO_V1(rubric_pg_score);
PG_FUNCTION_INFO_V1(rubric_pg_score_cohort);
PG_FUNCTION_INFO_V1(rubric_pg_explain);

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

static int
sqlstate_of(int status)
{
	switch (status)
	{
		case RUBRIC_ERROR_NOMEM:
			return ERRCODE_OUT_OF_MEMORY;
		case RUBRIC_ERROR_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case RUBRIC_ERROR_COHORT:
			return ERRCODE_FEATURE_NOT_SUPPORTED;
		case RUBRIC_ERROR_INTERNAL:
			return ERRCODE_INTERNAL_ERROR;
		default:
			return ERRCODE_INVALID_PARAMETER_VALUE;
	}
}

/*
 * Raises the error of a failed call on `ev`: `what` as the error, the library's message (the
 * diagnostics with their file:line:col, after its summary line) as the detail. The message is
 * copied into palloc'd memory first: ereport longjmps away from the library's text.
 */
static void
raise_eval_error(rubric_eval *ev, int status, const char *what)
{
	char	   *msg = pstrdup(rubric_eval_errmsg(ev));
	char	   *nl = strchr(msg, '\n');
	const char *detail = nl && nl[1] ? nl + 1 : msg;	/* the diagnostics, else the one line */

	ereport(ERROR,
			(errcode(sqlstate_of(status)),
			 errmsg("rubric: %s", what),
			 *detail ? errdetail("%s", detail) : 0,
			 status == RUBRIC_ERROR_COHORT ?
			 errhint("Score such a rubric with rubric_score_cohort(rubric, facts) OVER (PARTITION BY ...).") : 0));
}

static int
language_of(text *lang)
{
	char	   *l = text_to_cstring(lang);

	if (strcmp(l, "en") == 0)
		return RUBRIC_LANG_EN;
	if (strcmp(l, "zh") == 0)
		return RUBRIC_LANG_ZH;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("rubric: unknown language \"%s\"", l),
			 errhint("The languages are 'en' and 'zh'.")));
	return RUBRIC_LANG_EN;		/* not reached */
}

/* ------------------------------------------------------------------------ */
/* The per-backend cache of compiled programs                               */

#define RUBRIC_PG_CACHE 16

typedef struct cached_program
{
	uint64		hash;
	char	   *text;			/* in TopMemoryContext; NULL: an empty slot */
	Size		len;
	rubric_program *prog;
	rubric_eval *ev;			/* one context: a backend runs one call at a time */
	uint64		last_used;
} cached_program;

static cached_program cache[RUBRIC_PG_CACHE];
static uint64 cache_clock;

static void
drop_slot(cached_program *slot)
{
	rubric_eval_free(slot->ev);
	rubric_program_free(slot->prog);
	if (slot->text)
		pfree(slot->text);
	memset(slot, 0, sizeof *slot);
}

/*
 * The compiled program of `rubric` (compiled on first use). A rubric with errors raises
 * them (nothing is cached for it). `lang` is the language of those diagnostics.
 */
static cached_program *
program_for(text *rubric, int lang)
{
	const char *data = VARDATA_ANY(rubric);
	Size		len = VARSIZE_ANY_EXHDR(rubric);
	uint64		hash = hash_bytes_extended((const unsigned char *) data, (int) len, 0);
	cached_program *slot = &cache[0];
	rubric_program *prog = NULL;
	char	   *copy;
	int			rc;
	int			i;

	for (i = 0; i < RUBRIC_PG_CACHE; ++i)
	{
		cached_program *c = &cache[i];

		if (c->text && c->hash == hash && c->len == len && memcmp(c->text, data, len) == 0)
		{
			c->last_used = ++cache_clock;
			return c;
		}
		if (!c->text || (slot->text && c->last_used < slot->last_used))
			slot = c;
	}

	/* Allocate first (it may raise), then compile: nothing of the library's is left behind. */
	copy = MemoryContextAlloc(TopMemoryContext, len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	rc = rubric_compile("rubric", copy, len, 0, &prog);
	if (rc != RUBRIC_OK)
	{
		char	   *summary = pstrdup(prog ? rubric_program_errmsg(prog) : rubric_status_string(rc));
		char	   *rendered = prog ? pstrdup(rubric_diags_rendered_lang(prog, lang)) : NULL;

		rubric_program_free(prog);
		pfree(copy);
		ereport(ERROR,
				(errcode(sqlstate_of(rc)),
				 errmsg("%s", summary),
				 rendered && *rendered ? errdetail("%s", rendered) : 0));
	}
	if (slot->text)
		drop_slot(slot);
	if (rubric_eval_new(prog, &slot->ev) != RUBRIC_OK)
	{
		rubric_program_free(prog);
		pfree(copy);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("rubric: out of memory")));
	}
	slot->hash = hash;
	slot->text = copy;
	slot->len = len;
	slot->prog = prog;
	slot->last_used = ++cache_clock;
	return slot;
}

/* ------------------------------------------------------------------------ */
/* Facts and results                                                        */

static Jsonb *
facts_object(Datum d)
{
	Jsonb	   *facts = DatumGetJsonbP(d);

	if (!JB_ROOT_IS_OBJECT(facts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rubric: the facts must be a JSON object (input name: value), not %s",
						JB_ROOT_IS_SCALAR(facts) ? "a scalar" : "an array")));
	return facts;
}

/* A palloc'd copy of the library's buffer (freed here), without its last newline. */
static char *
take_buffer(char *out, size_t n)
{
	char	   *copy;

	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		--n;
	copy = palloc(n + 1);
	memcpy(copy, out, n);
	copy[n] = '\0';
	rubric_free(out);
	return copy;
}

static Datum
jsonb_from_text(const char *json)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

/* The scores of facts given as JSON text (an object, or an array for a cohort): JSON lines. */
static char *
score_json(cached_program *c, const char *json, size_t len)
{
	char	   *out = NULL;
	size_t		n = 0;
	int			rc;

	rc = rubric_eval_set_language(c->ev, RUBRIC_LANG_EN);
	if (rc == RUBRIC_OK)
		rc = rubric_eval_batch(c->ev, "facts", json, len, RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_JSONL, 0, &out, &n);
	if (rc != RUBRIC_OK)
		raise_eval_error(c->ev, rc, "the facts have errors");
	return take_buffer(out, n);
}

/* A JSON value as the fact text rubric_eval_set_fact reads ("795", "true", "85%", "[0.8, 0.9]"). */
static char *
fact_text(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		case jbvBinary:
			return JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
		default:
			return NULL;		/* null: not given */
	}
}

/*
 * Gives the facts of one unit to the context, straight from the jsonb (no JSON text in
 * between): "entity" and "name" name the unit; a null is a fact not given; a list is given as
 * its JSON text ("[0.8, 0.9]"). Raises the first bad fact, naming the entity and the field.
 */
static void
set_facts(cached_program *c, Jsonb *facts)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	JsonbValue *id = getKeyJsonValueFromContainer(&facts->root, "entity", 6, NULL);
	char	   *entity = id ? fact_text(id) : NULL;
	char	   *key = NULL;
	int			rc = rubric_eval_reset(c->ev);

	/* The entity first: jsonb keeps keys in its own order, and every error names the entity. */
	if (rc == RUBRIC_OK && entity)
		rc = rubric_eval_set_entity(c->ev, entity);
	if (rc != RUBRIC_OK)
		raise_eval_error(c->ev, rc, "the entity id is not valid");
	it = JsonbIteratorInit(&facts->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *value;

		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE || !key || !(value = fact_text(&v)))
			continue;
		if (strcmp(key, "entity") == 0)
			rc = RUBRIC_OK;
		else if (strcmp(key, "name") == 0)
			rc = rubric_eval_set_name(c->ev, value);
		else
			rc = rubric_eval_set_fact(c->ev, key, value);
		if (rc != RUBRIC_OK)
			raise_eval_error(c->ev, rc,
							 entity ? psprintf("entity %s, field \"%s\": not a valid fact", entity, key)
							 : psprintf("field \"%s\": not a valid fact", key));
		pfree(value);
		pfree(key);
		key = NULL;
	}
}

/* True when a value of the facts is a list (or an object): those are scored the batch way. */
static bool
has_nested_value(Jsonb *facts)
{
	JsonbIterator *it = JsonbIteratorInit(&facts->root);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		if (tok == WJB_VALUE && v.type == jbvBinary)
			return true;
	return false;
}

/* ------------------------------------------------------------------------ */
/* rubric_check(rubric text, lang text) → setof (severity, line, col, code, message) */

Datum
rubric_pg_check(PG_FUNCTION_ARGS)
{
	text	   *rubric = PG_GETARG_TEXT_PP(0);
	int			lang = language_of(PG_GETARG_TEXT_PP(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	rubric_program *prog = NULL;
	int			rc;
	size_t		count,
				i;
	static const char *const severities[] = {"error", "warning", "note"};

	InitMaterializedSRF(fcinfo, 0);
	rc = rubric_compile("rubric", VARDATA_ANY(rubric), VARSIZE_ANY_EXHDR(rubric), 0, &prog);
	if (!prog)
		ereport(ERROR, (errcode(sqlstate_of(rc)), errmsg("rubric: %s", rubric_status_string(rc))));
	count = rubric_diag_count(prog);
	/* Copied out before any tuple is stored, so that an error there leaves no program behind. */
	{
		Datum	   *values = palloc(sizeof(Datum) * 5 * (count ? count : 1));
		bool		nulls[5] = {false, false, false, false, false};

		for (i = 0; i < count; ++i)
		{
			int			sev = rubric_diag_severity(prog, i);

			values[5 * i + 0] = CStringGetTextDatum(sev >= 0 && sev <= 2 ? severities[sev] : "error");
			values[5 * i + 1] = Int32GetDatum((int32) rubric_diag_line(prog, i));
			values[5 * i + 2] = Int32GetDatum((int32) rubric_diag_column(prog, i));
			values[5 * i + 3] = CStringGetTextDatum(rubric_diag_code(prog, i));
			values[5 * i + 4] = CStringGetTextDatum(rubric_diag_message_lang(prog, i, lang));
		}
		rubric_program_free(prog);
		for (i = 0; i < count; ++i)
		{
			CHECK_FOR_INTERRUPTS();
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &values[5 * i], nulls);
		}
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------------------ */
/* rubric_score(rubric text, facts jsonb) → jsonb                           */

Datum
rubric_pg_score(PG_FUNCTION_ARGS)
{
	cached_program *c;
	Jsonb	   *facts;
	StringInfoData json;

	CHECK_FOR_INTERRUPTS();
	c = program_for(PG_GETARG_TEXT_PP(0), RUBRIC_LANG_EN);
	if (rubric_program_needs_cohort(c->prog) == 1)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("rubric: this rubric ranks units within a cohort (rank, cohort_mean ...): one unit cannot be scored alone"),
				 errhint("Score it with rubric_score_cohort(rubric, facts) OVER (PARTITION BY ...).")));
	facts = facts_object(PG_GETARG_DATUM(1));
	if (!has_nested_value(facts))
	{
		/* The scalar fast path: facts straight from the jsonb, the result as rubric eval's line. */
		const char *out = NULL;
		int			rc;

		set_facts(c, facts);
		rc = rubric_eval_set_language(c->ev, RUBRIC_LANG_EN);
		if (rc == RUBRIC_OK)
			rc = rubric_eval_run(c->ev);
		if (rc == RUBRIC_OK)
			rc = rubric_eval_result_json(c->ev, &out, NULL);
		if (rc != RUBRIC_OK)
			raise_eval_error(c->ev, rc, "the facts have errors");
		PG_RETURN_DATUM(jsonb_from_text(out));
	}
	/* A list among the facts: the facts reader's own way (every JSON form a list may take). */
	initStringInfo(&json);
	JsonbToCString(&json, &facts->root, VARSIZE(facts));
	PG_RETURN_DATUM(jsonb_from_text(score_json(c, json.data, json.len)));
}

/* ------------------------------------------------------------------------ */
/* rubric_score_cohort(rubric text, facts jsonb) OVER (PARTITION BY ...) → jsonb */

typedef struct cohort_results
{
	bool		scored;
	char	  **lines;			/* per row of the partition; NULL for a row without facts */
} cohort_results;

Datum
rubric_pg_score_cohort(PG_FUNCTION_ARGS)
{
	WindowObject win = PG_WINDOW_OBJECT();
	cohort_results *r = WinGetPartitionLocalMemory(win, sizeof(cohort_results));
	int64		row;

	if (!r->scored)
	{
		/* Partition memory lives as long as the partition: the results are kept there. */
		MemoryContext partition = GetMemoryChunkContext(r);
		int64		rows = WinGetPartitionRowCount(win);
		bool		isnull,
					isout;
		Datum		rubric_arg = WinGetFuncArgCurrent(win, 0, &isnull);
		text	   *rubric;
		Jsonb	   *facts;
		cached_program *c;
		StringInfoData json;
		bool		any = false;
		char	   *out,
				   *line;
		int64		i;

		if (isnull)
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("rubric: the rubric is null")));
		rubric = DatumGetTextPCopy(rubric_arg);	/* a copy: fetching the other rows moves the slots */
		r->lines = MemoryContextAllocZero(partition, sizeof(char *) * (rows ? rows : 1));
		initStringInfo(&json);
		appendStringInfoChar(&json, '[');
		for (i = 0; i < rows; ++i)
		{
			Datum		d;

			CHECK_FOR_INTERRUPTS();
			d = WinGetFuncArgInPartition(win, 1, (int) i, WINDOW_SEEK_HEAD, false, &isnull, &isout);
			if (isnull || isout)
				continue;
			if (any)
				appendStringInfoChar(&json, ',');
			any = true;
			facts = facts_object(d);	/* turned into text at once: the next row reuses the slot */
			JsonbToCString(&json, &facts->root, VARSIZE(facts));
			r->lines[i] = (char *) 1;	/* a row with facts: its line follows in order */
		}
		appendStringInfoChar(&json, ']');
		/* Only now: gathering evaluated the rows' arguments, which may score other rubrics. */
		c = program_for(rubric, RUBRIC_LANG_EN);
		out = any ? score_json(c, json.data, json.len) : pstrdup("");
		/* One JSON line per row with facts, in the partition's order. */
		line = out;
		for (i = 0; i < rows; ++i)
		{
			char	   *end;

			if (!r->lines[i])
				continue;
			end = strchr(line, '\n');
			if (end)
				*end = '\0';
			r->lines[i] = MemoryContextStrdup(partition, line);
			line = end ? end + 1 : line + strlen(line);
		}
		r->scored = true;
	}
	row = WinGetCurrentPosition(win);
	if (!r->lines[row] || !*r->lines[row])
		PG_RETURN_NULL();
	PG_RETURN_DATUM(jsonb_from_text(r->lines[row]));
}

/* ------------------------------------------------------------------------ */
/* rubric_explain(rubric text, facts jsonb, lang text) → text               */

Datum
rubric_pg_explain(PG_FUNCTION_ARGS)
{
	int			lang = language_of(PG_GETARG_TEXT_PP(2));
	cached_program *c;
	const char *out = NULL;
	size_t		n = 0;
	int			rc;

	CHECK_FOR_INTERRUPTS();
	c = program_for(PG_GETARG_TEXT_PP(0), lang);
	set_facts(c, facts_object(PG_GETARG_DATUM(1)));
	rc = rubric_eval_set_language(c->ev, lang);
	if (rc == RUBRIC_OK)
		rc = rubric_eval_run(c->ev);
	if (rc == RUBRIC_OK)
		rc = rubric_eval_explain_text(c->ev, &out, &n);
	if (rc != RUBRIC_OK)
		raise_eval_error(c->ev, rc, "cannot explain these facts");
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) n));
}
