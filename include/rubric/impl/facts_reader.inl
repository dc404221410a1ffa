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

#include "rubric/config.hpp"
#include "rubric/facts_reader.hpp"
#include "rubric/impl/csv.inl"

namespace rubric {
namespace detail {

// Collects diagnostics (at most max_errors, then a note and a stop) and hands out entities.
class facts_sink {
public:
    facts_sink(source_ptr src, const facts_limits& limits, const std::function<bool(raw_entity&&)>& on_entity)
        : src_(std::move(src)), limits_(limits), on_entity_(on_entity) {}

    void report(severity level, position b, position e, const char* code, std::string message,
                std::string expected = {}) {
        if (stopped_) return;
        diags_.push_back(diagnostic{level, src_, span{b, e}, code, std::move(message), std::move(expected)});
        if (level == severity::error && ++errors_ >= limits_.max_errors) {
            diags_.push_back(diagnostic{severity::note, src_, span{}, codes::facts_limit,
                                        "too many errors (" + std::to_string(errors_) +
                                            "); the rest of the file was not read",
                                        {}});
            stopped_ = true;
        }
    }
    void error(position b, position e, const char* code, std::string message, std::string expected = {}) {
        report(severity::error, b, e, code, std::move(message), std::move(expected));
    }
    void error(position at, const char* code, std::string message, std::string expected = {}) {
        report(severity::error, at, at, code, std::move(message), std::move(expected));
    }
    // A fatal problem: reported even past max_errors, and reading stops.
    void fatal(position at, const char* code, std::string message, std::string expected = {}) {
        if (!stopped_) diags_.push_back(diagnostic{severity::error, src_, span{at, at}, code, std::move(message),
                                                   std::move(expected)});
        stopped_ = true;
    }

