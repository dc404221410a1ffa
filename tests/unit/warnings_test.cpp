// Warnings (预警) declared in a rubric: a score against points or a share of the points,
// the total, and a condition over the facts. Expected flags are worked out by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

// 10 points: section 1 (6) = 1.1 文件 4 + 1.2 培训 2; item 2 服务 4 (tier).
const char* const text = R"(
rubric "预警" { total 10 }
section 1 "依法行政" 6 {
  item 1.1 "文件" 4 { input doc: bool  score if doc then 4 }
  item 1.2 "培训" 2 { input trained: bool  score if trained then 2 }
}
item 2 "服务" 4 { input rate: percent  input major_case: bool  score tier rate >=90%:4 >=60%:2 }
warn "总分低于6分" if total < 6
warn "依法行政得分不足六成" if 1 < 60%
预警 "发生重大失信事件" 如果 major_case
warn "总分不足八成" if 总分 < 80%
)";

rubric::program_ptr build() {
    auto r = rubric::parse_and_check(rubric::make_source("w.rubric", text));
    if (!r.rubric) FAIL(rubric::render(r.diags));
    return rubric::compile(std::move(*r.rubric));
}

std::vector<int> flags(const rubric::program& p, std::vector<std::pair<const char*, const char*>> facts) {
    rubric::fact_set f;
    f.reset(p);
    for (const auto& [name, value] : facts)
        REQUIRE(rubric::set_fact_text(p, static_cast<std::uint32_t>(p.find_input(name)), value, f) == "");
    REQUIRE(rubric::fill_missing(p, f) == "");
    rubric::evaluation ev(p);
    rubric::evaluate(p, f, ev);
    return {ev.warnings().begin(), ev.warnings().end()};
}

}  // namespace

TEST_CASE("warnings: score rules and conditions") {
    auto p = build();
    REQUIRE(p->tree().warnings.size() == 4);
    // Everything: total 10, section 1 = 6 → no warning (10 ≥ 8 = 80% of the total 10).
    CHECK(flags(*p, {{"doc", "true"}, {"trained", "true"}, {"rate", "95%"}}) == std::vector<int>{0, 0, 0, 0});
    // No document: section 1 = 2 < 3.6 (60% of 6); total 6 is not below 6, but below 8.
    CHECK(flags(*p, {{"trained", "true"}, {"rate", "95%"}}) == std::vector<int>{0, 1, 0, 1});
    // Section 1 exactly 60% of 6 is 3.6 — unreachable here; 4 (doc only) is not below it.
    // Total 4 + 0 = 4 < 6; a major case.
    CHECK(flags(*p, {{"doc", "true"}, {"rate", "50%"}, {"major_case", "true"}}) == std::vector<int>{1, 0, 1, 1});
}

TEST_CASE("warnings: the checker") {
    auto codes = [](const char* t) {
        auto r = rubric::parse_and_check(rubric::make_source("bad.rubric", t));
        std::string s;
        for (const auto& d : r.diags) s += d.code + " ";
        return s;
    };
    CHECK(codes(R"(item 1 "x" 1 { input a: bool  score if a then 1 }  warn "w" if 3 < 1)").find("E-warn-target") !=
          std::string::npos);
    CHECK(codes(R"(item 1 "x" 1 { input a: bool  score if a then 1 }  warn "w" if 1 < 120%)").find("E-warn-threshold") !=
          std::string::npos);
    // a number is not a condition
    CHECK(codes(R"(item 1 "x" 1 { input n: count  score n }  warn "w" if n)").find("E-type") != std::string::npos);
    // a warning reads its input: no "never used" warning
    CHECK(codes(R"(item 1 "x" 1 { input a: bool  input veto: bool  score if a then 1 }  warn "w" if veto)").find("W-unused") ==
          std::string::npos);
}

TEST_CASE("warnings survive rubric fmt") {
    const auto src = rubric::make_source("w.rubric", text);
    const auto f = rubric::format_source(src);
    REQUIRE(f.text);
    CHECK(f.text->find("warn \"总分低于6分\" if total < 6") != std::string::npos);
    CHECK(f.text->find("预警 \"发生重大失信事件\" 如果 major_case") != std::string::npos);
}

TEST_CASE("tests expect a warning, or none, and fail when the unit's warnings differ") {
    // doc, trained, rate 90%: 4 + 2 + 4 = 10, section 1 = 6 (not below 60% of 6): no warning.
    // doc only, rate 90%: 4 + 0 + 4 = 8: not below 6, not below 80% of 10 = 8; section 1 = 4, not
    //   below 60% of 6 = 3.6: no warning either.
    // trained only, rate 0: 0 + 2 + 0 = 2: below 6, section 1 = 2 < 3.6, below 8: three warnings.
    const std::string tests = R"(
test "none" { given doc = true, trained = true, rate = 90%  expect total = 10, no warning }
test "low" { given trained = true  expect warning "总分低于6分", warning "依法行政得分不足六成", warning "总分不足八成" }
测试 "中文" { 已知 trained = 是  预期 预警 "总分低于6分"，无 预警 }
test "wrong" { given doc = true, rate = 90%  expect total = 8, warning "总分低于6分" }
)";
    auto r = rubric::parse_and_check(rubric::make_source("w.rubric", std::string(text) + tests));
    REQUIRE_MESSAGE(r.rubric, rubric::render(r.diags));
    const auto p = rubric::compile(std::move(*r.rubric));
    const auto out = rubric::run_tests(*p);
    REQUIRE(out.size() == 4);
    CHECK(out[0].passed());
    CHECK(out[1].passed());
    // 中文: the warning holds, but `无 预警` expects none: one mismatch, naming the warnings that apply.
    REQUIRE(out[2].mismatches.size() == 1);
    CHECK(out[2].mismatches[0].code == "no warning");
    CHECK(out[2].mismatches[0].actual_text == "总分低于6分; 依法行政得分不足六成; 总分不足八成");
    // wrong: total 8 holds; no warning applies, so the expected one is missing.
    REQUIRE(out[3].mismatches.size() == 1);
    CHECK(out[3].mismatches[0].code == "warning");
    CHECK(out[3].mismatches[0].expected_text == "总分低于6分");
    CHECK(out[3].mismatches[0].actual_text == "no warning");

    auto bad = rubric::parse_and_check(rubric::make_source("w.rubric", std::string(text) + "test \"t\" { expect warning \"不存在\" }\n"));
    CHECK_FALSE(bad.rubric);
    CHECK(rubric::render(bad.diags).find("test \"t\" expects the warning \"不存在\", but no `warn` has that text") !=
          std::string::npos);
}
