// Evaluation: exact scores for every scoring form. The expected values live in
// the example rubrics' `test` blocks, each worked out by hand from the quoted
// prose rule (see the comment above each test there); this file runs them and
// checks the evaluator's own guarantees (exactness, clamping, no allocation).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "rubric/rubric.hpp"
#include "support/files.hpp"

namespace {

std::atomic<long> g_allocations{0};
bool g_counting = false;

rubric::program_ptr compile_text(const std::string& text, const std::string& name = "test.rubric") {
    auto src = rubric::make_source(name, text);
    auto r = rubric::parse_and_check(src);
    if (!r.rubric) {
        FAIL_CHECK(rubric::render(r.diags));
        return nullptr;
    }
    return rubric::compile(std::move(*r.rubric));
}

rubric::decimal dec(const char* s) {
    rubric::decimal d;
    REQUIRE(rubric::decimal::parse(s, d));
    return d;
}

}  // namespace

// Count heap allocations in this test binary (for the hot-path test below).
void* operator new(std::size_t n) {
    if (g_counting) ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// Every form that pairs with the deletes above must come from the same malloc: the
// standard library's std::stable_sort asks for `new (std::nothrow)`, and under
// AddressSanitizer an unreplaced form would come from its own allocator
// (alloc-dealloc-mismatch when ours frees it).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    if (g_counting) ++g_allocations;
    return std::malloc(n ? n : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

TEST_CASE("every example rubric has hand-worked tests, and they all pass") {
    namespace fs = std::filesystem;
    std::size_t files = 0, tests = 0;
    for (const auto& e : fs::directory_iterator(rubric_test::source_dir() + "/rubrics/examples")) {
        if (e.path().extension() != ".rubric") continue;
        ++files;
        CAPTURE(e.path().string());
        std::string err;
        auto src = rubric::read_source(e.path().string(), &err);
        REQUIRE(src);
        auto r = rubric::parse_and_check(src);
        REQUIRE_MESSAGE(r.rubric, (rubric::render(r.diags)));
        auto prog = rubric::compile(std::move(*r.rubric));
        const auto outcomes = rubric::run_tests(*prog);
        CHECK_MESSAGE(outcomes.size() >= 2, "each example needs tests");
        for (const auto& o : outcomes) {
            ++tests;
            std::string why = o.problem;
            for (const auto& m : o.mismatches)
                why += m.code + ": expected " + m.expected.to_string() + ", got " + m.actual.to_string() + "\n" + m.explanation;
            CHECK_MESSAGE(o.passed(), (o.test->name + "\n" + why));
        }
    }
    CHECK(files >= 13);
    CHECK(tests >= 50);
}

TEST_CASE("a wrong expectation is reported with the explanation") {
    auto prog = compile_text(R"(
item 1 "x" 1 {
  input a: bool
  input b: bool
  score each 0.5 max 1
}
test "wrong on purpose" { given a = true  expect 1 = 1 }
)");
    REQUIRE(prog);
    const auto outcomes = rubric::run_tests(*prog);
    REQUIRE(outcomes.size() == 1);
    CHECK_FALSE(outcomes[0].passed());
    REQUIRE(outcomes[0].mismatches.size() == 1);
    CHECK(outcomes[0].mismatches[0].actual == dec("0.5"));
    CHECK(outcomes[0].mismatches[0].explanation.find("1 of 2 hold (a ✓, b ✗)") != std::string::npos);
}

TEST_CASE("exact arithmetic: 0.1 + 0.2 is 0.3 and a third of 3 points is 1") {
    auto prog = compile_text(R"(
item 1 "sum" 1 { input x: decimal  score x + 0.2 }
item 2 "third" 3 {
  input done: count
  input planned: count
  ratio r = done / planned
  score r * 3
}
)");
    REQUIRE(prog);
    rubric::fact_set f;
    f.reset(*prog);
    REQUIRE(rubric::set_fact_text(*prog, prog->find_input("x"), "0.1", f).empty());
    REQUIRE(rubric::set_fact_text(*prog, prog->find_input("done"), "1", f).empty());
    REQUIRE(rubric::set_fact_text(*prog, prog->find_input("planned"), "3", f).empty());
    REQUIRE(rubric::fill_missing(*prog, f).empty());
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, f, ev);
    CHECK(ev.node_score(0) == dec("0.3"));
    CHECK(ev.node_score(0).to_string() == "0.3");
    CHECK(ev.node_score(1) == rubric::decimal(1));
    CHECK(ev.total() == dec("1.3"));
}

// The fast path adds scores as integers over one common denominator where it can (checklists,
// deductions, node sums) and as fractions where it cannot (a denominator past the common one, a
// count that is not whole); a capped `each` compares hits with the most that stay within the cap.
TEST_CASE("checklist, deduct, each's cap and node sums: as integers over a common denominator, or as fractions, exactly") {
    auto prog = compile_text(R"(
item 1 "checklist, whole" 1 { input a: bool  input b: bool  score checklist [a: 0.2, b: 0.3] }
item 2 "checklist, past the common denominator" 1 {
  input c: bool  input d: bool
  score checklist [c: 0.000000001, d: 0.999999999]
}
item 3 "deduct per a whole count" 2 { input late: count  score deduct 0.2 per late max 1 }
item 4 "deduct per a decimal" 2 { input share: decimal 0..100  score deduct 0.2 per share }
item 5 "each with a cap" 1 { input w1: bool  input w2: bool  input w3: bool  score each 0.4 max 1 }
item 6 "parts: a whole one and a third" 2 {
  input done: count  input planned: count  input kept: bool
  ratio r = done / planned
  score if kept then 0.5
  score r
}
)");
    REQUIRE(prog);
    auto score = [&](std::initializer_list<std::pair<const char*, const char*>> facts, rubric::evaluation& ev) {
        rubric::fact_set f;
        f.reset(*prog);
        for (auto [name, v] : facts) REQUIRE(rubric::set_fact_text(*prog, prog->find_input(name), v, f).empty());
        REQUIRE(rubric::fill_missing(*prog, f).empty());
        rubric::evaluate(*prog, f, ev);
        CHECK(rubric::detail::scored_on_fast_path(ev));
    };
    rubric::evaluation ev(*prog);
    score({{"a", "true"}, {"b", "true"}, {"c", "true"}, {"d", "false"}, {"late", "3"}, {"share", "2.5"},
           {"w1", "true"}, {"w2", "true"}, {"w3", "false"}, {"done", "1"}, {"planned", "3"}, {"kept", "true"}},
          ev);
    CHECK(ev.node_score(0) == dec("0.5"));          // 0.2 + 0.3
    CHECK(ev.node_score(1) == dec("0.000000001"));  // c only
    CHECK(ev.node_score(2) == dec("1.4"));          // 2 − 3 × 0.2
    CHECK(ev.node_score(3) == dec("1.5"));          // 2 − 2.5 × 0.2
    CHECK(ev.node_score(4) == dec("0.8"));          // 2 × 0.4, within the cap
    CHECK(ev.node_score(5) == dec("5") / dec("6"));  // 0.5 + 1/3
    // 0.5 + 0.000000001 + 1.4 + 1.5 + 0.8 + 5/6
    CHECK(ev.total() == dec("4.200000001") + dec("5") / dec("6"));
    score({{"a", "false"}, {"b", "true"}, {"c", "true"}, {"d", "true"}, {"late", "9"}, {"share", "20"},
           {"w1", "true"}, {"w2", "true"}, {"w3", "true"}, {"done", "3"}, {"planned", "2"}, {"kept", "true"}},
          ev);
    CHECK(ev.node_score(0) == dec("0.3"));
    CHECK(ev.node_score(1) == dec("1"));    // 0.000000001 + 0.999999999
    CHECK(ev.node_score(2) == dec("1"));    // 9 × 0.2 = 1.8, capped at 1: 2 − 1
    CHECK(ev.node_score(3) == dec("0"));    // 2 − 20 × 0.2 = −2, not below 0
    CHECK(ev.node_score(4) == dec("1"));    // 3 × 0.4 = 1.2, capped at 1
    CHECK(ev.node_score(5) == dec("1.5"));  // 0.5 + min(3/2, 1) (a rate is within [0, 1])
    CHECK(ev.total() == dec("4.8"));
}

TEST_CASE("items are clamped to [0, points]; bonus sections to their cap and kept out of the total") {
    auto prog = compile_text(R"(
item 1 "over" 2 { input n: count  score n * 1 }
item 2 "under" 2 { input m: count  score 1 - m }
bonus "附加分" 5 {
  item "a" 4 { input j: judged 0..4  score j }
  item "b" 4 { input k: judged 0..4  score k }
}
)");
    REQUIRE(prog);
    rubric::fact_set f;
    f.reset(*prog);
    for (auto [name, v] : {std::pair{"n", "7"}, {"m", "3"}, {"j", "4"}, {"k", "3.5"}})
        REQUIRE(rubric::set_fact_text(*prog, prog->find_input(name), v, f).empty());
    REQUIRE(rubric::fill_missing(*prog, f).empty());
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, f, ev);
    CHECK(ev.node_score(0) == rubric::decimal(2));   // 7 → 2
    CHECK(ev.raw_score(0) == rubric::decimal(7));
    CHECK(ev.node_score(1) == rubric::decimal(0));   // 1 − 3 → 0
    CHECK(ev.total() == rubric::decimal(2));
    CHECK(ev.bonus() == rubric::decimal(5));          // 4 + 3.5 = 7.5 → cap 5
}

