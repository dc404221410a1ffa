// rubric: user-facing diagnostics (errors and warnings) and their rendering.
#pragma once

#include <string>
#include <vector>

#include "rubric/messages.hpp"
#include "rubric/source.hpp"

namespace rubric {

enum class severity { error, warning, note };

// One finding about user input. User mistakes are data, not exceptions:
// every stage returns all of its diagnostics at once.
struct diagnostic {
    severity level = severity::error;
    source_ptr source;   // may be null for input that has no text (e.g. a CLI argument)
    span where;          // where.begin is the caret position
    std::string code;    // stable identifier, e.g. "E-syntax", "W-unreachable-points"
    std::string message; // what is wrong, in the user's terms
    std::string expected;// what was expected instead ("" if nothing to say)
    // The same two texts as catalog messages (messages.hpp), so that render() can
    // show them in another language. `message` and `expected` are their English
    // form. An empty id means "no translation": the English text is shown.
    localized message_tr;
    localized expected_tr;
    // false: render() gives file:line:col but not the source line and caret (a UTF-16 file's
    // line would print NUL bytes and mojibake).
    bool quote_line = true;
};

// A diagnostic whose texts come from the catalog: `message` and `expected` are
// filled with the English form of `message_tr` and `expected_tr`.
[[nodiscard]] diagnostic make_diagnostic(severity level, source_ptr source, span where, std::string code,
                                         localized message, localized expected = {});

using diagnostics = std::vector<diagnostic>;

[[nodiscard]] bool has_errors(const diagnostics& ds) noexcept;

// "file:line:col: error: message\n  <source line>\n  <caret>\n  expected: …\n".
// The caret is placed by display width, so it sits under the right character
// even after Chinese text. In Chinese: "file:line:col: 错误：message" and
// "  应为：…". Without a language: English.
[[nodiscard]] std::string render(const diagnostic& d);
[[nodiscard]] std::string render(const diagnostics& ds);
[[nodiscard]] std::string render(const diagnostic& d, lang l);
[[nodiscard]] std::string render(const diagnostics& ds, lang l);

// The message / the expected text of `d` in language `l`.
[[nodiscard]] std::string message_in(const diagnostic& d, lang l);
[[nodiscard]] std::string expected_in(const diagnostic& d, lang l);

// "error", "warning", "note".
[[nodiscard]] const char* to_string(severity s) noexcept;
// "error" / "错误", "warning" / "警告", "note" / "说明".
[[nodiscard]] std::string severity_word(severity s, lang l);

}  // namespace rubric
