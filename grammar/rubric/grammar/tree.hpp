// rubric: which grammar rules become parse-tree nodes, and the conversion of
// that tree into rubric::ast. Included only by impl/parse.inl.
#pragma once

#include <tao/pegtl/contrib/parse_tree.hpp>

#include "rubric/ast.hpp"
#include "rubric/grammar/messages.hpp"

namespace rubric::grammar {

namespace pt = tao::pegtl::parse_tree;

// Rules kept in the tree. Operator chains fold away when they have one operand.
template <typename Rule>
using selector = pt::selector<
    Rule,
    pt::store_content::on<number, amount, tier_bound, tier_score, drop_step, drop_target, range_lo, range_hi,
                          node_points, string_lit, label, node_name, test_name, header_title, header_text,
                          name, input_name, ratio_name, count_var, given_name, call_name, code, node_code,
                          round_places, cmp_op, warn_label, warn_target, warn_threshold, grade_label, grade_bound, veto_cap, veto_label, signed_amount, expect_value, expect_warning_label, rank_best, rank_worst, test_unit_name, rank_higher, rank_lower, mul_op, add_op, choice_word, true_lit, false_lit, expect_target,
                          ratio_zero_value, expect_den, given_value, missing_zero, missing_error, missing_value, kw_undefined>,
    pt::fold_one::on<mul_expr, add_expr, cmp_expr, and_expr, or_expr>,
    pt::remove_content::on<
        meta_text, neg, mul_tail, add_tail, not_form, if_form, if_else_part, list_lit, call, each_form, each_max, each_of,
        tier_form, tier_band, tier_subject, tier_else, rank_form, rank_subject, rank_among,
        rank_linear, rank_places, rank_proportional, test_unit, warn_decl, warn_score, warn_condition, grade_decl, grade_band, grade_otherwise, veto_decl, veto_condition, expect_grade, expect_warning, expect_no_warning, adjustments_decl, adjust_max, adjust_min, deduct_form, penalty_form, deduct_term, deduct_max,
        deduct_from, drop_form, drop_of, count_form, count_where, checklist_form, check_item, input_decl,
        type_bool, type_count, type_percent, type_decimal, type_judged, type_choice, type_listof, input_range,
        missing_clause, ratio_decl, ratio_if_zero, meta_requirement, meta_standard, meta_method, meta_evidence,
        meta_owners, meta_deadline, meta_measures, meta_note, meta_lead, meta_support, score_clause, score_label,
        subject_clause, item_decl, task_decl, section_decl, bonus_decl, given_clause, given_item, expect_clause,
        expect_item, test_decl, header, header_document, header_issuer, header_date, header_edition, header_note,
        header_total, header_rounding, round_half_up, round_half_even, header_missing>>;

}  // namespace rubric::grammar
