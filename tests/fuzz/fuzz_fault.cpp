// Fuzz target 10: allocation failures (issue 18, "fault injection") on fuzzed rubrics and facts,
// through the C ABI. The fuzzer picks the rubric, the facts and which allocation fails.
//
// Input layout:  FLAGS N0 N1 RUBRIC-TEXT [ "\n@facts\n" FACTS ]
// FLAGS is one byte:
//   bits 0-1  facts format of the batch: 0 CSV, 1 JSON, 2 and 3 JSON lines
//   bit 2     RUBRIC_BATCH_SKIP_BAD     bit 3  RUBRIC_BATCH_ALLOW_UNKNOWN
//   bit 4     batch output CSV (else JSON lines)
//   bit 5     also score one unit alone (no facts given: each as the rubric's missing policy
//             says) and explain it: rubric_eval_run, rubric_eval_result_json,
//             rubric_eval_explain_json
//   bits 6-7  where the fault lands: 0 anywhere, 1 the compile, 2 rubric_eval_new and the
//             batch, 3 the unit alone (the compile makes most allocations: without this, few
//             faults would land in the scoring)
// N0 N1 (little-endian) choose the allocation that fails: the (N mod T)th of the T allocations
// that the chosen calls make in the same session without faults (so the fault always lands;
// when those calls make none, it lands anywhere).
//
// RUBRIC_FUZZ_DUMP=1 prints which allocation failed in which call, and what the call gave.
//
// A session: rubric_compile, rubric_eval_new, rubric_eval_batch over FACTS (and the unit alone).
// It runs three times: once to warm up (what the library makes once, such as the message
// catalog, is made), once counting its allocations (the reference), and once with allocation
// number N failing (operator new throws std::bad_alloc, as an exhausted heap does; counted on
// this thread only).
//
// Properties, beyond "no crash, no leak (LeakSanitizer, every input), no sanitizer report":
//   * exactly the chosen allocation fails; every call before the one that made it gives what
//     it gave in the reference;
//   * the call that made it returns RUBRIC_ERROR_NOMEM, with no result (a failed allocation
//     is never an internal error, a syntax error, a bad fact or a crash), unless it gives
//     exactly its reference result (a failure the library may absorb, as a cache would) or
//     its reference status with the message "out of memory (while storing an error message)";
//   * the state is usable after it: without faults, the same call on the same handles (the
//     context made before the failure) and every call after it give the reference results.
#include "../fault/alloc_fault.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"
#include "rubric/rubric.h"

namespace {

using rubric_fuzz::as_text;

// What one call gave: its status and what it returned (text copied at once).
struct outcome {
    int status = -1;
    std::string text;
    bool operator==(const outcome& o) const { return status == o.status && text == o.text; }
};

std::string describe(const outcome& o) {
    return "status " + std::to_string(o.status) + " (" + rubric_status_string(o.status) + "), `" + o.text.substr(0, 400) +
           (o.text.size() > 400 ? "…" : "") + "`";
}

struct input {
    std::string text;
    std::string_view facts;
    int in_format = RUBRIC_FORMAT_CSV;
    int out_format = RUBRIC_FORMAT_JSONL;
    unsigned batch_flags = 0;
    bool alone = false;
};

// The session's handles, kept across its calls so that a call can be made again on them.
struct session {
    const input& in;
    rubric_program* prog = nullptr;
    rubric_eval* ev = nullptr;
    explicit session(const input& i) : in(i) {}
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    ~session() {
        rubric_eval_free(ev);
        rubric_program_free(prog);
    }

    // The number of calls a session makes (the last ones only when the one before succeeded).
    static constexpr int calls = 6;

