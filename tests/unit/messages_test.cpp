// messages.hpp: one catalog per language, the same ids and placeholders in both;
// diagnostics and explanations rendered in Chinese, checked against hand-written text.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "rubric/rubric.hpp"
#include "support/files.hpp"

namespace {

std::set<std::string> placeholder_set(const char* text) {
    const auto v = rubric::placeholders(text);
    return {v.begin(), v.end()};
}

rubric::check_result check_text(const std::string& text) {
    return rubric::parse_and_check(rubric::make_source("t.rubric", text));
}

const rubric::diagnostic* find_code(const rubric::diagnostics& ds, const std::string& code) {
    const auto it = std::find_if(ds.begin(), ds.end(), [&](const rubric::diagnostic& d) { return d.code == code; });
    return it == ds.end() ? nullptr : &*it;
}

rubric::program_ptr load_example(const std::string& name) {
    std::string err;
    auto src = rubric::read_source(rubric_test::source_dir() + "/rubrics/examples/" + name, &err);
    REQUIRE(src);
    auto r = rubric::parse_and_check(src);
    REQUIRE(r.rubric);
    return rubric::compile(std::move(*r.rubric));
}

// Sets the facts (name → text), applies the missing-fact policy and evaluates.
void run(const rubric::program& p, const std::map<std::string, std::string>& given, rubric::fact_set& f,
         rubric::evaluation& ev) {
    f.reset(p);
    for (const auto& [name, value] : given) {
        const int idx = p.find_input(name);
        REQUIRE_MESSAGE(idx >= 0, name);
        REQUIRE(rubric::set_fact_text(p, static_cast<std::uint32_t>(idx), value, f).empty());
    }
    REQUIRE(rubric::fill_missing(p, f).empty());
    rubric::evaluate(p, f, ev);
}

}  // namespace

TEST_CASE("every message has a template in both languages, with the same placeholders") {
    std::map<std::string, const char*> en, zh;
    for (const auto& e : rubric::message_catalog(rubric::lang::en)) CHECK_MESSAGE(en.emplace(e.id, e.text).second, "en twice: ", e.id);
    for (const auto& e : rubric::message_catalog(rubric::lang::zh)) CHECK_MESSAGE(zh.emplace(e.id, e.text).second, "zh twice: ", e.id);
    CHECK(en.size() > 300);
    for (const auto& [id, text] : en) {
        const auto it = zh.find(id);
        if (it == zh.end()) {
            FAIL_CHECK("no Chinese template for ", id);
            continue;
        }
        CHECK_MESSAGE(placeholder_set(text) == placeholder_set(it->second), id, ": «", text, "» vs «", it->second, "»");
        CHECK_MESSAGE(std::string(it->second) != "", id);
    }
    for (const auto& [id, text] : zh) CHECK_MESSAGE(en.count(id) == 1, "no English template for ", id);
    // lookup goes through the index, not only the table
    CHECK(std::string(rubric::message_template(rubric::lang::zh, "severity.error")) == "错误");
    CHECK(rubric::message_template(rubric::lang::en, "no.such.id") == nullptr);
}

TEST_CASE("placeholders are {lower_case}; other braces are text") {
    CHECK(rubric::placeholders("code {code} is used twice (first by {kind} \"{name}\")") ==
          std::vector<std::string>{"code", "kind", "name"});
    CHECK(rubric::placeholders("item 1.1 \"…\" 2 { … }").empty());
    CHECK(rubric::placeholders("an object such as {\"entity\": \"A\", ...}").empty());
    CHECK(rubric::placeholders("{A} {1x} {} {x1}") == std::vector<std::string>{"x1"});
}

