// rubric: the published tables a rubric is the source of.
//
// The indicator table (指标体系表) is what a city prints: levels with their
// points, then the verbatim 评分要求 / 评分标准 / 评价方式 / 提交说明 / 责任部门 of
// every leaf. The responsibility view (指标责任分工表) turns it around: for each
// department, the items it leads (牵头) and supports (配合), with the points at
// stake. Both are built from a checked tree (codes derived), in the rubric's order.
#pragma once

#include <string>

#include "rubric/ast.hpp"

namespace rubric {

enum class table_format {
    markdown,  // for people and for review in a repository; a repeated parent cell is left blank
    csv,       // RFC 4180, CRLF; every cell filled (a parent repeated on each row) so it sorts and filters
    html,      // one self-contained page; parents span their rows, as in the printed table
};

enum class table_view {
    indicators,  // one row per leaf (item or task)
    owners,      // one block per department: what it leads and supports
};

struct table_options {
    table_format format = table_format::markdown;
    table_view view = table_view::indicators;
};

// The table of a checked tree. Columns that no node fills (deadline, measures, …)
// are left out; a rubric of unscored tasks gets no points column.
[[nodiscard]] std::string published_table(const ast& t, const table_options& o = {});

}  // namespace rubric
