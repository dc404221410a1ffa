// rubric: tests of the grammar rules themselves (grammar/rubric/grammar/rules.hpp),
// independent of the syntax tree and the checker. GRAMMAR.md is the prose for the
// same rules; the accept/reject tables below follow its sections.
//
// Every table parses `seq<Rule, eof>` with the project's control class, so that a
// must<> failure raises a parse_error carrying messages.hpp's text. "accepts" means
// the whole text matched; "rejects" means it did not (quietly or by a raise);
// "raises" also checks the message the author would see.
#include <pthread.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "rubric/grammar/messages.hpp"
#include "rubric/grammar/rules.hpp"
#include "rubric/limits.hpp"

namespace {

namespace pg = tao::pegtl;
namespace g = rubric::grammar;

struct outcome {
    bool matched = false;  // the whole text was matched
    bool raised = false;   // a must<> (or the nesting guard) raised a parse_error
    std::string message;   // the raised message, without the position
};

template <typename Rule>
outcome run(std::string_view text) {
    pg::memory_input<> in(text.data(), text.size(), "rules_test");
    outcome o;
    try {
        o.matched = pg::parse<pg::seq<Rule, pg::eof>, pg::nothing, g::control>(in);
    } catch (const pg::parse_error& e) {
        o.raised = true;
        o.message = std::string(e.message());
    }
    return o;
}

template <typename Rule>
bool accepts(std::string_view text) {
    return run<Rule>(text).matched;
}

template <typename Rule>
void accepts_all(const char* rule, std::initializer_list<std::string_view> texts) {
    for (const std::string_view t : texts) {
        const outcome o = run<Rule>(t);
        CHECK_MESSAGE(o.matched, rule, " should accept «", t, "»", o.raised ? " but raised: " + o.message : "");
    }
}

template <typename Rule>
void rejects_all(const char* rule, std::initializer_list<std::string_view> texts) {
    for (const std::string_view t : texts) {
        const outcome o = run<Rule>(t);
        CHECK_MESSAGE(!o.matched, rule, " should reject «", t, "»");
    }
}

// Rejected by a must<>: the author is told `expected` (a messages.hpp text).
template <typename Rule>
void raises(const char* rule, std::string_view text, const char* expected) {
    const outcome o = run<Rule>(text);
    CHECK_MESSAGE(o.raised, rule, " should raise on «", text, "»", o.matched ? " but accepted it" : " but failed quietly");
    if (o.raised) CHECK_MESSAGE(o.message == expected, rule, " on «", text, "» raised: ", o.message);
}

}  // namespace

#define ACCEPTS(Rule, ...) accepts_all<g::Rule>(#Rule, {__VA_ARGS__})
#define REJECTS(Rule, ...) rejects_all<g::Rule>(#Rule, {__VA_ARGS__})
#define RAISES(Rule, text, MessageRule) raises<g::Rule>(#Rule, text, g::expected<g::MessageRule>)

// ---------------------------------------------------------------------------

TEST_CASE("analyze: no rule can loop without consuming input") {
    // analyze<>() prints the offending rules to stderr and returns their number.
    CHECK(pg::analyze<g::file>() == 0);
    CHECK(pg::analyze<g::resume>() == 0);
}

TEST_CASE("numbers: digits, an optional fraction, % ／ ％ or 分") {
    ACCEPTS(number, "12", "0", "007", "0.5", "3.14159", "80%", "80％", "95.5%", "2分", "0.5分", "100 ",
            "12 # a comment\n", "12\t\n");
    // no exponent (1e5), no leading or trailing dot, no thousands separator, no sign
    // (a minus is an operator), no space before %, no full-width digits, one suffix only.
    REJECTS(number, "1e5", "1E5", ".5", "1.", "1,000", "1_000", "-1", "+1", "80 %", "１２", "80%分", "2分分", "1.2.3",
            "12abc", "0x10", "");
}

TEST_CASE("codes: 1, 1.2, 1.2.4") {
    ACCEPTS(code, "1", "1.2", "1.2.4", "10.3.12", "1.2 ");
    REJECTS(code, "1.", ".1", "1..2", "a.1", "1.a", "");
}

TEST_CASE("names: ASCII, Chinese, mixed; keywords are not names") {
    ACCEPTS(name, "x", "rate", "_tmp", "w1", "录入率", "录入率2", "rate_录入", "采用篇数", "各领域占比",
            // a keyword that runs on into more letters is a name
            "each_x", "ifx", "maximum", "counter", "每项指标", "最高分", "最高扣分", "是否完成", "否决项",
            // header, type and missing-policy words are not reserved
            "total", "date", "zero", "percent", "bool", "是否", "计数器");
    REJECTS(name, "each", "if", "then", "else", "and", "or", "not", "true", "false", "max", "of", "tier", "deduct",
            "penalty", "per", "from", "drop", "below", "count", "in", "where", "checklist", "score", "subject",
            "section", "item", "bonus", "task", "input", "ratio", "test", "given", "expect", "standard", "note",
            "最高", "最多", "最高扣", "每项", "每", "如果", "则", "否则", "并且", "且", "或者", "或", "非", "是", "否", "对",
            "分档", "扣分", "减分", "满分", "下降", "低于", "计数", "属于", "满足", "分项", "得分", "评分项",
            "1x", "x-y", "x y", "x.y", "");
}

TEST_CASE("strings: double quotes, escapes \\\" \\\\ \\n \\t") {
    ACCEPTS(string_lit, R"("")", R"("abc")", R"("评分标准")", R"("a \"q\" b")", R"("back\\slash")",
            R"("line\nnext\ttab")", "\"a real\nline break\"", R"("（全角）：，、％")", "\"x\" # after\n");
    REJECTS(string_lit, "abc", "'abc'", "“abc”");
    RAISES(string_lit, R"("abc)", string_close);
    RAISES(string_lit, R"("bad \x escape")", escape_char);
}