TEST_CASE("translate: arguments are literal text or messages themselves; gaps stay visible") {
    using rubric::lang;
    const rubric::localized m =
        rubric::localize("check.no-points", {{"node", rubric::localize("check.node", {{"kind", rubric::localize("word.item")},
                                                                                     {"code", "1.2"},
                                                                                     {"name", "推进政府法律顾问制度"}})}});
    CHECK(rubric::translate(m, lang::en) == "item 1.2 \"推进政府法律顾问制度\" has no points");
    CHECK(rubric::translate(m, lang::zh) == "评分项 1.2“推进政府法律顾问制度”没有分值");
    // an argument's text is not scanned for placeholders again
    CHECK(rubric::message_text(lang::en, "check.undeclared", {{"name", "{name}"}}) == "`{name}` is not declared");
    CHECK(rubric::message_text(lang::en, "check.undeclared") == "`{name}` is not declared");
    CHECK(rubric::message_text(lang::zh, "no.such.id") == "no.such.id");
    CHECK(rubric::translate(rubric::literal("原样"), lang::zh) == "原样");
}

TEST_CASE("the language: --lang values and locale names") {
    using rubric::lang;
    CHECK(rubric::parse_lang("zh") == lang::zh);
    CHECK(rubric::parse_lang("zh_CN.UTF-8") == lang::zh);
    CHECK(rubric::parse_lang("zh-CN") == lang::zh);
    CHECK(rubric::parse_lang("ZH_tw") == lang::zh);
    CHECK(rubric::parse_lang("en") == lang::en);
    CHECK(rubric::parse_lang("en_US.UTF-8") == lang::en);
    CHECK(rubric::parse_lang("C") == lang::en);
    CHECK(rubric::parse_lang("C.UTF-8") == lang::en);
    CHECK_FALSE(rubric::parse_lang("fr"));
    CHECK_FALSE(rubric::parse_lang("zhx"));
    CHECK_FALSE(rubric::parse_lang(""));
    // LC_ALL, then LC_MESSAGES, then LANG: the first one set decides
    CHECK(rubric::lang_from_locale(nullptr, nullptr, "zh_CN.UTF-8") == lang::zh);
    CHECK(rubric::lang_from_locale("", "", "zh_CN.UTF-8") == lang::zh);
    CHECK(rubric::lang_from_locale("C", nullptr, "zh_CN.UTF-8") == lang::en);
    CHECK(rubric::lang_from_locale(nullptr, "zh_CN.UTF-8", "en_US.UTF-8") == lang::zh);
    CHECK(rubric::lang_from_locale(nullptr, nullptr, nullptr) == lang::en);
    CHECK(std::string(rubric::to_string(lang::zh)) == "zh");
}

TEST_CASE("a diagnostic renders in English by default and in Chinese on request") {
    auto r = check_text("rubric \"t\" { total 3 }\n"
                        "item 1 \"办结率\" 3 {\n"
                        "  input completed: count\n"
                        "  input accepted: count\n"
                        "  ratio rate = completd / accepted\n"
                        "  score tier rate >=90%:3\n"
                        "}\n");
    const rubric::diagnostic* d = find_code(r.diags, "E-undeclared");
    REQUIRE(d);
    const std::string source_and_caret = "    ratio rate = completd / accepted\n"
                                         "                 ^~~~~~~~\n";  // the name alone (8 characters), not the blank after it
    CHECK(rubric::render(*d) == "t.rubric:5:16: error: `completd` is not declared\n" + source_and_caret +
                                    "  expected: did you mean `completed`?\n");
    CHECK(rubric::render(*d, rubric::lang::en) == rubric::render(*d));
    CHECK(rubric::render(*d, rubric::lang::zh) == "t.rubric:5:16: 错误：`completd` 未声明\n" + source_and_caret +
                                                      "  应为：`completed`（是否写错了名称？）\n");
    const rubric::diagnostic* w = find_code(r.diags, "W-unused-input");
    REQUIRE(w);
    CHECK(rubric::message_in(*w, rubric::lang::zh) == "输入项 `completed` 从未使用");
    CHECK(rubric::severity_word(w->level, rubric::lang::zh) == "警告");
}

