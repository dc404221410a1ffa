/*
 * c_api_test.c: every function of rubric.h, compiled as C99, including misuse:
 * NULL handles, destroy(NULL), a handle of the wrong type, unknown names, bad
 * values, a fact given twice, results read before evaluating, bad rubric text
 * and oversized input. Prints "N passed, N failed"; exits non-zero on failure.
 *
 *   c_api_test RUBRIC_SOURCE_DIR [SCRATCH_DIR [--quick]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric/rubric.h"

#include "c_check.h"

static const char* source_dir = ".";
static const char* scratch_dir = ".";
static int quick = 0; /* --quick: leave out the slowest input (for valgrind) */

/* A rubric with every kind of node, input type and metadata field. */
static const char test_rubric[] =
    "rubric \"C API 测试\" { total 11  rounding 2 half_up  missing zero }\n"
    "\n"
    "section 1 \"法治政府\" 6 {\n"
    "  item 1.1 \"办结率\" 3 {\n"
    "    requirement \"按时办结\"\n"
    "    standard \"办结率90％以上（含）的，得3分；80-89％的，得2分；70-79％的，得1分\"\n"
    "    method \"查阅资料\"\n"
    "    evidence \"提交报表\"\n"
    "    owners \"市政府办（牵头），各部门（配合）\"\n"
    "    lead \"市政府办\"\n"
    "    support \"市司法局\", \"市财政局\"\n"
    "    input done: count \"办结量\"\n"
    "    input all: count 0..100000 \"受理总量\"\n"
    "    ratio rate = done / all \"办结率\"\n"
    "    score tier >=90%:3 >=80%:2 >=70%:1\n"
    "  }\n"
    "  item 1.2 \"完成率\" 2 {\n"
    "    input a: count\n"
    "    input b: count\n"
    "    ratio r = a / b\n"
    "    score r * 2\n"
    "  }\n"
    "  item 1.3 \"程序\" 1 {\n"
    "    input procedure: choice [完备, 较完备, 不完备] \"程序完备程度\"\n"
    "    score if procedure == \"完备\" then 1 else if procedure == \"较完备\" then 0.5 else 0\n"
    "  }\n"
    "}\n"
    "item 2 \"评审\" 4 {\n"
    "  input must_have: bool missing error \"必须提供\"\n"
    "  input review: judged 0..4 \"评审打分\"\n"
    "  score if must_have then review else 0\n"
    "}\n"
    "item 3 \"领域\" 1 {\n"
    "  input shares: list of percent \"各领域占比\"\n"
    "  score each 0.5 max 1 of count d in shares where d > 80%\n"
    "}\n"
    "bonus \"附加分\" 2 {\n"
    "  item \"创新\" 2 { input innovation: judged 0..2  score innovation }\n"
    "}\n"
    "task \"任务\" { deadline \"2023年12月\" lead \"市政府办\" }\n";

static rubric_program* compile_test_rubric(void) {
    rubric_program* p = NULL;
    int rc = rubric_compile("test.rubric", test_rubric, sizeof test_rubric - 1, 0, &p);
    if (rc != RUBRIC_OK) {
        fprintf(stderr, "cannot compile the test rubric: %s\n%s", rubric_status_string(rc),
                p ? rubric_diags_rendered(p) : "");
        exit(2);
    }
    return p;
}

static char* cat(const char* a, const char* b) {
    size_t na = strlen(a), nb = strlen(b);
    char* r = (char*)malloc(na + nb + 1);
    if (!r) exit(2);
    memcpy(r, a, na);
    memcpy(r + na, b, nb + 1);
    return r;
}

/* ------------------------------------------------------------------------ */

static void test_version_and_status(void) {
    int codes[] = {RUBRIC_OK,          RUBRIC_ERROR_SYNTAX, RUBRIC_ERROR_CHECK, RUBRIC_ERROR_FACT,
                   RUBRIC_ERROR_NOT_FOUND, RUBRIC_ERROR_MISUSE, RUBRIC_ERROR_NOMEM, RUBRIC_ERROR_LIMIT,
                   RUBRIC_ERROR_INTERNAL, RUBRIC_ERROR_IO};
    size_t i, j;
    CHECK_STR(rubric_version(), RUBRIC_C_VERSION);
    CHECK(rubric_version_number() == RUBRIC_C_VERSION_NUMBER);
    CHECK(RUBRIC_C_VERSION_NUMBER == RUBRIC_C_VERSION_MAJOR * 1000000 + RUBRIC_C_VERSION_MINOR * 1000 +
                                         RUBRIC_C_VERSION_PATCH);
    CHECK(RUBRIC_OK == 0);
    CHECK_STR(rubric_status_string(RUBRIC_OK), "ok");
    for (i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
        CHECK(rubric_status_string(codes[i]) != NULL);
        CHECK(strcmp(rubric_status_string(codes[i]), "unknown error") != 0);
        for (j = 0; j < i; ++j) CHECK(strcmp(rubric_status_string(codes[i]), rubric_status_string(codes[j])) != 0);
    }
    /* Unknown codes are errors with a generic text. */
    CHECK_STR(rubric_status_string(-1), "unknown error");
    CHECK_STR(rubric_status_string(1000), "unknown error");
}

