/*
 * rubric.h: the C interface to the rubric scoring library.
 *
 * A rubric (a .rubric file) is compiled once into a program; a program is
 * evaluated against the facts of one unit (a department, a town) at a time,
 * in an evaluation context:
 *
 *     rubric_program* prog;
 *     if (rubric_compile_file("r.rubric", 0, &prog) != RUBRIC_OK) {
 *         fputs(rubric_diags_rendered(prog), stderr);   // every diagnostic, file:line:col
 *         rubric_program_free(prog);
 *         return 1;
 *     }
 *     rubric_eval* ev;
 *     rubric_eval_new(prog, &ev);                         // one per thread
 *     rubric_eval_set_fact(ev, "completed", "795");       // numbers are always text
 *     rubric_eval_set_fact(ev, "accepted", "1000");
 *     if (rubric_eval_run(ev) == RUBRIC_OK) {
 *         const char *exact, *shown;
 *         rubric_eval_score(ev, "1", &exact, &shown);      // "1", "1"
 *         rubric_eval_total(ev, &exact, &shown);
 *     }
 *     rubric_eval_reset(ev);                              // next unit ...
 *     rubric_eval_free(ev);
 *     rubric_program_free(prog);
 *
 * CONVENTIONS (they hold for every function unless its block says otherwise)
 *
 *   Status codes.  Functions that can fail return an int status: RUBRIC_OK (0)
 *     or one of the RUBRIC_ERROR_* codes. New codes may be added in later
 *     versions: treat every non-zero value as an error.
 *   Errors.  A failing call on an evaluation context stores its status and an
 *     English message in the context (rubric_eval_errcode, rubric_eval_errmsg).
 *     A program is immutable, so calls on a program never store an error: they
 *     return a status, or NULL / RUBRIC_NONE / -1 for an invalid argument.
 *   Handles.  rubric_program and rubric_eval are opaque. Passing NULL where a
 *     handle is expected is RUBRIC_ERROR_MISUSE (never a crash); so is a handle
 *     of the other type. The *_free functions accept NULL (a harmless no-op).
 *     Using a handle after freeing it is undefined behaviour.
 *   Strings in.  UTF-8, NUL-terminated unless a length is passed. They are
 *     copied when needed; the caller may free them as soon as the call returns.
 *     A length of RUBRIC_NUL_TERMINATED means "up to the first NUL".
 *   Strings out.  Borrowed: owned by the handle that returned them. Strings
 *     from a program (names, codes, diagnostics, metadata) live as long as the
 *     program; strings from an evaluation context stay valid until the next
 *     call on that context. Buffers returned through a `char**` are owned by
 *     the caller and must be released with rubric_free(). Every returned string
 *     is NUL-terminated and UTF-8 (when the input was).
 *   Numbers.  Every score and every fact crosses this interface as decimal
 *     TEXT, never as a double: "0.3", "12.5", "2/3" (an exact value without a
 *     finite decimal expansion is written as a fraction).
 *   Indexes.  0-based size_t. RUBRIC_NONE ((size_t)-1) means "no such index".
 *   Positions.  Lines and columns are 1-based; columns count characters (code
 *     points), not bytes. 0 means "no position".
 *   Exceptions.  None ever crosses this interface; an unexpected C++ failure is
 *     RUBRIC_ERROR_INTERNAL, exhausted memory RUBRIC_ERROR_NOMEM.
 *
 * THREAD SAFETY
 *   The library has no global mutable state. A compiled rubric_program is
 *   immutable: any number of threads may use one program at the same time
 *   (queries, rubric_eval_new). A rubric_eval belongs to one thread at a time;
 *   use one context per thread. The one exception is rubric_interrupt, which
 *   any thread may call on a context while another uses it. An evaluation context keeps its program's data
 *   alive, so rubric_program_free may be called while contexts still exist.
 *
 * LIMITS (inputs beyond them fail with RUBRIC_ERROR_LIMIT or a diagnostic)
 *   Fixed:
 *   RUBRIC_MAX_NAME_BYTES   a fact name, node code, entity id or file name
 *   RUBRIC_MAX_VALUE_BYTES  one fact value
 *   Configurable per program (struct rubric_limits, rubric_compile_ex); the
 *   defaults are those of rubric_compile:
 *   source_bytes     16 MiB (RUBRIC_MAX_TEXT_BYTES)   rubric source text
 *   nesting          64        brackets, blocks, `not`, `-`, `if`, forms
 *   nodes            100000    sections, items and tasks of one rubric
 *   exprs            1000000   expression nodes of one rubric
 *   number_digits    40        digits of any number (rubric or fact)
 *   number_exponent  40        exponent of a fact's number (+-40)
 *   facts_bytes      64 MiB (RUBRIC_MAX_BATCH_BYTES)  the facts of one batch call
 *   json_depth       32        nesting of JSON facts (the top level is 1)
 *   fields           10000     fields of one entity in a batch
 *   eval_steps       10000000  instructions run to score one unit
 */
#ifndef RUBRIC_H
#define RUBRIC_H

#include <stddef.h>

/* ------------------------------------------------------------------------ */
/* Export macro                                                             */

#if defined(RUBRIC_C_STATIC)
#  define RUBRIC_API
#elif defined(_WIN32) || defined(__CYGWIN__)
#  if defined(RUBRIC_C_BUILD)
#    define RUBRIC_API __declspec(dllexport)
#  else
#    define RUBRIC_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define RUBRIC_API __attribute__((visibility("default")))
#else
#  define RUBRIC_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */

