// Cohort rules (cohort_evaluation.hpp): `rank` with each mapping, ties, `among`, groups,
// units that take no part, and the cohort aggregates. Every expected score is worked
// out by hand in the comment beside it, from the rule in the header.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

using rubric::decimal;

decimal dec(const char* s) {
    decimal d;
    REQUIRE(rubric::decimal::parse(s, d));
    return d;
}

rubric::program_ptr build(const char* text) {
    auto r = rubric::parse_and_check(rubric::make_source("cohort.rubric", text));
    if (!r.rubric) FAIL(rubric::render(r.diags));
    return rubric::compile(std::move(*r.rubric));
}

struct unit {
    std::vector<std::pair<const char*, const char*>> facts;
    const char* group = "";
};

// Scores the units as one run and returns each unit's score of item `code`.
std::vector<decimal> scores(const rubric::program_ptr& p, const std::vector<unit>& units, const char* code) {
    rubric::cohort_evaluation cohort(p);
    std::vector<rubric::fact_set> facts(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        facts[i].reset(*p);
        for (const auto& [name, value] : units[i].facts) {
            const int idx = p->find_input(name);
            REQUIRE(idx >= 0);
            REQUIRE(rubric::set_fact_text(*p, static_cast<std::uint32_t>(idx), value, facts[i]) == "");
        }
        REQUIRE(rubric::fill_missing(*p, facts[i]) == "");
    }
    do {  // one measuring pass per stage
        for (std::size_t i = 0; i < units.size(); ++i) cohort.measure(facts[i], units[i].group);
    } while (cohort.rank());
    rubric::evaluation ev(*p);
    const rubric::node_id id = rubric::find_node(p->tree(), code);
    REQUIRE(id != rubric::no_id);
    std::vector<decimal> out;
    for (std::size_t i = 0; i < units.size(); ++i) {
        cohort.evaluate(i, facts[i], ev);
        out.push_back(ev.node_score(id));
    }
    return out;
}

}  // namespace

TEST_CASE("linear: evenly from the best to the worst place; ties share the better rank") {
    auto p = build(R"(item 1 "纠错率" 2 { input rate: percent  score rank rate lower linear 1.8..0 })");
    // Rates 10%, 30%, 20%, 30%, 40% (lower is better) rank 1, 3, 2, 3, 5 of n = 5.
    // Step (1.8 − 0) / (5 − 1) = 0.45: rank 1 → 1.8, 2 → 1.35, 3 → 0.9, 5 → 0.
    const auto s = scores(p, {{{{"rate", "10%"}}}, {{{"rate", "30%"}}}, {{{"rate", "20%"}}}, {{{"rate", "30%"}}},
                              {{{"rate", "40%"}}}},
                          "1");
    CHECK(s[0] == dec("1.8"));
    CHECK(s[1] == dec("0.9"));
    CHECK(s[2] == dec("1.35"));
    CHECK(s[3] == dec("0.9"));
    CHECK(s[4] == dec("0"));
}

TEST_CASE("linear: a third of a point stays exact") {
    auto p = build(R"(item 1 "x" 1 { input v: decimal  score rank v higher linear 1..0 })");
    // n = 4, step 1/3: ranks 1, 2, 3, 4 → 1, 2/3, 1/3, 0. Two thirds plus one third is exactly 1.
    const auto s = scores(p, {{{{"v", "4"}}}, {{{"v", "3"}}}, {{{"v", "2"}}}, {{{"v", "1"}}}}, "1");
    CHECK(s[1] == decimal(2) / decimal(3));
    CHECK(s[1] + s[2] == decimal(1));
    CHECK(s[3] == decimal(0));
}

TEST_CASE("a cohort of one unit: it is first and gets the best points") {
    auto p = build(R"(item 1 "x" 3 { input v: decimal  score rank v higher linear 3..1 })");
    CHECK(scores(p, {{{{"v", "7"}}}}, "1")[0] == dec("3"));
}

TEST_CASE("places: the table, then `otherwise` past its end; a tie takes the better place") {
    auto p = build(R"(item 1 "清偿率" 3 { input paid: percent  score rank paid higher places [3, 2.5, 2] otherwise 1 })");
    // 90%, 95%, 90%, 60%, 50% (higher is better): ranks 2, 1, 2, 4, 5 → 2.5, 3, 2.5, 1 (past the table), 1.
    const auto s = scores(p, {{{{"paid", "90%"}}}, {{{"paid", "95%"}}}, {{{"paid", "90%"}}}, {{{"paid", "60%"}}},
                              {{{"paid", "50%"}}}},
                          "1");
    CHECK(s == std::vector<decimal>{dec("2.5"), dec("3"), dec("2.5"), dec("1"), dec("1")});
}

