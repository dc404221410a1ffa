// rubric: results as workbooks — a season run's (`rubric eval --format xlsx`) and a cohort
// report's (`rubric report --format xlsx`) — and the header of results tables in words
// (`--headers labels`).
//
// One sheet, one row per unit in input order: the unit's id, its name, its group (with a
// group column), the total, the bonus, every scored node in document order, the warnings
// (预警) and the number of inputs not given. Units left out with --skip-bad are listed with the
// reason on a second sheet (未评分单位). Scores are number cells holding the value as
// the rubric shows it (display.hpp: its places and rounding, formatted with those places),
// and wherever the rounding changed some unit's value the column is followed by one giving
// the exact value as text ("56.675", or "170/3" without a finite decimal) for those units, so that nothing is lost on the page.
//
// Part of the office layer (rubric_office, src/office/): not in the core library.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rubric/cohort.hpp"
#include "rubric/decimal.hpp"
#include "rubric/messages.hpp"
#include "rubric/run.hpp"
#include "rubric/xlsx_writer.hpp"

namespace rubric {

// The columns of results_writer's CSV (run.hpp) in words: "单位代码,单位名称,总分,附加分,
// 1 依法行政 (30),…,预警,缺项数" (English: "unit id,name,total,bonus,1 …,warnings,missing"), with
// the adjustments and grand total, the grade and vetoes where the CSV has them.
[[nodiscard]] std::vector<std::string> result_column_labels(const program& p, lang l);

class results_workbook final : public result_sink {
public:
    // `labels`: headers in words (result_column_labels), else the CSV's codes.
    explicit results_workbook(lang l, bool labels = true) : lang_(l), labels_(labels) {}
    void begin(const program& p) override;
    void unit(const scored_unit& u) override;
    // A unit left out (--skip-bad): listed with the reason on a second sheet.
    void skipped(std::string_view entity, const diagnostics& why) override;
    // The workbook's sheets: the results, and the units not scored when there are any.
    [[nodiscard]] std::vector<xlsx_out_sheet> sheets() const;

private:
    struct row {
        std::string entity, name, group, warnings, grade, vetoes;
        std::vector<decimal> scores;  // total, bonus, [adjustments, grand total,] then the nodes in document order
        std::vector<std::uint8_t> absent;  // beside scores: 1 for a node that does not apply to the unit (applies.hpp)
        std::size_t missing = 0;
    };
    lang lang_;
    bool labels_;
    const program* p_ = nullptr;
    std::vector<node_id> order_;
    std::vector<row> rows_;
    std::vector<std::pair<std::string, std::string>> skipped_;  // entity, why
    bool any_group_ = false;
};

// The quarterly report (cohort.hpp) as a workbook, one sheet per part, with the same rule for
// numbers (shown as the rubric rounds them, the exact value beside where that changed it):
//   排名 ranking: per group, rank, unit, total, the gap to the group's leader, bonus, each
//       level-1 section's score and rank, warnings, and with a previous period its total,
//       rank, the changes and the trend. The gap is the difference of the SHOWN totals, so
//       that the sheet's own arithmetic agrees; the exact gap is beside it where it differs;
//   分项得分 scores: every scored node of every unit (as eval's workbook);
//   失分点 lost points: per item, units losing points, points lost, lead departments; then
//       per lead department;
//   预警 warnings: the units flagged, and the units not scored with the reason (--skip-bad).
struct report_workbook_input {
    const program* prog = nullptr;
    const std::vector<unit_result>* units = nullptr;
    const cohort_report* cohort = nullptr;
    std::optional<decimal> warn_below;
    std::vector<std::pair<std::string, std::string>> skipped;  // entity, why
    lang language = lang::zh;
};
[[nodiscard]] std::vector<xlsx_out_sheet> report_workbook(const report_workbook_input& in);

}  // namespace rubric