TEST_CASE("Chinese diagnostics: point sums, tiers, syntax") {
    using rubric::lang;
    auto sums = check_text("rubric \"t\" { total 100 }\n"
                           "section 1 \"法治政府\" 12 {\n"
                           "  item 1.1 \"a\" 4 { input a: judged 0..4  score a }\n"
                           "  item 1.2 \"b\" 4.5 { input b: judged 0..4.5  score b }\n"
                           "}\n");
    REQUIRE(sums.diags.size() == 2);
    CHECK(rubric::message_in(sums.diags[0], lang::zh) == "一级指标的分值之和为 12 分，与声明的总分 100 分不一致");
    CHECK(rubric::message_in(sums.diags[1], lang::zh) ==
          "指标 1“法治政府”的分值为 12 分，但其下级分值之和为 8.5 分（4 + 4.5）");

    auto tiers = check_text("item 1 \"办结率\" 3 { input r: percent  score tier r >=80%:2 >=90%:3 }\n");
    const rubric::diagnostic* order = find_code(tiers.diags, "E-tier-order");
    REQUIRE(order);
    CHECK(rubric::message_in(*order, lang::zh) == "分档门槛必须严格递减：>=90% 不能排在 >=80% 之后");
    CHECK(rubric::expected_in(*order, lang::zh) == "最高的门槛在前，例如 >=90%:3 >=80%:2 >=70%:1");
    // The bands' points are judged only once their order is right: no follow-on warning here.
    CHECK_FALSE(find_code(tiers.diags, "W-tier-points-order"));
    auto unfair = check_text("item 1 \"办结率\" 3 { input r: percent  score tier r >=90%:2 >=80%:3 }\n");
    const rubric::diagnostic* points = find_code(unfair.diags, "W-tier-points-order");
    REQUIRE(points);
    CHECK(rubric::message_in(*points, lang::zh) == "较低的档得分（3 分）反而高于其上一档（2 分）");

    auto syntax = rubric::parse(rubric::make_source("t.rubric", "item 1 \"甲乙\" 1 {\n  input x: bool\n  score if x 1\n}\n"));
    REQUIRE(syntax.diags.size() == 1);
    CHECK(rubric::render(syntax.diags[0], lang::zh) ==
          "t.rubric:3:14: 错误：此处不应出现 `1`\n"
          "    score if x 1\n"
          "               ^\n"
          "  应为：`if` 条件之后的 `then`\n");
}

TEST_CASE("Chinese facts errors name the unit and the field") {
    auto prog = load_example("tier.rubric");
    rubric::fact_set f;
    f.reset(*prog);
    const auto idx = static_cast<std::uint32_t>(prog->find_input("completed"));
    CHECK(rubric::translate(rubric::set_fact(*prog, idx, "12.5", f), rubric::lang::zh) == "应为整数，而不是 12.5");
    CHECK(rubric::set_fact_text(*prog, idx, "12.5", f) == "expected a whole number, not 12.5");
    rubric::raw_entity e;
    e.id = "A01";
    rubric::raw_field field;
    field.name = "executed";
    field.value.text = "对";
    e.fields.push_back(field);
    rubric::diagnostics ds;
    CHECK_FALSE(rubric::bind_facts(*prog, e, rubric::make_source("f.csv", ""), f, ds));
    REQUIRE(ds.size() == 1);
    CHECK(rubric::message_in(ds[0], rubric::lang::zh) == "单位 A01，字段 `executed`：应为 true/false、1/0、是/否、有/无、√/× 或 Y/N，而不是“对”");
}

