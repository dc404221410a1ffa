// Evaluation: exact scores for every scoring form. The expected values live in
// the example rubrics' `test` blocks, each worked out by hand from the quoted
// prose rule (see the comment above each test there); this file runs them and
// checks the evaluator's own guarantees (exactness, clamping, no allocation).
#include <doctest/doctest.h>

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
    CHECK(ev.total() == dec("6.4"));  // 1 + 5 + 0.4, as in deduct.rubric's "部分扣分" minus late/unreported
}
