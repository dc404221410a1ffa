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

// The same for the forms that came with the one rule for undefined (CI's fuzz_eval, 7 Dec 2026,
// from the points seed): a missing choice matches no word and is undefined, so `points ch [a: 2,
// otherwise: 1]` scores 1..2 when given and 0 when not: 0..2 (1..2 when the choice is required);
// a let is what its expression is (a ratio without `if zero`: 0..2); a
// deduction per an undefined count is undefined (4 − 1 per (1 − r), r in [0, 1]: 3..4, or 0).
TEST_CASE("range analysis: a missing choice, a let and a deduction may have no value") {
    auto r = check_text(R"(
item 1 "a" 2 { input ch: choice [a, b]  score points ch [a: 2, otherwise: 1] }
item 2 "b" 2 { input ch2: choice [a, b] missing error  score points ch2 [a: 2, otherwise: 1] }
let share = done / due
item 3 "d" 2 { input done: count  input due: count  score share + 1 }
item 4 "e" 4 { input d5: count  input p5: count  ratio r5 = d5 / p5  score deduct 1 per (1 - r5) from 4 }
)");
    REQUIRE_MESSAGE(r.rubric, rubric::render(r.diags));
    const auto& ranges = r.rubric->node_ranges;
    CHECK(*ranges[0].lo == rubric::decimal(0));
    CHECK(*ranges[0].hi == rubric::decimal(2));
    CHECK(*ranges[1].lo == rubric::decimal(1));
    CHECK(*ranges[2].lo == rubric::decimal(0));
    CHECK(*ranges[3].lo == rubric::decimal(0));
    CHECK(*ranges[3].hi == rubric::decimal(4));
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

TEST_CASE("N-undefined-scores-zero: a note where the rule for undefined overrides a form's 'nothing counted'") {
    // GRAMMAR.md, "One rule for undefined". r has no `if zero`. Noted: item 1 (a deduction per r: not
    // "nothing to deduct", so not 12), item 4 (the same inside `if … else`), item 6 (drop of r).
    // Not noted: item 2 (12 * r: plain arithmetic, 0 in every reading), item 3 (`if zero 1`), item 5
    // (each counts conditions; a comparison with r is false), item 7 (a comparison).
    const std::string text = R"(item 1 "a" 12 { input d: count  input n: count  ratio r = d / n  score deduct 2 per r }
item 2 "b" 12 { score 12 * r }
item 3 "c" 12 { input d3: count  input n3: count  ratio r3 = d3 / n3 if zero 1  score deduct 12 per (1 - r3) }
item 4 "d" 12 { input ok: bool  score if ok then 12 else deduct 12 per (1 - r) }
item 5 "e" 1 { input b1: bool  input b2: bool  score each 0.5 of [b1, b2 and r >= 50%] }
item 6 "f" 1 { score drop 0.1 per 1% below 100% of r }
item 7 "g" 1 { score if r >= 80% then 1 }
)";
    auto r = check_text(text);
    REQUIRE(r.rubric);
    std::vector<const rubric::diagnostic*> notes;
    for (const auto& d : r.diags)
        if (d.code == "N-undefined-scores-zero") notes.push_back(&d);
    REQUIRE(notes.size() == 3);
    CHECK(notes[0]->level == rubric::severity::note);
    // line 1: `per r` — r is 5 columns after where "per r" starts (1-based columns; the line is ASCII)
    CHECK(notes[0]->where.begin.line == 1);
    CHECK(notes[0]->where.begin.column == text.find("per r") + 5);
    CHECK(rubric::message_in(*notes[0], rubric::lang::en) ==
          "when r is undefined (its denominator is 0), this score part of item 1 is undefined and scores 0, not as if "
          "nothing were counted");
    CHECK(rubric::message_in(*notes[0], rubric::lang::zh) ==
          "r 无定义（分母为 0）时，评分项 1 的这一部分也无定义，计 0 分，不当作“计数为 0”");
    CHECK(rubric::expected_in(*notes[0], rubric::lang::zh) == "在比率后写 `如果 零 值`（if zero），说明 0/0 时按多少计");
    CHECK(notes[1]->where.begin.line == 4);
    CHECK(notes[1]->message.find("item 4") != std::string::npos);
    CHECK(notes[2]->where.begin.line == 6);
    // A rubric with an error gets no such notes (they would be about a rubric that does not run).
    auto bad = check_text("item 1 \"a\" 12 { input d: count  input n: count  ratio r = d / n  score deduct 2 per r + zz }\n");
    CHECK_FALSE(bad.rubric);
    CHECK(std::none_of(bad.diags.begin(), bad.diags.end(),
                       [](const rubric::diagnostic& d) { return d.code == "N-undefined-scores-zero"; }));
}