TEST_CASE("places: values beyond int64 are ranked exactly too, ties and order as with small ones") {
    // Ranked as fractions of int64 when every value is one; one value past int64 ranks the
    // whole group as decimals. Lower is better: 0.333 < 0.3334 < 10^19 + 1 = 10^19 + 1 < 10^20,
    // ranks 1, 2, 3, 3, 5: places 4, 3, 2, 2 and, past the table, 0.
    auto p = build(R"(item 1 "差错" 4 { input errs: decimal  score rank errs lower places [4, 3, 2, 1] otherwise 0 })");
    const auto big = scores(p, {{{{"errs", "10000000000000000001"}}}, {{{"errs", "0.333"}}}, {{{"errs", "100000000000000000000"}}},
                                {{{"errs", "10000000000000000001"}}}, {{{"errs", "0.3334"}}}},
                            "1");
    CHECK(big == std::vector<decimal>{dec("2"), dec("4"), dec("0"), dec("2"), dec("3")});
    // The same order with small values only (the int64 way): 0.333 < 0.3334 < 4 = 4 < 5.
    const auto small = scores(p, {{{{"errs", "4"}}}, {{{"errs", "0.333"}}}, {{{"errs", "5"}}}, {{{"errs", "4"}}}, {{{"errs", "0.3334"}}}}, "1");
    CHECK(small == big);
    // Higher is better; the cross products need 128 bits: 5000000000000000001 x 8 against
    // 4999999999999999999 x 10, both past 2^63 (wrapped to 64 bits they compare the wrong way
    // round): 500000000000000000.1 < 624999999999999999.875, which ranks first.
    auto q = build(R"(item 1 "比" 2 { input v: decimal  score rank v higher places [2, 1] otherwise 0 })");
    const auto wide = scores(q, {{{{"v", "500000000000000000.1"}}}, {{{"v", "624999999999999999.875"}}}}, "1");
    CHECK(wide == std::vector<decimal>{dec("1"), dec("2")});
}

TEST_CASE("proportional: to the best value, either way round") {
    auto hi = build(R"(item 1 "x" 5 { input v: decimal  score rank v higher proportional 5 })");
    // best 80: 80 → 5; 60 → 5 × 60/80 = 3.75; 0 → 0.
    CHECK(scores(hi, {{{{"v", "80"}}}, {{{"v", "60"}}}, {{{"v", "0"}}}}, "1") ==
          std::vector<decimal>{dec("5"), dec("3.75"), dec("0")});
    auto lo = build(R"(item 1 "x" 5 { input v: decimal  score rank v lower proportional 5 })");
    // best (smallest) 2: 2 → 5; 4 → 5 × 2/4 = 2.5; 3 → 5 × 2/3 = 10/3.
    const auto s = scores(lo, {{{{"v", "2"}}}, {{{"v", "4"}}}, {{{"v", "3"}}}}, "1");
    CHECK(s[0] == dec("5"));
    CHECK(s[1] == dec("2.5"));
    CHECK(s[2] == decimal(10) / decimal(3));
    // Every value 0 with `higher`: everyone is the best and gets the 5 points.
    CHECK(scores(hi, {{{{"v", "0"}}}, {{{"v", "0"}}}}, "1") == std::vector<decimal>{dec("5"), dec("5")});
}

TEST_CASE("among: units for which it is false take no part; `if` gives them their points") {
    // 淮安 序号 2: no corrections → 2 points; the others ranked by their rate, at most 1.8.
    auto p = build(R"(item 1 "行政复议" 2 {
      input none: bool
      input rate: percent
      score if none then 2 else rank rate lower among not none linear 1.8..0
    })");
    // B and D take part (rates 20%, 10%): n = 2, D first → 1.8, B last → 0. A and C have none → 2.
    // A's rate (5%) would be the best, but A takes no part, so it does not push the others down.
    const auto s = scores(p,
                          {{{{"none", "true"}, {"rate", "5%"}}},
                           {{{"none", "false"}, {"rate", "20%"}}},
                           {{{"none", "true"}}},
                           {{{"none", "false"}, {"rate", "10%"}}}},
                          "1");
    CHECK(s == std::vector<decimal>{dec("2"), dec("0"), dec("2"), dec("1.8")});
}

TEST_CASE("a unit whose value is undefined takes no part and scores 0 on that part") {
    auto p = build(R"(item 1 "x" 2 {
      input done: count
      input all: count
      ratio r = done / all
      score rank r higher linear 2..1
    })");
    // r: 1/2, undefined (0/0), 1/4 → the ranking holds 2 units: 1/2 → 2, 1/4 → 1; the undefined one 0.
    const auto s = scores(p, {{{{"done", "1"}, {"all", "2"}}}, {{{"done", "0"}, {"all", "0"}}}, {{{"done", "1"}, {"all", "4"}}}},
                          "1");
    CHECK(s == std::vector<decimal>{dec("2"), dec("0"), dec("1")});
}

TEST_CASE("groups are ranked apart") {
    auto p = build(R"(item 1 "x" 3 { input v: decimal  score rank v higher places [3, 2] otherwise 1 })");
    // 县区: 5, 9 → 9 first (3), 5 second (2). 部门: 7, 1, 4 → 7 (3), 4 (2), 1 (1).
    const auto s = scores(p,
                          {{{{"v", "5"}}, "县区"}, {{{"v", "7"}}, "部门"}, {{{"v", "9"}}, "县区"}, {{{"v", "1"}}, "部门"},
                           {{{"v", "4"}}, "部门"}},
                          "1");
    CHECK(s == std::vector<decimal>{dec("2"), dec("3"), dec("3"), dec("1"), dec("2")});
}

