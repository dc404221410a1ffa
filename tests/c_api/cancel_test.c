/*
 * cancel_test.c: cancelling calls of the C interface (rubric_eval_progress_handler,
 * rubric_interrupt): a handler that counts and one that cancels, an interrupt sent
 * before a call and one sent from another thread while a long batch runs; after
 * each cancelled call the context scores again. Prints "N passed, N failed".
 *
 *   cancel_test
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric/rubric.h"

#include "c_check.h"

static const char plain_rubric[] =
    "rubric \"取消\" { total 2 }\n"
    "item 1 \"办结\" 2 {\n"
    "  input done: count \"办结数\"\n"
    "  score if done >= 5 then 2 else 0\n"
    "}\n";

static const char cohort_rubric[] =
    "rubric \"排名\" { total 2 }\n"
    "item 1 \"清欠排名\" 2 {\n"
    "  input repaid: percent \"拖欠账款清偿率\"\n"
    "  score rank repaid higher linear 2..0\n"
    "}\n";

/* JSON lines of `n` units: {"entity": "uK", "<field>": <prefix>K % 10} (a prefix "0." makes
 * a share). Caller frees. */
static char* units(long n, const char* field, const char* prefix) {
    char* s = (char*)malloc((size_t)n * 64 + 1);
    size_t at = 0;
    long k;
    if (!s) exit(2);
    for (k = 0; k < n; ++k) at += (size_t)sprintf(s + at, "{\"entity\": \"u%ld\", \"%s\": %s%ld}\n", k, field, prefix, k % 10);
    s[at] = '\0';
    return s;
}

static rubric_program* compile(const char* text) {
    rubric_program* prog = NULL;
    if (rubric_compile("t.rubric", text, RUBRIC_NUL_TERMINATED, 0, &prog) != RUBRIC_OK) {
        fputs(rubric_diags_rendered(prog), stderr);
        exit(2);
    }
    return prog;
}

/* Counts its calls; cancels on call number `cancel_at` (0: never). */
struct counter {
    int calls, cancel_at;
};
static int count_calls(void* arg) {
    struct counter* c = (struct counter*)arg;
    ++c->calls;
    return c->cancel_at && c->calls == c->cancel_at;
}

static void test_handler(void) {
    rubric_program* prog = compile(plain_rubric);
    rubric_program* ranked = compile(cohort_rubric);
    rubric_eval* ev = NULL;
    rubric_eval* rev = NULL;
    char* out = NULL;
    char* facts = units(100, "done", "");
    char* ranked_facts = units(100, "repaid", "0.");
    struct counter c = {0, 0};

    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_progress_handler(NULL, 1, count_calls, &c), RUBRIC_ERROR_MISUSE);
    CHECK_RC(rubric_eval_progress_handler((rubric_eval*)prog, 1, count_calls, &c), RUBRIC_ERROR_MISUSE);

    /* Every 10 entities of 100, read once: called 10 times; nothing cancelled. */
    CHECK_RC(rubric_eval_progress_handler(ev, 10, count_calls, &c), RUBRIC_OK);
    CHECK_RC(rubric_eval_batch(ev, NULL, facts, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_OK);
    CHECK(c.calls == 10);
    CHECK(out && strstr(out, "\r\nu99,,2,0,2,0\r\n")); /* 99 % 10 = 9 >= 5: 2 points */
    rubric_free(out);

    /* Cancelling on the third call (after entity 30): no result, the status and message say why. */
    c.calls = 0;
    c.cancel_at = 3;
    out = (char*)&c; /* must come back NULL */
    CHECK_RC(rubric_eval_batch(ev, NULL, facts, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_INTERRUPTED);
    CHECK(out == NULL);
    CHECK(c.calls == 3);
    CHECK_RC(rubric_eval_errcode(ev), RUBRIC_ERROR_INTERRUPTED);
    CHECK(strstr(rubric_eval_errmsg(ev), "progress handler") != NULL);
    CHECK(strcmp(rubric_status_string(RUBRIC_ERROR_INTERRUPTED), "interrupted") == 0);

    /* rubric_eval_run asks the handler once, whatever n; cancelled, the facts stay. */
    c.calls = 0;
    c.cancel_at = 1;
    CHECK_RC(rubric_eval_set_fact(ev, "done", "7"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_ERROR_INTERRUPTED);
    CHECK(c.calls == 1);
    {
        const char* total = NULL;
        CHECK_RC(rubric_eval_total(ev, &total, NULL), RUBRIC_ERROR_MISUSE); /* no scores */
        CHECK_RC(rubric_eval_progress_handler(ev, 0, NULL, NULL), RUBRIC_OK); /* removed */
        CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);
        CHECK_RC(rubric_eval_total(ev, &total, NULL), RUBRIC_OK);
        CHECK(total && strcmp(total, "2") == 0);
    }
    CHECK(c.calls == 1);

    /* A cohort is read twice: 100 entities every 25 is 4 calls a reading, 8 in all; cancelling
     * on the sixth stops the second reading (the scoring). */
    CHECK_RC(rubric_eval_new(ranked, &rev), RUBRIC_OK);
    c.calls = 0;
    c.cancel_at = 0;
    CHECK_RC(rubric_eval_progress_handler(rev, 25, count_calls, &c), RUBRIC_OK);
    CHECK_RC(rubric_eval_batch(rev, NULL, ranked_facts, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0,
                               &out, NULL),
             RUBRIC_OK);
    CHECK(c.calls == 8);
    rubric_free(out);
    c.calls = 0;
    c.cancel_at = 6;
    CHECK_RC(rubric_eval_batch(rev, NULL, ranked_facts, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0,
                               &out, NULL),
             RUBRIC_ERROR_INTERRUPTED);
    CHECK(out == NULL && c.calls == 6);

    rubric_eval_free(rev);
    rubric_eval_free(ev);
    rubric_program_free(ranked);
    rubric_program_free(prog);
    free(ranked_facts);
    free(facts);
}

static void test_interrupt_before(void) {
    rubric_program* prog = compile(plain_rubric);
    rubric_eval* ev = NULL;
    char* out = NULL;
    rubric_interrupt(NULL); /* no-op */
    rubric_interrupt((rubric_eval*)prog); /* not a context: no-op */
    CHECK_RC(rubric_eval_new(prog, &ev), RUBRIC_OK);

    /* Sent when no call runs: the next call is cancelled, and the one after is not. */
    rubric_interrupt(ev);
    CHECK_RC(rubric_eval_batch(ev, NULL, "entity,done\nu1,5\n", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV,
                               RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_ERROR_INTERRUPTED);
    CHECK(out == NULL);
    CHECK(strstr(rubric_eval_errmsg(ev), "rubric_interrupt") != NULL);
    CHECK_RC(rubric_eval_batch(ev, NULL, "entity,done\nu1,5\n", RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_CSV,
                               RUBRIC_FORMAT_CSV, 0, &out, NULL),
             RUBRIC_OK);
    CHECK(out && strstr(out, "\r\nu1,,2,0,2,0\r\n"));
    rubric_free(out);

    rubric_interrupt(ev);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_ERROR_INTERRUPTED);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);

    /* rubric_eval_reset and rubric_eval_set_fact neither check nor clear a pending interrupt:
     * the run after them is cancelled (an interrupt sent as a caller starts a unit is kept). */
    rubric_interrupt(ev);
    CHECK_RC(rubric_eval_reset(ev), RUBRIC_OK);
    CHECK_RC(rubric_eval_set_fact(ev, "done", "9"), RUBRIC_OK);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_ERROR_INTERRUPTED);
    CHECK_RC(rubric_eval_run(ev), RUBRIC_OK);

    rubric_eval_free(ev);
    rubric_program_free(prog);
}

