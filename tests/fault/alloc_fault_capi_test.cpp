// alloc_fault_capi_test.cpp: every allocation of a compile, a scoring and a batch through the
// C interface fails in turn (alloc_fault.hpp). For N = 1, 2, … the Nth allocation fails; each
// call must then return RUBRIC_ERROR_NOMEM (a failed allocation is never an internal error, a
// bad fact or a crash), free everything it allocated, and leave a context that was made before
// the call usable: the same call without the fault gives the result it gave before. Once N is
// past the call's last allocation it succeeds. Prints a line per scenario and
// "N passed, N failed".
//
//   alloc_fault_capi_test
#include "alloc_fault.hpp"

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include "rubric/rubric.h"

namespace {

int passed = 0, failed = 0;

void check(bool ok, const std::string& what) {
    if (ok) {
        ++passed;
    } else {
        ++failed;
        if (failed <= 1000) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    }
}

const char rubric_text[] =
    "rubric \"故障\" { total 10  rounding 2 half_up  missing zero }\n"
    "section 1 \"依法行政\" 6 {\n"
    "  item 1.1 \"文件\" 4 { input doc: bool \"规范性文件\"  score if doc then 4 }\n"
    "  item 1.2 \"办结率\" 2 { input rate: percent \"办结率\"  score tier rate >=90%:2 >=60%:1 }\n"
    "}\n"
    "item 2 \"培训\" 4 {\n"
    "  input hours: list of decimal \"培训学时\"\n"
    "  score min(4, count h in hours where h >= 8)\n"
    "}\n";

const char bad_rubric[] =
    "rubric \"错\" { total 2 }\n"
    "item 1 \"未知\" 2 { score if nothing then 2 }\n";

const char cohort_text[] =
    "rubric \"排名\" { total 2 }\n"
    "item 1 \"清欠排名\" 2 {\n"
    "  input repaid: percent \"拖欠账款清偿率\"\n"
    "  score rank repaid higher linear 2..0\n"
    "}\n";

const char facts_csv[] =
    "entity,name,doc,rate,hours\n"
    "u1,甲,true,95%,8;9;2\n"
    "u2,乙,false,61%,\n"
    "u3,丙,是,0.5,10;10;10;10;10\n";

const char cohort_jsonl[] =
    "{\"entity\": \"a\", \"repaid\": \"90%\"}\n"
    "{\"entity\": \"b\", \"repaid\": 0.5}\n"
    "{\"entity\": \"c\", \"repaid\": \"70%\"}\n";

struct outcome {
    int status;
    std::string text;
};

// One call (or a few) through the C interface; `text` is what it gave. A scenario calls
// alloc_fault::disarm() as soon as its calls are made, before it builds `text` (the test's own
// allocations must not fail).
using scenario = std::function<outcome()>;

// Fails allocation 1, 2, … of `run` until it makes fewer allocations than N. `after` (when set)
// is the check that a context made before the faults still works: run again without faults,
// it must give `expected`.
void every_allocation(const char* name, const scenario& run, const outcome& expected) {
    // Once without faults, so that what the library makes once (tables, a catalog) is made.
    const outcome first = run();
    check(first.status == expected.status && first.text == expected.text,
          std::string(name) + ": without faults: status " + std::to_string(first.status) + ", " + first.text);
    long n = 1, nomem = 0;
    for (;; ++n) {
        const long before = alloc_fault::alive.load();
        bool same = false;
        int status = 0;
        char text[512];
        {
            alloc_fault::arm(n);
            const outcome o = run();
            alloc_fault::disarm();
            status = o.status;
            same = o.status == expected.status && o.text == expected.text;
            std::snprintf(text, sizeof text, "%s", o.text.c_str());
        }
        const long leaked = alloc_fault::alive.load() - before;  // the outcome's own text is gone
        const bool hit = alloc_fault::failed.load() > 0;
        const std::string at = std::string(name) + ", allocation " + std::to_string(n) + " failing: ";
        if (!hit) {
            check(same, at + "past the last allocation, yet status " + std::to_string(status) + ": " + text);
            std::printf("%s: %ld allocations, each failed in turn: %ld times RUBRIC_ERROR_NOMEM\n", name, n - 1, nomem);
            break;
        }
        check(status == RUBRIC_ERROR_NOMEM,
              at + "status " + std::to_string(status) + " (" + rubric_status_string(status) + "), not NOMEM: " + text);
        nomem += status == RUBRIC_ERROR_NOMEM;
        check(leaked == 0, at + std::to_string(leaked) + " blocks leaked");
        if (n > 1000000) {
            check(false, std::string(name) + ": more than a million allocations");
            break;
        }
    }
}

rubric_program* compile(const char* text) {
    rubric_program* p = nullptr;
    if (rubric_compile("t.rubric", text, RUBRIC_NUL_TERMINATED, 0, &p) != RUBRIC_OK) {
        std::fputs(rubric_diags_rendered(p), stderr);
        std::exit(2);
    }
    return p;
}

// A program's status and, for a failed one, its first diagnostic's code.
outcome compile_outcome(const char* text) {
    rubric_program* p = nullptr;
    const int rc = rubric_compile("t.rubric", text, RUBRIC_NUL_TERMINATED, 0, &p);
    alloc_fault::disarm();
    std::string t = p ? "handle" : "no handle";
    if (p && rubric_diag_count(p) > 0) t += std::string(", ") + rubric_diag_code(p, 0);
    if (p && rc == RUBRIC_OK) t += ", " + std::to_string(rubric_node_count(p)) + " nodes";
    rubric_program_free(p);
    return {rc, t};
}

// Facts set one by one, scored, read back (a context of its own, made and freed inside).
outcome score_one(const rubric_program* prog) {
    rubric_eval* ev = nullptr;
    int rc = rubric_eval_new(prog, &ev);
    if (rc != RUBRIC_OK) {
        alloc_fault::disarm();
        return {rc, ev ? "handle" : "no handle"};
    }
    const char* exact = nullptr;
    const char* shown = nullptr;
    const char* json = nullptr;
    // rubric_eval_total's strings are overwritten by the next call: copied before it.
    char total[64] = "";
    if ((rc = rubric_eval_set_fact(ev, "doc", "true")) == RUBRIC_OK && (rc = rubric_eval_set_fact(ev, "rate", "75%")) == RUBRIC_OK &&
        (rc = rubric_eval_set_fact(ev, "hours", "[8, 12, 7.5]")) == RUBRIC_OK && (rc = rubric_eval_run(ev)) == RUBRIC_OK &&
        (rc = rubric_eval_total(ev, &exact, &shown)) == RUBRIC_OK) {
        std::snprintf(total, sizeof total, "%s %s", exact, shown);
        rc = rubric_eval_result_json(ev, &json, nullptr);
    }
    alloc_fault::disarm();
    const std::string t = rc == RUBRIC_OK ? std::string(total) + " " + json : std::string(rubric_eval_errmsg(ev));
    rubric_eval_free(ev);
    return {rc, t};
}

outcome batch(rubric_eval* ev, const char* facts, int in_format) {
    char* out = nullptr;
    const int rc = rubric_eval_batch(ev, "facts", facts, RUBRIC_NUL_TERMINATED, in_format, RUBRIC_FORMAT_JSONL, 0, &out, nullptr);
    alloc_fault::disarm();
    std::string t = rc == RUBRIC_OK ? std::string(out) : std::string(rubric_eval_errmsg(ev));
    if (rc != RUBRIC_OK && out) t += " (and a buffer)";
    rubric_free(out);
    return {rc, t};
}

// A batch on a context of its own.
outcome batch_alone(const rubric_program* prog, const char* facts, int in_format) {
    rubric_eval* ev = nullptr;
    const int rc = rubric_eval_new(prog, &ev);
    if (rc != RUBRIC_OK) {
        alloc_fault::disarm();
        return {rc, "no context"};
    }
    outcome o = batch(ev, facts, in_format);
    rubric_eval_free(ev);
    return o;
}

// The same context through every fault: after each failed call it gives the right result.
void context_survives(const char* name, const rubric_program* prog, const char* facts, int in_format, const outcome& expected) {
    rubric_eval* ev = nullptr;
    if (rubric_eval_new(prog, &ev) != RUBRIC_OK) std::exit(2);
    long failures = 0;
    for (long n = 1;; ++n) {
        alloc_fault::arm(n);
        const outcome o = batch(ev, facts, in_format);
        alloc_fault::disarm();
        if (!alloc_fault::failed.load()) break;
        ++failures;
        check(o.status == RUBRIC_ERROR_NOMEM, std::string(name) + ": allocation " + std::to_string(n) + ": status " + std::to_string(o.status));
        check(rubric_eval_errcode(ev) == RUBRIC_ERROR_NOMEM, std::string(name) + ": errcode after allocation " + std::to_string(n));
        const outcome again = batch(ev, facts, in_format);
        check(again.status == expected.status && again.text == expected.text,
              std::string(name) + ": the context after allocation " + std::to_string(n) + " failed gives: " + again.text);
    }
    std::printf("%s: the context scored again correctly after each of %ld failed calls\n", name, failures);
    rubric_eval_free(ev);
}

}  // namespace

