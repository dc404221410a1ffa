// parse(): source text → AST, with every syntax error found in one pass.
#include <doctest/doctest.h>

#include "rubric/rubric.hpp"

namespace {

rubric::parse_result parse_text(const std::string& text, rubric::parse_options opts = {}) {
    return rubric::parse(rubric::make_source("t.rubric", text), opts);
}

std::string where(const rubric::diagnostic& d) {
    return std::to_string(d.where.begin.line) + ":" + std::to_string(d.where.begin.column);
}

}  // namespace

TEST_CASE("the design card's three forms parse as written") {
    auto r = parse_text(R"(
item 1 "a" 2 { input a: bool  input b: bool  score each 0.5 max 2 }
item 2 "b" 1 { input n: count  input d: count  ratio rate = n / d  score rate * 1 }
item 3 "c" 3 { input m: count  input e: count  ratio cover = m / e  score tier >=90%:3 >=80%:2 }
)");
    REQUIRE(r.tree);
    const auto& t = *r.tree;
    REQUIRE(t.nodes.size() == 3);
    const auto& each = t.exprs[t.nodes[0].parts[0].expr];
    CHECK(each.kind == rubric::expr_kind::each);
    CHECK(each.nums[0] == rubric::decimal::fraction(1, 2));
    CHECK(each.has_cap);
    CHECK(each.args[0] == rubric::no_id);  // the item's subject, resolved by the checker
    CHECK(t.exprs[t.nodes[1].parts[0].expr].kind == rubric::expr_kind::mul);
    const auto& tier = t.exprs[t.nodes[2].parts[0].expr];
    REQUIRE(tier.kind == rubric::expr_kind::tier);
    REQUIRE(tier.bands.size() == 2);
    CHECK(tier.bands[0].bound == rubric::decimal::fraction(9, 10));
    CHECK(tier.bands[0].percent);
    CHECK(tier.bands[1].score == rubric::decimal(2));
}

TEST_CASE("Chinese names, full-width punctuation and points written with 分") {
    auto r = parse_text("评分项 1 \"覆盖率\" 2分 {\n  输入 覆盖事项数: count\n  输入 事项总数: count\n"
                        "  比率 覆盖率 = 覆盖事项数 / 事项总数\n  得分 分档 覆盖率 ≥80％：2 ≥70％：1\n}\n");
    REQUIRE_MESSAGE(r.tree, (rubric::render(r.diags)));
    const auto& t = *r.tree;
    CHECK(t.nodes[0].name == "覆盖率");
    CHECK(*t.nodes[0].points == rubric::decimal(2));
    CHECK(t.ratios[0].name == "覆盖率");
    const auto& tier = t.exprs[t.nodes[0].parts[0].expr];
    REQUIRE(tier.bands.size() == 2);
    CHECK(tier.bands[1].bound == rubric::decimal::fraction(7, 10));
}

TEST_CASE("metadata is kept verbatim, escapes and line breaks included") {
    auto r = parse_text("item 1 \"x\" 1 {\n  requirement \"1.出台文件\n2.聘请顾问\"\n  standard \"每实现一项，加0.5分\"\n"
                        "  evidence \"提供\\\"原始文件\\\"或截图\"\n  lead \"市司法局\"\n  support \"市级各部门\", \"市检察院\"\n"
                        "  input a: bool  score if a then 1\n}\n");
    REQUIRE(r.tree);
    const auto& m = r.tree->nodes[0].meta;
    CHECK(m.requirement == "1.出台文件\n2.聘请顾问");
    CHECK(m.standard == "每实现一项，加0.5分");
    CHECK(m.evidence == "提供\"原始文件\"或截图");
    CHECK(m.lead == std::vector<std::string>{"市司法局"});
    CHECK(m.support == std::vector<std::string>{"市级各部门", "市检察院"});
}

TEST_CASE("a text ends at its own closing quote, even when a comment with quotes follows") {
    // The comment after the label holds quotes; the label is only 聘请法律顾问.
    auto r = parse_text("item 1 \"x\" 1 {\n  input a: bool \"聘请法律顾问\"\n  # 不写\"对\"的不算\n"
                        "  standard \"a\\\"b\"  # \"c\"\n  score if a then 1\n}\n");
    REQUIRE(r.tree);
    CHECK(r.tree->inputs[0].label == "聘请法律顾问");
    CHECK(r.tree->nodes[0].meta.standard == "a\"b");
}

TEST_CASE("all syntax errors are reported at once, each at its place, columns in characters") {
    auto r = parse_text("item 1 \"甲乙\" 1 {\n  input x: bool\n  score if x 1\n}\nitem 2 \"b\" 1 {\n  score tier x >=80%\n}\n");
    CHECK_FALSE(r.tree);
    REQUIRE(r.diags.size() == 2);
    CHECK(where(r.diags[0]) == "3:14");
    CHECK(r.diags[0].message == "unexpected `1`");
    CHECK(r.diags[0].expected == "`then` after the condition of `if`");
    CHECK(where(r.diags[1]) == "7:1");
    // the caret is placed by display width: two Chinese characters are four columns wide
    auto r2 = parse_text("item 1 \"甲乙\" 1 { score if x 1 }\n");
    REQUIRE(r2.diags.size() == 1);
    CHECK(where(r2.diags[0]) == "1:28");
    const std::string shown = rubric::render(r2.diags[0]);
    CHECK(shown.find("\n  item 1 \"甲乙\" 1 { score if x 1 }\n" + std::string(2 + 29, ' ') + "^\n") != std::string::npos);
}

TEST_CASE("limits: source size and nesting give clean errors, at the limit and one past it") {
    rubric::parse_options o;
    o.max_source_bytes = 64;
    CHECK(parse_text(std::string(64, ' ')).tree);
    auto big = parse_text(std::string(65, ' '), o);
    REQUIRE(big.diags.size() == 1);
    CHECK(big.diags[0].code == "E-limit-source");

    auto nested = [](int depth) {
        return "item 1 \"x\" 1 { input a: count  score " + std::string(static_cast<std::size_t>(depth), '(') + "a" +
               std::string(static_cast<std::size_t>(depth), ')') + " }\n";
    };
    rubric::parse_options n;
    n.max_nesting = 20;
    // an item's body is not a nesting level (a section's is): 20 brackets fit in 20 levels
    CHECK(parse_text(nested(20), n).tree);
    auto deep = parse_text(nested(21), n);
    REQUIRE_FALSE(deep.tree);
    CHECK(deep.diags[0].code == "E-limit-nesting");
}

TEST_CASE("numbers beyond the literal limits are rejected, not allocated") {
    auto r = parse_text("item 1 \"x\" 1 { score 1" + std::string(60, '0') + " }\n");
    CHECK_FALSE(r.tree);
    REQUIRE_FALSE(r.diags.empty());
    CHECK(r.diags[0].code == "E-number");
}

TEST_CASE("invalid UTF-8 and full-width digits are explained") {
    auto bad = parse_text("item 1 \"\xC3\x28\" 1 { }\n");
    REQUIRE(bad.diags.size() == 1);
    CHECK(bad.diags[0].code == "E-utf8");
    CHECK(where(bad.diags[0]) == "1:9");
    auto fw = parse_text("item 1 \"x\" 1 { input a: bool score if a then １ }\n");
    REQUIRE(fw.diags.size() == 1);
    CHECK(fw.diags[0].code == "E-fullwidth-digit");
    // inside a text, full-width digits are just text
    CHECK(parse_text("item 1 \"第１项\" 1 { input a: bool  score if a then 1 }\n").tree);
}
