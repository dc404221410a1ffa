// detail/jsonl_rows.hpp: the season run's fast way through JSON lines. The keys of the first line
// are its guess of the next lines' order; a key the first line left out is learnt once, and found
// again by name, however many lines give it (learning it again per line grew the guess until the
// fast way gave up: a file whose first unit missed a fact went 5x slower).
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "rubric/detail/jsonl_rows.hpp"
#include "rubric/rubric.hpp"

namespace {

rubric::program_ptr compile_text(const std::string& text) {
    auto r = rubric::parse_and_check(rubric::make_source("rows.rubric", text));
    REQUIRE_MESSAGE(r.rubric, rubric::render(r.diags));
    return rubric::compile(std::move(*r.rubric));
}

// What bind_json_line binds into, for one program: its plan, the facts and the unit.
struct rows {
    explicit rows(const std::string& text) : p(compile_text(text)), plan(rubric::detail::plan_jsonl(*p, "", false)) {
        facts.reset(*p);
    }
    // The line, and its LF if `lf_follows`; then `next`, the line after it in the block.
    bool bind(const std::string& line, bool lf_follows = true, const std::string& next = {}) {
        text = line + (lf_follows ? "\n" : "") + next;
        const bool bound = rubric::detail::bind_json_line(*p, plan, text, {}, limits, facts, u);
        if (bound) CHECK(u.length == line.size() + (lf_follows ? 1 : 0));  // the line's end, found by binding it
        return bound;
    }
    std::string text;  // what the line is read in (u.id is a view into it)
    rubric::program_ptr p;
    rubric::detail::jsonl_plan plan;
    rubric::fact_set facts;
    rubric::detail::fast_unit u;
    const rubric::facts_limits limits{};
};

}  // namespace

TEST_CASE("jsonl rows: a key the first line left out is learnt once") {
    rows r(R"(rubric "行" { total 3 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
item 2 "乙" 1 { input b: bool  score if b then 1 }
item 3 "丙" 1 { input c: count  score min(1, c) }
)");
    const auto& p = r.p;
    // The first line has no "b"; then 1,000 lines with all of them, in three orders.
    REQUIRE(r.bind(R"({"entity": "u0", "a": true, "c": 2})"));
    CHECK(r.plan.order.size() == 3);
    for (int k = 1; k <= 1000; ++k) {
        const std::string id = "\"u" + std::to_string(k) + "\"";
        const std::string line = k % 3 == 0   ? "{\"entity\": " + id + ", \"a\": true, \"b\": false, \"c\": 3}"
                                 : k % 3 == 1 ? "{\"entity\": " + id + ", \"b\": true, \"c\": 0, \"a\": false}"
                                              : "{\"c\": 5, \"b\": true, \"entity\": " + id + ", \"a\": true}";
        REQUIRE(r.bind(line));
        CHECK(r.u.id == id.substr(1, id.size() - 2));
        // The facts of this line, not of an earlier one: b as given, c as given.
        CHECK(r.facts.values[static_cast<std::size_t>(p->find_input("b"))].v == rubric::decimal(k % 3 == 0 ? 0 : 1));
        CHECK(r.facts.values[static_cast<std::size_t>(p->find_input("c"))].v == rubric::decimal(k % 3 == 0 ? 3 : k % 3 == 1 ? 0 : 5));
    }
    CHECK(r.plan.order.size() == 4);  // entity, a, c and b: each once
}

TEST_CASE("jsonl rows: a key is learnt where its line gives it, so lines that each leave out other keys read in order") {
    rows r(R"(rubric "行" { total 4 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
item 2 "乙" 1 { input b: bool  score if b then 1 }
item 3 "丙" 1 { input c: count  score min(1, c) }
item 4 "丁" 1 { input d: count  score min(1, d) }
)");
    auto names = [&] {
        std::string all;
        for (const auto& k : r.plan.order) all += k.name + " ";
        return all;
    };
    // Each agrees with where `known` finds it: learning in the middle renumbers the keys after it.
    auto known_agrees = [&] {
        for (const auto& [name, at] : r.plan.known)
            if (at >= r.plan.order.size() || r.plan.order[at].name != name) return false;
        return r.plan.known.size() == r.plan.order.size();
    };
    REQUIRE(r.bind(R"({"entity": "u0", "a": true, "d": 2})"));
    CHECK(names() == "entity a d ");
    REQUIRE(r.bind(R"({"entity": "u1", "a": true, "c": 1, "d": 2})"));
    CHECK(names() == "entity a c d ");
    CHECK(known_agrees());
    REQUIRE(r.bind(R"({"entity": "u2", "b": false, "c": 1})"));  // b after entity: a left out here
    CHECK(names() == "entity b a c d ");
    CHECK(known_agrees());
    // The next line gives them all in that order: each is the key expected next.
    REQUIRE(r.bind(R"({"entity": "u3", "b": true, "a": false, "c": 0, "d": 7})"));
    CHECK(r.plan.cursor == 5);
    CHECK(r.facts.values[static_cast<std::size_t>(r.p->find_input("d"))].v == rubric::decimal(7));
}