TEST_CASE("a missing fact follows the policy: zero by default, error when declared") {
    auto prog = compile_text(R"(
rubric "t" { missing zero }
item 1 "a" 1 { input a: bool  score if a then 1 }
item 2 "b" 1 { input b: count missing error  score min(b, 1) }
item 3 "c" 1 { input c: percent missing 50%  score c * 1 }
)");
    REQUIRE(prog);
    rubric::fact_set f;
    f.reset(*prog);
    CHECK(rubric::fill_missing(*prog, f) == "required fact `b` is missing");
    f.reset(*prog);
    REQUIRE(rubric::set_fact_text(*prog, prog->find_input("b"), "4", f).empty());
    REQUIRE(rubric::fill_missing(*prog, f).empty());
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, f, ev);
    CHECK(ev.node_score(0) == rubric::decimal(0));
    CHECK(ev.node_score(1) == rubric::decimal(1));
    CHECK(ev.node_score(2) == dec("0.5"));
}

TEST_CASE("a list fact that fails on a later element leaves nothing behind") {
    // each 1 max 3 of the shares above 80%. "[90%, 95%, 150%]" fails on its third
    // element (150% is not a share); if its first two stayed, the item would score 2.
    // The fact is not set, so it is missing (zero policy: an empty list) and scores 0.
    auto prog = compile_text(R"(
item 1 "a" 3 { input shares: list of percent  score each 1 max 3 of count s in shares where s > 80% }
)");
    REQUIRE(prog);
    rubric::fact_set f;
    f.reset(*prog);
    const int shares = prog->find_input("shares");
    CHECK_FALSE(rubric::set_fact_text(*prog, shares, "[90%, 95%, 150%]", f).empty());
    REQUIRE(rubric::fill_missing(*prog, f).empty());
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, f, ev);
    CHECK(ev.node_score(0) == rubric::decimal(0));
    // the same list without the bad element: 90% and 95% are above 80% → 2
    f.reset(*prog);
    REQUIRE(rubric::set_fact_text(*prog, shares, "[90%, 95%]", f).empty());
    REQUIRE(rubric::fill_missing(*prog, f).empty());
    rubric::evaluate(*prog, f, ev);
    CHECK(ev.node_score(0) == rubric::decimal(2));
}