TEST_CASE("comparison operators, ASCII, ≥ ≤ ≠ ≧ ≦ and full-width") {
    ACCEPTS(cmp_op, ">=", "≥", "<=", "≤", "!=", "≠", "==", "=", ">", "<", ">= ",
            // full-width, and mixed (each character is read on its own)
            "≧", "≦", "＞＝", "＜＝", "！＝", "＝＝", "＝", "＞", "＜", "＞=", ">＝", "＜=", "<＝", "！=", "!＝", "＝=", "=＝",
            "＞＝ ");
    REJECTS(cmp_op, "=>", "=<", "<>", "!", "", "！", "＝＞", "＞ ＝", "> =", "≥=", "＝＝＝", "＞＞");
    ACCEPTS(cmp_expr, "x >= 80%", "x ≥ 80%", "x≥80%", "x ≤ 3", "x ≠ 0", "procedure == \"完备\"",
            "procedure = \"完备\"", "x > 1 + 2", "completion >= 90％", "x ＞＝ 80％", "x＞1 ＋ 2", "x ≧ 1",
            "procedure ＝ \"完备\"");
    RAISES(cmp_expr, "x >= ", cmp_rhs);
    REJECTS(cmp_expr, "x >= 1 >= 2");
}

TEST_CASE("white space and comments") {
    ACCEPTS(ws, "", " \t\r\n", "# a comment", "# a\n# b\n", "\xE3\x80\x80", "  # x\n  ");
    // a comment runs to the end of the line, so a number after it is not white space
    REJECTS(ws, "# a\n1");
}

TEST_CASE("full-width punctuation: ： ， 、 （ ） ％ × ÷ ／ ＋ － ＝") {
    ACCEPTS(colon, ":", "：");
    ACCEPTS(comma, ",", "，", "、");
    ACCEPTS(lparen, "(", "（");
    ACCEPTS(rparen, ")", "）");
    ACCEPTS(equals, "=", "＝", "= ", "＝ ");
    REJECTS(equals, "==", "＝＝", "＝=", "=＝");
    ACCEPTS(expr, "（a + b）× 2", "a ÷ b", "[a、b，c]", "min(a， b)", "a ／ b", "a／b × 2", "a ＋ b － c", "a＋b－c",
            "－x", "－ x", "－－x", "－（a ＋ b）", "x － －1", "a － -b", "deduct 1 per a ＋ b");
    RAISES(expr, "a ＋", add_rhs);
    RAISES(expr, "a ／", operand);
    RAISES(expr, "－", operand);
    REJECTS(comma, ";", "；");
    // still refused: ； ［］ ｛｝ ～ ． ＊
    REJECTS(expr, "［a, b］", "0．5", "a ＊ b");
    REJECTS(input_range, "0～6");
}

TEST_CASE("arithmetic, calls, lists, brackets") {
    ACCEPTS(expr, "rate * 1", "rate × 1", "completion * 2", "2 * reach(timeliness, 95%)",
            "review_score + (if evaluation_held then 0.5)", "a - b - c", "-x", "- x", "--x", "-(a + b)", "x - -1",
            "a / b * c", "min(a, b)", "max(a, b, c)", "clamp(x, 0, 1)", "round(x, 2)", "round_even(x)", "floor(x)",
            "ceil(x)", "abs (x)", "f()", "unknown(x)", "[a, b]", "[a, b,]", "[]", "(a)");
    RAISES(expr, "(a", paren_close);
    RAISES(expr, "()", expr);
    RAISES(expr, "min(a, b", paren_close);
    RAISES(expr, "min(a,)", paren_close);
    RAISES(expr, "[a b]", list_close);
    RAISES(expr, "a *", operand);
    RAISES(expr, "a +", add_rhs);
    RAISES(expr, "-", operand);
    // full-width digits are a primary of their own, so that they fail in a clear place
    REJECTS(expr, "１２", "1e5", ".5");
}

TEST_CASE("conditions: and or not, 并且 且 或者 或 非") {
    ACCEPTS(expr, "a and b", "a 并且 b", "a 且 b", "a or b", "a 或者 b", "a 或 b", "not a", "非 a", "not not a",
            "a and not b or c", "x >= 80% or not y", "executed and procedure == \"完备\"");
    RAISES(expr, "a and", and_rhs);
    RAISES(expr, "a or", or_rhs);
    RAISES(expr, "not", not_operand);
}

TEST_CASE("if … then … else if … else (no else: 0)") {
    ACCEPTS(if_form, "if a then 1", "if a then 1 else 0", "if a then 1 else if b then 0.5 else 0",
            "如果 a 则 1 否则 0", "if dishonesty_cases == 0 then 0.5 else if dishonesty_cases > 0 and punish_proof then 0.2 else 0",
            "if executed and procedure == \"完备\" then 1\n else if executed and procedure == \"较完备\" then 0.5\n else 0",
            "if statement then deduct 1 per inconsistencies max 3 else 0",
            // the `else 0` belongs to the `if`: a tier's own fallback is `otherwise`
            "if executed then tier aspects >=5:1 >=3:0.5 else 0",
            "if executed then tier aspects >=5:1 >=3:0.5 otherwise 0.2 else 0");
    RAISES(if_form, "if a 1", kw_then);
    RAISES(if_form, "if then 1", if_cond);
    RAISES(if_form, "if a then", if_then);
    RAISES(if_form, "if a then 1 else", if_else);
}

TEST_CASE("each: each N [max M] [of LIST|COUNT]") {
    ACCEPTS(each_form, "each 0.5 max 2", "each 0.5 max 2 of [a, b]", "each 0.2 of n", "each 0.5", "each 0.5 max 1",
            "each 0.25 max 2 of [w1, w2, w3, w4, w5, w6, w7, w8, w9]", "each 0.2 max 3 of adopted",
            "each 1 max 8 of count d in domain_shares where d > 80%", "each 0.5分 max 2分", "每项0.5最高2分",
            "每项 0.5 最多 2 对 [a、b]", "each 0.5 of [a, b,]");
    RAISES(each_form, "each max 2", amount);
    RAISES(each_form, "each a", amount);
    RAISES(each_form, "each 0.5 max", amount);
    RAISES(each_form, "each 0.5 of", each_subject);
    // `max` comes before `of`
    REJECTS(each_form, "each 0.5 of [a, b] max 2");
}