TEST_CASE("points and max_points: every choice has points (or otherwise), words are choices, the range feeds the item") {
    // GRAMMAR.md, "points and max_points".
    auto ok = check_text(R"(item 1 "a" 2 {
  input ch: choice [database "数据库对接", frontend "前置机", other "其他"]
  score points ch [database: 2, frontend: 2, other: 1]
}
item 2 "b" 5 {
  input aw: list of choice [national "国家级", province "省级", city "市级", county "县级"]
  score max_points aw [national: 5, province: 3, city: 1, otherwise: 0]
}
item 3 "c" 1 { score points ch [database: 2, otherwise: 0] }
)");
    REQUIRE(ok.rubric);
    const auto& t = ok.rubric->tree;
    CHECK(t.inputs[0].choices == std::vector<std::string>{"database", "frontend", "other"});
    CHECK(t.inputs[0].choice_labels == std::vector<std::string>{"数据库对接", "前置机", "其他"});
    CHECK(t.inputs[1].type == rubric::input_type::list);
    CHECK(t.inputs[1].element == rubric::input_type::choice);
    // 1: fewest 1, most 2, and 0 when ch is missing (no word: undefined, the part scores 0) →
    // [0, 2]; 2: 0 (empty list, county) .. 5; 3: 0..2, above its 1 point: N-clamp
    const auto range = [&](const char* code) { return ok.rubric->raw_ranges[rubric::find_node(t, code)]; };
    CHECK(*range("1").lo == dec("0"));
    CHECK(*range("1").hi == dec("2"));
    CHECK(*range("2").lo == dec("0"));
    CHECK(*range("2").hi == dec("5"));
    CHECK(std::any_of(ok.diags.begin(), ok.diags.end(), [](const rubric::diagnostic& d) { return d.code == "N-clamp"; }));
    CHECK(codes(ok).empty());

    // a choice without points, no otherwise: the choices left out are named
    auto missing = check_text(R"(item 1 "a" 2 {
  input ch: choice [database, frontend, other]
  score points ch [database: 2]
})");
    REQUIRE(has(missing, "E-points-option"));
    const auto& m = *std::find_if(missing.diags.begin(), missing.diags.end(),
                                  [](const rubric::diagnostic& d) { return d.code == "E-points-option"; });
    CHECK(rubric::message_in(m, rubric::lang::en) == "these choices of `ch` have no points: frontend, other");
    CHECK(rubric::message_in(m, rubric::lang::zh) == "`ch` 的以下选项没有分值：frontend, other");
    CHECK(m.where.begin.line == 3);
    CHECK(m.where.begin.column == 9);  // "  score " is 8 columns: the form starts at 9

    // a word that is not a choice; a word given twice; a subject that is not a choice
    auto wrong = check_text(R"(item 1 "a" 2 {
  input ch: choice [database, frontend]
  input n: count
  score points ch [database: 2, fronted: 1, otherwise: 0]
  score points ch [database: 2, database: 1, frontend: 0]
  score points n [database: 1]
  score max_points ch [database: 1, frontend: 0]
})");
    CHECK(codes(wrong) == std::vector<std::string>{"E-choice", "E-points-option", "E-type", "E-type"});
}

