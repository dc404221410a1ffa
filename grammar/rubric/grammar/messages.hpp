// rubric: the message for each grammar rule that must match once its keyword
// has been seen (PEGTL's json_errors.hpp pattern: grammar in rules.hpp, messages here).
// Every rule used inside must<> needs a message: the control class below is
// instantiated with RequireMessage = true, so a missing one fails to compile.
//
// The message raised is a catalog id, "expected.RULE"; its text, in each language,
// is in include/rubric/impl/messages_en.inl and messages_zh.inl (all user-visible
// text in one place per language). parse() turns the id into the diagnostic's
// `expected` line.
#pragma once

#include "rubric/grammar/rules.hpp"

namespace rubric::grammar {

// What the author should have written: the catalog id of an "expected …" text.
template <typename Rule>
inline constexpr const char* expected = nullptr;

// Every rule that has a message.
#define RUBRIC_GRAMMAR_EXPECTED(X) \
    X(nesting_too_deep) \
    X(escape_char) \
    X(string_close) \
    X(expr) \
    X(operand) \
    X(add_rhs) \
    X(cmp_rhs) \
    X(not_operand) \
    X(and_rhs) \
    X(or_rhs) \
    X(if_cond) \
    X(kw_then) \
    X(if_then) \
    X(if_else) \
    X(paren_close) \
    X(list_close) \
    X(amount) \
    X(each_subject) \
    X(tier_band) \
    X(rank_subject) \
    X(call_among_cond) \
    X(drop_level) \
    X(score_ref_code) \
    X(warn_label) \
    X(warn_when) \
    X(warn_threshold) \
    X(grade_band) \
    X(grade_ge) \
    X(grade_bound) \
    X(grade_sep) \
    X(grade_otherwise) \
    X(grade_label) \
    X(veto_label) \
    X(veto_if) \
    X(veto_condition) \
    X(signed_amount) \
    X(expect_value) \
    X(expect_warning_label) \
    X(kw_warning_word) \
    X(kw_if_) \
    X(range_sep) \
    X(tier_else) \
    X(rank_direction) \
    X(rank_cond) \
    X(rank_mapping) \
    X(rank_best) \
    X(rank_worst) \
    X(rank_place_scores) \
    X(test_unit_name) \
    X(tier_bound) \
    X(colon) \
    X(tier_score) \
    X(kw_per) \
    X(deduct_count) \
    X(deduct_terms) \
    X(drop_step) \
    X(kw_below) \
    X(drop_target) \
    X(add_expr) \
    X(count_what) \
    X(kw_in) \
    X(count_list) \
    X(kw_where) \
    X(count_cond) \
    X(lbracket) \
    X(check_items) \
    X(points_entries) \
    X(input_name) \
    X(input_type) \
    X(list_element) \
    X(choice_words) \
    X(missing_policy) \
    X(ratio_name) \
    X(let_name) \
    X(section_by_name) \
    X(case_words) \
    X(let_expr) \
    X(equals) \
    X(ratio_num) \
    X(ratio_slash) \
    X(ratio_den) \
    X(kw_zero) \
    X(ratio_zero_value) \
    X(meta_text) \
    X(meta_list) \
    X(string_lit) \
    X(score_expr) \
    X(subject_expr) \
    X(node_name) \
    X(lbrace) \
    X(block_close) \
    X(given_item) \
    X(given_value) \
    X(expect_item) \
    X(expect_den) \
    X(number) \
    X(test_name) \
    X(header_title) \
    X(header_text) \
    X(round_places) \
    X(end_of_file)

#define RUBRIC_EXPECT(rule) \
    template <>             \
    inline constexpr const char* expected<rule> = "expected." #rule;
RUBRIC_GRAMMAR_EXPECTED(RUBRIC_EXPECT)
#undef RUBRIC_EXPECT

// The ids of all of them (the catalogs must have each: tests/unit/messages_test.cpp).
#define RUBRIC_EXPECT_ID(rule) "expected." #rule,
inline constexpr const char* expected_ids[] = {RUBRIC_GRAMMAR_EXPECTED(RUBRIC_EXPECT_ID)};
#undef RUBRIC_EXPECT_ID

struct errors {
    template <typename Rule>
    static constexpr const char* message = expected<Rule>;
    // Only must<> raises: a rule with a message may still fail quietly elsewhere
    // (keywords are tried as lookaheads all the time).
    template <typename Rule>
    static constexpr bool raise_on_failure = false;
};

template <typename Rule>
using control = tao::pegtl::must_if<errors, tao::pegtl::normal, true>::control<Rule>;

}  // namespace rubric::grammar
