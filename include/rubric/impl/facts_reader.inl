// Definitions for rubric/facts_reader.hpp.
//
// The JSON reader is a small hand-written tokenizer rather than nlohmann::json: it keeps
// every number's exact text, knows the line and column of every key and value, reports
// duplicate keys by name, and never recurses more than three levels (values nested deeper
// than a list are skipped by an iterative loop bounded by facts_limits::max_depth).
#pragma once

#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <algorithm>

#include "rubric/config.hpp"
#include "rubric/facts_reader.hpp"
#include "rubric/detail/utf8.hpp"  // hidden characters in cells
#include "rubric/impl/csv.inl"

namespace rubric {
namespace detail {

// Collects diagnostics (at most max_errors, then a note and a stop) and hands out entities.
class facts_sink {
public:
    facts_sink(source_ptr src, const facts_limits& limits, const std::function<bool(raw_entity&&)>& on_entity)
        : src_(std::move(src)), limits_(limits), on_entity_(on_entity) {}

    // The texts are catalog messages (messages.hpp).
    void report(severity level, position b, position e, const char* code, localized message,
                localized expected = {}) {
        if (stopped_) return;
        diags_.push_back(make_diagnostic(level, src_, span{b, e}, code, std::move(message), std::move(expected)));
        if (level == severity::error && ++errors_ >= limits_.max_errors) {
            diags_.push_back(make_diagnostic(severity::note, src_, span{}, codes::facts_limit,
                                             localize("facts.too-many-errors", {{"count", std::to_string(errors_)}})));
            stopped_ = true;
        }
    }
    void error(position b, position e, const char* code, localized message, localized expected = {}) {
        report(severity::error, b, e, code, std::move(message), std::move(expected));
    }
    void error(position at, const char* code, localized message, localized expected = {}) {
        report(severity::error, at, at, code, std::move(message), std::move(expected));
    }
    // A fatal problem: reported even past max_errors, and reading stops.
    void fatal(position at, const char* code, localized message, localized expected = {}) {
        if (!stopped_) diags_.push_back(make_diagnostic(severity::error, src_, span{at, at}, code, std::move(message),
                                                        std::move(expected)));
        stopped_ = true;
    }

    // Checks the entity limit before a record numbered `index` (0-based) is read.
    bool admit(std::size_t index, position at) {
        if (index < limits_.max_entities) return true;
        fatal(at, codes::facts_limit, localize("facts.too-many-entities", {{"limit", std::to_string(limits_.max_entities)}}));
        return false;
    }
    void emit(raw_entity&& e) {
        if (stopped_) return;
        if (!on_entity_(std::move(e))) stopped_ = true;
    }

