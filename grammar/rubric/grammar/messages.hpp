// rubric: the message for each grammar rule that must match once its keyword
// has been seen (PEGTL's json_errors.hpp pattern: grammar in rules.hpp, text here).
// Every rule used inside must<> needs a message: the control class below is
// instantiated with RequireMessage = true, so a missing one fails to compile.
#pragma once

#include "rubric/grammar/rules.hpp"

namespace rubric::grammar {

// What the author should have written, phrased as "expected …".
template <typename Rule>
inline constexpr const char* expected = nullptr;

#define RUBRIC_EXPECT(rule, text) \
    template <>                   \
    inline constexpr const char* expected<rule> = text;

RUBRIC_EXPECT(nesting_too_deep, "less deeply nested brackets or blocks (the nesting limit was reached)")
RUBRIC_EXPECT(escape_char, "an escape \\\" \\\\ \\n or \\t after a backslash")
RUBRIC_EXPECT(string_close, "a closing \" to end the text")
RUBRIC_EXPECT(expr, "a value: a number such as 0.5 or 80%, a name, `(`, or a form such as `each 0.5 max 2`")
RUBRIC_EXPECT(operand, "a value after the operator: a number, a name or `(`")
RUBRIC_EXPECT(add_rhs, "a value after + or -: a number, a name or `(`")
RUBRIC_EXPECT(cmp_rhs, "a value to compare with, such as 80% or 3")
RUBRIC_EXPECT(not_operand, "a condition after `not`")
RUBRIC_EXPECT(and_rhs, "a condition after `and`")
RUBRIC_EXPECT(or_rhs, "a condition after `or`")
RUBRIC_EXPECT(if_cond, "a condition after `if`, such as `覆盖率 >= 80%`")
RUBRIC_EXPECT(kw_then, "`then` after the condition of `if`")
RUBRIC_EXPECT(if_then, "the score after `then`")
RUBRIC_EXPECT(if_else, "the score after `else`")
RUBRIC_EXPECT(paren_close, "`)` to close the bracket")
RUBRIC_EXPECT(list_close, "`]` to close the list (items are separated by commas)")
RUBRIC_EXPECT(amount, "a number of points, such as 0.5 or 2")
RUBRIC_EXPECT(each_subject, "what to count after `of`: a list such as [a, b] or a count")
RUBRIC_EXPECT(tier_band, "a tier such as `>=90%:3` (a comparison, a threshold, `:`, the points)")
RUBRIC_EXPECT(tier_bound, "a threshold such as 80% or 5 after the comparison")
RUBRIC_EXPECT(colon, "`:` between the threshold and its points, as in `>=80%:2`")
RUBRIC_EXPECT(tier_score, "the points of this tier after `:`, as in `>=80%:2`")
RUBRIC_EXPECT(kw_per, "`per` and what is counted, as in `deduct 1 per 逾期次数`")
RUBRIC_EXPECT(deduct_count, "what is counted after `per`: a count or a number")
RUBRIC_EXPECT(deduct_terms, "the points per occurrence, as in `1 per 逾期次数`")
RUBRIC_EXPECT(drop_step, "the step of the drop after `per`, such as 1%")
RUBRIC_EXPECT(kw_below, "`below` and the full-score level, as in `drop 0.1 per 1% below 100%`")
RUBRIC_EXPECT(drop_target, "the full-score level after `below`, such as 100%")
RUBRIC_EXPECT(add_expr, "a value: a number, a name or `(`")
RUBRIC_EXPECT(count_what, "a list of conditions [a, b, c], or `x in LIST where CONDITION`")
RUBRIC_EXPECT(kw_in, "`in` and the list to count in, as in `count d in 各领域占比 where d > 80%`")
RUBRIC_EXPECT(count_list, "the list to count in")
RUBRIC_EXPECT(kw_where, "`where` and the condition a member must meet")
RUBRIC_EXPECT(count_cond, "the condition after `where`")
RUBRIC_EXPECT(lbracket, "`[` to open a list")
RUBRIC_EXPECT(check_items, "checklist items such as `分工: 0.5`, separated by commas")
RUBRIC_EXPECT(input_name, "the name of the input")
RUBRIC_EXPECT(input_type, "an input type: bool, count, percent, decimal, judged, choice [..] or list of percent")
RUBRIC_EXPECT(list_element, "the element type of the list: percent, count or decimal")
RUBRIC_EXPECT(choice_words, "the choices, such as [完备, 较完备, 不完备]")
RUBRIC_EXPECT(missing_policy, "what a missing fact means: zero, error, or a default value")
RUBRIC_EXPECT(ratio_name, "the name of the ratio")
RUBRIC_EXPECT(equals, "`=`")
RUBRIC_EXPECT(ratio_num, "the numerator of the ratio (a name, a number or a bracket)")
RUBRIC_EXPECT(ratio_slash, "`/` between the numerator and the denominator")
RUBRIC_EXPECT(ratio_den, "the denominator of the ratio (a name, a number or a bracket)")
RUBRIC_EXPECT(kw_zero, "`zero`, as in `if zero 0`")
RUBRIC_EXPECT(ratio_zero_value, "the value when the denominator is zero: a number or `undefined`")
RUBRIC_EXPECT(meta_text, "a text in double quotes")
RUBRIC_EXPECT(meta_list, "one or more department names in double quotes, separated by commas")
RUBRIC_EXPECT(string_lit, "a text in double quotes")
RUBRIC_EXPECT(score_expr, "the scoring rule after `score`, such as `each 0.5 max 2`, `rate * 1` or `tier >=90%:3 >=80%:2`")
RUBRIC_EXPECT(subject_expr, "the value the item's forms apply to")
RUBRIC_EXPECT(node_name, "the name in double quotes, as in item 1.1.1 \"建立健全重大行政决策程序制度\" 1 { … }")
RUBRIC_EXPECT(lbrace, "`{` to open the block")
RUBRIC_EXPECT(block_close, "`}` to close the block, or a clause that belongs in it")
RUBRIC_EXPECT(given_item, "a fact such as `录入率 = 85%`")
RUBRIC_EXPECT(given_value, "a value: true, false, a number, a percent, a text in quotes or a list")
RUBRIC_EXPECT(expect_item, "an expected score such as `1.2.4 = 0.4` or `total = 100`")
RUBRIC_EXPECT(expect_den, "the denominator of the expected fraction, as in 2/3")
RUBRIC_EXPECT(number, "a number such as 100 or 0.5")
RUBRIC_EXPECT(test_name, "the name of the test in double quotes")
RUBRIC_EXPECT(header_title, "the rubric's title in double quotes")
RUBRIC_EXPECT(header_text, "a text in double quotes")
RUBRIC_EXPECT(round_places, "the number of decimal places to show, such as 2")
RUBRIC_EXPECT(end_of_file,
              "a declaration: section, item, bonus, task, input, ratio or test (or a `}` is missing or extra)")

#undef RUBRIC_EXPECT

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