TEST_CASE("evaluation does not allocate once the context is prepared") {
    std::string err;
    auto src = rubric::read_source(rubric_test::source_dir() + "/rubrics/examples/deduct.rubric", &err);
    REQUIRE(src);
    auto r = rubric::parse_and_check(src);
    REQUIRE(r.rubric);
    auto prog = rubric::compile(std::move(*r.rubric));
    rubric::fact_set f;
    f.reset(*prog);
    REQUIRE(rubric::set_fact_text(*prog, prog->find_input("statement"), "true", f).empty());
    REQUIRE(rubric::set_fact_text(*prog, prog->find_input("inconsistencies"), "2", f).empty());
    REQUIRE(rubric::set_fact_text(*prog, prog->find_input("unconnected"), "3", f).empty());
    REQUIRE(rubric::fill_missing(*prog, f).empty());
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, f, ev);  // warm up
    g_allocations = 0;
    g_counting = true;
    for (int i = 0; i < 1000; ++i) rubric::evaluate(*prog, f, ev);
    g_counting = false;
    CHECK(g_allocations.load() == 0);
    CHECK(rubric::detail::scored_on_fast_path(ev));
    CHECK(ev.total() == dec("6.4"));  // 1 + 5 + 0.4, as in deduct.rubric's "部分扣分" minus late/unreported
    // nor on the general path (units whose values leave int64 take it)
    rubric::detail::evaluate_on_general_path(*prog, f, ev);  // warm up
    g_allocations = 0;
    g_counting = true;
    for (int i = 0; i < 1000; ++i) rubric::detail::evaluate_on_general_path(*prog, f, ev);
    g_counting = false;
    CHECK(g_allocations.load() == 0);
    CHECK(ev.total() == dec("6.4"));
}

TEST_CASE("a section by an attribute (its cases' gates) does not allocate either") {
    // rubrics/examples/cases.rubric, its test "水利局": 36 + 30 + 10 = 76 (section 2 = 40 of the
    // water case; the transport case's 2.3 is gated to 0 although `rated` is given).
    std::string err;
    auto src = rubric::read_source(rubric_test::source_dir() + "/rubrics/examples/cases.rubric", &err);
    REQUIRE(src);
    auto r = rubric::parse_and_check(src);
    REQUIRE(r.rubric);
    auto prog = rubric::compile(std::move(*r.rubric));
    rubric::fact_set f;
    f.reset(*prog);
    for (const auto& [name, v] : {std::pair<const char*, const char*>{"unit_kind", "water"}, {"on_time", "90%"},
                                  {"water_files", "true"}, {"unpublished", "2"}, {"rated", "100%"}})
        REQUIRE(rubric::set_fact_text(*prog, prog->find_input(name), v, f).empty());
    REQUIRE(rubric::fill_missing(*prog, f).empty());
    rubric::evaluation ev(*prog);
    for (const bool general : {false, true}) {
        auto run = [&] {
            if (general) rubric::detail::evaluate_on_general_path(*prog, f, ev);
            else rubric::evaluate(*prog, f, ev);
        };
        run();  // warm up
        g_allocations = 0;
        g_counting = true;
        for (int i = 0; i < 1000; ++i) run();
        g_counting = false;
        CHECK(g_allocations.load() == 0);
        CHECK(ev.total() == dec("76"));
    }
}

// ---- the fast path (int64 fractions) and the general path (decimal) ------------------------

namespace {

rubric::fact_set facts_of(const rubric::program& p, std::initializer_list<std::pair<const char*, const char*>> given) {
    rubric::fact_set f;
    f.reset(p);
    for (auto [name, v] : given) REQUIRE(rubric::set_fact_text(p, p.find_input(name), v, f).empty());
    REQUIRE(rubric::fill_missing(p, f).empty());
    return f;
}

// Whatever a caller can read after evaluate(): every node, raw score, part, warning and register.
void check_same_results(const rubric::program& p, const rubric::evaluation& a, const rubric::evaluation& b,
                        const std::string& what) {
    INFO(what);
    for (rubric::node_id id = 0; id < p.node_count(); ++id) {
        CHECK(a.node_score(id) == b.node_score(id));
        CHECK(a.raw_score(id) == b.raw_score(id));
    }
    CHECK(a.total() == b.total());
    CHECK(a.bonus() == b.bonus());
    CHECK(a.undefined_parts() == b.undefined_parts());
    CHECK(a.warnings() == b.warnings());
    for (std::uint32_t r = 0; r < p.register_count(); ++r) {
        const rubric::value &x = a.reg(r), &y = b.reg(r);
        CHECK(x.undefined == y.undefined);
        if (!x.undefined && !y.undefined) CHECK(x.v == y.v);
    }
}

}  // namespace

