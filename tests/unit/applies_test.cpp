// Parts that apply only to some units (section … by ATTRIBUTE { case … }, applies.hpp): the
// checker's rules and messages in both languages, the scores (fast path, general path, batch),
// what applies, and how eval, explain, coverage, tests and the lost-points analysis leave out
// what does not apply. Every expected value is worked out by hand in the comment above it.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

// 1 is common (4 points); section 2 (6 points) is by `kind`: the 水利局 has 2.1 (6 points), the
// 交通局 and the park (named by its label 县公园) have 2.2 (2) and 2.3 (4). Codes go on counting.
const char* const county = R"(rubric "t" { total 10 }
input kind: choice [water "县水利局", road "县交通局", park "县公园"] "责任单位"
item 1 "共性" 4 { input a: bool  score if a then 4 }
section 2 "履职" 6 by kind {
  case water {
    item "水" 6 { input w: count 0..10  score w }
  }
  case road, "县公园" {
    item "路" 2 { input r: bool  score if r then 2 }
    item "园" 4 { input g: percent  score 4 * g }
  }
}
)";

rubric::check_result check_text(const std::string& text) {
    auto p = rubric::parse(rubric::make_source("t.rubric", text));
    REQUIRE_MESSAGE(p.tree, rubric::render(p.diags));
    return rubric::check(std::move(*p.tree));
}

rubric::program_ptr build(const std::string& text) {
    auto r = check_text(text);
    REQUIRE_MESSAGE(r.rubric, rubric::render(r.diags));
    return rubric::compile(std::move(*r.rubric));
}

// The first diagnostic with `code`, or null.
const rubric::diagnostic* find(const rubric::check_result& r, const std::string& code) {
    for (const auto& d : r.diags)
        if (d.code == code) return &d;
    return nullptr;
}

rubric::fact_set facts(const rubric::program& p, std::vector<std::pair<const char*, const char*>> given) {
    rubric::fact_set f;
    f.reset(p);
    for (const auto& [name, value] : given) {
        const int i = p.find_input(name);
        REQUIRE(i >= 0);
        REQUIRE(rubric::set_fact_text(p, static_cast<std::uint32_t>(i), value, f).empty());
    }
    REQUIRE(rubric::fill_missing(p, f).empty());
    return f;
}

rubric::node_id node(const rubric::program& p, const char* code) {
    const rubric::node_id id = rubric::find_node(p.tree(), code);
    REQUIRE(id != rubric::no_id);
    return id;
}

rubric::decimal dec(const char* s) { return rubric::decimal::from_string(s); }

// Unit A, the 水利局: a = true → 1 = 4; w = 5 → 2.1 = 5; section 2 = 5; total 9.
// Unit B, the park (by its label): a = false → 0; w = 9 is given but 2.1 does not apply (not 6);
// r = true → 2.2 = 2; g = 25% → 2.3 = 4 × 0.25 = 1; section 2 = 3; total 3.
std::vector<std::pair<const char*, const char*>> unit_a() { return {{"kind", "water"}, {"a", "true"}, {"w", "5"}}; }
std::vector<std::pair<const char*, const char*>> unit_b() {
    return {{"kind", "县公园"}, {"a", "false"}, {"w", "9"}, {"r", "true"}, {"g", "25%"}};
}

}  // namespace

TEST_CASE("by/case: a section's score is its unit's case, on every path") {
    const auto p = build(county);
    const auto a = facts(*p, unit_a());
    const auto b = facts(*p, unit_b());
    rubric::evaluation ev(*p);
    for (const bool general : {false, true}) {
        CAPTURE(general);
        if (general) rubric::detail::evaluate_on_general_path(*p, a, ev);
        else rubric::evaluate(*p, a, ev);
        CHECK(ev.node_score(node(*p, "1")) == dec("4"));
        CHECK(ev.node_score(node(*p, "2.1")) == dec("5"));
        CHECK(ev.node_score(node(*p, "2")) == dec("5"));
        CHECK(ev.total() == dec("9"));
        if (general) rubric::detail::evaluate_on_general_path(*p, b, ev);
        else rubric::evaluate(*p, b, ev);
        CHECK(ev.node_score(node(*p, "2.2")) == dec("2"));
        CHECK(ev.node_score(node(*p, "2.3")) == dec("1"));
        CHECK(ev.node_score(node(*p, "2")) == dec("3"));
        CHECK(ev.total() == dec("3"));
    }
    // A batch scores them as evaluate() does, unit by unit.
    const rubric::fact_set both[] = {a, b};
    rubric::batch_evaluation batch;
    rubric::evaluate_batch(*p, both, 2, batch);
    CHECK(batch.total(0) == dec("9"));
    CHECK(batch.total(1) == dec("3"));
    CHECK(batch.node_score(1, node(*p, "2")) == dec("3"));
}

