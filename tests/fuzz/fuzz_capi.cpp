// Fuzz target 6: the C ABI (bindings/c/include/rubric/rubric.h) driven by a fuzzed call sequence.
//
// Input layout:  FLAGS RUBRIC-TEXT [ "\n@facts\n" SCRIPT ]
// FLAGS is one byte: bit 0 RUBRIC_COMPILE_WERROR; bit 1 pass the text as NUL-terminated
// (RUBRIC_NUL_TERMINATED: it ends at its first NUL) rather than with its length; bit 2 compile a
// second time and free the first program at once (its contexts must live on).
// SCRIPT is one call per line, "<op>[<context 0-3>]|arg|arg…":
//   n  rubric_eval_new              F  rubric_eval_free          r  rubric_eval_reset
//   e  set_entity(arg1)             f  set_fact(arg1, arg2): arg1 "#k" is the name of input k
//   R  rubric_eval_run              s  score(arg1 code)          a  score_at(arg1 index)
//   t  total and bonus              j  explain_json              x  explain_text
//   c  errcode/errmsg/rubric_errmsg P  rubric_program_free (the contexts stay usable)
//   q  program queries at index arg1 (nodes, inputs, choices, owners, metadata, diagnostics)
//   m  misuse: NULL and wrong handles, NULL arguments, unknown flags and formats
//   b  rubric_eval_batch(in = arg1, out = arg2, flags = arg3) over the rest of the script
// Cancellation (rubric_eval_progress_handler, rubric_interrupt):
//   h  progress handler: every arg2 entities, cancel on its call number arg1 (0: never, only
//      count); arg1 "off" removes it. It stays for the later calls of R and b.
//   i  rubric_interrupt (with no call running: the next cancellable call is cancelled)
//   C  a cancelled batch over the rest of the script, as b with in = arg1, out = arg2,
//      flags = arg3, checked against an uninterrupted one: the handler cancels on its call
//      arg4 (0: never), every arg5 entities, and arg6 non-zero also sends rubric_interrupt first
//   K  a cancelled rubric_eval_run, checked the same way: arg1 0/1 cancel by the handler,
//      arg2 non-zero also rubric_interrupt first
// Lines of facts-file syntax (the eval target's seeds) are mostly unknown ops and are skipped.
//
// Properties: no crash, leak or exception; every status is a documented code; strings said to be
// "never NULL" are not; every successful result is well formed (scores read back as exact
// numbers, JSON parses, a batch buffer is NUL-terminated with the length said); calls after
// rubric_program_free on contexts made from it still work. C and K: a cancelled call returns
// RUBRIC_ERROR_INTERRUPTED (no result, errcode says so) or exactly its uninterrupted result;
// a handler that returns non-zero always cancels, on that very call (the count of calls is the
// uninterrupted call's); and the same call afterwards, uncancelled, gives the uninterrupted
// result again (the context is not corrupted). RUBRIC_FUZZ_DUMP=1 prints what C and K did.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"
#include "rubric/rubric.h"

namespace {

using rubric_fuzz::as_text;

void check_status(int st, const char* call) {
    FUZZ_CHECK(st >= RUBRIC_OK && st <= RUBRIC_ERROR_INTERRUPTED, std::string(call) + " returned " + std::to_string(st));
    FUZZ_CHECK(st != RUBRIC_ERROR_INTERNAL, std::string(call) + " returned RUBRIC_ERROR_INTERNAL (a bug)");
    FUZZ_CHECK(rubric_status_string(st) != nullptr, "rubric_status_string is NULL");
}

void check_number(const char* s, const char* what) {
    FUZZ_CHECK(s != nullptr, std::string(what) + " is NULL after RUBRIC_OK");
    rubric::decimal d;
    FUZZ_CHECK(rubric::decimal::parse(s, d, nullptr, {100000, 100000}) ||
                   rubric::decimal::parse_fraction(s, d, nullptr, {100000, 100000}),
               std::string(what) + " is not an exact number: `" + s + "`");
}

std::size_t to_index(std::string_view s) {
    std::size_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') break;
        v = v * 10 + static_cast<std::size_t>(c - '0');
        if (v > 1000000) break;
    }
    if (s == "none") return RUBRIC_NONE;
    return v;
}

// A progress handler's state: counts its calls, cancels on call number cancel_at (0: never).
struct canceller {
    int calls = 0;
    int cancel_at = 0;
};

int count_and_cancel(void* arg) {
    auto* c = static_cast<canceller*>(arg);
    return ++c->calls == c->cancel_at ? 1 : 0;
}

