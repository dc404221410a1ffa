// The character encodings of office files (rubric/text_encoding.hpp), through iconv.
#include "rubric/text_encoding.hpp"

#include <iconv.h>

#include <cerrno>
#include <cctype>

#include "rubric/detail/utf8.hpp"

namespace rubric {

namespace {

std::string normalized(std::string_view name) {
    std::string s;
    for (const char c : name)
        if (c != '-' && c != '_') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Lines of UTF-8 text as source.hpp counts them (LF, CRLF, lone CR): the line the next
// character would be on.
std::size_t line_after(std::string_view text) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
    return line;
}

// Closes an iconv descriptor on every path out.
struct converter {
    iconv_t cd;
    converter(const char* to, const char* from) : cd(iconv_open(to, from)) {}
    ~converter() {
        if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
    }
    converter(const converter&) = delete;
    converter& operator=(const converter&) = delete;
};

}  // namespace

std::optional<text_encoding> encoding_from_name(std::string_view name) {
    const std::string n = normalized(name);
    if (n == "utf8") return text_encoding::utf8;
    if (n == "gb18030" || n == "gbk" || n == "gb2312" || n == "cp936" || n == "936") return text_encoding::gb18030;
    if (n == "utf16" || n == "utf16le" || n == "unicode") return text_encoding::utf16le;
    if (n == "utf16be") return text_encoding::utf16be;
    return std::nullopt;
}

const char* encoding_name(text_encoding e) noexcept {
    switch (e) {
        case text_encoding::utf8: return "UTF-8";
        case text_encoding::gb18030: return "GB18030";
        case text_encoding::utf16le: return "UTF-16LE";
        case text_encoding::utf16be: return "UTF-16BE";
    }
    return "UTF-8";
}

bool valid_utf8(std::string_view s, bool cut_end_ok) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        char32_t cp = 0;
        const std::size_t n = detail::utf8_decode(s, i, cp);
        if (n == 0) {
            // A sequence that only lacks its last bytes because the block ends here.
            if (cut_end_ok && s.size() - i < 4) {
                const auto b0 = static_cast<unsigned char>(s[i]);
                const std::size_t want = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
                bool continuation = want > s.size() - i;
                for (std::size_t k = i + 1; continuation && k < s.size(); ++k)
                    continuation = (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80;
                return continuation;
            }
            return false;
        }
        i += n;
    }
    return true;
}

text_encoding detect_encoding(std::string_view head) noexcept {
    if (starts_with(head, "\xFF\xFE")) return text_encoding::utf16le;
    if (starts_with(head, "\xFE\xFF")) return text_encoding::utf16be;
    return valid_utf8(head, true) ? text_encoding::utf8 : text_encoding::gb18030;
}

decoded_text to_utf8(std::string_view bytes, text_encoding from) {
    decoded_text r;
    if (from == text_encoding::utf16le || from == text_encoding::utf16be) {
        if (starts_with(bytes, "\xFF\xFE")) from = text_encoding::utf16le, bytes.remove_prefix(2);
        else if (starts_with(bytes, "\xFE\xFF")) from = text_encoding::utf16be, bytes.remove_prefix(2);
    } else if (starts_with(bytes, "\xEF\xBB\xBF")) {
        bytes.remove_prefix(3);
    }
    if (from == text_encoding::utf8) {
        // Checked here so that the error says the same as for the other encodings.
        std::size_t i = 0;
        while (i < bytes.size()) {
            char32_t cp = 0;
            const std::size_t n = static_cast<unsigned char>(bytes[i]) < 0x80 ? 1 : detail::utf8_decode(bytes, i, cp);
            if (n == 0) {
                r.bad_line = line_after(bytes.substr(0, i));
                return r;
            }
            i += n;
        }
        r.text.assign(bytes);
        r.ok = true;
        return r;
    }
    converter c("UTF-8", encoding_name(from));
    if (c.cd == reinterpret_cast<iconv_t>(-1)) {
        r.bad_line = 1;  // the C library lacks the converter: nothing can be read
        return r;
    }
    std::string out;
    out.resize(bytes.size() * 2 + 16);  // GB18030 and UTF-16 grow at most 3/2 in UTF-8
    char* in_p = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* out_p = &out[0];
    std::size_t out_left = out.size();
    while (in_left > 0) {
        if (iconv(c.cd, &in_p, &in_left, &out_p, &out_left) != static_cast<std::size_t>(-1)) break;
        if (errno == E2BIG) {
            const std::size_t used = static_cast<std::size_t>(out_p - out.data());
            out.resize(out.size() * 2);
            out_p = &out[used];
            out_left = out.size() - used;
            continue;
        }
        // EILSEQ (not a character of that encoding) or EINVAL (cut off at the end).
        r.bad_line = line_after(std::string_view(out.data(), static_cast<std::size_t>(out_p - out.data())));
        return r;
    }
    out.resize(static_cast<std::size_t>(out_p - out.data()));
    // A UTF-16 file may have carried its mark as U+FEFF after all (asked as utf-16be, written LE).
    if (starts_with(out, "\xEF\xBB\xBF")) out.erase(0, 3);
    r.text = std::move(out);
    r.ok = true;
    return r;
}

}  // namespace rubric
