// Definitions for rubric/messages.hpp. The templates themselves are in
// messages_en.inl and messages_zh.inl.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "rubric/config.hpp"
#include "rubric/messages.hpp"

namespace rubric::detail {
#include "rubric/impl/messages_en.inl"
#include "rubric/impl/messages_zh.inl"
}  // namespace rubric::detail

namespace rubric {

namespace detail {

inline bool starts_with_ci(std::string_view s, std::string_view prefix) noexcept {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

inline bool placeholder_char(char c, bool first) noexcept {
    return (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

// If a placeholder starts at s[i] (a '{'), its length including braces; else 0.
inline std::size_t placeholder_at(std::string_view s, std::size_t i) noexcept {
    if (s[i] != '{') return 0;
    std::size_t j = i + 1;
    while (j < s.size() && placeholder_char(s[j], j == i + 1)) ++j;
    if (j == i + 1 || j >= s.size() || s[j] != '}') return 0;
    return j - i + 1;
}

struct catalog_index {
    std::vector<std::pair<std::string_view, const char*>> sorted;
    explicit catalog_index(catalog_view v) {
        for (const auto& e : v) sorted.emplace_back(e.id, e.text);
        std::sort(sorted.begin(), sorted.end());
    }
    const char* find(std::string_view id) const noexcept {
        const auto it = std::lower_bound(sorted.begin(), sorted.end(), id,
                                         [](const auto& e, std::string_view k) { return e.first < k; });
        return it != sorted.end() && it->first == id ? it->second : nullptr;
    }
};

}  // namespace detail

RUBRIC_FUNC std::optional<lang> parse_lang(std::string_view name) noexcept {
    if (detail::starts_with_ci(name, "zh")) {
        if (name.size() == 2 || name[2] == '_' || name[2] == '-' || name[2] == '.') return lang::zh;
        return std::nullopt;
    }
    if (detail::starts_with_ci(name, "en")) {
        if (name.size() == 2 || name[2] == '_' || name[2] == '-' || name[2] == '.') return lang::en;
        return std::nullopt;
    }
    if (name == "C" || name == "POSIX" || detail::starts_with_ci(name, "c.")) return lang::en;
    return std::nullopt;
}

RUBRIC_FUNC lang lang_from_locale(const char* lc_all, const char* lc_messages, const char* lang_var) noexcept {
    for (const char* v : {lc_all, lc_messages, lang_var}) {
        if (v && *v) return detail::starts_with_ci(v, "zh") ? lang::zh : lang::en;
    }
    return lang::en;
}

RUBRIC_FUNC lang lang_from_environment() noexcept {
    return lang_from_locale(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG"));
}

RUBRIC_FUNC const char* to_string(lang l) noexcept { return l == lang::zh ? "zh" : "en"; }

RUBRIC_FUNC message_arg::message_arg(std::string n, std::string literal_text)
    : name(std::move(n)), value(literal(std::move(literal_text))) {}
RUBRIC_FUNC message_arg::message_arg(std::string n, const char* literal_text)
    : name(std::move(n)), value(literal(literal_text)) {}
RUBRIC_FUNC message_arg::message_arg(std::string n, localized v) : name(std::move(n)), value(std::move(v)) {}

RUBRIC_FUNC localized localize(std::string id, std::vector<message_arg> args) {
    localized m;
    m.id = std::move(id);
    m.args = std::move(args);
    return m;
}

RUBRIC_FUNC localized file_error_reason(int err, bool writing) {
    switch (err) {
        case ENOSPC: return localize("output.reason-no-space");
        case EPIPE: return localize("output.reason-pipe-closed");
        case EACCES:
        case EPERM: return localize("output.reason-permission");
        case EROFS: return localize("output.reason-read-only");
        case ENOENT:
        case ENOTDIR: return localize(writing ? "output.reason-no-directory" : "source.reason-no-file");
        case EISDIR: return localize("source.reason-directory");
        case ENXIO: return localize("output.reason-socket");
        case ELOOP: return localize("output.reason-links");
#ifdef EDQUOT
        case EDQUOT: return localize("output.reason-quota");
#endif
        case EIO: return localize("output.reason-io");
        default: return literal(std::strerror(err));
    }
}

RUBRIC_FUNC localized literal(std::string text) {
    localized m;
    m.text = std::move(text);
    return m;
}

namespace detail {
// words[lo, hi) as nested "list.pair" messages, split in halves so that the nesting (and the
// recursion of translate()) is only log2(n) deep, however many choices a rubric declares.
inline localized list_slice(const std::vector<std::string>& words, std::size_t lo, std::size_t hi) {
    if (hi - lo == 1) return literal(words[lo]);
    const std::size_t mid = lo + (hi - lo) / 2;
    return localize("list.pair", {{"first", list_slice(words, lo, mid)}, {"rest", list_slice(words, mid, hi)}});
}
}  // namespace detail

RUBRIC_FUNC localized list_of(const std::vector<std::string>& words) {
    if (words.empty()) return literal("");
    return detail::list_slice(words, 0, words.size());
}

RUBRIC_FUNC catalog_view message_catalog(lang l) noexcept {
    if (l == lang::zh) return {detail::messages_zh, sizeof detail::messages_zh / sizeof detail::messages_zh[0]};
    return {detail::messages_en, sizeof detail::messages_en / sizeof detail::messages_en[0]};
}

RUBRIC_FUNC const char* message_template(lang l, std::string_view id) noexcept {
    static const detail::catalog_index en(message_catalog(lang::en));
    static const detail::catalog_index zh(message_catalog(lang::zh));
    return (l == lang::zh ? zh : en).find(id);
}

RUBRIC_FUNC std::vector<std::string> placeholders(std::string_view t) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (const std::size_t n = detail::placeholder_at(t, i)) {
            out.emplace_back(t.substr(i + 1, n - 2));
            i += n - 1;
        }
    }
    return out;
}

RUBRIC_FUNC std::string translate(const localized& m, lang l) {
    if (m.id.empty()) return m.text;
    const char* tpl = message_template(l, m.id);
    if (!tpl) return m.id;
    const std::string_view t(tpl);
    std::string out;
    out.reserve(t.size() + 16);
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (const std::size_t n = detail::placeholder_at(t, i)) {
            const std::string_view name = t.substr(i + 1, n - 2);
            const auto it = std::find_if(m.args.begin(), m.args.end(), [&](const message_arg& a) { return a.name == name; });
            if (it != m.args.end()) out += translate(it->value, l);
            else out.append(t.substr(i, n));
            i += n - 1;
        } else {
            out += t[i];
        }
    }
    return out;
}

RUBRIC_FUNC std::string message_text(lang l, std::string id, std::vector<message_arg> args) {
    return translate(localize(std::move(id), std::move(args)), l);
}

}  // namespace rubric