    [[nodiscard]] bool stopped() const noexcept { return stopped_; }
    [[nodiscard]] const source_ptr& source() const noexcept { return src_; }
    diagnostics take() { return std::move(diags_); }

private:
    source_ptr src_;
    const facts_limits& limits_;
    const std::function<bool(raw_entity&&)>& on_entity_;
    diagnostics diags_;
    std::size_t errors_ = 0;
    bool stopped_ = false;
};

inline std::string quote_text(std::string_view s) {
    std::string out = "\"";
    out += s;
    out += '"';
    return out;
}

// ---------------------------------------------------------------------------------------
// CSV facts
// ---------------------------------------------------------------------------------------

// A NUL byte (which would cut the text short wherever it becomes a C string), a bidirectional
// control or a byte-order mark inside a cell: an error at the character, naming what holds it.
// `where` makes the message's subject only when there is one (not per cell: it allocates).
template <class Where>
inline bool hidden_char(facts_sink& sink, const csv_field& c, Where&& where_of) {
    char32_t cp = 0;
    const std::size_t i = find_hidden_char(c.text, cp, true);
    if (i == std::string::npos) return false;
    localized where = where_of();
    // Unquoted, the text is the cell's bytes; quoted, the character is somewhere after the quote.
    const position at = c.quoted ? c.pos : sink.source()->position_at(c.pos.offset + i);
    sink.error(at, codes::facts_value,
               localize(cp == 0 ? "facts.hidden-nul" : "facts.hidden-char", {{"where", std::move(where)}, {"code", code_point_name(cp)}}),
               localize("facts.hidden-char.expected"));
    return true;
}

inline void read_csv_facts(facts_sink& sink, const facts_limits& limits) {
    csv_limits cl;
    cl.max_bytes = limits.max_bytes;
    cl.max_fields_per_row = limits.max_fields < static_cast<std::size_t>(-1) ? limits.max_fields + 1 : limits.max_fields;
    cl.max_field_bytes = limits.max_text_bytes;
    cl.max_rows = static_cast<std::size_t>(-1);
    csv_reader reader(sink.source(), cl);

    auto pass_csv_errors = [&] {
        for (diagnostic& d : reader.take_diags()) sink.fatal(d.where.begin, d.code.c_str(), std::move(d.message_tr),
                                                             std::move(d.expected_tr));
    };

    csv_row header;
    if (!reader.next(header)) {
        if (reader.failed()) pass_csv_errors();
        else sink.fatal(sink.source()->position_at(0), codes::facts_header,
                        localize("facts.csv-empty"),
                        localize("facts.csv-empty.expected"));
        return;
    }
    // A tab- or semicolon-separated file saved as .csv reads as one column whose name holds
    // every column: refuse it at the first separator, rather than take each whole row for an
    // entity id and report every fact of it as missing.
    if (header.fields.size() == 1 && !header.fields[0].quoted) {
        const std::string& h = header.fields[0].text;
        const std::size_t cut = h.find_first_of("\t;");
        if (cut != std::string::npos) {
            sink.fatal(sink.source()->position_at(header.fields[0].pos.offset + cut), codes::facts_header,
                       localize("facts.header-one-column",
                                {{"separators", localize(h[cut] == '\t' ? "facts.tabs" : "facts.semicolons")}}),
                       localize("facts.header-one-column.expected"));
            return;
        }
    }
    bool header_ok = true;
    {
        std::unordered_map<std::string_view, std::size_t> seen;
        for (std::size_t k = 0; k < header.fields.size(); ++k) {
            const csv_field& h = header.fields[k];
            if (h.text.empty()) {
                sink.error(h.pos, codes::facts_header, localize("facts.header-no-name", {{"column", std::to_string(k + 1)}}),
                           localize("facts.header-no-name.expected"));
                header_ok = false;
                continue;
            }
            if (hidden_char(sink, h, [&] { return localize("facts.hidden-in-name", {{"column", std::to_string(k + 1)}}); })) {
                header_ok = false;
                continue;
            }
            const auto [it, fresh] = seen.emplace(h.text, k);
            if (!fresh) {
                sink.error(h.pos, codes::facts_header,
                           localize("facts.header-duplicate", {{"name", quote_text(h.text)},
                                                               {"column", std::to_string(it->second + 1)},
                                                               {"where", where_text(sink.source()->shown(header.fields[it->second].pos))}}));
                header_ok = false;
            }
        }
    }
    if (!header_ok) return;

    const std::size_t columns = header.fields.size();
    csv_row row;
    std::size_t index = 0;
    while (!sink.stopped() && reader.next(row)) {
        const csv_field& idc = row.fields.front();
        if (!sink.admit(index, row.pos)) return;
        const std::size_t this_index = index++;
        if (row.fields.size() != columns) {
            const localized who = idc.text.empty() ? localize("facts.no-entity-id")
                                                   : localize("facts.entity", {{"id", quote_text(idc.text)}});
            const std::size_t n = row.fields.size();
            const position at = n > columns ? row.fields[columns].pos : row.pos;
            sink.error(at, codes::facts_ragged,
                       localize("facts.ragged", {{"row", std::to_string(row.number)},
                                                 {"who", who},
                                                 {"cells", localize(n == 1 ? "facts.cells-one" : "facts.cells",
                                                                    {{"count", std::to_string(n)}})},
                                                 {"columns", localize(columns == 1 ? "facts.columns-one" : "facts.columns",
                                                                      {{"count", std::to_string(columns)}})}}),
                       localize("facts.ragged.expected"));
            continue;
        }
        if (idc.text.empty()) {
            sink.error(idc.pos, codes::facts_id,
                       localize("facts.row-no-id", {{"row", std::to_string(row.number)}, {"column", quote_text(header.fields.front().text)}}));
            continue;
        }
        if (hidden_char(sink, idc, [&] { return localize("facts.hidden-in-id", {{"row", std::to_string(row.number)}}); })) continue;
        raw_entity e;
        e.id = idc.text;
        e.pos = idc.pos;
        e.index = this_index;
        bool hidden = false;
        for (std::size_t k = 1; k < columns; ++k) {
            csv_field& c = row.fields[k];
            // Not provided: an empty cell, or one of only spaces (it looks empty in a spreadsheet).
            if (c.text.find_first_not_of(' ') == std::string::npos) continue;
            if (hidden_char(sink, c, [&] {
                    return localize("facts.hidden-in-value", {{"id", quote_text(idc.text)}, {"field", quote_text(header.fields[k].text)}});
                })) {
                hidden = true;
                continue;
            }
            raw_field f;
            f.name = header.fields[k].text;
            f.pos = header.fields[k].pos;
            f.column = true;
            f.value.k = raw_value::kind::text;
            f.value.text = std::move(c.text);
            f.value.pos = c.pos;
            e.fields.push_back(std::move(f));
        }
        if (!hidden) sink.emit(std::move(e));
    }
    if (reader.failed()) pass_csv_errors();
}

// ---------------------------------------------------------------------------------------
// JSON and JSON lines
// ---------------------------------------------------------------------------------------

class json_facts_parser {
public:
    json_facts_parser(facts_sink& sink, const facts_limits& limits)
        : sink_(sink), limits_(limits), s_(sink.source()->text), end_(s_.size()) {}

