/*
 * threads_test.c: one compiled program shared by many threads.
 *
 *   threads_test RUBRIC [THREADS [EVALUATIONS_PER_THREAD]]     (default 16 × 10000)
 *
 * Evaluation number n (0 .. THREADS*EVALUATIONS-1) gets its own facts, made up
 * deterministically from n for every input of the rubric (a bool, a count, a
 * percent, a choice, a list, or left missing). The test scores all of them
 * twice: first in this thread alone, in order; then in THREADS threads at once,
 * thread t taking n = t*EVALUATIONS .. (t+1)*EVALUATIONS-1, each with its own
 * evaluation context on the one shared program. For every n it keeps a digest
 * (FNV-1a) of the exact score of every node, the total and the bonus; the two
 * runs must agree on every digest. Run it under ThreadSanitizer too (.ci/bindings).
 *
 * So that it cannot pass by scoring nothing, every evaluation also checks one
 * rule by hand (with the 广汉 rubric): 1.1.1 "出台相关文件的，加1分" scores 1 when
 * decision_rules_doc is true and 0 otherwise; and the single-threaded run must
 * produce many different digests.
 *
 * Prints "N passed, N failed".
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric/rubric.h"

typedef struct {
    const char* name;
    const char* type;
    const char* element;
    size_t choices;
    long lo, hi; /* for counts with a declared range; hi < lo when none */
} input_info;