TEST_CASE("cohort aggregates: mean, min, max, count within the group") {
    auto p = build(R"(
      item 1 "不高于平均" 2 { input cost: decimal  score if cost <= cohort_mean(cost) then 2 }
      item 2 "最低" 1 { input cost2: decimal  score if cost2 == cohort_min(cost2) then 1 }
      item 3 "最高" 1 { input q: decimal  score if q == cohort_max(q) then 1 }
      item 4 "达标单位数" 3 { input ok: bool  score cohort_count(ok) }
    )");
    // cost 1, 2, 4 → mean 7/3: 1 and 2 are not above it (2 points), 4 is (0).
    const std::vector<unit> us = {{{{"cost", "1"}, {"cost2", "5"}, {"q", "1"}, {"ok", "true"}}},
                                  {{{"cost", "2"}, {"cost2", "3"}, {"q", "8"}, {"ok", "false"}}},
                                  {{{"cost", "4"}, {"cost2", "3"}, {"q", "8"}, {"ok", "true"}}}};
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("2"), dec("2"), dec("0")});
    // min of 5, 3, 3 is 3: both 3s get the point.
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("0"), dec("1"), dec("1")});
    CHECK(scores(p, us, "3") == std::vector<decimal>{dec("0"), dec("1"), dec("1")});
    // two units are ok: every unit scores 2.
    CHECK(scores(p, us, "4") == std::vector<decimal>{dec("2"), dec("2"), dec("2")});
}

TEST_CASE("a unit of a cohort rubric cannot be scored alone") {
    auto p = build(R"(item 1 "x" 1 { input v: decimal  score rank v higher linear 1..0 })");
    CHECK(p->needs_cohort());
    CHECK(p->rubric().needs_cohort());
    rubric::fact_set f;
    f.reset(*p);
    REQUIRE(rubric::fill_missing(*p, f) == "");
    rubric::evaluation ev(*p);
    CHECK_THROWS_AS(rubric::evaluate(*p, f, ev), rubric::cohort_required);
    auto plain = build(R"(item 1 "x" 1 { input v: bool  score if v then 1 })");
    CHECK_FALSE(plain->needs_cohort());
}

TEST_CASE("the checker: nested cohort forms, bad points, a cohort rule inside `where`") {
    auto diags = [](const char* text) {
        auto r = rubric::parse_and_check(rubric::make_source("bad.rubric", text));
        CHECK_FALSE(r.rubric);
        std::string codes;
        for (const auto& d : r.diags) codes += d.code + " ";
        return codes;
    };
    CHECK(diags(R"(item 1 "x" 1 { input v: decimal  score rank (v - cohort_mean(v)) higher linear 1..0 })")
              .find("E-cohort-nested") != std::string::npos);
    CHECK(diags(R"(item 1 "x" 1 { input v: decimal  score rank v higher linear 0..1 })").find("E-rank-points") !=
          std::string::npos);
    CHECK(diags(R"(item 1 "x" 3 { input v: decimal  score rank v higher places [2, 3] otherwise 0 })")
              .find("E-rank-points") != std::string::npos);
    CHECK(diags(R"(item 1 "x" 3 { input v: decimal  score rank v higher proportional 0 })").find("E-rank-points") !=
          std::string::npos);
    CHECK(diags(R"(item 1 "x" 3 { input v: bool  score rank v higher linear 3..0 })").find("E-type") != std::string::npos);
}

TEST_CASE("the checker's range of a rank form is its mapping's points") {
    // linear 1.5..0.5 in a 2-point item: the item can never earn its full 2 points.
    auto r = rubric::parse_and_check(
        rubric::make_source("w.rubric", R"(item 1 "x" 2 { input v: decimal  score rank v higher linear 1.5..0.5 })"));
    REQUIRE(r.rubric);
    CHECK(rubric::render(r.diags).find("never earn its full 2 points") != std::string::npos);
}

