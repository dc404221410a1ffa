// The monitoring report of one season run (report.cpp): made by `rubric report`, which writes
// it to files, and by `rubric serve`, which sends it in a reply. One function for both, so the
// two never drift (the season run itself is the library's, run.hpp).
#pragma once

#include <optional>
#include <string>
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
    bool csv_bom = false;                // csv: starts with a UTF-8 byte-order mark
    lang language = lang::zh;            // of skipped units' reasons and the workbook's labels
    int pdf_timeout_seconds = pdf_options{}.timeout_seconds;  // Chromium is killed past it
};

struct made_report {
    run_result run;                      // when !run.usable, nothing else is set
    std::vector<std::string> documents;  // one per format asked for, in that order
    localized error;                     // a writer failed (xlsx, pdf): documents incomplete
};

// Scores `facts` with `prog` in one season run and renders the report in each of `formats`
// (html, md, csv, json, xlsx, pdf).
[[nodiscard]] made_report make_report(const program& prog, facts_source& facts, const run_options& options,
                                      const report_settings& settings, const std::vector<std::string>& formats);

}  // namespace rubric::cli