TEST_CASE("tier: tier [VALUE] (OP BOUND : POINTS)+ [otherwise POINTS]") {
    // exactly as written in the design card and in rubrics/examples/tier.rubric
    ACCEPTS(tier_form, "tier >=90%:3 >=80%:2", "tier >=90%:3 >=80%:2 >=70%:1", "tier x >=90%:3 otherwise 0",
            "tier 覆盖率 >=90%:3 >=80%:2 >=70%:1 otherwise 0", "tier aspects >=5:1 >=3:0.5", "tier x ≥90%：3 ≥80%：2",
            "tier x >= 90% : 3  >= 80% : 2", "tier x <= 10:1 <= 20:0.5", "tier x >90%:3 >80%:2",
            "tier (a / b) >=90%:3", "分档 x >=90%:3 其余 0", "tier x >=90%:3分 >=80%:2分",
            // the grammar takes any comparison; the checker allows only >= > <= < (E-tier-op)
            "tier x == 1:1");
    RAISES(tier_form, "tier x", tier_band);
    RAISES(tier_form, "tier >=90%", colon);
    RAISES(tier_form, "tier >=90%:", tier_score);
    RAISES(tier_form, "tier >= :3", tier_bound);
    // a threshold read from the cohort: a call (the checker allows the cohort aggregates only)
    ACCEPTS(tier_form, "tier x >= cohort_mean(x): 3 >= 80%: 2", "tier x >=cohort_mean(x among y == 1):3 otherwise 1",
            "分档 配比 ≥ cohort_mean(配比)：3 ≥ 30％：2", "tier n <= cohort_count(n > 2):1");
    RAISES(tier_form, "tier x >= cohort_mean(x: 3", paren_close);
    // one call, not an expression (parse.hint-tier-cohort shows the `if`)
    RAISES(tier_form, "tier x >= cohort_mean(x) * 90%: 3", colon);
    // or a name (the checker wants a let that reads the cohort); no other expression
    ACCEPTS(tier_form, "tier x >= 基准: 3 >= 80%: 2", "分档 x ≥ 基准：3");
    RAISES(tier_form, "tier x >= (a): 3", tier_bound);
    RAISES(tier_form, "tier x >= -5: 3", tier_bound);
    RAISES(tier_form, "tier x >=90%:3 otherwise", amount);
    // a band's points are a plain number, not an expression
    REJECTS(tier_form, "tier x >=90%:1+2", "tier x >=90%:-1");
}

TEST_CASE("deduct and penalty: N per COUNT (+ N per COUNT)* [max M] [from F]") {
    ACCEPTS(deduct_form, "deduct 1 per late + 2 per unreported", "deduct 1 per inconsistencies max 3",
            "deduct 0.2 per unconnected max 1", "deduct 1 per 逾期次数 + 2 per 未报次数 max 10 from 10",
            "扣分 1 每 逾期次数 最高 3 满分 3", "deduct 0.5 per (a + b)", "deduct 1 per a * 2", "deduct 1 per a from 4",
            // full-width ＋ between terms, and the prose's 最高扣 for the cap
            "deduct 1 per late ＋ 2 per unreported", "扣分 1 每 逾期次数 ＋ 2 每 未报次数 最高扣3分 满分 3",
            "扣分 1 每 a 最高扣 3", "deduct 1 per a 最高扣3分", "扣分 1 每 a 最多 3");
    RAISES(deduct_form, "deduct per x", deduct_terms);
    RAISES(deduct_form, "deduct 1 x", kw_per);
    RAISES(deduct_form, "deduct 1 per", deduct_count);
    RAISES(deduct_form, "deduct 1 per a max", amount);
    RAISES(deduct_form, "deduct 1 per a from", amount);
    // `+ b` without `N per` ends the deduction: it is (deduct 1 per a) + b
    REJECTS(deduct_form, "deduct 1 per a + b", "deduct 1 per a from 4 max 1", "deduct 1 per a ＋ b",
            "扣分 1 每 a 最多扣 3", "扣分 1 每 a 最高 扣 3");
    ACCEPTS(expr, "deduct 1 per a + b", "deduct 1 per a ＋ b");
    // 最高扣 is the cap of a deduction only
    REJECTS(each_form, "each 0.5 最高扣 1", "每项 0.5 最高扣1分");

    ACCEPTS(penalty_form, "penalty 0.2 per unconnected max 1", "减分 0.2 每 未接入家数 最高 1",
            "penalty 1 per a + 0.5 per b", "减分 0.2 每 未接入家数 最高扣1分", "penalty 1 per a ＋ 0.5 per b");
    REJECTS(penalty_form, "penalty 0.2 per x from 1");
    ACCEPTS(expr, "- penalty 0.2 per unconnected max 1", "rate * 1 - penalty 0.2 per unconnected max 1");
}

TEST_CASE("drop: drop N per STEP below TARGET [of VALUE] [from F]") {
    ACCEPTS(drop_form, "drop 0.1 per 1% below 100%", "drop 0.1 per 1% below 100% of 完整度 from 1",
            "drop 0.1 per 1% below 100% of completeness", "drop 0.1 per 1% below 100% from 1", "下降 0.1 每 1% 低于 100%");
    RAISES(drop_form, "drop 0.1 below 100%", kw_per);
    RAISES(drop_form, "drop 0.1 per x below 100%", drop_step);
    RAISES(drop_form, "drop 0.1 per 1%", kw_below);
    RAISES(drop_form, "drop 0.1 per 1% below", drop_level);
    // The level read from the cohort: an aggregate (the checker says which calls may stand there).
    ACCEPTS(drop_form, "drop 0.1 per 1% below cohort_mean(配比)", "drop 0.1 per 1% below cohort_mean(配比 among 类别 == \"专业部门\") of 配比 from 2",
            "下降 0.1 每 1% 低于 cohort_min(x)");
    RAISES(drop_form, "drop 0.1 per 1% below cohort_mean(x", paren_close);
    // An aggregate over a subset: `among` after the arguments of a call.
    ACCEPTS(call, "cohort_mean(x among y == 1)", "cohort_count(a among b and c)", "cohort_max(x 参评 类别 == \"专业部门\")",
            "f(among)");
    RAISES(call, "cohort_mean(x among )", call_among_cond);
    // score(CODE): a node's score, for a rank or a cohort aggregate to read.
    ACCEPTS(rank_form, "rank score(1.2) higher places [20, 19, 18, 17, 16] otherwise 15", "排名 score(3) 越高越好 线性 1..0");
    ACCEPTS(expr, "cohort_mean(score(1))");
    RAISES(expr, "score(a)", score_ref_code);
    RAISES(expr, "score(1.2", paren_close);
    RAISES(drop_form, "drop per 1% below 100%", amount);
}

