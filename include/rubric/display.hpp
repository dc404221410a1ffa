// rubric: the one home of how a score is shown. A score is exact everywhere inside rubric;
// only output rounds it, as the rubric's header says (`places 2`, 四舍五入 by default), and
// every output that rounds (CSV, JSON, the table, the report, the C ABI) calls these.
#pragma once
#include <string>
#include <vector>

#include "rubric/ast.hpp"
#include "rubric/compile.hpp"
#include "rubric/decimal.hpp"

namespace rubric {

// Rounded for display, without trailing zeros: "2.5", "85", "56.67".
[[nodiscard]] std::string shown(const program& p, const decimal& d);
// The same, appended to `out` (what writers of many scores use).
void append_shown(std::string& out, const program& p, const decimal& d);
// The shown score as an exact value: what a spreadsheet's arithmetic on the shown columns
// works with (a gap, a difference between two shown scores).
[[nodiscard]] decimal shown_value(const program& p, const decimal& d);
// Rounded for display with the header's places written out: "2.50" (tables, reports).
[[nodiscard]] std::string shown_fixed(const program& p, const decimal& d);
// True when display rounding changes `d`: outputs then also give the exact value (JSON's
// "exact": the fraction), so that nothing is lost between the score and the page.
[[nodiscard]] bool display_rounds(const program& p, const decimal& d);
// Every scored node (no tasks, unless `with_tasks`) in document order: the columns of every output.
[[nodiscard]] std::vector<node_id> document_order(const ast& t, bool with_tasks = false);

}  // namespace rubric
