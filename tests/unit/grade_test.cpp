// grade_of(): grades read off the grand total, vetoes that lower them (grade.hpp); what the checker
// says about a grade scale, the parse errors of `grade` and `veto`, and the explanation of a grade.
// Every expected grade is worked out from the rubric below, the arithmetic beside it.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

// 10 points of items and a bonus of 2. Grades: A >= 9, B >= 8, C >= 6, otherwise D.
const char* const graded = R"(
item 1 "work" 10 { input done: count 0..10  score done }
bonus 2 "extra" 2 { item 2.1 "innovation" 2 { input innovation: bool  score if innovation then 2 } }
input major: bool
input criticized: bool
input a: count
input b: count
ratio share = a / b

grade A >= 9, B >= 8, C >= 6, otherwise D
veto A "major case: not A" if major
veto B "low share: not B or better" if share < 50%
veto "criticized: the lowest" if criticized
)";

rubric::program_ptr compile_text(const std::string& text) {
    auto c = rubric::parse_and_check(rubric::make_source("g.rubric", text));
    REQUIRE_MESSAGE(c.rubric, rubric::render(c.diags));
    return rubric::compile(std::move(*c.rubric));
}

struct graded_unit {
    std::string grade, earned;
    std::vector<std::uint32_t> vetoes;
    std::string general_grade;  // the same unit scored on the general path only
};

graded_unit grade(const rubric::program& p, const std::vector<std::pair<const char*, const char*>>& given) {
    rubric::fact_set f;
    f.reset(p);
    for (const auto& [name, text] : given) {
        const int i = p.find_input(name);
        REQUIRE_MESSAGE(i >= 0, name);
        REQUIRE(rubric::set_fact_text(p, static_cast<std::uint32_t>(i), text, f).empty());
    }
    REQUIRE(rubric::fill_missing(p, f).empty());
    rubric::evaluation ev(p);
    rubric::evaluate(p, f, ev);
    const rubric::grade_result g = rubric::grade_of(p, ev);
    REQUIRE(g.graded);
    graded_unit out{rubric::grade_label(p.tree(), g.grade), rubric::grade_label(p.tree(), g.earned), g.vetoes, {}};
    rubric::evaluation slow(p);
    rubric::detail::evaluate_on_general_path(p, f, slow);
    out.general_grade = rubric::grade_label(p.tree(), rubric::grade_of(p, slow).grade);
    return out;
}

std::string errors_of(const std::string& text, rubric::lang l = rubric::lang::en) {
    const auto c = rubric::parse_and_check(rubric::make_source("g.rubric", text));
    return rubric::render(c.diags, l);
}

}  // namespace

TEST_CASE("the grade is the first band the grand total reaches, bonus included") {
    const auto p = compile_text(graded);
    // Without a and b the share is 0/0, undefined: the share veto does not hold in these.
    // done 9 → total 9 >= 9 → A (a bound belongs to its grade); 8 → B; 7 → C (6 <= 7 < 8); 5 < 6 → D.
    CHECK(grade(*p, {{"done", "9"}}).grade == "A");
    CHECK(grade(*p, {{"done", "8"}}).grade == "B");
    CHECK(grade(*p, {{"done", "7"}}).grade == "C");
    CHECK(grade(*p, {{"done", "5"}}).grade == "D");
    // done 7 and the innovation: total 7 (C on its own) + bonus 2 = grand total 9 → A.
    const graded_unit g = grade(*p, {{"done", "7"}, {"innovation", "true"}});
    CHECK(g.grade == "A");
    CHECK(g.vetoes.empty());
}

TEST_CASE("a veto with a grade caps at the grade below it; one without gives the lowest") {
    const auto p = compile_text(graded);
    // done 10 → A; major: not A → the grade below A, B.
    graded_unit g = grade(*p, {{"done", "10"}, {"major", "true"}});
    CHECK(g.grade == "B");
    CHECK(g.earned == "A");
    CHECK(g.vetoes == std::vector<std::uint32_t>{0});
    // done 7 → C, already below A: the veto holds (and is reported) but the grade stays C.
    g = grade(*p, {{"done", "7"}, {"major", "true"}});
    CHECK(g.grade == "C");
    CHECK(g.earned == "C");
    CHECK(g.vetoes == std::vector<std::uint32_t>{0});
    // done 10, major and share 1/4 = 25% < 50%: major gives B, the share veto (not B or better) C;
    // the lower of the two wins → C, and both are reported.
    g = grade(*p, {{"done", "10"}, {"major", "true"}, {"a", "1"}, {"b", "4"}});
    CHECK(g.grade == "C");
    CHECK(g.vetoes == std::vector<std::uint32_t>{0, 1});
    // share 3/4 = 75%: the share veto does not hold → A.
    CHECK(grade(*p, {{"done", "10"}, {"a", "3"}, {"b", "4"}}).grade == "A");
    // criticized: the lowest grade, D, whatever the grand total (10 + 2 = 12).
    g = grade(*p, {{"done", "10"}, {"innovation", "true"}, {"criticized", "true"}});
    CHECK(g.grade == "D");
    CHECK(g.earned == "A");
    CHECK(g.vetoes == std::vector<std::uint32_t>{2});
}

