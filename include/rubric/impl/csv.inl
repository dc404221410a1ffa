// Definitions for rubric/csv.hpp.
#pragma once

#include <string>
#include <utility>

#include "rubric/config.hpp"
#include "rubric/csv.hpp"

namespace rubric {
namespace detail {

// "line 3, column 7": for messages that point at a second place.
inline localized where_text(const position& p) {
    return localize("facts.where", {{"line", std::to_string(p.line)}, {"column", std::to_string(p.column)}});
}

// Moves `line`/`col` past the byte s[i] exactly as source_file::position_at counts:
// LF, CRLF and a lone CR each end a line; UTF-8 continuation bytes take no column.
inline void advance_position(std::string_view s, std::size_t i, std::uint32_t& line, std::uint32_t& col) noexcept {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || (c == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) {
        ++line;
        col = 1;
    } else if ((c & 0xC0) != 0x80) {
        ++col;
    }
}

}  // namespace detail

RUBRIC_FUNC csv_reader::csv_reader(source_ptr src, const csv_limits& limits) : src_(std::move(src)), limits_(limits) {}

RUBRIC_FUNC void csv_reader::fail(position at, const char* code, localized message, localized expected) {
    diags_.push_back(make_diagnostic(severity::error, src_, span{at, at}, code, std::move(message), std::move(expected)));
    failed_ = true;
    done_ = true;
}

RUBRIC_FUNC void csv_reader::advance() noexcept {
    detail::advance_position(src_->text, i_, line_, col_);
    ++i_;
}

RUBRIC_FUNC bool csv_reader::next(csv_row& row) {
    row.fields.clear();
    row.number = 0;
    row.pos = position{};
    if (done_) return false;
    const std::string_view s = src_->text;
    if (!started_) {
        started_ = true;
        if (s.size() > limits_.max_bytes) {
            fail(position{}, codes::facts_limit,
                 localize("facts.too-large", {{"size", std::to_string(s.size())}, {"limit", std::to_string(limits_.max_bytes)}}));
            return false;
        }
        std::size_t bad = 0;
        if (!valid_utf8(s, &bad)) {
            fail(src_->position_at(bad), codes::facts_utf8, localize("source.not-utf8"));
            return false;
        }
        if (src_->bom_size()) {
            i_ = 3;
            col_ = 1;  // a BOM is not a character (position_at skips it too)
        }
    }
    // Skip blank lines.
    while (i_ < s.size() && (s[i_] == '\n' || s[i_] == '\r')) advance();
    if (i_ >= s.size()) {
        done_ = true;
        return false;
    }
    if (rows_ >= limits_.max_rows) {
        fail(here(), codes::facts_limit, localize("csv.too-many-rows", {{"limit", std::to_string(limits_.max_rows)}}));
        return false;
    }
    row.number = ++rows_;
    if (rows_ > 1) row.number = static_cast<std::size_t>(static_cast<std::int64_t>(rows_) + src_->record_shift);
    row.pos = here();
    for (;;) {
        // One field starts here.
        if (row.fields.size() >= limits_.max_fields_per_row) {
            fail(here(), codes::facts_limit,
                 localize("csv.too-many-cells",
                          {{"row", std::to_string(row.number)}, {"limit", std::to_string(limits_.max_fields_per_row)}}));
            return false;
        }
        row.fields.emplace_back();
        csv_field& f = row.fields.back();
        f.pos = here();
        if (i_ < s.size() && s[i_] == '"') {
            f.quoted = true;
            const position open = here();
            advance();
            for (;;) {
                // Copy the run up to the next quote in one go.
                const std::size_t j = s.find('"', i_);
                if (j == std::string_view::npos) {
                    fail(open, codes::facts_csv, localize("csv.unclosed-quote"), localize("csv.unclosed-quote.expected"));
                    return false;
                }
                if (f.text.size() + (j - i_) > limits_.max_field_bytes) {
                    fail(f.pos, codes::facts_limit,
                         localize("csv.field-too-long", {{"limit", std::to_string(limits_.max_field_bytes)}}));
                    return false;
                }
                f.text.append(s.data() + i_, j - i_);
                while (i_ < j) advance();
                advance();  // the quote
                if (i_ < s.size() && s[i_] == '"') {  // "" is one quote
                    if (f.text.size() + 1 > limits_.max_field_bytes) {
                        fail(f.pos, codes::facts_limit,
                             localize("csv.field-too-long", {{"limit", std::to_string(limits_.max_field_bytes)}}));
                        return false;
                    }
                    f.text += '"';
                    advance();
                    continue;
                }
                break;  // closing quote
            }
            if (i_ < s.size() && s[i_] != ',' && s[i_] != '\n' && s[i_] != '\r') {
                fail(here(), codes::facts_csv, localize("csv.text-after-quote"), localize("csv.text-after-quote.expected"));
                return false;
            }
        } else {
            std::size_t j = i_;
            while (j < s.size() && s[j] != ',' && s[j] != '\n' && s[j] != '\r' && (s[j] != '"' || limits_.bare_quotes)) ++j;
            if (j - i_ > limits_.max_field_bytes) {
                fail(f.pos, codes::facts_limit,
                     localize("csv.field-too-long", {{"limit", std::to_string(limits_.max_field_bytes)}}));
                return false;
            }
            f.text.assign(s.data() + i_, j - i_);
            while (i_ < j) advance();
            if (i_ < s.size() && s[i_] == '"') {
                fail(here(), codes::facts_csv, localize("csv.bare-quote"), localize("csv.bare-quote.expected"));
                return false;
            }
        }
        // Here: end of text, ',' or a line end.
        if (i_ >= s.size()) {
            done_ = true;
            return true;
        }
        if (s[i_] == ',') {
            advance();
            continue;
        }
        // A line end: LF, CRLF or a lone CR.
        const bool cr = s[i_] == '\r';
        advance();
        if (cr && i_ < s.size() && s[i_] == '\n') advance();
        if (i_ >= s.size()) done_ = true;
        return true;
    }
}

RUBRIC_FUNC csv_result parse_csv(const source_ptr& src, const csv_limits& limits) {
    csv_result out;
    csv_reader r(src, limits);
    csv_row row;
    while (r.next(row)) out.rows.push_back(std::move(row));
    out.diags = r.take_diags();
    return out;
}

}  // namespace rubric
