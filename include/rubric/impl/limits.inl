// Definitions for rubric/limits.hpp.
#pragma once

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "rubric/config.hpp"
#include "rubric/limits.hpp"

namespace rubric {

RUBRIC_FUNC parse_options limits::parsing() const {
    parse_options o;
    o.max_source_bytes = source_bytes;
    o.max_nesting = nesting;
    o.max_nodes = nodes;
    o.max_exprs = exprs;
    o.numbers = numbers();
    return o;
}

RUBRIC_FUNC number_limits limits::numbers() const {
    number_limits n;
    n.max_digits = number_digits;
    // validate() keeps it within max_number_exponent; clamp anyway rather than wrap.
    n.max_exponent = static_cast<std::int32_t>(number_exponent > max_number_exponent ? max_number_exponent : number_exponent);
    return n;
}

RUBRIC_FUNC facts_limits limits::facts() const {
    facts_limits f;
    f.max_bytes = facts_bytes;
    f.max_depth = json_depth;
    f.max_fields = fields;
    // The JSON reader's cap on a number's characters is a cheap guard before typing; it
    // must not be tighter than the number limits, or a number within them would be
    // refused with the wrong message. Sign, point, `e`, exponent sign and digits.
    const std::size_t exponent_chars = std::to_string(number_exponent).size();
    const std::size_t needed = number_digits + exponent_chars + 4;
    if (needed > f.max_number_chars) f.max_number_chars = needed;
    return f;
}

RUBRIC_FUNC bind_options limits::binding() const {
    bind_options b;
    b.numbers = numbers();
    b.max_eval_steps = eval_steps;
    return b;
}

RUBRIC_FUNC const limit_info* limit_table(std::size_t* count) noexcept {
    static constexpr std::size_t any = static_cast<std::size_t>(-1);
    static const limit_info table[] = {
        {"source-bytes", &limits::source_bytes, any},
        {"nesting", &limits::nesting, limits::max_nesting},
        {"nodes", &limits::nodes, any},
        {"exprs", &limits::exprs, any},
        {"number-digits", &limits::number_digits, limits::max_number_digits},
        {"number-exponent", &limits::number_exponent, limits::max_number_exponent},
        {"facts-bytes", &limits::facts_bytes, any},
        {"json-depth", &limits::json_depth, any},
        {"fields", &limits::fields, any},
        {"eval-steps", &limits::eval_steps, any},
        {"errors", &limits::errors, any},
    };
    if (count) *count = sizeof table / sizeof table[0];
    return table;
}

namespace detail {

inline const limit_info* find_limit(std::string_view name) noexcept {
    std::size_t n = 0;
    const limit_info* t = limit_table(&n);
    for (std::size_t i = 0; i < n; ++i)
        if (name == t[i].name) return &t[i];
    return nullptr;
}

inline std::string limit_names() {
    std::size_t n = 0;
    const limit_info* t = limit_table(&n);
    std::string names;
    for (std::size_t i = 0; i < n; ++i) names += (i ? ", " : "") + std::string(t[i].name);
    return names;
}

inline localized check_limit(const limit_info& li, std::size_t value) {
    if (value == 0) return localize("limits.zero", {{"name", li.name}});
    if (value > li.max) return localize("limits.too-high", {{"name", li.name}, {"max", std::to_string(li.max)}});
    return {};
}

}  // namespace detail

RUBRIC_FUNC localized set_limit(limits& l, std::string_view name, std::size_t value) {
    const limit_info* li = detail::find_limit(name);
    if (!li) return localize("limits.unknown", {{"name", std::string(name)}, {"names", detail::limit_names()}});
    if (localized e = detail::check_limit(*li, value); !e.empty()) return e;
    l.*(li->member) = value;
    return {};
}

RUBRIC_FUNC localized set_limit(limits& l, std::string_view assignment) {
    const std::size_t eq = assignment.find('=');
    if (eq == std::string_view::npos || eq == 0) return localize("limits.bad-setting", {{"text", std::string(assignment)}});
    const std::string_view name = assignment.substr(0, eq);
    const limit_info* li = detail::find_limit(name);
    if (!li) return localize("limits.unknown", {{"name", std::string(name)}, {"names", detail::limit_names()}});
    std::string_view number = assignment.substr(eq + 1);
    std::size_t scale = 1;
    if (!number.empty()) {
        switch (number.back()) {
            case 'K': scale = std::size_t(1) << 10; break;
            case 'M': scale = std::size_t(1) << 20; break;
            case 'G': scale = std::size_t(1) << 30; break;
            default: break;
        }
        if (scale != 1) number.remove_suffix(1);
    }
    // Digits only: from_chars would also take a leading '-'.
    if (number.empty() || number.find_first_not_of("0123456789") != std::string_view::npos)
        return localize("limits.bad-setting", {{"text", std::string(assignment)}});
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || value > static_cast<std::size_t>(-1) / scale)
        return localize("limits.too-high", {{"name", li->name}, {"max", std::to_string(li->max)}});
    return set_limit(l, name, value * scale);
}

RUBRIC_FUNC localized validate(const limits& l) {
    std::size_t n = 0;
    const limit_info* t = limit_table(&n);
    for (std::size_t i = 0; i < n; ++i)
        if (localized e = detail::check_limit(t[i], l.*(t[i].member)); !e.empty()) return e;
    return {};
}

RUBRIC_FUNC source_ptr read_source(const std::string& path, localized& error, std::size_t max_bytes) {
    // Asked of the file system first, so that a huge file is refused without reading it.
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_bytes) {
        error = localize("source.too-large", {{"path", path}, {"size", std::to_string(size)}, {"limit", std::to_string(max_bytes)}});
        return nullptr;
    }
    // Then counted as it is read: a file that is not regular (a pipe, /dev/zero) has no
    // size to ask, and a regular file may grow while it is read. Reading stops at the
    // first byte past the limit, so memory never holds more than the limit and a block.
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int why = errno;  // the open's (libstdc++ and libc++ open through the C library)
        error = why ? localize("source.cannot-read-because", {{"path", path}, {"reason", file_error_reason(why, false)}})
                    : localize("source.cannot-open", {{"path", path}});
        return nullptr;
    }
    // read(), not `ss << in.rdbuf()`: that copy ends quietly at a read error (caught and set on
    // the string stream; `in` stays good), so a failing disk gave a cut text read as if whole.
    std::string text, block(1u << 16, '\0');
    for (;;) {
        const std::size_t room = max_bytes - text.size();  // text.size() <= max_bytes here
        const std::size_t want = room < block.size() ? room + 1 : block.size();
        in.read(&block[0], static_cast<std::streamsize>(want));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got > room) {
            // Its whole size is not known (and need not be read): only that it is past the limit.
            error = localize("source.too-large-stream", {{"path", path}, {"limit", std::to_string(max_bytes)}});
            return nullptr;
        }
        text.append(block.data(), got);
        if (!in) break;
    }
    if (in.bad()) {
        const int why = errno;  // the failed read's (EISDIR for a directory, EIO)
        error = why ? localize("source.cannot-read-because", {{"path", path}, {"reason", file_error_reason(why, false)}})
                    : localize("source.cannot-read", {{"path", path}});
        return nullptr;
    }
    return make_source(path, std::move(text));
}

}  // namespace rubric
