// rubric: the languages of user-visible text, and one message catalog per language.
//
// Every text the library and the tool show to a person (diagnostics, explanations,
// test failures, CLI messages) is a template in a catalog, keyed by a stable message
// id: impl/messages_en.inl holds the English templates, impl/messages_zh.inl the
// Chinese (zh-CN) ones, and nothing else holds user-visible text. A template names
// its arguments: "code {code} is used twice". A placeholder is `{` + a lower-case
// identifier ([a-z_][a-z0-9_]*) + `}`; any other brace is literal text. Both
// catalogs have the same ids, and each id the same placeholders in both (tested).
//
// A `localized` is a message that has not been given a language yet: an id and its
// arguments. An argument is either literal text (a name, a number, a code snippet:
// the same in every language) or itself a `localized` ("item" → "评分项").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rubric {

enum class lang { en, zh };

// "en", "zh", or a locale name: "zh_CN.UTF-8", "zh-CN", "zh_TW" → zh; "en_US.UTF-8",
// "C", "POSIX" → en. Case is ignored. nullopt for anything else.
[[nodiscard]] std::optional<lang> parse_lang(std::string_view name) noexcept;

// The language of a locale, with POSIX precedence: the first non-empty of LC_ALL,
// LC_MESSAGES and LANG (null counts as empty) decides; zh if it starts with "zh",
// otherwise (and when all are empty) en.
[[nodiscard]] lang lang_from_locale(const char* lc_all, const char* lc_messages, const char* lang_var) noexcept;

// lang_from_locale() of this process's environment variables.
[[nodiscard]] lang lang_from_environment() noexcept;

// "en" or "zh".
[[nodiscard]] const char* to_string(lang l) noexcept;

struct message_arg;

// A message not yet put into a language.
struct localized {
    std::string id;                 // catalog id; empty: `text` is shown as is in every language
    std::string text;               // the literal text when `id` is empty
    std::vector<message_arg> args;  // named arguments of the template

    [[nodiscard]] bool empty() const noexcept { return id.empty() && text.empty(); }
};

struct message_arg {
    std::string name;
    localized value;

    message_arg(std::string n, std::string literal_text);
    message_arg(std::string n, const char* literal_text);
    message_arg(std::string n, localized v);
};

// The message `id` with its arguments.
[[nodiscard]] localized localize(std::string id, std::vector<message_arg> args = {});
// Text shown the same in every language.
[[nodiscard]] localized literal(std::string text);

// Why a file could not be opened, read or written (the errno `err`), in the reader's words:
// "permission denied", "no such file". `writing`: the file is an output (ENOENT then means
// that its directory does not exist).
[[nodiscard]] localized file_error_reason(int err, bool writing);

// The words as a list in the reader's language: "完备, 较完备, 不完备" in English, "完备、较完备、不完备"
// in Chinese (the message "list.pair" holds the separator).
[[nodiscard]] localized list_of(const std::vector<std::string>& words);

// The message in language `l`: its template with every {placeholder} replaced by
// its argument (itself translated). An id missing from the catalog is shown as the
// id itself; a placeholder without an argument stays as written.
[[nodiscard]] std::string translate(const localized& m, lang l);

// Shorthand for translate(localize(id, args), l).
[[nodiscard]] std::string message_text(lang l, std::string id, std::vector<message_arg> args = {});

struct catalog_entry {
    const char* id;
    const char* text;
};

// Every template of language `l`, in the order of its catalog file.
struct catalog_view {
    const catalog_entry* entries;
    std::size_t size;
    [[nodiscard]] const catalog_entry* begin() const noexcept { return entries; }
    [[nodiscard]] const catalog_entry* end() const noexcept { return entries + size; }
};
[[nodiscard]] catalog_view message_catalog(lang l) noexcept;

// The template for `id` in language `l`, or null if the catalog has none.
[[nodiscard]] const char* message_template(lang l, std::string_view id) noexcept;

// The placeholder names of a template, in order of appearance (repeats kept).
[[nodiscard]] std::vector<std::string> placeholders(std::string_view template_text);

}  // namespace rubric
