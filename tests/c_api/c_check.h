/*
 * c_check.h: the checks of the C interface's tests (c_api_test.c, cancel_test.c), as C99
 * macros: each counts into `passed` or `failed` and prints what failed with its line. The
 * test prints "N passed, N failed" at the end.
 */
#ifndef RUBRIC_TESTS_C_CHECK_H
#define RUBRIC_TESTS_C_CHECK_H

#include <stdio.h>
#include <string.h>

#include "rubric/rubric.h"

static int passed, failed;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (cond) {                                                           \
            ++passed;                                                         \
        } else {                                                              \
            ++failed;                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                     \
    } while (0)

#define CHECK_RC(call, expected)                                                               \
    do {                                                                                       \
        int rc_ = (call);                                                                      \
        if (rc_ == (expected)) {                                                               \
            ++passed;                                                                          \
        } else {                                                                               \
            ++failed;                                                                          \
            fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s)\n", __FILE__, __LINE__, #call, rc_, \
                    rubric_status_string(rc_), (expected), rubric_status_string(expected));    \
        }                                                                                      \
    } while (0)

#define CHECK_STR(actual, expected)                                                              \
    do {                                                                                         \
        const char* a_ = (actual);                                                               \
        const char* e_ = (expected);                                                             \
        if (a_ && strcmp(a_, e_) == 0) {                                                         \
            ++passed;                                                                            \
        } else {                                                                                 \
            ++failed;                                                                            \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, \
                    a_ ? a_ : "(null)", e_);                                                     \
        }                                                                                        \
    } while (0)

#define CHECK_CONTAINS(actual, needle)                                                          \
    do {                                                                                        \
        const char* a_ = (actual);                                                              \
        if (a_ && strstr(a_, (needle))) {                                                       \
            ++passed;                                                                           \
        } else {                                                                                \
            ++failed;                                                                           \
            fprintf(stderr, "%s:%d: %s (\"%s\") does not contain \"%s\"\n", __FILE__, __LINE__, #actual, \
                    a_ ? a_ : "(null)", (needle));                                              \
        }                                                                                       \
    } while (0)

#endif
