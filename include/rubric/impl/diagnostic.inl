// Definitions for rubric/diagnostic.hpp.
#pragma once

#include <algorithm>

#include "rubric/config.hpp"
#include "rubric/diagnostic.hpp"
#include "rubric/impl/messages.inl"

namespace rubric {

RUBRIC_FUNC const char* to_string(severity s) noexcept {
    switch (s) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::note: return "note";
    }
    return "error";
}

RUBRIC_FUNC std::string severity_word(severity s, lang l) {
    switch (s) {
        case severity::error: return message_text(l, "severity.error");
        case severity::warning: return message_text(l, "severity.warning");
        case severity::note: return message_text(l, "severity.note");
    }
    return message_text(l, "severity.error");
}

RUBRIC_FUNC diagnostic make_diagnostic(severity level, source_ptr source, span where, std::string code,
                                       localized message, localized expected) {
    diagnostic d;
    d.level = level;
    d.source = std::move(source);
    d.where = where;
    d.code = std::move(code);
    d.message = translate(message, lang::en);
    d.expected = translate(expected, lang::en);
    d.message_tr = std::move(message);
    d.expected_tr = std::move(expected);
    return d;
}

RUBRIC_FUNC std::string message_in(const diagnostic& d, lang l) {
    if (l == lang::en || d.message_tr.empty()) return d.message;
    return translate(d.message_tr, l);
}

RUBRIC_FUNC std::string expected_in(const diagnostic& d, lang l) {
    if (l == lang::en || d.expected_tr.empty()) return d.expected;
    return translate(d.expected_tr, l);
}

RUBRIC_FUNC bool has_errors(const diagnostics& ds) noexcept {
    return std::any_of(ds.begin(), ds.end(), [](const diagnostic& d) { return d.level == severity::error; });
}

RUBRIC_FUNC std::string render(const diagnostic& d) { return render(d, lang::en); }

// Lines longer than this (in bytes) are quoted around the caret only.
constexpr std::size_t render_long_line = 1000;

RUBRIC_FUNC std::string render(const diagnostic& d, lang l) {
    std::string out;
    const position& p = d.where.begin;
    if (d.source) {
        out += d.source->name;
        if (p.known()) {
            out += ':' + std::to_string(p.line) + ':' + std::to_string(p.column);
        }
        out += ": ";
    }
    // "error: message" / "错误：message": the separator belongs to the language.
    out += message_text(l, "diagnostic.headline", {{"severity", severity_word(d.level, l)}, {"message", message_in(d, l)}});
    out += '\n';
    if (d.source && p.known() && d.quote_line) {
        const std::string_view line = d.source->line_text(p.line);
        const std::size_t line_start = static_cast<std::size_t>(line.data() - d.source->text.data());
        // A very long line (a generated rubric, a 100,000-term sum) is quoted around the caret
        // only: quoting it whole for each of thousands of diagnostics is quadratic.
        if (line.size() > render_long_line && p.offset >= line_start && p.offset <= line_start + line.size()) {
            const auto boundary = [&](std::size_t b) {
                while (b > 0 && b < line.size() && (static_cast<unsigned char>(line[b]) & 0xC0) == 0x80) --b;
                return b;
            };
            const std::size_t caret = boundary(p.offset - line_start);
            const std::size_t from = boundary(caret > 200 ? caret - 200 : 0);
            const std::size_t to = line.size() - caret > 600 ? boundary(caret + 600) : line.size();
            std::string shown(from > 0 ? "\xE2\x80\xA6" : "");  // …
            const std::size_t lead = from > 0 ? 1 : 0;
            shown.append(line.substr(from, to - from));
            if (to < line.size()) shown += "\xE2\x80\xA6";
            std::replace(shown.begin(), shown.end(), '\t', ' ');
            out += "  " + shown + "\n  ";
            std::string before(line.substr(from, caret - from));
            std::replace(before.begin(), before.end(), '\t', ' ');
            out.append(lead + display_width(before), ' ');
            out += '^';
            if (d.where.end.line == p.line && d.where.end.offset > p.offset + 1) {
                const std::size_t e = std::min(d.where.end.offset - line_start, to);
                if (e > caret) {
                    const std::size_t w = display_width(line.substr(caret, e - caret));
                    if (w > 1) out.append(w - 1, '~');
                }
            }
            out += '\n';
        } else {
        // Tabs are shown as single spaces so that the caret's display width matches.
        std::string shown(line);
        std::replace(shown.begin(), shown.end(), '\t', ' ');
        out += "  ";
        out += shown;
        out += '\n';
        // Caret under the column-th character, measured in display width. Characters are
        // stepped over as position_at() counts them: a byte that is not valid UTF-8 (a stray
        // continuation byte of a GBK file) is a column of its own.
        const auto next = [&](std::size_t b) {
            char32_t cp = 0;
            const std::size_t len = detail::utf8_decode(shown, b, cp);
            return b + (len ? len : 1);
        };
        std::size_t byte = 0;
        for (std::uint32_t c = 1; c < p.column && byte < shown.size(); ++c) byte = next(byte);
        out += "  ";
        out.append(display_width(std::string_view(shown).substr(0, byte)), ' ');
        out += '^';
        // Underline the rest of the span when it stays on this line.
        if (d.where.end.line == p.line && d.where.end.column > p.column + 1) {
            const std::size_t b0 = byte;
            std::size_t b1 = byte;
            for (std::uint32_t c = p.column; c < d.where.end.column && b1 < shown.size(); ++c) b1 = next(b1);
            const std::size_t w = display_width(std::string_view(shown).substr(b0, b1 - b0));
            if (w > 1) out.append(w - 1, '~');
        }
        out += '\n';
        }
    }
    if (const std::string expected = expected_in(d, l); !expected.empty()) {
        out += "  ";
        out += message_text(l, "diagnostic.expected", {{"expected", expected}});
        out += '\n';
    }
    return out;
}

RUBRIC_FUNC std::string render(const diagnostics& ds) { return render(ds, lang::en); }

RUBRIC_FUNC std::string render(const diagnostics& ds, lang l) {
    std::string out;
    for (const auto& d : ds) out += render(d, l);
    return out;
}

}  // namespace rubric