TEST_CASE("the grade is the same on the fast and the general path") {
    const auto p = compile_text(graded);
    for (const auto& given : std::vector<std::vector<std::pair<const char*, const char*>>>{
             {{"done", "9"}}, {{"done", "10"}, {"major", "true"}}, {{"done", "10"}, {"a", "1"}, {"b", "4"}},
             {{"done", "3"}, {"criticized", "true"}}, {{"done", "7"}, {"innovation", "true"}}}) {
        const graded_unit g = grade(*p, given);
        CHECK(g.grade == g.general_grade);
    }
}

TEST_CASE("the checker refuses grade bounds that do not fall, repeated grades and vetoes it cannot apply") {
    CHECK(errors_of("item 1 \"a\" 10 { input x: count  score x }\ngrade A >= 8, B >= 9, otherwise C\n") ==
          "g.rubric:2:15: error: grade B needs 9, not less than A above it (8): the grand total would reach A first\n"
          "  grade A >= 8, B >= 9, otherwise C\n"
          "                ^\n"
          "  expected: bounds falling from the best grade down, as in `grade 优秀 >= 90, 良好 >= 80, otherwise 不合格`\n");
    // Equal bounds: B could never be reached.
    CHECK(errors_of("item 1 \"a\" 10 { input x: count  score x }\ngrade A >= 8, B >= 8, otherwise C\n").find(
              "grade B needs 8, not less than A above it (8)") != std::string::npos);
    CHECK(errors_of("item 1 \"a\" 10 { input x: count  score x }\ngrade A >= 8, B >= 6, otherwise A\n").find(
              "grade A is named twice") != std::string::npos);
    // The lowest grade cannot be capped (nothing below it), nor a grade the scale does not name.
    const std::string lowest = errors_of(
        "item 1 \"a\" 10 { input x: bool  score if x then 10 }\ngrade A >= 8, otherwise C\nveto C \"t\" if x\n");
    CHECK(lowest.find("veto \"t\": C is not a grade with one below it") != std::string::npos);
    CHECK(lowest.find("expected: one of A, or no grade (the lowest grade)") != std::string::npos);
    CHECK(errors_of("item 1 \"a\" 10 { input x: bool  score if x then 10 }\nveto \"t\" if x\n")
              .find("veto \"t\": the rubric has no `grade` to lower") != std::string::npos);
    CHECK(errors_of("item 1 \"a\" 10 { input x: count  score x }\ngrade A >= 8, otherwise C\nveto \"t\" if x\n")
              .find("the condition of a veto must be a condition") != std::string::npos);
    CHECK(errors_of("item 1 \"a\" 10 { input x: count  score x }\ngrade A >= 8, otherwise C\n"
                    "test \"t\" { given x = 9  expect grade = B }\n")
              .find("test \"t\" expects grade B, which the rubric's `grade` does not name") != std::string::npos);
    CHECK(errors_of("item 1 \"a\" 10 { input x: count  score x }\ntest \"t\" { given x = 9  expect grade = B }\n")
              .find("test \"t\" expects a grade, but the rubric has no `grade`") != std::string::npos);
    CHECK(errors_of("item 1 \"a\" 10 { input x: count  score x }\ngrade A >= 8, otherwise C\ngrade B >= 1, otherwise D\n")
              .find("a second `grade`: a rubric has one grade scale") != std::string::npos);
    // In Chinese.
    CHECK(errors_of("item 1 \"a\" 10 { input x: count  score x }\ngrade A >= 8, B >= 9, otherwise C\n", rubric::lang::zh)
              .find("等级 B 需要 9 分，不低于其上的 A（8 分）：总得分会先达到 A") != std::string::npos);
}