TEST_CASE("a unit whose values leave int64 is scored on the general path, exactly") {
    // min(x × y, 1): 0.5 × 1 is 0.5, worked on the fast path; 10^10 × 10^10 = 10^20 does not fit in
    // int64, so that unit goes to the general path, which gives min(10^20, 1) = 1.
    auto prog = compile_text(R"(
item 1 "product" 1 { input x: decimal  input y: decimal  score min(x * y, 1) }
)");
    REQUIRE(prog);
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, facts_of(*prog, {{"x", "0.5"}, {"y", "1"}}), ev);
    CHECK(rubric::detail::scored_on_fast_path(ev));
    CHECK(ev.node_score(0) == dec("0.5"));
    rubric::evaluate(*prog, facts_of(*prog, {{"x", "10000000000"}, {"y", "10000000000"}}), ev);
    CHECK_FALSE(rubric::detail::scored_on_fast_path(ev));
    CHECK(ev.node_score(0) == rubric::decimal(1));
    CHECK(ev.raw_score(0) == rubric::decimal(1));
    // A fact that is itself beyond int64 (30 digits) times 0: 0, on the general path.
    rubric::evaluate(*prog, facts_of(*prog, {{"x", "123456789012345678901234567890"}, {"y", "0"}}), ev);
    CHECK_FALSE(rubric::detail::scored_on_fast_path(ev));
    CHECK(ev.node_score(0) == rubric::decimal(0));
    // and back to the fast path for the next small unit: 0.25 × 2 = 0.5
    rubric::evaluate(*prog, facts_of(*prog, {{"x", "0.25"}, {"y", "2"}}), ev);
    CHECK(rubric::detail::scored_on_fast_path(ev));
    CHECK(ev.node_score(0) == dec("0.5"));
    CHECK(ev.reg(prog->inputs()[0].reg).v == dec("0.25"));
}

TEST_CASE("the fast path and the general path agree on every rubric, node, part, warning and register") {
    // Every rubric of the project (real tables and examples), on generated facts: evaluate() against
    // evaluate_on_general_path(). The fast path must be taken for most units, or this proves little.
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::recursive_directory_iterator(rubric_test::source_dir() + "/rubrics");
         it != std::filesystem::recursive_directory_iterator(); ++it)
        if (it->path().extension() == ".rubric") files.push_back(it->path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 10);
    std::uint64_t seed = 12;
    auto next = [&](std::uint64_t n) {  // a fixed sequence (splitmix64), so that a failure repeats
        seed += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = seed;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return (z ^ (z >> 31)) % n;
    };
    std::size_t fast = 0, units = 0;
    for (const auto& file : files) {
        std::string err;
        auto src = rubric::read_source(file.string(), &err);
        REQUIRE(src);
        auto r = rubric::parse_and_check(src);
        if (!r.rubric) continue;  // a file that exists to show a diagnostic
        auto prog = rubric::compile(std::move(*r.rubric));
        const bool cohort = prog->needs_cohort();  // scored through cohort_evaluation (cohort tests)
        rubric::evaluation fast_ev(*prog), general_ev(*prog);
        std::vector<rubric::fact_set> all;
        for (int u = 0; u < 200; ++u) {
            rubric::fact_set f;
            f.reset(*prog);
            for (std::uint32_t i = 0; i < prog->inputs().size(); ++i) {
                const rubric::input_slot& s = prog->inputs()[i];
                if (next(8) == 0) continue;  // missing
                std::string text;
                switch (s.type) {
                    case rubric::input_type::boolean: text = next(2) ? "true" : "false"; break;
                    case rubric::input_type::count: text = std::to_string(next(4) == 0 ? next(1000000) : next(12)); break;
                    case rubric::input_type::percent: text = std::to_string(next(101)) + "%"; break;
                    case rubric::input_type::list:
                        if (s.element == rubric::input_type::choice && !s.choices.empty()) {  // 0 to 2 of its words
                            const std::uint64_t n = next(3);
                            text = "[";
                            for (std::uint64_t k = 0; k < n; ++k) text += (k ? ";" : "") + s.choices[next(s.choices.size())];
                            text += "]";
                            break;
                        }
                        text = "[" + std::to_string(next(101)) + "%;" + std::to_string(next(101)) + "%]";
                        break;
                    case rubric::input_type::choice: text = s.choices.empty() ? "" : s.choices[next(s.choices.size())]; break;
                    default: {  // number, judged: within the declared range when there is one
                        const rubric::decimal lo = s.lo ? *s.lo : rubric::decimal(0), hi = s.hi ? *s.hi : rubric::decimal(100);
                        text = (lo + (hi - lo) * rubric::decimal::fraction(static_cast<std::int64_t>(next(1001)), 1000)).to_string();
                    }
                }
                if (!rubric::set_fact_text(*prog, i, text, f).empty()) continue;  // out of a narrower range: leave it missing
            }
            if (!rubric::fill_missing(*prog, f).empty()) continue;
            if (cohort) {
                // The measuring pass: what the cohort rules read (the fast path runs only the
                // instructions those values need), against the general path's whole program.
                rubric::detail::evaluate_in_cohort(*prog, f, nullptr, fast_ev);
                rubric::detail::measure_on_general_path(*prog, f, general_ev);
                fast += rubric::detail::scored_on_fast_path(fast_ev) ? 1 : 0;
                ++units;
                for (const rubric::cohort_slot& c : prog->cohort_slots()) {
                    INFO(file.filename().string() << " unit " << u << " cohort register " << c.value_reg);
                    for (std::uint32_t reg : {c.value_reg, c.among_reg}) {
                        if (reg == rubric::no_id) continue;
                        CHECK(fast_ev.reg(reg).undefined == general_ev.reg(reg).undefined);
                        if (!general_ev.reg(reg).undefined) CHECK(fast_ev.reg(reg).v == general_ev.reg(reg).v);
                    }
                }
                continue;
            }
            rubric::evaluate(*prog, f, fast_ev);
            rubric::detail::evaluate_on_general_path(*prog, f, general_ev);
            CHECK_FALSE(rubric::detail::scored_on_fast_path(general_ev));
            fast += rubric::detail::scored_on_fast_path(fast_ev) ? 1 : 0;
            ++units;
            check_same_results(*prog, fast_ev, general_ev, file.filename().string() + " unit " + std::to_string(u));
            all.push_back(std::move(f));
        }
        if (cohort) continue;
        // The same units in one batch (16 lanes at a time, the last block partly filled).
        rubric::batch_evaluation batch;
        rubric::evaluate_batch(*prog, all.data(), all.size(), batch);
        REQUIRE(batch.size() == all.size());
        for (std::size_t u = 0; u < all.size(); ++u) {
            INFO(file.filename().string() << " batch unit " << u);
            rubric::evaluate(*prog, all[u], fast_ev);
            for (rubric::node_id id = 0; id < prog->node_count(); ++id) CHECK(batch.node_score(u, id) == fast_ev.node_score(id));
            CHECK(batch.total(u) == fast_ev.total());
            CHECK(batch.bonus(u) == fast_ev.bonus());
            for (std::size_t w = 0; w < fast_ev.warnings().size(); ++w) CHECK(batch.warning(u, w) == (fast_ev.warnings()[w] != 0));
            CHECK(batch.any_warning(u) == fast_ev.any_warning());
            for (std::size_t i = 0; i < fast_ev.undefined_parts().size(); ++i)
                CHECK(batch.part_undefined(u, i) == (fast_ev.undefined_parts()[i] != 0));
        }
    }
    CHECK(units >= 2000);
    CHECK(fast * 10 >= units * 9);
}