/* The version of this header. rubric_version_number() returns the library's;
 * an application may check that they agree:
 *     assert(rubric_version_number() == RUBRIC_C_VERSION_NUMBER);
 * Within one major version the interface only grows (new names); no
 * signature changes. */
#define RUBRIC_C_VERSION_MAJOR 0
#define RUBRIC_C_VERSION_MINOR 2
#define RUBRIC_C_VERSION_PATCH 0
#define RUBRIC_C_VERSION "0.2.0"
#define RUBRIC_C_VERSION_NUMBER \
    (RUBRIC_C_VERSION_MAJOR * 1000000 + RUBRIC_C_VERSION_MINOR * 1000 + RUBRIC_C_VERSION_PATCH)

/* The library's version as "X.Y.Z". Static string; never NULL. */
RUBRIC_API const char* rubric_version(void);

/* The library's version as X*1000000 + Y*1000 + Z. */
RUBRIC_API int rubric_version_number(void);

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */

typedef enum rubric_status {
    RUBRIC_OK = 0,              /* success */
    RUBRIC_ERROR_SYNTAX = 1,    /* the rubric text has syntax errors (see its diagnostics) */
    RUBRIC_ERROR_CHECK = 2,     /* the rubric parsed but the checker found errors (diagnostics) */
    RUBRIC_ERROR_FACT = 3,      /* a fact is invalid: wrong type, out of range, given twice,
                                   a required fact missing, or a facts file with errors (an
                                   entity id given twice in a batch among them) */
    RUBRIC_ERROR_NOT_FOUND = 4, /* no input, node or file of that name */
    RUBRIC_ERROR_MISUSE = 5,    /* invalid call: NULL or wrong handle, NULL argument, unknown
                                   enum value, a failed program used, results read before
                                   rubric_eval_run */
    RUBRIC_ERROR_NOMEM = 6,     /* out of memory */
    RUBRIC_ERROR_LIMIT = 7,     /* an input exceeds a documented limit */
    RUBRIC_ERROR_INTERNAL = 8,  /* a bug in rubric: please report it */
    RUBRIC_ERROR_IO = 9,        /* a file exists but cannot be read */
    RUBRIC_ERROR_COHORT = 10,   /* the rubric ranks units within a cohort (`rank`, cohort_mean ...):
                                   rubric_eval_run cannot score one unit alone; the batch
                                   functions score all the units of a batch as one cohort
                                   (one per group: rubric_eval_set_group_column) */
    RUBRIC_ERROR_INTERRUPTED = 11 /* the call was cancelled: rubric_interrupt, or the progress
                                   handler returned non-zero (rubric_eval_progress_handler) */
} rubric_status;

/* A short English description of a status code ("ok", "syntax error", ...).
 * Unknown codes give "unknown error". Static string; never NULL. */
RUBRIC_API const char* rubric_status_string(int status);

/* ------------------------------------------------------------------------ */
/* Common definitions                                                       */

#define RUBRIC_NONE ((size_t)-1)             /* "no index" */
#define RUBRIC_NUL_TERMINATED ((size_t)-1)   /* a length meaning "up to the first NUL" */

#define RUBRIC_MAX_TEXT_BYTES ((size_t)16 << 20)   /* 16 MiB; the default of rubric_limits.source_bytes */
#define RUBRIC_MAX_NAME_BYTES ((size_t)4096)
#define RUBRIC_MAX_VALUE_BYTES ((size_t)1 << 20)   /* 1 MiB */
#define RUBRIC_MAX_BATCH_BYTES ((size_t)64 << 20)  /* 64 MiB; the default of rubric_limits.facts_bytes */

/* Releases a buffer that this library allocated for the caller (the `char**`
 * outputs of rubric_eval_batch and rubric_eval_batch_file). NULL is a no-op.
 * Never pass a handle or a borrowed string. */
RUBRIC_API void rubric_free(void* buffer);

/* ------------------------------------------------------------------------ */
/* Programs: compiling a rubric                                             */

/* A compiled rubric (or, after a failed compile, its diagnostics).
 * Immutable; may be shared by any number of threads. */
typedef struct rubric_program rubric_program;

/* Flags for rubric_compile and rubric_compile_file. */
#define RUBRIC_COMPILE_WERROR 1u /* treat checker warnings as errors */

/* Parses, checks and compiles rubric source text.
 *   name   shown in diagnostics ("file:line:col"); NULL means "<input>".
 *   text   the source, UTF-8; `len` bytes, or up to the NUL if len is
 *          RUBRIC_NUL_TERMINATED. The text is copied.
 *   flags  0 or RUBRIC_COMPILE_WERROR.
 *   out    receives a new program handle.
 * Like sqlite3_open, *out receives a handle even when compiling fails, so that
 * the diagnostics can be read; only when memory runs out (or `out` is NULL)
 * is *out NULL. The handle is usable for queries and evaluation only when the
 * call returned RUBRIC_OK (see rubric_program_status). Always release it with
 * rubric_program_free.
 * Returns RUBRIC_OK (possibly with warnings among the diagnostics),
 * RUBRIC_ERROR_SYNTAX, RUBRIC_ERROR_CHECK, RUBRIC_ERROR_LIMIT (text larger than
 * RUBRIC_MAX_TEXT_BYTES, name larger than RUBRIC_MAX_NAME_BYTES, or the rubric
 * past another limit: see "Limits" and rubric_compile_ex),
 * RUBRIC_ERROR_MISUSE (out is NULL; text is NULL; unknown flags),
 * RUBRIC_ERROR_NOMEM or RUBRIC_ERROR_INTERNAL. Thread-safe. */
