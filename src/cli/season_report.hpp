// The monitoring report of one season run (report.cpp): made by `rubric report`, which writes
// it to files, and by `rubric serve`, which sends it in a reply. One season run and one set of
// renderers for both, so the two never drift (the run itself is the library's, run.hpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/rubric.hpp"
#include "rubric/cohort.hpp"
#include "rubric/pdf_printer.hpp"

namespace rubric::cli {

struct report_settings {
    std::string group_column;            // also run_options::group_column: the caller sets both
    std::string title, period, issuer;   // the page's heading; the rubric's title when empty
    std::optional<decimal> warn_below;   // 预警 below this total
    bool has_previous = false;           // `previous` holds the previous period's results
    std::vector<previous_unit> previous;
    const self_assessments* self = nullptr;  // --compare: the 自评 run, for the 自评与审核差异 section
    bool csv_bom = false;                // csv: starts with a UTF-8 byte-order mark
    lang language = lang::zh;            // of skipped units' reasons and the workbook's labels
    int pdf_timeout_seconds = pdf_options{}.timeout_seconds;  // Chromium is killed past it
};

// A season scored for its report: every unit's totals and section scores, the rankings and the
// lost points, from which each format is rendered.
class season_report {
public:
    ~season_report();
    // The season run; when !run().usable nothing can be rendered.
    [[nodiscard]] const run_result& run() const noexcept;
    // Renders `format` through `write`: html, md, csv and json as they are made (a megabyte at a
    // time: a million units are never one string), xlsx and pdf whole. False with `error` set
    // when the workbook or the PDF cannot be made.
    bool render(const std::string& format, const std::function<void(std::string_view)>& write, localized& error) const;

    struct state;

private:
    season_report();
    friend std::unique_ptr<season_report> make_season_report(const program&, facts_source&, const run_options&,
                                                             const report_settings&, bool);
    std::unique_ptr<state> s_;
};

// Scores `facts` with `prog` in one season run. `every_node`: keep each unit's every node
// score (the workbook lists them); otherwise only its totals and section scores.
[[nodiscard]] std::unique_ptr<season_report> make_season_report(const program& prog, facts_source& facts, const run_options& options,
                                                                const report_settings& settings, bool every_node);

}  // namespace rubric::cli