struct state {
    rubric_program* prog = nullptr;          // null after 'P'
    const rubric_program* any_prog = nullptr;  // for misuse calls before 'P' only
    rubric_eval* ev[4] = {nullptr, nullptr, nullptr, nullptr};
    canceller cancel[4];
};

// What a call gave: its status and its result (the batch's buffer, or the run's JSON line).
struct outcome {
    int status = -1;
    std::string result;
    bool operator==(const outcome& o) const { return status == o.status && result == o.result; }
};

std::string describe(const outcome& o) {
    return "status " + std::to_string(o.status) + " (" + rubric_status_string(o.status) + "), result `" +
           o.result.substr(0, 300) + "`";
}

// Checks the three runs of a cancelled call (C, K): `call` runs it once with the context as it
// is. The handler cancels on its call number cancel_at (0: never); `interrupt` also sends
// rubric_interrupt before the cancelled run.
template <class Call>
void check_cancelled(rubric_eval* ev, canceller& c, int cancel_at, unsigned every, bool interrupt, Call call,
                     const char* what) {
    const std::string w(what);
    // 1. Uninterrupted, counting the handler's calls. An interrupt sent earlier ('i') may still
    //    be pending: it cancels this run, and the run after is the reference.
    c = canceller{};
    check_status(rubric_eval_progress_handler(ev, every, count_and_cancel, &c), "rubric_eval_progress_handler");
    outcome ref = call();
    if (ref.status == RUBRIC_ERROR_INTERRUPTED) {
        c = canceller{};
        ref = call();
    }
    FUZZ_CHECK(ref.status != RUBRIC_ERROR_INTERRUPTED, w + ": interrupted with no handler cancelling and no interrupt");
    const int asked = c.calls;

    // 2. Cancelled: by the handler on its call cancel_at, and/or by an interrupt sent before.
    c = canceller{};
    c.cancel_at = cancel_at;
    if (interrupt) rubric_interrupt(ev);
    const outcome cut = call();
    if (std::getenv("RUBRIC_FUZZ_DUMP"))
        std::fprintf(stderr, "%s: handler asked %d times uncancelled; cancelling on call %d%s: %s\n", what, asked, cancel_at,
                     interrupt ? " and an interrupt" : "", describe(cut).c_str());
    if (cut.status == RUBRIC_ERROR_INTERRUPTED) {
        FUZZ_CHECK(cut.result.empty(), w + ": a cancelled call gave a result");
        FUZZ_CHECK(rubric_eval_errcode(ev) == RUBRIC_ERROR_INTERRUPTED, w + ": errcode is not RUBRIC_ERROR_INTERRUPTED");
        // Cancelled by the handler, it was asked exactly cancel_at times (the interrupt is
        // checked first, so an interrupted call may have asked it fewer times).
        if (!interrupt) FUZZ_CHECK(cancel_at >= 1 && cancel_at <= asked && c.calls == cancel_at,
                                   w + ": cancelled by a handler that returned 0 (asked " + std::to_string(c.calls) +
                                       " times, cancelling on call " + std::to_string(cancel_at) + " of " +
                                       std::to_string(asked) + ")");
    } else {
        FUZZ_CHECK(cut == ref, w + ": not cancelled, yet not the uninterrupted result:\n  uninterrupted: " +
                                   describe(ref) + "\n  this time: " + describe(cut));
        // The handler asked for a cancel on a call that came: the call must stop there. (An
        // interrupt, in turn, is only seen by a call that checks: one with no entity may not.)
        FUZZ_CHECK(!(cancel_at >= 1 && cancel_at <= asked),
                   w + ": the handler returned non-zero on call " + std::to_string(cancel_at) + " of " +
                       std::to_string(asked) + " and the call went on");
    }

    // 3. The same call again, nothing cancelling: the uninterrupted result. (An interrupt that
    //    no check saw in run 2 is still pending: it cancels one more run.)
    check_status(rubric_eval_progress_handler(ev, 0, nullptr, nullptr), "rubric_eval_progress_handler (remove)");
    outcome again = call();
    if (again.status == RUBRIC_ERROR_INTERRUPTED && interrupt && cut.status != RUBRIC_ERROR_INTERRUPTED) again = call();
    FUZZ_CHECK(again == ref, w + ": after a cancelled call the same call gives another result:\n  before: " +
                                 describe(ref) + "\n  after: " + describe(again));
    c = canceller{};
}