TEST_CASE("cohort aggregates over a subset: `among` chooses the units of the group") {
    auto p = build(R"(
      input 配比: percent
      input 类别: choice ["专业部门", "综合部门"]
      item 1 "不低于专业部门平均" 2 { score if 配比 >= cohort_mean(配比 among 类别 == "专业部门") then 2 }
      item 2 "综合部门达标数" 3 { score cohort_count(配比 >= 20% among 类别 == "综合部门") }
      item 3 "高于综合部门最高" 1 { score if 配比 > cohort_max(配比 among 类别 == "综合部门") then 1 }
      item 4 "无人参与" 1 { score if 配比 >= cohort_min(配比 among 配比 > 95%) then 1 else 0.5 }
    )");
    // A 专业 60%, B 专业 40%, C 综合 30%, D 综合 10%.
    const std::vector<unit> us = {{{{"配比", "60%"}, {"类别", "专业部门"}}},
                                  {{{"配比", "40%"}, {"类别", "专业部门"}}},
                                  {{{"配比", "30%"}, {"类别", "综合部门"}}},
                                  {{{"配比", "10%"}, {"类别", "综合部门"}}}};
    // 专业部门: (60% + 40%) / 2 = 50%: only A reaches it (over all four, 35%, B would too).
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("2"), dec("0"), dec("0"), dec("0")});
    // 综合部门 at 20% or more: C only (all units: A, B and C) → 1 for everyone.
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("1"), dec("1"), dec("1"), dec("1")});
    // 综合部门's highest is 30%: A and B are above it.
    CHECK(scores(p, us, "3") == std::vector<decimal>{dec("1"), dec("1"), dec("0"), dec("0")});
    // No unit above 95%: the minimum is undefined, the comparison false, the else branch 0.5.
    CHECK(scores(p, us, "4") == std::vector<decimal>{dec("0.5"), dec("0.5"), dec("0.5"), dec("0.5")});
}

TEST_CASE("the checker: `among` only in a cohort aggregate, a condition, not counted as an argument") {
    auto diags = [](const char* text) {
        auto r = rubric::parse_and_check(rubric::make_source("bad.rubric", text));
        std::string codes;
        for (const auto& d : r.diags) codes += d.code + " ";
        return codes;
    };
    CHECK(diags(R"(item 1 "x" 1 { input v: decimal  score min(v among v > 1) })").find("E-among") != std::string::npos);
    CHECK(diags(R"(item 1 "x" 1 { input v: decimal  score if v > cohort_mean(v among v) then 1 })").find("E-type") !=
          std::string::npos);
    CHECK(diags(R"(item 1 "x" 1 { input v: decimal  score if v > cohort_mean(v, v among v > 1) then 1 })").find("E-arity") !=
          std::string::npos);
    CHECK(diags(R"(item 1 "x" 1 { input v: decimal  score if v > cohort_mean(v among v > cohort_min(v)) then 1 })")
              .find("E-cohort-nested") != std::string::npos);
    CHECK(diags(R"(item 1 "x" 1 { input v: decimal  score if v > cohort_mean(v among v > 1) then 1 })") == "");
}

TEST_CASE("drop below a cohort level: the mean of the group, or of a subset, in place of a constant") {
    auto p = build(R"(
      input 配比: percent
      input 类别: choice ["专业部门", "综合部门"]
      item 1 "低于平均" 2 { score drop 0.1 per 1% below cohort_mean(配比) of 配比 from 2 }
      item 2 "低于专业部门平均" 2 { score drop 0.1 per 1% below cohort_mean(配比 among 类别 == "专业部门") of 配比 from 2 }
      item 3 "无基准" 2 { score drop 0.1 per 1% below cohort_max(配比 among 配比 > 95%) of 配比 from 2 }
    )");
    const std::vector<unit> us = {{{{"配比", "60%"}, {"类别", "专业部门"}}},
                                  {{{"配比", "40%"}, {"类别", "专业部门"}}},
                                  {{{"配比", "30%"}, {"类别", "综合部门"}}},
                                  {{{"配比", "10%"}, {"类别", "综合部门"}}}};
    // Mean (60 + 40 + 30 + 10) / 4 = 35%: A and B reach it → 2; C is 5 steps below → 2 − 0.5 = 1.5;
    // D 25 steps → 2 − 2.5, floored at 0.
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("2"), dec("2"), dec("1.5"), dec("0")});
    // 专业部门 mean 50%: A → 2; B 10 steps → 1; C 20 steps → 0; D → 0.
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("2"), dec("1"), dec("0"), dec("0")});
    // No unit above 95%: the level is undefined and the form gives 0, as for an undefined value.
    CHECK(scores(p, us, "3") == std::vector<decimal>{dec("0"), dec("0"), dec("0"), dec("0")});
}

TEST_CASE("the checker: a drop level is a number or a cohort aggregate of the subject's unit") {
    auto diags = [](const char* text) {
        auto r = rubric::parse_and_check(rubric::make_source("bad.rubric", text));
        std::string codes;
        for (const auto& d : r.diags) codes += d.code + " ";
        return codes;
    };
    CHECK(diags(R"(item 1 "x" 1 { input v: percent  input w: percent  score drop 0.1 per 1% below max(w, v) of v })")
              .find("E-drop-level") != std::string::npos);
    CHECK(diags(R"(item 1 "x" 1 { input v: percent  input n: count  score drop 0.1 per 1% below cohort_mean(n) of v })")
              .find("E-type") != std::string::npos);
    CHECK(diags(R"(item 1 "x" 1 { input v: percent  score drop 0.1 per 1% below cohort_mean(v) of v })") == "");
}