TEST_CASE("why a text is not a number, in Chinese; in English as decimal::parse says it") {
    using rubric::lang;
    auto zh = [](const std::string& text, const rubric::number_limits& lim = {}) {
        rubric::decimal d;
        rubric::number_problem why;
        REQUIRE_FALSE(rubric::decimal::parse(text, d, why, lim));
        // The catalog's English and number_problem::english() must not drift apart.
        std::string english;
        REQUIRE_FALSE(rubric::decimal::parse(text, d, &english, lim));
        CHECK(rubric::translate(rubric::describe(why), lang::en) == english);
        return rubric::translate(rubric::describe(why), lang::zh);
    };
    CHECK(zh("") == "不是数字：内容为空");
    CHECK(zh("１") == "不是数字：“１”含有非 ASCII 字符（不接受全角数字和符号）");
    CHECK(zh("1 000") == "不是数字：“1 000”含有空白字符");
    CHECK(zh("1,000") == "不是数字：“1,000”含有千位分隔符");
    CHECK(zh(",5") == "不是数字：“,5”含有逗号");
    CHECK(zh("5%") == "不是数字：“5%”含有百分号（应写作 0.05）");
    CHECK(zh("95%%") == "不是数字：“95%%”含有百分号（应写作 0.95）");
    CHECK(zh("1%2") == "不是数字：“1%2”含有百分号（请写成小数，如 5% 写作 0.05）");
    CHECK(zh("-Infinity") == "不是数字：“-Infinity”不是有限的数");
    CHECK(zh("0x1F") == "不是数字：“0x1F”是十六进制数");
    CHECK(zh("1.2.3") == "不是数字：“1.2.3”含有多个小数点");
    CHECK(zh("abc") == "不是数字：“abc”中没有数字");
    CHECK(zh("e5") == "不是数字：“e5”的指数前没有数字");
    CHECK(zh("1e") == "不是数字：“1e”的指数没有数字");
    CHECK(zh("1;2") == "不是数字：“1;2”的第 2 个字符 ';' 不应出现");
    CHECK(zh("123", {2, 40}) == "位数过多（3 > 2）");
    CHECK(zh("1e-50", {40, 40}) == "指数 -50 超出了 ±40 的范围");
    // A long text is quoted shortened, in both languages.
    CHECK(zh(std::string(45, 'x')) == "不是数字：“" + std::string(40, 'x') + "...”中没有数字");

    auto fraction_zh = [](const std::string& text) {
        rubric::decimal d;
        rubric::number_problem why;
        REQUIRE_FALSE(rubric::decimal::parse_fraction(text, d, why));
        std::string english;
        REQUIRE_FALSE(rubric::decimal::parse_fraction(text, d, &english));
        CHECK(rubric::translate(rubric::describe(why), lang::en) == english);
        return rubric::translate(rubric::describe(why), lang::zh);
    };
    CHECK(fraction_zh("") == "不是分数：内容为空");
    CHECK(fraction_zh("1/x") == "不是分数：“1/x”（应为 n/d 或 n，如 -1/3）");
    CHECK(fraction_zh("1/0") == "不是分数：“1/0”的分母为零");
}

TEST_CASE("a list of words is joined with \", \" in English and with 、 in Chinese") {
    using rubric::lang;
    CHECK(rubric::translate(rubric::list_of({}), lang::zh).empty());
    CHECK(rubric::translate(rubric::list_of({"完备"}), lang::zh) == "完备");
    CHECK(rubric::translate(rubric::list_of({"完备", "较完备", "不完备"}), lang::en) == "完备, 较完备, 不完备");
    CHECK(rubric::translate(rubric::list_of({"完备", "较完备", "不完备"}), lang::zh) == "完备、较完备、不完备");
    CHECK(rubric::translate(rubric::list_of({"a", "b", "c", "d", "e"}), lang::zh) == "a、b、c、d、e");
}

TEST_CASE("binding CSV rows: an unknown column is reported once; a bad required fact is not also missing") {
    auto r = check_text("rubric \"t\" { total 1 }\n"
                        "item 1 \"a\" 1 { input pledged: bool missing error  score if pledged then 1 }\n");
    REQUIRE(r.rubric);
    const auto prog = rubric::compile(std::move(*r.rubric));
    const auto src = rubric::make_source("f.csv", "单位,pledged,extra\nA01,true,1\nA02,yes,2\n");
    const auto read = rubric::read_facts(src, rubric::facts_format::csv);
    REQUIRE(read.entities.size() == 2);
    rubric::fact_set f;
    rubric::diagnostics ds;
    rubric::facts_reading reading;
    // Both rows are bad (each has a value in a column that is no input), the column is named once.
    CHECK_FALSE(rubric::bind_facts(*prog, read.entities[0], src, f, ds, {}, &reading));
    CHECK_FALSE(rubric::bind_facts(*prog, read.entities[1], src, f, ds, {}, &reading));
    REQUIRE(ds.size() == 2);
    CHECK(rubric::message_in(ds[0], rubric::lang::en) == "column `extra` is not an input of this rubric");
    CHECK(rubric::message_in(ds[0], rubric::lang::zh) == "列 `extra` 不是本评分表的输入项");
    CHECK(ds[0].where.begin.line == 1);
    // A02's `yes` is wrong, but it was given: no "required fact `pledged` is missing".
    CHECK(rubric::message_in(ds[1], rubric::lang::en) ==
          "entity A02, field `pledged`: expected true/false, 1/0, 是/否, 有/无, √/× or Y/N, not \"yes\"");
    // --allow-unknown: the column is ignored; A01 binds.
    rubric::bind_options allow;
    allow.allow_unknown = true;
    rubric::fact_set g;
    rubric::diagnostics none;
    CHECK(rubric::bind_facts(*prog, read.entities[0], src, g, none, allow));
    CHECK(none.empty());
}