void queries(const rubric_program* p, std::size_t i) {
    (void)rubric_program_title(p);
    (void)rubric_program_total_points(p);
    (void)rubric_program_display_places(p);
    const std::size_t nn = rubric_node_count(p);
    const std::size_t ni = rubric_input_count(p);
    const std::size_t nd = rubric_diag_count(p);
    for (std::size_t k : {i, nn ? i % nn : i, nn, RUBRIC_NONE}) {
        (void)rubric_node_kind(p, k);
        (void)rubric_node_code(p, k);
        (void)rubric_node_name(p, k);
        (void)rubric_node_points(p, k);
        (void)rubric_node_parent(p, k);
        const std::size_t nc = rubric_node_child_count(p, k);
        (void)rubric_node_child(p, k, nc);
        if (nc) FUZZ_CHECK(rubric_node_child(p, k, nc - 1) < nn, "a child index out of range");
        for (int f = -1; f <= 8; ++f) (void)rubric_node_meta(p, k, f);
        for (int role = -1; role <= 2; ++role) {
            const std::size_t no = rubric_node_owner_count(p, k, role);
            (void)rubric_node_owner(p, k, role, no);
            if (no) FUZZ_CHECK(rubric_node_owner(p, k, role, no - 1) != nullptr, "an owner is NULL");
        }
        if (const char* code = rubric_node_code(p, k); code && k < nn) {
            std::size_t found = RUBRIC_NONE;
            const int st = rubric_node_find(p, code, &found);
            check_status(st, "rubric_node_find");
            FUZZ_CHECK(st == RUBRIC_OK && found < nn, std::string("rubric_node_find cannot find `") + code + "`");
        }
    }
    for (std::size_t k : {i, ni ? i % ni : i, ni, RUBRIC_NONE}) {
        const char* name = rubric_input_name(p, k);
        (void)rubric_input_type(p, k);
        (void)rubric_input_element_type(p, k);
        (void)rubric_input_label(p, k);
        (void)rubric_input_range(p, k);
        (void)rubric_input_required(p, k);
        (void)rubric_input_node(p, k);
        const std::size_t nch = rubric_input_choice_count(p, k);
        (void)rubric_input_choice(p, k, nch);
        if (nch) FUZZ_CHECK(rubric_input_choice(p, k, nch - 1) != nullptr, "a choice is NULL");
        if (name && k < ni) {
            std::size_t found = RUBRIC_NONE;
            const int st = rubric_input_find(p, name, &found);
            check_status(st, "rubric_input_find");
            FUZZ_CHECK(st == RUBRIC_OK && found == k, std::string("rubric_input_find cannot find `") + name + "`");
        }
    }
    for (std::size_t k : {i, nd ? i % nd : i, nd}) {
        (void)rubric_diag_severity(p, k);
        (void)rubric_diag_line(p, k);
        (void)rubric_diag_column(p, k);
        (void)rubric_diag_file(p, k);
        (void)rubric_diag_code(p, k);
        (void)rubric_diag_message(p, k);
        (void)rubric_diag_expected(p, k);
        (void)rubric_diag_rendered(p, k);
    }
    FUZZ_CHECK(rubric_program_errmsg(p) != nullptr, "rubric_program_errmsg is NULL");
    (void)rubric_diags_rendered(p);
}

