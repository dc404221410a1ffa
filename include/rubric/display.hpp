// rubric: the one home of how a score is shown. A score is exact everywhere inside rubric;
// only output rounds it, as the rubric's header says (`places 2`, 四舍五入 by default), and
// every output that rounds (CSV, JSON, the table, the report, the C ABI) calls these.
#pragma once
#include <string>
#include <vector>

#include "rubric/ast.hpp"
#include "rubric/compile.hpp"
#include "rubric/decimal.hpp"
#include "rubric/evaluate.hpp"

namespace rubric {

// Rounded for display, without trailing zeros: "2.5", "85", "56.67".
[[nodiscard]] std::string shown(const program& p, const decimal& d);
// The same, appended to `out` (what writers of many scores use); true when showing `d` rounds it
// (display_rounds()). Each thread keeps the text of the values it showed last: a season's scores
// take few distinct values (0, 0.5, 1, 2 …), so most are copied rather than rounded again (the
// rounding was a third of a CSV run's work).
bool append_shown(std::string& out, const program& p, const decimal& d);
// Node `id`'s score in `ev`, as append_shown() shows it, without making a decimal of it first when
// the unit was scored on the fast path (what writers of every node of every unit use).
bool append_shown_score(std::string& out, const program& p, const evaluation& ev, node_id id);
// A row of scores at once, as append_shown_score() shows them: for each k, before[k], node
// ids[k]'s score, then `after` (when not '\0'). The k of each score that display rounds is added to
// `rounded` (when not null). The same text as one append_shown_score() a node, written without a
// call into std::string per piece (the CSV and JSON-lines writers' rows).
void append_shown_scores(std::string& out, const program& p, const evaluation& ev, const std::vector<node_id>& ids,
                         const std::vector<std::string>& before, char after, std::vector<std::size_t>* rounded);
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