    // A whole .json file: one entity object or an array of them.
    void parse_document() {
        if (!prepare()) return;
        skip_ws();
        if (i_ >= end_) {
            sink_.fatal(here(), codes::facts_json, localize("json.empty"),
                        localize("json.empty.expected"));
            return;
        }
        if (peek() == '{') {
            if (!sink_.admit(0, here())) return;
            if (!parse_entity(1, 0)) return;
        } else if (peek() == '[') {
            if (limits_.max_depth < 1) return depth_error(here());
            advance();
            skip_ws();
            std::size_t index = 0;
            if (i_ < end_ && peek() == ']') {
                advance();
            } else {
                for (;;) {
                    if (sink_.stopped()) return;
                    skip_ws();
                    if (i_ >= end_) return (void)eof_error(localize("json.expected-entity"));
                    if (!sink_.admit(index, here())) return;
                    if (peek() == '{') {
                        if (!parse_entity(2, index)) return;
                    } else {
                        const position b = here();
                        if (!skip_value(2)) return;
                        sink_.error(b, here(), codes::facts_value,
                                    localize("json.array-item-not-entity", {{"index", std::to_string(index + 1)}}),
                                    localize("json.array-item-not-entity.expected"));
                    }
                    ++index;
                    skip_ws();
                    if (i_ >= end_) return (void)eof_error(localize("json.expected-comma-bracket"));
                    if (peek() == ',') {
                        advance();
                        skip_ws();
                        if (i_ < end_ && peek() == ']') return (void)syntax(here(), localize("json.trailing-comma"), localize("json.expected-another-entity"));
                        continue;
                    }
                    if (peek() == ']') {
                        advance();
                        break;
                    }
                    return (void)unexpected(localize("json.expected-comma-bracket"));
                }
            }
        } else {
            const position b = here();
            if (!skip_value(1)) return;
            sink_.error(b, here(), codes::facts_value, localize("json.not-entity"),
                        localize("json.empty.expected"));
            return;
        }
        skip_ws();
        if (i_ < end_ && !sink_.stopped())
            syntax(here(), localize("json.trailing-text"),
                   localize("json.trailing-text.expected"));
    }

    // A .jsonl file: one entity object per non-blank line; an error skips its line only.
    void parse_lines() {
        if (!prepare()) return;
        const std::size_t total = s_.size();
        std::size_t index = 0;
        while (i_ < total && !sink_.stopped()) {
            std::size_t nl = s_.find('\n', i_);
            if (nl == std::string_view::npos) nl = total;
            end_ = nl;
            line_failed_ = false;
            skip_ws();
            if (i_ < end_) {
                if (!sink_.admit(index, here())) return;
                if (peek() == '{') {
                    if (parse_entity(1, index)) {
                        skip_ws();
                        if (i_ < end_)
                            syntax(here(), localize("jsonl.trailing-text"),
                                   localize("jsonl.trailing-text.expected"));
                    }
                } else {
                    const position b = here();
                    if (skip_value(1))
                        sink_.error(b, here(), codes::facts_value, localize("jsonl.not-entity"),
                                    localize("jsonl.not-entity.expected"));
                }
                ++index;
            }
            // On to the next line (also after an error in this one).
            end_ = total;
            while (i_ < nl) advance();
            if (i_ < total) advance();  // the '\n'
        }
    }

private:
    // One problem inside an entity object, reported once the entity's id is known.
    struct problem {
        position begin, end;
        const char* code;
        std::string field;  // "" if not about one field
        localized message;
        localized expected;
    };

    facts_sink& sink_;
    const facts_limits& limits_;
    std::string_view s_;
    std::size_t i_ = 0;
    std::size_t end_;
    std::uint32_t line_ = 1;
    std::uint32_t col_ = 1;
    bool line_failed_ = false;  // a syntax error was reported (for the current line in JSON lines)

    // ---- cursor -------------------------------------------------------------------------

    bool prepare() {
        if (s_.size() > limits_.max_bytes) {
            sink_.fatal(position{}, codes::facts_limit,
                        localize("facts.too-large", {{"size", std::to_string(s_.size())}, {"limit", std::to_string(limits_.max_bytes)}}));
            return false;
        }
        std::size_t bad = 0;
        if (!valid_utf8(s_, &bad)) {
            sink_.fatal(sink_.source()->position_at(bad), codes::facts_utf8, localize("source.not-utf8"));
            return false;
        }
        if (sink_.source()->bom_size()) {
            i_ = 3;
            col_ = 1;  // a BOM is not a character (position_at skips it too)
        }
        return true;
    }
    [[nodiscard]] position here() const noexcept { return position{line_, col_, i_}; }
    [[nodiscard]] char peek() const noexcept { return s_[i_]; }
    void advance() noexcept {
        advance_position(s_, i_, line_, col_);
        ++i_;
    }
    void skip_ws() noexcept {
        while (i_ < end_ && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) advance();
    }

    // ---- syntax errors: reported once, and the caller unwinds by returning false ---------