TEST_CASE("parse errors of grade and veto point at the place and say what was expected") {
    CHECK(errors_of("grade A >= 8, B 6\n") ==
          "g.rubric:1:17: error: unexpected `6`\n"
          "  grade A >= 8, B 6\n"
          "                  ^\n"
          "  expected: `>=` and the grand total the grade needs, as in `优秀 >= 90`\n");
    CHECK(errors_of("grade A >= 8, B >= 6\n").find("expected: `,` and `otherwise` with the lowest grade") != std::string::npos);
    CHECK(errors_of("grade A >= 8, otherwise C\nveto A if x\n") ==
          "g.rubric:2:8: error: unexpected `if`\n"
          "  veto A if x\n"
          "         ^\n"
          "  expected: the veto's text in quotes, as in `veto 优秀 \"发生重大失信事件的，不得评为优秀\" if 发生重大失信事件`\n");
    CHECK(errors_of("grade A >= 8, otherwise C\nveto \"t\" x\n").find("expected: `if` and the condition of the veto") !=
          std::string::npos);
}

TEST_CASE("the Chinese spellings read like the English ones") {
    const auto en = compile_text("item 1 \"a\" 10 { input x: count  score x }\ninput m: bool\n"
                                 "grade A >= 8, \"B级\" >= 6, otherwise C\nveto \"B级\" \"t\" if m\n");
    const auto zh = compile_text("评分项 1 \"a\" 10 { 输入 x： 计数  得分 x }\n输入 m： 是否\n"
                                 "等级 A ≥ 8，\"B级\" ≥ 6，其余 C\n否决 \"B级\" \"t\" 如果 m\n");
    for (const auto* p : {en.get(), zh.get()}) {
        REQUIRE(p->tree().grades);
        CHECK(p->tree().grades->bands.size() == 2);
        CHECK(p->tree().grades->bands[1].label == "B级");
        CHECK(p->tree().grades->bands[1].bound == rubric::decimal(6));
        CHECK(p->tree().grades->lowest == "C");
        REQUIRE(p->tree().vetoes.size() == 1);
        CHECK(p->tree().vetoes[0].cap == "B级");
        CHECK(p->tree().vetoes[0].label == "t");
        // x 9 → A; m: not B级 or better → the grade below B级, C.
        CHECK(grade(*p, {{"x", "9"}, {"m", "true"}}).grade == "C");
    }
}

TEST_CASE("explain names the vetoes that held and the grade the grand total earned") {
    const auto p = compile_text(graded);
    rubric::fact_set f;
    f.reset(*p);
    REQUIRE(rubric::set_fact_text(*p, static_cast<std::uint32_t>(p->find_input("done")), "10", f).empty());
    REQUIRE(rubric::set_fact_text(*p, static_cast<std::uint32_t>(p->find_input("major")), "true", f).empty());
    REQUIRE(rubric::fill_missing(*p, f).empty());
    rubric::evaluation ev(*p);
    rubric::evaluate(*p, f, ev);
    // done 10 → total 10, bonus 0 → grand total 10 → A; major → B. (Display drops trailing zeros.)
    const std::string en = rubric::explain_text(*p, f, ev, rubric::lang::en);
    CHECK(en.find("veto (not A or better): major case: not A\n"
                  "grade → B (the grand total 10分 earns A; a veto lowers it)\n") != std::string::npos);
    const std::string zh = rubric::explain_text(*p, f, ev, rubric::lang::zh);
    CHECK(zh.find("否决（不得评为A及以上）：major case: not A\n等级 → B（总得分 10分 可评 A，因否决降低）\n") !=
          std::string::npos);
    const std::string json = rubric::explain_json(*p, f, ev);
    CHECK(json.find("\"grade\": \"B\", \"grade_earned\": \"A\", \"vetoes\": [\"major case: not A\"]") != std::string::npos);
}

TEST_CASE("a rubric without grade has no grade") {
    const auto p = compile_text("item 1 \"a\" 1 { input x: bool  score if x then 1 }\n");
    rubric::fact_set f;
    f.reset(*p);
    REQUIRE(rubric::fill_missing(*p, f).empty());
    rubric::evaluation ev(*p);
    rubric::evaluate(*p, f, ev);
    CHECK_FALSE(rubric::grade_of(*p, ev).graded);
    CHECK(rubric::grade_label(p->tree(), 0).empty());
    CHECK(rubric::explain_text(*p, f, ev).find("grade") == std::string::npos);
}