TEST_CASE("rank score(CODE) ranks a section's score; cohort_mean(score(CODE)) averages an item's") {
    auto p = build(R"(
      section 1 "工作" 6 {
        item 1.1 "完成" 4 { input done: count 0..4  score done }
        item 1.2 "报送" 2 { input sent: bool  score if sent then 2 }
      }
      item 2 "工作排名" 3 { score rank score(1) higher places [3, 2] otherwise 1 }
      item 3 "不低于平均" 1 { score if done >= cohort_mean(score(1.1)) then 1 }
    )");
    const std::vector<unit> us = {{{{"done", "4"}, {"sent", "true"}}},
                                  {{{"done", "3"}, {"sent", "false"}}},
                                  {{{"done", "1"}, {"sent", "true"}}},
                                  {{{"done", "0"}, {"sent", "false"}}}};
    // Section 1: A 4 + 2 = 6, B 3 + 0 = 3, C 1 + 2 = 3, D 0 + 0 = 0: ranks 1, 2, 2, 4 → 3, 2, 2, 1.
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("3"), dec("2"), dec("2"), dec("1")});
    // 1.1: 4, 3, 1, 0 → mean 2: A and B reach it.
    CHECK(scores(p, us, "3") == std::vector<decimal>{dec("1"), dec("1"), dec("0"), dec("0")});
}

TEST_CASE("the checker: score(CODE) only as what is ranked or aggregated; staged, never in a cycle") {
    auto diags = [](const char* text) {
        auto r = rubric::parse_and_check(rubric::make_source("bad.rubric", text));
        std::string codes;
        for (const auto& d : r.diags) codes += d.code + " ";
        return codes;
    };
    const std::string one = R"(item 1 "a" 4 { input done: count 0..4  score done }
)";
    CHECK(diags((one + R"(item 2 "b" 1 { score if score(1) > 2 then 1 })").c_str()).find("E-score-ref ") != std::string::npos);
    CHECK(diags((one + R"(item 2 "b" 1 { score rank score(9) higher linear 1..0 })").c_str()).find("E-score-ref ") != std::string::npos);
    // Ranking a node that ranks: a later stage, accepted.
    CHECK(diags((one + R"(item 2 "b" 1 { input v: decimal  score rank v higher linear 1..0 }
item 3 "c" 1 { score rank score(2) higher linear 1..0 })").c_str()) == "");
    CHECK(diags((one + R"(item 2 "b" 1 { score rank score(1) higher linear 1..0 })").c_str()) == "");
    // Ranking itself; two items ranking each other; an item ranking its own section; a let in
    // between: cycles, refused.
    CHECK(diags(R"(item 1 "b" 1 { score rank score(1) higher linear 1..0 })") == "E-cohort-cycle ");
    CHECK(diags(R"(item 1 "a" 1 { score rank score(2) higher linear 1..0 }
item 2 "b" 1 { score rank score(1) higher linear 1..0 })") == "E-cohort-cycle ");
    CHECK(diags(R"(section 1 "s" 2 {
  item 1.1 "a" 1 { input v: decimal  score v }
  item 1.2 "b" 1 { score rank score(1) higher linear 1..0 }
})") == "E-cohort-cycle ");
    CHECK(diags(R"(let r = rank score(2) higher linear 1..0
item 1 "a" 1 { input v: decimal  score v }
item 2 "b" 1 { score r })") == "E-cohort-cycle ");
}

TEST_CASE("the cycle is named by its score(…) references, from the first written, in both languages") {
    auto r = rubric::parse_and_check(rubric::make_source("cycle.rubric", R"(item 1 "a" 1 { score rank score(2) higher linear 1..0 }
item 2 "b" 1 { score rank score(1) higher linear 1..0 }
)"));
    REQUIRE(r.diags.size() == 1);
    CHECK(r.diags[0].where.begin.line == 1);
    CHECK(r.diags[0].where.begin.column == 27);  // the score(2) that item 1 ranks
    CHECK(rubric::render(r.diags[0]).find("the cohort values read each other in a circle: score(2) → score(1) → score(2) "
                                          "(lines 1, 2)") != std::string::npos);
    CHECK(rubric::render(r.diags[0], rubric::lang::zh).find("队列取值相互依赖，形成循环：score(2) → score(1) → score(2)（第 1, 2 行）") !=
          std::string::npos);
}

TEST_CASE("stages: a rank of a score that reads the cohort is measured in a later pass") {
    auto p = build(R"(
      item 1 "配比" 2 { input share: percent  score drop 0.1 per 1% below cohort_mean(share) }
      item 2 "配比排名" 3 { score rank score(1) higher linear 3..0 }
      item 3 "再排名" 3 { score rank score(2) lower linear 3..0 }
      item 4 "平均" 1 { score if cohort_mean(score(1)) >= 1 then 1 }
    )");
    // Stage 0: cohort_mean(share); stage 1: rank score(1), cohort_mean(score(1)); stage 2: rank score(2).
    CHECK(rubric::cohort_evaluation(p).passes() == 3);
    const std::vector<unit> us = {{{{"share", "60%"}}}, {{{"share", "40%"}}}, {{{"share", "30%"}}}, {{{"share", "10%"}}}};
    // Mean 35%: A and B reach it → 2; C 5% below → 2 − 0.5 = 1.5; D 25% below → 0.
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("2"), dec("2"), dec("1.5"), dec("0")});
    // 2, 2, 1.5, 0 higher first: ranks 1, 1, 3, 4 of n = 4, linear 3..0 (step 1) → 3, 3, 1, 0.
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("3"), dec("3"), dec("1"), dec("0")});
    // 3, 3, 1, 0 lower first: D rank 1 → 3, C rank 2 → 2, A and B rank 3 → 1.
    CHECK(scores(p, us, "3") == std::vector<decimal>{dec("1"), dec("1"), dec("2"), dec("3")});
    // Mean of item 1: (2 + 2 + 1.5 + 0) / 4 = 1.375 ≥ 1 → 1 for every unit.
    CHECK(scores(p, us, "4") == std::vector<decimal>{dec("1"), dec("1"), dec("1"), dec("1")});
}

