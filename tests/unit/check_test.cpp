// check(): every diagnostic class, range analysis, implicit subjects, derived codes.
#include <doctest/doctest.h>

#include <algorithm>

#include "rubric/rubric.hpp"

namespace {

rubric::check_result check_text(const std::string& text) {
    auto p = rubric::parse(rubric::make_source("t.rubric", text));
    REQUIRE_MESSAGE(p.tree, (rubric::render(p.diags)));
    return rubric::check(std::move(*p.tree));
}

std::vector<std::string> codes(const rubric::check_result& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diags)
        if (d.level != rubric::severity::note) out.push_back(d.code);
    return out;
}

bool has(const rubric::check_result& r, const std::string& code) {
    const auto c = codes(r);
    return std::find(c.begin(), c.end(), code) != c.end();
}

rubric::decimal dec(const char* s) { return rubric::decimal::from_string(s); }

}  // namespace

TEST_CASE("codes are derived from document order unless written") {
    auto r = check_text(R"(
section "法治政府" 2 {
  section "决策" 2 {
    item "a" 1 { input a: bool  score if a then 1 }
    item "b" 1 { input b: bool  score if b then 1 }
  }
}
section 2 "政务公开" 1 { item 2.1 "c" 1 { input c: bool  score if c then 1 } }
)");
    REQUIRE(r.rubric);
    const auto& t = r.rubric->tree;
    CHECK(rubric::find_node(t, "1.1.2") != rubric::no_id);
    CHECK(t.nodes[rubric::find_node(t, "1.1.2")].name == "b");
    CHECK(t.nodes[rubric::find_node(t, "2.1")].name == "c");
}

TEST_CASE("the seeds' point sums are checked: 法治政府 12 = 4 + 4.5 + 3.5") {
    auto ok = check_text(R"(
rubric "t" { total 12 }
section 1 "法治政府" 12 {
  item 1.1 "a" 4 { input a: judged 0..4  score a }
  item 1.2 "b" 4.5 { input b: judged 0..4.5  score b }
  item 1.3 "c" 3.5 { input c: judged 0..3.5  score c }
}
)");
    CHECK(codes(ok).empty());
    auto bad = check_text(R"(
rubric "t" { total 100 }
section 1 "法治政府" 12 {
  item 1.1 "a" 4 { input a: judged 0..4  score a }
  item 1.2 "b" 4.5 { input b: judged 0..4.5  score b }
}
)");
    CHECK(codes(bad) == std::vector<std::string>{"W-points-sum", "W-points-sum"});
    CHECK(bad.diags[0].message == "the top-level points add up to 12, not the declared total 100");
    CHECK(bad.diags[1].message == "section 1 \"法治政府\" has 12 points but its children add up to 8.5 (4 + 4.5)");
}

TEST_CASE("type errors") {
    CHECK(has(check_text("item 1 \"x\" 1 { input a: bool  score a * 1 }"), "E-type"));
    CHECK(has(check_text("item 1 \"x\" 1 { input p: percent  input n: count  score if p > n then 1 }"), "E-type"));
    CHECK(has(check_text("item 1 \"x\" 1 { input n: count  score if n then 1 }"), "E-type"));
    CHECK(has(check_text("item 1 \"x\" 1 { input p: percent  score if p >= 80 then 1 }"), "E-percent-literal"));
    CHECK(has(check_text("item 1 \"x\" 1 { input c: choice [甲, 乙]  score if c == \"丙\" then 1 }"), "E-choice"));
    CHECK(has(check_text("item 1 \"x\" 1 { input c: choice [甲, 乙]  score c + 1 }"), "E-type"));
    // a bare choice word is accepted as the word
    CHECK(codes(check_text("item 1 \"x\" 1 { input c: choice [甲, 乙]  score if c == 甲 then 1 }")).empty());
}

