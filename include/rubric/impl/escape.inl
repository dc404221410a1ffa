// Definitions for rubric/escape.hpp.
#pragma once

#include "rubric/config.hpp"
#include "rubric/escape.hpp"
#include "rubric/source.hpp"

namespace rubric {

RUBRIC_FUNC void append_json_string(std::string& out, std::string_view s) {
    // JSON is UTF-8 (RFC 8259): a byte that is not (an entity id from another system, say)
    // becomes U+FFFD rather than making the whole document unreadable.
    std::string cleaned;
    for (std::size_t bad = 0; !valid_utf8(s, &bad);) {
        cleaned.append(s.substr(0, bad)).append("\xEF\xBF\xBD");
        s.remove_prefix(bad + 1);
    }
    if (!cleaned.empty()) s = cleaned.append(s);
    out += '"';
    for (const char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    static const char hex[] = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[(c >> 4) & 0xF];
                    out += hex[c & 0xF];
                } else {
                    out += c;
                }
        }
    }
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