TEST_CASE("stages: a cohort value read through a let counts for the stage") {
    auto p = build(R"(
      let 平均 = cohort_mean(share)
      item 1 "配比" 2 { input share: percent  score if share >= 平均 then 2 }
      item 2 "排名" 3 { score rank score(1) higher places [3, 2] otherwise 1 }
    )");
    CHECK(rubric::cohort_evaluation(p).passes() == 2);
    const std::vector<unit> us = {{{{"share", "60%"}}}, {{{"share", "40%"}}}, {{{"share", "30%"}}}, {{{"share", "10%"}}}};
    // Mean 35%: A and B reach it → 2; C and D → 0. Ranked: A and B share the 1st place → 3; C and
    // D share the 3rd, past the table → 1.
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("2"), dec("2"), dec("0"), dec("0")});
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("3"), dec("3"), dec("1"), dec("1")});
}

TEST_CASE("stages: each measuring pass counts the unit's evaluation steps again") {
    // The same instructions: item 2 ranks score(1) (a second stage) or the fact itself (one).
    auto staged = build(R"(
      item 1 "配比" 2 { input share: percent  score drop 0.1 per 1% below cohort_mean(share) }
      item 2 "排名" 3 { score rank score(1) higher linear 3..0 }
    )");
    auto single = build(R"(
      item 1 "配比" 2 { input share: percent  score drop 0.1 per 1% below cohort_mean(share) }
      item 2 "排名" 3 { score rank share higher linear 3..0 }
    )");
    REQUIRE(staged->instruction_count() == single->instruction_count());
    CHECK(staged->cohort_stages() == 2);
    CHECK(single->cohort_stages() == 1);
    rubric::fact_set f;
    f.reset(*staged);
    REQUIRE(rubric::set_fact_text(*staged, 0, "50%", f) == "");
    REQUIRE(rubric::fill_missing(*staged, f) == "");
    const std::uint64_t one = rubric::evaluation_steps(*single, f);
    CHECK(one > 0);
    CHECK(rubric::evaluation_steps(*staged, f) == 2 * one);
}

TEST_CASE("stages: each group is ranked apart in every pass") {
    auto p = build(R"(
      item 1 "配比" 2 { input share: percent  score drop 0.1 per 1% below cohort_mean(share) }
      item 2 "配比排名" 2 { score rank score(1) higher places [2] otherwise 1 }
    )");
    // 甲: 60%, 40% → mean 50%: 2, 2 − 1 = 1; ranked: 2, 1. 乙: 30%, 10% → mean 20%: 2, 2 − 1 = 1;
    // ranked: 2, 1. Over all four the mean would be 35% and the ranks 1, 1, 3, 4.
    const std::vector<unit> us = {{{{"share", "60%"}}, "甲"}, {{{"share", "30%"}}, "乙"},
                                  {{{"share", "40%"}}, "甲"}, {{{"share", "10%"}}, "乙"}};
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("2"), dec("2"), dec("1"), dec("1")});
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("2"), dec("2"), dec("1"), dec("1")});
}

TEST_CASE("stages: a later pass must measure the same units, and nothing is scored before the last") {
    auto p = build(R"(
      item 1 "配比" 2 { input share: percent  score drop 0.1 per 1% below cohort_mean(share) }
      item 2 "排名" 3 { score rank score(1) higher linear 3..0 }
    )");
    rubric::fact_set f;
    f.reset(*p);
    REQUIRE(rubric::set_fact_text(*p, 0, "50%", f) == "");
    REQUIRE(rubric::fill_missing(*p, f) == "");
    rubric::cohort_evaluation c(p);
    c.measure(f);
    c.measure(f);
    CHECK(c.rank());  // another pass
    rubric::evaluation ev(*p);
    CHECK_THROWS_AS(c.evaluate(0, f, ev), std::logic_error);
    c.measure(f);
    CHECK_THROWS_AS(c.rank(), std::logic_error);  // one unit of two
    c.measure(f);
    CHECK_THROWS_AS(c.measure(f), std::logic_error);  // a third
}