TEST_CASE("evaluate_batch: lanes whose values leave int64 are scored alone, the others together") {
    // min(x × y, 1) for 40 units: unit u has x = u/4 and y = 2 (x × y = u/2, so 0, 0.5 and then 1),
    // except every seventh, which has x = y = 10^10 (10^20, beyond int64: scored alone, min → 1).
    auto prog = compile_text(R"(
item 1 "product" 1 { input x: decimal  input y: decimal  score min(x * y, 1) }
)");
    REQUIRE(prog);
    std::vector<rubric::fact_set> units;
    for (int u = 0; u < 40; ++u) {
        const bool big = u % 7 == 6;
        const std::string x = big ? "10000000000" : rubric::decimal::fraction(u, 4).to_string();
        units.push_back(facts_of(*prog, {{"x", x.c_str()}, {"y", big ? "10000000000" : "2"}}));
    }
    rubric::batch_evaluation batch;
    rubric::evaluate_batch(*prog, units.data(), units.size(), batch);
    CHECK(batch.units_scored_alone() == 5);  // units 6, 13, 20, 27, 34
    CHECK(batch.total(0) == rubric::decimal(0));
    CHECK(batch.node_score(1, 0) == dec("0.5"));
    CHECK(batch.node_score(2, 0) == rubric::decimal(1));
    CHECK(batch.node_score(6, 0) == rubric::decimal(1));
    CHECK(batch.total(13) == rubric::decimal(1));
    CHECK(batch.total(39) == rubric::decimal(1));
    // A second, smaller batch in the same context: 1 unit, x = 0.25, y = 2 → 0.5.
    units.resize(1);
    units[0] = facts_of(*prog, {{"x", "0.25"}, {"y", "2"}});
    rubric::evaluate_batch(*prog, units.data(), 1, batch);
    CHECK(batch.size() == 1);
    CHECK(batch.units_scored_alone() == 0);
    CHECK(batch.total(0) == dec("0.5"));
}