// The explanations below were worked out from each rule and the facts given.
TEST_CASE("explanations in Chinese: tier and a conditional tier") {
    auto prog = load_example("tier.rubric");
    rubric::fact_set f;
    rubric::evaluation ev(*prog);
    run(*prog, {{"completed", "795"}, {"accepted", "1000"}, {"aspects", "2"}, {"executed", "true"}}, f, ev);
    CHECK(rubric::explain_text(*prog, f, ev, rubric::lang::zh) ==
          "1 市民诉求办结率 3分 → 1分\n"
          "  评分标准：12345市民服务热线诉求办结率90％以上（含）的，得3分；80-89％的，得2分；70-79％的，得1分；70％以下的，不得分\n"
          "  办结率 = 795/1000 = 79.5% >= 70% → 1\n"
          "2 程序完备程度 1分 → 0分\n"
          "  评分标准：有完备程序并严格执行的，加1分；有较完备程序并执行的，加0.5分 (5 个方面 完备，3-4 个 较完备)\n"
          "  条件 有程序执行的佐证材料 = 是 成立：有相关描述的决策程序方面数 = 2，不满足 >= 3 → 0\n"
          "总分 → 1分\n");
    // English: the same facts, named by the rubric's labels, under each item's rule as written
    CHECK(rubric::explain_text(*prog, f, ev) ==
          "1 市民诉求办结率 3分 → 1分\n"
          "  rule: 12345市民服务热线诉求办结率90％以上（含）的，得3分；80-89％的，得2分；70-79％的，得1分；70％以下的，不得分\n"
          "  办结率 = 795/1000 = 79.5% >= 70% → 1\n"
          "2 程序完备程度 1分 → 0分\n"
          "  rule: 有完备程序并严格执行的，加1分；有较完备程序并执行的，加0.5分 (5 个方面 完备，3-4 个 较完备)\n"
          "  if 有程序执行的佐证材料 = 是 then 有相关描述的决策程序方面数 = 2, not >= 3 → 0\n"
          "total → 1分\n");
}

TEST_CASE("explanations in Chinese: deductions, with and without the cap") {
    auto prog = load_example("deduct.rubric");
    rubric::fact_set f;
    rubric::evaluation ev(*prog);
    run(*prog, {{"statement", "true"}, {"inconsistencies", "2"}, {"late", "1"}, {"unreported", "1"}, {"unconnected", "3"}}, f,
        ev);
    CHECK(rubric::explain_text(*prog, f, ev, rubric::lang::zh) ==
          "1 政策一致性 3分 → 1分\n"
          "  评分标准：每发现一项不满足的，扣1分，最高扣3分\n"
          "  条件 已提交政策一致性说明 = 是 成立：满分 3 − 扣分（不满足政策一致性的政策项数 = 2 × 1 = 2）→ 1\n"
          "2 及时上报材料 5分 → 2分\n"
          "  评分标准：及时向市社会信用体系建设联席会议办公室上报有关材料的，得5分。逾期上报的扣1分/次，不报的扣2分/次\n"
          "  满分 5 − 扣分（逾期上报次数 = 1 × 1 + 不报次数 = 1 × 2 = 3）→ 2\n"
          "3 平台接入 1分 → 0.4分\n"
          "  评分标准：未按规定接入平台的，每缺少一家扣0.2分，最高扣1分\n"
          "  满分 1 − 扣分（未接入平台的执法机关数 = 3 × 0.2 = 0.6）→ 0.4\n"
          "总分 → 3.4分\n");
    run(*prog, {{"statement", "true"}, {"unconnected", "7"}}, f, ev);
    CHECK(rubric::explain_node_text(*prog, f, ev, 2, rubric::lang::zh) ==
          "3 平台接入 1分 → 0分\n"
          "  评分标准：未按规定接入平台的，每缺少一家扣0.2分，最高扣1分\n"
          "  满分 1 − 扣分（未接入平台的执法机关数 = 7 × 0.2 = 1.4，最多扣 1）→ 0\n");
}