TEST_CASE("names: undeclared (with a suggestion), duplicate, unused") {
    auto r = check_text("item 1 \"x\" 1 { input 录入率: percent  input 录入率: count  input 未用: bool  score 录入律 * 1 }");
    CHECK(has(r, "E-duplicate-name"));
    CHECK(has(r, "W-unused-input"));
    const auto it = std::find_if(r.diags.begin(), r.diags.end(), [](const auto& d) { return d.code == "E-undeclared"; });
    REQUIRE(it != r.diags.end());
    CHECK(it->expected == "did you mean `录入率`?");
}

TEST_CASE("tiers: strictly ordered, one direction, points within the item") {
    CHECK(has(check_text("item 1 \"x\" 3 { input p: percent  score tier p >=80%:2 >=90%:3 }"), "E-tier-order"));
    CHECK(has(check_text("item 1 \"x\" 3 { input p: percent  score tier p >=80%:2 <=50%:1 }"), "E-tier-direction"));
    CHECK(has(check_text("item 1 \"x\" 2 { input p: percent  score tier p >=80%:3 }"), "E-tier-points"));
    CHECK(has(check_text("item 1 \"x\" 2 { input p: percent  score tier p >=150%:2 }"), "E-percent-literal"));
    // > then >= at the same bound is strictly ordered: above 80% → 2, exactly 80% → 1
    CHECK(codes(check_text("item 1 \"x\" 2 { input p: percent  score tier p >80%:2 >=80%:1 }")).empty());
}

TEST_CASE("range analysis: what an item can score, and where it can never reach its points") {
    auto r = check_text(R"(
item 1 "网上服务" 2 { input a: bool  input b: bool  input c: bool  score each 0.5 max 2 }
item 2 "each capped" 2 { input a2: bool  input b2: bool  input c2: bool  input d2: bool  input e2: bool  score each 0.5 max 2 }
item 3 "deduct" 3 { input n: count  score deduct 1 per n max 3 }
item 4 "tier" 3 { input q: percent  score tier q >=90%:3 >=80%:2 }
)");
    REQUIRE(r.rubric);
    const auto& ranges = r.rubric->node_ranges;
    CHECK(*ranges[0].hi == dec("1.5"));  // 3 × 0.5 < 2
    CHECK(*ranges[1].hi == rubric::decimal(2));
    CHECK(*ranges[2].lo == rubric::decimal(0));
    CHECK(*ranges[2].hi == rubric::decimal(3));
    CHECK(*ranges[3].lo == rubric::decimal(0));
    CHECK(*ranges[3].hi == rubric::decimal(3));
    CHECK(codes(r) == std::vector<std::string>{"W-unreachable-points", "W-cap-unreachable"});
    CHECK(r.diags[0].message == "item 1 can never earn its full 2 points: its rule gives at most 1.5");
}

// A part with no value (a ratio over a zero denominator, no `if zero`) scores 0 (evaluate.inl),
// so an item's range includes 0 then (fuzz_eval's campaign, 7 Dec 2026): completion is in
// [0, 1], completion + 2 in [2, 3], cut to the 2 points; but planned = 0 makes completion
// undefined and item 1 scores 0, so its range is 0..2, not 2..2. With `if zero 1` completion
// is 1 there: 3, cut to 2, and the range stays 2..2. A comparison with no value is false, so
// `if completion >= 50% then 2 else 1` scores 1 or 2 whatever the denominator: 1..2. A plain
// division likewise: by a count (0 possible) 0..2, by a required count 1..10 2..2.
TEST_CASE("range analysis: a part that may have no value scores 0") {
    auto r = check_text(R"(
item 1 "x" 2 { input done: count  input planned: count  ratio completion = done / planned  score completion + 2 }
item 2 "y" 2 { input d: count  input p: count  ratio c = d / p if zero 1  score c + 2 }
item 3 "z" 2 { input d3: count  input p3: count  ratio c3 = d3 / p3  score if c3 >= 50% then 2 else 1 }
item 4 "w" 2 { input d4: count  input p4: count 1..10 missing error  score d4 / p4 + 2 }
item 5 "v" 2 { input d5: count  input p5: count  score d5 / p5 + 2 }
)");
    REQUIRE(r.rubric);
    const auto& ranges = r.rubric->node_ranges;
    CHECK(*ranges[0].lo == rubric::decimal(0));
    CHECK(*ranges[0].hi == rubric::decimal(2));
    CHECK(*ranges[1].lo == rubric::decimal(2));
    CHECK(*ranges[2].lo == rubric::decimal(1));
    CHECK(*ranges[2].hi == rubric::decimal(2));
    CHECK(*ranges[3].lo == rubric::decimal(2));  // p4 is 1..10 and must be given: never 0
    CHECK(*ranges[4].lo == rubric::decimal(0));  // p5 may be 0
}