TEST_CASE("count: count [C, …] and count x in LIST where C") {
    ACCEPTS(count_form, "count [a, b, c]", "count [a > 1, b]", "count []", "count d in 各领域占比 where d > 80%",
            "count d in domain_shares where d > 80% and d <= 100%", "计数 d 属于 shares 满足 d > 80%");
    RAISES(count_form, "count", count_what);
    RAISES(count_form, "count (a)", count_what);
    RAISES(count_form, "count d", kw_in);
    RAISES(count_form, "count d in shares", kw_where);
    RAISES(count_form, "count d in shares where", count_cond);
}

TEST_CASE("checklist: checklist [C: N, …]") {
    ACCEPTS(checklist_form, "checklist [分工: 0.5, 责任单位: 0.3, 进度: 0.2]",
            "checklist [task_division: 0.5, responsible_units: 0.3, schedule: 0.2]", "checklist [a: 0.5, b: 0.3,]",
            "分项 [a：0.5，b：0.5]", "checklist [x >= 80%: 1, not y: 0.5]", "checklist [a: 0.5分]");
    RAISES(checklist_form, "checklist []", check_items);
    RAISES(checklist_form, "checklist a: 1", lbracket);
    RAISES(checklist_form, "checklist [a 0.5]", colon);
    RAISES(checklist_form, "checklist [a: b]", amount);
    RAISES(checklist_form, "checklist [a: 1", list_close);
}

TEST_CASE("points and max_points: points C [word: N, …, otherwise: N]; choices with labels") {
    // GRAMMAR.md, "points and max_points"
    ACCEPTS(points_form, "points 报送方式 [database: 2, frontend: 2, other: 1]", "points c [a: 1, otherwise: 0,]",
            "选项分 c [a：2分，其余：0]", "points c [\"是\": 1, b: 0.5]");
    ACCEPTS(max_points_form, "max_points 获奖级别 [national: 5, province: 3, city: 1]", "最高选项分 aw [a: 1]");
    RAISES(points_form, "points c []", points_entries);
    RAISES(points_form, "points c [a 1]", colon);
    RAISES(points_form, "points c [a: b]", amount);
    RAISES(points_form, "points c [a: 1", list_close);
    // not the form without a name and `[` after it: `points` stays usable as a name
    REJECTS(points_form, "points", "points * 2", "points c", "points (c)");
    CHECK(accepts<g::expr>("points * 2"));
    ACCEPTS(input_decl, "input ch: choice [database \"数据库对接\", frontend \"前置机\", other]",
            "input aw: list of choice [national \"国家级\", city]", "输入 aw： 列表 对 选项 [a \"甲\"，b]");
    RAISES(input_decl, "input x: choice [a \"甲\" \"乙\"]", list_close);
    ACCEPTS(kw_points, "points", "选项分");
    ACCEPTS(kw_max_points, "max_points", "最高选项分");
    REJECTS(kw_points, "points_x", "选项分数");
}

TEST_CASE("input declarations") {
    ACCEPTS(input_decl, "input 采用篇数: count 0..50 missing zero \"被采用的信息篇数\"", "input x: bool", "input x bool",
            "input x： bool", "input review_score: judged 0..0.5 \"执法案卷合法性审查和目录归档情况评分\"",
            "input p: percent", "input p: percent 0..80%", "input d: decimal 0..", "input d: decimal 0.. missing 0.5",
            "input procedure: choice [完备, 较完备, 不完备] \"决策程序完备程度\"", "input c: choice [\"是\", \"否\"]",
            "input c: choice [A级, B级、C级,]", "input domain_shares: list of percent \"各领域发布承诺的街道乡镇占比\"",
            "input s: list count", "input s: list of decimal", "input x: bool missing true", "input x: bool missing false",
            "input x: count missing error", "input x: count missing 3", "输入 机制： 是否 \"建立健全法律顾问机制\"",
            "输入 n： 计数 0..10 缺失 报错", "输入 s： 列表 对 百分比", "input x: count 0..6 \"有相关描述的决策程序方面数\"");
    RAISES(input_decl, "input x", input_type);
    RAISES(input_decl, "input : bool", input_name);
    RAISES(input_decl, "input if: bool", input_name);
    RAISES(input_decl, "input x: text", input_type);
    RAISES(input_decl, "input x: list of bool", list_element);
    RAISES(input_decl, "input x: choice", lbracket);
    RAISES(input_decl, "input x: choice []", choice_words);
    // 是 and 否 are keywords (true, false): quote them to use them as choices
    RAISES(input_decl, "input x: choice [是, 否]", choice_words);
    RAISES(input_decl, "input x: count missing", missing_policy);
    // a range needs `..`
    REJECTS(input_decl, "input x: count 0 50", "input x: count 0...50");
}

TEST_CASE("ratio declarations") {
    ACCEPTS(ratio_decl, "ratio 录入率 = 录入条数 / 总条数 if zero 0 \"录入率\"",
            "ratio rate = entered / platform_total \"录入率\"", "ratio r = a / b", "ratio r = (a + b) / c",
            "ratio r = a ÷ b if zero undefined", "ratio r = a / b if zero 1", "比率 r = a / b 如果 零 0",
            "比率 r = a / b 如果 零 无定义", "ratio r = a / 100", "ratio r = -a / b",
            "比率 录入率 ＝ 录入条数 ／ 总条数", "ratio r=a／b", "ratio r ＝ －a / b");
    RAISES(ratio_decl, "ratio = a / b", ratio_name);
    RAISES(ratio_decl, "ratio r a / b", equals);
    RAISES(ratio_decl, "ratio r == a / b", equals);
    RAISES(ratio_decl, "ratio r ＝＝ a / b", equals);
    RAISES(ratio_decl, "ratio r = a", ratio_slash);
    // numerator and denominator are single operands: bracket a sum
    RAISES(ratio_decl, "ratio r = a + b / c", ratio_slash);
    RAISES(ratio_decl, "ratio r = a / ", ratio_den);
    RAISES(ratio_decl, "ratio r = a / b if 0", kw_zero);
    RAISES(ratio_decl, "ratio r = a / b if zero", ratio_zero_value);
}