TEST_CASE("explanations in Chinese: each, over a list and over a count, with the cap") {
    auto prog = load_example("each.rubric");
    rubric::fact_set f;
    rubric::evaluation ev(*prog);
    run(*prog, {{"legal_adviser_mechanism", "true"}, {"w1", "true"}, {"w2", "true"}, {"w3", "true"}, {"adopted", "7"}}, f, ev);
    CHECK(rubric::explain_text(*prog, f, ev, rubric::lang::zh) ==
          "1 推进政府法律顾问制度 1分 → 0.5分\n"
          "  评分标准：每实现一项，加0.5分\n"
          "  2 项中有 1 项达到（建立健全法律顾问机制 ✓, 聘请法律顾问 ✗）；1 × 0.5 = 0.5 → 0.5\n"
          "2 政府网站 2分 → 0.75分\n"
          "  评分标准：每符合一项，加0.25分，最高加2分\n"
          "  9 项中有 3 项达到（可正常访问 ✓, 内容及时更新 ✓, 转载重大信息 ✓, 站内搜索 ✗, 兼容多种浏览器 ✗, 履行发展指引 ✗, "
          "格式规范 ✗, 集约化 ✗, 安全保障 ✗）；3 × 0.25 = 0.75 → 0.75\n"
          "3 信息被采用 3分 → 1.4分\n"
          "  评分标准：被采用一份加0.2分，最高3分\n"
          "  被采用的信息份数 = 7；7 × 0.2 = 1.4 → 1.4\n"
          "总分 → 2.65分\n");
    run(*prog, {{"adopted", "16"}}, f, ev);
    CHECK(rubric::explain_node_text(*prog, f, ev, 2, rubric::lang::zh) ==
          "3 信息被采用 3分 → 3分\n"
          "  评分标准：被采用一份加0.2分，最高3分\n"
          "  被采用的信息份数 = 16；16 × 0.2 = 3.2，最高计 3 → 3\n");
    // JSON: the keys stay; only the explanation text is Chinese
    const std::string json = rubric::explain_json(*prog, f, ev, rubric::lang::zh);
    CHECK(json.find("\"explanation\": \"被采用的信息份数 = 16；16 × 0.2 = 3.2，最高计 3 → 3\"") != std::string::npos);
    CHECK(json.find("\"entity\": ") == 1);
}

TEST_CASE("a failing rubric test explains itself in the chosen language") {
    auto r = check_text("item 1 \"信息被采用\" 3 { input adopted: count  score each 0.2 max 3 of adopted }\n"
                        "test \"七份\" { given adopted = 7  expect 1 = 2 }\n"
                        "test \"坏数据\" { given adopted = 1.5  expect 1 = 0 }\n");
    REQUIRE(r.rubric);
    auto prog = rubric::compile(std::move(*r.rubric));
    const auto outcomes = rubric::run_tests(*prog, rubric::lang::zh);
    REQUIRE(outcomes.size() == 2);
    REQUIRE(outcomes[0].mismatches.size() == 1);
    CHECK(outcomes[0].mismatches[0].explanation == "1 信息被采用 3分 → 1.4分\n  adopted = 7；7 × 0.2 = 1.4 → 1.4\n");
    CHECK(outcomes[1].problem == "给定 adopted = 1.5：应为整数，而不是 1.5\n");
    CHECK(rubric::run_tests(*prog)[1].problem == "given adopted = 1.5: expected a whole number, not 1.5\n");
}