    // Checks the entity limit before a record numbered `index` (0-based) is read.
    bool admit(std::size_t index, position at) {
        if (index < limits_.max_entities) return true;
        fatal(at, codes::facts_limit,
              "too many entities (the limit is " + std::to_string(limits_.max_entities) + ")");
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

inline void read_csv_facts(facts_sink& sink, const facts_limits& limits) {
    csv_limits cl;
    cl.max_bytes = limits.max_bytes;
    cl.max_fields_per_row = limits.max_fields < static_cast<std::size_t>(-1) ? limits.max_fields + 1 : limits.max_fields;
    cl.max_field_bytes = limits.max_text_bytes;
    cl.max_rows = static_cast<std::size_t>(-1);
    csv_reader reader(sink.source(), cl);

    auto pass_csv_errors = [&] {
        for (diagnostic& d : reader.take_diags()) sink.fatal(d.where.begin, d.code.c_str(), std::move(d.message),
                                                             std::move(d.expected));
    };

    csv_row header;
    if (!reader.next(header)) {
        if (reader.failed()) pass_csv_errors();
        else sink.fatal(sink.source()->position_at(0), codes::facts_header,
                        "the file is empty: its first row must name the columns",
                        "a header row such as: 单位,得分");
        return;
    }
    bool header_ok = true;
    {
        std::unordered_map<std::string_view, std::size_t> seen;
        for (std::size_t k = 0; k < header.fields.size(); ++k) {
            const csv_field& h = header.fields[k];
            if (h.text.empty()) {
                sink.error(h.pos, codes::facts_header,
                           "column " + std::to_string(k + 1) + " of the header has no name",
                           "a field name in every header cell (the first column holds the entity ids)");
                header_ok = false;
                continue;
            }
            const auto [it, fresh] = seen.emplace(h.text, k);
            if (!fresh) {
                sink.error(h.pos, codes::facts_header,
                           "duplicate column name " + quote_text(h.text) + " (also column " +
                               std::to_string(it->second + 1) + ", at " +
                               where_text(header.fields[it->second].pos) + ")");
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
            const std::string who = idc.text.empty() ? std::string("no entity id") : "entity " + quote_text(idc.text);
            const std::size_t n = row.fields.size();
            const position at = n > columns ? row.fields[columns].pos : row.pos;
            sink.error(at, codes::facts_ragged,
                       "row " + std::to_string(row.number) + " (" + who + ") has " + std::to_string(n) +
                           (n == 1 ? " cell" : " cells") + ", but the header has " + std::to_string(columns) +
                           (columns == 1 ? " column" : " columns"),
                       "one cell per header column (leave a cell empty when the fact is not provided)");
            continue;
        }
        if (idc.text.empty()) {
            sink.error(idc.pos, codes::facts_id,
                       "row " + std::to_string(row.number) + " has no entity id (its cell in column " +
                           quote_text(header.fields.front().text) + " is empty)");
            continue;
        }
        raw_entity e;
        e.id = idc.text;
        e.pos = idc.pos;
        e.index = this_index;
        for (std::size_t k = 1; k < columns; ++k) {
            csv_field& c = row.fields[k];
            if (c.text.empty()) continue;  // not provided
            raw_field f;
            f.name = header.fields[k].text;
            f.pos = header.fields[k].pos;
            f.value.k = raw_value::kind::text;
            f.value.text = std::move(c.text);
            f.value.pos = c.pos;
            e.fields.push_back(std::move(f));
        }
        sink.emit(std::move(e));
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
            sink_.fatal(here(), codes::facts_json, "the file is empty",
                        "an entity object {\"entity\": ...} or an array [ {...}, {...} ] of them");
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
                    if (i_ >= end_) return (void)eof_error("an entity object");
                    if (!sink_.admit(index, here())) return;
                    if (peek() == '{') {
                        if (!parse_entity(2, index)) return;
                    } else {
                        const position b = here();
                        if (!skip_value(2)) return;
                        sink_.error(b, here(), codes::facts_value,
                                    "item " + std::to_string(index + 1) +
                                        " of the top-level array is not an entity object",
                                    "an object such as {\"entity\": \"A\", ...}");
                    }
                    ++index;
                    skip_ws();
                    if (i_ >= end_) return (void)eof_error("',' or ']'");
                    if (peek() == ',') {
                        advance();
                        skip_ws();
                        if (i_ < end_ && peek() == ']') return (void)syntax(here(), "a trailing comma is not allowed in JSON", "another entity object");
                        continue;
                    }
                    if (peek() == ']') {
                        advance();
                        break;
                    }
                    return (void)unexpected("',' or ']'");
                }
            }
        } else {
            const position b = here();
            if (!skip_value(1)) return;
            sink_.error(b, here(), codes::facts_value, "the file holds neither an entity object nor an array of them",
                        "an entity object {\"entity\": ...} or an array [ {...}, {...} ] of them");
            return;
        }
        skip_ws();
        if (i_ < end_ && !sink_.stopped())
            syntax(here(), "unexpected text after the end of the JSON value",
                   "nothing (put several entities in one array [ {...}, {...} ], or use JSON lines)");
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
                            syntax(here(), "unexpected text after the entity object on this line",
                                   "one entity object per line");
                    }
                } else {
                    const position b = here();
                    if (skip_value(1))
                        sink_.error(b, here(), codes::facts_value, "this line does not hold an entity object",
                                    "one object such as {\"entity\": \"A\", ...} per line");
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
        std::string message;
        std::string expected;
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
                        "the file is too large (" + std::to_string(s_.size()) + " bytes; the limit is " +
                            std::to_string(limits_.max_bytes) + ")");
            return false;
        }
        std::size_t bad = 0;
        if (!valid_utf8(s_, &bad)) {
            sink_.fatal(sink_.source()->position_at(bad), codes::facts_utf8,
                        "the file is not valid UTF-8 text (save it as UTF-8)");
            return false;
        }
        if (has_bom(s_)) {
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

    bool syntax(position at, std::string message, std::string expected = {}) {
        if (!line_failed_) sink_.error(at, codes::facts_json, std::move(message), std::move(expected));
        line_failed_ = true;
        return false;
    }
    bool eof_error(const char* expected) {
        return syntax(here(), end_ < s_.size() ? "the line ends in the middle of a JSON value"
                                              : "the file ends in the middle of a JSON value",
                      expected);
    }
    void depth_error(position at) {
        sink_.fatal(at, codes::facts_limit,
                    "the JSON is nested too deeply (the limit is " + std::to_string(limits_.max_depth) + " levels)");
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
    bool unexpected(const char* expected) {
        if (i_ >= end_) return eof_error(expected);
        const char c = peek();
        if (c == '/' && i_ + 1 < end_ && (s_[i_ + 1] == '/' || s_[i_ + 1] == '*'))
            return syntax(here(), "JSON does not allow comments", expected);
        if (c == '\'') return syntax(here(), "JSON strings and keys are written in double quotes, not single quotes", expected);
        return syntax(here(), "unexpected character " + describe_char(s_, i_), expected);
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
            if (h < 0) return syntax(esc, "\\u in a string must be followed by four hex digits", "\\u followed by four hex digits, such as \\u00e9");
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
                return syntax(open, end_ < s_.size() ? "this string is not closed on its line"
                                                     : "this string is never closed (a '\"' is missing)",
                              "a closing '\"'");
            }
            const char c = peek();
            if (c == '"') {
                advance();
                return true;
            }
            if (c != '\\') {
                if (c == '\n' || c == '\r')
                    return syntax(here(), "a JSON string cannot span lines (this one is not closed on its line)",
                                  "a closing '\"' before the line ends; write a line break inside a string as \\n");
                return syntax(here(), "the control character " + describe_char(s_, i_) + " must be escaped in a JSON string",
                              "an escape such as \\t or \\u0009");
            }
            const position esc = here();
            advance();  // '\'
            if (i_ >= end_) return eof_error("an escape such as \\n or \\\" after '\\'");
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
                        return syntax(esc, "this \\u escape is the second half of a surrogate pair without the first half",
                                      "a \\uD800-\\uDBFF escape before it, or the character itself");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        const position esc2 = here();
                        if (!(i_ + 1 < end_ && s_[i_] == '\\' && s_[i_ + 1] == 'u'))
                            return syntax(esc, "this \\u escape is the first half of a surrogate pair without the second half",
                                          "a \\uDC00-\\uDFFF escape right after it, or the character itself");
                        advance();  // '\'
                        char32_t lo = 0;
                        if (!read_hex4(esc2, lo)) return false;
                        if (lo < 0xDC00 || lo > 0xDFFF)
                            return syntax(esc, "this \\u escape is the first half of a surrogate pair without the second half",
                                          "a \\uDC00-\\uDFFF escape right after it, or the character itself");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    std::string buf;
                    append_utf8(buf, cp);
                    put(buf);
                    continue;
                }
                default:
                    return syntax(esc, "invalid escape: '\\' followed by " + describe_char(s_, i_),
                                  "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
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
                return syntax(b, "NaN and Infinity are not numbers in JSON (and are not valid facts)",
                              "a finite number, or null to leave the fact out");
            if (j < end_ && s_[j] == '.')
                return syntax(b, "a JSON number needs a digit before the decimal point (write 0.5, not .5)");
            return syntax(b, "'-' must be followed by a digit in a JSON number");
        }
        if (s_[j] == '0' && digit(j + 1))
            return syntax(b, "a JSON number cannot have leading zeros (write 7, not 07; write an id such as 007 as a string)");
        while (digit(j)) ++j;
        if (j < end_ && s_[j] == '.') {
            ++j;
            if (!digit(j)) return syntax(b, "a JSON number needs a digit after the decimal point (write 5 or 5.0, not 5.)");
            while (digit(j)) ++j;
        }
        if (j < end_ && (s_[j] == 'e' || s_[j] == 'E')) {
            ++j;
            if (j < end_ && (s_[j] == '+' || s_[j] == '-')) ++j;
            if (!digit(j)) return syntax(b, "a JSON number needs digits in its exponent (as in 1e5)");
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
        if (i_ >= end_) return eof_error("a value");
        const char c = peek();
        if (c == '"') {
            v.k = raw_value::kind::text;
            return parse_string(v.text, too_long);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            v.k = raw_value::kind::number;
            return parse_number(v.text, too_long);
        }
        if (c == '+') return syntax(here(), "a JSON number cannot start with '+'", "the number without '+'");
        if (c == '.') return syntax(here(), "a JSON number needs a digit before the decimal point (write 0.5, not .5)");
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
                return syntax(here(), "NaN and Infinity are not numbers in JSON (and are not valid facts)",
                              "a finite number, or null to leave the fact out");
            } else {
                return syntax(here(), "unexpected word '" + std::string(w.substr(0, 40)) + "'",
                              "a value: a string in double quotes, a number, true, false, null or a list [...]");
            }
            while (i_ < j) advance();
            return true;
        }
        return unexpected("a value: a string in double quotes, a number, true, false, null or a list [...]");
    }

    // Skips one JSON value of any shape, without recursion. A container here is at `depth`.
    bool skip_value(std::size_t depth) {
        std::vector<char> open;  // '{' or '['
        raw_value scratch;
        bool too_long = false;
        std::string key;
        auto read_key = [&]() -> bool {
            skip_ws();
            if (i_ >= end_ || peek() != '"') return unexpected("a key in double quotes");
            if (!parse_string(key, too_long)) return false;
            skip_ws();
            if (i_ >= end_ || peek() != ':') return unexpected("':' after the key");
            advance();
            return true;
        };
        for (;;) {
            // A value starts here.
            skip_ws();
            if (i_ >= end_) return eof_error("a value");
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
                if (i_ >= end_) return eof_error(open.back() == '{' ? "',' or '}'" : "',' or ']'");
                const char closer = open.back() == '{' ? '}' : ']';
                if (peek() == ',') {
                    advance();
                    skip_ws();
                    if (i_ < end_ && peek() == closer)
                        return syntax(here(), "a trailing comma is not allowed in JSON");
                    if (open.back() == '{' && !read_key()) return false;
                    break;
                }
                if (peek() == closer) {
                    advance();
                    open.pop_back();
                    continue;
                }
                return unexpected(open.back() == '{' ? "',' or '}'" : "',' or ']'");
            }
        }
    }

    // A field's value: a scalar or a flat list. Problems go to `probs`; `absent` is set for null.
    bool parse_field_value(raw_value& v, std::size_t depth, const std::string& field, std::vector<problem>& probs,
                           bool& absent) {
        absent = false;
        if (i_ >= end_) return eof_error("a value");
        const position b = here();
        const char c = peek();
        if (c == '{') {
            if (!skip_value(depth)) return false;
            probs.push_back(problem{b, here(), codes::facts_value, field,
                                    "an object is not a fact value",
                                    "a string, a number, true/false, null or a list [...]"});
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
                if (i_ >= end_) return eof_error("a list item");
                const position ib = here();
                const char ic = peek();
                if (ic == '[' || ic == '{') {
                    if (!skip_value(depth + 1)) return false;
                    probs.push_back(problem{ib, here(), codes::facts_value, field,
                                            "item " + std::to_string(v.items.size() + 1) + " of the list is " +
                                                (ic == '[' ? "a list; lists cannot be nested" : "an object"),
                                            "list items that are strings, numbers or true/false"});
                    absent = true;
                    v.items.emplace_back();
                } else {
                    v.items.emplace_back();
                    bool too_long = false;
                    if (!parse_scalar(v.items.back(), too_long)) return false;
                    if (too_long) {
                        probs.push_back(too_long_problem(ib, here(), field, v.items.back().k));
                        absent = true;
                    }
                }
                skip_ws();
                if (i_ >= end_) return eof_error("',' or ']'");
                if (peek() == ',') {
                    advance();
                    skip_ws();
                    if (i_ < end_ && peek() == ']') return syntax(here(), "a trailing comma is not allowed in JSON", "another list item");
                    continue;
                }
                if (peek() == ']') {
                    advance();
                    return true;
                }
                return unexpected("',' or ']'");
            }
        }
        bool too_long = false;
        if (!parse_scalar(v, too_long)) return false;
        if (too_long) {
            probs.push_back(too_long_problem(b, here(), field, v.k));
            absent = true;
        }
        if (v.k == raw_value::kind::null) absent = true;
        return true;
    }

    problem too_long_problem(position b, position e, const std::string& field, raw_value::kind k) const {
        if (k == raw_value::kind::number)
            return problem{b, e, codes::facts_limit, field,
                           "the number is too long (" + std::to_string(e.offset - b.offset) +
                               " characters; the limit is " + std::to_string(limits_.max_number_chars) + ")",
                           {}};
        return problem{b, e, codes::facts_limit, field,
                       "the text is too long (the limit is " + std::to_string(limits_.max_text_bytes) + " bytes)", {}};
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
                        return syntax(here(), "object keys must be written in double quotes", "a key such as \"得分\"");
                    return unexpected("a key in double quotes");
                }
                const position kpos = here();
                if (!parse_string(key, too_long)) return false;
                const position kend = here();
                skip_ws();
                if (i_ >= end_ || peek() != ':') return unexpected("':' after the key");
                advance();
                skip_ws();
                if (too_long) {
                    probs.push_back(problem{kpos, kend, codes::facts_limit, {},
                                            "a key is too long (the limit is " +
                                                std::to_string(limits_.max_text_bytes) + " bytes)",
                                            {}});
                    if (!skip_value(depth + 1)) return false;
                } else {
                    if (const position* first = first_use(key, kpos)) {
                        probs.push_back(problem{kpos, kend, codes::facts_duplicate_key, {},
                                                "duplicate key " + quote_text(key) + " (first written at " +
                                                    where_text(*first) + ")",
                                                "each key once per object"});
                        if (!skip_value(depth + 1)) return false;
                    } else if (key == "entity") {
                        have_id = true;
                        if (!parse_id(e, depth + 1, probs)) return false;
                        id_ok = !e.id.empty();
                    } else if (key.empty()) {
                        probs.push_back(problem{kpos, kend, codes::facts_value, {}, "a key is empty",
                                                "a field name between the quotes"});
                        if (!skip_value(depth + 1)) return false;
                    } else if (e.fields.size() >= limits_.max_fields) {
                        if (!too_many_fields)
                            probs.push_back(problem{kpos, kend, codes::facts_limit, {},
                                                    "too many fields (the limit is " +
                                                        std::to_string(limits_.max_fields) + ")",
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
                if (i_ >= end_) return eof_error("',' or '}'");
                if (peek() == ',') {
                    advance();
                    skip_ws();
                    if (i_ < end_ && peek() == '}')
                        return syntax(here(), "a trailing comma is not allowed in JSON", "another key");
                    continue;
                }
                if (peek() == '}') {
                    advance();
                    break;
                }
                return unexpected("',' or '}'");
            }
        }
        if (!have_id)
            probs.insert(probs.begin(), problem{obj, obj, codes::facts_id, {},
                                                "this object has no \"entity\" key (the entity's id)",
                                                "\"entity\": \"<id>\" in every entity object"});
        if (probs.empty()) {
            sink_.emit(std::move(e));
            return true;
        }
        const std::string who = id_ok ? "entity " + quote_text(e.id) : "the entity object at " + where_text(obj);
        for (problem& p : probs) {
            std::string msg = who;
            if (!p.field.empty()) msg += ", field " + quote_text(p.field);
            msg += ": ";
            msg += p.message;
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
                                    std::string("the \"entity\" value is ") + (obj ? "an object" : "a list") +
                                        "; it must be the entity's id",
                                    "a string or an integer"});
            return true;
        }
        raw_value v;
        bool too_long = false;
        if (!parse_scalar(v, too_long)) return false;
        const position end = here();
        if (too_long) {
            probs.push_back(problem{b, end, codes::facts_limit, {}, "the \"entity\" value is too long", {}});
        } else if (v.k == raw_value::kind::text) {
            if (v.text.empty())
                probs.push_back(problem{b, end, codes::facts_id, {}, "the \"entity\" value (the id) is empty",
                                        "a non-empty string or an integer"});
            e.id = std::move(v.text);
            e.pos = b;
        } else if (v.k == raw_value::kind::number &&
                   v.text.find_first_of(".eE") == std::string::npos) {
            e.id = std::move(v.text);
            e.pos = b;
        } else {
            const std::string what = v.k == raw_value::kind::number ? "the number " + v.text
                                     : v.k == raw_value::kind::boolean ? v.text
                                                                       : std::string("null");
            probs.push_back(problem{b, end, codes::facts_id, {},
                                    "the \"entity\" value must be a string or an integer, not " + what,
                                    "a string such as \"A01\" or an integer such as 101"});
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
    try {
        switch (fmt) {
            case facts_format::csv: detail::read_csv_facts(sink, limits); break;
            case facts_format::json: detail::json_facts_parser(sink, limits).parse_document(); break;
            case facts_format::jsonl: detail::json_facts_parser(sink, limits).parse_lines(); break;
        }
    } catch (const std::bad_alloc&) {
        sink.fatal(position{}, codes::facts_limit, "out of memory while reading the facts file");
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

}  // namespace rubric