static void test_null_handles(void) {
    const char *s1 = "x", *s2 = "y";
    size_t idx = 7, len = 9;
    char* buf = (char*)"sentinel";
    rubric_eval* ev = (rubric_eval*)&idx;
    rubric_program* prog = (rubric_program*)&idx;

    /* Destructors accept NULL. */
    rubric_free(NULL);
    rubric_program_free(NULL);
    rubric_eval_free(NULL);
    CHECK(1);

    /* Program functions with NULL. */
    CHECK_RC(rubric_program_status(NULL), RUBRIC_ERROR_MISUSE);
    CHECK(rubric_program_errmsg(NULL) != NULL);
    CHECK_STR(rubric_errmsg(NULL), "NULL handle");
    CHECK(rubric_diag_count(NULL) == 0);
    CHECK(rubric_diag_severity(NULL, 0) == -1);
    CHECK(rubric_diag_line(NULL, 0) == 0);
    CHECK(rubric_diag_column(NULL, 0) == 0);
    CHECK(rubric_diag_file(NULL, 0) == NULL);
    CHECK(rubric_diag_code(NULL, 0) == NULL);
    CHECK(rubric_diag_message(NULL, 0) == NULL);
    CHECK(rubric_diag_expected(NULL, 0) == NULL);
    CHECK(rubric_diag_rendered(NULL, 0) == NULL);
    CHECK(rubric_diags_rendered(NULL) == NULL);
    CHECK(rubric_program_title(NULL) == NULL);
    CHECK(rubric_program_total_points(NULL) == NULL);
    CHECK(rubric_program_display_places(NULL) == -1);
    CHECK(rubric_program_needs_cohort(NULL) == -1);
    CHECK(rubric_node_count(NULL) == 0);
    CHECK(rubric_node_kind(NULL, 0) == -1);
    CHECK(rubric_node_code(NULL, 0) == NULL);
    CHECK(rubric_node_name(NULL, 0) == NULL);
    CHECK(rubric_node_points(NULL, 0) == NULL);
    CHECK(rubric_node_parent(NULL, 0) == RUBRIC_NONE);
    CHECK(rubric_node_child_count(NULL, 0) == 0);
    CHECK(rubric_node_child(NULL, 0, 0) == RUBRIC_NONE);
    CHECK_RC(rubric_node_find(NULL, "1", &idx), RUBRIC_ERROR_MISUSE);
    CHECK(idx == RUBRIC_NONE);
    CHECK(rubric_node_meta(NULL, 0, RUBRIC_META_STANDARD) == NULL);
    CHECK(rubric_node_owner_count(NULL, 0, RUBRIC_ROLE_LEAD) == 0);
    CHECK(rubric_node_owner(NULL, 0, RUBRIC_ROLE_LEAD, 0) == NULL);
    CHECK(rubric_input_count(NULL) == 0);
    CHECK(rubric_input_name(NULL, 0) == NULL);
    CHECK(rubric_input_type(NULL, 0) == NULL);
    CHECK(rubric_input_element_type(NULL, 0) == NULL);
    CHECK(rubric_input_label(NULL, 0) == NULL);
    CHECK(rubric_input_range(NULL, 0) == NULL);
    CHECK(rubric_input_required(NULL, 0) == -1);
    CHECK(rubric_input_node(NULL, 0) == RUBRIC_NONE);
    CHECK(rubric_input_choice_count(NULL, 0) == 0);
    CHECK(rubric_input_choice(NULL, 0, 0) == NULL);
    idx = 7;
    CHECK_RC(rubric_input_find(NULL, "a", &idx), RUBRIC_ERROR_MISUSE);
    CHECK(idx == RUBRIC_NONE);

    /* Compile with NULL out-parameters. */
    CHECK_RC(rubric_compile("x", "", 0, 0, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_compile_file("x", 0, NULL), RUBRIC_ERROR_MISUSE);

    /* Evaluation functions with NULL. */
    CHECK_RC(rubric_eval_new(NULL, &ev), RUBRIC_ERROR_MISUSE);
    CHECK(ev == NULL);
    CHECK_RC(rubric_eval_new(NULL, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_errcode(NULL), RUBRIC_ERROR_MISUSE);
    CHECK(rubric_eval_errmsg(NULL) != NULL);
    CHECK_RC(rubric_eval_reset(NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_entity(NULL, "e"), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_fact(NULL, "a", "1"), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_run(NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_score(NULL, "1", &s1, &s2), RUBRIC_ERROR_MISUSE);
    CHECK(s1 == NULL && s2 == NULL);
    CHECK_RC(rubric_eval_score_at(NULL, 0, NULL, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_total(NULL, NULL, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_bonus(NULL, NULL, NULL), RUBRIC_ERROR_MISUSE);
    s1 = "x";
    CHECK_RC(rubric_eval_explain_json(NULL, &s1, &len), RUBRIC_ERROR_MISUSE);
    CHECK(s1 == NULL && len == 0);
    CHECK_RC(rubric_eval_explain_text(NULL, &s1, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_batch(NULL, NULL, "", 0, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &buf, NULL),
             RUBRIC_ERROR_MISUSE);
    CHECK(buf == NULL);
    CHECK_RC(rubric_eval_batch_file(NULL, "x.csv", RUBRIC_FORMAT_AUTO, RUBRIC_FORMAT_CSV, 0, &buf, NULL),
             RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_group_column(NULL, "group"), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_group_column(NULL, NULL), RUBRIC_ERROR_MISUSE);
    (void)prog;
}

static void test_wrong_handle_types(void) {
    rubric_program* prog = compile_test_rubric();
    rubric_eval* ev = NULL;
    unsigned char junk[64];
    const char* s = NULL;
    memset(junk, 0, sizeof junk);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);

    /* A program passed where a context is expected, and the reverse. */
    CHECK_RC(rubric_eval_run((rubric_eval*)prog), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_fact((rubric_eval*)prog, "a", "1"), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_score((rubric_eval*)prog, "1", &s, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_errcode((const rubric_eval*)prog), RUBRIC_ERROR_MISUSE);
    CHECK_STR(rubric_eval_errmsg((const rubric_eval*)prog), "not a rubric_eval handle");
    CHECK_RC(rubric_program_status((const rubric_program*)ev), RUBRIC_ERROR_MISUSE);
    CHECK(rubric_node_count((const rubric_program*)ev) == 0);
    CHECK(rubric_input_name((const rubric_program*)ev, 0) == NULL);
    CHECK(rubric_program_needs_cohort((const rubric_program*)ev) == -1);
    CHECK_RC(rubric_eval_set_group_column((rubric_eval*)prog, "group"), RUBRIC_ERROR_MISUSE);
    {
        rubric_eval* other = (rubric_eval*)junk;
        CHECK_RC(rubric_eval_new((const rubric_program*)ev, &other), RUBRIC_ERROR_MISUSE);
        CHECK(other == NULL);
    }
    /* Freeing through the wrong destructor is ignored (the tag does not match). */
    rubric_eval_free((rubric_eval*)prog);
    rubric_program_free((rubric_program*)ev);
    CHECK_RC(rubric_program_status(prog), RUBRIC_OK);
    CHECK_RC(rubric_eval_reset(ev), RUBRIC_OK);

    /* The generic rubric_errmsg tells the handles apart. */
    CHECK_STR(rubric_errmsg(prog), "");
    CHECK_STR(rubric_errmsg(ev), "");
    CHECK_STR(rubric_errmsg(junk), "not a rubric handle");
    CHECK_RC(rubric_eval_run((rubric_eval*)junk), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_program_status((const rubric_program*)junk), RUBRIC_ERROR_MISUSE);

    rubric_eval_free(ev);
    rubric_program_free(prog);
}

static void test_compile_ok_and_structure(void) {
    rubric_program* prog = NULL;
    size_t idx = 0;
    int i;
    CHECK_RC(rubric_compile("test.rubric", test_rubric, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_OK);
    CHECK(prog != NULL);
    CHECK_RC(rubric_program_status(prog), RUBRIC_OK);
    CHECK_STR(rubric_program_errmsg(prog), "");
    CHECK(rubric_diag_count(prog) == 0);
    CHECK_STR(rubric_diags_rendered(prog), "");
    CHECK(rubric_diag_code(prog, 0) == NULL);

    CHECK_STR(rubric_program_title(prog), "C API 测试");
    CHECK_STR(rubric_program_total_points(prog), "11");
    CHECK(rubric_program_display_places(prog) == 2);

    /* Nodes: a parent comes before its children. */
    CHECK(rubric_node_count(prog) == 9);
    CHECK(rubric_node_kind(prog, 0) == RUBRIC_NODE_SECTION);
    CHECK_STR(rubric_node_code(prog, 0), "1");
    CHECK_STR(rubric_node_name(prog, 0), "法治政府");
    CHECK_STR(rubric_node_points(prog, 0), "6");
    CHECK(rubric_node_parent(prog, 0) == RUBRIC_NONE);
    CHECK(rubric_node_child_count(prog, 0) == 3);
    CHECK(rubric_node_child(prog, 0, 0) == 1);
    CHECK(rubric_node_child(prog, 0, 2) == 3);
    CHECK(rubric_node_child(prog, 0, 3) == RUBRIC_NONE);
    CHECK(rubric_node_kind(prog, 1) == RUBRIC_NODE_ITEM);
    CHECK_STR(rubric_node_code(prog, 1), "1.1");
    CHECK(rubric_node_parent(prog, 1) == 0);
    CHECK(rubric_node_kind(prog, 6) == RUBRIC_NODE_BONUS);
    CHECK_STR(rubric_node_code(prog, 7), "4.1");
    CHECK(rubric_node_parent(prog, 7) == 6);
    CHECK(rubric_node_kind(prog, 8) == RUBRIC_NODE_TASK);
    CHECK_STR(rubric_node_points(prog, 8), "");
    CHECK_STR(rubric_node_meta(prog, 8, RUBRIC_META_DEADLINE), "2023年12月");
    CHECK(rubric_node_kind(prog, 9) == -1);
    CHECK(rubric_node_code(prog, 9) == NULL);
    CHECK(rubric_node_code(prog, RUBRIC_NONE) == NULL);
    CHECK(rubric_node_parent(prog, 9) == RUBRIC_NONE);

    /* Metadata of 1.1. */
    CHECK_STR(rubric_node_meta(prog, 1, RUBRIC_META_REQUIREMENT), "按时办结");
    CHECK_CONTAINS(rubric_node_meta(prog, 1, RUBRIC_META_STANDARD), "80-89％的，得2分");
    CHECK_STR(rubric_node_meta(prog, 1, RUBRIC_META_METHOD), "查阅资料");
    CHECK_STR(rubric_node_meta(prog, 1, RUBRIC_META_EVIDENCE), "提交报表");
    CHECK_STR(rubric_node_meta(prog, 1, RUBRIC_META_OWNERS), "市政府办（牵头），各部门（配合）");
    CHECK_STR(rubric_node_meta(prog, 1, RUBRIC_META_DEADLINE), "");
    CHECK_STR(rubric_node_meta(prog, 1, RUBRIC_META_MEASURES), "");
    CHECK_STR(rubric_node_meta(prog, 1, RUBRIC_META_NOTE), "");
    CHECK(rubric_node_meta(prog, 1, 99) == NULL);
    CHECK(rubric_node_meta(prog, 1, -1) == NULL);
    CHECK(rubric_node_owner_count(prog, 1, RUBRIC_ROLE_LEAD) == 1);
    CHECK_STR(rubric_node_owner(prog, 1, RUBRIC_ROLE_LEAD, 0), "市政府办");
    CHECK(rubric_node_owner_count(prog, 1, RUBRIC_ROLE_SUPPORT) == 2);
    CHECK_STR(rubric_node_owner(prog, 1, RUBRIC_ROLE_SUPPORT, 1), "市财政局");
    CHECK(rubric_node_owner(prog, 1, RUBRIC_ROLE_SUPPORT, 2) == NULL);
    CHECK(rubric_node_owner_count(prog, 1, 5) == 0);
    CHECK(rubric_node_owner(prog, 1, 5, 0) == NULL);

    /* Finding nodes. */
    CHECK_RC(rubric_node_find(prog, "4.1", &idx), RUBRIC_OK);
    CHECK(idx == 7);
    CHECK_RC(rubric_node_find(prog, "9.9", &idx), RUBRIC_ERROR_NOT_FOUND);
    CHECK(idx == RUBRIC_NONE);
    CHECK_RC(rubric_node_find(prog, NULL, &idx), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_node_find(prog, "1", NULL), RUBRIC_ERROR_MISUSE);

    /* Inputs. */
    CHECK(rubric_input_count(prog) == 9);
    CHECK_STR(rubric_input_name(prog, 0), "done");
    CHECK_STR(rubric_input_type(prog, 0), "count");
    CHECK_STR(rubric_input_label(prog, 0), "办结量");
    CHECK_STR(rubric_input_range(prog, 0), "");
    CHECK_STR(rubric_input_range(prog, 1), "0..100000");
    CHECK_STR(rubric_input_element_type(prog, 1), "");
    CHECK(rubric_input_node(prog, 1) == 1);
    CHECK_STR(rubric_input_label(prog, 2), "");
    CHECK_STR(rubric_input_type(prog, 4), "choice");
    CHECK(rubric_input_choice_count(prog, 4) == 3);
    CHECK_STR(rubric_input_choice(prog, 4, 1), "较完备");
    CHECK(rubric_input_choice(prog, 4, 3) == NULL);
    CHECK(rubric_input_choice_count(prog, 0) == 0);
    CHECK_STR(rubric_input_type(prog, 5), "bool");
    CHECK(rubric_input_required(prog, 5) == 1);
    CHECK(rubric_input_required(prog, 6) == 0);
    CHECK_STR(rubric_input_type(prog, 6), "judged");
    CHECK_STR(rubric_input_range(prog, 6), "0..4");
    CHECK_STR(rubric_input_type(prog, 7), "list");
    CHECK_STR(rubric_input_element_type(prog, 7), "percent");
    CHECK(rubric_input_node(prog, 8) == 7);
    CHECK(rubric_input_name(prog, 9) == NULL);
    CHECK(rubric_input_required(prog, 9) == -1);
    CHECK(rubric_input_node(prog, 9) == RUBRIC_NONE);
    CHECK_RC(rubric_input_find(prog, "innovation", &idx), RUBRIC_OK);
    CHECK(idx == 8);
    CHECK_RC(rubric_input_find(prog, "nope", &idx), RUBRIC_ERROR_NOT_FOUND);
    CHECK_RC(rubric_input_find(prog, "", &idx), RUBRIC_ERROR_NOT_FOUND);
    CHECK_RC(rubric_input_find(prog, NULL, &idx), RUBRIC_ERROR_MISUSE);
    for (i = 0; i < 9; ++i) CHECK(rubric_input_type(prog, (size_t)i) != NULL);

    rubric_program_free(prog);

    /* The text is copied; explicit lengths need no NUL; the name may be NULL. */
    {
        char* copy = (char*)malloc(sizeof test_rubric + 10);
        memcpy(copy, test_rubric, sizeof test_rubric - 1);
        memcpy(copy + sizeof test_rubric - 1, "GARBAGE!!", 10); /* not part of len */
        CHECK_RC(rubric_compile(NULL, copy, sizeof test_rubric - 1, 0, &prog), RUBRIC_OK);
        free(copy);
        CHECK_STR(rubric_node_name(prog, 0), "法治政府");
        rubric_program_free(prog);
    }
    /* An empty rubric compiles (nothing to score). */
    CHECK_RC(rubric_compile("empty.rubric", "", 0, 0, &prog), RUBRIC_OK);
    CHECK(rubric_node_count(prog) == 0);
    CHECK_STR(rubric_program_total_points(prog), "0");
    rubric_program_free(prog);
}

static void test_compile_errors(void) {
    rubric_program* prog = NULL;
    rubric_eval* ev = (rubric_eval*)&prog;
    size_t i, idx;
    int found_col = 0;

    /* A syntax error: *out is still set, with positioned diagnostics. */
    CHECK_RC(rubric_compile("bad.rubric", "rubric \"x\" { total 1 }\nitem 1 \"a\" 1 { score tier >=: }\n",
                            RUBRIC_NUL_TERMINATED, 0, &prog),
             RUBRIC_ERROR_SYNTAX);
    CHECK(prog != NULL);
    CHECK_RC(rubric_program_status(prog), RUBRIC_ERROR_SYNTAX);
    CHECK(rubric_diag_count(prog) >= 1);
    CHECK(rubric_diag_severity(prog, 0) == RUBRIC_SEVERITY_ERROR);
    CHECK(rubric_diag_line(prog, 0) == 2);
    CHECK(rubric_diag_column(prog, 0) > 0);
    CHECK_STR(rubric_diag_file(prog, 0), "bad.rubric");
    CHECK(rubric_diag_code(prog, 0) != NULL && rubric_diag_code(prog, 0)[0] == 'E');
    CHECK(rubric_diag_message(prog, 0) != NULL && rubric_diag_message(prog, 0)[0] != '\0');
    CHECK(rubric_diag_expected(prog, 0) != NULL);
    CHECK_CONTAINS(rubric_diag_rendered(prog, 0), "bad.rubric:2:");
    CHECK_CONTAINS(rubric_diag_rendered(prog, 0), "^");
    CHECK_CONTAINS(rubric_diags_rendered(prog), "error:");
    CHECK_CONTAINS(rubric_program_errmsg(prog), "bad.rubric");
    CHECK_CONTAINS(rubric_errmsg(prog), "syntax error");
    CHECK(rubric_diag_code(prog, rubric_diag_count(prog)) == NULL);
    CHECK(rubric_diag_severity(prog, 1000) == -1);
    /* A failed program cannot be queried or evaluated. */
    CHECK(rubric_node_count(prog) == 0);
    CHECK(rubric_input_count(prog) == 0);
    CHECK(rubric_program_title(prog) == NULL);
    CHECK_RC(rubric_node_find(prog, "1", &idx), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_ERROR_MISUSE);
    CHECK(ev == NULL);
    rubric_program_free(prog);

    /* A check error: an undeclared name, reported with its column in characters. */
    prog = NULL;
    CHECK_RC(rubric_compile("check.rubric",
                            "rubric \"检查\" { total 1 }\n"
                            "item 1 \"名称\" 1 { input abc: bool  score if abd then 1 }\n",
                            RUBRIC_NUL_TERMINATED, 0, &prog),
             RUBRIC_ERROR_CHECK);
    CHECK(prog != NULL);
    CHECK_RC(rubric_program_status(prog), RUBRIC_ERROR_CHECK);
    for (i = 0; i < rubric_diag_count(prog); ++i)
        if (rubric_diag_severity(prog, i) == RUBRIC_SEVERITY_ERROR && rubric_diag_line(prog, i) == 2) {
            /* `abd` starts at character 43 of line 2, counting each Chinese character as one:
             * `item 1 "` is 8 characters, `名称" 1 { ` 8 more (16), `input abc: bool  ` 17 (33),
             * `score if ` 9 (42), so `a` is the 43rd. */
            found_col = rubric_diag_column(prog, i) == 43;
            CHECK_CONTAINS(rubric_diag_message(prog, i), "abd");
        }
    CHECK(found_col);
    CHECK_CONTAINS(rubric_diags_rendered(prog), "check.rubric:2:43");
    rubric_program_free(prog);

    /* Warnings do not fail a compile, unless RUBRIC_COMPILE_WERROR. */
    {
        static const char warn[] =
            "rubric \"分值不符\" { total 100 }\n"
            "item 1 \"a\" 4 { input a: bool  score if a then 4 }\n";
        CHECK_RC(rubric_compile("warn.rubric", warn, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_OK);
        CHECK(rubric_diag_count(prog) >= 1);
        CHECK(rubric_diag_severity(prog, 0) == RUBRIC_SEVERITY_WARNING);
        CHECK_CONTAINS(rubric_diag_rendered(prog, 0), "warning");
        CHECK_STR(rubric_program_errmsg(prog), "");
        rubric_program_free(prog);
        CHECK_RC(rubric_compile("warn.rubric", warn, RUBRIC_NUL_TERMINATED, RUBRIC_COMPILE_WERROR, &prog),
                 RUBRIC_ERROR_CHECK);
        CHECK(prog != NULL);
        rubric_program_free(prog);
    }

    /* Misuse: NULL text, unknown flags. *out still receives a failed handle. */
    prog = NULL;
    CHECK_RC(rubric_compile("x", NULL, 5, 0, &prog), RUBRIC_ERROR_MISUSE);
    CHECK(prog != NULL);
    CHECK_RC(rubric_program_status(prog), RUBRIC_ERROR_MISUSE);
    CHECK_STR(rubric_diag_code(prog, 0), "E-misuse");
    rubric_program_free(prog);
    CHECK_RC(rubric_compile("x", "", 0, 0x100u, &prog), RUBRIC_ERROR_MISUSE);
    rubric_program_free(prog);
    CHECK_RC(rubric_compile_file(NULL, 0, &prog), RUBRIC_ERROR_MISUSE);
    rubric_program_free(prog);
    CHECK_RC(rubric_compile_file("x.rubric", 0x100u, &prog), RUBRIC_ERROR_MISUSE);
    rubric_program_free(prog);

    /* Invalid UTF-8 and embedded NULs are diagnostics, not crashes. */
    CHECK_RC(rubric_compile("bin.rubric", "rubric \"\xff\xfe\" { total 1 }\n\0item", 30, 0, &prog) != RUBRIC_OK, 1);
    CHECK(prog != NULL && rubric_diag_count(prog) >= 1);
    rubric_program_free(prog);
}

static void test_compile_files(void) {
    rubric_program* prog = NULL;
    char* path = cat(source_dir, "/rubrics/examples/tier.rubric");
    CHECK_RC(rubric_compile_file(path, 0, &prog), RUBRIC_OK);
    CHECK_STR(rubric_program_title(prog), "示例：分档计分");
    CHECK(rubric_node_count(prog) == 2);
    rubric_program_free(prog);
    free(path);

    path = cat(source_dir, "/rubrics/examples/no-such-file.rubric");
    prog = NULL;
    CHECK_RC(rubric_compile_file(path, 0, &prog), RUBRIC_ERROR_NOT_FOUND);
    CHECK(prog != NULL);
    CHECK(rubric_diag_count(prog) == 1);
    CHECK_STR(rubric_diag_code(prog, 0), "E-io");
    CHECK_CONTAINS(rubric_diag_message(prog, 0), "no-such-file.rubric");
    CHECK(rubric_diag_line(prog, 0) == 0);
    rubric_program_free(prog);
    free(path);

    /* A directory is not a rubric. */
    CHECK_RC(rubric_compile_file(source_dir, 0, &prog), RUBRIC_ERROR_IO);
    CHECK_STR(rubric_diag_code(prog, 0), "E-io");
    rubric_program_free(prog);
}

static void test_oversized(void) {
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    char* big;
    char* out = NULL;
    size_t n = RUBRIC_MAX_TEXT_BYTES + 1;

    big = (char*)malloc(RUBRIC_MAX_VALUE_BYTES + 2 > n + 1 ? RUBRIC_MAX_VALUE_BYTES + 2 : n + 1);
    if (!big) exit(2);
    memset(big, ' ', n);
    big[n] = '\0';
    CHECK_RC(rubric_compile("big.rubric", big, n, 0, &prog), RUBRIC_ERROR_LIMIT);
    CHECK(prog != NULL);
    CHECK_STR(rubric_diag_code(prog, 0), "E-limit");
    rubric_program_free(prog);
    CHECK_RC(rubric_compile("big.rubric", big, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_ERROR_LIMIT);
    rubric_program_free(prog);
    /* Exactly at the limit is not a limit error (it is only spaces: an empty rubric). Parsing
     * 16 MiB takes a minute under valgrind, so the valgrind run leaves it out. */
    if (!quick) {
        CHECK_RC(rubric_compile("big.rubric", big, n - 1, 0, &prog), RUBRIC_OK);
        rubric_program_free(prog);
    }

    prog = compile_test_rubric();
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    /* A fact value longer than RUBRIC_MAX_VALUE_BYTES. */
    memset(big, '1', RUBRIC_MAX_VALUE_BYTES + 1);
    big[RUBRIC_MAX_VALUE_BYTES + 1] = '\0';
    CHECK_RC(rubric_eval_set_fact(ev, "done", big), RUBRIC_ERROR_LIMIT);
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_ERROR_LIMIT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "longer than");
    /* A name longer than RUBRIC_MAX_NAME_BYTES. */
    big[RUBRIC_MAX_NAME_BYTES + 1] = '\0';
    CHECK_RC(rubric_eval_set_fact(ev, big, "1"), RUBRIC_ERROR_LIMIT);
    CHECK_RC(rubric_eval_set_entity(ev, big), RUBRIC_ERROR_LIMIT);
    {
        rubric_program* named = NULL;
        CHECK_RC(rubric_compile(big, "", 0, 0, &named), RUBRIC_ERROR_LIMIT);
        CHECK(named != NULL);
        CHECK_STR(rubric_diag_code(named, 0), "E-limit");
        rubric_program_free(named);
    }
    /* A number with too many digits is a bad fact (not a slow one). */
    big[200] = '\0';
    CHECK_RC(rubric_eval_set_fact(ev, "done", big), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_set_fact(ev, "review", "1e999999999"), RUBRIC_ERROR_FACT);
    /* A batch larger than RUBRIC_MAX_BATCH_BYTES is refused before it is read. */
    CHECK_RC(rubric_eval_batch(ev, NULL, "x", RUBRIC_MAX_BATCH_BYTES + 1, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0,
                               &out, NULL),
             RUBRIC_ERROR_LIMIT);
    CHECK(out == NULL);
    rubric_eval_free(ev);
    rubric_program_free(prog);
    free(big);
}

static void test_evaluate(void) {
    rubric_program* prog = compile_test_rubric();
    rubric_eval* ev = NULL;
    const char *exact = NULL, *rounded = NULL, *json = NULL, *text = NULL;
    size_t len = 0;

    CHECK_RC(rubric_eval_new(prog, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK(ev != NULL);
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_OK);
    CHECK_STR(rubric_eval_errmsg(ev), "");

    /* Results before any run: misuse (wrong order). */
    CHECK_RC(rubric_eval_score(ev, "1", &exact, &rounded), RUBRIC_ERROR_MISUSE);
    CHECK(exact == NULL && rounded == NULL);
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_ERROR_MISUSE);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "rubric_eval_run");
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_explain_json(ev, &json, &len), RUBRIC_ERROR_MISUSE);

    /* Evaluating before setting anything: the required fact is missing. */
    CHECK_RC(rubric_eval_run(ev), RUBRIC_ERROR_FACT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "must_have");
    CHECK_RC(rubric_eval_score(ev, "1", &exact, NULL), RUBRIC_ERROR_MISUSE);

    /* Bad facts. */
    CHECK_RC(rubric_eval_set_fact(ev, "no_such_input", "1"), RUBRIC_ERROR_NOT_FOUND);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "no_such_input");
    CHECK_RC(rubric_eval_set_fact(ev, "", "1"), RUBRIC_ERROR_NOT_FOUND);
    CHECK_RC(rubric_eval_set_fact(ev, "done", "abc"), RUBRIC_ERROR_FACT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "done");
    CHECK_RC(rubric_eval_set_fact(ev, "done", "1.5"), RUBRIC_ERROR_FACT);  /* a count is whole */
    CHECK_RC(rubric_eval_set_fact(ev, "done", "-1"), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_set_fact(ev, "done", "85%"), RUBRIC_ERROR_FACT);  /* % only for percents */
    CHECK_RC(rubric_eval_set_fact(ev, "done", ""), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_set_fact(ev, "all", "100001"), RUBRIC_ERROR_FACT); /* above its range */
    CHECK_RC(rubric_eval_set_fact(ev, "must_have", "maybe"), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_set_fact(ev, "procedure", "很完备"), RUBRIC_ERROR_FACT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "完备");
    CHECK_RC(rubric_eval_set_fact(ev, "review", "4.5"), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_set_fact(ev, "review", "NaN"), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_set_fact(ev, "shares", "[0.9, 1.5]"), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_set_fact(ev, "shares", "[0.9"), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_set_fact(ev, NULL, "1"), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_fact(ev, "done", NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_entity(ev, NULL), RUBRIC_ERROR_MISUSE);

    /* Good facts (every failed call above left its fact unset). */
    CHECK_RC(rubric_eval_set_entity(ev, "单位A"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "done", "795"), RUBRIC_OK);
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_OK);
    CHECK_STR(rubric_eval_errmsg(ev), "");
    CHECK_RC(rubric_eval_set_fact(ev, "all", "1000"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "a", "1"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "b", "3"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "procedure", "较完备"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "must_have", "是"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "review", "3.125"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "shares", "[90%, 81%, 80%]"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "innovation", "0.5"), RUBRIC_OK);
    /* The same fact twice. */
    CHECK_RC(rubric_eval_set_fact(ev, "done", "800"), RUBRIC_ERROR_FACT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "twice");

    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_OK);
    /* 1.1: 79.5% → 1.  1.2: 1/3 × 2 = 2/3.  1.3: 较完备 → 0.5.  2: 3.125.  3: two shares > 80% → 1. */
    CHECK_RC(rubric_eval_score(ev, "1.1", &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "1");
    CHECK_STR(rounded, "1");
    CHECK_RC(rubric_eval_score(ev, "1.2", &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "2/3"); /* non-terminating: a fraction */
    CHECK_STR(rounded, "0.67");
    CHECK_RC(rubric_eval_score(ev, "1.3", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "0.5");
    CHECK_RC(rubric_eval_score(ev, "1", &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "13/6"); /* 1 + 2/3 + 0.5 */
    CHECK_STR(rounded, "2.17");
    CHECK_RC(rubric_eval_score(ev, "2", &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "3.125");
    CHECK_STR(rounded, "3.13"); /* half up */
    CHECK_RC(rubric_eval_score(ev, "3", NULL, &rounded), RUBRIC_OK);
    CHECK_STR(rounded, "1");
    CHECK_RC(rubric_eval_score(ev, "4.1", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "0.5");
    CHECK_RC(rubric_eval_score(ev, "5", &exact, NULL), RUBRIC_OK); /* a task scores 0 */
    CHECK_STR(exact, "0");
    CHECK_RC(rubric_eval_total(ev, &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "151/24"); /* 13/6 + 3.125 + 1 */
    CHECK_STR(rounded, "6.29");
    CHECK_RC(rubric_eval_score(ev, "total", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "151/24");
    CHECK_RC(rubric_eval_bonus(ev, &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "0.5");
    CHECK_STR(rounded, "0.5");
    CHECK_RC(rubric_eval_score_at(ev, 2, &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "2/3");
    CHECK_RC(rubric_eval_score_at(ev, 9, &exact, &rounded), RUBRIC_ERROR_NOT_FOUND);
    CHECK(exact == NULL);
    CHECK_RC(rubric_eval_score(ev, "9.9", &exact, &rounded), RUBRIC_ERROR_NOT_FOUND);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "9.9");
    CHECK_RC(rubric_eval_score(ev, NULL, &exact, &rounded), RUBRIC_ERROR_MISUSE);
    /* Errors do not discard the scores. */
    CHECK_RC(rubric_eval_score(ev, "1.3", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "0.5");

    /* Explanations. */
    CHECK_RC(rubric_eval_explain_json(ev, &json, &len), RUBRIC_OK);
    CHECK(json != NULL && len == strlen(json));
    CHECK_CONTAINS(json, "\"entity\": \"单位A\"");
    CHECK_CONTAINS(json, "\"code\": \"1.2\"");
    CHECK_CONTAINS(json, "\"exact\": \"151/24\"");
    CHECK_RC(rubric_eval_explain_json(ev, &json, NULL), RUBRIC_OK);
    CHECK_RC(rubric_eval_explain_json(ev, NULL, &len), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_explain_text(ev, &text, &len), RUBRIC_OK);
    CHECK(text != NULL && len == strlen(text));
    CHECK_CONTAINS(text, "单位A");
    CHECK_CONTAINS(text, "办结率");
    CHECK_RC(rubric_eval_explain_text(ev, NULL, NULL), RUBRIC_ERROR_MISUSE);

    /* Setting a fact discards the scores: evaluate again. */
    CHECK_RC(rubric_eval_set_fact(ev, "done", "900"), RUBRIC_ERROR_FACT); /* still given */
    CHECK_RC(rubric_eval_score(ev, "1", &exact, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_score(ev, "1.1", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "1");

    /* Reset: every fact is forgotten. */
    CHECK_RC(rubric_eval_reset(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_ERROR_FACT); /* must_have again */
    CHECK_RC(rubric_eval_set_fact(ev, "must_have", "false"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "done", "90"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "all", "100"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "review", "4"), RUBRIC_OK);
    /* A list whose third element is bad leaves `shares` not given: no element at all (not the
     * two good ones read before the bad one), so item 3 counts 0 shares above 80% → 0. */
    CHECK_RC(rubric_eval_set_fact(ev, "shares", "[90%, 95%, 150%]"), RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_score(ev, "3", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "0");
    CHECK_RC(rubric_eval_total(ev, &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "3"); /* 1.1: 90/100 = 90% → 3; 1.2: a, b missing → 0/0 undefined → 0; 1.3: no
                              choice → 0; 2: must_have false → 0; 3: 0 (above). 3 + 0 + 0 + 0 + 0 = 3 */
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK); /* running twice is fine */
    CHECK_RC(rubric_eval_explain_json(ev, &json, NULL), RUBRIC_OK);
    CHECK_CONTAINS(json, "\"entity\": \"\"");

    /* The context keeps the program's data alive. */
    rubric_program_free(prog);
    CHECK_RC(rubric_eval_reset(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "must_have", "1"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "review", "2"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "2");
    rubric_eval_free(ev);
}

static void test_batch(void) {
    rubric_program* prog = compile_test_rubric();
    rubric_eval* ev = NULL;
    char* out = NULL;
    size_t len = 0;
    static const char csv[] =
        "entity,name,done,all,a,b,procedure,must_have,review,shares,innovation\n"
        "u1,甲,795,1000,1,3,较完备,true,3.125,90%;81%;80%,0.5\n"
        "u2,\"乙,局\",90,100,,,,false,4,,\n";
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);

    /* CSV in, JSON lines out. */
    CHECK_RC(rubric_eval_batch(ev, "units.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSONL, 0,
                               &out, &len),
             RUBRIC_OK);
    CHECK(out != NULL && len == strlen(out));
    CHECK_CONTAINS(out, "{\"entity\": \"u1\", \"name\": \"甲\", \"total\": \"6.29\", \"bonus\": \"0.5\"");
    CHECK_CONTAINS(out, "\"1.2\": \"0.67\"");
    CHECK_CONTAINS(out, "\"exact\": {\"total\": \"151/24\"");
    CHECK_CONTAINS(out, "\"1.2\": \"2/3\"");
    CHECK_CONTAINS(out, "{\"entity\": \"u2\", \"name\": \"乙,局\", \"total\": \"3\"");
    CHECK(strchr(out, '\n') != NULL && strchr(strchr(out, '\n') + 1, '\n') != NULL);
    rubric_free(out);

    /* CSV out (rounded, then exact). */
    out = NULL;
    CHECK_RC(rubric_eval_batch(ev, NULL, csv, sizeof csv - 1, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_OK);
    /* The last column counts the unit's missing facts: u1 gives all nine inputs; u2 gives
     * done, all, must_have and review, not a, b, procedure, shares or innovation: 5. */
    CHECK_CONTAINS(out, "entity,name,total,bonus,1,1.1,1.2,1.3,2,3,4,4.1,missing\r\n");
    CHECK_CONTAINS(out, "u1,甲,6.29,0.5,2.17,1,0.67,0.5,3.13,1,0.5,0.5,0\r\n");
    CHECK_CONTAINS(out, "u2,\"乙,局\",3,0,3,3,0,0,0,0,0,0,5\r\n");
    rubric_free(out);
    CHECK_RC(rubric_eval_batch(ev, NULL, csv, sizeof csv - 1, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                               RUBRIC_BATCH_EXACT, &out, NULL),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "u1,甲,151/24,0.5,13/6,1,2/3,0.5,3.125,1,0.5,0.5,0\r\n");
    rubric_free(out);

    /* JSON and JSON lines in; numbers keep their exact text. */
    CHECK_RC(rubric_eval_batch(ev, "u.json",
                               "[{\"entity\": \"j1\", \"must_have\": true, \"review\": 0.1000000000000000000001},"
                               " {\"entity\": 7, \"must_have\": false, \"shares\": [0.9, 0.95]}]",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_JSONL, 0, &out, NULL),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "{\"entity\": \"j1\", \"total\": \"0.1\"");
    CHECK_CONTAINS(out, "\"total\": \"1000000000000000000001/10000000000000000000000\"");
    CHECK_CONTAINS(out, "{\"entity\": \"7\", \"total\": \"1\"");
    rubric_free(out);
    CHECK_RC(rubric_eval_batch(ev, "u.jsonl", "{\"entity\": \"l1\", \"must_have\": \"是\"}\n\n{\"entity\": \"l2\", \"must_have\": \"否\"}\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0, &out, &len),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "\r\nl1,,0,0,");
    CHECK_CONTAINS(out, "\r\nl2,,0,0,");
    rubric_free(out);

    /* No entities: just the header. */
    CHECK_RC(rubric_eval_batch(ev, NULL, "entity,done\n", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                               0, &out, &len),
             RUBRIC_OK);
    CHECK_STR(out, "entity,name,total,bonus,1,1.1,1.2,1.3,2,3,4,4.1,missing\r\n");
    rubric_free(out);
    CHECK_RC(rubric_eval_batch(ev, NULL, "", 0, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_JSONL, 0, &out, &len), RUBRIC_OK);
    CHECK_STR(out, "");
    CHECK(len == 0);
    rubric_free(out);

    /* A bad entity fails the batch (no output), with positions in the message. */
    out = (char*)"sentinel";
    CHECK_RC(rubric_eval_batch(ev, "bad.csv", "entity,must_have,done\nb1,true,1\nb2,perhaps,2\nb3,,3\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSONL, 0, &out, NULL),
             RUBRIC_ERROR_FACT);
    CHECK(out == NULL);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "bad.csv:3:");
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "b2");
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "b3"); /* every bad entity is listed */
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "2 entities");
    /* ... unless RUBRIC_BATCH_SKIP_BAD. */
    CHECK_RC(rubric_eval_batch(ev, "bad.csv", "entity,must_have,done\nb1,true,1\nb2,perhaps,2\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSONL, RUBRIC_BATCH_SKIP_BAD,
                               &out, NULL),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "{\"entity\": \"b1\"");
    CHECK_CONTAINS(out, "{\"entity\": \"b2\", \"error\": \"bad.csv:3:");
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "1 entity skipped");
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_OK);
    rubric_free(out);
    CHECK_RC(rubric_eval_batch(ev, "bad.csv", "entity,must_have,done\nb1,true,1\nb2,perhaps,2\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, RUBRIC_BATCH_SKIP_BAD,
                               &out, NULL),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "\r\nb1,");
    CHECK(strstr(out, "b2") == NULL);
    rubric_free(out);

    /* Unknown fields: an error, unless allowed. */
    CHECK_RC(rubric_eval_batch(ev, "u.csv", "entity,must_have,extra\nx,true,1\n", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_FACT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "extra");
    CHECK_RC(rubric_eval_batch(ev, "u.csv", "entity,must_have,extra\nx,true,1\n", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, RUBRIC_BATCH_ALLOW_UNKNOWN, &out, NULL),
             RUBRIC_OK);
    rubric_free(out);

    /* Syntax errors in the facts. */
    CHECK_RC(rubric_eval_batch(ev, "s.json", "[{\"entity\": \"x\", \"review\": NaN}]", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_JSONL, RUBRIC_BATCH_SKIP_BAD, &out, NULL),
             RUBRIC_ERROR_FACT);
    CHECK(out == NULL);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "s.json:1:");
    CHECK_RC(rubric_eval_batch(ev, "d.json", "{\"entity\": \"x\", \"a\": 1, \"a\": 2}", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_JSONL, 0, &out, NULL),
             RUBRIC_ERROR_FACT);
    CHECK_RC(rubric_eval_batch(ev, "r.csv", "entity,a,b\nx,1\n", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV,
                               RUBRIC_FORMAT_JSONL, 0, &out, NULL),
             RUBRIC_ERROR_FACT);

    /* Misuse. */
    CHECK_RC(rubric_eval_batch(ev, NULL, csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_AUTO, RUBRIC_FORMAT_JSONL, 0, &out,
                               NULL),
             RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_batch(ev, NULL, csv, RUBRIC_NUL_TERMINATED, 42, RUBRIC_FORMAT_JSONL, 0, &out, NULL),
             RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_batch(ev, NULL, csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSON, 0, &out,
                               NULL),
             RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_batch(ev, NULL, csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0x80u,
                               &out, NULL),
             RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_batch(ev, NULL, NULL, 0, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_batch(ev, NULL, csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, NULL,
                               NULL),
             RUBRIC_ERROR_MISUSE);

    /* A batch discards the context's facts and scores. */
    CHECK_RC(rubric_eval_set_fact(ev, "must_have", "true"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_batch(ev, NULL, csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out,
                               NULL),
             RUBRIC_OK);
    rubric_free(out);
    CHECK_RC(rubric_eval_total(ev, NULL, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_fact(ev, "must_have", "true"), RUBRIC_OK); /* not "given twice" */

    /* From a file. */
    {
        char* path = cat(scratch_dir, "/c_api_test_units.csv");
        FILE* f = fopen(path, "wb");
        CHECK(f != NULL);
        if (f) {
            fputs(csv, f);
            fclose(f);
            out = NULL;
            CHECK_RC(rubric_eval_batch_file(ev, path, RUBRIC_FORMAT_AUTO, RUBRIC_FORMAT_CSV, 0, &out, &len), RUBRIC_OK);
            CHECK_CONTAINS(out, "u1,甲,6.29,");
            rubric_free(out);
            /* The wrong format for the file: JSON syntax errors. */
            CHECK_RC(rubric_eval_batch_file(ev, path, RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_CSV, 0, &out, &len),
                     RUBRIC_ERROR_FACT);
            remove(path);
        }
        CHECK_RC(rubric_eval_batch_file(ev, path, RUBRIC_FORMAT_AUTO, RUBRIC_FORMAT_CSV, 0, &out, &len),
                 RUBRIC_ERROR_NOT_FOUND);
        CHECK_CONTAINS(rubric_eval_errmsg(ev), "c_api_test_units.csv");
        CHECK_RC(rubric_eval_batch_file(ev, scratch_dir, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, &len),
                 RUBRIC_ERROR_IO);
        CHECK_RC(rubric_eval_batch_file(ev, NULL, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, &len),
                 RUBRIC_ERROR_MISUSE);
        CHECK_RC(rubric_eval_batch_file(ev, path, RUBRIC_FORMAT_CSV, 99, 0, &out, &len), RUBRIC_ERROR_MISUSE);
        free(path);
    }

    rubric_eval_free(ev);
    rubric_program_free(prog);
}

/* The same facts through both paths give the same scores. */
static void test_batch_matches_single(void) {
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    char* path = cat(source_dir, "/rubrics/examples/rate.rubric");
    char* out = NULL;
    const char* exact = NULL;
    CHECK_RC(rubric_compile_file(path, 0, &prog), RUBRIC_OK);
    free(path);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "entered", "300"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "platform_total", "500"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "done", "1"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "planned", "3"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "19/15"); /* 0.6 + 2/3 */
    CHECK_RC(rubric_eval_batch(ev, NULL, "entity,entered,platform_total,done,planned\nx,300,500,1,3\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, RUBRIC_BATCH_EXACT, &out,
                               NULL),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "\r\nx,,19/15,0,0.6,2/3,0\r\n"); /* all four inputs given */
    rubric_free(out);
    rubric_eval_free(ev);
    rubric_program_free(prog);
}

/* Many contexts on one program, freed in any order. */
static void test_many_contexts(void) {
    rubric_program* prog = compile_test_rubric();
    rubric_eval* evs[8];
    const char* exact = NULL;
    int i;
    char value[16];
    for (i = 0; i < 8; ++i) CHECK_RC(rubric_eval_new(prog, &evs[i]), RUBRIC_OK);
    for (i = 0; i < 8; ++i) {
        snprintf(value, sizeof value, "%d", i % 5);
        CHECK_RC(rubric_eval_set_fact(evs[i], "must_have", "true"), RUBRIC_OK);
        CHECK_RC(rubric_eval_set_fact(evs[i], "review", value), RUBRIC_OK);
        CHECK_RC(rubric_eval_run(evs[i]), RUBRIC_OK);
    }
    /* Context i: must_have true and review = i % 5, nothing else. Item 2 ("if must_have then
     * review") scores i % 5; every other item has no facts and scores 0; so total = i % 5. */
    for (i = 0; i < 8; ++i) {
        snprintf(value, sizeof value, "%d", i % 5);
        CHECK_RC(rubric_eval_total(evs[i], &exact, NULL), RUBRIC_OK);
        CHECK_STR(exact, value);
    }
    rubric_program_free(prog);
    for (i = 7; i >= 0; --i) rubric_eval_free(evs[i]);
}

/* An item scoring `expr` over a count input `a`: "item 1 "x" 100 { input a: count  score "
 * is 39 characters, so `expr` starts at column 40. Returns a malloc'ed string. */
static char* item_scoring(const char* expr) {
    const char* head = "item 1 \"x\" 100 { input a: count  score ";
    char* s = (char*)malloc(strlen(head) + strlen(expr) + 4);
    if (!s) exit(2);
    strcpy(s, head);
    strcat(s, expr);
    strcat(s, " }\n");
    return s;
}

static char* repeated(const char* piece, size_t times, const char* middle) {
    size_t i, k = strlen(piece);
    char* s = (char*)malloc(k * times * 2 + strlen(middle) + 1);
    char* at;
    if (!s) exit(2);
    at = s;
    for (i = 0; i < times; ++i, at += k) memcpy(at, piece, k);
    strcpy(at, middle);
    at += strlen(middle);
    for (i = 0; i < times; ++i) *at++ = ')';
    *at = '\0';
    return s;
}

/* Compiles `text` with `l`; checks the status and, past a limit, the first diagnostic. */
static void check_compile(const rubric_limits* l, const char* text, int status, const char* code, unsigned line,
                          unsigned column) {
    rubric_program* prog = NULL;
    CHECK_RC(rubric_compile_ex("t.rubric", text, RUBRIC_NUL_TERMINATED, 0, l, &prog), status);
    CHECK(prog != NULL);
    if (code) {
        CHECK_STR(rubric_diag_code(prog, 0), code);
        CHECK(rubric_diag_line(prog, 0) == line);
        CHECK(rubric_diag_column(prog, 0) == column);
    }
    rubric_program_free(prog);
}

static void test_limits(void) {
    rubric_limits l, got;
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    char* text;
    char* inner;
    char* out = NULL;
    const char* exact = NULL;

    /* The defaults, as documented in rubric.h. */
    memset(&l, 0xff, sizeof l);
    rubric_limits_init(&l);
    CHECK(l.size == sizeof l);
    CHECK(l.source_bytes == RUBRIC_MAX_TEXT_BYTES);
    CHECK(l.nesting == 64);
    CHECK(l.nodes == 100000);
    CHECK(l.exprs == 1000000);
    CHECK(l.number_digits == 40);
    CHECK(l.number_exponent == 40);
    CHECK(l.facts_bytes == RUBRIC_MAX_BATCH_BYTES);
    CHECK(l.json_depth == 32);
    CHECK(l.fields == 10000);
    CHECK(l.eval_steps == 10000000);
    rubric_limits_init(NULL); /* a no-op */

    /* Invalid limits are misuse, with a diagnostic saying which. */
    memset(&l, 0, sizeof l);
    CHECK_RC(rubric_compile_ex("t.rubric", "", 0, 0, &l, &prog), RUBRIC_ERROR_MISUSE); /* size 0 */
    CHECK_STR(rubric_diag_code(prog, 0), "E-misuse");
    rubric_program_free(prog);
    l.size = sizeof l;
    l.nesting = 1001;
    CHECK_RC(rubric_compile_ex("t.rubric", "", 0, 0, &l, &prog), RUBRIC_ERROR_MISUSE);
    CHECK_CONTAINS(rubric_diag_message(prog, 0), "nesting may be at most 1000");
    rubric_program_free(prog);
    {
        /* A caller compiled against a later header, with one more limit. */
        struct {
            rubric_limits known;
            size_t later;
        } bigger;
        memset(&bigger, 0, sizeof bigger);
        bigger.known.size = sizeof bigger;
        CHECK_RC(rubric_compile_ex("t.rubric", "", 0, 0, &bigger.known, &prog), RUBRIC_OK); /* unknown = 0 */
        rubric_program_free(prog);
        bigger.later = 5;
        CHECK_RC(rubric_compile_ex("t.rubric", "", 0, 0, &bigger.known, &prog), RUBRIC_ERROR_MISUSE);
        CHECK_CONTAINS(rubric_diag_message(prog, 0), "does not know");
        rubric_program_free(prog);
    }
    {
        /* A caller compiled against an earlier header, which knew only source_bytes and nesting:
         * nesting is read, everything after it takes its default. */
        memset(&l, 0, sizeof l);
        l.size = 3 * sizeof(size_t);
        l.nesting = 7;
        l.nodes = 1; /* past the caller's struct: not read */
        CHECK_RC(rubric_compile_ex("t.rubric", "", 0, 0, &l, &prog), RUBRIC_OK);
        rubric_limits_init(&got);
        CHECK_RC(rubric_program_limits(prog, &got), RUBRIC_OK);
        CHECK(got.nesting == 7);
        CHECK(got.nodes == 100000);
        CHECK(got.source_bytes == RUBRIC_MAX_TEXT_BYTES);
        rubric_program_free(prog);
    }
    CHECK_RC(rubric_program_limits(NULL, &got), RUBRIC_ERROR_MISUSE);

    /* source_bytes: the text of one item at the limit, and one byte more. */
    text = item_scoring("a");
    memset(&l, 0, sizeof l);
    l.size = sizeof l;
    l.source_bytes = strlen(text);
    check_compile(&l, text, RUBRIC_OK, NULL, 0, 0);
    CHECK_RC(rubric_compile_ex("t.rubric", text, strlen(text) + 1, 0, &l, &prog), RUBRIC_ERROR_LIMIT);
    CHECK_STR(rubric_diag_code(prog, 0), "E-limit");
    rubric_program_free(prog);
    {
        /* the same for a file */
        char* path = cat(scratch_dir, "/c_api_limits.rubric");
        FILE* f = fopen(path, "wb");
        CHECK(f != NULL);
        if (f) {
            fputs(text, f);
            fclose(f);
            CHECK_RC(rubric_compile_file_ex(path, 0, &l, &prog), RUBRIC_OK);
            rubric_program_free(prog);
            l.source_bytes = strlen(text) - 1;
            CHECK_RC(rubric_compile_file_ex(path, 0, &l, &prog), RUBRIC_ERROR_LIMIT);
            CHECK_STR(rubric_diag_code(prog, 0), "E-limit");
            rubric_program_free(prog);
            remove(path);
        }
        free(path);
    }
    free(text);

    /* nesting: 20 brackets in 20 levels; the 21st bracket's content (column 40 + 21) is too deep. */
    memset(&l, 0, sizeof l);
    l.size = sizeof l;
    l.nesting = 20;
    inner = repeated("(", 20, "a");
    text = item_scoring(inner);
    check_compile(&l, text, RUBRIC_OK, NULL, 0, 0);
    free(inner);
    free(text);
    inner = repeated("(", 21, "a");
    text = item_scoring(inner);
    check_compile(&l, text, RUBRIC_ERROR_LIMIT, "E-limit-nesting", 1, 61);
    free(inner);
    free(text);

    /* nodes: four items; the fourth, at line 4, is past a limit of 3. */
    {
        const char* four =
            "item 1 \"x\" 1 { input a1: bool  score if a1 then 1 }\n"
            "item 2 \"x\" 1 { input a2: bool  score if a2 then 1 }\n"
            "item 3 \"x\" 1 { input a3: bool  score if a3 then 1 }\n"
            "item 4 \"x\" 1 { input a4: bool  score if a4 then 1 }\n";
        memset(&l, 0, sizeof l);
        l.size = sizeof l;
        l.nodes = 4;
        check_compile(&l, four, RUBRIC_OK, NULL, 0, 0);
        l.nodes = 3;
        check_compile(&l, four, RUBRIC_ERROR_LIMIT, "E-limit-nodes", 4, 1);
    }

    /* exprs: `a + a + a` is three names and two sums. */
    text = item_scoring("a + a + a");
    memset(&l, 0, sizeof l);
    l.size = sizeof l;
    l.exprs = 5;
    check_compile(&l, text, RUBRIC_OK, NULL, 0, 0);
    l.exprs = 4;
    CHECK_RC(rubric_compile_ex("t.rubric", text, RUBRIC_NUL_TERMINATED, 0, &l, &prog), RUBRIC_ERROR_LIMIT);
    CHECK_STR(rubric_diag_code(prog, 0), "E-limit-exprs");
    CHECK(rubric_diag_line(prog, 0) == 1);
    CHECK(rubric_diag_column(prog, 0) == 40); /* the fifth node made: the outer sum */
    rubric_program_free(prog);
    free(text);

    /* number_digits in the rubric (the number starts at column 44) and in facts. */
    memset(&l, 0, sizeof l);
    l.size = sizeof l;
    l.number_digits = 5;
    l.number_exponent = 5;
    text = item_scoring("a + 12345");
    check_compile(&l, text, RUBRIC_OK, NULL, 0, 0);
    free(text);
    text = item_scoring("a + 123456");
    check_compile(&l, text, RUBRIC_ERROR_SYNTAX, "E-number", 1, 44);
    free(text);
    CHECK_RC(rubric_compile_ex("t.rubric", "item 1 \"x\" 99999 { input d: decimal  score d }\n",
                               RUBRIC_NUL_TERMINATED, 0, &l, &prog),
             RUBRIC_OK);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "d", "12345"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "12345");
    rubric_eval_reset(ev);
    CHECK_RC(rubric_eval_set_fact(ev, "d", "123456"), RUBRIC_ERROR_FACT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "too many digits (6 > 5)");
    /* number_exponent (facts only: the language has no exponents) */
    CHECK_RC(rubric_eval_set_fact(ev, "d", "2e-5"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "0.00002");
    rubric_eval_reset(ev);
    CHECK_RC(rubric_eval_set_fact(ev, "d", "1e5"), RUBRIC_OK); /* at the limit (the score is capped at 99999) */
    rubric_eval_reset(ev);
    CHECK_RC(rubric_eval_set_fact(ev, "d", "1e6"), RUBRIC_ERROR_FACT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "exponent 6 is beyond");
    rubric_eval_free(ev);
    rubric_program_free(prog);

    /* facts_bytes, json_depth and fields, through a batch. */
    memset(&l, 0, sizeof l);
    l.size = sizeof l;
    l.facts_bytes = 23; /* {"entity": "u", "a": 1} */
    l.json_depth = 2;
    l.fields = 1;
    text = item_scoring("a");
    CHECK_RC(rubric_compile_ex("t.rubric", text, RUBRIC_NUL_TERMINATED, 0, &l, &prog), RUBRIC_OK);
    free(text);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_batch(ev, "f.json", "{\"entity\": \"u\", \"a\": 1}", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "\r\nu,,1,0,1,0\r\n"); /* last: no fact missing */
    rubric_free(out);
    CHECK_RC(rubric_eval_batch(ev, "f.json", "{\"entity\": \"u\", \"a\": 1} ", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_LIMIT);
    CHECK(out == NULL);
    rubric_eval_free(ev);
    rubric_program_free(prog);

    l.facts_bytes = 0; /* the default */
    text = item_scoring("a");
    CHECK_RC(rubric_compile_ex("t.rubric", text, RUBRIC_NUL_TERMINATED, 0, &l, &prog), RUBRIC_OK);
    free(text);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    /* two levels (array, object) with one field */
    CHECK_RC(rubric_eval_batch(ev, "f.json", "[{\"entity\":\"u\",\"a\":1}]", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSON,
                               RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_OK);
    rubric_free(out);
    /* a third level: the '[' at column 20 */
    CHECK_RC(rubric_eval_batch(ev, "f.json", "[{\"entity\":\"u\",\"a\":[1]}]", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSON,
                               RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_LIMIT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "f.json:1:20: error: the JSON is nested too deeply (the limit is 2 levels)");
    /* a second field; CSV too */
    CHECK_RC(rubric_eval_batch(ev, "f.json", "{\"entity\":\"u\",\"a\":1,\"b\":2}", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_LIMIT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "f.json:1:");
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "too many fields (the limit is 1)");
    CHECK_RC(rubric_eval_batch(ev, "f.csv", "id,a\nu,1\n", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0,
                               &out, NULL),
             RUBRIC_OK);
    rubric_free(out);
    CHECK_RC(rubric_eval_batch(ev, "f.csv", "id,a,b\nu,1,2\n", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV,
                               RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_LIMIT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "f.csv:1:");
    rubric_eval_free(ev);
    rubric_program_free(prog);

    /* eval_steps: `count d in xs where d > 80%` runs 2 instructions plus 1 per element. */
    memset(&l, 0, sizeof l);
    l.size = sizeof l;
    l.eval_steps = 12;
    CHECK_RC(rubric_compile_ex("t.rubric",
                               "item 1 \"x\" 100 { input xs: list of percent  score count d in xs where d > 80% }\n",
                               RUBRIC_NUL_TERMINATED, 0, &l, &prog),
             RUBRIC_OK);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "xs", "[90%, 90%, 90%, 90%, 90%, 90%, 90%, 90%, 90%, 50%]"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "9");
    rubric_eval_reset(ev);
    CHECK_RC(rubric_eval_set_fact(ev, "xs", "[90%, 90%, 90%, 90%, 90%, 90%, 90%, 90%, 90%, 90%, 50%]"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_ERROR_LIMIT);
    CHECK_STR(rubric_eval_errmsg(ev),
              "scoring these facts would run 13 steps, more than the limit of 12 (the list `xs` has 11 items)");
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_ERROR_MISUSE); /* no scores */
    /* in a batch: the entity is bad, at its list (the `[` at column 20) */
    CHECK_RC(rubric_eval_batch(ev, "f.jsonl", "{\"entity\":\"u\",\"xs\":[1,1,1,1,1,1,1,1,1,1,1]}\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_LIMIT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "f.jsonl:1:20: error: entity u: scoring it would run 13 steps");
    CHECK_RC(rubric_eval_batch(ev, "f.jsonl", "{\"entity\":\"u\",\"xs\":[1,1,1,1,1,1,1,1,1,1]}\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "\r\nu,,10,0,10,0\r\n");
    rubric_free(out);
    rubric_eval_free(ev);
    CHECK_RC(rubric_program_limits(prog, &got), RUBRIC_OK);
    CHECK(got.eval_steps == 12);
    CHECK(got.nesting == 64);
    rubric_program_free(prog);
}

/* ------------------------------------------------------------------------ */
/* Cohort rules: `rank` and cohort_mean score a unit against the others, so only the batch
 * functions score such a rubric, one cohort per batch (per group with a group column). */

/* Item 1: ranked by repaid, best first; rank r of n gets 2 - (r - 1) * 2 / (n - 1).
 * Item 2: 1 point when the unit's cost is not above the mean cost of its cohort. */
static const char cohort_rubric[] =
    "rubric \"排名\" { total 3 }\n"
    "item 1 \"清欠排名\" 2 {\n"
    "  input repaid: percent \"拖欠账款清偿率\"\n"
    "  score rank repaid higher linear 2..0\n"
    "}\n"
    "item 2 \"行政成本\" 1 {\n"
    "  input cost: decimal \"行政成本\"\n"
    "  score if cost <= cohort_mean(cost) then 1\n"
    "}\n";

#define COHORT_HEAD "entity,name,total,bonus,1,2,missing\r\n"

static void test_cohort(void) {
    rubric_program* prog = NULL;
    rubric_program* plain = compile_test_rubric();
    rubric_program* failed_prog = NULL;
    rubric_eval* ev = NULL;
    char* out = NULL;
    size_t len = 0;
    const char* exact = NULL;

    CHECK_RC(rubric_compile("cohort.rubric", cohort_rubric, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_OK);
    if (rubric_program_status(prog) != RUBRIC_OK) {
        fputs(rubric_diags_rendered(prog), stderr);
        rubric_program_free(prog);
        rubric_program_free(plain);
        return;
    }

    /* Told in advance: this rubric needs the cohort, the plain test rubric does not; a
     * failed program is no answer. */
    CHECK(rubric_program_needs_cohort(prog) == 1);
    CHECK(rubric_program_needs_cohort(plain) == 0);
    CHECK_RC(rubric_compile("bad.rubric", "item 1 \"x\" 1 { score rank }", RUBRIC_NUL_TERMINATED, 0, &failed_prog),
             RUBRIC_ERROR_SYNTAX);
    CHECK(rubric_program_needs_cohort(failed_prog) == -1);
    rubric_program_free(failed_prog);
    CHECK_STR(rubric_status_string(RUBRIC_ERROR_COHORT), "needs the whole cohort");

    /* One unit alone cannot be scored: RUBRIC_ERROR_COHORT, with a message that says what to do. */
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "repaid", "95%"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "cost", "3"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_ERROR_COHORT);
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_ERROR_COHORT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "cohort");
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "rubric_eval_batch");
    CHECK_RC(rubric_eval_total(ev, &exact, NULL), RUBRIC_ERROR_MISUSE); /* no scores */
    CHECK(exact == NULL);

    /* Five units, one cohort, a tie. repaid 95, 90, 90, 80, 60 rank 1, 2, 2, 4, 5 (the tie
     * shares rank 2, rank 3 is skipped); n = 5, so item 1 = 2 - (r - 1) / 2:
     *   r1 2, r2 1.5, r4 0.5, r5 0.
     * Mean cost (3 + 6 + 9 + 4 + 8) / 5 = 6: costs 3, 6 (equal counts), 4 -> 1; 9, 8 -> 0.
     * Totals: 甲 2 + 1 = 3, 乙 1.5 + 1 = 2.5, 丙 1.5 + 0 = 1.5, 丁 0.5 + 1 = 1.5, 戊 0. */
    {
        static const char csv[] =
            "entity,name,repaid,cost\n"
            "u1,甲,95%,3\n"
            "u2,乙,90%,6\n"
            "u3,丙,90%,9\n"
            "u4,丁,80%,4\n"
            "u5,戊,60%,8\n";
        /* The batch also discards the facts the refused run was given ("given twice" otherwise). */
        CHECK_RC(rubric_eval_batch(ev, "units.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   0, &out, &len),
                 RUBRIC_OK);
        CHECK_STR(out, COHORT_HEAD
                  "u1,甲,3,0,2,1,0\r\n"
                  "u2,乙,2.5,0,1.5,1,0\r\n"
                  "u3,丙,1.5,0,1.5,0,0\r\n"
                  "u4,丁,1.5,0,0.5,1,0\r\n"
                  "u5,戊,0,0,0,0,0\r\n");
        CHECK(out != NULL && len == strlen(out));
        rubric_free(out);
        out = NULL;
        /* The same cohort again: nothing is kept between batches. */
        CHECK_RC(rubric_eval_batch(ev, "units.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV,
                                   RUBRIC_FORMAT_JSONL, 0, &out, NULL),
                 RUBRIC_OK);
        CHECK_CONTAINS(out, "{\"entity\": \"u2\", \"name\": \"乙\", \"total\": \"2.5\", \"bonus\": \"0\", "
                            "\"nodes\": {\"1\": \"1.5\", \"2\": \"1\"}, \"missing\": 0}\n");
        rubric_free(out);
        out = NULL;
        /* A batch of the first two alone is another cohort: 95 and 90 rank 1, 2 of n = 2
         * (2 and 0); mean cost (3 + 6) / 2 = 4.5: 3 -> 1, 6 -> 0. Totals 3 and 0. */
        CHECK_RC(rubric_eval_batch(ev, NULL, "entity,repaid,cost\nu1,95%,3\nu2,90%,6\n", RUBRIC_NUL_TERMINATED,
                                   RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, NULL),
                 RUBRIC_OK);
        CHECK_STR(out, COHORT_HEAD "u1,,3,0,2,1,0\r\nu2,,0,0,0,0,0\r\n");
        rubric_free(out);
        out = NULL;
    }

    /* Groups: 市直部门 and 县区 are ranked apart. The group column is not an input.
     *   市直部门 a1..a4: repaid 95, 90, 85, 80 rank 1..4 of n = 4: 2 - (r - 1) * 2/3 =
     *     2, 4/3, 2/3, 0; mean cost (3 + 6 + 9 + 4) / 4 = 5.5: 3 -> 1, 6 -> 0, 9 -> 0, 4 -> 1.
     *     Totals a1 3, a2 4/3 (shown 1.33), a3 2/3 (0.67), a4 1.
     *   县区 b1..b3: repaid 70, 70, 50 rank 1, 1, 3 of n = 3: 2 - (r - 1) = 2, 2, 0;
     *     mean cost (10 + 20 + 30) / 3 = 20: 10 -> 1, 20 -> 1, 30 -> 0. Totals b1 3, b2 3, b3 0.
     * Rows stay in input order. */
    {
        static const char csv[] =
            "entity,kind,repaid,cost\n"
            "a1,市直部门,95%,3\n"
            "b1,县区,70%,10\n"
            "a2,市直部门,90%,6\n"
            "b2,县区,70%,20\n"
            "a3,市直部门,85%,9\n"
            "b3,县区,50%,30\n"
            "a4,市直部门,80%,4\n";
        CHECK_RC(rubric_eval_set_group_column(ev, "kind"), RUBRIC_OK);
        CHECK_RC(rubric_eval_batch(ev, "groups.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   0, &out, NULL),
                 RUBRIC_OK);
        CHECK_STR(out, COHORT_HEAD
                  "a1,,3,0,2,1,0\r\n"
                  "b1,,3,0,2,1,0\r\n"
                  "a2,,1.33,0,1.33,0,0\r\n"
                  "b2,,3,0,2,1,0\r\n"
                  "a3,,0.67,0,0.67,0,0\r\n"
                  "b3,,0,0,0,0,0\r\n"
                  "a4,,1,0,0,1,0\r\n");
        rubric_free(out);
        out = NULL;
        CHECK_RC(rubric_eval_batch(ev, "groups.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   RUBRIC_BATCH_EXACT, &out, NULL),
                 RUBRIC_OK);
        CHECK_CONTAINS(out, "\r\na2,,4/3,0,4/3,0,0\r\n");
        CHECK_CONTAINS(out, "\r\na3,,2/3,0,2/3,0,0\r\n");
        rubric_free(out);
        out = NULL;
        CHECK_RC(rubric_eval_batch(ev, "groups.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV,
                                   RUBRIC_FORMAT_JSONL, 0, &out, NULL),
                 RUBRIC_OK);
        CHECK_CONTAINS(out, "{\"entity\": \"a2\", \"total\": \"1.33\", \"bonus\": \"0\", \"nodes\": {\"1\": \"1.33\", "
                            "\"2\": \"0\"}, \"exact\": {\"total\": \"4/3\", \"1\": \"4/3\"}, \"missing\": 0}\n");
        rubric_free(out);
        out = NULL;

        /* The setting survives rubric_eval_reset, and a unit without the column (JSON lines:
         * no "kind") is in the group "" of its own: ranked first of 1 (2) and not above its own
         * mean cost (1) = 3. j2 and j3 (县区): 60 and 40 rank 1, 2 of n = 2: 2, 0; mean cost
         * (5 + 7) / 2 = 6: 5 -> 1, 7 -> 0. Totals j2 3, j3 0. */
        CHECK_RC(rubric_eval_reset(ev), RUBRIC_OK);
        CHECK_RC(rubric_eval_batch(ev, "g.jsonl",
                                   "{\"entity\": \"j1\", \"repaid\": \"10%\", \"cost\": 100}\n"
                                   "{\"entity\": \"j2\", \"kind\": \"县区\", \"repaid\": \"60%\", \"cost\": 5}\n"
                                   "{\"entity\": \"j3\", \"kind\": \"县区\", \"repaid\": \"40%\", \"cost\": 7}\n",
                                   RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0, &out, NULL),
                 RUBRIC_OK);
        CHECK_STR(out, COHORT_HEAD "j1,,3,0,2,1,0\r\nj2,,3,0,2,1,0\r\nj3,,0,0,0,0,0\r\n");
        rubric_free(out);
        out = NULL;

        /* Not a group column: an input (its facts would be lost), a name too long. A failed
         * call keeps the setting. */
        CHECK_RC(rubric_eval_set_group_column(ev, "cost"), RUBRIC_ERROR_MISUSE);
        CHECK_CONTAINS(rubric_eval_errmsg(ev), "`cost` is an input");
        {
            char* long_name = (char*)malloc(RUBRIC_MAX_NAME_BYTES + 2);
            CHECK(long_name != NULL);
            if (long_name) {
                memset(long_name, 'g', RUBRIC_MAX_NAME_BYTES + 1);
                long_name[RUBRIC_MAX_NAME_BYTES + 1] = '\0';
                CHECK_RC(rubric_eval_set_group_column(ev, long_name), RUBRIC_ERROR_LIMIT);
                free(long_name);
            }
        }
        CHECK_RC(rubric_eval_batch(ev, "groups.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   0, &out, NULL),
                 RUBRIC_OK);
        CHECK_CONTAINS(out, "\r\nb1,,3,0,2,1,0\r\n");
        rubric_free(out);
        out = NULL;

        /* Without the group column the column is an unknown field ... */
        CHECK_RC(rubric_eval_set_group_column(ev, NULL), RUBRIC_OK);
        CHECK_RC(rubric_eval_batch(ev, "groups.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   0, &out, NULL),
                 RUBRIC_ERROR_FACT);
        /* (reported by the scoring reading, though the measuring reading met it first) */
        CHECK_CONTAINS(rubric_eval_errmsg(ev), "column `kind` is not an input");
        /* ... and when allowed, the seven units are one cohort: repaid 95, 90, 85, 80, 70, 70,
         * 50 rank a1 1, a2 2, a3 3, a4 4, b1 5, b2 5, b3 7 of n = 7: 2 - (r - 1) / 3, so b1 and
         * b2 get 2/3; mean cost 82/7 (about 11.7): b1's 10 -> 1, b2's 20 -> 0.
         * b1 = 2/3 + 1 = 5/3 (shown 1.67), b2 = 2/3 (0.67). */
        CHECK_RC(rubric_eval_set_group_column(ev, ""), RUBRIC_OK);
        CHECK_RC(rubric_eval_batch(ev, "groups.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   RUBRIC_BATCH_ALLOW_UNKNOWN | RUBRIC_BATCH_EXACT, &out, NULL),
                 RUBRIC_OK);
        CHECK_CONTAINS(out, "\r\nb1,,5/3,0,2/3,1,0\r\n");
        CHECK_CONTAINS(out, "\r\nb2,,2/3,0,2/3,0,0\r\n");
        CHECK_CONTAINS(out, "\r\na2,,8/3,0,5/3,1,0\r\n"); /* r2: 2 - 1/3 = 5/3; 6 <= 82/7 */
        rubric_free(out);
        out = NULL;
    }

    /* Bad units take no part. u2 (cost "abc") and u5 (repaid "perhaps") are bad; the good
     * u1, u3, u4 (95, 90, 80) rank 1, 2, 3 of n = 3: 2, 1, 0; mean cost (3 + 6 + 9) / 3 = 6:
     * 3 -> 1, 6 -> 1, 9 -> 0. Totals u1 3, u3 2, u4 0. (Had u2's 99% been ranked, u1 would
     * be second of 4, 4/3; had u5's cost 100 been in the mean, u4 would get 1.) */
    {
        static const char csv[] =
            "entity,repaid,cost\n"
            "u1,95%,3\n"
            "u2,99%,abc\n"
            "u3,90%,6\n"
            "u4,80%,9\n"
            "u5,perhaps,100\n";
        out = (char*)"sentinel";
        CHECK_RC(rubric_eval_batch(ev, "bad.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0,
                                   &out, NULL),
                 RUBRIC_ERROR_FACT);
        CHECK(out == NULL);
        CHECK_CONTAINS(rubric_eval_errmsg(ev), "2 entities have bad facts");
        CHECK_RC(rubric_eval_batch(ev, "bad.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   RUBRIC_BATCH_SKIP_BAD, &out, NULL),
                 RUBRIC_OK);
        CHECK_STR(out, COHORT_HEAD "u1,,3,0,2,1,0\r\nu3,,2,0,1,1,0\r\nu4,,0,0,0,0,0\r\n");
        CHECK_CONTAINS(rubric_eval_errmsg(ev), "2 entities skipped, 3 scored");
        rubric_free(out);
        out = NULL;
        CHECK_RC(rubric_eval_batch(ev, "bad.csv", csv, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSONL,
                                   RUBRIC_BATCH_SKIP_BAD, &out, NULL),
                 RUBRIC_OK);
        CHECK_CONTAINS(out, "{\"entity\": \"u2\", \"error\": \"bad.csv:3:");
        CHECK_CONTAINS(out, "{\"entity\": \"u3\", \"total\": \"2\", \"bonus\": \"0\", \"nodes\": {\"1\": \"1\", "
                            "\"2\": \"1\"}, \"missing\": 0}\n");
        CHECK_CONTAINS(out, "{\"entity\": \"u5\", \"error\": \"bad.csv:6:");
        rubric_free(out);
        out = NULL;
    }

    /* Both readings of a batch use the program's limits. With `fields` raised to 20000, an
     * entity of 10002 fields (10000 unknown ones, allowed) is good; the measuring reading must
     * see it too, or every unit after it would be scored with another unit's rank. Units as
     * in the bad-unit case: 95/3, 90/6, 80/9 -> totals 3, 2, 0. */
    {
        rubric_program* wide = NULL;
        rubric_eval* wev = NULL;
        rubric_limits l;
        size_t k, pos = 0;
        const size_t extra = 10000, cap = 64 + extra * 16;
        char* data = (char*)malloc(cap);
        rubric_limits_init(&l);
        l.fields = 20000;
        CHECK_RC(rubric_compile_ex("wide.rubric", cohort_rubric, RUBRIC_NUL_TERMINATED, 0, &l, &wide), RUBRIC_OK);
        CHECK_RC(rubric_eval_new(wide, &wev), RUBRIC_OK);
        CHECK(data != NULL);
        if (data && wev) {
            pos += (size_t)sprintf(data + pos, "{\"entity\": \"w1\", \"repaid\": \"95%%\", \"cost\": 3");
            for (k = 0; k < extra; ++k) pos += (size_t)sprintf(data + pos, ", \"x%lu\": 0", (unsigned long)k);
            pos += (size_t)sprintf(data + pos, "}\n");
            CHECK(pos < cap);
            {
                static const char rest[] = "{\"entity\": \"w2\", \"repaid\": \"90%\", \"cost\": 6}\n"
                                           "{\"entity\": \"w3\", \"repaid\": \"80%\", \"cost\": 9}\n";
                char* all = (char*)malloc(pos + sizeof rest);
                CHECK(all != NULL);
                if (all) {
                    memcpy(all, data, pos);
                    memcpy(all + pos, rest, sizeof rest);
                    CHECK_RC(rubric_eval_batch(wev, "wide.jsonl", all, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL,
                                               RUBRIC_FORMAT_CSV, RUBRIC_BATCH_ALLOW_UNKNOWN, &out, NULL),
                             RUBRIC_OK);
                    CHECK_STR(out, COHORT_HEAD "w1,,3,0,2,1,0\r\nw2,,2,0,1,1,0\r\nw3,,0,0,0,0,0\r\n");
                    rubric_free(out);
                    out = NULL;
                    free(all);
                }
            }
        }
        free(data);
        rubric_eval_free(wev);
        rubric_program_free(wide);
    }

    /* A rubric without cohort rules takes the group column out too, and scores each unit alone. */
    {
        rubric_eval* pev = NULL;
        CHECK_RC(rubric_eval_new(plain, &pev), RUBRIC_OK);
        CHECK_RC(rubric_eval_set_group_column(pev, "kind"), RUBRIC_OK);
        CHECK_RC(rubric_eval_batch(pev, NULL, "entity,kind,must_have\nx,县区,true\n", RUBRIC_NUL_TERMINATED,
                                   RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, NULL),
                 RUBRIC_OK);
        CHECK_CONTAINS(out, "\r\nx,,");
        rubric_free(out);
        out = NULL;
        rubric_eval_free(pev);
    }

    rubric_eval_free(ev);
    rubric_program_free(prog);
    rubric_program_free(plain);
}

/* An entity id given twice is refused, as by `rubric eval` (E-facts-duplicate-entity,
 * message facts.duplicate-entity "entity {id} is given twice (first on line {line})"),
 * at the repeat's id, with the line of the first: one unit counted twice would take two
 * places in every ranking of its cohort, and give two rows for one unit. */
#define DUP_BAD "1 entity has bad facts (no result; RUBRIC_BATCH_SKIP_BAD scores the others):\n"

static void test_duplicate_entities(void) {
    rubric_program* plain = compile_test_rubric();
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    char* out = NULL;

    /* A plain batch: x1 on line 2, again on line 4 (column 1, the id cell). */
    CHECK_RC(rubric_eval_new(plain, &ev), RUBRIC_OK);
    out = (char*)"sentinel";
    CHECK_RC(rubric_eval_batch(ev, "dup.csv", "entity,must_have\nx1,true\nx2,false\nx1,false\n", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_FACT);
    CHECK(out == NULL); /* nothing half-written */
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_ERROR_FACT);
    CHECK_STR(rubric_eval_errmsg(ev), DUP_BAD "dup.csv:4:1: error: entity x1 is given twice (first on line 2)\n"
                                      "  x1,false\n"
                                      "  ^\n");
    /* JSON lines: the id is the "entity" value, column 12 of `{"entity": "x1"`. */
    out = (char*)"sentinel";
    CHECK_RC(rubric_eval_batch(ev, "dup.jsonl",
                               "{\"entity\": \"x1\", \"must_have\": true}\n"
                               "{\"entity\": \"x1\", \"must_have\": false}\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_JSONL, 0, &out, NULL),
             RUBRIC_ERROR_FACT);
    CHECK(out == NULL);
    CHECK_STR(rubric_eval_errmsg(ev), DUP_BAD "dup.jsonl:2:12: error: entity x1 is given twice (first on line 1)\n"
                                      "  {\"entity\": \"x1\", \"must_have\": false}\n"
                                      "             ^\n");
    /* JSON: the id 7 (a number) and "7" (a string) are the same id. */
    out = (char*)"sentinel";
    CHECK_RC(rubric_eval_batch(ev, "dup.json",
                               "[\n{\"entity\": 7, \"must_have\": true},\n"
                               "{\"entity\": \"7\", \"must_have\": false}\n]\n",
                               RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_FACT);
    CHECK(out == NULL);
    CHECK_STR(rubric_eval_errmsg(ev), DUP_BAD "dup.json:3:12: error: entity 7 is given twice (first on line 2)\n"
                                      "  {\"entity\": \"7\", \"must_have\": false}\n"
                                      "             ^\n");
    /* Under RUBRIC_BATCH_SKIP_BAD the first x1 is scored and the repeat skipped, as any bad
     * entity (must_have true: 0 for review, so both units score 0). */
    CHECK_RC(rubric_eval_batch(ev, "dup.csv", "entity,must_have\nx1,true\nx2,false\nx1,false\n", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSONL, RUBRIC_BATCH_SKIP_BAD, &out, NULL),
             RUBRIC_OK);
    CHECK_CONTAINS(out, "{\"entity\": \"x1\", \"total\": \"0\"");
    CHECK_CONTAINS(out, "{\"entity\": \"x2\", \"total\": \"0\"");
    CHECK_CONTAINS(out, "{\"entity\": \"x1\", \"error\": \"dup.csv:4:1: error: entity x1 is given twice (first on "
                        "line 2)\\n  x1,false\\n  ^\\n\"}\n");
    /* Then the run's warnings: the batch gives must_have alone, so each other input is named. */
    CHECK(strncmp(rubric_eval_errmsg(ev),
                  "1 entity skipped, 2 scored:\ndup.csv:4:1: error: entity x1 is given twice (first on line 2)\n"
                  "  x1,false\n  ^\n",
                  strlen("1 entity skipped, 2 scored:\ndup.csv:4:1: error: entity x1 is given twice (first on line 2)\n"
                         "  x1,false\n  ^\n")) == 0);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "dup.csv: warning: no unit of these facts gives the input `done` (办结量)");
    rubric_free(out);
    out = NULL;
    /* Without a repeat (ids that differ only in case are different ids) the batch scores. */
    CHECK_RC(rubric_eval_batch(ev, "ok.csv", "entity,must_have\nx1,true\nX1,false\n", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_OK);
    /* Each gives must_have alone: 8 of the 9 inputs are missing. */
    CHECK_STR(out, "entity,name,total,bonus,1,1.1,1.2,1.3,2,3,4,4.1,missing\r\n"
                   "x1,,0,0,0,0,0,0,0,0,0,0,8\r\n"
                   "X1,,0,0,0,0,0,0,0,0,0,0,8\r\n");
    rubric_free(out);
    out = NULL;
    /* From a file: the message names the path. */
    {
        char* path = cat(scratch_dir, "/c_api_test_dup.csv");
        char* expected = cat(path, ":3:1: error: entity x1 is given twice (first on line 2)\n  x1,false\n  ^\n");
        FILE* f = fopen(path, "wb");
        CHECK(f != NULL);
        if (f) {
            fputs("entity,must_have\nx1,true\nx1,false\n", f);
            fclose(f);
            out = (char*)"sentinel";
            CHECK_RC(rubric_eval_batch_file(ev, path, RUBRIC_FORMAT_AUTO, RUBRIC_FORMAT_CSV, 0, &out, NULL),
                     RUBRIC_ERROR_FACT);
            CHECK(out == NULL);
            CHECK_CONTAINS(rubric_eval_errmsg(ev), expected);
            remove(path);
        }
        free(expected);
        free(path);
    }
    rubric_eval_free(ev);
    ev = NULL;

    /* A cohort batch. Had the repeat u1 (80%, cost 9) been counted, the cohort would be
     * three: 95, 90, 80 rank 1, 2, 3 of n = 3 (2, 1, 0) and the mean cost 6 would give u2's
     * 6 a point: u2 2 instead of 0. */
    CHECK_RC(rubric_compile("cohort.rubric", cohort_rubric, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_OK);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    if (ev) {
        static const char dup[] = "entity,repaid,cost\nu1,95%,3\nu2,90%,6\nu1,80%,9\n";
        out = (char*)"sentinel";
        CHECK_RC(rubric_eval_batch(ev, "cohort.csv", dup, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   0, &out, NULL),
                 RUBRIC_ERROR_FACT);
        CHECK(out == NULL);
        CHECK_STR(rubric_eval_errmsg(ev),
                  DUP_BAD "cohort.csv:4:1: error: entity u1 is given twice (first on line 2)\n  u1,80%,9\n  ^\n");
        /* Skipping the repeat: u1 95 and u2 90 rank 1, 2 of n = 2 (2, 0); mean cost
         * (3 + 6) / 2 = 4.5: 3 -> 1, 6 -> 0. Totals u1 3, u2 0. */
        CHECK_RC(rubric_eval_batch(ev, "cohort.csv", dup, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV,
                                   RUBRIC_BATCH_SKIP_BAD, &out, NULL),
                 RUBRIC_OK);
        CHECK_STR(out, COHORT_HEAD "u1,,3,0,2,1,0\r\nu2,,0,0,0,0,0\r\n");
        CHECK_STR(rubric_eval_errmsg(ev),
                  "1 entity skipped, 2 scored:\ncohort.csv:4:1: error: entity u1 is given twice (first on line 2)\n"
                  "  u1,80%,9\n  ^\n");
        rubric_free(out);
        out = NULL;
        /* One cohort per group: an id is still one unit across groups (a1 in 市直部门 on line
         * 2, again in 县区 on line 4). */
        CHECK_RC(rubric_eval_set_group_column(ev, "kind"), RUBRIC_OK);
        out = (char*)"sentinel";
        CHECK_RC(rubric_eval_batch(ev, "groups.csv",
                                   "entity,kind,repaid,cost\na1,市直部门,95%,3\nb1,县区,70%,10\na1,县区,50%,20\n",
                                   RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSONL, 0, &out, NULL),
                 RUBRIC_ERROR_FACT);
        CHECK(out == NULL);
        CHECK_STR(rubric_eval_errmsg(ev),
                  DUP_BAD "groups.csv:4:1: error: entity a1 is given twice (first on line 2)\n"
                          "  a1,县区,50%,20\n  ^\n");
        CHECK_RC(rubric_eval_set_group_column(ev, NULL), RUBRIC_OK);
        /* Without the repeat: 95, 90, 80 rank 1, 2, 3 of n = 3: 2, 1, 0; mean cost
         * (3 + 6 + 9) / 3 = 6: 3 -> 1, 6 -> 1, 9 -> 0. Totals u1 3, u2 2, u3 0. */
        CHECK_RC(rubric_eval_batch(ev, "cohort.csv", "entity,repaid,cost\nu1,95%,3\nu2,90%,6\nu3,80%,9\n",
                                   RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_CSV, 0, &out, NULL),
                 RUBRIC_OK);
        CHECK_STR(out, COHORT_HEAD "u1,,3,0,2,1,0\r\nu2,,2,0,1,1,0\r\nu3,,0,0,0,0,0\r\n");
        rubric_free(out);
        out = NULL;
    }
    rubric_eval_free(ev);
    rubric_program_free(prog);
    rubric_program_free(plain);
}

/* rubric_eval_set_language and rubric_diag(s)_rendered_lang: the words come from the
 * message catalogs (severity.error is 错误 in messages_zh.inl, explain.each-hold is
 * "{total} 项中有 {hits} 项达到"); codes and numbers stay as they are. */
static void test_language(void) {
    static const char bad[] = "item 1 \"x\" 1 { input a: bool  score each 0.5 max 1 when b }\n";
    static const char good[] = "item 1 \"x\" 1 { input a: bool  input b: bool  score each 0.5 }\n";
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    const char* text = NULL;
    char* out = NULL;
    size_t n = 0;

    rubric_compile("lang.rubric", bad, RUBRIC_NUL_TERMINATED, 0, &prog);
    CHECK(rubric_program_status(prog) != RUBRIC_OK);
    CHECK_CONTAINS(rubric_diag_rendered_lang(prog, 0, RUBRIC_LANG_ZH), "lang.rubric:1:");
    CHECK_CONTAINS(rubric_diag_rendered_lang(prog, 0, RUBRIC_LANG_ZH), "错误：");
    CHECK_CONTAINS(rubric_diags_rendered_lang(prog, RUBRIC_LANG_ZH), "错误：");
    CHECK_STR(rubric_diag_rendered_lang(prog, 0, RUBRIC_LANG_EN), rubric_diag_rendered(prog, 0));
    CHECK_STR(rubric_diag_message_lang(prog, 0, RUBRIC_LANG_EN), rubric_diag_message(prog, 0));
    CHECK(rubric_diag_message_lang(prog, 0, RUBRIC_LANG_ZH) != NULL &&
          strcmp(rubric_diag_message_lang(prog, 0, RUBRIC_LANG_ZH), rubric_diag_message(prog, 0)) != 0);
    CHECK(rubric_diag_message_lang(prog, 0, 9) == NULL);
    CHECK_STR(rubric_diags_rendered_lang(prog, RUBRIC_LANG_EN), rubric_diags_rendered(prog));
    CHECK(rubric_diag_rendered_lang(prog, 0, 7) == NULL);
    CHECK(rubric_diag_rendered_lang(prog, 1000, RUBRIC_LANG_ZH) == NULL);
    CHECK(rubric_diags_rendered_lang(NULL, RUBRIC_LANG_ZH) == NULL);
    rubric_program_free(prog);

    CHECK_RC(rubric_compile("lang.rubric", good, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_OK);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_language(NULL, RUBRIC_LANG_ZH), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_language(ev, 2), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_language(ev, RUBRIC_LANG_ZH), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "a", "是"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_explain_text(ev, &text, NULL), RUBRIC_OK);
    CHECK_CONTAINS(text, "2 项中有 1 项达到");
    /* kept by reset; English again when asked */
    CHECK_RC(rubric_eval_reset(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "a", "true"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_explain_text(ev, &text, NULL), RUBRIC_OK);
    CHECK_CONTAINS(text, "项中有");
    CHECK_RC(rubric_eval_set_language(ev, RUBRIC_LANG_EN), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_explain_text(ev, &text, NULL), RUBRIC_OK);
    CHECK(text && strstr(text, "项中有") == NULL);

    /* a batch's facts errors, and a skipped entity's "error", in Chinese */
    CHECK_RC(rubric_eval_set_language(ev, RUBRIC_LANG_ZH), RUBRIC_OK);
    CHECK_RC(rubric_eval_batch(ev, "u.csv", "entity,a,b\nu1,maybe,true\nu2,true,true\n", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSONL, 0, &out, &n), RUBRIC_ERROR_FACT);
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "u.csv:2:");
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "错误：");
    CHECK_RC(rubric_eval_batch(ev, "u.csv", "entity,a,b\nu1,maybe,true\nu2,true,true\n", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSONL, RUBRIC_BATCH_SKIP_BAD, &out, &n), RUBRIC_OK);
    CHECK_CONTAINS(out, "{\"entity\": \"u1\", \"error\": \"u.csv:2:");
    CHECK_CONTAINS(out, "错误：");
    CHECK_CONTAINS(out, "\"entity\": \"u2\"");
    rubric_free(out);
    rubric_eval_free(ev);
    rubric_program_free(prog);
}

/* rubric_eval_result_json and rubric_eval_set_name: one unit's line, as a batch writes it.
 * `each 0.5` over a and b with a given and b not: 1 × 0.5 = 0.5; b is the one missing fact.
 * The warning `total < 1` holds for 0.5. */
static void test_result_json(void) {
    static const char text[] =
        "item 1 \"x\" 1 { input a: bool  input b: bool  score each 0.5 }\n"
        "warn \"不足1分\" if total < 1\n";
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    const char* json = NULL;
    size_t n = 0;
    char* batch = NULL;

    CHECK_RC(rubric_compile("r.rubric", text, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_OK);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_result_json(ev, &json, &n), RUBRIC_ERROR_MISUSE); /* nothing run yet */
    CHECK(json == NULL);
    CHECK_RC(rubric_eval_set_entity(ev, "u1"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_name(ev, "甲"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_name(NULL, "甲"), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_name(ev, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_fact(ev, "a", "是"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_result_json(ev, &json, &n), RUBRIC_OK);
    CHECK(json && n == strlen(json) && json[n - 1] == '}');
    CHECK_CONTAINS(json, "{\"entity\": \"u1\", \"name\": \"甲\", \"total\": \"0.5\"");
    CHECK_CONTAINS(json, "\"warnings\": [\"不足1分\"]");
    CHECK_CONTAINS(json, "\"missing\": 1");
    CHECK_CONTAINS(json, "\"missing_inputs\": [\"b\"]");
    /* the same line as the batch writes for the same unit */
    CHECK_RC(rubric_eval_batch(ev, "u.csv", "entity,name,a\nu1,甲,是\n", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV,
                               RUBRIC_FORMAT_JSONL, 0, &batch, &n), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_entity(ev, "u1"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_name(ev, "甲"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "a", "是"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_result_json(ev, &json, &n), RUBRIC_OK);
    CHECK(batch && strncmp(batch, json, n) == 0 && strcmp(batch + n, "\n") == 0);
    rubric_free(batch);
    /* reset forgets the name */
    CHECK_RC(rubric_eval_reset(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_result_json(ev, &json, &n), RUBRIC_OK);
    CHECK(json && strstr(json, "\"name\"") == NULL);
    rubric_eval_free(ev);
    rubric_program_free(prog);
}

/* Grades, vetoes, adjustments and the grand total. Worked by hand: done 8 → total 8; the award
 * +2, two criticisms −2 × 2 = −4: adjustments 2 − 4 = −2 (within [−3, +3]); grand total 8 − 2 = 6
 * → 合格 (6 ≥ 6, < 8). With 通报 (the veto): the lowest grade, 不合格. */
static void test_grade_and_grand_total(void) {
    static const char text[] =
        "item 1 \"work\" 10 { input done: count  score done }\n"
        "adjustments 2 \"奖扣分\" max +3 min -3 {\n"
        "  item 2.1 \"award\" { input award: bool  score if award then 2 }\n"
        "  item 2.2 \"criticism\" { input criticisms: count  score -2 * criticisms }\n"
        "}\n"
        "input reported: bool\n"
        "grade 优秀 >= 9, 良好 >= 8, 合格 >= 6, otherwise 不合格\n"
        "veto \"通报\" if reported\n";
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    const char *exact = NULL, *rounded = NULL, *grade = NULL;

    CHECK_RC(rubric_compile("g.rubric", text, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_OK);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_grade(ev, &grade), RUBRIC_ERROR_MISUSE); /* nothing run yet */
    CHECK_RC(rubric_eval_set_fact(ev, "done", "8"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "award", "true"), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "criticisms", "2"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_score(ev, "2.2", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "-4");
    CHECK_RC(rubric_eval_adjustments(ev, &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "-2");
    CHECK_RC(rubric_eval_grand_total(ev, &exact, &rounded), RUBRIC_OK);
    CHECK_STR(exact, "6");
    CHECK_RC(rubric_eval_score(ev, "grand_total", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "6");
    CHECK_RC(rubric_eval_grade(ev, &grade), RUBRIC_OK);
    CHECK_STR(grade, "合格");
    CHECK_RC(rubric_eval_grade(ev, NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_set_fact(ev, "reported", "true"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_grade(ev, &grade), RUBRIC_OK);
    CHECK_STR(grade, "不合格");
    rubric_eval_free(ev);
    rubric_program_free(prog);
}

/* A section by an attribute (section 1 by kind): for a water unit 1.1 applies and scores 2, 1.2
 * does not apply and scores 0, and the result line gives it null; section 1 = 2. */
static void test_applies(void) {
    static const char text[] =
        "input kind: choice [water, road]\n"
        "section 1 \"s\" 2 by kind {\n"
        "  case water { item \"w\" 2 { score 2 } }\n"
        "  case road { item \"r\" 2 { score 1 } }\n"
        "}\n";
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    const char* exact = NULL;
    const char* json = NULL;
    int applies = -1;

    CHECK_RC(rubric_compile("a.rubric", text, RUBRIC_NUL_TERMINATED, 0, &prog), RUBRIC_OK);
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_applies(ev, "1.1", &applies), RUBRIC_ERROR_MISUSE); /* nothing run yet */
    CHECK_RC(rubric_eval_run(ev), RUBRIC_ERROR_FACT);                        /* kind is required */
    CHECK_CONTAINS(rubric_eval_errmsg(ev), "kind");
    CHECK_RC(rubric_eval_set_fact(ev, "kind", "water"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_applies(ev, "1.1", &applies), RUBRIC_OK);
    CHECK(applies == 1);
    CHECK_RC(rubric_eval_applies(ev, "1.2", &applies), RUBRIC_OK);
    CHECK(applies == 0);
    CHECK_RC(rubric_eval_applies(ev, "1", &applies), RUBRIC_OK);
    CHECK(applies == 1);
    CHECK_RC(rubric_eval_applies(ev, "9", &applies), RUBRIC_ERROR_NOT_FOUND);
    CHECK_RC(rubric_eval_applies(ev, "1.1", NULL), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_score(ev, "1", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "2");
    CHECK_RC(rubric_eval_score(ev, "1.2", &exact, NULL), RUBRIC_OK);
    CHECK_STR(exact, "0");
    CHECK_RC(rubric_eval_result_json(ev, &json, NULL), RUBRIC_OK);
    CHECK_CONTAINS(json, "\"nodes\": {\"1\": \"2\", \"1.1\": \"2\", \"1.2\": null}");
    rubric_eval_free(ev);
    rubric_program_free(prog);
}

int main(int argc, char** argv) {
    if (argc > 1) source_dir = argv[1];
    if (argc > 2) scratch_dir = argv[2];
    if (argc > 3) quick = strcmp(argv[3], "--quick") == 0;
    test_version_and_status();
    test_null_handles();
    test_wrong_handle_types();
    test_compile_ok_and_structure();
    test_compile_errors();
    test_compile_files();
    test_oversized();
    test_limits();
    test_evaluate();
    test_batch();
    test_batch_matches_single();
    test_many_contexts();
    test_cohort();
    test_duplicate_entities();
    test_language();
    test_result_json();
    test_grade_and_grand_total();
    test_applies();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