TEST_CASE("metadata fields") {
    ACCEPTS(meta_field, "requirement \"出台重大行政决策制度文件\"", "standard \"出台相关文件的，加1分\"",
            "method \"材料报送\"", "evidence \"提供本地区出台的重大行政决策程序制度文件\"",
            "owners \"市政府办公室牵头，市级各部门配合\"", "lead \"市政府办公室\"",
            "support \"市级各部门\", \"市司法局\"", "support \"市级各部门\"、\"市司法局\"", "deadline \"2023年12月底\"",
            "measures \"…\"", "note \"…\"", "评分要求 \"…\"", "评分标准 \"…\"", "评价方式 \"…\"", "提交说明 \"…\"",
            "责任部门 \"…\"", "牵头 \"…\"", "配合 \"…\", \"…\"", "时限 \"…\"", "工作措施 \"…\"", "备注 \"…\"");
    RAISES(meta_field, "standard", meta_text);
    RAISES(meta_field, "standard 出台相关文件的", meta_text);
    RAISES(meta_field, "lead", meta_list);
    RAISES(meta_field, "support \"a\",", string_lit);
}

TEST_CASE("items, sections, bonus, tasks") {
    ACCEPTS(item_decl, "item 1.1.1 \"建立健全重大行政决策程序制度\" 1 { score if x then 1 }",
            "item \"x\" 1分 { }", "item \"x\" { score 1 }", "item 1 \"x\" 0.5 { score 1; }",
            "item 1 \"录入率\" 1 {\n  standard \"录入率乘以分值（即1分）得出得分\"\n"
            "  input entered: count \"辖区内各行政执法机关录入总条数\"\n"
            "  input platform_total: count \"执法监督平台录入总条数\"\n"
            "  ratio rate = entered / platform_total \"录入率\"\n  score rate * 1\n}",
            "item 1 \"x\" 1 { subject rate  score tier >=90%:1 }",
            "item 1 \"x\" 1 { score \"制度\": if a then 0.5  score \"失信与惩戒\"： if b then 0.5 }",
            "评分项 1.1 \"x\" 1分 { 得分 1  对象 r }");
    RAISES(item_decl, "item 1 { }", node_name);
    RAISES(item_decl, "item \"x\" 1", lbrace);
    RAISES(item_decl, "item \"x\" 1 { score }", score_expr);
    RAISES(item_decl, "item \"x\" 1 { subject }", subject_expr);
    RAISES(item_decl, "item \"x\" 1 { score 1", block_close);
    RAISES(item_decl, "item \"x\" 1 { foo }", block_close);
    // an item holds no sections, items or tasks
    RAISES(item_decl, "item \"x\" 1 { item \"y\" 1 { } }", block_close);

    ACCEPTS(section_decl, "section \"s\" { }", "section 1 \"法治政府\" 12 { }", "指标 \"s\" 12分 { }",
            "section 1 \"法治政府\" 12 { section 1.1 \"健全依法决策机制\" 4 { item 1.1.1 \"x\" 1 { score 1 } } }",
            "section \"s\" { input a: bool  ratio r = a / b  standard \"x\"  task \"t\" { }  item \"i\" 1 { score 1 } ; }");
    // by ATTRIBUTE { case WORD[, WORD…] { … } } (按 … 适用): sections, items and tasks in a case
    ACCEPTS(section_decl, "section \"s\" 6 by kind { case water { item \"a\" 6 { score 6 } } case road, \"县公园\" { } }",
            "指标 \"s\" 6分 按 kind { 适用 water { 评分项 \"a\" 6分 { 得分 6 } } }",
            "section \"s\" by kind { case a { section \"t\" by size { case b { task \"x\" { } } } } }");
    RAISES(section_decl, "section \"s\" by { }", section_by_name);
    RAISES(section_decl, "section \"s\" by kind { case { } }", case_words);
    RAISES(section_decl, "section \"s\" by kind { case water item \"a\" 1 { score 1 } }", lbrace);
    RAISES(section_decl, "section \"s\" by kind { case water { input a: bool } }", block_close);
    RAISES(section_decl, "section \"s\" 1 { score 1 }", block_close);
    RAISES(section_decl, "section \"s\" { bonus \"b\" 1 { } }", block_close);
    RAISES(section_decl, "section \"s\" { test \"t\" { } }", block_close);

    ACCEPTS(bonus_decl, "bonus \"附加分\" 10 { item \"探索创新和突出贡献\" 10 { input innovation: judged 0..10  score innovation } }",
            "附加分 \"附加分\" 10分 { }", "bonus 6 \"附加分\" { }");

    ACCEPTS(task_decl, "task \"x\" { owners \"市司法局\" lead \"市司法局\" support \"市级各部门\", \"市检察院\" deadline \"2023年底\" measures \"…\" }",
            "任务 1 \"x\" { 牵头 \"市发改局\" }", "task \"x\" { }");
    // a task has no points: the grammar already refuses them
    RAISES(task_decl, "task \"x\" 1 { }", lbrace);
    RAISES(task_decl, "task \"x\" { score 1 }", block_close);
}

TEST_CASE("named values: let NAME = EXPRESSION [\"label\"], at the top and in a section") {
    ACCEPTS(let_decl, "let x = a / b", "let 基准 = cohort_mean(平均年龄 * 人数) / cohort_mean(人数) \"全市平均年龄\"",
            "let ok = a > 1 and b", "设 x ＝ a ／ b", "设 达标线 = 0.8 \"整改达标线\"");
    RAISES(let_decl, "let = 1", let_name);
    RAISES(let_decl, "let x 1", equals);
    RAISES(let_decl, "let x = ", let_expr);
    ACCEPTS(section_member, "let x = a + b");
    ACCEPTS(file_member, "let x = a + b \"x\"");
    // `let` is not reserved: still a name where a name may stand.
    ACCEPTS(expr, "let + 1", "设施 * 2");
}

