// rubric: source text → syntax tree.
#pragma once

#include <cstddef>
#include <optional>

#include "rubric/ast.hpp"
#include "rubric/diagnostic.hpp"
#include "rubric/source.hpp"

namespace rubric {

// Limits that keep hostile input from exhausting memory or stack.
struct parse_options {
    std::size_t max_source_bytes = 16u << 20;  // 16 MiB
    std::size_t max_nesting = 64;              // brackets, blocks, `not`, `-`, `if`, forms inside forms
    std::size_t max_errors = 25;               // syntax errors reported before giving up
    std::size_t max_nodes = 100000;            // sections + items + tasks
    std::size_t max_exprs = 1000000;           // expression nodes
    number_limits numbers{40, 40};             // digits and exponent of any number literal
};

struct parse_result {
    std::optional<ast> tree;  // present when the text has no syntax error
    diagnostics diags;        // every syntax error found (with recovery), and warnings
};

// Never throws for bad input: every problem is a diagnostic.
[[nodiscard]] parse_result parse(const source_ptr& src, const parse_options& options = {});

// Reads the file at `path` into a source (diagnostic if it cannot be read).
[[nodiscard]] source_ptr read_source(const std::string& path, std::string* error);
// The same, with the error as a catalog message (messages.hpp) for any language.
[[nodiscard]] source_ptr read_source(const std::string& path, localized& error);

}  // namespace rubric
