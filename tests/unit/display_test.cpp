// display.hpp: how scores are shown. append_shown_scores() writes a row of scores through a
// per-thread memo of recent texts; these tests hold it to the text worked out by hand from the
// rule, and to append_shown_score() one node at a time, with the rubric's places and rounding.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

rubric::program_ptr compile_text(const std::string& text) {
    auto r = rubric::parse_and_check(rubric::make_source("display.rubric", text));
    REQUIRE_MESSAGE(r.rubric, rubric::render(r.diags));
    return rubric::compile(std::move(*r.rubric));
}

// Scores one unit with facts given as (input, text) pairs; the row of every node in document order.
std::string row_of(const rubric::program& p, const std::vector<std::pair<std::string, std::string>>& given,
                   rubric::evaluation& ev, std::vector<std::size_t>* rounded = nullptr, char after = '\0') {
    rubric::fact_set f;
    f.reset(p);
    for (const auto& [name, text] : given) {
        const int i = p.find_input(name);
        REQUIRE(i >= 0);
        REQUIRE(rubric::set_fact_text(p, static_cast<std::uint32_t>(i), text, f).empty());
    }
    REQUIRE(rubric::fill_missing(p, f).empty());
    rubric::evaluate(p, f, ev);
    const auto order = rubric::document_order(p.tree());
    const std::vector<std::string> before(order.size(), ",");
    std::string out = "row";
    rubric::append_shown_scores(out, p, ev, order, before, after, rounded);
    // The same, node by node.
    std::string one = "row";
    std::vector<std::size_t> one_rounded;
    for (std::size_t k = 0; k < order.size(); ++k) {
        one += ',';
        if (rubric::append_shown_score(one, p, ev, order[k])) one_rounded.push_back(k);
        if (after) one += after;
    }
    CHECK(out == one);
    if (rounded) CHECK(*rounded == one_rounded);
    return out;
}

// Two items: a ratio shown at the header's places, and a plain count.
const char* const ratios = R"(rubric "显示" { total 10  rounding 2 }
item 1 "办结率" 5 { input done: count  input all: count  ratio r = done / all  score 5 * r }
item 2 "次数" 5 { input times: count  score min(5, times) }
)";

// `ratios` with its header's rounding ("rounding 2") written otherwise.
rubric::program_ptr ratios_rounded(const std::string& rounding) {
    std::string text = ratios;
    text.replace(text.find("rounding 2"), 10, rounding);
    return compile_text(text);
}

}  // namespace

TEST_CASE("a row of scores: rounded at the header's places, half up, without trailing zeros") {
    const auto p = compile_text(ratios);
    rubric::evaluation ev(*p);
    std::vector<std::size_t> rounded;
    // 5 × 2/3 = 3.333… → 3.33; 4 times → 4.
    CHECK(row_of(*p, {{"done", "2"}, {"all", "3"}, {"times", "4"}}, ev, &rounded) == "row,3.33,4");
    CHECK(rounded == std::vector<std::size_t>{0});
    // 5 × 1/2 = 2.5 (not 2.50); again, now from the memo.
    for (int i = 0; i < 3; ++i) {
        rounded.clear();
        CHECK(row_of(*p, {{"done", "1"}, {"all", "2"}, {"times", "9"}}, ev, &rounded) == "row,2.5,5");
        CHECK(rounded.empty());
    }
    // 5 × 1/8 = 0.625 → 0.63 (half up); 5 × 3/8 = 1.875 → 1.88.
    CHECK(row_of(*p, {{"done", "1"}, {"all", "8"}, {"times", "0"}}, ev) == "row,0.63,0");
    CHECK(row_of(*p, {{"done", "3"}, {"all", "8"}, {"times", "1"}}, ev, nullptr, '"') == "row,1.88\",1\"");
}