TEST_CASE("evaluate_batch: node sums with whole and fractional lanes side by side, worked out by hand") {
    // Four units, repeated over 20 lanes (a full block of 16 and a partial one), so that in one
    // block a section adds whole scores in some lanes and thirds or sevenths in others.
    auto prog = compile_text(R"(
section 1 "whole and fractional" 4 {
  item 1.1 "whole" 1 { input kept: bool  score if kept then 0.5 }
  item 1.2 "a ratio and a quarter" 2 {
    input done: count  input planned: count  input kept2: bool
    ratio r = done / planned
    score r
    score if kept2 then 0.25
  }
  item 1.3 "twice a ratio, clamped" 1 { input hit: count  input tried: count  ratio q = hit / tried  score q * 2 }
}
item 2 "each" 1 { input w1: bool  input w2: bool  input w3: bool  score each 0.4 max 1 }
)");
    REQUIRE(prog);
    using facts = std::initializer_list<std::pair<const char*, const char*>>;
    const facts a = {{"kept", "true"}, {"done", "1"}, {"planned", "3"}, {"kept2", "true"}, {"hit", "1"}, {"tried", "4"},
                     {"w1", "true"}, {"w2", "true"}, {"w3", "false"}};
    const facts b = {{"kept", "false"}, {"done", "2"}, {"planned", "2"}, {"kept2", "false"}, {"hit", "3"}, {"tried", "4"},
                     {"w1", "true"}, {"w2", "true"}, {"w3", "true"}};
    const facts c = {{"kept", "true"}, {"done", "0"}, {"planned", "0"}, {"kept2", "true"}, {"hit", "2"}, {"tried", "3"},
                     {"w1", "false"}, {"w2", "false"}, {"w3", "false"}};
    const facts d = {{"kept", "false"}, {"done", "5"}, {"planned", "7"}, {"kept2", "true"}, {"hit", "1"}, {"tried", "3"},
                     {"w1", "true"}, {"w2", "false"}, {"w3", "false"}};
    // Per unit: 1.1, 1.2, 1.3, section 1, item 2, total.
    // a: 0.5; 1/3 + 0.25 = 7/12; 2 × 1/4 = 0.5; 19/12; 2 × 0.4 = 0.8; 19/12 + 4/5 = 143/60
    // b: 0; 1 + 0 = 1; 2 × 3/4 = 1.5, clamped to 1; 2; 3 × 0.4 = 1.2, capped at 1; 3
    // c: 0.5; r undefined (0/0) scores 0, + 0.25 = 0.25; 2 × 2/3 = 4/3, clamped to 1; 1.75; 0; 1.75
    // d: 0; 5/7 + 1/4 = 27/28; 2 × 1/3 = 2/3; 27/28 + 2/3 = 137/84; 0.4; 137/84 + 2/5 = 853/420
    const auto q = [](std::int64_t n, std::int64_t m) { return rubric::decimal::fraction(n, m); };
    const std::vector<std::vector<rubric::decimal>> want = {
        {q(1, 2), q(7, 12), q(1, 2), q(19, 12), q(4, 5), q(143, 60)},
        {q(0, 1), q(1, 1), q(1, 1), q(2, 1), q(1, 1), q(3, 1)},
        {q(1, 2), q(1, 4), q(1, 1), q(7, 4), q(0, 1), q(7, 4)},
        {q(0, 1), q(27, 28), q(2, 3), q(137, 84), q(2, 5), q(853, 420)},
    };
    const facts* patterns[] = {&a, &b, &c, &d};
    std::vector<rubric::fact_set> units;
    for (int u = 0; u < 20; ++u) units.push_back(facts_of(*prog, *patterns[(u * 3 + u / 4) % 4]));
    auto node = [&](const char* code) {
        for (rubric::node_id id = 0; id < prog->node_count(); ++id)
            if (prog->tree().nodes[id].code == code) return id;
        FAIL("no node " << code);
        return rubric::node_id{0};
    };
    const rubric::node_id ids[] = {node("1.1"), node("1.2"), node("1.3"), node("1"), node("2")};
    rubric::batch_evaluation batch;
    rubric::evaluate_batch(*prog, units.data(), units.size(), batch);
    CHECK(batch.units_scored_alone() == 0);
    rubric::evaluation ev(*prog);
    for (int u = 0; u < 20; ++u) {
        INFO("unit " << u);
        const auto& w = want[static_cast<std::size_t>((u * 3 + u / 4) % 4)];
        rubric::evaluate(*prog, units[static_cast<std::size_t>(u)], ev);
        CHECK(rubric::detail::scored_on_fast_path(ev));
        for (int i = 0; i < 5; ++i) {
            CHECK(batch.node_score(static_cast<std::size_t>(u), ids[i]) == w[static_cast<std::size_t>(i)]);
            CHECK(ev.node_score(ids[i]) == w[static_cast<std::size_t>(i)]);
        }
        CHECK(batch.total(static_cast<std::size_t>(u)) == w[5]);
        CHECK(ev.total() == w[5]);
    }
}