    bool syntax(position at, localized message, localized expected = {}) {
        if (!line_failed_) sink_.error(at, codes::facts_json, std::move(message), std::move(expected));
        line_failed_ = true;
        return false;
    }
    bool eof_error(localized expected) {
        return syntax(here(), end_ < s_.size() ? localize("jsonl.line-ends")
                                              : localize("json.file-ends"),
                      std::move(expected));
    }
    void depth_error(position at) {
        sink_.fatal(at, codes::facts_limit, localize("json.too-deep", {{"limit", std::to_string(limits_.max_depth)}}));
        line_failed_ = true;
    }
    static std::string describe_char(std::string_view s, std::size_t i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) {
            static const char* hex = "0123456789ABCDEF";
            return std::string("U+00") + hex[c >> 4] + hex[c & 15];
        }
        std::size_t n = 1;
        while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
        return "'" + std::string(s.substr(i, n)) + "'";
    }
    bool unexpected(localized expected) {
        if (i_ >= end_) return eof_error(std::move(expected));
        const char c = peek();
        if (c == '/' && i_ + 1 < end_ && (s_[i_ + 1] == '/' || s_[i_ + 1] == '*'))
            return syntax(here(), localize("json.comment"), expected);
        if (c == '\'') return syntax(here(), localize("json.single-quotes"), expected);
        return syntax(here(), localize("json.unexpected-char", {{"char", describe_char(s_, i_)}}), expected);
    }

    // ---- tokens ------------------------------------------------------------------------

