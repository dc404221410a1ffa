// rubric: source text and positions, shared by every stage (parse, check, facts readers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rubric {

// A place in a text. `line` and `column` are 1-based; `column` counts Unicode
// code points (characters), not bytes, so a caret under Chinese text lands on
// the right character. `offset` is the 0-based byte offset. A default position
// (line 0) means "no position".
struct position {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::size_t offset = 0;

    [[nodiscard]] bool known() const noexcept { return line != 0; }
};

// A half-open byte range [begin.offset, end.offset) of one source.
struct span {
    position begin;
    position end;
};

// A named text (a rubric file, a facts file). Shared by pointer so that
// diagnostics and AST nodes can refer to it after parsing.
struct source_file {
    std::string name;  // as given by the user; "<input>" when read from memory
    std::string text;

    // The text of the 1-based `line` without its line terminator ("" if out of range).
    [[nodiscard]] std::string_view line_text(std::uint32_t line) const;
    // The position of byte `offset`, counting columns in code points.
    [[nodiscard]] position position_at(std::size_t offset) const;

    mutable std::vector<std::size_t> line_starts_;  // lazily built cache

    // A slice of a larger file (the season run reads a big CSV or JSON-lines file a block of
    // records at a time, each block after a copy of the CSV header): its first `kept_lines`
    // lines are the file's own first lines, and every later line L is the file's line
    // L + line_shift. Positions stay those of this text (line_text works on them); rendering
    // shows shown_line(). Zero for a whole file.
    std::uint32_t kept_lines = 0;
    std::int64_t line_shift = 0;
    // CSV only: the file's number of this text's record R (a spreadsheet's row number, which
    // error messages name) is R + record_shift for every record after the first (the header).
    std::int64_t record_shift = 0;
    // Whether the text starts its file. Only there is a byte-order mark not a character: a
    // slice from a later line (a JSON line read alone) that starts with one keeps it as text.
    bool starts_file = true;
    // The bytes of a byte-order mark at the start that is not a character: 3 or 0.
    [[nodiscard]] std::size_t bom_size() const noexcept {
        return starts_file && text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
                       static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF
                   ? 3
                   : 0;
    }
    [[nodiscard]] std::uint32_t shown_line(std::uint32_t line) const noexcept {
        return line <= kept_lines ? line : static_cast<std::uint32_t>(static_cast<std::int64_t>(line) + line_shift);
    }
    // A position as shown (its line as shown_line() says), for a message that names it.
    [[nodiscard]] position shown(position at) const noexcept {
        at.line = shown_line(at.line);
        return at;
    }
    // Lazily built with line_starts_: for every 256-byte block, the first character start at or
    // after it and the characters before that, so that a column costs O(1), not O(line length)
    // (a 100,000-term sum on one line would otherwise be quadratic).
    mutable std::vector<std::pair<std::size_t, std::size_t>> char_marks_;
private:
    static constexpr std::size_t char_block = 256;
    void index_lines() const;
    [[nodiscard]] std::size_t chars_before(std::size_t offset) const;
};

using source_ptr = std::shared_ptr<const source_file>;

// A source whose slice fields (kept_lines, line_shift, record_shift) the caller may still set.
[[nodiscard]] inline std::shared_ptr<source_file> make_source_file(std::string name, std::string text) {
    auto s = std::make_shared<source_file>();
    s->name = std::move(name);
    s->text = std::move(text);
    return s;
}

[[nodiscard]] inline source_ptr make_source(std::string name, std::string text) {
    return make_source_file(std::move(name), std::move(text));
}

// Number of code points in a UTF-8 string (invalid bytes count one each).
[[nodiscard]] std::size_t utf8_length(std::string_view s) noexcept;
// Terminal display width: East Asian wide and full-width characters count 2.
[[nodiscard]] std::size_t display_width(std::string_view s) noexcept;
// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
// On failure `bad_offset` receives the byte offset of the first bad byte.
[[nodiscard]] bool valid_utf8(std::string_view s, std::size_t* bad_offset = nullptr) noexcept;

}  // namespace rubric
