// rubric: facts files as offices hold them — Excel / WPS workbooks, and CSV saved on Chinese
// Windows (GB18030) or as "Unicode text" (UTF-16) — as season-run sources (run.hpp).
//
// The hook into the season run is a decode step before the usual readers: such a file is
// turned into UTF-8 CSV text once, and that text is read by the same CSV reader, binding and
// checks as any CSV (facts_text), so a workbook, a GBK file and a UTF-8 file of the same
// facts give byte-identical results. Files that need nothing (UTF-8 CSV, JSON, JSON lines)
// go to facts_file() untouched, and are streamed as before.
//
//   * .xlsx / .xlsm: the first sheet or `sheet` (xlsx_reader.hpp). Its first non-empty row is
//     the header; each later row becomes the CSV line of the same number, so a facts error
//     says "facts.xlsx:5:…" for the unit on row 5 of the sheet. A column with data but no
//     header is an error naming both cells. Each XML part may inflate to 8 × max_bytes (it is
//     parsed as it inflates, not kept); the cell text kept is bounded by max_bytes.
//   * Other files: `encoding` when given (text_encoding.hpp names), else, for a CSV file that
//     is a regular file, detected from its first 64 KiB (a UTF-16 byte-order mark, or bytes
//     that are not UTF-8: GB18030; JSON is UTF-8 by its standard). A converted file is read
//     whole, within facts_limits::max_bytes.
//   * A file that is not text in its encoding: "f.csv cannot be read as GB18030: line 3 …",
//     naming the encoding tried and the first bad line.
//
// Part of the office layer (rubric_office, src/office/): not in the core library.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "rubric/facts_reader.hpp"
#include "rubric/messages.hpp"
#include "rubric/run.hpp"
#include "rubric/xlsx_reader.hpp"

namespace rubric {

struct office_facts_options {
    std::string encoding;  // "" : detect; else a name encoding_from_name() knows
    std::string sheet;     // "" : the first sheet of a workbook
};

// True for a name ending in .xlsx or .xlsm (any case).
[[nodiscard]] bool is_workbook_path(const std::string& path);

// The sheet's rows as UTF-8 CSV text, row N of the sheet on line N. False with `error` set
// when a column holds data but has no header.
[[nodiscard]] bool sheet_as_csv(const xlsx_sheet& sheet, std::string& csv, localized& error);

struct converted_facts {
    bool converted = false;  // false: the file is read as it is (nothing else is set)
    bool ok = false;         // converted: the text is ready; otherwise `error` says why not
    std::string text;        // UTF-8
    facts_format format = facts_format::csv;
    localized error;
};

// The file as UTF-8 text when it needs converting (see above).
[[nodiscard]] converted_facts convert_office_facts(const std::string& path, const facts_limits& limits,
                                                   const office_facts_options& options);

// facts_file() (run.hpp), reading workbooks and other encodings as well. A conversion error
// is the source's first diagnostic ("E-facts-file", naming the file), and it reads nothing.
[[nodiscard]] std::unique_ptr<facts_source> office_facts_file(std::string path, const facts_limits& limits,
                                                              std::size_t max_stream_bytes, const office_facts_options& options);

}  // namespace rubric
