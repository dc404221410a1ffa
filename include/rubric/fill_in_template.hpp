// rubric: the fill-in sheet (填报模板) of a rubric — what each department or the credit office
// fills in, and what `rubric eval` then reads back as it is, with no edits.
//
// Columns: the unit's id (单位代码, the first column, as every facts file), its name
// (单位名称, which the binder takes as the unit's name), then one column per input headed by
// its label where the label names that input alone (the binder reads labels), else by its
// id. In the workbook each input's header carries a note (its id, type, allowed values, the
// item it serves, the evidence to submit — 提交说明 — and the lead department), and its
// column a data validation: drop-downs for booleans (是/否) and choices, whole numbers for
// counts, ranges for percents (cells formatted as %), numbers and judged scores. A second
// sheet (填报说明) lists the same per input. Units given (--units) are pre-filled.
//
// Part of the office layer (rubric_office, src/office/): not in the core library.
#pragma once

#include <string>
#include <vector>

#include "rubric/compile.hpp"
#include "rubric/messages.hpp"
#include "rubric/xlsx_writer.hpp"

namespace rubric {

struct template_unit {
    std::string id, name;
};

// The header of each column, in order (id, name, then the inputs).
[[nodiscard]] std::vector<std::string> template_headers(const program& p, lang l);

// The sheet as UTF-8 CSV text (no byte-order mark: the caller adds one).
[[nodiscard]] std::string template_csv(const program& p, const std::vector<template_unit>& units, lang l);

// The sheets of the workbook: the fill-in sheet and its instructions.
[[nodiscard]] std::vector<xlsx_out_sheet> template_workbook(const program& p, const std::vector<template_unit>& units, lang l);

}  // namespace rubric