    static int hex_value(char c) noexcept {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
    static void append_utf8(std::string& out, char32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    // Reads the 4 hex digits after "\u" (the cursor is on the 'u').
    bool read_hex4(position esc, char32_t& cp) {
        advance();  // 'u'
        cp = 0;
        for (int k = 0; k < 4; ++k) {
            const int h = i_ < end_ ? hex_value(s_[i_]) : -1;
            if (h < 0) return syntax(esc, localize("json.bad-hex"), localize("json.bad-hex.expected"));
            cp = (cp << 4) | static_cast<char32_t>(h);
            advance();
        }
        return true;
    }

    // A string at '"'. Returns false on a syntax error. If the decoded text is longer than
    // max_text_bytes, `too_long` is set and `out` holds only a prefix.
    bool parse_string(std::string& out, bool& too_long) {
        out.clear();
        too_long = false;
        const position open = here();
        advance();
        auto put = [&](std::string_view piece) {
            if (too_long) return;
            if (out.size() + piece.size() > limits_.max_text_bytes) too_long = true;
            else out.append(piece.data(), piece.size());
        };
        for (;;) {
            // A run of ordinary characters.
            std::size_t j = i_;
            while (j < end_ && s_[j] != '"' && s_[j] != '\\' && static_cast<unsigned char>(s_[j]) >= 0x20) ++j;
            put(s_.substr(i_, j - i_));
            while (i_ < j) advance();
            if (i_ >= end_) {
                return syntax(open, end_ < s_.size() ? localize("jsonl.string-unclosed")
                                                     : localize("json.string-unclosed"),
                              localize("json.string-unclosed.expected"));
            }
            const char c = peek();
            if (c == '"') {
                advance();
                return true;
            }
            if (c != '\\') {
                if (c == '\n' || c == '\r')
                    return syntax(here(), localize("json.string-newline"),
                                  localize("json.string-newline.expected"));
                return syntax(here(), localize("json.control-char", {{"char", describe_char(s_, i_)}}),
                              localize("json.control-char.expected"));
            }
            const position esc = here();
            advance();  // '\'
            if (i_ >= end_) return eof_error(localize("json.expected-escape"));
            const char e = peek();
            char32_t cp = 0;
            switch (e) {
                case '"': put("\""); advance(); continue;
                case '\\': put("\\"); advance(); continue;
                case '/': put("/"); advance(); continue;
                case 'b': put("\b"); advance(); continue;
                case 'f': put("\f"); advance(); continue;
                case 'n': put("\n"); advance(); continue;
                case 'r': put("\r"); advance(); continue;
                case 't': put("\t"); advance(); continue;
                case 'u': {
                    if (!read_hex4(esc, cp)) return false;
                    if (cp >= 0xDC00 && cp <= 0xDFFF)
                        return syntax(esc, localize("json.lone-low-surrogate"),
                                      localize("json.lone-low-surrogate.expected"));
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        const position esc2 = here();
                        if (!(i_ + 1 < end_ && s_[i_] == '\\' && s_[i_ + 1] == 'u'))
                            return syntax(esc, localize("json.lone-high-surrogate"),
                                          localize("json.lone-high-surrogate.expected"));
                        advance();  // '\'
                        char32_t lo = 0;
                        if (!read_hex4(esc2, lo)) return false;
                        if (lo < 0xDC00 || lo > 0xDFFF)
                            return syntax(esc, localize("json.lone-high-surrogate"),
                                          localize("json.lone-high-surrogate.expected"));
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    std::string buf;
                    append_utf8(buf, cp);
                    put(buf);
                    continue;
                }
                default:
                    return syntax(esc, localize("json.invalid-escape", {{"char", describe_char(s_, i_)}}),
                                  localize("json.invalid-escape.expected"));
            }
        }
    }

    // A number at '-' or a digit: checks the JSON grammar and copies the exact text.
    bool parse_number(std::string& out, bool& too_long) {
        const position b = here();
        const std::size_t start = i_;
        auto digit = [&](std::size_t k) { return k < end_ && s_[k] >= '0' && s_[k] <= '9'; };
        std::size_t j = i_;
        if (s_[j] == '-') ++j;
        if (!digit(j)) {
            if (j < end_ && (s_[j] == 'I' || s_[j] == 'i' || s_[j] == 'N' || s_[j] == 'n'))
                return syntax(b, localize("json.nan"),
                              localize("json.nan.expected"));
            if (j < end_ && s_[j] == '.')
                return syntax(b, localize("json.number-leading-point"));
            return syntax(b, localize("json.number-minus"));
        }
        if (s_[j] == '0' && digit(j + 1))
            return syntax(b, localize("json.number-leading-zero"));
        while (digit(j)) ++j;
        if (j < end_ && s_[j] == '.') {
            ++j;
            if (!digit(j)) return syntax(b, localize("json.number-trailing-point"));
            while (digit(j)) ++j;
        }
        if (j < end_ && (s_[j] == 'e' || s_[j] == 'E')) {
            ++j;
            if (j < end_ && (s_[j] == '+' || s_[j] == '-')) ++j;
            if (!digit(j)) return syntax(b, localize("json.number-exponent"));
            while (digit(j)) ++j;
        }
        too_long = j - start > limits_.max_number_chars;
        if (too_long) out.clear();
        else out.assign(s_.data() + start, j - start);
        while (i_ < j) advance();  // ASCII only: i_ and col_ move together
        return true;
    }

    [[nodiscard]] bool is_word_char(std::size_t k) const noexcept {
        return k < end_ && ((s_[k] >= 'a' && s_[k] <= 'z') || (s_[k] >= 'A' && s_[k] <= 'Z') ||
                            (s_[k] >= '0' && s_[k] <= '9') || s_[k] == '_');
    }

    // A scalar value (string, number, true/false/null). `too_long` as for parse_string.
    bool parse_scalar(raw_value& v, bool& too_long) {
        too_long = false;
        v.pos = here();
        v.items.clear();
        if (i_ >= end_) return eof_error(localize("json.expected-value"));
        const char c = peek();
        if (c == '"') {
            v.k = raw_value::kind::text;
            return parse_string(v.text, too_long);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            v.k = raw_value::kind::number;
            return parse_number(v.text, too_long);
        }
        if (c == '+') return syntax(here(), localize("json.number-plus"), localize("json.number-plus.expected"));
        if (c == '.') return syntax(here(), localize("json.number-leading-point"));
        if (is_word_char(i_)) {
            std::size_t j = i_;
            while (is_word_char(j)) ++j;
            const std::string_view w = s_.substr(i_, j - i_);
            if (w == "true" || w == "false") {
                v.k = raw_value::kind::boolean;
                v.text.assign(w.data(), w.size());
            } else if (w == "null") {
                v.k = raw_value::kind::null;
                v.text.clear();
            } else if (w == "NaN" || w == "nan" || w == "Infinity" || w == "infinity" || w == "inf" || w == "Inf") {
                return syntax(here(), localize("json.nan"),
                              localize("json.nan.expected"));
            } else {
                return syntax(here(), localize("json.unexpected-word", {{"word", std::string(w.substr(0, 40))}}),
                              localize("json.expected-any-value"));
            }
            while (i_ < j) advance();
            return true;
        }
        return unexpected(localize("json.expected-any-value"));
    }

    // Skips one JSON value of any shape, without recursion. A container here is at `depth`.
    bool skip_value(std::size_t depth) {
        std::vector<char> open;  // '{' or '['
        raw_value scratch;
        bool too_long = false;
        std::string key;
        auto read_key = [&]() -> bool {
            skip_ws();
            if (i_ >= end_ || peek() != '"') return unexpected(localize("json.expected-key"));
            if (!parse_string(key, too_long)) return false;
            skip_ws();
            if (i_ >= end_ || peek() != ':') return unexpected(localize("json.expected-colon"));
            advance();
            return true;
        };
        for (;;) {
            // A value starts here.
            skip_ws();
            if (i_ >= end_) return eof_error(localize("json.expected-value"));
            const char c = peek();
            if (c == '{' || c == '[') {
                if (depth + open.size() > limits_.max_depth) {
                    depth_error(here());
                    return false;
                }
                open.push_back(c);
                advance();
                skip_ws();
                if (i_ < end_ && peek() == (c == '{' ? '}' : ']')) {
                    advance();
                    open.pop_back();
                } else if (c == '{') {
                    if (!read_key()) return false;
                    continue;
                } else {
                    continue;
                }
            } else {
                if (!parse_scalar(scratch, too_long)) return false;
            }
            // After a value: close finished containers.
            for (;;) {
                if (open.empty()) return true;
                skip_ws();
                if (i_ >= end_) return eof_error(open.back() == '{' ? localize("json.expected-comma-brace") : localize("json.expected-comma-bracket"));
                const char closer = open.back() == '{' ? '}' : ']';
                if (peek() == ',') {
                    advance();
                    skip_ws();
                    if (i_ < end_ && peek() == closer)
                        return syntax(here(), localize("json.trailing-comma"));
                    if (open.back() == '{' && !read_key()) return false;
                    break;
                }
                if (peek() == closer) {
                    advance();
                    open.pop_back();
                    continue;
                }
                return unexpected(open.back() == '{' ? localize("json.expected-comma-brace") : localize("json.expected-comma-bracket"));
            }
        }
    }

    // A field's value: a scalar or a flat list. Problems go to `probs`; `absent` is set for null.
    // A NUL (written \u0000), a bidirectional control or a byte-order mark in an id, a key or a
    // text value, as the CSV reader says it of a cell (hidden_char, the same messages): at the
    // character when it is written as itself, else at the string (it was an escape).
    // The string's text is s_[b.offset, end).
    bool hidden_problem(const std::string& text, position b, std::size_t end, const std::string& field, localized where,
                        std::vector<problem>& probs) const {
        char32_t cp = 0;
        if (find_hidden_char(text, cp, true) == std::string::npos) return false;
        position at = b;
        char32_t raw = 0;
        const std::size_t i = find_hidden_char(std::string_view(s_).substr(b.offset, end - b.offset), raw, false);
        if (i != std::string_view::npos && raw == cp) at = sink_.source()->position_at(b.offset + i);
        probs.push_back(problem{at, at, codes::facts_value, field,
                                localize(cp == 0 ? "facts.hidden-nul" : "facts.hidden-char",
                                         {{"where", std::move(where)}, {"code", code_point_name(cp)}}),
                                localize("facts.hidden-char.expected")});
        return true;
    }

    bool parse_field_value(raw_value& v, std::size_t depth, const std::string& field, std::vector<problem>& probs,
                           bool& absent) {
        absent = false;
        if (i_ >= end_) return eof_error(localize("json.expected-value"));
        const position b = here();
        const char c = peek();
        if (c == '{') {
            if (!skip_value(depth)) return false;
            probs.push_back(problem{b, here(), codes::facts_value, field,
                                    localize("json.object-value"),
                                    localize("json.object-value.expected")});
            absent = true;
            return true;
        }
        if (c == '[') {
            if (depth > limits_.max_depth) {
                depth_error(b);
                return false;
            }
            v.k = raw_value::kind::list;
            v.text.clear();
            v.items.clear();
            v.pos = b;
            advance();
            skip_ws();
            if (i_ < end_ && peek() == ']') {
                advance();
                return true;
            }
            for (;;) {
                skip_ws();
                if (i_ >= end_) return eof_error(localize("json.expected-list-item"));
                const position ib = here();
                const char ic = peek();
                if (ic == '[' || ic == '{') {
                    if (!skip_value(depth + 1)) return false;
                    probs.push_back(problem{ib, here(), codes::facts_value, field,
                                            localize(ic == '[' ? "json.list-item-list" : "json.list-item-object",
                                                     {{"index", std::to_string(v.items.size() + 1)}}),
                                            localize("json.list-item.expected")});
                    absent = true;
                    v.items.emplace_back();
                } else {
                    v.items.emplace_back();
                    bool too_long = false;
                    if (!parse_scalar(v.items.back(), too_long)) return false;
                    if (too_long) {
                        probs.push_back(too_long_problem(ib, here(), field, v.items.back().k));
                        absent = true;
                    } else if (v.items.back().k == raw_value::kind::text &&
                               hidden_problem(v.items.back().text, ib, i_, field, localize("json.hidden-in-value"), probs)) {
                        absent = true;
                    }
                }
                skip_ws();
                if (i_ >= end_) return eof_error(localize("json.expected-comma-bracket"));
                if (peek() == ',') {
                    advance();
                    skip_ws();
                    if (i_ < end_ && peek() == ']') return syntax(here(), localize("json.trailing-comma"), localize("json.expected-another-item"));
                    continue;
                }
                if (peek() == ']') {
                    advance();
                    return true;
                }
                return unexpected(localize("json.expected-comma-bracket"));
            }
        }
        bool too_long = false;
        if (!parse_scalar(v, too_long)) return false;
        if (too_long) {
            probs.push_back(too_long_problem(b, here(), field, v.k));
            absent = true;
        } else if (v.k == raw_value::kind::text && hidden_problem(v.text, b, i_, field, localize("json.hidden-in-value"), probs)) {
            absent = true;
        }
        if (v.k == raw_value::kind::null) absent = true;
        return true;
    }

    problem too_long_problem(position b, position e, const std::string& field, raw_value::kind k) const {
        if (k == raw_value::kind::number)
            return problem{b, e, codes::facts_limit, field,
                           localize("json.number-too-long", {{"length", std::to_string(e.offset - b.offset)},
                                                             {"limit", std::to_string(limits_.max_number_chars)}}),
                           {}};
        return problem{b, e, codes::facts_limit, field,
                       localize("json.text-too-long", {{"limit", std::to_string(limits_.max_text_bytes)}}), {}};
    }

    // An entity object at '{', at nesting `depth`. Returns false on a syntax error.
    bool parse_entity(std::size_t depth, std::size_t index) {
        const position obj = here();
        if (depth > limits_.max_depth) {
            depth_error(obj);
            return false;
        }
        advance();  // '{'
        raw_entity e;
        e.index = index;
        std::vector<problem> probs;
        bool have_id = false;
        bool id_ok = false;
        bool too_many_fields = false;
        // Keys seen so far: a linear scan for the usual handful, a hash map for big objects.
        std::vector<std::pair<std::string, position>> keys;
        std::unordered_map<std::string, position> many_keys;
        auto first_use = [&](const std::string& k, position at) -> const position* {
            if (keys.size() < 16) {
                for (const auto& [name, p] : keys)
                    if (name == k) return &p;
                keys.emplace_back(k, at);
                return nullptr;
            }
            if (many_keys.empty())
                for (const auto& [name, p] : keys) many_keys.emplace(name, p);
            const auto [it, fresh] = many_keys.emplace(k, at);
            return fresh ? nullptr : &it->second;
        };
        std::string key;
        bool too_long = false;
        skip_ws();
        if (i_ < end_ && peek() == '}') {
            advance();
        } else {
            for (;;) {
                skip_ws();
                if (i_ >= end_ || peek() != '"') {
                    if (i_ < end_ && is_word_char(i_))
                        return syntax(here(), localize("json.unquoted-key"), localize("json.unquoted-key.expected"));
                    return unexpected(localize("json.expected-key"));
                }
                const position kpos = here();
                if (!parse_string(key, too_long)) return false;
                const position kend = here();
                skip_ws();
                if (i_ >= end_ || peek() != ':') return unexpected(localize("json.expected-colon"));
                advance();
                skip_ws();
                if (too_long) {
                    probs.push_back(problem{kpos, kend, codes::facts_limit, {},
                                            localize("json.key-too-long", {{"limit", std::to_string(limits_.max_text_bytes)}}),
                                            {}});
                    if (!skip_value(depth + 1)) return false;
                } else if (hidden_problem(key, kpos, kend.offset, {}, localize("json.hidden-in-key"), probs)) {
                    if (!skip_value(depth + 1)) return false;
                } else {
                    if (const position* first = first_use(key, kpos)) {
                        probs.push_back(problem{kpos, kend, codes::facts_duplicate_key, {},
                                                localize("json.duplicate-key", {{"key", quote_text(key)}, {"where", where_text(sink_.source()->shown(*first))}}),
                                                localize("json.duplicate-key.expected")});
                        if (!skip_value(depth + 1)) return false;
                    } else if (key == "entity") {
                        have_id = true;
                        if (!parse_id(e, depth + 1, probs)) return false;
                        id_ok = !e.id.empty();
                    } else if (key.empty()) {
                        probs.push_back(problem{kpos, kend, codes::facts_value, {}, localize("json.empty-key"),
                                                localize("json.empty-key.expected")});
                        if (!skip_value(depth + 1)) return false;
                    } else if (e.fields.size() >= limits_.max_fields) {
                        if (!too_many_fields)
                            probs.push_back(problem{kpos, kend, codes::facts_limit, {},
                                                    localize("json.too-many-fields", {{"limit", std::to_string(limits_.max_fields)}}),
                                                    {}});
                        too_many_fields = true;
                        if (!skip_value(depth + 1)) return false;
                    } else {
                        raw_field f;
                        f.name = key;
                        f.pos = kpos;
                        bool absent = false;
                        if (!parse_field_value(f.value, depth + 1, key, probs, absent)) return false;
                        if (!absent) e.fields.push_back(std::move(f));
                    }
                }
                skip_ws();
                if (i_ >= end_) return eof_error(localize("json.expected-comma-brace"));
                if (peek() == ',') {
                    advance();
                    skip_ws();
                    if (i_ < end_ && peek() == '}')
                        return syntax(here(), localize("json.trailing-comma"), localize("json.expected-another-key"));
                    continue;
                }
                if (peek() == '}') {
                    advance();
                    break;
                }
                return unexpected(localize("json.expected-comma-brace"));
            }
        }
        if (!have_id)
            probs.insert(probs.begin(), problem{obj, obj, codes::facts_id, {},
                                                localize("json.no-id"),
                                                localize("json.no-id.expected")});
        if (probs.empty()) {
            sink_.emit(std::move(e));
            return true;
        }
        const localized who = id_ok ? localize("facts.entity", {{"id", quote_text(e.id)}})
                                    : localize("json.entity-at", {{"where", where_text(sink_.source()->shown(obj))}});
        for (problem& p : probs) {
            localized msg = p.field.empty()
                                ? localize("json.entity-problem", {{"who", who}, {"problem", std::move(p.message)}})
                                : localize("json.field-problem",
                                           {{"who", who}, {"field", quote_text(p.field)}, {"problem", std::move(p.message)}});
            sink_.error(p.begin, p.end, p.code, std::move(msg), std::move(p.expected));
        }
        return true;
    }

    // The value of "entity": a non-empty string or an integer.
    bool parse_id(raw_entity& e, std::size_t depth, std::vector<problem>& probs) {
        const position b = here();
        if (i_ < end_ && (peek() == '{' || peek() == '[')) {
            const bool obj = peek() == '{';
            if (!skip_value(depth)) return false;
            probs.push_back(problem{b, here(), codes::facts_id, {},
                                    localize(obj ? "json.id-is-object" : "json.id-is-list"),
                                    localize("json.id-is-object.expected")});
            return true;
        }
        raw_value v;
        bool too_long = false;
        if (!parse_scalar(v, too_long)) return false;
        const position end = here();
        if (too_long) {
            probs.push_back(problem{b, end, codes::facts_limit, {}, localize("json.id-too-long"), {}});
        } else if (v.k == raw_value::kind::text) {
            if (v.text.empty())
                probs.push_back(problem{b, end, codes::facts_id, {}, localize("json.id-empty"),
                                        localize("json.id-empty.expected")});
            if (hidden_problem(v.text, b, end.offset, {}, localize("json.hidden-in-id"), probs)) return true;  // no id: named by place
            e.id = std::move(v.text);
            e.pos = b;
        } else if (v.k == raw_value::kind::number &&
                   v.text.find_first_of(".eE") == std::string::npos) {
            e.id = std::move(v.text);
            e.pos = b;
        } else {
            const localized what = v.k == raw_value::kind::number    ? localize("json.the-number", {{"number", v.text}})
                                   : v.k == raw_value::kind::boolean ? literal(v.text)
                                                                     : literal("null");
            probs.push_back(problem{b, end, codes::facts_id, {},
                                    localize("json.id-bad-type", {{"what", what}}),
                                    localize("json.id-bad-type.expected")});
        }
        return true;
    }
};

}  // namespace detail

RUBRIC_FUNC facts_format guess_facts_format(std::string_view file_name) {
    auto ends_with = [&](std::string_view ext) {
        if (file_name.size() < ext.size()) return false;
        const std::string_view tail = file_name.substr(file_name.size() - ext.size());
        for (std::size_t k = 0; k < ext.size(); ++k) {
            char c = tail[k];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (c != ext[k]) return false;
        }
        return true;
    };
    if (ends_with(".csv")) return facts_format::csv;
    if (ends_with(".jsonl") || ends_with(".ndjson")) return facts_format::jsonl;
    return facts_format::json;
}

RUBRIC_FUNC diagnostics read_facts_stream(const source_ptr& src, facts_format fmt,
                                          const std::function<bool(raw_entity&&)>& on_entity,
                                          const facts_limits& limits) {
    if (!src) return {};
    detail::facts_sink sink(src, limits, on_entity);
    // std::bad_alloc is not caught here: memory is bounded by the limits, and running out
    // anyway is the caller's to report (RUBRIC_ERROR_NOMEM; the CLI's exit 3), not a facts
    // error (a cohort's second reading would take it for facts that changed).
    switch (fmt) {
        case facts_format::csv: detail::read_csv_facts(sink, limits); break;
        case facts_format::json: detail::json_facts_parser(sink, limits).parse_document(); break;
        case facts_format::jsonl: detail::json_facts_parser(sink, limits).parse_lines(); break;
    }
    return sink.take();
}

RUBRIC_FUNC facts_read_result read_facts(const source_ptr& src, facts_format fmt, const facts_limits& limits) {
    facts_read_result out;
    out.diags = read_facts_stream(
        src, fmt,
        [&](raw_entity&& e) {
            out.entities.push_back(std::move(e));
            return true;
        },
        limits);
    return out;
}

RUBRIC_FUNC std::uint32_t entity_ids::add(std::string_view id, std::uint32_t shown_line) {
    if (shown_line == 0) shown_line = 1;  // 0 means "new" to the caller
    if (id.empty()) {
        if (empty_id_line_) return empty_id_line_;
        empty_id_line_ = shown_line;
        return 0;
    }
    if (id.size() > UINT32_MAX) id = id.substr(0, UINT32_MAX);  // never: cells are bounded far below
    if ((count_ + 1) * 10 > table_.size() * 7) {
        // Grow to twice the size (at least 1,024 slots), keeping the table at most 70% full.
        std::vector<slot> bigger(std::max<std::size_t>(1024, table_.size() * 2));
        const std::size_t mask = bigger.size() - 1;
        for (const slot& s : table_) {
            if (!s.size) continue;
            std::size_t i = std::hash<std::string_view>{}(std::string_view(ids_).substr(s.at, s.size)) & mask;
            while (bigger[i].size) i = (i + 1) & mask;
            bigger[i] = s;
        }
        table_.swap(bigger);
    }
    const std::size_t mask = table_.size() - 1;
    std::size_t i = std::hash<std::string_view>{}(id) & mask;
    for (; table_[i].size; i = (i + 1) & mask) {
        const slot& s = table_[i];
        if (s.size == id.size() && std::string_view(ids_).substr(s.at, s.size) == id) return s.line;
    }
    table_[i] = slot{ids_.size(), static_cast<std::uint32_t>(id.size()), shown_line};
    ids_.append(id);
    ++count_;
    return 0;
}

RUBRIC_FUNC bool entity_ids::add(const raw_entity& raw, const source_ptr& src, diagnostics& ds) {
    // The line as shown: a block of a big file counts its lines from the file's start.
    const std::uint32_t first = add(raw.id, src->shown_line(raw.pos.line));
    if (first == 0) return true;
    ds.push_back(make_diagnostic(severity::error, src, span{raw.pos, raw.pos}, codes::facts_duplicate_entity,
                                 localize("facts.duplicate-entity", {{"id", raw.id}, {"line", std::to_string(first)}})));
    return false;
}

RUBRIC_FUNC std::string take_field(raw_entity& raw, std::string_view name) {
    if (name.empty()) return {};
    for (auto it = raw.fields.begin(); it != raw.fields.end(); ++it)
        if (it->name == name) {
            std::string text = std::move(it->value.text);
            raw.fields.erase(it);
            return text;
        }
    return {};
}

}  // namespace rubric
