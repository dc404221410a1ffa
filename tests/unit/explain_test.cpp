// explain_text / explain_json: how every point came about, one scoring form per item.
#include <doctest/doctest.h>

#include <string>

#include "rubric/rubric.hpp"

namespace {

// One item per scoring form, and one unit's facts. Every expected line below was
// worked out from the rule and the facts (arithmetic beside it), then compared.
const char* const forms = R"(rubric "forms" { total 21 }
item 1 "flag" 1 { input a: bool  score if a then 1 }
item 2 "each" 1 { input b1: bool  input b2: bool  input b3: bool  score each 0.5 max 1 }
item 3 "checklist" 1 { input c1: bool  input c2: bool  input c3: bool  score checklist [c1: 0.5, c2: 0.3, c3: 0.2] }
item 4 "rate" 1 { input done: count  input all: count  ratio rate = done / all  score rate * 1 }
item 5 "tier" 3 { input ok: count  input total: count  ratio cover = ok / total  score tier >=90%:3 >=80%:2 >=70%:1 }
item 6 "reach" 2 { input timely: percent  score 2 * reach(timely, 95%) }
item 7 "deduct" 3 { input found: count  score deduct 1 per found max 3 }
item 8 "drop" 1 { input complete: percent  score drop 0.1 per 1% below 100% of complete }
item 9 "parts" 1 {
  input e: count  input t: count  input miss: count  ratio r = e / t
  score "录入率乘以分值": r * 1
  score "每缺少一家扣0.2分": penalty 0.2 per miss max 1
}
item 10 "judged" 2 { input j: judged 0..2  score j }
item 11 "choice" 1 {
  input proc: choice ["完备", "较完备", "不完备"]
  score if proc == "完备" then 1 else if proc == "较完备" then 0.5
}
item 12 "count where" 4 { input shares: list of percent  score each 1 max 4 of count s in shares where s > 80% }
)";

struct scored {
    rubric::program_ptr prog;
    rubric::fact_set facts;
    rubric::evaluation ev;
};

scored score_unit() {
    auto p = rubric::parse(rubric::make_source("forms.rubric", forms));
    REQUIRE_MESSAGE(p.tree, rubric::render(p.diags));
    auto c = rubric::check(std::move(*p.tree));
    REQUIRE_MESSAGE(c.rubric, rubric::render(c.diags));
    scored s;
    s.prog = rubric::compile(std::move(*c.rubric));
    s.facts.reset(*s.prog);
    s.facts.entity = "E1";
    const std::pair<const char*, const char*> given[] = {
        {"a", "true"}, {"b1", "true"}, {"b2", "false"}, {"b3", "true"}, {"c1", "true"}, {"c2", "false"},
        {"c3", "true"}, {"done", "300"}, {"all", "500"}, {"ok", "412"}, {"total", "530"}, {"timely", "76%"},
        {"found", "2"}, {"complete", "97.5%"}, {"e", "300"}, {"t", "500"}, {"miss", "1"}, {"j", "1.5"},
        {"proc", "较完备"}, {"shares", "[90%, 80%, 85%]"}};
    for (const auto& [name, text] : given) {
        const int i = s.prog->find_input(name);
        REQUIRE_MESSAGE(i >= 0, name);
        REQUIRE_MESSAGE(rubric::set_fact_text(*s.prog, static_cast<std::uint32_t>(i), text, s.facts).empty(), name);
    }
    REQUIRE(rubric::fill_missing(*s.prog, s.facts).empty());
    rubric::evaluate(*s.prog, s.facts, s.ev);
    return s;
}

std::string node_text(const scored& s, const char* code) {
    const auto id = rubric::find_node(s.prog->tree(), code);
    REQUIRE(id != rubric::no_id);
    return rubric::explain_node_text(*s.prog, s.facts, s.ev, id);
}

}  // namespace

