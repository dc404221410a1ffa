// published_table(): the indicator table and the responsibility view.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rubric/rubric.hpp"

namespace {

rubric::ast checked(const std::string& name, const std::string& text) {
    auto p = rubric::parse(rubric::make_source(name, text));
    REQUIRE_MESSAGE(p.tree, rubric::render(p.diags));
    auto c = rubric::check(std::move(*p.tree));
    REQUIRE_MESSAGE(c.rubric, rubric::render(c.diags));
    return std::move(c.rubric->tree);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A small table with two levels, a shallow leaf and a bonus part.
const char* const small = R"(rubric "示例表" { total 3 }
section "法治政府" 2 {
  section "决策" 2 {
    item "文件" 1 {
      standard "出台相关文件的，加1分"
      method "材料报送"
      lead "市政府办公室"
      support "市司法局", "市级各部门"
      input a: bool
      score if a then 1
    }
    item "顾问|制度" 1 {
      standard "第一行\n第二行"
      lead "市司法局"
      input b: bool
      score if b then 1
    }
  }
}
item "公开" 1 {
  lead "市政府办公室"
  input c: bool
  score if c then 1
}
bonus "附加分" 2 {
  item "创新" 2 { support "市司法局"  input d: judged 0..2  score d }
}
)";

}  // namespace

TEST_CASE("markdown: a row per leaf, levels with their points, repeated parents left blank") {
    const auto t = checked("small.rubric", small);
    rubric::table_options o;
    const std::string md = rubric::published_table(t, o);
    // Written out by hand from the rubric above: 1 and 1.1 are the parents of 1.1.1 and
    // 1.1.2; 2 is a leaf at the top level (its name in the first level column); 3 is the
    // bonus part, a cap (最高2分). `|` in a name is escaped, a line break becomes <br>.
    CHECK(md ==
          "# 示例表\n\n"
          "| 编号 | 一级指标 | 二级指标 | 三级指标 | 分值 | 评分标准 | 评价方式 | 牵头单位 | 配合单位 |\n"
          "|---|---|---|---|---|---|---|---|---|\n"
          "| 1.1.1 | 法治政府（2分） | 决策（2分） | 文件 | 1 | 出台相关文件的，加1分 | 材料报送 | 市政府办公室 | 市司法局、市级各部门 |\n"
          "| 1.1.2 | | | 顾问\\|制度 | 1 | 第一行<br>第二行 | | 市司法局 | |\n"
          "| 2 | 公开 | | | 1 | | | 市政府办公室 | |\n"
          "| 3.1 | 附加分（最高2分） | 创新 | | 2 | | | | 市司法局 |\n");
}

TEST_CASE("csv: every cell filled, so a spreadsheet can sort and filter it") {
    const auto t = checked("small.rubric", small);
    rubric::table_options o;
    o.format = rubric::table_format::csv;
    const std::string csv = rubric::published_table(t, o);
    CHECK(csv.find("1.1.2,法治政府（2分）,决策（2分）,顾问|制度,1,\"第一行\n第二行\",,市司法局,\r\n") != std::string::npos);
}

TEST_CASE("html: parents span their rows, text is escaped, the page is self-contained") {
    const auto t = checked("small.rubric", small);
    rubric::table_options o;
    o.format = rubric::table_format::html;
    const std::string html = rubric::published_table(t, o);
    // 法治政府 and 决策 each cover the two rows of 1.1.1 and 1.1.2
    CHECK(html.find("<td rowspan=\"2\">法治政府（2分）</td><td rowspan=\"2\">决策（2分）</td>") != std::string::npos);
    CHECK(html.find("第一行<br>第二行") != std::string::npos);
    CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("http") == std::string::npos);  // nothing fetched from the network
}

TEST_CASE("by owner: for each department, what it leads and supports, with the points at stake") {
    const auto t = checked("small.rubric", small);
    rubric::table_options o;
    o.view = rubric::table_view::owners;
    const std::string md = rubric::published_table(t, o);
    // 市政府办公室 leads 1.1.1 (1) and 2 (1): 2 items, 2 points. 市司法局 supports 1.1.1 (1),
    // leads 1.1.2 (1), supports 3.1 (2): leads 1 item (1 point), supports 2 (3 points).
    // 市级各部门 supports 1.1.1 only. Departments in order of first mention.
    CHECK(md ==
          "# 示例表 指标责任分工\n"
          "\n## 市政府办公室\n\n牵头 2 项（2分），配合 0 项\n\n"
          "| 编号 | 指标 | 分值 | 职责 |\n|---|---|---|---|\n"
          "| 1.1.1 | 法治政府 / 决策 / 文件 | 1 | 牵头 |\n"
          "| 2 | 公开 | 1 | 牵头 |\n"
          "\n## 市司法局\n\n牵头 1 项（1分），配合 2 项（3分）\n\n"
          "| 编号 | 指标 | 分值 | 职责 |\n|---|---|---|---|\n"
          "| 1.1.1 | 法治政府 / 决策 / 文件 | 1 | 配合 |\n"
          "| 1.1.2 | 法治政府 / 决策 / 顾问\\|制度 | 1 | 牵头 |\n"
          "| 3.1 | 附加分 / 创新 | 2 | 配合 |\n"
          "\n## 市级各部门\n\n牵头 0 项，配合 1 项（1分）\n\n"
          "| 编号 | 指标 | 分值 | 职责 |\n|---|---|---|---|\n"
          "| 1.1.1 | 法治政府 / 决策 / 文件 | 1 | 配合 |\n");
}

