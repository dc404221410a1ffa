// rubric: a unit's grade (等级) and the vetoes (一票否决 / 一票否优) that lowered it.
//
// The grade is read off the grand total (evaluation::grand_total(): the total plus the bonus),
// not the total: 附加分 counts towards the appraisal, and the published tables grade the sum
// they print last. The first band, best first, whose bound the grand total reaches (>=) is the
// grade; below every bound, the `otherwise` grade.
//
// A veto whose condition holds lowers it:
//   `veto 优秀 "…" if C`  (一票否优) — the unit is not graded 优秀 or better: a grade of 优秀 or
//                          above becomes the grade just below 优秀; a lower grade stays.
//   `veto "…" if C`       (一票否决) — the unit gets the lowest grade.
// When several fire, the lowest of their results wins, and every one that fired is reported
// (explain names them all). A condition that is undefined (a ratio of 0/0) does not fire,
// as a warning's does not.
//
// Nothing here runs on the evaluator's two paths: a veto's condition is an ordinary expression
// the program computes (program::veto_reg), and the grade is a comparison of exact decimals
// after scoring, so the fast and general paths give the same grade by construction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rubric/evaluate.hpp"

namespace rubric {

struct grade_result {
    bool graded = false;        // the rubric has a `grade`; nothing else is set when it has not
    std::size_t grade = 0;      // the unit's grade: an index into ast::grades->bands, or bands.size() for the lowest
    std::size_t earned = 0;     // the grade the grand total earned, before the vetoes
    std::vector<std::uint32_t> vetoes;  // indices into ast::vetoes of those that fired, in rubric order
    [[nodiscard]] bool vetoed() const noexcept { return grade != earned; }
};

// The grade of the unit `ev` last scored with `p`.
[[nodiscard]] grade_result grade_of(const program& p, const evaluation& ev);

// The label of grade index `g` (grade_result::grade, ::earned); "" when the rubric has no grades.
[[nodiscard]] const std::string& grade_label(const ast& t, std::size_t g);

// The texts of the vetoes that fired, in rubric order, joined by "; " (a CSV or workbook cell).
[[nodiscard]] std::string veto_labels(const ast& t, const grade_result& g);

}  // namespace rubric