TEST_CASE("tier: a threshold read from the cohort, the first band that holds gives the points") {
    auto p = build(R"(
      input 配比: percent
      input 类别: choice ["专业部门", "综合部门"]
      item 1 "高于平均" 3 { score tier 配比 >= cohort_mean(配比): 3 >= 30%: 2 >= 20%: 1 }
      item 2 "专业部门平均" 3 { score tier 配比 >= 60%: 3 >= cohort_mean(配比 among 类别 == "专业部门"): 2 otherwise 0.5 }
      item 3 "无基准" 3 { score tier 配比 >= cohort_max(配比 among 配比 > 95%): 3 >= 30%: 2 otherwise 1 }
      item 4 "不高于最低" 2 { score tier 配比 <= cohort_min(配比): 2 < 30%: 1 }
    )");
    const std::vector<unit> us = {{{{"配比", "50%"}, {"类别", "专业部门"}}},
                                  {{{"配比", "35%"}, {"类别", "专业部门"}}},
                                  {{{"配比", "30%"}, {"类别", "综合部门"}}},
                                  {{{"配比", "25%"}, {"类别", "综合部门"}}}};
    // Mean (50 + 35 + 30 + 25) / 4 = 35%: A → 3; B is exactly at it (>= holds) → 3; C 30% → the
    // band >= 30% → 2; D 25% → >= 20% → 1.
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("3"), dec("3"), dec("2"), dec("1")});
    // 专业部门 mean (50 + 35) / 2 = 42.5%: A 50% is below 60% but reaches it → 2; B, C, D reach
    // neither → otherwise 0.5.
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("2"), dec("0.5"), dec("0.5"), dec("0.5")});
    // No unit above 95%: the threshold is undefined, the comparison false (one rule for undefined),
    // so the next band decides: A, B, C reach 30% → 2; D → otherwise 1.
    CHECK(scores(p, us, "3") == std::vector<decimal>{dec("2"), dec("2"), dec("2"), dec("1")});
    // Upwards: the minimum is D's 25%, which D meets exactly (<=) → 2; the others are not below
    // 30% except none: A, B, C → 0.
    CHECK(scores(p, us, "4") == std::vector<decimal>{dec("0"), dec("0"), dec("0"), dec("2")});
}

TEST_CASE("tier: a cohort threshold agrees with the `if` before the tier that was its workaround") {
    auto p = build(R"(
      input share: percent
      item 1 "分档" 3 { score tier share >= cohort_mean(share): 3 >= 30%: 2 >= 20%: 1 }
      item 2 "如果" 3 { score if share >= cohort_mean(share) then 3 else tier share >= 30%: 2 >= 20%: 1 }
    )");
    const std::vector<unit> us = {{{{"share", "60%"}}}, {{{"share", "40%"}}}, {{{"share", "30%"}}}, {{{"share", "10%"}}}};
    // Mean 35%: A, B → 3; C → 2; D 10% in no band → 0 (GRAMMAR.md's example, both ways).
    const std::vector<decimal> want{dec("3"), dec("3"), dec("2"), dec("0")};
    CHECK(scores(p, us, "1") == want);
    CHECK(scores(p, us, "2") == want);
}

TEST_CASE("stages: a tier threshold of a score that reads the cohort is worked out in a later pass") {
    auto p = build(R"(
      item 1 "配比" 2 { input share: percent  score drop 0.1 per 1% below cohort_mean(share) }
      item 2 "完成" 2 { input done: decimal  score tier done >= cohort_mean(score(1)): 2 >= 1: 1 }
      item 3 "排名" 3 { score rank score(2) higher places [3] otherwise 1 }
    )");
    // Stage 0: cohort_mean(share); stage 1: cohort_mean(score(1)); stage 2: rank score(2).
    CHECK(rubric::cohort_evaluation(p).passes() == 3);
    const std::vector<unit> us = {{{{"share", "60%"}, {"done", "1.5"}}},
                                  {{{"share", "40%"}, {"done", "1.375"}}},
                                  {{{"share", "30%"}, {"done", "1.2"}}},
                                  {{{"share", "10%"}, {"done", "0.5"}}}};
    // Item 1: mean 35%: 2, 2, 1.5, 0. Their mean (2 + 2 + 1.5 + 0) / 4 = 1.375.
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("2"), dec("2"), dec("1.5"), dec("0")});
    // Item 2: A 1.5 >= 1.375 → 2; B exactly 1.375 → 2; C 1.2 → >= 1 → 1; D 0.5 → 0.
    CHECK(scores(p, us, "2") == std::vector<decimal>{dec("2"), dec("2"), dec("1"), dec("0")});
    // Item 3: 2, 2, 1, 0 higher first: A and B share the 1st place → 3; C, D → 1.
    CHECK(scores(p, us, "3") == std::vector<decimal>{dec("3"), dec("3"), dec("1"), dec("1")});
}

