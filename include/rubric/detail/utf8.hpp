// rubric (internal): UTF-8 decoding, shared by the units that read text (impl/source.inl,
// impl/parse.inl, impl/check.inl, impl/diagnostic.inl). Inline in a header rather than in
// source.inl: each unit is compiled on its own and the decoder sits in their inner loops.
#pragma once

#include <cstddef>
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

}  // namespace rubric::detail
