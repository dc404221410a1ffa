// rubric: the canonical formatter (`rubric fmt`), so that rubrics written by many
// offices look the same. GRAMMAR.md, section "Formatting", describes the layout.
//
// The formatter works over the source's tokens, with the grammar's parse tree
// telling it which token starts a clause, opens a block or sits in a tier band.
// It keeps every comment, the author's keywords (English or Chinese, never
// translated), number spellings (2分, 0.50) and texts byte for byte; it rewrites
// only white space, full-width punctuation (to ASCII), `;` separators (dropped)
// and the optional `:` after an input's name (added).
#pragma once

#include <optional>
#include <string>

#include "rubric/ast.hpp"
#include "rubric/diagnostic.hpp"
#include "rubric/parse.hpp"
#include "rubric/source.hpp"

namespace rubric {

struct format_result {
    // The formatted text; empty when the source has a syntax error (then `diags`
    // says why) or, as a safety net, when the formatted text would not parse to
    // the same syntax tree (an internal error E-fmt-internal: a bug, never a
    // half-formatted file).
    std::optional<std::string> text;
    diagnostics diags;  // errors only (parse warnings are the checker's business)
};

// Formats one rubric. Never throws for bad input. Idempotent: formatting the
// result again gives the same text. The result parses to the same syntax tree
// as the source (see same_syntax), which format_source verifies before returning.
[[nodiscard]] format_result format_source(const source_ptr& src);
// The same, parsing under `limits` (nesting, nodes, exprs, number sizes: `rubric fmt --limit`).
[[nodiscard]] format_result format_source(const source_ptr& src, const parse_options& limits);

// True if two syntax trees describe the same rubric: every code, name, number,
// text, expression, input, ratio and test equal, ignoring source positions. The
// text of a `given` value is compared without its white space. On a difference,
// `*difference` (if given) names the first one found.
[[nodiscard]] bool same_syntax(const ast& a, const ast& b, std::string* difference = nullptr);

}  // namespace rubric
