// rubric: user-facing diagnostics (errors and warnings) and their rendering.
#pragma once

#include <string>
#include <vector>

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
};

using diagnostics = std::vector<diagnostic>;

[[nodiscard]] bool has_errors(const diagnostics& ds) noexcept;

// "file:line:col: error: message\n  <source line>\n  <caret>\n  expected: …\n".
// The caret is placed by display width, so it sits under the right character
// even after Chinese text.
[[nodiscard]] std::string render(const diagnostic& d);
[[nodiscard]] std::string render(const diagnostics& ds);

[[nodiscard]] const char* to_string(severity s) noexcept;

}  // namespace rubric
