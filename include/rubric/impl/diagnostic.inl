// Definitions for rubric/diagnostic.hpp.
#pragma once

#include <algorithm>
#include <vector>

#include "rubric/config.hpp"
#include "rubric/detail/utf8.hpp"
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

// On lines longer than this (in bytes) the caret is found from its offset, not by walking columns.
constexpr std::size_t render_long_line = 1000;

RUBRIC_FUNC std::string render(const diagnostic& d, lang l) {
    std::string out;
    const position& p = d.where.begin;
    if (d.source) {
        out += d.source->name;
        if (p.known()) {
            out += ':' + std::to_string(d.source->shown_line(p.line)) + ':' + std::to_string(p.column);
        }
        out += ": ";
    }
    // "error: message" / "错误：message": the separator belongs to the language.
    out += message_text(l, "diagnostic.headline", {{"severity", severity_word(d.level, l)}, {"message", message_in(d, l)}});
    out += '\n';
    if (d.source && p.known() && d.quote_line) {
        const std::string_view line = d.source->line_text(p.line);
        // Characters are stepped over as position_at() counts them: a byte that is not
        // valid UTF-8 (a stray continuation byte of a GBK file) is a column of its own.
        const auto next = [&](std::size_t b) {
            char32_t cp = 0;
            const std::size_t len = detail::utf8_decode(line, b, cp);
            return b + (len ? len : 1);
        };
        // The caret's byte: on a long line from the position's offset (walking the columns for
        // each of thousands of diagnostics on one 100 KB line would be quadratic), else by column.
        const std::size_t line_start = static_cast<std::size_t>(line.data() - d.source->text.data());
        const auto char_start = [&](std::size_t b) {
            while (b > 0 && b < line.size() && (static_cast<unsigned char>(line[b]) & 0xC0) == 0x80) --b;
            return b;
        };
        std::size_t byte = 0;
        if (line.size() > render_long_line && p.offset >= line_start && p.offset <= line_start + line.size())
            byte = char_start(p.offset - line_start);
        else
            for (std::uint32_t c = 1; c < p.column && byte < line.size(); ++c) byte = next(byte);
        // A long line (a one-line JSON file) is quoted as a window of at most
        // quote_columns display columns around the caret, "…" marking what is left out,
        // so one diagnostic stays one screen line whatever the size of the file.
        constexpr std::size_t quote_columns = 200, before_caret = 60;
        std::size_t from = 0, to = line.size();
        // (A line of more than 4 * quote_columns bytes has more than quote_columns characters:
        // measured only when shorter, so that the test costs no more than the window.)
        if (line.size() > 4 * quote_columns || display_width(line) > quote_columns) {
            // Characters before the caret, up to before_caret columns (whole characters).
            std::vector<std::size_t> starts;
            // (a character is at most 4 bytes and at least 1 column: the last 4 * before_caret bytes hold them)
            for (std::size_t b = char_start(byte > 4 * before_caret ? byte - 4 * before_caret : 0); b < byte; b = next(b))
                if (b + 4 * before_caret >= byte) starts.push_back(b);
            std::size_t w = 0;
            from = byte;
            for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
                const std::size_t cw = display_width(line.substr(*it, from - *it));
                if (w + cw > before_caret) break;
                w += cw;
                from = *it;
            }
            // Then forward from there while the window has room (a "…" at each cut end).
            const std::size_t room = quote_columns - (from > 0 ? 1 : 0) - 1;
            w = 0;
            to = from;
            while (to < line.size()) {
                const std::size_t n = next(to);
                const std::size_t cw = display_width(line.substr(to, n - to));
                if (w + cw > room) break;
                w += cw;
                to = n;
            }
            if (to < byte) to = byte;  // never: the caret is within before_caret columns of `from`
        }
        const char* const ellipsis = "\u2026";
        std::string shown = from > 0 ? ellipsis : "";
        const std::size_t caret_at = shown.size() + (byte - from);  // the caret's byte in `shown`
        shown.append(line.substr(from, to - from));
        if (to < line.size()) shown += ellipsis;
        // Tabs are shown as single spaces so that the caret's display width matches.
        std::replace(shown.begin(), shown.end(), '\t', ' ');
        out += "  ";
        out += shown;
        out += '\n';
        // Caret under the column-th character, measured in display width.
        out += "  ";
        out.append(display_width(std::string_view(shown).substr(0, caret_at)), ' ');
        out += '^';
        // Underline the rest of the span when it stays on this line (and in the window).
        if (d.where.end.line == p.line && d.where.end.column > p.column + 1) {
            std::size_t b1 = byte;
            for (std::uint32_t c = p.column; c < d.where.end.column && b1 < to; ++c) b1 = next(b1);
            const std::size_t w = display_width(line.substr(byte, std::min(b1, to) - byte));
            if (w > 1) out.append(w - 1, '~');
        }
        out += '\n';
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
