// rubric: the character encodings a facts file arrives in from an office, and their
// conversion to UTF-8, which is all the rest of rubric reads.
//
// On Chinese Windows, "CSV" from Excel or WPS is GB18030 (GBK, code page 936), and
// "Unicode text" is UTF-16 with a byte-order mark. Conversion goes through the C library's
// iconv (glibc's converters), never through a table of our own.
//
// Part of the office layer (rubric_office, src/office/): not in the core library, nor in the
// header-only mode.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rubric {

enum class text_encoding { utf8, gb18030, utf16le, utf16be };

// "utf-8"/"utf8"; "gb18030", "gbk", "gb2312", "cp936" (all read as GB18030, their superset);
// "utf-16" (byte order from the BOM, little-endian without one), "utf-16le", "utf-16be".
// Case and '-'/'_' are ignored. nullopt for any other name.
[[nodiscard]] std::optional<text_encoding> encoding_from_name(std::string_view name);

// "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE".
[[nodiscard]] const char* encoding_name(text_encoding e) noexcept;

// The encoding of `head`, the first bytes of a file: a UTF-16 byte-order mark says UTF-16;
// bytes that are valid UTF-8 (a UTF-8 sequence cut at the end of `head` counts as valid)
// are UTF-8; anything else is taken for GB18030.
[[nodiscard]] text_encoding detect_encoding(std::string_view head) noexcept;

// True when all of `s` is valid UTF-8 (a sequence cut at the very end is allowed when
// `cut_end_ok`, for a file's first block).
[[nodiscard]] bool valid_utf8(std::string_view s, bool cut_end_ok = false) noexcept;

struct decoded_text {
    bool ok = false;
    std::string text;          // UTF-8, without a byte-order mark; "" unless ok
    std::size_t bad_line = 0;  // when !ok: the 1-based line of the first byte that is not text
                               // in that encoding (lines end at LF, CRLF or a lone CR)
};

// `bytes` converted from `from` to UTF-8. A byte-order mark is dropped; for UTF-16 it
// decides the byte order, whichever of utf16le and utf16be was asked.
[[nodiscard]] decoded_text to_utf8(std::string_view bytes, text_encoding from);

}  // namespace rubric