TEST_CASE("every scoring form explains itself with the facts it used") {
    const scored s = score_unit();
    CHECK(node_text(s, "1") == "1 flag 1分 → 1分\n  if a = 是 then 1\n");
    // b1 and b3 hold: 2 × 0.5 = 1, which is the cap
    CHECK(node_text(s, "2") == "2 each 1分 → 1分\n  2 of 3 hold (b1 ✓, b2 ✗, b3 ✓); 2 × 0.5 = 1 → 1\n");
    CHECK(node_text(s, "3") == "3 checklist 1分 → 0.7分\n  c1 ✓ 0.5 + c2 ✗ 0 + c3 ✓ 0.2 = 0.7\n");
    // 300/500 = 60%, times 1 point
    CHECK(node_text(s, "4") == "4 rate 1分 → 0.6分\n  (rate = 300/500 = 60%) × (1) = 0.6\n");
    // 412/530 = 206/265 = 77.735…%, shown rounded with its exact form; the first band it meets is >= 70%
    CHECK(node_text(s, "5") == "5 tier 3分 → 1分\n  cover = 412/530 = 77.74% (206/265) >= 70% → 1\n");
    // 76% of a 95% target is 0.8 of it: 2 × 0.8 = 1.6
    CHECK(node_text(s, "6") == "6 reach 2分 → 1.6分\n  (2) × (reach(timely = 76%, 95%) = 0.8) = 1.6\n");
    CHECK(node_text(s, "7") == "7 deduct 3分 → 1分\n  full 3 − deduction (found = 2 × 1 = 2) → 1\n");
    // 97.5% is 2.5 one-percent steps below 100%: 1 − 2.5 × 0.1 = 0.75
    CHECK(node_text(s, "8") ==
          "8 drop 1分 → 0.75分\n  complete = 97.5%: 2.5% below 100% = 2.5 steps × 0.1 from 1 → 0.75\n");
    // 0.6 − 0.2 = 0.4 (the penalty is a part of its own, negative)
    CHECK(node_text(s, "9") == "9 parts 1分 → 0.4分\n  录入率乘以分值: (r = 300/500 = 60%) × (1) = 0.6\n"
                               "  每缺少一家扣0.2分: deduction: miss = 1 × 0.2 = 0.2 → -0.2\n  sum of the parts = 0.4\n");
    CHECK(node_text(s, "10") == "10 judged 2分 → 1.5分\n  j = 1.5\n");
    // 较完备 is not 完备; the else if matches: 0.5
    CHECK(node_text(s, "11") == "11 choice 1分 → 0.5分\n  the condition does not hold (proc = 较完备 == \"完备\" → 否); "
                                "else if proc = 较完备 == \"较完备\" → 是 then 0.5\n");
    // 90% and 85% are above 80% (80% is not): 2 × 1 = 2
    CHECK(node_text(s, "12") ==
          "12 count where 4分 → 2分\n  members of shares = [90%, 80%, 85%] where the condition holds: 2; 2 × 1 = 2 → 2\n");
    // 1 + 1 + 0.7 + 0.6 + 1 + 1.6 + 1 + 0.75 + 0.4 + 1.5 + 0.5 + 2 = 12.05
    const std::string all = rubric::explain_text(*s.prog, s.facts, s.ev);
    CHECK(all.rfind("E1\n", 0) == 0);
    CHECK(all.find("\ntotal → 12.05分\n") != std::string::npos);
}