TEST_CASE("adjustments: signed items, the block within [min, max], kept out of the total, on both paths") {
    auto prog = compile_text(R"(
item 1 "work" 10 { input done: count  score done }
bonus 2 "extra" 3 { item 2.1 "b" 3 { input b: count  score b } }
adjustments 3 "奖扣分" max +5 min -10 {
  item 3.1 "award" { input award: count  score 2 * award }
  item 3.2 "criticism" { input criticisms: count  score -3 * criticisms }
}
)");
    REQUIRE(prog);
    struct unit {
        const char *done, *b, *award, *criticisms;
        const char *award_score, *criticism_score, *adjustments, *total, *grand_total;
    };
    // Worked by hand: award 2 × a, criticism −3 × c; the block's sum within [−10, 5].
    const unit units[] = {
        // 2×1 − 3×1 = −1 (an item below zero keeps it); total 8, bonus 1 → grand 8 + 1 − 1 = 8
        {"8", "1", "1", "1", "2", "-3", "-1", "8", "8"},
        // 2×4 = 8 → capped at 5; grand 10 + 0 + 5 = 15
        {"10", "0", "4", "0", "8", "0", "5", "10", "15"},
        // −3×5 = −15 → capped at −10; grand 2 + 3 − 10 = −5 (the grand total may be negative)
        {"2", "5", "0", "5", "0", "-15", "-10", "2", "-5"},
        // 10^30 criticisms leave int64: the general path; −3×10^30 → −10; grand 1 + 0 − 10 = −9
        {"1", "0", "0", "1000000000000000000000000000000", "0", "-3000000000000000000000000000000", "-10", "1", "-9"},
    };
    for (const unit& u : units) {
        rubric::fact_set f;
        f.reset(*prog);
        for (const auto& [name, text] : {std::pair{"done", u.done}, std::pair{"b", u.b}, std::pair{"award", u.award},
                                         std::pair{"criticisms", u.criticisms}})
            REQUIRE(rubric::set_fact_text(*prog, prog->find_input(name), text, f).empty());
        REQUIRE(rubric::fill_missing(*prog, f).empty());
        rubric::evaluation fast(*prog), general(*prog);
        rubric::evaluate(*prog, f, fast);
        rubric::detail::evaluate_on_general_path(*prog, f, general);
        for (const rubric::evaluation* ev : {&fast, &general}) {
            CHECK(ev->node_score(rubric::find_node(prog->tree(), "3.1")) == dec(u.award_score));
            CHECK(ev->node_score(rubric::find_node(prog->tree(), "3.2")) == dec(u.criticism_score));
            CHECK(ev->adjustments() == dec(u.adjustments));
            CHECK(ev->node_score(rubric::find_node(prog->tree(), "3")) == dec(u.adjustments));
            CHECK(ev->total() == dec(u.total));
            CHECK(ev->grand_total() == dec(u.grand_total));
        }
    }
}

TEST_CASE("one rule for undefined: deduct per (1 - r) and 12 × r agree when r is 0/0, on both paths") {
    // GRAMMAR.md, "One rule for undefined": a value computed from an undefined value is undefined
    // (arithmetic, deduct/penalty per it, each … of it, drop of it); an undefined part scores 0;
    // `if zero` on the ratio gives 0/0 a value. Before this rule item 1 gave 12 and item 5 gave 2 at 0/0.
    auto prog = compile_text(R"(
item 1 "deduct" 12 { input d1: count  input n1: count  ratio r1 = d1 / n1  score deduct 12 per (1 - r1) }
item 2 "product" 12 { input d2: count  input n2: count  ratio r2 = d2 / n2  score 12 * r2 }
item 3 "each" 4 { input d3: count  input n3: count  ratio r3 = d3 / n3  score each 1 max 4 of 4 * r3 }
item 4 "drop" 1 { input d4: count  input n4: count  ratio r4 = d4 / n4  score drop 0.1 per 1% below 100% of r4 }
item 5 "penalty" 2 { input d5: count  input n5: count  ratio r5 = d5 / n5  score 2 + penalty 1 per (1 - r5) }
item 6 "if zero" 12 { input d6: count  input n6: count  ratio r6 = d6 / n6 if zero 1  score deduct 12 per (1 - r6) }
)");
    REQUIRE(prog);
    struct unit {
        const char* facts[12];  // d1, n1, … d6, n6
        const char* scores[6];
        bool undefined[6];      // the item's one part is undefined (scored 0)
    };
    const unit units[] = {
        // 1: 12 − 12 × (1 − 3/4) = 9;  2: 12 × 3/4 = 9;  3: 4 × 1/2 = 2 hits × 1 = 2;
        // 4: 97% is 3 steps below 100%: 1 − 0.3 = 0.7;  5: 2 − 1 × (1 − 1/2) = 1.5;  6: 12 − 12 × 3/4 = 3
        {{"3", "4", "3", "4", "1", "2", "97", "100", "1", "2", "1", "4"},
         {"9", "9", "2", "0.7", "1.5", "3"},
         {false, false, false, false, false, false}},
        // every ratio 0/0: items 1–5 undefined, 0 each; item 6: if zero 1, 12 − 12 × 0 = 12
        {{"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"},
         {"0", "0", "0", "0", "0", "12"},
         {true, true, true, true, true, false}},
    };
    const char* const names[] = {"d1", "n1", "d2", "n2", "d3", "n3", "d4", "n4", "d5", "n5", "d6", "n6"};
    for (const unit& u : units) {
        rubric::fact_set f;
        f.reset(*prog);
        for (int i = 0; i < 12; ++i)
            REQUIRE(rubric::set_fact_text(*prog, static_cast<std::uint32_t>(prog->find_input(names[i])), u.facts[i], f).empty());
        REQUIRE(rubric::fill_missing(*prog, f).empty());
        rubric::evaluation fast(*prog), general(*prog);
        rubric::evaluate(*prog, f, fast);
        CHECK(rubric::detail::scored_on_fast_path(fast));
        rubric::detail::evaluate_on_general_path(*prog, f, general);
        for (const rubric::evaluation* ev : {&fast, &general}) {
            for (int item = 0; item < 6; ++item) {
                const auto id = rubric::find_node(prog->tree(), std::to_string(item + 1));
                CAPTURE(item + 1);
                CHECK(ev->node_score(id) == dec(u.scores[item]));
                CHECK((ev->undefined_parts()[static_cast<std::size_t>(item)] != 0) == u.undefined[item]);
            }
        }
    }
}