RUBRIC_API int rubric_compile(const char* name, const char* text, size_t len, unsigned flags,
                              rubric_program** out);

/* Reads the file at `path` and compiles it as rubric_compile does, with the
 * path as the name. Also returns RUBRIC_ERROR_NOT_FOUND (no such file) or
 * RUBRIC_ERROR_IO (unreadable, a directory); *out then still receives a failed
 * handle whose single diagnostic (code "E-io") says why. Thread-safe. */
RUBRIC_API int rubric_compile_file(const char* path, unsigned flags, rubric_program** out);

/* ------------------------------------------------------------------------ */
/* Limits                                                                   */

/* The limits that keep hostile input from exhausting memory, stack or time.
 * Every limit is inclusive: a value equal to it is accepted, one more fails.
 * They are given when a program is compiled and hold for everything done with
 * it: the parse, and the facts of its evaluation contexts and batch calls.
 *
 * The struct may grow in later versions (new fields at the end only). So that
 * old and new callers and libraries work together:
 *   - `size` is sizeof(rubric_limits) as the caller was compiled (set by
 *     rubric_limits_init); fields past `size` take their defaults;
 *   - a field set to 0 takes its default, so a zeroed struct means "defaults":
 *         rubric_limits l = {sizeof l};  l.nesting = 16;
 *   - a caller's struct larger than this library's is accepted only if the
 *     fields this library does not know are 0 (a limit that would silently be
 *     ignored is refused instead: RUBRIC_ERROR_MISUSE).
 * Limits above a maximum are refused (RUBRIC_ERROR_MISUSE): nesting 1000
 * (parsing uses stack in proportion to the nesting: a few KiB a level in an
 * unoptimised build, far less optimised), number_digits and number_exponent
 * 1000000.
 *
 * Past a limit:
 *   source_bytes            RUBRIC_ERROR_LIMIT (diagnostic "E-limit")
 *   nesting, nodes, exprs   RUBRIC_ERROR_LIMIT, diagnostics "E-limit-nesting",
 *                           "E-limit-nodes", "E-limit-exprs" with line and column
 *   number_digits           in the rubric: RUBRIC_ERROR_SYNTAX ("E-number");
 *   number_exponent         in a fact: RUBRIC_ERROR_FACT (the message says why)
 *   facts_bytes             RUBRIC_ERROR_LIMIT from the batch calls
 *   json_depth, fields      RUBRIC_ERROR_LIMIT from the batch calls; the message
 *                           has the diagnostic ("E-facts-limit", file:line:col)
 *   eval_steps              RUBRIC_ERROR_LIMIT from rubric_eval_run (the message
 *                           names the longest list); in a batch, the entity is
 *                           bad ("E-limit-eval-steps" at its longest list) and the
 *                           call returns RUBRIC_ERROR_LIMIT unless
 *                           RUBRIC_BATCH_SKIP_BAD is set.
 * Evaluation steps: a program is straight-line code, run once per unit, except
 * that `count d in LIST where ...` runs its condition once per list element;
 * the steps are counted from the facts before anything is evaluated. */
typedef struct rubric_limits {
    size_t size;            /* sizeof(rubric_limits) as the caller knows it */
    size_t source_bytes;    /* 0 = default, for every field below */
    size_t nesting;
    size_t nodes;
    size_t exprs;
    size_t number_digits;
    size_t number_exponent;
    size_t facts_bytes;
    size_t json_depth;
    size_t fields;
    size_t eval_steps;
} rubric_limits;

/* Fills *limits with the defaults (the values, not zeros) and sets its size.
 * NULL is a no-op. */
RUBRIC_API void rubric_limits_init(rubric_limits* limits);

/* As rubric_compile and rubric_compile_file, with limits (NULL: the defaults;
 * then they are the same as rubric_compile and rubric_compile_file). The limits
 * are copied. Also returns RUBRIC_ERROR_MISUSE for invalid limits (size too
 * small, unknown non-zero fields, a value above its maximum); *out then
 * receives a failed handle whose diagnostic ("E-misuse") says which. */
RUBRIC_API int rubric_compile_ex(const char* name, const char* text, size_t len, unsigned flags,
                                 const rubric_limits* limits, rubric_program** out);
RUBRIC_API int rubric_compile_file_ex(const char* path, unsigned flags, const rubric_limits* limits,
                                      rubric_program** out);

/* The limits a program was compiled with (every field filled in, defaults
 * included), written to *out up to out->size bytes: set out->size first (or
 * call rubric_limits_init). Returns RUBRIC_OK or RUBRIC_ERROR_MISUSE (NULL,
 * a bad handle, out->size too small). Works for failed programs too. */
RUBRIC_API int rubric_program_limits(const rubric_program* prog, rubric_limits* out);

/* Releases a program. NULL is a no-op. Evaluation contexts created from it
 * remain valid (they share its data). */
RUBRIC_API void rubric_program_free(rubric_program* prog);