    // Call number k (0-based). Only the library's allocations are counted: counting is on
    // from the call into the library to its return (lib()), not while the outcome is built.
    outcome call(int k) {
        outcome o;
        auto disarm = [] { alloc_fault::on_this_thread = false; };
        alloc_fault::on_this_thread = true;
        switch (k) {
            case 0: {
                rubric_program_free(prog);
                prog = nullptr;
                o.status = rubric_compile("fuzz.rubric", in.text.data(), in.text.size(), 0, &prog);
                disarm();
                FUZZ_CHECK(o.status == RUBRIC_ERROR_NOMEM || prog != nullptr, "rubric_compile gave no handle");
                if (prog) {
                    FUZZ_CHECK(rubric_program_status(prog) == o.status, "rubric_program_status differs from the compile's");
                    o.text = std::to_string(rubric_diag_count(prog)) + " diagnostics\n" + rubric_diags_rendered(prog);
                }
                break;
            }
            case 1: {
                rubric_eval_free(ev);
                ev = nullptr;
                o.status = rubric_eval_new(prog, &ev);
                disarm();
                FUZZ_CHECK((o.status == RUBRIC_OK) == (ev != nullptr), "rubric_eval_new: status and handle disagree");
                break;
            }
            case 2: {
                char* out = reinterpret_cast<char*>(1);
                std::size_t len = 12345;
                o.status = rubric_eval_batch(ev, "fuzz.facts", in.facts.data(), in.facts.size(), in.in_format, in.out_format,
                                             in.batch_flags, &out, &len);
                disarm();
                if (o.status == RUBRIC_OK) {
                    FUZZ_CHECK(out != nullptr && std::strlen(out) == len, "batch: NULL or wrong length");
                    o.text.assign(out, len);
                    rubric_free(out);
                } else {
                    FUZZ_CHECK(out == nullptr, "batch failed but *out is not NULL");
                    o.text = rubric_eval_errmsg(ev);
                }
                break;
            }
            case 3: {
                if (!in.alone) return disarm(), o;  // not made: status -1 every time
                o.status = rubric_eval_run(ev);
                disarm();
                o.text = o.status == RUBRIC_OK ? "" : rubric_eval_errmsg(ev);
                break;
            }
            case 4:
            case 5: {
                if (!in.alone) return disarm(), o;
                const char* text = nullptr;
                std::size_t len = 0;
                o.status = k == 4 ? rubric_eval_result_json(ev, &text, &len) : rubric_eval_explain_json(ev, &text, &len);
                disarm();
                if (o.status == RUBRIC_OK) {
                    FUZZ_CHECK(text != nullptr && std::strlen(text) == len, "result or explanation: NULL or wrong length");
                    o.text.assign(text, len);
                } else {
                    o.text = rubric_eval_errmsg(ev);
                }
                break;
            }
            default: disarm(); break;
        }
        return o;
    }