TEST_CASE("points and max_points: the points of the choice made, the most points held; a label is a fact too") {
    // GRAMMAR.md, "points and max_points": 数据库对接/前置机 2, 其他 1; 国家级 5, 省级 3, 市级 1, else 0.
    auto prog = compile_text(R"(
item 1 "报送方式" 2 {
  input ch: choice [database "数据库对接", frontend "前置机", other "其他"]
  score points ch [database: 2, frontend: 2, other: 1]
}
item 2 "获奖" 5 {
  input aw: list of choice [national "国家级", province "省级", city "市级", county "县级"]
  score max_points aw [national: 5, province: 3, city: 1, otherwise: 0]
}
)");
    REQUIRE(prog);
    struct unit {
        const char* ch;  // nullptr: not given
        const char* aw;
        const char *s1, *s2;
        bool undefined1;
    };
    const unit units[] = {
        {"database", "[national, city]", "2", "5", false},  // 2; max(5, 1) = 5
        {"前置机", "[市级, 省级]", "2", "3", false},          // labels: frontend 2; max(1, 3) = 3
        {"other", "city", "1", "1", false},                 // 1; one element without brackets: 1
        {nullptr, "[county]", "0", "0", true},              // no choice: undefined, 0; county: otherwise 0
        {"其他", "[]", "1", "0", false},                    // 1; nothing held: 0
    };
    for (const unit& u : units) {
        CAPTURE(u.aw);
        rubric::fact_set f;
        f.reset(*prog);
        if (u.ch) REQUIRE(rubric::set_fact_text(*prog, static_cast<std::uint32_t>(prog->find_input("ch")), u.ch, f).empty());
        REQUIRE(rubric::set_fact_text(*prog, static_cast<std::uint32_t>(prog->find_input("aw")), u.aw, f).empty());
        REQUIRE(rubric::fill_missing(*prog, f).empty());
        rubric::evaluation fast(*prog), general(*prog);
        rubric::evaluate(*prog, f, fast);
        CHECK(rubric::detail::scored_on_fast_path(fast));
        rubric::detail::evaluate_on_general_path(*prog, f, general);
        for (const rubric::evaluation* ev : {&fast, &general}) {
            CHECK(ev->node_score(rubric::find_node(prog->tree(), "1")) == dec(u.s1));
            CHECK(ev->node_score(rubric::find_node(prog->tree(), "2")) == dec(u.s2));
            CHECK((ev->undefined_parts()[0] != 0) == u.undefined1);
        }
    }
    // A word that is neither a choice nor a label is refused, naming the choices.
    rubric::fact_set f;
    f.reset(*prog);
    const std::string refused = rubric::set_fact_text(*prog, static_cast<std::uint32_t>(prog->find_input("ch")), "数据库", f);
    CHECK(refused.find("database (数据库对接), frontend (前置机), other (其他)") != std::string::npos);
    CHECK_FALSE(rubric::set_fact_text(*prog, static_cast<std::uint32_t>(prog->find_input("aw")), "[national, 国家]", f).empty());
}

TEST_CASE("named values: a ratio may read a let and a let a ratio, in any order of writing; a let first read inside `where`") {
    // done / planned as a ratio, a let over it written before the ratio, a ratio over a let.
    // planned 8, done 6: r = 6/8 = 75%; half = 75% / 2 = 3/8; doubled = 2 × 3/8 = 3/4;
    // q = doubled / 1 = 75% (a ratio, within [0, 1]); item 1 = 75% × 1 = 0.75.
    // limit = r − 35% = 40%, read first inside item 2's `where`, then by item 3: 40% × 5 = 2.
    auto p = compile_text(R"(
let half = r / 2
ratio q = doubled / 1
let doubled = half * 2
ratio r = done / planned
let limit = r - 35%
item 1 "a" 1 { input done: count  input planned: count  score q * 1 }
item 2 "b" 2 { input shares: list of percent  score each 1 max 2 of count s in shares where s > limit }
item 3 "c" 2 { score limit * 5 }
)");
    REQUIRE(p);
    auto run = [&](const char* shares) {
        rubric::fact_set f;
        f.reset(*p);
        for (const auto& [name, text] : {std::pair<const char*, const char*>{"done", "6"}, {"planned", "8"}, {"shares", shares}}) {
            const int i = p->find_input(name);
            REQUIRE(i >= 0);
            REQUIRE(rubric::set_fact_text(*p, static_cast<std::uint32_t>(i), text, f).empty());
        }
        REQUIRE(rubric::fill_missing(*p, f).empty());
        rubric::evaluation ev(*p);  // a fresh one each time: nothing left from an earlier unit
        rubric::evaluate(*p, f, ev);
        std::vector<rubric::decimal> out;
        for (const char* code : {"1", "2", "3"}) out.push_back(ev.node_score(rubric::find_node(p->tree(), code)));
        return out;
    };
    // Only 50% is above 40%: item 2 = 1.
    CHECK(run("[30%, 40%, 50%]") == std::vector<rubric::decimal>{dec("0.75"), dec("1"), dec("2")});
    // An empty list: the loop body never runs, and item 3 still reads limit = 40%.
    CHECK(run("[]") == std::vector<rubric::decimal>{dec("0.75"), dec("0"), dec("2")});
}