TEST_CASE("by/case: what applies to a unit, read off its facts or its evaluation") {
    const auto p = build(county);
    const auto a = facts(*p, unit_a());
    const auto b = facts(*p, unit_b());
    rubric::evaluation ev(*p);
    CHECK(rubric::has_cases(p->tree()));
    for (const char* code : {"1", "2", "2.1"}) CHECK(rubric::applies(*p, a, node(*p, code)));
    for (const char* code : {"2.2", "2.3"}) CHECK_FALSE(rubric::applies(*p, a, node(*p, code)));
    CHECK_FALSE(rubric::applies(*p, b, node(*p, "2.1")));
    CHECK(rubric::applies(*p, b, node(*p, "2.3")));
    rubric::evaluate(*p, a, ev);
    CHECK(rubric::applies(*p, ev, node(*p, "2.1")));
    CHECK_FALSE(rubric::applies(*p, ev, node(*p, "2.2")));
    rubric::evaluate(*p, b, ev);
    CHECK_FALSE(rubric::applies(*p, ev, node(*p, "2.1")));
    CHECK(rubric::applies(*p, ev, node(*p, "2.2")));
    // A rubric without `by`: everything applies.
    const auto plain = build("item 1 \"x\" 1 { input x: bool  score if x then 1 }\n");
    CHECK_FALSE(rubric::has_cases(plain->tree()));
    const auto f = facts(*plain, {});
    CHECK(rubric::applies(*plain, f, 0));
}

TEST_CASE("by/case: nested cases apply where both do") {
    // 2.1 (the 水利局's) has its own part by `size`: 2.1.1 for large units, 2.1.2 for small ones.
    // A large 水利局 with x: 2.1.1 = 3, 2.1 = 3, 2 = 3; 2.1.2 and 2.2 do not apply. A small
    // 交通局: only 2.2 applies (y → 3).
    const auto p = build(R"(
input kind: choice [water, road]
input size: choice [large, small]
section "履职" 3 by kind {
  case water {
    section "水" 3 by size {
      case large { item "大" 3 { input x: bool  score if x then 3 } }
      case small { item "小" 3 { input z: bool  score if z then 3 } }
    }
  }
  case road { item "路" 3 { input y: bool  score if y then 3 } }
}
)");
    const auto big = facts(*p, {{"kind", "water"}, {"size", "large"}, {"x", "true"}, {"z", "true"}, {"y", "true"}});
    rubric::evaluation ev(*p);
    rubric::evaluate(*p, big, ev);
    CHECK(ev.node_score(node(*p, "1.1.1")) == dec("3"));
    CHECK(ev.node_score(node(*p, "1")) == dec("3"));
    CHECK(rubric::applies(*p, big, node(*p, "1.1.1")));
    CHECK_FALSE(rubric::applies(*p, big, node(*p, "1.1.2")));
    CHECK_FALSE(rubric::applies(*p, ev, node(*p, "1.1.2")));
    CHECK_FALSE(rubric::applies(*p, big, node(*p, "1.2")));
    const auto road = facts(*p, {{"kind", "road"}, {"size", "large"}, {"x", "true"}, {"y", "true"}});
    rubric::evaluate(*p, road, ev);
    CHECK(ev.node_score(node(*p, "1")) == dec("3"));
    CHECK_FALSE(rubric::applies(*p, road, node(*p, "1.1.1")));
    CHECK_FALSE(rubric::applies(*p, ev, node(*p, "1.1.1")));
    CHECK(rubric::applies(*p, ev, node(*p, "1.2")));
}