TEST_CASE("the implicit subject of each and tier") {
    auto r = check_text(R"(
item 1 "x" 1 { input a: bool  input b: bool  score each 0.5 }
item 2 "y" 2 { input done: count  input all: count  ratio rate = done / all  score tier >=90%:2 >=80%:1 }
item 3 "z" 1 { input p: percent  input q: percent  score tier >=90%:1 }
)");
    CHECK(codes(r) == std::vector<std::string>{"W-unused-input", "W-unused-input", "E-no-subject"});
    CHECK(r.diags.back().where.begin.line == 4);
}

TEST_CASE("division by a literal zero; items without points or rules; tests that refer to nothing") {
    CHECK(has(check_text("item 1 \"x\" 1 { input n: count  score n / 0 }"), "E-div-zero"));
    CHECK(has(check_text("item 1 \"x\" { input a: bool  score if a then 1 }"), "E-no-points"));
    CHECK(has(check_text("item 1 \"x\" 1 { standard \"…\" }"), "E-no-score"));
    auto t = check_text("item 1 \"x\" 1 { input a: bool  score if a then 1 }\ntest \"t\" { given b = true  expect 9 = 1 }");
    CHECK(has(t, "E-test-given"));
    CHECK(has(t, "E-test-expect"));
}

TEST_CASE("every diagnostic comes at once, in source order") {
    auto r = check_text(R"(
item 1 "a" 1 { input a: bool  score a * 2 }
item 1 "b" 1 { input b: percent  score if b >= 85 then 1 }
item 3 "c" 1 { score undefined_name }
)");
    CHECK(codes(r) == std::vector<std::string>{"E-type", "E-duplicate-code", "E-percent-literal", "E-undeclared"});
    for (std::size_t i = 1; i < r.diags.size(); ++i)
        CHECK(r.diags[i - 1].where.begin.offset <= r.diags[i].where.begin.offset);
}

TEST_CASE("input ranges: a fractional count end, and a percent above 100% shown as written") {
    auto count = check_text("item 1 \"a\" 1 { input c: count 0..2.5  score deduct 0.2 per c }\n");
    CHECK(codes(count) == std::vector<std::string>{"E-input-range"});
    CHECK(count.diags[0].message == "a count's range must be whole numbers");
    auto pct = check_text("item 1 \"a\" 1 { input r: percent 0..150%  score if r >= 90% then 1 }\n");
    CHECK(codes(pct) == std::vector<std::string>{"E-input-range"});
    CHECK(pct.diags[0].message == "a percent lies within 0%..100%; 150% is more than 100%");
    auto plain = check_text("item 1 \"a\" 1 { input r: percent 0..1.5  score if r >= 90% then 1 }\n");
    REQUIRE(has(plain, "E-input-range"));
    CHECK(plain.diags[0].message == "a percent lies within 0%..100%; 1.5 is more than 100%");
}