TEST_CASE("a table of unscored tasks has no points column") {
    const auto t = checked("tasks.rubric", R"(
task "完善信用制度" { measures "制定办法"  lead "市发改委"  deadline "2018年底" }
task "推进信息共享" { lead "市大数据局"  support "各部门" }
)");
    const std::string md = rubric::published_table(t);
    CHECK(md ==
          "| 编号 | 一级指标 | 工作措施 | 牵头单位 | 配合单位 | 完成时限 |\n"
          "|---|---|---|---|---|---|\n"
          "| 1 | 完善信用制度 | 制定办法 | 市发改委 | | 2018年底 |\n"
          "| 2 | 推进信息共享 | | 市大数据局 | 各部门 | |\n");
}

// The 广汉 table regenerated as CSV, read back with the library's CSV reader, and
// compared field by field with the independent transcription of the document
// (shared/rubric-specs/guanghan-2023.json): every verbatim field round-trips.
TEST_CASE("广汉 2023: the regenerated table holds every verbatim field of the document") {
    const std::string path = std::string(RUBRIC_SOURCE_DIR) + "/rubrics/guanghan-2023.rubric";
    const auto t = checked(path, slurp(path));
    rubric::table_options o;
    o.format = rubric::table_format::csv;
    const auto parsed = rubric::parse_csv(rubric::make_source("table.csv", rubric::published_table(t, o)));
    REQUIRE(parsed.diags.empty());
    REQUIRE(parsed.rows.size() > 1);
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < parsed.rows[0].fields.size(); ++i) col[parsed.rows[0].fields[i].text] = i;
    for (const char* h : {"编号", "一级指标", "二级指标", "三级指标", "分值", "评分要求", "评分标准", "评价方式", "提交说明", "责任部门"})
        REQUIRE_MESSAGE(col.count(h), h);
    std::map<std::string, const rubric::csv_row*> by_code;
    for (std::size_t r = 1; r < parsed.rows.size(); ++r) by_code[parsed.rows[r].fields[0].text] = &parsed.rows[r];

    const auto spec = nlohmann::json::parse(slurp(std::string(RUBRIC_SHARED_DIR) + "/rubric-specs/guanghan-2023.json"));
    std::size_t leaves = 0;
    for (const auto& l1 : spec["children"])
        for (const auto& l2 : l1["children"])
            for (const auto& leaf : l2["children"]) {
                const std::string code = leaf["code"];
                CAPTURE(code);
                REQUIRE(by_code.count(code));
                const auto& f = by_code[code]->fields;
                auto cell = [&](const char* h) { return f.at(col[h]).text; };
                CHECK(cell("一级指标") == l1["name"].get<std::string>() + "（" + l1["points"].get<std::string>() + "分）");
                CHECK(cell("二级指标") == l2["name"].get<std::string>() + "（" + l2["points"].get<std::string>() + "分）");
                CHECK(cell("三级指标") == leaf["name"].get<std::string>());
                CHECK(cell("分值") == leaf["points"].get<std::string>());
                CHECK(cell("评分要求") == leaf["requirement"].get<std::string>());
                CHECK(cell("评分标准") == leaf["rule_text"].get<std::string>());
                CHECK(cell("评价方式") == leaf["method"].get<std::string>());
                CHECK(cell("提交说明") == leaf["evidence"].get<std::string>());
                CHECK(cell("责任部门") == leaf["owners_text"].get<std::string>());
                ++leaves;
            }
    CHECK(leaves == 66);
    CHECK(by_code.size() == 66);  // no row that the document does not have
}

TEST_CASE("markdown: a member of a case of a section by an attribute says which units it is for") {
    // The choices by their labels (县水利局), else by their words (road); a case of two, joined.
    const auto t = checked("cases.rubric", R"(rubric "分部门表" { }
input kind: choice [water "县水利局", road, park "县公园"]
section 1 "履职" 2 by kind {
  case water { item "水利" 2 { score 2 } }
  case road, park { item "交通" 2 { score 2 } }
}
)");
    CHECK(rubric::published_table(t) ==
          "# 分部门表\n\n"
          "| 编号 | 一级指标 | 二级指标 | 分值 |\n"
          "|---|---|---|---|\n"
          "| 1.1 | 履职（2分） | 水利（适用：县水利局） | 2 |\n"
          "| 1.2 | | 交通（适用：road, 县公园） | 2 |\n");
}
