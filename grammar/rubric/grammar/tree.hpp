// rubric: which grammar rules become parse-tree nodes, and the conversion of
// that tree into rubric::ast. Included only by impl/parse.inl.
#pragma once

#include <memory>
#include <tao/pegtl/contrib/parse_tree.hpp>
#include <utility>
#include <vector>

#include "rubric/ast.hpp"
#include "rubric/grammar/messages.hpp"

namespace rubric::grammar {

namespace pt = tao::pegtl::parse_tree;

// Rules kept in the tree: the parser's and the formatter's, so that the grammar's parse tree
// is instantiated once (parsing the whole grammar into a tree is most of the build's time).
// Operator chains fold away when they have one operand.
//
// The formatter (impl/format_syntax.inl) needs the extent of each block member and of the
// declarations; the parser's conversion (impl/parse.inl) reads the tree it had before they
// were shared, which parser_view() below gives back: the formatter-only nodes (format_only)
// spliced out, their children in their place, and no content on the nodes whose content
// only the formatter reads (content_for_format).
template <typename Rule>
using selector = pt::selector<
    Rule,
    pt::store_content::on<header_field, section_member, case_member, case_decl, section_by_name, case_word, item_member, task_member, test_member, file_member,
                          expect_fraction, header, section_decl, item_decl, bonus_decl, adjustments_decl, task_decl, test_decl,
                          tier_band, neg, call, number, amount, tier_bound, tier_score, drop_step, drop_target, range_lo, range_hi,
                          node_points, string_lit, label, node_name, test_name, header_title, header_text,
                          name, input_name, ratio_name, count_var, given_name, call_name, code, node_code,
                          round_places, cmp_op, warn_label, warn_target, warn_threshold, grade_label, grade_bound, veto_cap, veto_label, signed_amount, expect_value, expect_warning_label, rank_best, rank_worst, test_unit_name, rank_higher, rank_lower, mul_op, add_op, choice_word, choice_label, points_subject, points_otherwise, true_lit, false_lit, expect_target,
                          ratio_zero_value, expect_den, given_value, missing_zero, missing_error, missing_value, kw_undefined, let_name, score_ref_code, score_ref>,
    pt::fold_one::on<mul_expr, add_expr, cmp_expr, and_expr, or_expr>,
    pt::remove_content::on<
        meta_text, mul_tail, add_tail, not_form, if_form, if_else_part, list_lit, each_form, each_max, each_of,
        tier_form, tier_subject, tier_else, points_form, max_points_form, points_entry, rank_form, rank_subject, rank_among,
        rank_linear, rank_places, rank_proportional, test_unit, warn_decl, warn_score, warn_condition, grade_decl, grade_band, grade_otherwise, veto_decl, veto_condition,
        expect_grade, expect_warning, expect_no_warning, adjust_max, adjust_min, deduct_form, penalty_form, deduct_term, deduct_max,
        deduct_from, drop_form, drop_of, count_form, count_where, checklist_form, check_item, input_decl,
        type_bool, type_count, type_percent, type_decimal, type_judged, type_choice, type_listof, input_range,
        missing_clause, ratio_decl, ratio_if_zero, meta_requirement, meta_standard, meta_method, meta_evidence,
        meta_owners, meta_deadline, meta_measures, meta_note, meta_lead, meta_support, score_clause, score_label,
        subject_clause, given_clause, given_item, expect_clause,
        expect_item, header_document, header_issuer, header_date, header_edition, header_note,
        header_total, header_rounding, round_half_up, round_half_even, header_missing, let_decl, call_among>>;

// Nodes only the formatter reads (see selector).
inline bool format_only(const pt::node& n) {
    return n.is_type<header_field>() || n.is_type<section_member>() || n.is_type<case_member>() || n.is_type<item_member>() ||
           n.is_type<task_member>() || n.is_type<test_member>() || n.is_type<file_member>() ||
           n.is_type<expect_fraction>();
}
// Nodes whose content only the formatter reads: the parser's tree had them without.
inline bool content_for_format(const pt::node& n) {
    return n.is_type<header>() || n.is_type<section_decl>() || n.is_type<case_decl>() || n.is_type<item_decl>() || n.is_type<bonus_decl>() ||
           n.is_type<adjustments_decl>() || n.is_type<task_decl>() || n.is_type<test_decl>() || n.is_type<tier_band>() || n.is_type<neg>() ||
           n.is_type<call>() || n.is_type<score_ref>();
}

// The parser's view of a tree parsed with `selector` (see there). Iterative, so that the
// deepest tree the nesting limit allows needs no stack: each node's children are rebuilt
// once, the spliced-out nodes' children taking their place, in order.
inline void parser_view(pt::node& root) {
    std::vector<pt::node*> todo{&root};
    while (!todo.empty()) {
        pt::node& n = *todo.back();
        todo.pop_back();
        bool splice = false;
        for (const auto& c : n.children) splice = splice || format_only(*c);
        if (splice) {
            pt::node::children_t kept;
            // A stack of child lists still to take from, so nested spliced nodes unfold in order.
            std::vector<std::pair<pt::node::children_t*, std::size_t>> from{{&n.children, 0}};
            while (!from.empty()) {
                auto& [list, at] = from.back();
                if (at == list->size()) {
                    from.pop_back();
                    continue;
                }
                std::unique_ptr<pt::node>& c = (*list)[at++];
                if (format_only(*c)) from.emplace_back(&c->children, 0);
                else kept.push_back(std::move(c));
            }
            n.children = std::move(kept);  // the spliced-out nodes (now empty) go with the old list
        }
        for (const auto& c : n.children) {
            if (content_for_format(*c)) c->remove_content();
            todo.push_back(c.get());
        }
    }
}

}  // namespace rubric::grammar
