// coverage_tracker: which branches of a rubric its tests exercise.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

rubric::program_ptr compiled(const std::string& text) {
    auto p = rubric::parse(rubric::make_source("c.rubric", text));
    REQUIRE_MESSAGE(p.tree, rubric::render(p.diags));
    auto c = rubric::check(std::move(*p.tree));
    REQUIRE_MESSAGE(c.rubric, rubric::render(c.diags));
    return rubric::compile(std::move(*c.rubric));
}

// "what" of every goal with its hit count, in order: "tier band >=90%:3 matched=1".
std::vector<std::string> summary(const rubric::coverage_tracker& cov) {
    std::vector<std::string> out;
    for (const auto& g : cov.goals()) out.push_back(rubric::translate(g.what, rubric::lang::en) + "=" + std::to_string(g.hits));
    return out;
}

}  // namespace

TEST_CASE("tier: one goal per band and one for no band; tests hit them by value") {
    // Tests: 95% (band 1), 85% (band 2), 85% again, 50% (no band). Band 3 (>=70%) is never hit.
    const auto p = compiled(R"(
item 1 "办结率" 3 {
  input done: count  input all: count
  ratio rate = done / all
  score tier >=90%:3 >=80%:2 >=70%:1
}
test "a" { given done = 95, all = 100  expect 1 = 3 }
test "b" { given done = 85, all = 100  expect 1 = 2 }
test "c" { given done = 17, all = 20   expect 1 = 2 }
test "d" { given done = 1, all = 2     expect 1 = 0 }
)");
    rubric::coverage_tracker cov(*p);
    const auto outcomes = rubric::run_tests(*p, &cov);
    for (const auto& o : outcomes) CHECK(o.passed());
    CHECK(summary(cov) == std::vector<std::string>{"tier band >=90%:3 matched=1", "tier band >=80%:2 matched=2",
                                                   "tier band >=70%:1 matched=0", "tier: no band matched (0)=1"});
    CHECK(cov.covered() == 3);
    // the uncovered goal points at its band: line 5, the third band's column
    const auto& g = cov.goals()[2];
    CHECK(g.where.begin.line == 5);
    CHECK(g.where.begin.column == 30);  // "  score tier >=90%:3 >=80%:2 " is 29 columns
}

TEST_CASE("if branches, each caps, deduct caps and the floor, item clamps") {
    // each 0.5 max 1 over 3 flags: 3 flags → 1.5 → capped (hit); 1 flag → 0.5 below the cap.
    // deduct 1 per n max 3 from 2: the cap 3 exceeds the base 2, so the floor is a goal;
    //   n = 0: below cap; n = 5: cap reached (5 ≥ 3), 2 − 3 < 0 → floored.
    // if a then 1 else if b then 0.5 (no else): `else if` is an `if` inside the else
    // branch, so the goals are: a holds; b holds; neither (0).
    const auto p = compiled(R"(
item 1 "每项" 1 { input x: bool  input y: bool  input z: bool  score each 0.5 max 1 }
item 2 "扣分" 2 { input n: count  score deduct 1 per n max 3 }
item 3 "条件" 1 { input a: bool  input b: bool  score if a then 1 else if b then 0.5 }
test "all" { given x = true, y = true, z = true, n = 5, a = true  expect 1 = 1, 2 = 0, 3 = 1 }
test "some" { given x = true, n = 0, b = true  expect 1 = 0.5, 2 = 2, 3 = 0.5 }
)");
    rubric::coverage_tracker cov(*p);
    for (const auto& o : rubric::run_tests(*p, &cov)) CHECK(o.passed());
    CHECK(summary(cov) == std::vector<std::string>{
                              "each: the cap 1 is reached=1", "each: below the cap 1=1",
                              "deduct: the cap 3 is reached=1", "deduct: below the cap 3=1",
                              "deduct: floored at 0 (扣完为止)=1",
                              "if: the condition holds=1",   // a, in "all"
                              "if: the condition holds=1",   // else if b, in "some"
                              "if: no condition holds (0)=0"});
    // "no condition holds" was never hit: in "all", b is false, but that `if` sits in the
    // else branch of `if a`, which was not taken, so it does not count.
    // item 1 cannot exceed 1 (each is capped at 1) nor go below 0: no clamp goals;
    // item 2 stays within [0, 2] by its floor; item 3 within [0, 1].
}

TEST_CASE("a clamp the range analysis allows is a goal; one it rules out is not") {
    // 2 × flag (0 or 2) in an item of 1 point: the clamp to full points can happen.
    const auto p = compiled(R"(
item 1 "x" 1 { input f: bool  score 2 * (if f then 1) }
test "t" { given f = false  expect 1 = 0 }
)");
    rubric::coverage_tracker cov(*p);
    for (const auto& o : rubric::run_tests(*p, &cov)) CHECK(o.passed());
    CHECK(summary(cov) == std::vector<std::string>{"if: the condition holds=0", "if: no condition holds (0)=1",
                                                   "item: the parts add up above 1 (clamped to full points)=0"});
}

TEST_CASE("a test whose facts cannot be set is not recorded") {
    const auto p = compiled(R"(
item 1 "x" 1 { input f: bool  score if f then 1 }
test "bad" { given f = 3  expect 1 = 1 }
)");
    rubric::coverage_tracker cov(*p);
    const auto outcomes = rubric::run_tests(*p, &cov);
    REQUIRE(outcomes.size() == 1);
    CHECK_FALSE(outcomes[0].passed());
    CHECK(cov.covered() == 0);
}

