// detail/jsonl_rows.hpp: the season run's fast way through JSON lines. The keys of the first line
// are its guess of the next lines' order; a key the first line left out is learnt once, and found
// again by name, however many lines give it (learning it again per line grew the guess until the
// fast way gave up: a file whose first unit missed a fact went 5x slower).
#include <doctest/doctest.h>

#include <string>

#include "rubric/detail/jsonl_rows.hpp"
#include "rubric/rubric.hpp"

namespace {

rubric::program_ptr compile_text(const std::string& text) {
    auto r = rubric::parse_and_check(rubric::make_source("rows.rubric", text));
    REQUIRE_MESSAGE(r.rubric, rubric::render(r.diags));
    return rubric::compile(std::move(*r.rubric));
}

}  // namespace

TEST_CASE("jsonl rows: a key the first line left out is learnt once") {
    const auto p = compile_text(R"(rubric "行" { total 3 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
item 2 "乙" 1 { input b: bool  score if b then 1 }
item 3 "丙" 1 { input c: count  score min(1, c) }
)");
    auto plan = rubric::detail::plan_jsonl(*p, "", false);
    rubric::fact_set facts;
    facts.reset(*p);
    rubric::detail::fast_unit u;
    const rubric::facts_limits limits{};
    // The first line has no "b"; then 1,000 lines with all of them, in three orders.
    REQUIRE(rubric::detail::bind_json_line(*p, plan, R"({"entity": "u0", "a": true, "c": 2})", true, {}, limits, facts, u));
    CHECK(plan.order.size() == 3);
    for (int k = 1; k <= 1000; ++k) {
        const std::string id = "\"u" + std::to_string(k) + "\"";
        const std::string line = k % 3 == 0   ? "{\"entity\": " + id + ", \"a\": true, \"b\": false, \"c\": 3}"
                                 : k % 3 == 1 ? "{\"entity\": " + id + ", \"b\": true, \"c\": 0, \"a\": false}"
                                              : "{\"c\": 5, \"b\": true, \"entity\": " + id + ", \"a\": true}";
        REQUIRE(rubric::detail::bind_json_line(*p, plan, line, true, {}, limits, facts, u));
        CHECK(u.id == id.substr(1, id.size() - 2));
        // The facts of this line, not of an earlier one: b as given, c as given.
        CHECK(facts.values[static_cast<std::size_t>(p->find_input("b"))].v == rubric::decimal(k % 3 == 0 ? 0 : 1));
        CHECK(facts.values[static_cast<std::size_t>(p->find_input("c"))].v == rubric::decimal(k % 3 == 0 ? 3 : k % 3 == 1 ? 0 : 5));
    }
    CHECK(plan.order.size() == 4);  // entity, a, c, b: each once
}

TEST_CASE("jsonl rows: lone CRs between tokens are counted as line ends, a CRLF's CR is not") {
    const auto p = compile_text(R"(rubric "行" { total 1 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
)");
    auto plan = rubric::detail::plan_jsonl(*p, "", false);
    rubric::fact_set facts;
    facts.reset(*p);
    rubric::detail::fast_unit u;
    const rubric::facts_limits limits{};
    REQUIRE(rubric::detail::bind_json_line(*p, plan, "{\"entity\": \"x\",\r\"a\":\rtrue}\r", true, {}, limits, facts, u));
    CHECK(u.lone_crs == 2);  // the last CR is the CR of CR LF
    REQUIRE(rubric::detail::bind_json_line(*p, plan, "{\"entity\": \"y\", \"a\": true}\r", false, {}, limits, facts, u));
    CHECK(u.lone_crs == 1);  // the last line, without an LF after it: its CR ends a line
}