TEST_CASE("by/case: the checker's errors, in English and Chinese") {
    // park has no case.
    auto r = check_text(R"(input kind: choice [water, road, park]
section 1 "s" 1 by kind { case water { item "a" 1 { score 1 } } case road { item "b" 1 { score 1 } } }
)");
    const auto* d = find(r, "E-case");
    REQUIRE(d);
    CHECK(d->where.begin.line == 2);
    CHECK(rubric::message_in(*d, rubric::lang::en) == "these choices of `kind` have no case: park");
    CHECK(rubric::message_in(*d, rubric::lang::zh) == "`kind` 的以下选项没有适用部分：park");
    CHECK(rubric::expected_in(*d, rubric::lang::zh) == "为每个选项写一个适用部分（一个部分可列多个选项：适用 \"a\", \"b\" { … }）");

    // water twice (line 3 names it again), river no choice.
    r = check_text(R"(input kind: choice [water, road]
section 1 "s" 1 by kind { case water { item "a" 1 { score 1 } }
  case water, road, river { item "b" 1 { score 1 } } }
)");
    d = find(r, "E-case");
    REQUIRE(d);
    CHECK(d->where.begin.line == 3);
    CHECK(rubric::message_in(*d, rubric::lang::en) == "\"water\" already has a case (line 2)");
    CHECK(rubric::message_in(*d, rubric::lang::zh) == "“water”已有适用部分（第 2 行）");
    d = find(r, "E-choice");
    REQUIRE(d);
    CHECK(rubric::message_in(*d, rubric::lang::en) == "\"river\" is not one of the choices of `kind`");

    // by a bool
    r = check_text(R"(input kind: bool
section 1 "s" 1 by kind { case water { item "a" 1 { score 1 } } }
)");
    d = find(r, "E-type");
    REQUIRE(d);
    CHECK(rubric::message_in(*d, rubric::lang::en) == "`kind` is not a choice input: a section by it cannot tell which case applies");
    CHECK(rubric::message_in(*d, rubric::lang::zh) == "`kind` 不是选项输入，无法据此判断适用哪一部分");

    // the attribute may not be missing
    r = check_text(R"(input kind: choice [water] missing zero
section 1 "s" 1 by kind { case water { item "a" 1 { score 1 } } }
)");
    d = find(r, "E-case");
    REQUIRE(d);
    CHECK(d->where.begin.line == 1);
    CHECK(rubric::message_in(*d, rubric::lang::en) == "`kind` decides which part of a section applies to a unit, so it may not be missing");
    CHECK(rubric::message_in(*d, rubric::lang::zh) == "`kind` 决定单位适用指标的哪一部分，不能缺失");

    // a member outside every case; a case without `by`; `by` without a case (in source order)
    r = check_text(R"(input kind: choice [water]
section 1 "s" 2 by kind { item "外" 1 { score 1 } case water { item "a" 1 { score 1 } } }
section 2 "t" 1 { case water { item "b" 1 { score 1 } } }
section 3 "u" 1 by kind { item "c" 1 { score 1 } }
)");
    std::vector<std::string> en, zh;
    for (const auto& x : r.diags)
        if (x.code == "E-case") {
            en.push_back(rubric::message_in(x, rubric::lang::en));
            zh.push_back(rubric::message_in(x, rubric::lang::zh));
        }
    CHECK(en == std::vector<std::string>{
                    "\"外\" is in a section by `kind` but in none of its cases: to which units does it apply?",
                    "a case in section \"t\", which is not `by` an attribute",
                    "the section is by `kind` but has no case",
                });
    CHECK(zh == std::vector<std::string>{
                    "“外”位于按 `kind` 分部分的指标中，但不属于任何“适用”部分：它适用于哪些单位？",
                    "指标“t”未写“按”某属性，不能分“适用”部分",
                    "该指标按 `kind` 分部分，但没有任何“适用”部分",
                });
}