TEST_CASE("a choice's label names its word in a comparison and in points, as it does in the facts") {
    // GRAMMAR.md, "Labels": ch == "前置机" is ch == "frontend"; points ch ["数据库对接": 2, …] gives database 2.
    auto r = check_text(R"(item 1 "a" 2 {
  input ch: choice [database "数据库对接", frontend "前置机", other]
  score if ch == "前置机" then 2
}
item 2 "b" 2 { score points ch ["数据库对接": 2, frontend: 1, other: 0] }
)");
    REQUIRE(r.rubric);
    CHECK(codes(r).empty());
    const auto& t = r.rubric->tree;
    const auto& cmp = t.exprs[t.exprs[t.nodes[rubric::find_node(t, "1")].parts[0].expr].args[0]];
    CHECK(t.exprs[cmp.args[1]].text == "frontend");
    const auto& pts = t.exprs[t.nodes[rubric::find_node(t, "2")].parts[0].expr];
    CHECK(pts.options[0].word == "database");
    CHECK(pts.nums == std::vector<rubric::decimal>{dec("2"), dec("1"), dec("0")});
    // a text that is neither a word nor a label is still E-choice
    auto bad = check_text("item 1 \"a\" 2 {\n  input ch: choice [database \"数据库对接\"]\n  score if ch == \"数据库\" then 2\n}\n");
    CHECK(has(bad, "E-choice"));
}