    // Whether call k is made after the outcomes of the calls before it.
    static bool goes_on(int k, const std::vector<outcome>& before) {
        if (k == 0) return true;
        if (k == 1) return before[0].status == RUBRIC_OK;
        if (k <= 3) return before[1].status == RUBRIC_OK;
        return before[3].status == RUBRIC_OK;  // the result and explanation of a scored unit
    }
};

// Runs every call of the session; allocs[k] receives the allocations that call k made.
std::vector<outcome> run_session(session& s, std::vector<long>* allocs = nullptr) {
    std::vector<outcome> out;
    for (int k = 0; k < session::calls && session::goes_on(k, out); ++k) {
        const long before = alloc_fault::count.load();
        out.push_back(s.call(k));
        if (allocs) allocs->push_back(alloc_fault::count.load() - before);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    input in;
    const std::uint8_t flags = data[0];
    const unsigned pick = static_cast<unsigned>(data[1]) | (static_cast<unsigned>(data[2]) << 8);
    const std::string_view rest = as_text(data + 3, size - 3);
    std::string_view text = rest;
    if (const std::size_t cut = rest.find(rubric_fuzz::facts_separator); cut != std::string_view::npos) {
        text = rest.substr(0, cut);
        in.facts = rest.substr(cut + rubric_fuzz::facts_separator.size());
    }
    in.text.assign(text);
    static const int formats[4] = {RUBRIC_FORMAT_CSV, RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_JSONL, RUBRIC_FORMAT_JSONL};
    in.in_format = formats[flags & 3];
    in.batch_flags = ((flags & 4) ? RUBRIC_BATCH_SKIP_BAD : 0u) | ((flags & 8) ? RUBRIC_BATCH_ALLOW_UNKNOWN : 0u);
    in.out_format = (flags & 16) ? RUBRIC_FORMAT_CSV : RUBRIC_FORMAT_JSONL;
    in.alone = (flags & 32) != 0;

    alloc_fault::one_thread = true;  // and on_this_thread only inside the library's calls
    // 1. Warm-up; 2. the reference, counted.
    {
        session warm(in);
        (void)run_session(warm);
    }
    alloc_fault::arm(0);
    std::vector<outcome> ref;
    std::vector<long> allocs;
    long total = 0;
    {
        session s(in);
        ref = run_session(s, &allocs);
        total = alloc_fault::count.load();
    }
    if (total == 0) return 0;
    // The calls the fault may land in: [first, last).
    static const int ranges[4][2] = {{0, session::calls}, {0, 1}, {1, 3}, {3, session::calls}};
    long skip = 0, span = 0;
    for (int k = 0; k < static_cast<int>(allocs.size()); ++k) {
        if (k < ranges[flags >> 6][0]) skip += allocs[k];
        else if (k < ranges[flags >> 6][1]) span += allocs[k];
    }
    if (span == 0) skip = 0, span = total;
    const long n = skip + 1 + static_cast<long>(pick) % span;

    // 3. Allocation n fails.
    session s(in);
    std::vector<outcome> got;
    int failed_call = -1;
    alloc_fault::arm(n);
    for (int k = 0; k < session::calls && session::goes_on(k, got); ++k) {
        const long failed_before = alloc_fault::failed.load();
        outcome o = s.call(k);
        const bool this_one = alloc_fault::failed.load() > failed_before;
        const std::string where = "allocation " + std::to_string(n) + " of " + std::to_string(total) + " failing, call " +
                                  std::to_string(k);
        FUZZ_CHECK(k < static_cast<int>(ref.size()), where + ": a call the reference did not make");
        if (!this_one) {
            FUZZ_CHECK(o == ref[k], where + ", before the failure, differs:\n  reference: " + describe(ref[k]) +
                                        "\n  this time: " + describe(o));
            got.push_back(o);
            continue;
        }
        // The one allocation of a failed call may be its message's: the status stays, the message
        // says so (set_error's documented fallback).
        const bool message_lost = o.status == ref[k].status && o.text == "out of memory (while storing an error message)";
        FUZZ_CHECK(o.status == RUBRIC_ERROR_NOMEM || o == ref[k] || message_lost,
                   where + ": the failed allocation gave neither RUBRIC_ERROR_NOMEM nor the reference result:\n  reference: " +
                       describe(ref[k]) + "\n  this time: " + describe(o));
        got.push_back(o);
        failed_call = k;
        if (std::getenv("RUBRIC_FUZZ_DUMP"))
            std::fprintf(stderr, "fuzz_fault: allocation %ld of %ld failed in call %d: %s\n", n, total, k, describe(o).c_str());
        break;
    }
    alloc_fault::disarm();
    FUZZ_CHECK(failed_call >= 0 || alloc_fault::failed.load() == 0, "an allocation failed outside the calls");
    FUZZ_CHECK(failed_call >= 0, "allocation " + std::to_string(n) + " of " + std::to_string(total) +
                                     " never came (the session allocates differently from the reference)");

    // 4. Usable after the failure: the failed call again on the same handles, then the rest.
    std::vector<outcome> after(got.begin(), got.begin() + failed_call);
    for (int k = failed_call; k < session::calls && session::goes_on(k, after); ++k) {
        outcome o = s.call(k);
        FUZZ_CHECK(k < static_cast<int>(ref.size()) && o == ref[k],
                   "after allocation " + std::to_string(n) + " failed in call " + std::to_string(failed_call) + ", call " +
                       std::to_string(k) + " again differs:\n  reference: " +
                       (k < static_cast<int>(ref.size()) ? describe(ref[k]) : std::string("(not made)")) +
                       "\n  this time: " + describe(o));
        after.push_back(o);
    }
    FUZZ_CHECK(after.size() == ref.size(), "after the failure the session made " + std::to_string(after.size()) +
                                               " calls, the reference " + std::to_string(ref.size()));
    return 0;
}
