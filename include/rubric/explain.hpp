// rubric: how each score came about, in the rubric's own terms (for people, and
// as JSON for appeals handled by other systems).
#pragma once

#include <string>

#include "rubric/evaluate.hpp"
#include "rubric/messages.hpp"

namespace rubric {

// One item or section: "1.2.4 完善… 1分 → 0.4分" and one line per part with the
// facts used, the tier matched, the count and cap, the ratio, the deductions and
// the clamp to the item's points. Every number is exact (a rounded display keeps
// its exact form beside it).
[[nodiscard]] std::string explain_node_text(const program& p, const fact_set& facts, const evaluation& ev, node_id id);

// Every node in document order, then the total and the bonus.
[[nodiscard]] std::string explain_text(const program& p, const fact_set& facts, const evaluation& ev);

// The same as JSON: {"entity", "total", "bonus", "nodes": [{"code", "name", "points", "score",
// "score_exact", "clamped", "parts": [{"label", "value", "value_exact", "explanation"}]}]}.
[[nodiscard]] std::string explain_json(const program& p, const fact_set& facts, const evaluation& ev);

// The same three in a chosen language (the functions above are English). JSON keys
// and values other than the human-readable "explanation" text stay the same.
[[nodiscard]] std::string explain_node_text(const program& p, const fact_set& facts, const evaluation& ev, node_id id,
                                            lang l);
[[nodiscard]] std::string explain_text(const program& p, const fact_set& facts, const evaluation& ev, lang l);
[[nodiscard]] std::string explain_json(const program& p, const fact_set& facts, const evaluation& ev, lang l);

// Indents every line of `text` by `prefix`.
[[nodiscard]] std::string indent(const std::string& text, const std::string& prefix);

}  // namespace rubric