static const rubric_program* prog;
static input_info* inputs;
static size_t input_count;
static size_t node_count;
static size_t anchor_node = RUBRIC_NONE, anchor_input = RUBRIC_NONE;
static long evals_per_thread = 10000;
static uint64_t* digest_single;
static uint64_t* digest_threads;
static pthread_barrier_t start_line;
static long anchor_failures; /* counted under the lock below */
static pthread_mutex_t anchor_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t mix(uint64_t x) { /* splitmix64 */
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static uint64_t fnv(uint64_t h, const char* s) {
    for (; *s; ++s) h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
    return (h ^ 0xFF) * 0x100000001B3ull; /* a separator */
}

/* The text of input i for evaluation n, or NULL to leave it missing. */
static const char* fact_text(const input_info* in, size_t i, uint64_t n, char* buf, size_t cap) {
    static const char* const decimals[] = {"0", "0.1", "0.25", "0.5", "1", "2", "3.125", "12"};
    const uint64_t h = mix(n * 1000003u + i);
    if ((h & 7) == 0) return NULL; /* one in eight is missing */
    if (strcmp(in->type, "bool") == 0) return (h >> 3) & 1 ? "true" : "false";
    if (strcmp(in->type, "count") == 0) {
        long v = in->hi >= in->lo ? in->lo + (long)((h >> 3) % (uint64_t)(in->hi - in->lo + 1)) : (long)((h >> 3) % 2000);
        snprintf(buf, cap, "%ld", v);
        return buf;
    }
    if (strcmp(in->type, "percent") == 0) {
        unsigned v = (unsigned)((h >> 3) % 1001); /* 0.0% .. 100.0% */
        snprintf(buf, cap, "%u.%u%%", v / 10, v % 10);
        return buf;
    }
    if (strcmp(in->type, "choice") == 0) return rubric_input_choice(prog, i, (size_t)((h >> 3) % in->choices));
    if (strcmp(in->type, "list") == 0) {
        snprintf(buf, cap, "[%u%%; %u%%; %u%%]", (unsigned)((h >> 3) % 101), (unsigned)((h >> 10) % 101),
                 (unsigned)((h >> 17) % 101));
        return buf;
    }
    return decimals[(h >> 3) % 8]; /* decimal, judged: may be out of range (then missing) */
}

/* Scores evaluation n in `ev`; returns its digest. */
static uint64_t score_one(rubric_eval* ev, uint64_t n) {
    char buf[64];
    const char *exact, *rounded;
    const char* anchor_fact = NULL;
    uint64_t h = 0xCBF29CE484222325ull;
    size_t i;
    int rc;
    if (rubric_eval_reset(ev) != RUBRIC_OK) return 0;
    for (i = 0; i < input_count; ++i) {
        const char* text = fact_text(&inputs[i], i, n, buf, sizeof buf);
        if (!text) continue;
        rc = rubric_eval_set_fact(ev, inputs[i].name, text);
        if (rc != RUBRIC_OK && rc != RUBRIC_ERROR_FACT) return 0; /* a bad value stays missing */
        if (i == anchor_input && rc == RUBRIC_OK) anchor_fact = text;
    }
    if (rubric_eval_run(ev) != RUBRIC_OK) return fnv(h, rubric_eval_errmsg(ev));
    for (i = 0; i < node_count; ++i) {
        if (rubric_eval_score_at(ev, i, &exact, NULL) != RUBRIC_OK) return 0;
        h = fnv(h, exact);
        if (i == anchor_node) {
            /* 1.1.1: 出台相关文件的，加1分 — 1 when the document exists, else 0. */
            const char* want = anchor_fact && strcmp(anchor_fact, "true") == 0 ? "1" : "0";
            if (strcmp(exact, want) != 0) {
                pthread_mutex_lock(&anchor_lock);
                ++anchor_failures;
                pthread_mutex_unlock(&anchor_lock);
            }
        }
    }
    if (rubric_eval_total(ev, &exact, &rounded) != RUBRIC_OK) return 0;
    h = fnv(fnv(h, exact), rounded);
    if (rubric_eval_bonus(ev, &exact, NULL) != RUBRIC_OK) return 0;
    return fnv(h, exact);
}

static void* worker(void* arg) {
    const long t = (long)(intptr_t)arg;
    rubric_eval* ev = NULL;
    long k;
    if (rubric_eval_new(prog, &ev) != RUBRIC_OK) return (void*)1;
    pthread_barrier_wait(&start_line); /* all threads evaluate at the same time */
    for (k = 0; k < evals_per_thread; ++k) {
        const uint64_t n = (uint64_t)(t * evals_per_thread + k);
        digest_threads[n] = score_one(ev, n);
    }
    rubric_eval_free(ev);
    return NULL;
}

static int compare_u64(const void* a, const void* b) {
    const uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
    rubric_program* p = NULL;
    rubric_eval* ev = NULL;
    long threads = 16, total, n, distinct = 0, mismatches = 0, zero = 0;
    int passed = 0, failed = 0;
    pthread_t* ids;
    uint64_t* sorted;
    size_t i;

    if (argc < 2) {
        fprintf(stderr, "usage: threads_test RUBRIC [THREADS [EVALUATIONS]]\n");
        return 2;
    }
    if (argc > 2) threads = atol(argv[2]);
    if (argc > 3) evals_per_thread = atol(argv[3]);
    if (threads < 1 || evals_per_thread < 1) return 2;
    total = threads * evals_per_thread;

    if (rubric_compile_file(argv[1], 0, &p) != RUBRIC_OK) {
        fprintf(stderr, "%s", p ? rubric_diags_rendered(p) : "out of memory\n");
        rubric_program_free(p);
        return 2;
    }
    prog = p;
    node_count = rubric_node_count(prog);
    input_count = rubric_input_count(prog);
    inputs = (input_info*)calloc(input_count ? input_count : 1, sizeof *inputs);
    digest_single = (uint64_t*)calloc((size_t)total, sizeof *digest_single);
    digest_threads = (uint64_t*)calloc((size_t)total, sizeof *digest_threads);
    sorted = (uint64_t*)calloc((size_t)total, sizeof *sorted);
    ids = (pthread_t*)calloc((size_t)threads, sizeof *ids);
    if (!inputs || !digest_single || !digest_threads || !sorted || !ids) return 2;
    for (i = 0; i < input_count; ++i) {
        const char* range = rubric_input_range(prog, i);
        inputs[i].name = rubric_input_name(prog, i);
        inputs[i].type = rubric_input_type(prog, i);
        inputs[i].element = rubric_input_element_type(prog, i);
        inputs[i].choices = rubric_input_choice_count(prog, i);
        inputs[i].lo = 0;
        inputs[i].hi = -1;
        if (strcmp(inputs[i].type, "count") == 0 && range[0] && sscanf(range, "%ld..%ld", &inputs[i].lo, &inputs[i].hi) != 2)
            inputs[i].hi = -1, inputs[i].lo = 0;
    }
    if (rubric_node_find(prog, "1.1.1", &anchor_node) != RUBRIC_OK ||
        rubric_input_find(prog, "decision_rules_doc", &anchor_input) != RUBRIC_OK)
        anchor_node = anchor_input = RUBRIC_NONE; /* another rubric: no hand-checked rule */

    /* 1. One thread, in order: the reference. */
    if (rubric_eval_new(prog, &ev) != RUBRIC_OK) return 2;
    for (n = 0; n < total; ++n) digest_single[n] = score_one(ev, (uint64_t)n);
    rubric_eval_free(ev);

    /* 2. THREADS threads at once on the same program. */
    if (pthread_barrier_init(&start_line, NULL, (unsigned)threads) != 0) return 2;
    for (n = 0; n < threads; ++n)
        if (pthread_create(&ids[n], NULL, worker, (void*)(intptr_t)n) != 0) return 2;
    for (n = 0; n < threads; ++n) {
        void* r = NULL;
        pthread_join(ids[n], &r);
        if (r) ++failed, fprintf(stderr, "thread %ld could not create its context\n", n);
    }
    pthread_barrier_destroy(&start_line);

    for (n = 0; n < total; ++n) {
        if (digest_single[n] == 0) ++zero;
        if (digest_single[n] != digest_threads[n]) {
            if (mismatches++ < 10) fprintf(stderr, "evaluation %ld differs between the runs\n", n);
        }
    }
    memcpy(sorted, digest_single, (size_t)total * sizeof *sorted);
    qsort(sorted, (size_t)total, sizeof *sorted, compare_u64);
    for (n = 0; n < total; ++n) distinct += n == 0 || sorted[n] != sorted[n - 1];

    printf("%ld threads x %ld evaluations, %ld nodes, %ld inputs: %ld distinct results, %ld mismatches\n", threads,
           evals_per_thread, (long)node_count, (long)input_count, distinct, mismatches);
    if (mismatches == 0) ++passed; else ++failed;
    if (zero == 0) ++passed; else ++failed, fprintf(stderr, "%ld evaluations failed to run\n", zero);
    /* Random facts over ~140 inputs: nearly every evaluation differs. */
    if (distinct * 2 > total) ++passed;
    else ++failed, fprintf(stderr, "only %ld distinct results: the facts do not vary\n", distinct);
    if (anchor_node != RUBRIC_NONE) {
        if (anchor_failures == 0) ++passed;
        else ++failed, fprintf(stderr, "1.1.1 was scored wrongly %ld times\n", anchor_failures);
    }
    printf("%d passed, %d failed\n", passed, failed);

    rubric_program_free(p);
    free(inputs);
    free(digest_single);
    free(digest_threads);
    free(sorted);
    free(ids);
    return failed ? 1 : 0;
}