void misuse(state& s, rubric_eval* ev) {
    FUZZ_CHECK(rubric_eval_run(nullptr) == RUBRIC_ERROR_MISUSE, "rubric_eval_run(NULL)");
    FUZZ_CHECK(rubric_eval_set_fact(nullptr, "a", "1") == RUBRIC_ERROR_MISUSE, "rubric_eval_set_fact(NULL, …)");
    FUZZ_CHECK(rubric_eval_errcode(nullptr) == RUBRIC_ERROR_MISUSE, "rubric_eval_errcode(NULL)");
    FUZZ_CHECK(rubric_eval_errmsg(nullptr) != nullptr, "rubric_eval_errmsg(NULL) is NULL");
    FUZZ_CHECK(rubric_errmsg(nullptr) != nullptr, "rubric_errmsg(NULL) is NULL");
    FUZZ_CHECK(rubric_program_status(nullptr) == RUBRIC_ERROR_MISUSE, "rubric_program_status(NULL)");
    FUZZ_CHECK(rubric_compile("x", nullptr, 0, 0, nullptr) == RUBRIC_ERROR_MISUSE, "rubric_compile(NULL out)");
    rubric_program* p = reinterpret_cast<rubric_program*>(1);
    FUZZ_CHECK(rubric_compile("x", "", 0, 0x80u, &p) == RUBRIC_ERROR_MISUSE, "rubric_compile with unknown flags");
    rubric_program_free(p);  // a failed handle, or NULL
    rubric_eval* e = reinterpret_cast<rubric_eval*>(1);
    FUZZ_CHECK(rubric_eval_new(nullptr, &e) == RUBRIC_ERROR_MISUSE && e == nullptr, "rubric_eval_new(NULL)");
    rubric_program_free(nullptr);
    rubric_eval_free(nullptr);
    rubric_free(nullptr);
    if (s.prog) {
        // A program handle passed where a context is expected is told apart by its tag.
        FUZZ_CHECK(rubric_eval_run(reinterpret_cast<rubric_eval*>(s.prog)) == RUBRIC_ERROR_MISUSE,
                   "rubric_eval_run(program handle)");
        FUZZ_CHECK(rubric_errmsg(s.prog) != nullptr, "rubric_errmsg(program) is NULL");
    }
    if (ev) {
        FUZZ_CHECK(rubric_eval_set_fact(ev, nullptr, "1") == RUBRIC_ERROR_MISUSE, "set_fact(NULL name)");
        FUZZ_CHECK(rubric_eval_set_fact(ev, "a", nullptr) == RUBRIC_ERROR_MISUSE, "set_fact(NULL value)");
        FUZZ_CHECK(rubric_eval_score(ev, nullptr, nullptr, nullptr) == RUBRIC_ERROR_MISUSE, "score(NULL code)");
        char* out = reinterpret_cast<char*>(1);
        const int st = rubric_eval_batch(ev, nullptr, "", 0, 99, RUBRIC_FORMAT_JSONL, 0, &out, nullptr);
        FUZZ_CHECK(st == RUBRIC_ERROR_MISUSE && out == nullptr, "batch with an unknown format");
        FUZZ_CHECK(rubric_errmsg(ev) != nullptr, "rubric_errmsg(context) is NULL");
    }
}

