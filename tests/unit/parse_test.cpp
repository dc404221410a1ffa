// parse(): source text → AST, with every syntax error found in one pass.
#include <doctest/doctest.h>

#include <string>
#include <vector>

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

TEST_CASE("a stray UTF-8 continuation byte is a column of its own: the caret stands under it") {
    // "# " then 0xB9 (the second byte of GBK 广): position_at says column 3, so must the caret.
    auto r = parse_text("# \xB9\xE3 x\n");
    REQUIRE(r.diags.size() == 1);
    CHECK(where(r.diags[0]) == "1:3");
    CHECK(rubric::render(r.diags[0]) ==
          "t.rubric:1:3: error: the file is not valid UTF-8 text (save it as UTF-8)\n"
          "  # \xB9\xE3 x\n"
          "    ^\n");
}

TEST_CASE("a UTF-16 file is named as such, and its unreadable line is not shown") {
    for (const std::string bom : {std::string("\xFF\xFE"), std::string("\xFE\xFF")}) {
        auto r = parse_text(bom + std::string("i\0t\0e\0m\0", 8));
        REQUIRE(r.diags.size() == 1);
        CHECK(r.diags[0].code == "E-utf8");
        CHECK(rubric::render(r.diags[0]) == "t.rubric:1:1: error: the file is UTF-16 text, not UTF-8 (save it as UTF-8)\n");
        CHECK(rubric::render(r.diags[0], rubric::lang::zh) ==
              "t.rubric:1:1: 错误：文件是 UTF-16 文本，不是 UTF-8（请以 UTF-8 编码保存）\n");
    }
}

TEST_CASE("an invisible character in the way is named by its code point") {
    auto message_at = [](const std::string& text) {
        auto r = parse_text(text);
        REQUIRE_FALSE(r.diags.empty());
        return where(r.diags[0]) + " " + r.diags[0].message;
    };
    // a byte-order mark where two files were pasted together
    CHECK(message_at("item 1 \"a\" 1 { input a: bool  score if a then 1 }\n\xEF\xBB\xBFitem 2 \"b\" 1 { }\n") ==
          "2:1 unexpected invisible character U+FEFF (a byte-order mark)");
    CHECK(message_at("item 1 \"a\" 1 { input\xC2\xA0" "a: bool }\n") ==
          "1:21 unexpected invisible character U+00A0 (a no-break space)");
    CHECK(message_at("item 1 \"a\" 1 { input a: bool\x01 }\n") ==
          "1:29 unexpected invisible character U+0001 (a control character)");
    auto zh = parse_text("item 1 \"a\" 1 { input a\xE2\x80\x8B: bool }\n");
    REQUIRE_FALSE(zh.diags.empty());
    CHECK(rubric::message_in(zh.diags[0], rubric::lang::zh) == "此处不应出现不可见字符 U+200B（零宽空格）");
    // a visible stray character is still shown as it is
    CHECK(message_at("item 1 \"a\" 1 { input a: bool $ }\n") == "1:30 unexpected `$`");
}

TEST_CASE("a text whose closing quote is missing: a note where it began") {
    auto r = parse_text("rubric \"标题 {\n  total 1\n}\nitem 1 \"a\" 1 { input a: bool  score if a then 1 }\n");
    REQUIRE(r.diags.size() == 2);
    CHECK(r.diags[0].level == rubric::severity::error);
    CHECK(where(r.diags[0]) == "4:9");
    CHECK(r.diags[1].level == rubric::severity::note);
    CHECK(where(r.diags[1]) == "1:8");
    CHECK(r.diags[1].message == "the text that starts here runs on to line 4; is its closing \" missing?");
    // an error after a text on one line gets no note
    auto one = parse_text("item 1 \"a\" 1 { input a: bool \"b\" x }\n");
    REQUIRE(one.diags.size() == 1);
}

TEST_CASE("past the cap of syntax errors, a note says that more were not shown") {
    rubric::parse_options o;
    o.max_errors = 2;
    const std::string bad = "item 1 \"a\" 1 { input a: bool  score if a than 1 }\n";
    // Each error has its hint (`than` is one letter from `then`): error, note, error, note.
    auto two = parse_text(bad + bad, o);
    INFO(rubric::render(two.diags));
    REQUIRE(two.diags.size() == 4);  // exactly at the cap: nothing left unshown
    CHECK(two.diags[1].code == "N-hint");
    CHECK(two.diags[1].message == "did you mean `then`?");
    auto three = parse_text(bad + bad + bad, o);
    REQUIRE(three.diags.size() == 5);
    CHECK(three.diags[4].level == rubric::severity::note);
    CHECK_FALSE(three.diags[4].where.begin.known());
    CHECK(three.diags[4].message == "only the first 2 syntax errors are shown; fix them and check again");
}