TEST_CASE("named values (let): scope, one name one meaning, no circles, a number or a condition") {
    auto message_of = [](const rubric::check_result& r, const std::string& code, rubric::lang l) {
        for (const auto& d : r.diags)
            if (d.code == code) return rubric::message_in(d, l);
        return std::string("(no ") + code + ")";
    };
    // Read anywhere below: a top-level let from an item and a warning; a section's let from an
    // item of a section below it. No diagnostic at all.
    auto ok = check_text(R"(
let staff = permanent + temporary
section 1 "a" 2 {
  let per_head = hours / staff
  section 1.1 "b" 2 {
    item 1.1.1 "c" 2 { input permanent: count  input temporary: count  input hours: count  score if per_head >= 40 then 2 }
  }
}
warn "人少" if staff < 3
)");
    CHECK(codes(ok).empty());
    REQUIRE(ok.rubric);
    const auto& t = ok.rubric->tree;
    REQUIRE(t.lets.size() == 2);
    CHECK(t.lets[0].owner == rubric::no_id);
    CHECK(t.nodes[t.lets[1].owner].code == "1");
    // per_head reads staff: staff comes first in the checker's order.
    CHECK(ok.rubric->let_order == std::vector<std::uint32_t>{0, 1});
    // `a + b` of two counts is a count; `a / b` a plain number (the let's type is its expression's).
    CHECK(ok.rubric->types[t.lets[0].expr].measure == rubric::unit::count);
    CHECK(ok.rubric->types[t.lets[1].expr].measure == rubric::unit::plain);

    // A section's let outside its section (an item of another section, a warning).
    auto scope = check_text(R"(
section 1 "a" 1 { let x = n * 2  item 1.1 "c" 1 { input n: count  score if x > 2 then 1 } }
section 2 "b" 1 { item 2.1 "d" 1 { score if x > 4 then 1 } }
warn "w" if x > 8
)");
    const auto scope_codes = codes(scope);
    CHECK(std::count(scope_codes.begin(), scope_codes.end(), "E-let-scope") == 2);
    CHECK(message_of(scope, "E-let-scope", rubric::lang::en) ==
          "`x` is a named value of section 1 \"a\": only the rules inside that section can read it");
    CHECK(message_of(scope, "E-let-scope", rubric::lang::zh) == "`x` 是指标 1“a”的命名值：只有该指标内的规则可以读取");

    // Unknown name inside a let; a let with the name of an input; a section's let hiding the top one.
    CHECK(has(check_text("let x = nope * 2\nitem 1 \"a\" 1 { score if x > 1 then 1 }\n"), "E-undeclared"));
    auto dup = check_text("input n: count\nlet n = 2\nitem 1 \"a\" 1 { score if n > 1 then 1 }\n");
    CHECK(has(dup, "E-duplicate-name"));
    auto shadow = check_text(R"(
let x = 1
section 1 "a" 1 { let x = 2  item 1.1 "c" 1 { score if x > 1 then 1 } }
)");
    CHECK(has(shadow, "E-let-shadow"));
    CHECK(message_of(shadow, "E-let-shadow", rubric::lang::en) == "the named value `x` hides the one of the same name declared on line 2");
    CHECK(message_of(shadow, "E-let-shadow", rubric::lang::zh) == "命名值 `x` 遮住了第 2 行声明的同名命名值");
    // Two sections may each have their own x: neither can read the other's.
    auto apart = check_text(R"(
section 1 "a" 1 { let x = 1  item 1.1 "c" 1 { score if x > 0 then 1 } }
section 2 "b" 1 { let x = 2  item 2.1 "d" 1 { score if x > 0 then 1 } }
)");
    CHECK(has(apart, "E-duplicate-name"));  // names are global (GRAMMAR.md §2): still one meaning each

    // A circle, through a ratio too; the chain is named.
    auto cycle = check_text("let a = b + 1\nlet b = a * 2\nitem 1 \"x\" 1 { score if a > 1 then 1 }\n");
    CHECK(has(cycle, "E-let-cycle"));
    CHECK(message_of(cycle, "E-let-cycle", rubric::lang::en) == "the named value `a` depends on itself: a → b → a");
    CHECK(message_of(cycle, "E-let-cycle", rubric::lang::zh) == "命名值 `a` 依赖自身：a → b → a");
    auto self = check_text("let a = a + 1\nitem 1 \"x\" 1 { score if a > 1 then 1 }\n");
    CHECK(message_of(self, "E-let-cycle", rubric::lang::en) == "the named value `a` depends on itself: a → a");
    auto via_ratio = check_text("input n: count\nlet a = r * 2\nratio r = a / n\nitem 1 \"x\" 1 { score if a > 1 then 1 }\n");
    CHECK(has(via_ratio, "E-let-cycle"));

    // A choice cannot be named; a form that needs an item's subject or points.
    auto choice = check_text("input c: choice [\"好\", \"差\"]\nlet k = c\nitem 1 \"x\" 1 { score if k == \"好\" then 1 }\n");
    CHECK(has(choice, "E-let-type"));
    CHECK(message_of(choice, "E-let-type", rubric::lang::en) == "the named value `k` is a choice: a let holds a number or a condition");
    CHECK(message_of(choice, "E-let-type", rubric::lang::zh) == "命名值 `k` 是选项：命名值只能是数值或条件");
    auto form = check_text("input n: count\nlet d = deduct 1 per n\nitem 1 \"x\" 2 { score d }\n");
    CHECK(has(form, "E-let-form"));
    CHECK(!has(check_text("input n: count\nlet d = deduct 1 per n from 2\nitem 1 \"x\" 2 { score d }\n"), "E-let-form"));

    // Unused; a cohort form over a let that reads the cohort.
    auto unused = check_text("input n: count\nlet x = n * 2\nitem 1 \"x\" 1 { score if n > 1 then 1 }\n");
    CHECK(has(unused, "W-unused-let"));
    CHECK(message_of(unused, "W-unused-let", rubric::lang::zh) == "命名值 `x` 从未使用");
    CHECK(has(check_text("input n: count\nlet m = cohort_mean(n)\nitem 1 \"x\" 1 { score if n > cohort_max(m) then 1 }\n"),
              "E-cohort-nested"));
}

TEST_CASE("named values: the Chinese spelling 设 reads like let") {
    auto en = check_text("let x = n * 2 \"两倍\"\nitem 1 \"a\" 1 { input n: count  score if x > 2 then 1 }\n");
    auto zh = check_text("设 x ＝ n × 2 \"两倍\"\n评分项 1 \"a\" 1 { 输入 n： 计数  得分 如果 x ＞ 2 则 1 }\n");
    for (const auto* r : {&en, &zh}) {
        CHECK(codes(*r).empty());
        REQUIRE(r->rubric);
        REQUIRE(r->rubric->tree.lets.size() == 1);
        CHECK(r->rubric->tree.lets[0].name == "x");
        CHECK(r->rubric->tree.lets[0].label == "两倍");
    }
}