TEST_CASE("grades, vetoes, adjustments, and what a test expects of them") {
    ACCEPTS(grade_decl, "grade 优秀 >= 90, 良好 >= 80, 合格 >= 60, otherwise 不合格", "grade A >= 1, otherwise B",
            "grade \"A级\" ≥ 90, \"B级\" >= 80, otherwise \"C级\"", "等级 优秀 ≥ 90，其余 不合格");
    RAISES(grade_decl, "grade", grade_band);
    RAISES(grade_decl, "grade 优秀 90", grade_ge);
    RAISES(grade_decl, "grade 优秀 >= ", grade_bound);
    RAISES(grade_decl, "grade 优秀 >= 90", grade_sep);
    RAISES(grade_decl, "grade 优秀 >= 90,", grade_band);
    RAISES(grade_decl, "grade 优秀 >= 90, otherwise", grade_label);
    ACCEPTS(veto_decl, "veto \"t\" if x", "veto 优秀 \"t\" if x and y", "veto \"A级\" \"t\" if x > 1", "否决 优秀 \"t\" 如果 x");
    RAISES(veto_decl, "veto 优秀 if x", veto_label);
    RAISES(veto_decl, "veto \"t\" x", veto_if);
    RAISES(veto_decl, "veto \"t\" if", veto_condition);
    ACCEPTS(adjustments_decl, "adjustments \"综合奖扣分\" { }", "adjustments 3 \"x\" max +5 min -10 { item \"a\" { score 1 } }",
            "adjustments \"x\" max 5 { }", "adjustments \"x\" min －2 { }", "奖扣分 \"x\" 最高 +5 最低 -10 { }");
    RAISES(adjustments_decl, "adjustments \"x\" max { }", signed_amount);
    RAISES(adjustments_decl, "adjustments \"x\" min -a { }", signed_amount);
    ACCEPTS(test_decl, "test \"t\" { expect grade = 良好, grand_total = -3, adjustments = +2 }",
            "test \"t\" { expect warning \"w\", no warning }", "测试 \"t\" { 预期 等级 = 良好，总得分 = 104，奖扣分 = -1 }",
            "测试 \"t\" { 预期 预警 \"w\"，无 预警，无预警 }");
    RAISES(test_decl, "test \"t\" { expect grade = }", grade_label);
    RAISES(test_decl, "test \"t\" { expect warning }", expect_warning_label);
    RAISES(test_decl, "test \"t\" { expect no x }", kw_warning_word);
    RAISES(test_decl, "test \"t\" { expect 1 = - }", expect_value);
}

TEST_CASE("tests: given NAME = VALUE, … expect CODE|total|bonus = N[/D], …") {
    ACCEPTS(test_decl, "test \"全部达标\" { given a = true, 比例 = 85%  expect 1.1.1 = 1, total = 100 }",
            "test \"t\" { expect 2 = 2/3 }", "test \"t\" { given p = \"完备\", l = [90%, 81%] expect total = 0, bonus = 3.5 }",
            "测试 \"t\" { 已知 a = 是， b = 否 预期 总分 = 1， 附加分 = 0 }", "test \"t\" { }",
            "test \"t\" { given a = true; expect 1 = 1; }", "test \"t\" { given a = 1 given b = 0 expect 1 = 0 expect 2 = 0 }",
            "test \"t\" { given x = 0.955 expect 1 = 0.55 }", "test \"t\" { given x = 85％ expect 1 = 40/57 }",
            "test \"t\" { expect 1 = 1 # comment\n }", "test \"t\" { given a ＝ 1  expect 1 ＝ 2／3，total＝1 }");
    RAISES(test_decl, "test { }", test_name);
    RAISES(test_decl, "test \"t\"", lbrace);
    RAISES(test_decl, "test \"t\" { given }", given_item);
    RAISES(test_decl, "test \"t\" { given a }", equals);
    RAISES(test_decl, "test \"t\" { given a = b }", given_value);
    RAISES(test_decl, "test \"t\" { expect }", expect_item);
    RAISES(test_decl, "test \"t\" { expect x = 1 }", expect_item);
    RAISES(test_decl, "test \"t\" { expect 1 }", equals);
    RAISES(test_decl, "test \"t\" { expect 1 = }", expect_value);
    RAISES(test_decl, "test \"t\" { expect 1 = 2/ }", expect_den);
    // a given value is a literal: no sign, no arithmetic, no bare choice word
    RAISES(test_decl, "test \"t\" { given a = -1 }", given_value);
    RAISES(test_decl, "test \"t\" { given a = －1 }", given_value);
    RAISES(test_decl, "test \"t\" { given p = 完备 }", given_value);
}

TEST_CASE("the rubric header") {
    ACCEPTS(header, "rubric \"示例\" { total 4  rounding 2 half_up  missing zero }", "rubric \"t\" { }",
            "rubric \"广汉市政务诚信评价指标\" {\n  document \"广信用办〔2023〕1号\"\n  issuer \"广汉市社会信用体系建设联席会议办公室\"\n"
            "  date \"2023-04-12\"\n  edition \"2023\"\n  note \"…\"\n  total 100\n}",
            "rubric \"t\" { rounding 2 }", "rubric \"t\" { rounding 3 half_even missing error }",
            "rubric \"t\" { missing 0 }", "rubric \"t\" { missing false; total 100分; }",
            "评价体系 \"t\" { 文号 \"…\" 发文单位 \"…\" 日期 \"…\" 版本 \"…\" 总分 100 保留小数 2 四舍六入五成双 缺失 零 }",
            "评价体系 \"t\" { 保留小数 2 四舍五入 缺失 报错 }");
    RAISES(header, "rubric { }", header_title);
    RAISES(header, "rubric \"t\"", lbrace);
    RAISES(header, "rubric \"t\" { total }", number);
    RAISES(header, "rubric \"t\" { rounding }", round_places);
    RAISES(header, "rubric \"t\" { rounding 2.5 }", block_close);
    RAISES(header, "rubric \"t\" { missing }", missing_policy);
    RAISES(header, "rubric \"t\" { document }", header_text);
    RAISES(header, "rubric \"t\" { standard \"x\" }", block_close);
}

TEST_CASE("whole files") {
    ACCEPTS(file, "", "\xEF\xBB\xBF", "# only a comment\n", "\xE3\x80\x80item \"x\" 1 { score 1 }",
            "\xEF\xBB\xBFrubric \"t\" { total 1 }\nitem \"x\" 1 { score 1 }",
            "input a: bool\nratio r = a / b\nitem \"x\" 1 { score a }\ntest \"t\" { }\n;",
            "section \"s\" { } bonus \"b\" 1 { } task \"t\" { }");
    RAISES(file, "}", end_of_file);
    RAISES(file, "item \"x\" 1 { } }", end_of_file);
    // the header comes first and only once
    RAISES(file, "item \"x\" 1 { } rubric \"t\" { }", end_of_file);
    RAISES(file, "rubric \"t\" { } rubric \"u\" { }", end_of_file);
    // scoring clauses belong in an item
    RAISES(file, "score 1", end_of_file);

    // every example rubric is a file
    const std::filesystem::path dir = std::filesystem::path(RUBRIC_SOURCE_DIR) / "rubrics" / "examples";
    std::size_t seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".rubric") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        const outcome o = run<g::file>(text.str());
        CHECK_MESSAGE(o.matched, entry.path().filename().string(), " ", o.message);
        ++seen;
    }
    CHECK(seen >= 13);
}