TEST_CASE("a number glued to a look-alike character: the error is at the character") {
    auto r = parse_text("item 1 \"a\" 1 {\n  input cases: count 0～6\n  score deduct 0.2 per cases\n}\n");
    REQUIRE_FALSE(r.diags.empty());
    CHECK(where(r.diags[0]) == "2:23");
    CHECK(r.diags[0].message == "unexpected `～`");
}

TEST_CASE("expect 1 = 1/0: the underline of the zero stops at the zero") {
    auto r = parse_text("item 1 \"a\" 1 { input a: bool  score if a then 1 }\ntest \"t\" { given a = true  expect 1 = 1/0 }\n");
    REQUIRE(r.diags.size() == 1);
    CHECK(r.diags[0].code == "E-div-zero");
    CHECK(rubric::render(r.diags[0]) ==
          "t.rubric:2:41: error: division by zero\n"
          "  test \"t\" { given a = true  expect 1 = 1/0 }\n"
          "  " + std::string(40, ' ') + "^\n");
}

TEST_CASE("a misspelt keyword gets a hint in its own script") {
    auto notes = [](const char* text) {
        const auto r = rubric::parse(rubric::make_source("k.rubric", text));
        std::vector<std::string> out;
        for (const auto& d : r.diags)
            if (d.code == "N-hint") out.push_back(d.message);
        return out;
    };
    // scroe is two edits from score (a five-letter word may be two away).
    CHECK(notes("rubric \"t\" { total 1 }\nitem 1 \"x\" 1 { input ok: bool  scroe if ok then 1 }\n") ==
          std::vector<std::string>{"did you mean `score`?"});
    // 得份 is one edit from 得分: the Chinese keyword, not `score`.
    CHECK(notes("rubric \"t\" { total 1 }\n评分项 1 \"x\" 1 { 输入 ok: 是否  得份 如果 ok 则 1 }\n") ==
          std::vector<std::string>{"did you mean `得分`?"});
    // A keyword in the wrong place is not misspelt: no hint.
    CHECK(notes("rubric \"t\" { total 1 }\nitem 1 \"x\" 1 { input ok: bool  then 1 }\n").empty());
    // A word near no keyword: none either.
    CHECK(notes("rubric \"t\" { total 1 }\nitem 1 \"x\" 1 { input ok: bool  zzzzzz 1 }\n").empty());
}

TEST_CASE("a misspelt `let` (设) gets the hint, at the top and in a section; two letters swapped are one slip") {
    auto notes = [](const char* text) {
        const auto r = rubric::parse(rubric::make_source("k.rubric", text));
        std::vector<std::string> out;
        for (const auto& d : r.diags)
            if (d.code == "N-hint") out.push_back(d.message);
        return out;
    };
    // lte is let with e and t swapped (two edits by Levenshtein, one slip of the fingers).
    CHECK(notes("lte base = 80%\nitem 1 \"x\" 1 { input v: percent  score if v >= base then 1 }\n") ==
          std::vector<std::string>{"did you mean `let`?"});
    CHECK(notes("section 1 \"s\" 1 {\n  lte base = 80%\n  item 1.1 \"x\" 1 { input v: percent  score if v >= base then 1 }\n}\n") ==
          std::vector<std::string>{"did you mean `let`?"});
    // 设置 is one edit from 设 and keeps its first character.
    CHECK(notes("设置 base = 80%\n评分项 1 \"x\" 1 { 输入 v: 百分比  得分 如果 v >= base 则 1 }\n") ==
          std::vector<std::string>{"did you mean `设`?"});
    // itme: item, by the same swap.
    CHECK(notes("itme 1 \"x\" 1 { input v: percent  score if v >= 80% then 1 }\n") ==
          std::vector<std::string>{"did you mean `item`?"});
}

TEST_CASE("a 、 between two choices is a warning where it stands; in quotes it is part of one option") {
    const auto r = rubric::parse(rubric::make_source(
        "c.rubric", "item 1 \"a\" 1 { input p: choice [数据库对接、前置机, \"网站、公众号\"]  score if p == \"前置机\" then 1 }\n"));
    REQUIRE(r.tree);
    // Three choices: the 、 split the first two; the quoted one keeps its 、.
    CHECK(r.tree->inputs.at(0).choices == std::vector<std::string>{"数据库对接", "前置机", "网站、公众号"});
    REQUIRE(r.diags.size() == 1);
    CHECK(r.diags[0].code == "W-choice-enumeration-comma");
    // "item 1 \"a\" 1 { input p: choice [数据库对接" is 37 columns: the 、 is column 38.
    CHECK(rubric::render(r.diags) ==
          "c.rubric:1:38: warning: `、` separates the choices 数据库对接 and 前置机, as `,` does\n"
          "  item 1 \"a\" 1 { input p: choice [数据库对接、前置机, \"网站、公众号\"]  score if p == \"前置机\" then 1 }\n"
          "                                            ^\n"
          "  expected: `,` between two choices, or one choice in quotes: \"数据库对接、前置机\"\n");
}
