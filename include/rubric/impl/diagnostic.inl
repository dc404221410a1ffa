// Definitions for rubric/diagnostic.hpp.
#pragma once

#include <algorithm>

#include "rubric/config.hpp"
#include "rubric/diagnostic.hpp"

namespace rubric {

RUBRIC_FUNC const char* to_string(severity s) noexcept {
    switch (s) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::note: return "note";
    }
    return "error";
}

RUBRIC_FUNC bool has_errors(const diagnostics& ds) noexcept {
    return std::any_of(ds.begin(), ds.end(), [](const diagnostic& d) { return d.level == severity::error; });
}

RUBRIC_FUNC std::string render(const diagnostic& d) {
    std::string out;
    const position& p = d.where.begin;
    if (d.source) {
        out += d.source->name;
        if (p.known()) {
            out += ':' + std::to_string(p.line) + ':' + std::to_string(p.column);
        }
        out += ": ";
    }
    out += to_string(d.level);
    out += ": ";
    out += d.message;
    out += '\n';
    if (d.source && p.known()) {
        const std::string_view line = d.source->line_text(p.line);
        // Tabs are shown as single spaces so that the caret's display width matches.
        std::string shown(line);
        std::replace(shown.begin(), shown.end(), '\t', ' ');
        out += "  ";
        out += shown;
        out += '\n';
        // Caret under the column-th character, measured in display width.
        std::size_t byte = 0;
        for (std::uint32_t c = 1; c < p.column && byte < shown.size(); ++c) {
            ++byte;
            while (byte < shown.size() && (static_cast<unsigned char>(shown[byte]) & 0xC0) == 0x80) ++byte;
        }
        out += "  ";
        out.append(display_width(std::string_view(shown).substr(0, byte)), ' ');
        out += '^';
        // Underline the rest of the span when it stays on this line.
        if (d.where.end.line == p.line && d.where.end.column > p.column + 1) {
            const std::size_t b0 = byte;
            std::size_t b1 = byte;
            for (std::uint32_t c = p.column; c < d.where.end.column && b1 < shown.size(); ++c) {
                ++b1;
                while (b1 < shown.size() && (static_cast<unsigned char>(shown[b1]) & 0xC0) == 0x80) ++b1;
            }
            const std::size_t w = display_width(std::string_view(shown).substr(b0, b1 - b0));
            if (w > 1) out.append(w - 1, '~');
        }
        out += '\n';
    }
    if (!d.expected.empty()) {
        out += "  expected: ";
        out += d.expected;
        out += '\n';
    }
    return out;
}

RUBRIC_FUNC std::string render(const diagnostics& ds) {
    std::string out;
    for (const auto& d : ds) out += render(d);
    return out;
}

}  // namespace rubric