TEST_CASE("jsonl rows: a line that ends after the bytes before a value, taken whole, is the general reader's") {
    rows r(R"(rubric "行" { total 1 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
)");
    REQUIRE(r.bind(R"({"entity": "u0", "a": true})"));
    // `, "a": ` is the learnt layout; nothing after it (found by fuzz_run: the value was read
    // one byte past the line).
    CHECK_FALSE(r.bind(R"({"entity": "u1", "a": )", false));
    CHECK_FALSE(r.bind(R"({"entity": "u2", "a":)", false));
    CHECK(r.bind(R"({"entity": "u3", "a": false})"));
}

TEST_CASE("jsonl rows: lone CRs between tokens are counted as line ends, a CRLF's CR is not") {
    rows r(R"(rubric "行" { total 1 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
)");
    REQUIRE(r.bind("{\"entity\": \"x\",\r\"a\":\rtrue}\r"));
    CHECK(r.u.lone_crs == 2);  // the last CR is the CR of CR LF
    REQUIRE(r.bind("{\"entity\": \"y\", \"a\": true}\r", false));
    CHECK(r.u.lone_crs == 1);  // the last line, without an LF after it: its CR ends a line
}

TEST_CASE("jsonl rows: the bytes before a value, as the line before wrote them, are taken at once, and only so") {
    rows r(R"(rubric "行" { total 2 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
item 2 "乙" 1 { input b: count  score min(1, b) }
)");
    const auto a = static_cast<std::size_t>(r.p->find_input("a"));
    const auto b = static_cast<std::size_t>(r.p->find_input("b"));
    REQUIRE(r.bind(R"({"entity": "u0", "a": true, "b": 2})"));
    // The same layout: bound, with this line's values.
    REQUIRE(r.bind(R"({"entity": "u1", "a": false, "b": 0})"));
    CHECK(r.facts.entity == "u1");  // (u.id is a view into the line, gone with it)
    CHECK(r.facts.values[a].v == rubric::decimal(0));
    CHECK(r.facts.values[b].v == rubric::decimal(0));
    // Other white space: read token by token, still bound, and learnt.
    REQUIRE(r.bind(R"({"entity":"u2","a":true,"b":1})"));
    CHECK(r.facts.values[b].v == rubric::decimal(1));
    REQUIRE(r.bind(R"({"entity":"u3","a":true,"b":3})"));
    CHECK(r.facts.values[b].v == rubric::decimal(3));
    // Not JSON, though every key's bytes are those learnt: a missing comma, a doubled comma, a
    // first key's bytes (no comma) after a value, a trailing comma, a missing colon.
    CHECK_FALSE(r.bind(R"({"entity":"u4""a":true,"b":1})"));
    CHECK_FALSE(r.bind(R"({"entity":"u5",,"a":true,"b":1})"));
    CHECK_FALSE(r.bind(R"({"a":true,"b":1"entity":"u6"})"));
    CHECK_FALSE(r.bind(R"({"entity":"u7","a":true,"b":1,})"));
    CHECK_FALSE(r.bind(R"({"entity":"u8","a"true,"b":1})"));
    // The layout learnt again after them: bound.
    REQUIRE(r.bind(R"({"entity":"u9","a":false,"b":1})"));
    CHECK(r.facts.entity == "u9");
    CHECK(r.facts.values[a].v == rubric::decimal(0));
    // A key learnt first in its line (its bytes have no comma) is not taken so after a value.
    REQUIRE(r.bind(R"({"a":true,"entity":"u10","b":1})"));
    CHECK_FALSE(r.bind(R"({"entity":"u11""a":true,"b":1})"));
}