TEST_CASE("every example block in GRAMMAR.md is a file") {
    // The reference's examples are checked with `rubric check` when they are written;
    // this keeps them at least grammatical when the grammar changes.
    std::ifstream in(std::filesystem::path(RUBRIC_SOURCE_DIR) / "grammar" / "GRAMMAR.md", std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    const std::string open = "```rubric\n", close = "```";
    std::size_t blocks = 0;
    for (std::size_t at = doc.find(open); at != std::string::npos; at = doc.find(open, at)) {
        at += open.size();
        const std::size_t end = doc.find(close, at);
        REQUIRE(end != std::string::npos);
        const std::string block = doc.substr(at, end - at);
        ++blocks;
        const outcome o = run<g::file>(block);
        CHECK_MESSAGE(o.matched, "GRAMMAR.md example ", blocks, ": ", o.message, "\n", block);
        at = end + close.size();
    }
    CHECK(blocks >= 10);
}

TEST_CASE("resume: reading on after a syntax error") {
    // after an error the parser restarts at a line that begins a declaration or a
    // clause, and tolerates closing braces of blocks it did not see open
    ACCEPTS(resume, "} }", "item \"x\" 1 { score 1 } }", "score 1 }", "total 100 }", "given a = 1 }",
            "standard \"x\" input a: bool }", "expect 1 = 1 } test \"t\" { }");
    RAISES(resume, "rubric \"t\" { }", end_of_file);
}

TEST_CASE("Chinese keyword spellings") {
    // English ↔ 中文, as listed in GRAMMAR.md
#define BOTH(kw, en, zh) ACCEPTS(kw, en, zh)
    BOTH(kw_rubric, "rubric", "评价体系");
    BOTH(kw_section, "section", "指标");
    BOTH(kw_item, "item", "评分项");
    BOTH(kw_bonus, "bonus", "附加分");
    BOTH(kw_task, "task", "任务");
    BOTH(kw_input, "input", "输入");
    BOTH(kw_ratio, "ratio", "比率");
    BOTH(kw_score, "score", "得分");
    BOTH(kw_subject, "subject", "对象");
    BOTH(kw_test, "test", "测试");
    BOTH(kw_given, "given", "已知");
    BOTH(kw_expect, "expect", "预期");
    BOTH(kw_document, "document", "文号");
    BOTH(kw_issuer, "issuer", "发文单位");
    BOTH(kw_date, "date", "日期");
    BOTH(kw_edition, "edition", "版本");
    BOTH(kw_total, "total", "总分");
    BOTH(kw_rounding, "rounding", "保留小数");
    BOTH(kw_missing, "missing", "缺失");
    BOTH(kw_half_up, "half_up", "四舍五入");
    BOTH(kw_half_even, "half_even", "四舍六入五成双");
    BOTH(kw_zero, "zero", "零");
    BOTH(kw_error_kw, "error", "报错");
    BOTH(kw_undefined, "undefined", "无定义");
    BOTH(kw_requirement, "requirement", "评分要求");
    BOTH(kw_standard, "standard", "评分标准");
    BOTH(kw_method, "method", "评价方式");
    BOTH(kw_evidence, "evidence", "提交说明");
    BOTH(kw_owners, "owners", "责任部门");
    BOTH(kw_lead, "lead", "牵头");
    BOTH(kw_support, "support", "配合");
    BOTH(kw_deadline, "deadline", "时限");
    BOTH(kw_measures, "measures", "工作措施");
    BOTH(kw_note, "note", "备注");
    BOTH(kw_t_bool, "bool", "是否");
    BOTH(kw_t_count, "count", "计数");
    BOTH(kw_t_percent, "percent", "百分比");
    BOTH(kw_t_decimal, "decimal", "数值");
    BOTH(kw_t_judged, "judged", "评分");
    BOTH(kw_t_choice, "choice", "选项");
    BOTH(kw_t_list, "list", "列表");
    BOTH(kw_if_, "if", "如果");
    BOTH(kw_then, "then", "则");
    BOTH(kw_else_, "else", "否则");
    ACCEPTS(kw_and_, "and", "并且", "且");
    ACCEPTS(kw_or_, "or", "或者", "或");
    BOTH(kw_not_, "not", "非");
    BOTH(kw_true_, "true", "是");
    BOTH(kw_false_, "false", "否");
    BOTH(kw_each, "each", "每项");
    ACCEPTS(kw_max, "max", "最高", "最多");
    ACCEPTS(kw_max_deduct, "max", "最高", "最多", "最高扣");
    REJECTS(kw_max, "最高扣");
    BOTH(kw_of, "of", "对");
    BOTH(kw_tier, "tier", "分档");
    BOTH(kw_deduct, "deduct", "扣分");
    BOTH(kw_penalty, "penalty", "减分");
    BOTH(kw_per, "per", "每");
    BOTH(kw_from, "from", "满分");
    BOTH(kw_drop, "drop", "下降");
    BOTH(kw_below, "below", "低于");
    BOTH(kw_count, "count", "计数");
    BOTH(kw_in, "in", "属于");
    BOTH(kw_where, "where", "满足");
    BOTH(kw_checklist, "checklist", "分项");
#undef BOTH
    // English keywords do not run on into a name; Chinese ones do not run on into
    // letters or Chinese characters, but may be followed directly by a number.
    REJECTS(kw_each, "eachx", "each_", "each1", "每项x", "每项目");
    REJECTS(kw_max, "max2", "最高分");
    REJECTS(kw_max_deduct, "最高扣分", "最多扣");
    CHECK(accepts<pg::seq<g::kw_max, g::amount>>("最高2分"));
    CHECK(accepts<pg::seq<g::kw_max_deduct, g::amount>>("最高扣2分"));
    CHECK(accepts<pg::seq<g::kw_each, g::amount>>("每项0.5"));
    // keywords are case-sensitive
    REJECTS(kw_each, "Each", "EACH");
}

// ---------------------------------------------------------------------------
// The nesting guard

namespace {

// The innermost value is `x` (or the item inside nested sections).
std::string nested(const std::string& shape, std::size_t depth) {
    std::string s;
    auto repeat = [&](const char* piece) {
        for (std::size_t i = 0; i < depth; ++i) s += piece;
    };
    if (shape == "paren") {
        repeat("(");
        s += "x";
        repeat(")");
    } else if (shape == "not") {
        repeat("not ");
        s += "x";
    } else if (shape == "neg") {
        repeat("-");
        s += "x";
    } else if (shape == "list") {
        repeat("[");
        s += "x";
        repeat("]");
    } else if (shape == "call") {
        repeat("abs(");
        s += "x";
        repeat(")");
    } else if (shape == "if") {
        repeat("if x then ");
        s += "1";
    } else if (shape == "mixed") {
        for (std::size_t i = 0; i < depth; ++i) s += (i % 2 ? "(" : "[");
        s += "x";
        for (std::size_t i = depth; i-- > 0;) s += (i % 2 ? ")" : "]");
    } else if (shape == "section") {
        repeat("section \"s\" { ");
        s += "item \"i\" 1 { score 1 } ";
        repeat("} ");
    }
    return s;
}

outcome parse_nested(const std::string& shape, std::size_t depth) {
    const std::string text = nested(shape, depth);
    return shape == "section" ? run<g::file>(text) : run<g::expr>(text);
}

const char* const shapes[] = {"paren", "not", "neg", "list", "call", "if", "mixed", "section"};

// Sets nesting_limit() for this thread and puts the old value back.
struct limit_guard {
    std::size_t old;
    explicit limit_guard(std::size_t n) : old(g::nesting_limit()) { g::nesting_limit() = n; }
    ~limit_guard() { g::nesting_limit() = old; }
    limit_guard(const limit_guard&) = delete;
    limit_guard& operator=(const limit_guard&) = delete;
};

bool is_nesting_error(const outcome& o) { return o.raised && o.message == g::expected<g::nesting_too_deep>; }

}  // namespace

TEST_CASE("nesting guard: the limit is per thread and 64 by default") {
    // nesting_limit() is thread_local: a parser thread sets its own (parse.inl does).
    CHECK(g::nesting_limit() == 64);
}

TEST_CASE("nesting guard: deeper than the limit raises the nesting message, never crashes") {
    for (const std::size_t n : {std::size_t(4), std::size_t(10), std::size_t(64)}) {
        const limit_guard limit(n);
        for (const char* s : shapes) {
            const std::string shape = s;
            CAPTURE(n);
            CAPTURE(shape);
            CHECK_MESSAGE(parse_nested(shape, n - 1).matched, nested(shape, n - 1));
            const outcome over = parse_nested(shape, n + 1);
            CHECK_MESSAGE(is_nesting_error(over), over.message);
            const outcome far = parse_nested(shape, 10 * n);
            CHECK_MESSAGE(is_nesting_error(far), far.message);
        }
    }
}

// The design: "a '(' nested N deep parses". `form` looks at its keyword before
// it counts a level, so a plain value inside brackets does not use one up.
TEST_CASE("nesting guard: exactly N deep parses") {
    const limit_guard limit(10);
    for (const std::string shape : {"paren", "not"}) {
        CAPTURE(shape);
        const outcome at = parse_nested(shape, 10);
        CHECK_MESSAGE(at.matched, at.message);
    }
}

namespace {

struct small_stack_results {
    std::size_t limit = 0;
    outcome deepest[sizeof(shapes) / sizeof(shapes[0])];
    outcome over[sizeof(shapes) / sizeof(shapes[0])];
    outcome huge_paren, huge_not, huge_list;
};

void* small_stack_body(void* arg) {
    auto& r = *static_cast<small_stack_results*>(arg);
    // The library's default (rubric::limits, limits.hpp), which parse() installs.
    const std::size_t n = rubric::limits{}.nesting;
    g::nesting_limit() = n;  // thread_local: set on this thread
    r.limit = g::nesting_limit();
    for (std::size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); ++i) {
        r.deepest[i] = parse_nested(shapes[i], n - 1);
        r.over[i] = parse_nested(shapes[i], n + 1);
    }
    r.huge_paren = parse_nested("paren", 100000);
    r.huge_not = parse_nested("not", 100000);
    r.huge_list = parse_nested("list", 100000);
    return nullptr;
}

}  // namespace

