/*
 * score_sample.c: scoring units with the C interface.
 *
 *   score_sample [RUBRIC [FACTS.csv|.json|.jsonl]]
 *
 * Without arguments it scores rubrics/guanghan-2023.rubric on
 * rubrics/samples/guanghan-2023-units.csv when both exist, and otherwise
 * rubrics/examples/tier.rubric on a few units written below.
 *
 * It shows the three ways in: the structure of a compiled rubric, one unit
 * scored fact by fact (with its explanation), and a whole facts file scored in
 * one batch call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric/rubric.h"

#ifndef RUBRIC_SOURCE_DIR
#define RUBRIC_SOURCE_DIR "."
#endif

static int exists(const char* path) {
    FILE* f = fopen(path, "rb");
    if (!f) return 0;
    fclose(f);
    return 1;
}

static const char tier_units[] =
    "entity,name,completed,accepted,aspects,executed\n"
    "A01,甲局,90,100,5,true\n"
    "A02,乙局,795,1000,4,true\n"
    "A03,丙局,699,1000,6,false\n"
    "A04,丁局,,,,\n";

int main(int argc, char** argv) {
    static char rubric_path[4096], facts_path[4096];
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    char* table = NULL;
    size_t i, n;
    int rc;

    if (rubric_version_number() != RUBRIC_C_VERSION_NUMBER) {
        fprintf(stderr, "header %s but library %s\n", RUBRIC_C_VERSION, rubric_version());
        return 1;
    }

    if (argc > 1) {
        snprintf(rubric_path, sizeof rubric_path, "%s", argv[1]);
        if (argc > 2) snprintf(facts_path, sizeof facts_path, "%s", argv[2]);
    } else {
        snprintf(rubric_path, sizeof rubric_path, "%s/rubrics/guanghan-2023.rubric", RUBRIC_SOURCE_DIR);
        snprintf(facts_path, sizeof facts_path, "%s/rubrics/samples/guanghan-2023-units.csv", RUBRIC_SOURCE_DIR);
        if (!exists(rubric_path) || !exists(facts_path)) {
            snprintf(rubric_path, sizeof rubric_path, "%s/rubrics/examples/tier.rubric", RUBRIC_SOURCE_DIR);
            facts_path[0] = '\0'; /* use tier_units */
        }
    }

    /* 1. Compile. *prog is set even on failure, so the diagnostics can be shown. */
    rc = rubric_compile_file(rubric_path, 0, &prog);
    if (rc != RUBRIC_OK) {
        fprintf(stderr, "%s", prog ? rubric_diags_rendered(prog) : rubric_status_string(rc));
        rubric_program_free(prog);
        return 1;
    }
    for (i = 0; i < rubric_diag_count(prog); ++i) /* warnings and notes */
        fprintf(stderr, "%s", rubric_diag_rendered(prog, i));

    /* 2. Structure. */
    printf("%s (%s points, %zu inputs)\n", rubric_program_title(prog), rubric_program_total_points(prog),
           rubric_input_count(prog));
    n = rubric_node_count(prog);
    for (i = 0; i < n; ++i)
        if (rubric_node_parent(prog, i) == RUBRIC_NONE && rubric_node_kind(prog, i) != RUBRIC_NODE_TASK)
            printf("  %s %s  %s\n", rubric_node_code(prog, i), rubric_node_name(prog, i), rubric_node_points(prog, i));

    /* 3. One unit, fact by fact: every yes/no requirement met, no numbers given. */
    if (rubric_eval_new(prog, &ev) != RUBRIC_OK) {
        rubric_program_free(prog);
        return 1;
    }
    rubric_eval_set_entity(ev, "example");
    for (i = 0; i < rubric_input_count(prog); ++i)
        if (strcmp(rubric_input_type(prog, i), "bool") == 0) rubric_eval_set_fact(ev, rubric_input_name(prog, i), "true");
    if (rubric_eval_run(ev) == RUBRIC_OK) {
        const char *exact, *rounded, *text;
        rubric_eval_total(ev, &exact, &rounded);
        printf("\nall yes/no requirements met, nothing else: total %s (exact %s)\n", rounded, exact);
        for (i = 0; i < n; ++i) /* the first item, explained */
            if (rubric_node_kind(prog, i) == RUBRIC_NODE_ITEM) {
                rubric_eval_score_at(ev, i, &exact, &rounded);
                printf("item %s scores %s\n", rubric_node_code(prog, i), exact);
                break;
            }
        /* How the points came about (explain_json gives the same for programs); the first lines. */
        if (rubric_eval_explain_text(ev, &text, NULL) == RUBRIC_OK) {
            const char* end = text;
            int lines = 0;
            while (*end && lines < 8) lines += *end++ == '\n';
            printf("%.*s...\n", (int)(end - text), text);
        }
    } else {
        printf("cannot score: %s\n", rubric_eval_errmsg(ev));
    }

    /* 4. A whole facts file in one call; the result buffer belongs to us. */
    if (facts_path[0])
        rc = rubric_eval_batch_file(ev, facts_path, RUBRIC_FORMAT_AUTO, RUBRIC_FORMAT_CSV, 0, &table, NULL);
    else
        rc = rubric_eval_batch(ev, "units.csv", tier_units, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV,
                               RUBRIC_FORMAT_CSV, 0, &table, NULL);
    if (rc == RUBRIC_OK) {
        printf("\n%s", table);
        rubric_free(table);
    } else {
        fprintf(stderr, "%s: %s\n", rubric_status_string(rc), rubric_eval_errmsg(ev));
    }

    rubric_eval_free(ev);
    rubric_program_free(prog);
    return rc == RUBRIC_OK ? 0 : 1;
}
