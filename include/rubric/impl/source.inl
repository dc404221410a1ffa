// Definitions for rubric/source.hpp.
#pragma once

#include <algorithm>

#include "rubric/config.hpp"
#include "rubric/detail/utf8.hpp"
#include "rubric/source.hpp"

namespace rubric {
namespace detail {

// East Asian Wide / Full-width ranges (the common blocks; enough for Chinese documents).
inline bool is_wide(char32_t c) noexcept {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

}  // namespace detail

RUBRIC_FUNC std::size_t utf8_length(std::string_view s) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        const std::size_t len = detail::utf8_decode(s, i, cp);
        i += len ? len : 1;
        ++n;
    }
    return n;
}

RUBRIC_FUNC std::size_t display_width(std::string_view s) noexcept {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const std::size_t len = detail::utf8_decode(s, i, cp);
        i += len ? len : 1;
        if (len && (cp == 0x200B || (cp >= 0x0300 && cp <= 0x036F))) continue;  // zero-width, combining
        w += (len && detail::is_wide(cp)) ? 2 : 1;
    }
    return w;
}

RUBRIC_FUNC bool valid_utf8(std::string_view s, std::size_t* bad_offset) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        const std::size_t len = detail::utf8_decode(s, i, cp);
        if (len == 0) {
            if (bad_offset) *bad_offset = i;
            return false;
        }
        i += len;
    }
    return true;
}

RUBRIC_FUNC void source_file::index_lines() const {
    if (!line_starts_.empty()) return;
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') line_starts_.push_back(i + 1);
        else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) line_starts_.push_back(i + 1);
    }
    // The characters utf8_length counts, walked once over the whole text (a malformed byte is one).
    char_marks_.clear();
    char_marks_.reserve(text.size() / char_block + 1);
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size();) {
        while (char_marks_.size() * char_block <= i) char_marks_.emplace_back(i, chars);
        char32_t cp;
        const std::size_t len = detail::utf8_decode(text, i, cp);
        i += len ? len : 1;
        ++chars;
    }
    while (char_marks_.size() * char_block <= text.size()) char_marks_.emplace_back(text.size(), chars);
}

RUBRIC_FUNC std::size_t source_file::chars_before(std::size_t offset) const {
    // The last mark at or before offset, then at most a block (and a character) of scanning.
    std::size_t k = offset / char_block;
    while (k > 0 && char_marks_[k].first > offset) --k;
    auto [i, chars] = char_marks_[k];
    while (i < offset) {
        char32_t cp;
        const std::size_t len = detail::utf8_decode(text, i, cp);
        i += len ? len : 1;
        ++chars;
    }
    return chars;
}

RUBRIC_FUNC std::string_view source_file::line_text(std::uint32_t line) const {
    index_lines();
    if (line == 0 || line > line_starts_.size()) return {};
    std::size_t b = line_starts_[line - 1];
    if (b == 0) b = bom_size();  // not shown: it is not a character
    std::size_t e = line < line_starts_.size() ? line_starts_[line] : text.size();
    while (e > b && (text[e - 1] == '\n' || text[e - 1] == '\r')) --e;
    return std::string_view(text).substr(b, e - b);
}

RUBRIC_FUNC position source_file::position_at(std::size_t offset) const {
    index_lines();
    offset = std::min(offset, text.size());
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
    const std::size_t b = line_starts_[line - 1];
    std::size_t from = b;
    // A byte-order mark at the start of the file is not a character of the first line.
    if (b == 0 && offset >= bom_size()) from = bom_size();
    // Characters of the line before offset: those before offset less those before the line
    // (a line starts after a line break, so always at a character).
    const auto col = static_cast<std::uint32_t>(offset > from ? chars_before(offset) - chars_before(from) + 1 : 1);
    return position{line, col, offset};
}

}  // namespace rubric
