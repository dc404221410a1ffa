// Definitions for rubric/detail/format_syntax.hpp: the formatter's view of the grammar.
// Compiled in the parse unit (src/parse.cpp), the only unit that includes the grammar; the
// formatter (impl/format.inl) sees only the plain data these functions return.
#pragma once

#include <memory>

#include <tao/pegtl/contrib/parse_tree.hpp>

#include "rubric/config.hpp"
#include "rubric/detail/format_syntax.hpp"
#include "rubric/grammar/messages.hpp"
#include "rubric/grammar/tree.hpp"

namespace rubric {
namespace detail {
namespace format_grammar {

namespace g = rubric::grammar;
namespace pt = tao::pegtl::parse_tree;

// The grammar rules whose extent the layout needs (syntax_rule); the parser's selector keeps
// them in the tree for the formatter (grammar/tree.hpp). Other nodes are not the layout's.
inline bool layout_rule(const pt::node& n) {
    return n.is_type<g::header>() || n.is_type<g::header_field>() || n.is_type<g::section_member>() ||
           n.is_type<g::case_member>() || n.is_type<g::case_decl>() || n.is_type<g::item_member>() || n.is_type<g::task_member>() || n.is_type<g::test_member>() ||
           n.is_type<g::file_member>() || n.is_type<g::section_decl>() || n.is_type<g::item_decl>() ||
           n.is_type<g::bonus_decl>() || n.is_type<g::adjustments_decl>() || n.is_type<g::signed_amount>() ||
           n.is_type<g::expect_value>() || n.is_type<g::task_decl>() || n.is_type<g::test_decl>() ||
           n.is_type<g::tier_band>() || n.is_type<g::neg>() || n.is_type<g::call>() || n.is_type<g::score_ref>() ||
           n.is_type<g::expect_fraction>() || n.is_type<g::cmp_op>() || n.is_type<g::given_value>() ||
           n.is_type<g::input_name>();
}

inline syntax_rule rule_of(const pt::node& n) {
    if (n.is_type<g::header>()) return syntax_rule::header;
    if (n.is_type<g::header_field>()) return syntax_rule::header_field;
    // A case of a `by` section is laid out as a section: a block, its members one a line.
    if (n.is_type<g::section_member>() || n.is_type<g::case_member>()) return syntax_rule::section_member;
    if (n.is_type<g::case_decl>()) return syntax_rule::section_decl;
    if (n.is_type<g::item_member>()) return syntax_rule::item_member;
    if (n.is_type<g::task_member>()) return syntax_rule::task_member;
    if (n.is_type<g::test_member>()) return syntax_rule::test_member;
    if (n.is_type<g::file_member>()) return syntax_rule::file_member;
    if (n.is_type<g::section_decl>()) return syntax_rule::section_decl;
    if (n.is_type<g::item_decl>()) return syntax_rule::item_decl;
    if (n.is_type<g::bonus_decl>()) return syntax_rule::bonus_decl;
    if (n.is_type<g::adjustments_decl>()) return syntax_rule::adjustments_decl;
    if (n.is_type<g::signed_amount>() || n.is_type<g::expect_value>()) return syntax_rule::signed_amount;
    if (n.is_type<g::task_decl>()) return syntax_rule::task_decl;
    if (n.is_type<g::test_decl>()) return syntax_rule::test_decl;
    if (n.is_type<g::tier_band>()) return syntax_rule::tier_band;
    if (n.is_type<g::neg>()) return syntax_rule::neg;
    if (n.is_type<g::call>() || n.is_type<g::score_ref>()) return syntax_rule::call;  // score(1.2): as a call
    if (n.is_type<g::expect_fraction>()) return syntax_rule::expect_fraction;
    if (n.is_type<g::cmp_op>()) return syntax_rule::cmp_op;
    if (n.is_type<g::given_value>()) return syntax_rule::given_value;
    return syntax_rule::input_name;
}

// Appends the layout's nodes among `children` to `out` (with, under each, its own), and their
// indices to `into`; other nodes are looked through, their children standing in their place.
// One frame per nesting level, as the formatter's own walk of the tree had.
inline void flatten(const pt::node::children_t& children, const char* base, std::vector<syntax_node>& out,
                    std::vector<std::size_t>* into) {
    for (const auto& c : children) {
        if (!layout_rule(*c)) {
            flatten(c->children, base, out, into);
            continue;
        }
        const std::size_t at = out.size();
        out.emplace_back();
        out[at].rule = rule_of(*c);
        out[at].begin = static_cast<std::size_t>(c->m_begin.data - base);
        out[at].end = static_cast<std::size_t>(c->m_end.data - base);
        if (into) into->push_back(at);
        std::vector<std::size_t> mine;
        flatten(c->children, base, out, &mine);
        out[at].children = std::move(mine);
    }
}

// Length of the text at `i` that `Rule` matches, 0 if none.
template <typename Rule>
std::size_t match_length(const std::string& s, std::size_t i) {
    tao::pegtl::memory_input<> in(s.data() + i, s.data() + s.size(), "");
    try {
        if (tao::pegtl::parse<Rule>(in)) return static_cast<std::size_t>(in.current() - (s.data() + i));
    } catch (const tao::pegtl::parse_error&) {
    }
    return 0;
}

}  // namespace format_grammar

RUBRIC_FUNC syntax_tree format_syntax(const std::string& text, const std::string& name, std::size_t max_nesting) {
    namespace fg = format_grammar;
    syntax_tree out;
    std::unique_ptr<tao::pegtl::parse_tree::node> root;
    try {
        grammar::nesting_limit() = max_nesting;
        tao::pegtl::memory_input<> in(text.data(), text.size(), name);
        root = tao::pegtl::parse_tree::parse<grammar::file, grammar::selector, tao::pegtl::nothing, grammar::control>(in);
    } catch (const tao::pegtl::parse_error& e) {
        out.raised = true;
        out.error = e.what();
        return out;
    }
    if (!root) return out;
    out.parsed = true;
    fg::flatten(root->children, text.data(), out.nodes, nullptr);
    return out;
}

RUBRIC_FUNC std::size_t identifier_length(const std::string& text, std::size_t i) {
    return format_grammar::match_length<grammar::identifier>(text, i);
}

RUBRIC_FUNC std::size_t declaration_keyword_length(const std::string& text, std::size_t i) {
    return format_grammar::match_length<
        tao::pegtl::sor<grammar::kw_grade, grammar::kw_veto, grammar::kw_adjustments, grammar::kw_warn, grammar::kw_let>>(text, i);
}

RUBRIC_FUNC std::size_t keyword_length(const std::string& text, std::size_t i) {
    return format_grammar::match_length<grammar::keyword>(text, i);
}

}  // namespace detail
}  // namespace rubric