/* 1 if the rubric scores a unit against the other units (a `rank` form or a
 * cohort aggregate: cohort_mean, cohort_min, cohort_max, cohort_count), so that
 * rubric_eval_run refuses it (RUBRIC_ERROR_COHORT) and only the batch functions
 * score it; 0 if every unit can be scored alone; -1 for a NULL, wrong or failed
 * program. Thread-safe. */
RUBRIC_API int rubric_program_needs_cohort(const rubric_program* prog);

/* RUBRIC_OK if `prog` compiled successfully and can be queried and evaluated;
 * otherwise the status its compile returned; RUBRIC_ERROR_MISUSE for NULL. */
RUBRIC_API int rubric_program_status(const rubric_program* prog);

/* A one-line summary of the compile: "" on success; else e.g.
 * "r.rubric: 2 errors; first: r.rubric:3:7: unknown name `x`".
 * Borrowed from the program. Never NULL ("invalid handle" for a bad handle). */
RUBRIC_API const char* rubric_program_errmsg(const rubric_program* prog);

/* The last error message of either kind of handle: rubric_program_errmsg for a
 * program, rubric_eval_errmsg for an evaluation context (told apart by a tag
 * inside the handle). For C code the typed functions are preferable. */
RUBRIC_API const char* rubric_errmsg(const void* handle);

/* ------------------------------------------------------------------------ */
/* Diagnostics (available on failed and successful programs)               */

/* Severity of a diagnostic. */
#define RUBRIC_SEVERITY_ERROR 0
#define RUBRIC_SEVERITY_WARNING 1
#define RUBRIC_SEVERITY_NOTE 2

/* Number of diagnostics (errors, warnings and notes, in source order). */
RUBRIC_API size_t rubric_diag_count(const rubric_program* prog);

/* RUBRIC_SEVERITY_*, or -1 for a bad handle or index. */
RUBRIC_API int rubric_diag_severity(const rubric_program* prog, size_t i);

/* 1-based line and column (in characters) of the diagnostic; 0 when it has
 * no position (or for a bad handle or index). */
RUBRIC_API unsigned rubric_diag_line(const rubric_program* prog, size_t i);
RUBRIC_API unsigned rubric_diag_column(const rubric_program* prog, size_t i);

/* The diagnostic's fields. Borrowed from the program; NULL for a bad handle or
 * index; "" when a field is empty.
 *   file      the name given to rubric_compile (or the path)
 *   code      a stable identifier such as "E-syntax", "W-unreachable-points"
 *   message   what is wrong
 *   expected  what was expected instead ("" if nothing to say)
 *   rendered  "file:line:col: error: message\n  source line\n  ^ caret\n..." */
RUBRIC_API const char* rubric_diag_file(const rubric_program* prog, size_t i);
RUBRIC_API const char* rubric_diag_code(const rubric_program* prog, size_t i);
RUBRIC_API const char* rubric_diag_message(const rubric_program* prog, size_t i);
RUBRIC_API const char* rubric_diag_expected(const rubric_program* prog, size_t i);
RUBRIC_API const char* rubric_diag_rendered(const rubric_program* prog, size_t i);

/* Every diagnostic rendered, concatenated ("" if none). Borrowed from the
 * program; NULL only for a bad handle. */
RUBRIC_API const char* rubric_diags_rendered(const rubric_program* prog);

/* Languages of the text this library writes for people (diagnostics,
 * explanations, batch messages). Codes ("E-syntax"), JSON keys and numbers are
 * the same in both. */
#define RUBRIC_LANG_EN 0
#define RUBRIC_LANG_ZH 1 /* 中文: "r.rubric:3:7: 错误：…" */

/* rubric_diag_message, rubric_diag_rendered and rubric_diags_rendered in a
 * language (RUBRIC_LANG_*); the English functions above are these with
 * RUBRIC_LANG_EN. Errors about the
 * file or the limits themselves (code "E-io", "E-misuse", "E-limit") have
 * English text only. NULL for a bad handle, index or language. */
RUBRIC_API const char* rubric_diag_message_lang(const rubric_program* prog, size_t i, int language);
RUBRIC_API const char* rubric_diag_rendered_lang(const rubric_program* prog, size_t i, int language);
RUBRIC_API const char* rubric_diags_rendered_lang(const rubric_program* prog, int language);

/* ------------------------------------------------------------------------ */
/* Program structure (successful programs only)                             */
/* For a NULL, wrong or failed program these return 0, NULL, -1 or RUBRIC_NONE.
 * Strings are borrowed from the program. */

/* The rubric's title ("" if it has none). */
RUBRIC_API const char* rubric_program_title(const rubric_program* prog);

/* The total points: the declared `total`, else the sum of the top-level
 * sections and items (bonus sections excluded), as exact text. */
RUBRIC_API const char* rubric_program_total_points(const rubric_program* prog);

/* The number of decimal places scores are displayed with (the rubric's
 * `rounding` setting; 2 by default), or -1. */
RUBRIC_API int rubric_program_display_places(const rubric_program* prog);

/* Node kinds. */
#define RUBRIC_NODE_SECTION 0 /* a level with children (一级/二级指标) */
#define RUBRIC_NODE_ITEM 1    /* a scored leaf (三级指标) */
#define RUBRIC_NODE_BONUS 2   /* 附加分: scored outside the total */
#define RUBRIC_NODE_TASK 3    /* an unscored task (owners, deadline) */
#define RUBRIC_NODE_ADJUSTMENTS 4  /* 综合奖扣分: signed awards and deductions, added after the total */