void run_script(state& s, std::string_view script) {
    int steps = 0;
    while (!script.empty() && steps++ < 200) {
        const std::size_t nl = script.find('\n');
        std::string_view line = script.substr(0, nl);
        script.remove_prefix(nl == std::string_view::npos ? script.size() : nl + 1);
        if (line.empty()) continue;
        const char op = line[0];
        line.remove_prefix(1);
        int ci = 0;
        if (!line.empty() && line[0] >= '0' && line[0] <= '9') {
            ci = (line[0] - '0') % 4;
            line.remove_prefix(1);
        }
        std::vector<std::string> args;
        while (!line.empty() && line[0] == '|') {
            line.remove_prefix(1);
            const std::size_t bar = line.find('|');
            args.emplace_back(line.substr(0, bar));
            line.remove_prefix(bar == std::string_view::npos ? line.size() : bar);
        }
        auto arg = [&](std::size_t k) -> const std::string& {
            static const std::string empty;
            return k < args.size() ? args[k] : empty;
        };
        rubric_eval*& ev = s.ev[ci];
        const char* exact = nullptr;
        const char* rounded = nullptr;
        switch (op) {
            case 'n': {
                if (ev) break;
                rubric_eval* e = reinterpret_cast<rubric_eval*>(1);
                const int st = rubric_eval_new(s.prog, &e);
                check_status(st, "rubric_eval_new");
                FUZZ_CHECK((st == RUBRIC_OK) == (e != nullptr), "rubric_eval_new: status and handle disagree");
                if (s.prog && rubric_program_status(s.prog) == RUBRIC_OK)
                    FUZZ_CHECK(st == RUBRIC_OK, "rubric_eval_new failed for a good program");
                ev = e;
                s.cancel[ci] = canceller{};
                break;
            }
            case 'F': rubric_eval_free(ev); ev = nullptr; break;
            case 'r': check_status(rubric_eval_reset(ev), "rubric_eval_reset"); break;
            case 'e': check_status(rubric_eval_set_entity(ev, arg(0).c_str()), "rubric_eval_set_entity"); break;
            case 'f': {
                std::string name = arg(0);
                if (!name.empty() && name[0] == '#' && s.prog) {
                    const char* n = rubric_input_name(s.prog, to_index(std::string_view(name).substr(1)));
                    if (n) name = n;
                }
                check_status(rubric_eval_set_fact(ev, name.c_str(), arg(1).c_str()), "rubric_eval_set_fact");
                break;
            }
            case 'R': {
                const int st = rubric_eval_run(ev);
                check_status(st, "rubric_eval_run");
                if (st == RUBRIC_OK) {
                    check_status(rubric_eval_total(ev, &exact, &rounded), "rubric_eval_total");
                    check_number(exact, "total (exact)");
                    check_number(rounded, "total (rounded)");
                }
                break;
            }
            case 's': {
                const int st = rubric_eval_score(ev, arg(0).c_str(), &exact, &rounded);
                check_status(st, "rubric_eval_score");
                if (st == RUBRIC_OK) check_number(exact, "score (exact)"), check_number(rounded, "score (rounded)");
                break;
            }
            case 'a': {
                const int st = rubric_eval_score_at(ev, to_index(arg(0)), &exact, nullptr);
                check_status(st, "rubric_eval_score_at");
                if (st == RUBRIC_OK) check_number(exact, "score_at (exact)");
                break;
            }
            case 't': {
                int st = rubric_eval_total(ev, &exact, &rounded);
                check_status(st, "rubric_eval_total");
                if (st == RUBRIC_OK) check_number(exact, "total"), check_number(rounded, "total (rounded)");
                st = rubric_eval_bonus(ev, &exact, nullptr);
                check_status(st, "rubric_eval_bonus");
                if (st == RUBRIC_OK) check_number(exact, "bonus");
                break;
            }
            case 'j':
            case 'x': {
                const char* out = nullptr;
                std::size_t len = 0;
                const int st = op == 'j' ? rubric_eval_explain_json(ev, &out, &len) : rubric_eval_explain_text(ev, &out, &len);
                check_status(st, "rubric_eval_explain");
                if (st == RUBRIC_OK) {
                    FUZZ_CHECK(out != nullptr && std::strlen(out) == len, "explain: NULL or wrong length");
                    if (op == 'j') FUZZ_CHECK(nlohmann::json::accept(std::string_view(out, len)), std::string("explain_json is not JSON:\n") + out);
                }
                break;
            }
            case 'c':
                if (ev) {
                    check_status(rubric_eval_errcode(ev), "rubric_eval_errcode");
                    FUZZ_CHECK(rubric_eval_errmsg(ev) != nullptr, "rubric_eval_errmsg is NULL");
                }
                break;
            case 'P':
                rubric_program_free(s.prog);
                s.prog = nullptr;
                break;
            case 'q':
                if (s.prog) queries(s.prog, to_index(arg(0)));
                break;
            case 'm': misuse(s, ev); break;
            case 'b': {
                const int in = static_cast<int>(to_index(arg(0)) % 5);
                const int outf = static_cast<int>(to_index(arg(1)) % 5);
                const unsigned flags = static_cast<unsigned>(to_index(arg(2)) % 8);
                char* out = reinterpret_cast<char*>(1);
                std::size_t len = 12345;
                const int st = rubric_eval_batch(ev, "fuzz.facts", script.data(), script.size(), in, outf, flags, &out, &len);
                check_status(st, "rubric_eval_batch");
                if (st == RUBRIC_OK) {
                    FUZZ_CHECK(out != nullptr && std::strlen(out) == len, "batch: NULL or wrong length");
                    if (outf == RUBRIC_FORMAT_JSONL) {
                        std::string_view rest(out, len);
                        while (!rest.empty()) {
                            const std::size_t e = rest.find('\n');
                            const std::string_view l = rest.substr(0, e);
                            rest.remove_prefix(e == std::string_view::npos ? rest.size() : e + 1);
                            if (!l.empty()) FUZZ_CHECK(nlohmann::json::accept(l), "batch JSONL line is not JSON: " + std::string(l));
                        }
                    }
                    rubric_free(out);
                } else {
                    FUZZ_CHECK(out == nullptr, "batch failed but *out is not NULL");
                }
                script = {};
                break;
            }
            case 'h': {
                canceller& c = s.cancel[ci];
                c = canceller{};
                int st;
                if (arg(0) == "off") {
                    st = rubric_eval_progress_handler(ev, 0, nullptr, nullptr);
                } else {
                    c.cancel_at = static_cast<int>(to_index(arg(0)) % 100000);
                    st = rubric_eval_progress_handler(ev, static_cast<unsigned>(to_index(arg(1)) % 100000), count_and_cancel, &c);
                }
                check_status(st, "rubric_eval_progress_handler");
                FUZZ_CHECK((st == RUBRIC_OK) == (ev != nullptr), "rubric_eval_progress_handler: status and handle disagree");
                break;
            }
            case 'i': rubric_interrupt(ev); break;
            case 'C': {
                const int in = static_cast<int>(to_index(arg(0)) % 5);
                const int outf = static_cast<int>(to_index(arg(1)) % 5);
                const unsigned flags = static_cast<unsigned>(to_index(arg(2)) % 8);
                const std::string_view facts = script;
                script = {};
                if (!ev) break;
                auto call = [&] {
                    outcome o;
                    char* out = reinterpret_cast<char*>(1);
                    std::size_t len = 12345;
                    o.status = rubric_eval_batch(ev, "fuzz.facts", facts.data(), facts.size(), in, outf, flags, &out, &len);
                    check_status(o.status, "rubric_eval_batch (cancelled)");
                    if (o.status == RUBRIC_OK) {
                        FUZZ_CHECK(out != nullptr && std::strlen(out) == len, "batch: NULL or wrong length");
                        o.result.assign(out, len);
                        rubric_free(out);
                    } else {
                        FUZZ_CHECK(out == nullptr, "batch failed but *out is not NULL");
                    }
                    return o;
                };
                check_cancelled(ev, s.cancel[ci], static_cast<int>(to_index(arg(3)) % 100000),
                                static_cast<unsigned>(to_index(arg(4)) % 100000), to_index(arg(5)) != 0, call, "C (batch)");
                break;
            }
            case 'K': {
                if (!ev) break;
                auto call = [&] {
                    outcome o;
                    o.status = rubric_eval_run(ev);
                    check_status(o.status, "rubric_eval_run (cancelled)");
                    if (o.status == RUBRIC_OK) {
                        const char* json = nullptr;
                        std::size_t len = 0;
                        check_status(rubric_eval_result_json(ev, &json, &len), "rubric_eval_result_json");
                        FUZZ_CHECK(json != nullptr, "rubric_eval_result_json is NULL");
                        o.result.assign(json, len);
                    }
                    return o;
                };
                check_cancelled(ev, s.cancel[ci], static_cast<int>(to_index(arg(0)) % 2), 1, to_index(arg(1)) != 0, call,
                                "K (run)");
                break;
            }
            default: break;
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t flags = data[0];
    std::string_view rest = as_text(data + 1, size - 1);
    std::string_view text = rest, script;
    if (const std::size_t cut = rest.find(rubric_fuzz::facts_separator); cut != std::string_view::npos) {
        text = rest.substr(0, cut);
        script = rest.substr(cut + rubric_fuzz::facts_separator.size());
    }
    const std::string owned(text);  // NUL-terminated for RUBRIC_NUL_TERMINATED
    const unsigned cflags = (flags & 1) ? RUBRIC_COMPILE_WERROR : 0u;
    const std::size_t len = (flags & 2) ? RUBRIC_NUL_TERMINATED : owned.size();

    state s;
    int st = rubric_compile("fuzz.rubric", owned.c_str(), len, cflags, &s.prog);
    check_status(st, "rubric_compile");
    FUZZ_CHECK(s.prog != nullptr, "rubric_compile gave no handle");
    FUZZ_CHECK(rubric_program_status(s.prog) == st, "rubric_program_status differs from the compile's status");
    FUZZ_CHECK((st == RUBRIC_OK) == (rubric_program_errmsg(s.prog)[0] == '\0'), "errmsg and status disagree");
    if (st != RUBRIC_OK) FUZZ_CHECK(rubric_diag_count(s.prog) > 0, "a failed compile without diagnostics");
    if (flags & 4) {
        rubric_program* second = nullptr;
        check_status(rubric_compile(nullptr, owned.c_str(), len, cflags, &second), "rubric_compile (again)");
        rubric_eval* e = nullptr;
        if (rubric_eval_new(second, &e) == RUBRIC_OK) {
            rubric_program_free(second);  // the context keeps the program's data alive
            second = nullptr;
            check_status(rubric_eval_run(e), "rubric_eval_run after rubric_program_free");
            const char* out = nullptr;
            if (rubric_eval_explain_json(e, &out, nullptr) == RUBRIC_OK)
                FUZZ_CHECK(nlohmann::json::accept(out), "explain_json after rubric_program_free is not JSON");
        }
        rubric_eval_free(e);
        rubric_program_free(second);
    }
    if (script.empty()) script = "q|0\nn\nR\nt\nj\nx\nm\n";  // no script: a default sequence
    run_script(s, script);
    for (auto*& e : s.ev) rubric_eval_free(e);
    rubric_program_free(s.prog);
    return 0;
}
