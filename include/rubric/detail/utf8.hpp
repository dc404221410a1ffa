// rubric (internal): UTF-8 decoding, shared by the units that read text (impl/source.inl,
// impl/parse.inl, impl/check.inl, impl/diagnostic.inl). Inline in a header rather than in
// source.inl: each unit is compiled on its own and the decoder sits in their inner loops.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rubric::detail {

// Decodes one UTF-8 sequence at s[i]; returns its length (0 if malformed) and the code point.
inline std::size_t utf8_decode(std::string_view s, std::size_t i, char32_t& cp) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) { cp = b0; return 1; }
    std::size_t len = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; min = 0x10000; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

// A character that hides or reorders text (Trojan Source, CVE-2021-42574): a bidirectional
// control (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F) or a byte-order mark (U+FEFF, which
// only belongs at the very start of a file), or NUL when `nul` is set. The byte offset of the
// first one in s[from..] and its code point, or npos.
inline bool is_hidden_char(char32_t c) noexcept {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0xFEFF;
}
inline std::size_t find_hidden_char(std::string_view s, char32_t& cp, bool nul, std::size_t from = 0) noexcept {
    for (std::size_t i = from; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b == 0 && nul) {
            cp = 0;
            return i;
        }
        if (b < 0xE2) {  // every hidden character but NUL is E2 80 8E .. EF BB BF
            ++i;
            continue;
        }
        char32_t c = 0;
        const std::size_t len = utf8_decode(s, i, c);
        if (len && is_hidden_char(c)) {
            cp = c;
            return i;
        }
        i += len ? len : 1;
    }
    return std::string_view::npos;
}
inline std::string code_point_name(char32_t c) {
    static const char* hex = "0123456789ABCDEF";
    std::string out = "U+";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(c >> shift) & 0xF];
    return out;
}


}  // namespace rubric::detail
