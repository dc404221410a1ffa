// rubric: which parts of a rubric apply to a unit. A section `by` an attribute (section … by
// 责任单位 { case "县水利局" { … } case "县交通局" { … } }) has, for each unit, the members of the
// one case that names the unit's attribute; the members of the other cases do not apply to it.
// Such a node scores 0 for the unit (compile.inl gates its parts), and every output tells "does
// not apply" from "scored 0" by asking here: eval leaves its cell empty (JSON null), explain does
// not list it, report and coverage count only the units it applies to.
//
// It is read off the unit's facts, not its scores, so every way of scoring (one unit, a batch, a
// cohort) answers the same. A rubric without `by` has every node apply to every unit.
#pragma once

#include <string>

#include "rubric/ast.hpp"
#include "rubric/evaluate.hpp"
#include "rubric/facts.hpp"

namespace rubric {

// Whether the rubric has any section `by` an attribute (else every node applies to every unit).
[[nodiscard]] bool has_cases(const ast& tree) noexcept;

// Whether node `id` applies to the unit whose facts are bound in `facts`: every case above it (or
// it itself, a member of a case) names the unit's attribute. True for a node outside any case.
[[nodiscard]] bool applies(const program& p, const fact_set& facts, node_id id);
// The same, read off the unit's evaluation (`ev` just scored the unit with `p`): for coverage,
// which sees only the evaluation.
[[nodiscard]] bool applies(const program& p, const evaluation& ev, node_id id);

// How outputs name a section's attribute and one of its cases, as the office reads them: the
// input's label (责任单位) else its name; the case's choices by label (县水利局) else by word, in
// the input's order, joined with ", ". For explanations, coverage, the table and diffs.
[[nodiscard]] std::string attribute_shown(const ast& tree, node_id section);
[[nodiscard]] std::string case_shown(const ast& tree, node_id section, std::uint32_t k);

}  // namespace rubric
