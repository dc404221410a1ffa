// rubric (internal): what the formatter (impl/format.inl) needs from the grammar.
//
// Only the parse unit (src/parse.cpp) includes the PEGTL grammar, so that the grammar is
// compiled, and its templates instantiated, in one unit. The formatter gets the grammar's
// view of a source through these functions, defined in impl/format_syntax.inl, as plain data.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rubric/config.hpp"

namespace rubric::detail {

// The grammar rules whose extent the formatter's layout needs (grammar/rubric/grammar/rules.hpp).
enum class syntax_rule : unsigned char {
    header, header_field, section_member, item_member, task_member, test_member, file_member,
    section_decl, item_decl, bonus_decl, task_decl, test_decl, tier_band, neg, call, expect_fraction,
    adjustments_decl, signed_amount,
    cmp_op, given_value, input_name,
};

// One match of one of those rules.
struct syntax_node {
    syntax_rule rule = syntax_rule::header;
    std::size_t begin = 0, end = 0;     // source bytes
    std::vector<std::size_t> children;  // the nodes directly inside it: indices into syntax_tree::nodes
};

// The grammar's parse tree of a whole file, cut down to those rules.
struct syntax_tree {
    bool parsed = false;       // the grammar accepted the file
    bool raised = false;       // the grammar raised a parse error: `error` says what
    std::string error;
    std::vector<syntax_node> nodes;  // in the order of a walk from the top, parents before children
};

// Parses `text` (named `name` in messages) as a file, nested at most `max_nesting` deep.
RUBRIC_FUNC syntax_tree format_syntax(const std::string& text, const std::string& name, std::size_t max_nesting);

// The length of the identifier, of the keyword, that starts at text[i]; 0 if none.
RUBRIC_FUNC std::size_t identifier_length(const std::string& text, std::size_t i);
RUBRIC_FUNC std::size_t keyword_length(const std::string& text, std::size_t i);
// Length of a top-level declaration word that is not reserved (grade, veto, adjustments, warn, let, and
// their Chinese spellings) at `i`, 0 if none: what keyword_spellings.hpp's second list is checked by.
RUBRIC_FUNC std::size_t declaration_keyword_length(const std::string& text, std::size_t i);

}  // namespace rubric::detail