TEST_CASE("an item with an error gets no warnings from the analysis of its broken rule") {
    // without points: only E-no-points; its rule still reads `open`, which is not "never used"
    auto no_points = check_text("item 1 \"a\" {\n  input open: bool\n  score if open then 1\n}\n");
    CHECK(codes(no_points) == std::vector<std::string>{"E-no-points"});
    // a condition as the score: not also "can never score above 0"
    CHECK(codes(check_text("item 1 \"a\" 1 { input open: bool  score open }\n")) == std::vector<std::string>{"E-type"});
    // a band above 100%: not also "this tier can never apply", "can never earn its full 3 points"
    CHECK(codes(check_text("item 1 \"a\" 3 { input r: percent  score tier r >=120%:3 >=80%:2 }\n")) ==
          std::vector<std::string>{"E-percent-literal"});
    // an `==` band: one error, the other bands do not "mix directions" with it
    CHECK(codes(check_text("item 1 \"a\" 3 { input r: percent  score tier r ==100%:3 >=80%:2 }\n")) ==
          std::vector<std::string>{"E-tier-op"});
    // an item reading an input whose range is empty
    CHECK(codes(check_text("item 1 \"a\" 1 { input c: count 5..1  score deduct 0.2 per c }\n")) ==
          std::vector<std::string>{"E-input-range"});
    // an item without errors keeps its warnings
    CHECK(has(check_text("item 1 \"a\" 3 { input open: bool  score if open then 2 }\n"), "W-unreachable-points"));
}

TEST_CASE("adjustments: items without points, caps that let 0 through, ranges that go below zero") {
    auto ok = check_text(R"(
item 1 "a" 10 { input x: count 0..10  score x }
adjustments "综合奖扣分" max +5 min -10 {
  item "award" { input award: bool  score if award then 2 }
  item "criticism" { input c: count 0..5  score -3 * c }
}
)");
    REQUIRE(ok.rubric);
    CHECK(codes(ok).empty());
    const auto& t = ok.rubric->tree;
    const auto block = rubric::find_node(t, "2"), criticism = rubric::find_node(t, "2.2");
    // The criticism item is not clamped: −3 × [0, 5] = [−15, 0]. The block: award [0, 2] + [−15, 0]
    // = [−15, 2], within [−10, 5] → [−10, 2].
    CHECK(ok.rubric->node_ranges[criticism].lo == dec("-15"));
    CHECK(ok.rubric->node_ranges[criticism].hi == dec("0"));
    CHECK(ok.rubric->node_ranges[block].lo == dec("-10"));
    CHECK(ok.rubric->node_ranges[block].hi == dec("2"));
    CHECK(t.nodes[block].adjust_max == dec("5"));
    CHECK(t.nodes[block].adjust_min == dec("-10"));

    CHECK(has(check_text("adjustments \"x\" { item \"y\" 2 { input z: bool  score if z then 1 } }\n"), "E-adjustment-points"));
    CHECK(has(check_text("adjustments \"x\" max -1 { item \"y\" { input z: bool  score if z then 1 } }\n"), "E-adjustment-caps"));
    CHECK(has(check_text("adjustments \"x\" min +1 { item \"y\" { input z: bool  score if z then 1 } }\n"), "E-adjustment-caps"));
}

TEST_CASE("a score written below zero in an ordinary item is a warning; in adjustments or as a penalty it is not") {
    CHECK(has(check_text("item 1 \"a\" 1 { input ok: bool  score if ok then 1 else -1 }\n"), "W-negative-score"));
    CHECK(has(check_text("item 1 \"a\" 1 { input ok: bool  score if ok then -1 }\n"), "W-negative-score"));
    CHECK_FALSE(has(check_text("item 1 \"a\" 1 { input ok: bool  score if ok then 1 else 0 }\n"), "W-negative-score"));
    CHECK_FALSE(has(check_text("item 1 \"a\" 1 { input n: count  score 1  score penalty 0.5 per n max 1 }\n"),
                    "W-negative-score"));
    CHECK_FALSE(has(check_text("adjustments \"x\" { item \"y\" { input ok: bool  score if ok then 1 else -1 } }\n"),
                    "W-negative-score"));
}
