// rubric: reading one sheet of an Excel / WPS workbook (.xlsx) as rows of cell text, as the
// office sees the cells.
//
// The workbook is opened with libzip and its XML parts are read with expat, a block at a
// time (Debian's libzip and libexpat: no zip or XML parser of our own). What is read:
//   * the first sheet in the workbook's order, or the sheet named;
//   * shared strings (rich text runs joined, phonetic guides left out) and inline strings;
//     the text of a text cell is kept exactly as it is;
//   * numbers as Excel and WPS show them: a cell holds a binary double written out in text
//     (0.7999 is saved as 0.7999000000000001), so it is rounded half-up to 15 significant
//     digits and then read exactly ("0.7999"); see excel_shown_number;
//   * booleans as "true" / "false"; a cell formatted as a date as "2026-03-31" (with
//     " 08:30:00" when it has a time of day); an error cell as its text ("#DIV/0!"); a
//     formula's saved value (a formula without one is an error: the workbook was never
//     calculated, as files written by some programs are);
//   * empty cells are not returned, so empty rows and columns left by Excel cost nothing.
// Bad input is an error message, never a crash: a file that is not a zip (or a damaged one,
// CRC errors included), a password-protected workbook (an OLE file, not a zip) or an old
// .xls, a part missing, XML errors (a DOCTYPE is refused: no entities to expand). Bounds: each
// part is read only up to xlsx_limits::max_part_bytes once inflated, counted as it inflates
// (a zip bomb is stopped, whatever sizes its directory claims), and the cell text returned
// is bounded as a whole (a short reference to a long shared string counts at full length).
//
// Part of the office layer (rubric_office, src/office/): not in the core library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/messages.hpp"

namespace rubric {

struct xlsx_limits {
    std::size_t max_part_bytes = 64u << 20;  // one XML part of the workbook, inflated
    std::size_t max_text_bytes = 64u << 20;  // all cell text returned for the sheet
    std::size_t max_columns = 10001;         // the highest column a non-empty cell may be in
};

struct xlsx_cell {
    std::uint32_t column = 0;  // 1-based: A = 1
    std::string text;          // never empty
};

struct xlsx_row {
    std::uint32_t number = 0;        // 1-based, as Excel numbers rows
    std::vector<xlsx_cell> cells;    // non-empty cells, in column order; never empty
};

struct xlsx_sheet {
    bool ok = false;
    localized error;                      // when !ok
    std::string name;                     // the sheet read
    std::vector<std::string> sheet_names; // every sheet of the workbook, in order
    std::vector<xlsx_row> rows;           // rows with at least one non-empty cell, in order
};

// Reads `sheet` (empty: the first sheet) of the workbook at `path`.
[[nodiscard]] xlsx_sheet read_xlsx_sheet(const std::string& path, const std::string& sheet, const xlsx_limits& limits = {});
// The same, a row at a time: `on_row` gets each row with a non-empty cell as it is read
// (xlsx_sheet::rows stays empty), and may refuse one by returning a problem, which ends the
// reading with the error "PATH, sheet “NAME”: problem".
[[nodiscard]] xlsx_sheet read_xlsx_sheet(const std::string& path, const std::string& sheet, const xlsx_limits& limits,
                                         const std::function<localized(xlsx_row&&)>& on_row);

// A number cell's stored text as Excel shows it: rounded half-up to 15 significant digits,
// trailing zeros dropped, written without an exponent ("0.7999000000000001" -> "0.7999",
// "1.5E-3" -> "0.0015", "-0" -> "0"). Text that is not a number, or whose exponent is beyond
// +-60, is returned as it is (the facts binder then says what is wrong with it).
[[nodiscard]] std::string excel_shown_number(std::string_view stored);

// "A" -> 1, "AB" -> 28; 0 for anything else (digits after the letters are ignored: "C5" -> 3).
[[nodiscard]] std::uint32_t excel_column_number(std::string_view ref) noexcept;
// 1 -> "A", 28 -> "AB".
[[nodiscard]] std::string excel_column_name(std::uint32_t column);

}  // namespace rubric
