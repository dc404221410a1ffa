// rubric: the one home of escaping text for the formats rubric writes (JSON strings, CSV
// fields, HTML text). The CLI, the season run's sinks, the report and the C ABI all use
// these, so that a fix to one (a control character, a quote) reaches every output.
#pragma once
#include <string>
#include <string_view>

namespace rubric {

// The contents of a JSON string (without the quotes): " \ and control characters escaped
// (\n \r \t, others as \u00XX). Other bytes, UTF-8 included, are copied; a byte that is not
// UTF-8 becomes U+FFFD (JSON text is UTF-8).
[[nodiscard]] std::string json_escape(std::string_view s);
// Appends `s` as a JSON string, quotes included.
void append_json_string(std::string& out, std::string_view s);

// One CSV field, quoted as needed (RFC 4180): quoted when it holds a comma, a quote or a line end, with
// quotes doubled; otherwise as it is.
[[nodiscard]] std::string csv_quoted(std::string_view s);
void append_csv_quoted(std::string& out, std::string_view s);

// Text for HTML element content and attribute values: & < > " escaped.
[[nodiscard]] std::string html_escape(std::string_view s);

}  // namespace rubric