TEST_CASE("by/case: each case's points are checked against the section's") {
    // road's items add up to 2 + 3 = 5, not 6; water's 6 is right. A section without points
    // gets the cases' points when they agree (4 and 4).
    auto r = check_text(R"(input kind: choice [water, road]
section 1 "履职" 6 by kind {
  case water { item "a" 6 { score 6 } }
  case road { item "b" 2 { score 2 }  item "c" 3 { score 3 } }
}
section 2 "无分值" by kind { case water { item "d" 4 { score 4 } } case road { item "e" 4 { score 4 } } }
)");
    REQUIRE(r.rubric);
    std::vector<const rubric::diagnostic*> sums;
    for (const auto& d : r.diags)
        if (d.code == "W-points-sum") sums.push_back(&d);
    REQUIRE(sums.size() == 1);
    CHECK(sums[0]->where.begin.line == 4);
    CHECK(rubric::message_in(*sums[0], rubric::lang::en) ==
          "section 1 \"履职\", case road: the section has 6 points but the case's members add up to 5 (2 + 3)");
    CHECK(rubric::message_in(*sums[0], rubric::lang::zh).find("适用“road”的部分：该指标为 6 分，但其下级分值之和为 5 分（2 + 3）") !=
          std::string::npos);
    const auto& t = r.rubric->tree;
    CHECK(t.nodes[rubric::find_node(t, "2")].points == dec("4"));
    // The range of section 1: water 0..6, road 0..5 (each item's score is a constant here: 6; 2 + 3).
    CHECK(r.rubric->node_ranges[rubric::find_node(t, "1")].lo == dec("5"));
    CHECK(r.rubric->node_ranges[rubric::find_node(t, "1")].hi == dec("6"));
}

TEST_CASE("by/case: Chinese keywords 按 and 适用 read like by and case") {
    const auto p = build(R"(输入 kind： 选项 [water，road]
指标 1 "履职" 2分 按 kind {
  适用 water { 评分项 "a" 2分 { 得分 2 } }
  适用 road { 评分项 "b" 2分 { 得分 1 } }
}
)");
    const auto& n = p->tree().nodes[node(*p, "1")];
    CHECK(n.by == "kind");
    REQUIRE(n.cases.size() == 2);
    CHECK(n.cases[1].words == std::vector<std::string>{"road"});
    rubric::evaluation ev(*p);
    rubric::evaluate(*p, facts(*p, {{"kind", "road"}}), ev);
    CHECK(ev.total() == dec("1"));
}

TEST_CASE("by/case: a unit without the attribute, or with a value that is no choice, is a facts error naming it") {
    const auto p = build(county);
    rubric::fact_set f;
    f.reset(*p);
    CHECK(rubric::fill_missing(*p, f) == "required fact `kind` is missing");
    std::string out;
    rubric::results_writer w(rubric::result_format::csv, [&](std::string_view s) { out += s; });
    auto src = rubric::facts_text("u.csv", "entity,kind,a\nA,water,true\nB,,true\nC,river,true\n", rubric::facts_format::csv,
                                  rubric::facts_limits{});
    rubric::run_options o;
    o.skip_bad = true;
    const auto r = rubric::run(*p, *src, w, o);
    CHECK(r.scored == 1);
    CHECK(r.bad == 2);
    const std::string all = rubric::render(r.diags);
    CHECK(all.find("u.csv:3") != std::string::npos);
    CHECK(all.find("entity B: required fact `kind` is missing") != std::string::npos);
    CHECK(all.find("river") != std::string::npos);
}

TEST_CASE("by/case: eval leaves what does not apply empty (CSV) or null (JSON)") {
    const auto p = build(county);
    const char* const csv = "entity,kind,a,w,r,g\nA,water,true,5,,\nB,县公园,false,9,true,25%\n";
    auto run = [&](rubric::result_format f, bool exact) {
        std::string out;
        rubric::results_options ro;
        ro.exact = exact;
        rubric::results_writer w(f, [&](std::string_view s) { out += s; }, ro);
        auto src = rubric::facts_text("u.csv", csv, rubric::facts_format::csv, rubric::facts_limits{});
        CHECK(rubric::run(*p, *src, w, {}).clean());
        return out;
    };
    // Columns 1, 2, 2.1, 2.2, 2.3 (document order). A: 4, 5, 5, -, -; r and g missing (2).
    // B: 0, 3, -, 2, 1; nothing missing.
    const std::string expected =
        "entity,name,total,bonus,1,2,2.1,2.2,2.3,missing\r\nA,,9,0,4,5,5,,,2\r\nB,,3,0,0,3,,2,1,0\r\n";
    CHECK(run(rubric::result_format::csv, false) == expected);
    CHECK(run(rubric::result_format::csv, true) == expected);
    const std::string jsonl = run(rubric::result_format::jsonl, false);
    CHECK(jsonl.find("\"nodes\": {\"1\": \"4\", \"2\": \"5\", \"2.1\": \"5\", \"2.2\": null, \"2.3\": null}") != std::string::npos);
    CHECK(jsonl.find("\"nodes\": {\"1\": \"0\", \"2\": \"3\", \"2.1\": null, \"2.2\": \"2\", \"2.3\": \"1\"}") != std::string::npos);
}