TEST_CASE("the JSON explanation keeps exact values beside rounded ones") {
    const scored s = score_unit();
    const std::string json = rubric::explain_json(*s.prog, s.facts, s.ev);
    // total 12.05 = 241/20
    CHECK(json.find("\"total\": {\"value\": \"12.05\", \"exact\": \"241/20\"}") != std::string::npos);
    // the tier item: its score, and its part's explanation with the ratio's exact form
    CHECK(json.find("{\"code\": \"5\", \"name\": \"tier\", \"kind\": \"item\", \"points\": \"3\", "
                    "\"score\": {\"value\": \"1\", \"exact\": \"1\"}") != std::string::npos);
    CHECK(json.find("\"explanation\": \"cover = 412/530 = 77.74% (206/265) >= 70% → 1\"") != std::string::npos);
    // the checklist item scores 0.7 = 7/10
    CHECK(json.find("\"score\": {\"value\": \"0.7\", \"exact\": \"7/10\"}") != std::string::npos);
    // the parts of item 9 keep their labels and signed values: −0.2 = −1/5
    CHECK(json.find("{\"label\": \"每缺少一家扣0.2分\", \"undefined\": false, \"value\": {\"value\": \"-0.2\", \"exact\": \"-1/5\"}")
          != std::string::npos);
}

TEST_CASE("an entity id that is not UTF-8 cannot break the JSON") {
    // Found by fuzz_capi: the id "\xE3\x80E1" (a cut-off character) went into the JSON as is.
    // Each bad byte becomes U+FFFD (EF BF BD): E3 and 80 are two bad bytes, then "E1".
    scored s = score_unit();
    s.facts.entity = "\xE3\x80" "E1";
    const std::string json = rubric::explain_json(*s.prog, s.facts, s.ev);
    CHECK(rubric::valid_utf8(json));
    CHECK(json.rfind("{\"entity\": \"\xEF\xBF\xBD\xEF\xBF\xBD" "E1\"", 0) == 0);
}

TEST_CASE("one rule for undefined: a deduction counted by a 0/0 ratio is undefined and its part scores 0") {
    // GRAMMAR.md, "One rule for undefined". d = 0, n = 0: r is 0/0, so 2 × r is undefined, the
    // deduction with it, and the part scores 0 (not the full 12). In item 2 the same for `12 * r`.
    auto p = rubric::parse(rubric::make_source("u.rubric", R"(item 1 "deduct" 12 { input d: count  input n: count  ratio r = d / n  score deduct 2 per r }
item 2 "product" 12 { score 12 * r }
item 3 "penalty" 2 { score penalty 1 per r }
)"));
    REQUIRE(p.tree);
    auto c = rubric::check(std::move(*p.tree));
    REQUIRE_MESSAGE(c.rubric, rubric::render(c.diags));
    auto prog = rubric::compile(std::move(*c.rubric));
    rubric::fact_set f;
    f.reset(*prog);
    f.entity = "E";
    REQUIRE(rubric::fill_missing(*prog, f).empty());  // missing counts are 0: r = 0/0
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, f, ev);
    auto text = [&](const char* code) { return rubric::explain_node_text(*prog, f, ev, rubric::find_node(prog->tree(), code)); };
    CHECK(text("1") == "1 deduct 12分 → 0分\n  full 12 − deduction (r = 0/0 (denominator 0: undefined) × 2) → undefined"
                       " (undefined: scores 0)\n");
    CHECK(text("2") == "2 product 12分 → 0分\n  (12) × (r = 0/0 (denominator 0: undefined)) = undefined (undefined: scores 0)\n");
    CHECK(text("3") == "3 penalty 2分 → 0分\n  deduction: r = 0/0 (denominator 0: undefined) × 1 → undefined (undefined: scores 0)\n");
}