/* Number of nodes (sections, items, bonus sections and tasks). Nodes are
 * numbered 0 .. count-1; a parent comes before its children. */
RUBRIC_API size_t rubric_node_count(const rubric_program* prog);

/* The node's kind (RUBRIC_NODE_*), or -1. */
RUBRIC_API int rubric_node_kind(const rubric_program* prog, size_t node);

/* The node's code ("1.2.3"), name, and points as exact text ("" if the node
 * declares no points). */
RUBRIC_API const char* rubric_node_code(const rubric_program* prog, size_t node);
RUBRIC_API const char* rubric_node_name(const rubric_program* prog, size_t node);
RUBRIC_API const char* rubric_node_points(const rubric_program* prog, size_t node);

/* The parent's index, or RUBRIC_NONE for a top-level node (and bad arguments). */
RUBRIC_API size_t rubric_node_parent(const rubric_program* prog, size_t node);

/* The children, in document order. */
RUBRIC_API size_t rubric_node_child_count(const rubric_program* prog, size_t node);
RUBRIC_API size_t rubric_node_child(const rubric_program* prog, size_t node, size_t j);

/* Finds a node by code. *index receives the node (RUBRIC_NONE if not found).
 * Returns RUBRIC_OK, RUBRIC_ERROR_NOT_FOUND, or RUBRIC_ERROR_MISUSE. */
RUBRIC_API int rubric_node_find(const rubric_program* prog, const char* code, size_t* index);

/* Verbatim metadata of the published table. */
#define RUBRIC_META_REQUIREMENT 0 /* 评分要求 */
#define RUBRIC_META_STANDARD 1    /* 评分标准 (the prose rule) */
#define RUBRIC_META_METHOD 2      /* 评价方式 */
#define RUBRIC_META_EVIDENCE 3    /* 提交说明 */
#define RUBRIC_META_OWNERS 4      /* 责任部门, verbatim */
#define RUBRIC_META_DEADLINE 5    /* 时限 */
#define RUBRIC_META_MEASURES 6    /* 工作措施 */
#define RUBRIC_META_NOTE 7        /* 备注 */

/* A metadata field ("" when absent); NULL for a bad node or field. */
RUBRIC_API const char* rubric_node_meta(const rubric_program* prog, size_t node, int field);

/* Responsible departments. */
#define RUBRIC_ROLE_LEAD 0    /* 牵头 */
#define RUBRIC_ROLE_SUPPORT 1 /* 配合 */

RUBRIC_API size_t rubric_node_owner_count(const rubric_program* prog, size_t node, int role);
RUBRIC_API const char* rubric_node_owner(const rubric_program* prog, size_t node, int role, size_t j);

/* Number of inputs (the facts a unit may give), numbered 0 .. count-1. */
RUBRIC_API size_t rubric_input_count(const rubric_program* prog);

/* The input's name (as used in rubric_eval_set_fact and facts files). */
RUBRIC_API const char* rubric_input_name(const rubric_program* prog, size_t input);

/* The type name: "bool", "count", "percent", "decimal", "judged", "choice" or
 * "list". For a list, rubric_input_element_type gives the element type (""
 * for other inputs). */
RUBRIC_API const char* rubric_input_type(const rubric_program* prog, size_t input);
RUBRIC_API const char* rubric_input_element_type(const rubric_program* prog, size_t input);

/* The label (the prose description; "" if none). */
RUBRIC_API const char* rubric_input_label(const rubric_program* prog, size_t input);

/* The declared range as exact text "lo..hi" (either side may be empty for an
 * open bound), or "" when the input declares none. */
RUBRIC_API const char* rubric_input_range(const rubric_program* prog, size_t input);

/* 1 if a unit cannot be scored without this fact (`missing error`), 0 if a
 * missing fact counts as not achieved or takes a default, -1 on bad arguments. */
RUBRIC_API int rubric_input_required(const rubric_program* prog, size_t input);

/* The item or section that declares the input, or RUBRIC_NONE. */
RUBRIC_API size_t rubric_input_node(const rubric_program* prog, size_t input);

/* The words of a choice input (0 for other inputs). */
RUBRIC_API size_t rubric_input_choice_count(const rubric_program* prog, size_t input);
RUBRIC_API const char* rubric_input_choice(const rubric_program* prog, size_t input, size_t j);

/* Finds an input by name; as rubric_node_find. */
RUBRIC_API int rubric_input_find(const rubric_program* prog, const char* name, size_t* index);

/* ------------------------------------------------------------------------ */
/* Evaluation contexts                                                      */

/* The facts and scores of one unit at a time, plus scratch space; reusable
 * for any number of units. One thread at a time. */
typedef struct rubric_eval rubric_eval;

/* Creates a context for a successfully compiled program. On success *out
 * receives it; on any error *out is set to NULL (when out is not NULL).
 * Returns RUBRIC_OK, RUBRIC_ERROR_MISUSE (NULL/failed program, NULL out) or
 * RUBRIC_ERROR_NOMEM. Thread-safe with respect to the program. */
RUBRIC_API int rubric_eval_new(const rubric_program* prog, rubric_eval** out);

/* Releases a context. NULL is a no-op. */
RUBRIC_API void rubric_eval_free(rubric_eval* ev);

/* The status of the last call on `ev` that failed since the last successful
 * one, RUBRIC_OK after a successful call; RUBRIC_ERROR_MISUSE for NULL. */
