/* A C program that uses the installed C interface (rubric.h, librubric.so), built by CMake
 * (rubric::c) and by hand with pkg-config. It scores the README's ten-line rubric for the
 * unit of its test: 795 of 1000 (79.5%) falls in the 70% band, 1 point; `hired` gives 0.5 of
 * `each 0.5`; so the total is 1.5, and it prints "1.5". */
#include <stdio.h>
#include <rubric/rubric.h>

static const char text[] =
    "rubric \"示例\" { total 4  rounding 2 half_up  missing zero }\n"
    "item 1 \"市民诉求办结率\" 3 {\n"
    "  input completed: count \"12345热线诉求办结量\"\n"
    "  input accepted: count \"12345热线受理诉求总量\"\n"
    "  ratio rate = completed / accepted \"办结率\"\n"
    "  score tier >=90%:3 >=80%:2 >=70%:1\n"
    "}\n"
    "item 2 \"推进政府法律顾问制度\" 1 { input mechanism: bool  input hired: bool  score each 0.5 max 1 }\n";

int main(void) {
    rubric_program* prog = NULL;
    rubric_eval* ev = NULL;
    const char* exact = NULL;
    int rc = 1;
    if (rubric_compile("readme.rubric", text, RUBRIC_NUL_TERMINATED, 0, &prog) != RUBRIC_OK) {
        fputs(rubric_diags_rendered(prog), stderr);
    } else if (rubric_eval_new(prog, &ev) == RUBRIC_OK && rubric_eval_set_fact(ev, "completed", "795") == RUBRIC_OK &&
               rubric_eval_set_fact(ev, "accepted", "1000") == RUBRIC_OK &&
               rubric_eval_set_fact(ev, "hired", "true") == RUBRIC_OK && rubric_eval_run(ev) == RUBRIC_OK &&
               rubric_eval_total(ev, &exact, NULL) == RUBRIC_OK) {
        printf("%s\n", exact);
        rc = 0;
    } else {
        fprintf(stderr, "%s\n", rubric_eval_errmsg(ev));
    }
    rubric_eval_free(ev);
    rubric_program_free(prog);
    return rc;
}