TEST_CASE("goals are messages: the same goals in Chinese") {
    // The first test case's tier, and an item whose clamp can happen (2 × 0..1 in 1 point).
    const auto p = compiled(R"(
item 1 "覆盖率" 3 { input rate: percent  score tier rate >=90%:3 >=80%:2 otherwise 0.5 }
item 2 "x" 1 { input f: bool  score 2 * (if f then 1) }
test "t" { given rate = 95%, f = false  expect 1 = 3, 2 = 0 }
)");
    rubric::coverage_tracker cov(*p);
    for (const auto& o : rubric::run_tests(*p, &cov)) CHECK(o.passed());
    std::vector<std::string> zh;
    for (const auto& g : cov.goals()) zh.push_back(rubric::translate(g.what, rubric::lang::zh));
    CHECK(zh == std::vector<std::string>{"分档 >=90%:3 命中", "分档 >=80%:2 命中", "分档：未命中任何一档（其余 0.5 分）",
                                         "如果：条件成立", "如果：没有条件成立（0 分）",
                                         "评分项：各部分合计超过 1 分（按满分计）"});
}

TEST_CASE("rank goals: first, below first, past the places, left out by among") {
    // Item 1, among not none: A has none (takes no part), B 10% is 1st, C 20% 2nd.
    // Its `if` holds for A, takes the else branch for B and C.
    // Item 2, places [3, 2.5] otherwise 1, higher: B 95% is 1st, A and C 90% share the 2nd;
    // nobody is past the two places, and without `among` nobody is left out (no such goal).
    const auto p = compiled(R"(
item 1 "复议" 2 { input none: bool  input rate: percent  score if none then 2 else rank rate lower among not none linear 1.8..0 }
item 2 "清欠" 3 { input repaid: percent  score rank repaid higher places [3, 2.5] otherwise 1 }
test "c" {
  unit "A" given none = true, rate = 0%, repaid = 90%  expect 1 = 2, 2 = 2.5
  unit "B" given none = false, rate = 10%, repaid = 95%  expect 1 = 1.8, 2 = 3
  unit "C" given none = false, rate = 20%, repaid = 90%  expect 1 = 0, 2 = 2.5
}
)");
    rubric::coverage_tracker cov(*p);
    for (const auto& o : rubric::run_tests(*p, &cov)) CHECK(o.passed());
    CHECK(summary(cov) == std::vector<std::string>{
                              "if: the condition holds=1", "if: the else branch is taken=2",
                              "rank: a unit ranked first=1", "rank: a unit ranked below first=1",
                              "rank: a unit that takes no part (among)=1",
                              "rank: a unit ranked first=1", "rank: a unit ranked below first=2",
                              "rank: a unit past the 2 places (otherwise 1)=0"});
    CHECK(cov.covered() == 7);
}

TEST_CASE("grades: one goal per grade given, one per veto holding") {
    // done 9 → A; done 5 → C (5 < 8); done 9 with major: A capped to B. B is given once (the capped
    // unit), A once, C once; the veto holds once. Only the tests' grades count, not the earned ones.
    const auto p = compiled(R"(
item 1 "work" 10 { input done: count 0..10  score done }
input major: bool
grade A >= 8, B >= 6, otherwise C
veto A "not A" if major
test "a" { given done = 9  expect grade = A }
test "c" { given done = 5  expect grade = C }
test "capped" { given done = 9, major = true  expect grade = B }
)");
    rubric::coverage_tracker cov(*p);
    for (const auto& o : rubric::run_tests(*p, &cov)) CHECK(o.passed());
    const auto s = summary(cov);
    REQUIRE(s.size() >= 4);
    // The last four goals are the rubric's grades and its veto, in that order.
    CHECK(std::vector<std::string>(s.end() - 4, s.end()) ==
          std::vector<std::string>{"grade A is given=1", "grade B is given=1", "grade C is given=1", "veto holds: not A=1"});
}

TEST_CASE("points: a goal per option made; max_points: per option the best held, and none held") {
    // Tests: database, other (frontend never); [province, city] → province best, [] → none; national,
    // city and otherwise never the best.
    const auto p = compiled(R"(
item 1 "a" 2 {
  input ch: choice [database, frontend, other]
  score points ch [database: 2, frontend: 2, other: 1]
}
item 2 "b" 5 {
  input aw: list of choice [national, province, city, county]
  score max_points aw [national: 5, province: 3, city: 1, otherwise: 0]
}
test "a" { given ch = "database", aw = [province, city]  expect 1 = 2, 2 = 3 }
test "b" { given ch = "other", aw = []  expect 1 = 1, 2 = 0 }
)");
    rubric::coverage_tracker cov(*p);
    for (const auto& o : rubric::run_tests(*p, &cov)) CHECK(o.passed());
    CHECK(summary(cov) == std::vector<std::string>{
                              "points: the choice database (2)=1", "points: the choice frontend (2)=0",
                              "points: the choice other (1)=1",
                              "max_points: the highest choice held gives 5 (national)=0",
                              "max_points: the highest choice held gives 3 (province)=1",
                              "max_points: the highest choice held gives 1 (city)=0",
                              "max_points: the highest choice held gives 0 (otherwise)=0",
                              "max_points: no choice held (0)=1"});
}