TEST_CASE("jsonl rows: a line is bound at the start of the rest of its block, and ends at its LF") {
    rows r(R"(rubric "行" { total 2 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
item 2 "乙" 1 { input b: count  score min(1, b) }
)");
    const auto b = static_cast<std::size_t>(r.p->find_input("b"));
    // The lines after it are not read: this line's facts, this line's length (checked in bind()).
    REQUIRE(r.bind(R"({"entity": "u0", "a": true, "b": 2})", true, "{\"entity\": \"u1\", \"a\": false, \"b\": 5}\n"));
    CHECK(r.facts.entity == "u0");
    CHECK(r.facts.values[b].v == rubric::decimal(2));
    // White space, a CRLF's CR, before the LF; the last line of a file, without an LF.
    REQUIRE(r.bind("{\"entity\": \"u2\", \"a\": true, \"b\": 1} \t\r", true, "{\"entity\": \"u3\"}\n"));
    CHECK(r.u.lone_crs == 0);
    REQUIRE(r.bind(R"({"entity": "u4", "a": true, "b": 1})", false));
    // More after the object on its line, or the object not closed on its line: the general reader's.
    CHECK_FALSE(r.bind(R"({"entity": "u5", "a": true, "b": 1} {})", true, "{}\n"));
    CHECK_FALSE(r.bind(R"({"entity": "u6", "a": true, "b": 1)", true, "}\n"));
    CHECK_FALSE(r.bind(R"({"entity": "u7", "a": true,)", true, "\"b\": 1}\n"));
    CHECK_FALSE(r.bind(R"({"entity": "u8", "a": "tr)", true, "ue\", \"b\": 1}\n"));
}

TEST_CASE("jsonl rows: the bytes before a value are compared whole, to their last byte") {
    // Keys alike to their last byte, in lines long enough for the compare of fixed size (64 bytes
    // read past the key), and keys longer than it (compared by memcmp).
    const std::string k1 = "a_key_of_forty_bytes_or_so_named_alike_1", k2 = "a_key_of_forty_bytes_or_so_named_alike_2";
    const std::string l1(70, 'x'), l2 = std::string(70, 'x').replace(69, 1, "y");
    rows r("rubric \"行\" { total 4 }\n"
           "item 1 \"甲\" 1 { input " + k1 + ": count  score min(1, " + k1 + ") }\n"
           "item 2 \"乙\" 1 { input " + k2 + ": count  score min(1, " + k2 + ") }\n"
           "item 3 \"丙\" 1 { input " + l1 + ": count  score min(1, " + l1 + ") }\n"
           "item 4 \"丁\" 1 { input " + l2 + ": count  score min(1, " + l2 + ") }\n");
    const auto v = [&](const std::string& name) { return r.facts.values[static_cast<std::size_t>(r.p->find_input(name))].v; };
    const std::string pad = ", \"note\": \"" + std::string(100, '-') + "\"";
    auto line = [&](const std::string& id, const std::vector<std::pair<std::string, int>>& kv) {
        std::string s = "{\"entity\": \"" + id + "\"";
        for (const auto& [k, n] : kv) s += ", \"" + k + "\": " + std::to_string(n);
        return s + pad + "}";
    };
    rubric::detail::jsonl_plan plan = rubric::detail::plan_jsonl(*r.p, "", true);  // "note" is no input
    r.plan = std::move(plan);
    REQUIRE(r.bind(line("u0", {{k1, 1}, {k2, 2}, {l1, 3}, {l2, 4}})));
    // The same keys, each pair swapped: each value reaches its own key.
    REQUIRE(r.bind(line("u1", {{k2, 5}, {k1, 6}, {l2, 7}, {l1, 8}})));
    CHECK(v(k1) == rubric::decimal(6));
    CHECK(v(k2) == rubric::decimal(5));
    CHECK(v(l1) == rubric::decimal(8));
    CHECK(v(l2) == rubric::decimal(7));
    REQUIRE(r.bind(line("u2", {{k1, 9}, {k2, 10}, {l1, 11}, {l2, 12}})));
    CHECK(v(k1) == rubric::decimal(9));
    CHECK(v(k2) == rubric::decimal(10));
    CHECK(v(l1) == rubric::decimal(11));
    CHECK(v(l2) == rubric::decimal(12));
}

TEST_CASE("jsonl rows: an empty key is the general reader's, even where keys no input reads are allowed") {
    // Found by fuzz_run: with unknown keys allowed, `"": …` was taken as a key to ignore, and the
    // line scored; the general reader refuses it ("a key is empty").
    rows r(R"(rubric "行" { total 1 }
item 1 "甲" 1 { input a: bool  score if a then 1 }
)");
    r.plan = rubric::detail::plan_jsonl(*r.p, "", true);
    REQUIRE(r.bind(R"({"entity": "u0", "other": 1, "a": true})"));
    CHECK_FALSE(r.bind(R"({"entity": "u1", "": 1, "a": true})"));
    CHECK_FALSE(r.bind(R"({"": "u2", "a": true})"));
    CHECK(r.bind(R"({"entity": "u3", "other": 2, "a": false})"));
}
