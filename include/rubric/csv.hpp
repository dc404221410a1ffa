// rubric: an RFC 4180 CSV reader that keeps every field as text, with its position.
//
// Syntax only: fields are never converted to numbers (a fact such as "0.85" stays the
// text "0.85"), and rows may have different lengths (the facts layer reports ragged rows).
//
// Accepted input (RFC 4180 plus the usual relaxations):
//   * fields separated by ',', records by CRLF, LF or a lone CR (mixed is fine);
//   * a field may be quoted: "a, b", "say ""hi""", and a quoted field may span lines
//     (its line ends are kept exactly as written, CRLF stays CRLF);
//   * a UTF-8 byte order mark at the start of the text is skipped;
//   * the last record may or may not end with a line end;
//   * blank lines (no characters at all between two line ends) are skipped, so a file
//     ending in "\n\n" has no extra row. A line holding only "" is one empty field.
// Errors (code "E-facts-csv" unless noted; reading stops at the first one):
//   * the text is not valid UTF-8                        -> "E-facts-utf8", at the bad byte;
//   * a quoted field is never closed                     -> at the opening quote;
//   * a quote inside an unquoted field (ab"c)            -> at that quote, but only when
//     csv_limits::bare_quotes is false. By default such a quote is kept as text, as Excel,
//     Python's csv module and the csv-spectrum acid test (37°36'37.8"N) expect; a field that
//     STARTS with a quote is always a quoted field;
//   * anything but ',' or a line end after a closing quote ("ab"c) -> at that character;
//   * a limit of csv_limits is exceeded                  -> "E-facts-limit".
//
// Positions: line and column are 1-based, the column counts code points, and every
// position equals src->position_at(pos.offset) (so a BOM, when present, is column 1 of
// line 1 and the first field starts at column 2, offset 3: render() then puts the caret
// on the right character of source_file::line_text()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "rubric/diagnostic.hpp"
#include "rubric/source.hpp"

namespace rubric {

struct csv_field {
    std::string text;     // the field's text, quotes removed and "" unescaped
    position pos;         // its first character (the opening quote of a quoted field)
    bool quoted = false;  // written in quotes ("" is quoted and empty; nothing is unquoted and empty)
};

struct csv_row {
    std::vector<csv_field> fields;  // never empty
    std::size_t number = 0;         // 1-based record number (a spreadsheet's row number)
    position pos;                   // start of the record (= fields.front().pos)
};

struct csv_limits {
    std::size_t max_bytes = 64u << 20;          // whole text, BOM included
    std::size_t max_fields_per_row = 10000;
    std::size_t max_field_bytes = 1u << 20;     // one field's text after unquoting, in bytes
    std::size_t max_rows = 50'000'000;
    // Not a limit but the one syntax choice: keep a quote inside an unquoted field as text
    // (true), or report it as an error (false, strict RFC 4180).
    bool bare_quotes = true;
};

// Diagnostic codes used by the CSV and facts readers.
namespace codes {
inline constexpr const char* facts_utf8 = "E-facts-utf8";
inline constexpr const char* facts_limit = "E-facts-limit";
inline constexpr const char* facts_csv = "E-facts-csv";
}  // namespace codes

// Pull reader: one record at a time, for files with millions of rows.
//   csv_reader r(src); csv_row row; while (r.next(row)) { ... } if (r.failed()) ... r.diags() ...
// The source must stay alive while the reader is used (it is held by pointer).
class csv_reader {
public:
    explicit csv_reader(source_ptr src, const csv_limits& limits = {});

    // Reads the next record into `row` (its previous contents are replaced). Returns false at
    // the end of the text or on an error (then failed() is true and diags() says why).
    bool next(csv_row& row);

    [[nodiscard]] bool failed() const noexcept { return failed_; }
    [[nodiscard]] const diagnostics& diags() const noexcept { return diags_; }
    [[nodiscard]] diagnostics take_diags() noexcept { return std::move(diags_); }

private:
    void fail(position at, const char* code, localized message, localized expected = {});
    void advance() noexcept;
    [[nodiscard]] position here() const noexcept { return position{line_, col_, i_}; }

    source_ptr src_;
    csv_limits limits_;
    diagnostics diags_;
    std::size_t i_ = 0;
    std::uint32_t line_ = 1;
    std::uint32_t col_ = 1;
    std::size_t rows_ = 0;
    bool started_ = false;
    bool done_ = false;
    bool failed_ = false;
};

struct csv_result {
    std::vector<csv_row> rows;
    diagnostics diags;  // empty, or one error (rows then holds the records read before it)
};

// Reads the whole text. Never throws on bad input (std::bad_alloc aside).
[[nodiscard]] csv_result parse_csv(const source_ptr& src, const csv_limits& limits = {});

}  // namespace rubric