// The section's line names the attribute and the case by their labels (责任单位; 县交通局, 县公园).
TEST_CASE("by/case: explain lists only what applies, and names the case") {
    const auto p = build(county);
    const auto b = facts(*p, unit_b());
    rubric::evaluation ev(*p);
    rubric::evaluate(*p, b, ev);
    const std::string en = rubric::explain_text(*p, b, ev, rubric::lang::en);
    CHECK(en.find("2.1 水") == std::string::npos);
    CHECK(en.find("2.2 路") != std::string::npos);
    CHECK(en.find(" (by 责任单位: the part for 县交通局, 县公园)") != std::string::npos);
    const std::string zh = rubric::explain_text(*p, b, ev, rubric::lang::zh);
    CHECK(zh.find("2.1 水") == std::string::npos);
    CHECK(zh.find("（按责任单位：适用“县交通局, 县公园”的部分）") != std::string::npos);
    const std::string json = rubric::explain_json(*p, b, ev);
    CHECK(json.find("\"code\": \"2.1\"") == std::string::npos);
    CHECK(json.find("\"by\": \"kind\", \"case\": \"县交通局, 县公园\"") != std::string::npos);
}

TEST_CASE("by/case: coverage wants every case applied, and counts an item's goals only where it applies") {
    // Two tests: the 水利局 (w = 5) and the park (w = 9, which would clamp 2.1 at 6 if it applied).
    // Goals: 1's if holds / if not; 2.1's clamp above 6; 2.2's if holds / if not; each case once.
    const auto p = build(std::string(county) + R"(
test "水利局" { given kind = "water", a = true, w = 5  expect 1 = 4, 2.1 = 5, 2 = 5, total = 9 }
test "公园" { given kind = "县公园", w = 9, r = true, g = 25%  expect 2.2 = 2, 2.3 = 1, 2 = 3, total = 3 }
)");
    rubric::coverage_tracker cov(*p);
    const auto outcomes = rubric::run_tests(*p, &cov);
    for (const auto& o : outcomes) CHECK(o.passed());
    std::vector<std::string> got;
    for (const auto& g : cov.goals()) got.push_back(rubric::translate(g.what, rubric::lang::en) + "=" + std::to_string(g.hits));
    auto has = [&](const std::string& s) { return std::find(got.begin(), got.end(), s) != got.end(); };
    CHECK(has("item: the parts add up above 6 (clamped to full points)=0"));
    CHECK(has("a unit whose 责任单位 is 县水利局=1"));
    CHECK(has("a unit whose 责任单位 is 县交通局, 县公园=1"));
    bool zh = false;
    for (const auto& g : cov.goals()) zh = zh || rubric::translate(g.what, rubric::lang::zh) == "责任单位为“县交通局, 县公园”的单位";
    CHECK(zh);
}

TEST_CASE("by/case: a test that expects a score of what does not apply fails, saying so") {
    const auto p = build(std::string(county) + R"(
test "水利局" { given kind = "water", a = true  expect 2.2 = 0 }
)");
    const auto outcomes = rubric::run_tests(*p, rubric::lang::en);
    REQUIRE(outcomes.size() == 1);
    CHECK_FALSE(outcomes[0].passed());
    CHECK(outcomes[0].problem.find("2.2 does not apply to this unit") != std::string::npos);
}