TEST_CASE("a row of scores: the memo keys the header's rounding, not only the value") {
    // The same fraction 5/8 = 0.625 under two rubrics on one thread: half_up gives 0.63,
    // half_even 0.62; 0 places gives 1.
    const auto up = compile_text(ratios);
    const auto even = ratios_rounded("rounding 2 half_even");
    const auto whole = ratios_rounded("rounding 0");
    rubric::evaluation a(*up), b(*even), c(*whole);
    for (int i = 0; i < 2; ++i) {
        CHECK(row_of(*up, {{"done", "1"}, {"all", "8"}, {"times", "2"}}, a) == "row,0.63,2");
        CHECK(row_of(*even, {{"done", "1"}, {"all", "8"}, {"times", "2"}}, b) == "row,0.62,2");
        CHECK(row_of(*whole, {{"done", "1"}, {"all", "8"}, {"times", "2"}}, c) == "row,1,2");
    }
}

TEST_CASE("a row of scores: a score rounds when its exact value has more places than the header's") {
    // Worked out by hand: at 2 places 5/8 = 0.625 rounds, 5/4 = 1.25 and 7/2 = 3.5 do not, 5/3
    // does; at 3 places 0.625 does not; at 0 places 2.5 rounds and 5 does not.
    const auto two = compile_text(ratios);
    const auto three = ratios_rounded("rounding 3");
    const auto whole = ratios_rounded("rounding 0");
    rubric::evaluation a(*two), b(*three), c(*whole);
    const auto rounds = [](const rubric::program& p, rubric::evaluation& ev, const char* done, const char* all) {
        std::vector<std::size_t> rounded;
        row_of(p, {{"done", done}, {"all", all}, {"times", "1"}}, ev, &rounded);
        return !rounded.empty();
    };
    for (int i = 0; i < 2; ++i) {  // made, then from the memo
        CHECK(rounds(*two, a, "1", "8"));
        CHECK_FALSE(rounds(*two, a, "1", "4"));
        CHECK_FALSE(rounds(*two, a, "7", "10"));
        CHECK(rounds(*two, a, "1", "3"));
        CHECK_FALSE(rounds(*three, b, "1", "8"));
        CHECK(rounds(*three, b, "1", "3"));
        CHECK(rounds(*whole, c, "1", "2"));
        CHECK_FALSE(rounds(*whole, c, "1", "1"));
    }
}

TEST_CASE("a row of scores: a text longer than the memo keeps is written whole") {
    // 1234567890123 / 7 = 176366841446.142857142857142857142857…; 20 places, half up: the 21st
    // digit is 1, so 176366841446.14285714285714285714 (33 characters).
    const auto p = compile_text(R"(rubric "长" { total 200000000000  rounding 20 }
item 1 "大数" 200000000000 { input x: count  score x / 7 }
)");
    rubric::evaluation ev(*p);
    std::vector<std::size_t> rounded;
    CHECK(row_of(*p, {{"x", "1234567890123"}}, ev, &rounded) == "row,176366841446.14285714285714285714");
    CHECK(rounded == std::vector<std::size_t>{0});
}

TEST_CASE("a row of scores: each thread has its own memo") {
    const auto p = compile_text(ratios);
    std::vector<std::string> rows(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < rows.size(); ++t)
        threads.emplace_back([&, t] {
            rubric::evaluation ev(*p);
            rubric::fact_set f;
            f.reset(*p);
            for (int u = 0; u < 2000; ++u) {
                const std::string all = std::to_string(1 + (u + t) % 9);
                f.reset(*p);
                rubric::set_fact_text(*p, 0, "1", f);
                rubric::set_fact_text(*p, 1, all, f);
                rubric::set_fact_text(*p, 2, "3", f);
                rubric::fill_missing(*p, f);
                rubric::evaluate(*p, f, ev);
                const auto order = rubric::document_order(p->tree());
                std::string out;
                rubric::append_shown_scores(out, *p, ev, order, std::vector<std::string>(order.size(), ","), '\0', nullptr);
                if (u == 1999) rows[t] = out;
            }
        });
    for (auto& th : threads) th.join();
    // u = 1999: all = 1 + (1999 + t) % 9: t=0 → 2 (2.5), t=1 → 3 (1.67), t=2 → 4 (1.25), t=3 → 5 (1).
    CHECK(rows[0] == ",2.5,3");
    CHECK(rows[1] == ",1.67,3");
    CHECK(rows[2] == ",1.25,3");
    CHECK(rows[3] == ",1,3");
}
