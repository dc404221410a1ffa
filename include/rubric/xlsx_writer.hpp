// rubric: writing an .xlsx workbook (results, reports, the fill-in template) with Debian's
// libxlsxwriter, as bytes for a safe_output (safe_output.hpp) to put in place.
//
// A workbook here is plain data: sheets of rows of cells, plus what a fill-in sheet needs
// (comments on cells, drop-down lists and ranges as data validation, column formats, a frozen
// header). libxlsxwriter writes only to a named file, so the workbook is written into a
// private temporary directory, read back and removed; the caller writes the bytes through
// safe_output like any other result, and nothing is left behind on failure.
//
// Numbers: a number cell is given as exact decimal text and must have at most 15 significant
// digits (what an Excel cell can show exactly); it is converted to the nearest double only
// here, and Excel, WPS and openpyxl show it back as the same text. A decimal with more digits
// (or a fraction such as 170/3) is written as text: put_number() says which it did.
//
// Part of the office layer (rubric_office, src/office/): not in the core library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/messages.hpp"

namespace rubric {

struct xlsx_out_cell {
    enum class kind { empty, text, number } k = kind::empty;
    std::string text;        // text, or the number's exact decimal text ("56.67")
    std::string format;      // number format, such as "0.00" or "0.00%"; "" : General
    bool bold = false;
    bool wrap = false;
    std::string comment;     // a note on the cell ("" : none)
};

struct xlsx_validation {
    enum class kind { list, whole, decimal } k = kind::list;
    std::uint32_t column = 0;                // 0-based
    std::uint32_t first_row = 1, last_row = 1000;  // 0-based, inclusive
    std::vector<std::string> items;          // list: the allowed words
    std::string min, max;                    // whole / decimal: exact bounds ("" : none)
    std::string prompt_title, prompt;        // shown when the cell is selected
};

struct xlsx_out_sheet {
    std::string name;                             // at most 31 characters, no []:*?/\ (Excel's rules)
    std::vector<std::vector<xlsx_out_cell>> rows;
    std::vector<double> column_widths;            // in characters; 0 : the default
    std::vector<std::string> column_formats;      // number format of whole columns ("" : none)
    std::uint32_t frozen_rows = 0, frozen_columns = 0;
    std::vector<xlsx_validation> validations;
};

// Cell helpers.
[[nodiscard]] xlsx_out_cell text_cell(std::string text, bool bold = false);
// A number cell when `decimal_text` is a plain decimal of at most 15 significant digits,
// else a text cell holding it as it is.
[[nodiscard]] xlsx_out_cell number_cell(std::string decimal_text, std::string format = {});
// True when number_cell(decimal_text) would be a number cell.
[[nodiscard]] bool fits_number_cell(std::string_view decimal_text) noexcept;

// The workbook's bytes; false with `error` set when libxlsxwriter or the temporary directory fails.
[[nodiscard]] bool write_xlsx(const std::vector<xlsx_out_sheet>& sheets, std::string& bytes, localized& error);

}  // namespace rubric