TEST_CASE("points and max_points explain with the choices' labels") {
    // 报送方式 = 前置机 (the label of frontend) → 2; 获奖级别 = [市级, 省级]: the most is 省级, 3.
    auto p = rubric::parse(rubric::make_source("p.rubric", R"(item 1 "报送" 2 {
  input ch: choice [database "数据库对接", frontend "前置机", other] "报送方式"
  score points ch [database: 2, frontend: 2, other: 1]
}
item 2 "获奖" 5 {
  input aw: list of choice [national "国家级", province "省级", city "市级"] "获奖级别"
  score max_points aw [national: 5, province: 3, city: 1]
}
)"));
    REQUIRE(p.tree);
    auto c = rubric::check(std::move(*p.tree));
    REQUIRE_MESSAGE(c.rubric, rubric::render(c.diags));
    auto prog = rubric::compile(std::move(*c.rubric));
    auto run = [&](const char* ch, const char* aw, const char* code) {
        rubric::fact_set f;
        f.reset(*prog);
        f.entity = "E";
        if (ch) REQUIRE(rubric::set_fact_text(*prog, static_cast<std::uint32_t>(prog->find_input("ch")), ch, f).empty());
        REQUIRE(rubric::set_fact_text(*prog, static_cast<std::uint32_t>(prog->find_input("aw")), aw, f).empty());
        REQUIRE(rubric::fill_missing(*prog, f).empty());
        rubric::evaluation ev(*prog);
        rubric::evaluate(*prog, f, ev);
        return rubric::explain_node_text(*prog, f, ev, rubric::find_node(prog->tree(), code));
    };
    CHECK(run("frontend", "[city, province]", "1") == "1 报送 2分 → 2分\n  报送方式 = 前置机 → 2\n");
    CHECK(run("other", "[city, province]", "1") == "1 报送 2分 → 1分\n  报送方式 = other → 1\n");  // no label: the word
    CHECK(run(nullptr, "[]", "1") == "1 报送 2分 → 0分\n  报送方式 (not provided) → undefined (undefined: scores 0)\n");
    CHECK(run("frontend", "[city, province]", "2") == "2 获奖 5分 → 3分\n  获奖级别 = [市级, 省级]: the highest, 省级 → 3\n");
    CHECK(run("frontend", "[]", "2") == "2 获奖 5分 → 0分\n  获奖级别 = []: none → 0\n");
}

TEST_CASE("a named value (let) is shown by its label, else its name, with its value") {
    auto p = rubric::parse(rubric::make_source("let.rubric", R"(rubric "let" { total 3 }
let staff = permanent + temporary "在岗人数"
section 1 "s" 3 {
  let per_head = hours / staff
  item 1.1 "持证" 2 { input permanent: count  input temporary: count  input certified: count  score if certified >= staff * 0.9 then 2 }
  item 1.2 "培训" 1 { input hours: count  score tier per_head >= 40: 1 >= 20: 0.5 otherwise 0 }
}
)"));
    REQUIRE_MESSAGE(p.tree, rubric::render(p.diags));
    auto c = rubric::check(std::move(*p.tree));
    REQUIRE_MESSAGE(c.rubric, rubric::render(c.diags));
    scored s;
    s.prog = rubric::compile(std::move(*c.rubric));
    s.facts.reset(*s.prog);
    s.facts.entity = "E1";
    for (const auto& [name, text] : {std::pair<const char*, const char*>{"permanent", "8"}, {"temporary", "2"}, {"certified", "9"}, {"hours", "450"}}) {
        const int i = s.prog->find_input(name);
        REQUIRE(i >= 0);
        REQUIRE(rubric::set_fact_text(*s.prog, static_cast<std::uint32_t>(i), text, s.facts).empty());
    }
    REQUIRE(rubric::fill_missing(*s.prog, s.facts).empty());
    rubric::evaluate(*s.prog, s.facts, s.ev);
    // staff = 8 + 2 = 10, shown by its label; 9 >= 10 × 0.9 = 9 holds → 2.
    const std::string a = node_text(s, "1.1");
    CHECK(a.rfind("1.1 持证 2分 → 2分\n", 0) == 0);
    CHECK(a.find("在岗人数 = 10") != std::string::npos);
    CHECK(a.find("staff") == std::string::npos);
    // per_head = 450 / 10 = 45 (no label: its name), at least 40 → 1.
    CHECK(node_text(s, "1.2") == "1.2 培训 1分 → 1分\n  per_head = 45 >= 40 → 1\n");
}