TEST_CASE("by/case: the lost-points analysis counts an item only for the units it applies to") {
    // A loses 1 on 2.1 (5 of 6); B loses 4 on 1 and 3 on 2.3 (1 of 4), none on 2.2. Were the
    // items that do not apply counted, A would lose 2 + 4 more and B 6 on 2.1.
    const auto p = build(county);
    const auto a = facts(*p, unit_a());
    const auto b = facts(*p, unit_b());
    rubric::evaluation ev(*p);
    rubric::lost_points_tally tally(*p);
    std::vector<rubric::unit_result> results;
    for (const auto* f : {&a, &b}) {
        rubric::evaluate(*p, *f, ev);
        tally.add(ev, *p, *f);
        results.push_back(rubric::capture(*p, *f, ev));
    }
    auto lost = [&](const rubric::lost_points_tally& t, const char* code) {
        for (const auto& it : t.items())
            if (it.item == node(*p, code)) return std::make_pair(it.units_losing, it.points_lost);
        FAIL("no item " << code);
        return std::make_pair(std::size_t{0}, rubric::decimal());
    };
    for (const auto* t : {&tally}) {
        CHECK(lost(*t, "1") == std::make_pair(std::size_t{1}, dec("4")));
        CHECK(lost(*t, "2.1") == std::make_pair(std::size_t{1}, dec("1")));
        CHECK(lost(*t, "2.2") == std::make_pair(std::size_t{0}, dec("0")));
        CHECK(lost(*t, "2.3") == std::make_pair(std::size_t{1}, dec("3")));
    }
    // The same from captured results (what the workbook's report keeps).
    CHECK(results[0].applies == std::vector<std::uint8_t>{1, 1, 1, 0, 0});
    rubric::lost_points_tally again(*p);
    for (const auto& u : results) again.add(u);
    CHECK(lost(again, "2.1") == std::make_pair(std::size_t{1}, dec("1")));
    CHECK(lost(again, "2.3") == std::make_pair(std::size_t{1}, dec("3")));
    const auto report = rubric::analyse_cohort(*p, results);
    CHECK(report.lost.size() == 3);  // 1, 2.3, 2.1 (2.2: nobody lost points)
}

TEST_CASE("by/case: rubric fmt keeps the cases") {
    const auto src = rubric::make_source("t.rubric", "input kind: choice [water, road]\n"
                                                     "section 1 \"s\" 1 by kind { case water { item \"a\" 1 { score 1 } }\n"
                                                     "case road,\"x\" { item \"b\" 1 { score 1 } } }\n");
    const auto f = rubric::format_source(src);
    REQUIRE_MESSAGE(f.text, rubric::render(f.diags));
    CHECK(*f.text ==
          "input kind: choice [water, road]\n"
          "\n"
          "section 1 \"s\" 1 by kind {\n"
          "  case water {\n"
          "    item \"a\" 1 { score 1 }\n"
          "  }\n"
          "  case road, \"x\" {\n"
          "    item \"b\" 1 { score 1 }\n"
          "  }\n"
          "}\n");
}

TEST_CASE("by/case: a rank or cohort aggregate in a member of a case is taken among the units of the case") {
    // Water units A (v = 10) and B (v = 5); road units C (y) and D (v = 99, not a water unit).
    // 1.1: A ranks 1st of the 2 water units → 3, B 2nd → 1 (D's 99 would have put A 2nd of 4).
    // 1.2: the water units' mean of v is 7.5: A 10 ≥ 7.5 → 3, B 5 → 0 (over all four units the
    // mean would be (10 + 5 + 0 + 99) / 4 = 28.5, and A would get 0). C: 1.3 = 6; D: 0.
    const auto p = build(R"(
input kind: choice [water, road]
section 1 "履职" 6 by kind {
  case water {
    item "排名" 3 { input v: count  score rank v higher linear 3..1 }
    item "均值" 3 { score if v >= cohort_mean(v) then 3 }
  }
  case road { item "路" 6 { input y: bool  score if y then 6 } }
}
)");
    std::string out;
    rubric::results_writer w(rubric::result_format::csv, [&](std::string_view s) { out += s; });
    auto src = rubric::facts_text("u.csv", "entity,kind,v,y\nA,water,10,\nB,water,5,\nC,road,,true\nD,road,99,false\n",
                                  rubric::facts_format::csv, rubric::facts_limits{});
    CHECK(rubric::run(*p, *src, w, {}).clean());
    CHECK(out ==
          "entity,name,total,bonus,1,1.1,1.2,1.3,missing\r\n"
          "A,,6,0,6,3,3,,1\r\nB,,1,0,1,1,0,,1\r\nC,,6,0,6,,,6,1\r\nD,,0,0,0,,,0,0\r\n");
}