RUBRIC_API int rubric_eval_errcode(const rubric_eval* ev);

/* The message of the last failed call on `ev` ("" after a success).
 * Borrowed until the next call on `ev`. Never NULL. */
RUBRIC_API const char* rubric_eval_errmsg(const rubric_eval* ev);

/* Forgets every fact, the entity id and the scores: the context is as new,
 * except for its settings (the group column of rubric_eval_set_group_column). */
RUBRIC_API int rubric_eval_reset(rubric_eval* ev);

/* Names the unit (shown as "entity" in explanations). Optional. */
RUBRIC_API int rubric_eval_set_entity(rubric_eval* ev, const char* entity);

/* The unit's display name (the `name` column of a facts file), written as
 * "name" by rubric_eval_result_json. Optional; copied. Returns RUBRIC_OK,
 * RUBRIC_ERROR_LIMIT (longer than RUBRIC_MAX_VALUE_BYTES) or RUBRIC_ERROR_MISUSE. */
RUBRIC_API int rubric_eval_set_name(rubric_eval* ev, const char* name);

/* Gives one fact of the current unit, as text, read like a facts file:
 *   bool     true/false, 1/0, 是/否
 *   count    a whole number >= 0 ("795")
 *   percent  "85%" or "0.85"
 *   decimal, judged  any decimal ("12.5", "-3", "1e2"), within the range
 *   choice   one of the declared words ("完备")
 *   list     "[0.8, 0.9]" or "0.8;0.9"
 * Numbers follow the program's number_digits and number_exponent limits.
 * Returns RUBRIC_OK; RUBRIC_ERROR_NOT_FOUND (no input of that name);
 * RUBRIC_ERROR_FACT (invalid value, or the fact was already given for this
 * unit: call rubric_eval_reset between units); RUBRIC_ERROR_LIMIT (name or
 * value too long); RUBRIC_ERROR_MISUSE (NULL arguments). A failed call leaves
 * the fact unset. Any call discards the previous scores (evaluate again). */
RUBRIC_API int rubric_eval_set_fact(rubric_eval* ev, const char* name, const char* value);

/* Scores the current unit. Facts not given follow the rubric's missing-fact
 * policy (by default: not achieved). Running with no facts at all is allowed.
 * Returns RUBRIC_OK, RUBRIC_ERROR_FACT when a required fact is missing (the
 * message names it), RUBRIC_ERROR_LIMIT when scoring the facts would take
 * more than the program's eval_steps (the message names the longest list), or
 * RUBRIC_ERROR_COHORT when the rubric ranks units within a cohort (`rank`,
 * cohort_mean ...; see rubric_program_needs_cohort): one unit's score depends
 * on the others, so it is never scored alone; score all the units together with
 * rubric_eval_batch or rubric_eval_batch_file.
 * Does not allocate after the first run with a program. */
RUBRIC_API int rubric_eval_run(rubric_eval* ev);

/* A score of the last run, by node code ("1.2.3"), or "total" / "bonus" / "adjustments" / "grand_total".
 *   exact    receives the exact score ("0.6", "2/3"); may be NULL
 *   rounded  receives it rounded for display with the rubric's rounding,
 *            without trailing zeros ("0.67", "3"); may be NULL
 * Both strings stay valid until the next call on `ev`. Returns RUBRIC_OK,
 * RUBRIC_ERROR_NOT_FOUND, or RUBRIC_ERROR_MISUSE (no successful
 * rubric_eval_run since the last reset or rubric_eval_set_fact). */
RUBRIC_API int rubric_eval_score(rubric_eval* ev, const char* code, const char** exact, const char** rounded);

/* As rubric_eval_score, by node index (RUBRIC_ERROR_NOT_FOUND when out of
 * range). A task node scores 0. */
RUBRIC_API int rubric_eval_score_at(rubric_eval* ev, size_t node, const char** exact, const char** rounded);

/* Whether the node with this code applies to the unit of the last run: *applies is 1, or 0
 * for a member of a case of a section `by` an attribute whose case is not the unit's
 * (section … by 责任单位 { case "县水利局" { … } }). Such a node scores 0 (rubric_eval_score)
 * and the result line leaves it null (rubric_eval_result_json). Every node applies in a
 * rubric without `by`. Returns RUBRIC_OK, RUBRIC_ERROR_NOT_FOUND (no such code), or
 * RUBRIC_ERROR_MISUSE (applies NULL, or no successful rubric_eval_run, as for rubric_eval_score). */
RUBRIC_API int rubric_eval_applies(rubric_eval* ev, const char* code, int* applies);

/* The total (all top-level sections and items) and the bonus (附加分). */
RUBRIC_API int rubric_eval_total(rubric_eval* ev, const char** exact, const char** rounded);
RUBRIC_API int rubric_eval_bonus(rubric_eval* ev, const char** exact, const char** rounded);

/* 综合奖扣分 (the sum of the rubric's `adjustments` blocks within their caps; "0" without any),
 * and the grand total (总得分): total + bonus + adjustments, what the unit ends with. As
 * rubric_eval_score, which also takes "adjustments" and "grand_total" as codes. */
RUBRIC_API int rubric_eval_adjustments(rubric_eval* ev, const char** exact, const char** rounded);
RUBRIC_API int rubric_eval_grand_total(rubric_eval* ev, const char** exact, const char** rounded);

