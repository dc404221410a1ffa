// rubric: what changed between two versions of a rubric — the 年度指标调整说明 an office
// publishes with each year's table (`rubric diff OLD NEW`).
//
// Nodes (sections, items, bonus sections, tasks) are matched in three passes, each over the
// nodes the passes before left unmatched:
//   1. the same code and the same name: the node stayed where it was;
//   2. the same name (and kind): the node moved, or was renumbered because one was added or
//      removed before it;
//   3. the same code (and kind): the node was renamed.
// The rest were added or removed. Names come before codes (the issue suggested codes first)
// because inserting one item renumbers every later item of its section: matched by code, each
// of them would read as "renamed" into its neighbour; matched by name, each reads as moved.
//
// For every matched pair the differences are listed field by field: kind, points, the
// scoring rule (written out in the language's own syntax from the checked tree, so a changed
// threshold shows as `>=90%:3` → `>=95%:3` whatever the layout), the caps of 综合奖扣分, the inputs an item declares,
// lead and supporting departments, and the verbatim texts (评分标准, 评分要求, 评价方式,
// 提交说明, 责任部门, 时限, 工作措施, 备注). A node is "moved" when its parent or its code
// changed. The rubric's header (title, total points, display rounding), its grade scale and
// its vetoes are compared too.
#pragma once

#include <string>
#include <vector>

#include "rubric/ast.hpp"

namespace rubric {

// One field that differs: `field` is a stable key ("points", "rule", "lead", "standard", …,
// listed in diff.inl), `before` and `after` its texts ("" when absent).
struct field_change {
    std::string field;
    std::string before, after;
};

// A node present in both versions that moved, was renamed or changed.
struct node_change {
    node_id before = no_id, after = no_id;
    bool moved = false;       // another parent, or another code
    bool new_parent = false;  // moved under another parent (else only renumbered)
    bool renamed = false;  // another name
    std::vector<field_change> fields;
};

struct rubric_diff {
    std::vector<field_change> header;   // title, total, rounding, grades, vetoes
    std::vector<node_id> added;         // nodes of the new version, in its document order
    std::vector<node_id> removed;       // nodes of the old version, in its document order
    std::vector<node_change> changed;   // in the new version's document order
    [[nodiscard]] bool empty() const noexcept {
        return header.empty() && added.empty() && removed.empty() && changed.empty();
    }
};

// Compares two checked trees (codes derived).
[[nodiscard]] rubric_diff diff_rubrics(const ast& before, const ast& after);

enum class diff_format {
    markdown,  // 年度指标调整说明 in Markdown: for review, or pasted into the published notice
    html,      // the same as one self-contained page
    json,      // the data above, with codes and names, for other systems
};

// The document of a diff. `before_name` and `after_name` label the two versions (file names).
[[nodiscard]] std::string render_diff(const ast& before, const ast& after, const rubric_diff& d, diff_format f,
                                      const std::string& before_name, const std::string& after_name);

// The rule of a node in the language's syntax ("tier rate >=90%:3 >=80%:2"), parts joined by
// " + ", subject first (`subject rate; …`); "" for a node without parts.
[[nodiscard]] std::string rule_text(const ast& t, node_id n);

}  // namespace rubric