TEST_CASE("nesting guard: the default limit (64 levels) fits in a 256 KiB stack (this build's optimisation level)") {
    // std::thread cannot set a stack size; pthreads can. Measured at -O0: the
    // deepest accepted input (63 levels) of the worst shape here, nested calls or
    // lists, needs about 190 KiB of stack for the grammar alone.
    // AddressSanitizer puts red zones around every local, which makes each frame
    // several times larger; the 256 KiB promise is for ordinary builds (-O0 included).
#if defined(__SANITIZE_ADDRESS__)
    constexpr std::size_t stack_bytes = 2048 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    constexpr std::size_t stack_bytes = 2048 * 1024;
#else
    constexpr std::size_t stack_bytes = 256 * 1024;
#endif
#else
    constexpr std::size_t stack_bytes = 256 * 1024;
#endif
    pthread_attr_t attr;
    REQUIRE(pthread_attr_init(&attr) == 0);
    REQUIRE(pthread_attr_setstacksize(&attr, stack_bytes) == 0);
    small_stack_results r;
    pthread_t thread;
    REQUIRE(pthread_create(&thread, &attr, small_stack_body, &r) == 0);
    REQUIRE(pthread_join(thread, nullptr) == 0);
    pthread_attr_destroy(&attr);

    CHECK(r.limit == rubric::limits{}.nesting);
    CHECK(r.limit == 64);  // the documented default
    for (std::size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); ++i) {
        const std::string shape = shapes[i];
        CAPTURE(shape);
        CHECK_MESSAGE(r.deepest[i].matched, r.deepest[i].message);
        CHECK_MESSAGE(is_nesting_error(r.over[i]), r.over[i].message);
    }
    CHECK(is_nesting_error(r.huge_paren));
    CHECK(is_nesting_error(r.huge_not));
    CHECK(is_nesting_error(r.huge_list));
}

// ---------------------------------------------------------------------------
// Once an oddity: a tier's fallback was `else`, which took the `if`'s else.
// The fallback is now `otherwise`, so the chain goes on.

TEST_CASE("a tier inside `then` leaves `else if` to the `if`") {
    CHECK(accepts<g::expr>("if a then tier x >=5:1 >=3:0.5 else if b then 0.5"));
}