/* The unit's grade (等级) after its vetoes (一票否决), read off the grand total as the rubric's
 * `grade` says: *grade receives its label ("" when the rubric has no `grade`), valid until the
 * next call on `ev`. Returns RUBRIC_OK, or RUBRIC_ERROR_MISUSE (NULL grade, or no successful
 * rubric_eval_run since the last reset or rubric_eval_set_fact). */
RUBRIC_API int rubric_eval_grade(rubric_eval* ev, const char** grade);

/* The scores of the last run as one JSON object, the line that `rubric eval
 * --format jsonl` and the batch calls write for the unit (without the newline):
 *   {"entity": "u1", "name": "…", "total": "3.33", "bonus": "0", "nodes": {"1": "3.33", ...},
 *    "exact": {"total": "10/3", ...}, "warnings": ["…"], "missing": 1, "missing_inputs": ["…"]}
 * (see rubric_eval_batch; "name" only when set, "exact" only for scores that
 * rounding changed). So a caller scoring one unit at a time gets what a batch
 * gives: the rubric's warnings (预警) that apply and the facts not given. *out is
 * borrowed until the next call on `ev`; *len (if not NULL) its length. Errors as
 * rubric_eval_score. */
RUBRIC_API int rubric_eval_result_json(rubric_eval* ev, const char** out, size_t* len);

/* How every point of the last run came about, as JSON:
 *   {"entity", "total": {"value", "exact"}, "bonus": {...}, "nodes": [{"code",
 *    "name", "kind", "points", "score", "raw", "clamped", "parts": [...],
 *    "facts": {...}}]}
 * or as text for people. *out receives the text (borrowed until the next call
 * on `ev`); *len (if not NULL) its length in bytes. Errors as
 * rubric_eval_score. */
RUBRIC_API int rubric_eval_explain_json(rubric_eval* ev, const char** out, size_t* len);
RUBRIC_API int rubric_eval_explain_text(rubric_eval* ev, const char** out, size_t* len);

/* ------------------------------------------------------------------------ */
/* Batch evaluation                                                         */

/* Facts and result formats. */
#define RUBRIC_FORMAT_AUTO 0  /* input from a file only: by extension (.csv, .jsonl/.ndjson, else JSON) */
#define RUBRIC_FORMAT_CSV 1   /* a header row of input names; the first column is the entity id;
                                 a `name` column is the unit's display name; an empty cell is a
                                 missing fact */
#define RUBRIC_FORMAT_JSON 2  /* input only: one entity object {"entity": "id", "input": value, ...}
                                 or an array of them */
#define RUBRIC_FORMAT_JSONL 3 /* one entity object per line */

/* Batch flags. */
#define RUBRIC_BATCH_SKIP_BAD 1u      /* score the good entities even if some have bad facts */
#define RUBRIC_BATCH_ALLOW_UNKNOWN 2u /* ignore fields that are not inputs (default: an error) */
#define RUBRIC_BATCH_EXACT 4u         /* CSV output: exact scores instead of rounded ones */

/* Scores every entity of a facts buffer in one call.
 *
 * Cohorts. A rubric with cohort rules (rubric_program_needs_cohort) is scored
 * per call: the good entities of one batch are ONE cohort (with a group column,
 * one cohort per group), ranked and aggregated together, and nothing is kept
 * between calls, so give every unit of the cohort in one batch. The facts are
 * read twice (a measuring pass, then the scoring pass; one more measuring pass
 * per stage when a rule ranks a score that itself reads the cohort). An entity with bad facts
 * (skipped under RUBRIC_BATCH_SKIP_BAD) takes no part in any ranking or
 * aggregate. Rubrics without cohort rules score each entity on its own.
 *
 * Entity ids. Each entity of a batch needs an id of its own (as for `rubric eval`):
 * an id given again (JSON 7 and "7" are the same id) makes that later entity bad,
 * with diagnostic "E-facts-duplicate-entity" at its id, naming the id and the line
 * of the first one:
 *     units.csv:4:1: error: entity u1 is given twice (first on line 2)
 * So a batch with a repeated id returns RUBRIC_ERROR_FACT and no result (a unit
 * counted twice would distort every rank and aggregate of its cohort, and give two
 * rows for one unit); under RUBRIC_BATCH_SKIP_BAD the first entity of that id is
 * scored and each repeat is skipped like any bad entity (no ranking takes it).
 *
 *   name        shown in diagnostics; NULL means "<facts>"
 *   data, len   the facts (len may be RUBRIC_NUL_TERMINATED)
 *   in_format   RUBRIC_FORMAT_CSV, _JSON or _JSONL
 *   out_format  RUBRIC_FORMAT_JSONL: one line per entity, in input order:
 *                 {"entity": "u1", "name": "…", "total": "3.33", "bonus": "0",
 *                  "nodes": {"1": "3.33", ...}, "exact": {"total": "10/3", ...}}
 *               with scores rounded for display, "name" only when given, and
 *               "exact" (n/d fractions) only for scores that rounding changed;
 *               a bad entity under RUBRIC_BATCH_SKIP_BAD gives
 *                 {"entity": "u2", "error": "rendered diagnostics"}.
 *               RUBRIC_FORMAT_CSV: "entity,name,total,bonus,<node codes…>" then one
 *               row per good entity, CRLF line ends (tasks have no column).
 *   flags       RUBRIC_BATCH_* or 0
 *   out, out_len  on RUBRIC_OK, *out receives a NUL-terminated buffer that the
 *               caller releases with rubric_free, *out_len (if not NULL) its
 *               length. On error *out is NULL.
 * Returns RUBRIC_OK; RUBRIC_ERROR_FACT (the facts have syntax errors, or an
 * entity has bad facts or a repeated id, see "Entity ids", and
 * RUBRIC_BATCH_SKIP_BAD is not set; the message lists the diagnostics as
 * file:line:col); RUBRIC_ERROR_LIMIT (more than the
 * program's facts_bytes, RUBRIC_MAX_BATCH_BYTES by default; or past json_depth,
 * fields or eval_steps, see "Limits"); RUBRIC_ERROR_MISUSE. Under RUBRIC_BATCH_SKIP_BAD a
 * run with skipped entities returns RUBRIC_OK and rubric_eval_errmsg describes
 * them. The context's current facts and scores are discarded (as by
 * rubric_eval_reset). */
