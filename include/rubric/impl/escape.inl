// Definitions for rubric/escape.hpp.
#pragma once

#include <algorithm>

#include "rubric/config.hpp"
#include "rubric/escape.hpp"
#include "rubric/source.hpp"

namespace rubric {

RUBRIC_FUNC void append_json_string(std::string& out, std::string_view s) {
    // JSON is UTF-8 (RFC 8259): a byte that is not (an entity id from another system, say)
    // becomes U+FFFD rather than making the whole document unreadable. Most texts (codes, input
    // names, numbers) are ASCII and need no decoding: only a byte beyond ASCII asks for it.
    std::string cleaned;
    if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
        for (std::size_t bad = 0; !valid_utf8(s, &bad);) {
            cleaned.append(s.substr(0, bad)).append("\xEF\xBF\xBD");
            s.remove_prefix(bad + 1);
        }
        if (!cleaned.empty()) s = cleaned.append(s);
    }
    out += '"';
    // The bytes that need no escape are appended a run at a time.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                static const char hex[] = "0123456789abcdef";
                const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
                out.append(u, sizeof u);
            }
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

RUBRIC_FUNC std::string json_escape(std::string_view s) {
    std::string quoted;
    quoted.reserve(s.size() + 2);
    append_json_string(quoted, s);
    return quoted.substr(1, quoted.size() - 2);
}

RUBRIC_FUNC void append_csv_quoted(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += s;
        return;
    }
    out += '"';
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

RUBRIC_FUNC std::string csv_quoted(std::string_view s) {
    std::string out;
    append_csv_quoted(out, s);
    return out;
}

RUBRIC_FUNC std::string html_escape(std::string_view s) {
    std::string r;
    r.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '&': r += "&amp;"; break;
            case '<': r += "&lt;"; break;
            case '>': r += "&gt;"; break;
            case '"': r += "&quot;"; break;
            default: r += c;
        }
    }
    return r;
}

}  // namespace rubric