/* A long batch on one thread, interrupted from another. The handler (every 1000 entities)
 * tells the main thread that the batch is under way and waits until the interrupt has been
 * sent, so the interrupt always lands inside the call, never before or after it. */
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int started, sent, handler_calls;

static int wait_for_interrupt(void* arg) {
    (void)arg;
    pthread_mutex_lock(&m);
    ++handler_calls;
    started = 1;
    pthread_cond_broadcast(&cv);
    while (!sent) pthread_cond_wait(&cv, &m);
    pthread_mutex_unlock(&m);
    return 0; /* never cancels: only the interrupt does */
}

struct batch_job {
    rubric_eval* ev;
    const char* facts;
    char* out;
    int rc;
};

static void* run_batch(void* arg) {
    struct batch_job* j = (struct batch_job*)arg;
    j->rc = rubric_eval_batch(j->ev, NULL, j->facts, RUBRIC_NUL_TERMINATED, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_JSONL, 0,
                              &j->out, NULL);
    return NULL;
}

static void test_interrupt_from_thread(void) {
    rubric_program* prog = compile(plain_rubric);
    char* facts = units(200000, "done", "");
    struct batch_job job;
    pthread_t t;
    memset(&job, 0, sizeof job);
    CHECK_RC(rubric_eval_new(prog, &job.ev), RUBRIC_OK);
    job.facts = facts;
    CHECK_RC(rubric_eval_progress_handler(job.ev, 1000, wait_for_interrupt, NULL), RUBRIC_OK);
    if (pthread_create(&t, NULL, run_batch, &job) != 0) exit(2);

    pthread_mutex_lock(&m);
    while (!started) pthread_cond_wait(&cv, &m);
    rubric_interrupt(job.ev); /* from this thread, while the batch runs */
    sent = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);

    CHECK_RC(job.rc, RUBRIC_ERROR_INTERRUPTED);
    CHECK(job.out == NULL);
    CHECK(handler_calls == 1); /* cancelled at the entity after the first call (1001), long before the end */

    /* The context scores the next batch. */
    CHECK_RC(rubric_eval_progress_handler(job.ev, 1, NULL, NULL), RUBRIC_OK);
    CHECK_RC(rubric_eval_batch(job.ev, NULL, "{\"entity\": \"x\", \"done\": 9}", RUBRIC_NUL_TERMINATED,
                               RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_CSV, 0, &job.out, NULL),
             RUBRIC_OK);
    CHECK(job.out && strstr(job.out, "\r\nx,,2,0,2,0\r\n"));
    rubric_free(job.out);

    rubric_eval_free(job.ev);
    rubric_program_free(prog);
    free(facts);
}

int main(void) {
    test_handler();
    test_interrupt_before();
    test_interrupt_from_thread();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