RUBRIC_API int rubric_eval_batch(rubric_eval* ev, const char* name, const char* data, size_t len, int in_format,
                                 int out_format, unsigned flags, char** out, size_t* out_len);

/* As rubric_eval_batch, reading the facts from the file at `path`
 * (RUBRIC_FORMAT_AUTO allowed), with the same errors: an entity id given twice in
 * the file is RUBRIC_ERROR_FACT and no result (see "Entity ids" there; the
 * message names the path, the id and both lines). Also RUBRIC_ERROR_NOT_FOUND /
 * RUBRIC_ERROR_IO. */
RUBRIC_API int rubric_eval_batch_file(rubric_eval* ev, const char* path, int in_format, int out_format,
                                      unsigned flags, char** out, size_t* out_len);

/* Names the facts column that holds each unit's group (市直部门, 县区 ...) in the
 * batch calls of this context: units of different groups are ranked and
 * aggregated separately (see "Cohorts" at rubric_eval_batch). The column is not
 * a rubric input: it is removed from each entity's facts before they are bound
 * (so it is never an unknown field), whether or not the rubric has cohort rules.
 * A unit without the column, or with an empty value, is in the group "" (the
 * units without a group form one cohort). The output is unchanged (the group is
 * not written). NULL or "" means no group column: the batch is one cohort.
 * The name is copied; the setting lasts until changed (rubric_eval_reset keeps
 * it) and applies to this context only. One thread at a time, as the context.
 * Returns RUBRIC_OK; RUBRIC_ERROR_MISUSE (bad handle, or `column` names an input
 * of the rubric: its facts would be lost); RUBRIC_ERROR_LIMIT (longer than
 * RUBRIC_MAX_NAME_BYTES). A failed call leaves the previous setting. */
RUBRIC_API int rubric_eval_set_group_column(rubric_eval* ev, const char* column);

/* The language (RUBRIC_LANG_EN, the default, or RUBRIC_LANG_ZH) of the text this
 * context gives people: rubric_eval_explain_text and _json, the messages of the
 * batch calls (rubric_eval_errmsg after them: the facts' diagnostics) and the
 * "error" of a skipped entity in JSON lines. Other messages of rubric_eval_errmsg
 * (misuse, limits, a single fact) stay English. The setting lasts until changed
 * (rubric_eval_reset keeps it). Returns RUBRIC_OK or RUBRIC_ERROR_MISUSE (bad
 * handle, unknown language: the setting is unchanged). */
RUBRIC_API int rubric_eval_set_language(rubric_eval* ev, int language);

/* ------------------------------------------------------------------------ */
/* Cancellation                                                             */

/* Every call's work is bounded by the limits; these two let a caller stop a
 * long one sooner (a user pressed Cancel, a deadline passed), as SQLite's
 * sqlite3_progress_handler and sqlite3_interrupt do.
 *
 * Where a call can be cancelled: the batch calls check before each entity
 * they read (a cohort's facts are read twice or more: every reading), and
 * rubric_eval_run checks once before it scores (one unit's work is bounded by
 * eval_steps). A cancelled call returns RUBRIC_ERROR_INTERRUPTED, gives no
 * result (*out NULL), and leaves the context as rubric_eval_reset does, ready
 * for the next call; rubric_eval_errmsg says what cancelled it. */

/* Sets the progress handler of `ev`: `handler(arg)` is called during the
 * batch calls after every `n` entities read (n = 0 is taken as 1), and by
 * rubric_eval_run before it scores. Returning non-zero cancels the call.
 * The handler runs on the calling thread, inside the call: it must not call
 * this library with `ev`. A NULL handler removes it. Replaces any previous
 * handler. Returns RUBRIC_OK or RUBRIC_ERROR_MISUSE (bad handle). */
RUBRIC_API int rubric_eval_progress_handler(rubric_eval* ev, unsigned n, int (*handler)(void* arg), void* arg);

/* Cancels the call running on `ev`, from any thread (a signal handler too:
 * it only sets an atomic flag). If no call is running, the next cancellable
 * call on `ev` is cancelled instead, at its first check, so that an interrupt
 * racing with the start of a call is never lost (rubric_eval_reset and the
 * setters, which are quick, neither check nor clear it). The call that is
 * cancelled clears the request. `ev` must
 * stay alive during the call (do not free it from one thread while another
 * interrupts it). A NULL or invalid handle is a no-op. */
RUBRIC_API void rubric_interrupt(rubric_eval* ev);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* RUBRIC_H */