TEST_CASE("the checker: a tier threshold is a number or a cohort aggregate; constant bounds still in order") {
    auto diags = [](const char* text) {
        auto r = rubric::parse_and_check(rubric::make_source("bad.rubric", text));
        std::string codes;
        for (const auto& d : r.diags) codes += d.code + " ";
        return codes;
    };
    CHECK(diags(R"(item 1 "x" 3 { input v: percent  score tier v >= cohort_mean(v): 3 >= 80%: 2 })") == "");
    CHECK(diags(R"(item 1 "x" 3 { input n: count  score tier n >= cohort_count(n > 2): 3 >= 1: 2 })") == "");
    // A cohort band between two constant ones: the constants are compared with each other.
    CHECK(diags(R"(item 1 "x" 3 { input v: percent  score tier v >= 50%: 3 >= cohort_mean(v): 2 >= 60%: 1 })") ==
          "E-tier-order ");
    CHECK(diags(R"(item 1 "x" 3 { input v: percent  input w: percent  score tier v >= max(v, w): 3 })") == "E-tier-level ");
    CHECK(diags(R"(item 1 "x" 3 { input v: percent  input n: count  score tier v >= cohort_mean(n): 3 })") == "E-type ");
    CHECK(diags(R"(item 1 "x" 3 { input v: percent  score tier v >= cohort_mean(v): 4 })") == "E-tier-points ");
    CHECK(diags(R"(item 1 "x" 3 { input v: percent  score tier v <= cohort_mean(v): 3 >= 10%: 1 })") == "E-tier-direction ");
    // A let that reads the cohort; not an input, nor a let of the unit's own.
    CHECK(diags(R"(let 基准 = cohort_mean(v) * 90%
item 1 "x" 3 { input v: percent  score tier v >= 基准: 3 >= 20%: 2 })") == "");
    CHECK(diags(R"(item 1 "x" 3 { input v: percent  input w: percent  score tier v >= w: 3 })") == "E-tier-level ");
    CHECK(diags(R"(let 目标 = 90%
item 1 "x" 3 { input v: percent  score tier v >= 目标: 3 })") == "E-tier-level ");
    // Its own score in its threshold: no order of the passes.
    CHECK(diags(R"(item 1 "a" 2 { input v: decimal  score tier v >= cohort_mean(score(1)): 2 otherwise 1 })") ==
          "E-cohort-cycle ");
    // The range of the tier is its bands' points and 0, whatever the level.
    auto r = rubric::parse_and_check(rubric::make_source("r.rubric", R"(item 1 "x" 3 { input v: percent  score tier v >= cohort_mean(v): 3 >= 80%: 2 })"));
    REQUIRE(r.rubric);
    const rubric::interval& range = r.rubric->node_ranges.at(rubric::find_node(r.rubric->tree, "1"));
    REQUIRE((range.lo && range.hi));
    CHECK(*range.lo == dec("0"));
    CHECK(*range.hi == dec("3"));
}

TEST_CASE("the checker's messages for a tier threshold, in both languages") {
    auto r = rubric::parse_and_check(rubric::make_source("bad.rubric", R"(item 1 "x" 3 {
  input v: percent
  input n: count
  score tier v >= max(v, 50%): 3 >= cohort_mean(n): 2
})"));
    REQUIRE(r.diags.size() == 2);
    CHECK(r.diags[0].code == "E-tier-level");
    CHECK(r.diags[0].where.begin.line == 4);
    CHECK(r.diags[0].where.begin.column == 19);  // max(
    CHECK(rubric::render(r.diags[0]).find("error: a tier's threshold is a number, a cohort aggregate of the value it bands, or a let that reads one") !=
          std::string::npos);
    CHECK(rubric::render(r.diags[0]).find("expected: a number such as 80%, cohort_mean(x), cohort_min(x), cohort_max(x), "
                                          "cohort_count(c), or the name of such a let") != std::string::npos);
    CHECK(rubric::render(r.diags[0], rubric::lang::zh).find("错误：分档的门槛是数字、所分档数值的队列汇总，或读取队列汇总的命名值（设）") !=
          std::string::npos);
    CHECK(r.diags[1].code == "E-type");
    CHECK(r.diags[1].where.begin.column == 37);  // cohort_mean(
    CHECK(rubric::render(r.diags[1]).find("the threshold is a count, the value it is compared with a percent") !=
          std::string::npos);
    CHECK(rubric::render(r.diags[1], rubric::lang::zh).find("门槛是计数，与之比较的值是百分比") != std::string::npos);
}

TEST_CASE("tier: a threshold named by a let that reads the cohort (a weighted mean)") {
    auto p = build(R"(
      let 基准 = cohort_mean(平均年龄 * 人数) / cohort_mean(人数) "全市平均年龄"
      item 1 "年龄结构" 2 {
        input 平均年龄: decimal
        input 人数: count
        score tier 平均年龄 <= 基准: 2 <= 40: 1
      }
    )");
    const std::vector<unit> us = {{{{"平均年龄", "40"}, {"人数", "10"}}},
                                  {{{"平均年龄", "30"}, {"人数", "30"}}},
                                  {{{"平均年龄", "32.5"}, {"人数", "20"}}}};
    // (40 × 10 + 30 × 30 + 32.5 × 20) / 3 = 1950 / 3 = 650; (10 + 30 + 20) / 3 = 20; 650 / 20 = 32.5.
    // A 40 is above it, within 40 → 1; B 30 → 2; C exactly 32.5 (<=) → 2.
    CHECK(scores(p, us, "1") == std::vector<decimal>{dec("1"), dec("2"), dec("2")});
}