int main() {
    every_allocation("compile", [] { return compile_outcome(rubric_text); }, {RUBRIC_OK, "handle, 4 nodes"});
    every_allocation("compile with a checker error", [] { return compile_outcome(bad_rubric); },
                     {RUBRIC_ERROR_CHECK, "handle, E-undeclared"});

    rubric_program* prog = compile(rubric_text);
    rubric_program* ranked = compile(cohort_text);
    // By hand: doc true 4; rate 75% is >= 60%: 1; hours 8, 12 and 7.5: two of them >= 8: 2. Total 7.
    every_allocation("score one unit", [&] { return score_one(prog); },
                     {RUBRIC_OK, "7 7 {\"entity\": \"\", \"total\": \"7\", \"bonus\": \"0\", \"nodes\": {\"1\": \"5\", \"1.1\": \"4\", "
                                 "\"1.2\": \"1\", \"2\": \"2\"}, \"missing\": 0}"});
    // u1: 4 + 2 (95%) + 2 (8 and 9) = 8; u2: 0 + 1 (61%) + 0 = 1, hours missing; u3: 4 + 0 (50%) + 4 (five of 10, at most 4) = 8.
    const outcome batch_expected{RUBRIC_OK,
                                 "{\"entity\": \"u1\", \"name\": \"甲\", \"total\": \"8\", \"bonus\": \"0\", \"nodes\": {\"1\": \"6\", \"1.1\": \"4\", \"1.2\": \"2\", \"2\": \"2\"}, \"missing\": 0}\n"
                                 "{\"entity\": \"u2\", \"name\": \"乙\", \"total\": \"1\", \"bonus\": \"0\", \"nodes\": {\"1\": \"1\", \"1.1\": \"0\", \"1.2\": \"1\", \"2\": \"0\"}, \"missing\": 1, \"missing_inputs\": [\"hours\"]}\n"
                                 "{\"entity\": \"u3\", \"name\": \"丙\", \"total\": \"8\", \"bonus\": \"0\", \"nodes\": {\"1\": \"4\", \"1.1\": \"4\", \"1.2\": \"0\", \"2\": \"4\"}, \"missing\": 0}\n"};
    every_allocation("batch (CSV)", [&] { return batch_alone(prog, facts_csv, RUBRIC_FORMAT_CSV); }, batch_expected);
    // Ranked, higher is better, linear 2..0: a 90% 2, c 70% 1, b 50% 0.
    const outcome cohort_expected{RUBRIC_OK,
                                  "{\"entity\": \"a\", \"total\": \"2\", \"bonus\": \"0\", \"nodes\": {\"1\": \"2\"}, \"missing\": 0}\n"
                                  "{\"entity\": \"b\", \"total\": \"0\", \"bonus\": \"0\", \"nodes\": {\"1\": \"0\"}, \"missing\": 0}\n"
                                  "{\"entity\": \"c\", \"total\": \"1\", \"bonus\": \"0\", \"nodes\": {\"1\": \"1\"}, \"missing\": 0}\n"};
    every_allocation("batch (cohort, JSON lines)", [&] { return batch_alone(ranked, cohort_jsonl, RUBRIC_FORMAT_JSONL); },
                     cohort_expected);
    context_survives("batch on one context", prog, facts_csv, RUBRIC_FORMAT_CSV, batch_expected);
    context_survives("cohort batch on one context", ranked, cohort_jsonl, RUBRIC_FORMAT_JSONL, cohort_expected);

    rubric_program_free(ranked);
    rubric_program_free(prog);
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
