// rubric: the syntax tree of a rubric, as the parser builds it.
//
// Nodes and expressions live in flat arrays and refer to each other by index,
// so that destroying, checking or printing a deeply nested rubric never recurses
// on the C++ stack (pitfalls.md: PEGTL has no nesting limit of its own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubric/decimal.hpp"
#include "rubric/source.hpp"

namespace rubric {

using expr_id = std::uint32_t;
using node_id = std::uint32_t;
inline constexpr std::uint32_t no_id = 0xFFFFFFFFu;

// ---------------------------------------------------------------------------
// Inputs (facts)

enum class input_type {
    boolean,  // true / false (是/否, 1/0)
    count,    // whole number >= 0
    percent,  // a share in [0, 1], written 0.85 or 85%
    number,   // any decimal ("decimal" in the language)
    judged,   // an assessor's score within a declared range (酌情/打分)
    choice,   // one of a declared set of words (完备/较完备/不完备)
    list,     // a list of numbers of one element type (per-domain shares)
};

// What a missing fact means.
enum class missing_policy {
    inherit,  // the rubric's default (only on inputs)
    zero,     // not achieved: false / 0 ("未提供扣除相应分数")
    error,    // the entity cannot be scored without it
    value,    // a declared default value
};

struct input_decl {
    std::string name;
    span where;
    input_type type = input_type::boolean;
    input_type element = input_type::percent;  // for list
    std::optional<decimal> lo, hi;              // declared range (inclusive)
    std::string hi_text;                        // the upper end as written ("150%"), for messages
    std::vector<std::string> choices;           // for choice (and a list of choices)
    std::vector<std::string> choice_labels;     // beside choices: the office's label, "" for none
    std::string label;
    missing_policy missing = missing_policy::inherit;
    decimal missing_value;                      // for missing_policy::value
    node_id owner = no_id;                      // the item or section it was declared in
    bool used = true;                           // set by the checker: false when no rule reads it
};

// A ratio of two values (录入率 = 录入条数 / 总条数), clamped to [0, 1].
// A zero denominator makes it undefined, unless `if zero` gives a value.
struct ratio_decl {
    std::string name;
    span where;
    expr_id numerator = no_id;
    expr_id denominator = no_id;
    std::optional<decimal> if_zero;  // empty = undefined
    bool clamp = true;
    std::string label;
    node_id owner = no_id;
};

// A named value (let 基准 = cohort_mean(平均年龄 * 人数) / cohort_mean(人数)): any expression, read
// by name in the rules of the rubric (owner no_id) or of the section it is declared in and the
// sections below. Computed once per unit, before the rules; explanations show it by name.
struct let_decl {
    std::string name;
    span where;              // the name
    expr_id expr = no_id;
    std::string label;       // optional: shown in explanations instead of the name
    node_id owner = no_id;   // the section it was declared in, or no_id (the whole rubric)
};

// ---------------------------------------------------------------------------
// Expressions

enum class cmp_op { ge, gt, le, lt, eq, ne };

enum class expr_kind {
    number,       // nums[0]; `percent` marks a literal written with %
    boolean,      // nums[0] is 0 or 1
    string,       // text: a choice word
    name,         // text: an input, ratio, `let` or loop variable name (resolved by the checker)
    neg,          // -args[0]
    not_,         // not args[0]
    add, sub, mul, div,
    compare,      // args[0] op args[1]
    and_, or_,
    if_,          // args = cond0, then0, cond1, then1, …, [else]; has_else says if the last is there
    call,         // text(args…): min max clamp round round_even floor ceil abs reach cohort_…;
                  // has_among: a cohort aggregate over a subset, its `among` condition the last arg;
                  // text "score", args[0] a string holding a node code: score(1.2), the node's score
    list,         // [args…]
    each,         // nums[0] per hit, nums[1] cap if has_cap; args[0] subject or no_id (item's subject)
    count,        // count [c…]  → args[0] is a list of conditions
    count_where,  // count text in args[0] where args[1]
    checklist,    // checklist [c0: nums[0], c1: nums[1], …]; args = conditions
    tier,         // args[0] subject or no_id; bands; has_else → nums[0] else score; a band's bound
                  // read from the cohort is its `level`, also in args (after args[0]) for the walks
    deduct,       // terms; nums[0] cap if has_cap; floor at 0 from base (nums[1] if has_base, else item points)
    penalty,      // terms; nums[0] cap if has_cap; minus the amount (<= 0): a part that takes points off
    drop,         // drop nums[0] per nums[1] below nums[2]; args[0] subject or no_id; base nums[3] if has_base;
                  // args[1], when there, the level (a cohort aggregate) in place of nums[2]
    rank,         // args[0] value ranked across the cohort, args[1] `among` condition or no_id;
                  // `mapping` turns the rank into points with nums (see rank_mapping)
    points,       // args[0] a choice; `options` as written; the checker sets nums: the points per
                  // choice, in the input's order (an unlisted one gets `otherwise`)
    max_points,   // args[0] a list of choices; options and nums as `points`; the most points of
                  // the choices the list holds (an empty list: 0)
};

// One `word: points` of a `points` / `max_points` form (`otherwise: 0` when `otherwise`).
struct choice_points {
    std::string word;
    decimal points;
    bool otherwise = false;
    span where;
};

// How a rank in the cohort becomes points (the `rank` form).
enum class rank_mapping : std::uint8_t {
    linear,        // nums = {best, worst}: 1st gets best, last gets worst, evenly between by place
    places,        // nums = {1st, 2nd, …, otherwise}: a table of places; later places get `otherwise`
    proportional,  // nums = {best}: best × value / best value (higher), best × best value / value (lower)
};

struct tier_band {
    cmp_op op = cmp_op::ge;
    bool percent = false;  // the bound was written as a percent (80%)
    decimal bound;
    decimal score;
    span where;
    expr_id level = no_id;  // the bound read from the cohort (>= cohort_mean(x): 3), in place of `bound`
};

struct deduct_term {
    decimal per;       // points per occurrence
    expr_id count = no_id;
};

struct expr_node {
    expr_kind kind = expr_kind::number;
    span where;
    cmp_op op = cmp_op::ge;          // compare
    bool percent = false;            // number literal written as a percent
    bool has_else = false;           // if_, tier
    bool has_cap = false;            // each, deduct, penalty
    bool has_base = false;           // deduct, drop
    bool higher_is_better = false;   // rank: `higher` (else `lower`)
    bool has_among = false;          // call: cohort_…(VALUE among CONDITION), the condition last in args
    rank_mapping mapping = rank_mapping::linear;  // rank
    std::string text;                // name / string / call / count_where variable
    std::vector<decimal> nums;
    std::vector<expr_id> args;
    std::vector<tier_band> bands;    // tier
    std::vector<deduct_term> terms;  // deduct, penalty
    std::vector<choice_points> options;  // points, max_points
};

// ---------------------------------------------------------------------------
// Structure

enum class node_kind {
    section,  // a level with children (一级/二级指标)
    item,     // a scored leaf (三级指标)
    bonus,    // 附加分: a section whose points are a cap outside the total
    task,     // an unscored task (重点任务分工): owners and deadline only
    adjustments,  // 综合奖扣分: signed awards and deductions, added after the total within [min, max]
};

// Verbatim text of the published table, kept for every output.
struct metadata {
    std::string requirement;  // 评分要求
    std::string standard;     // 评分标准 (the prose rule)
    std::string method;       // 评价方式
    std::string evidence;     // 提交说明
    std::string owners;       // 责任部门, verbatim
    std::vector<std::string> lead;     // 牵头
    std::vector<std::string> support;  // 配合
    std::string deadline;     // 时限
    std::string measures;     // 工作措施 (tasks)
    std::string note;         // 备注
};

struct score_part {
    std::string label;  // optional: shown in explanations
    expr_id expr = no_id;
    span where;
};

// One `case` of a section `by` an attribute (section … by 责任单位 { case "县水利局" { … } }): the
// choices of the attribute it is for. Its members are children of the section, each with this
// case's index (node::case_index).
struct node_case {
    std::vector<std::string> words;      // as written: a choice word or its label
    std::vector<span> word_spans;
    std::vector<std::uint32_t> options;  // set by the checker: the choices' indices in the input
    span where;                          // the keyword
};

struct node {
    node_kind kind = node_kind::item;
    std::string code;           // "1.2.3": explicit, or derived from order by the checker
    bool code_explicit = false;
    std::string name;
    std::optional<decimal> points;
    span where;                 // the keyword
    span code_span, points_span;
    node_id parent = no_id;
    std::vector<node_id> children;
    metadata meta;
    std::vector<score_part> parts;   // items: summed, then clamped to [0, points] (not inside adjustments)
    std::optional<decimal> adjust_max, adjust_min;  // adjustments: the caps of the block's sum (max +5 min -10)
    span adjust_span;                // adjustments: where the caps are written
    expr_id subject = no_id;         // `subject X`: the value of subject-less forms
    std::vector<std::uint32_t> inputs;  // indices of inputs declared inside
    std::vector<std::uint32_t> ratios;  // indices of ratios declared inside
    // A section `by` an attribute: its children are grouped in cases, and only those of the case
    // that names a unit's attribute apply to the unit (applies.hpp).
    std::string by;                     // the attribute's name, "" for an ordinary section
    span by_span;
    std::uint32_t by_input = no_id;     // set by the checker: the attribute's index in ast::inputs
    std::vector<node_case> cases;
    std::uint32_t case_index = no_id;   // a child of a `by` section: its case in the parent's `cases`
};

// ---------------------------------------------------------------------------
// Tests written in the rubric language

struct test_given {
    std::string name;
    std::string value;  // text as written, typed like a fact (true, 3, 85%, "完备", [0.8, 0.9])
    span where;
};

struct test_expect {
    std::string code;  // node code, or "total" / "bonus" / "adjustments" / "grand_total" / "grade" / "warning" / "no warning"
    decimal score;
    std::string label;  // "grade": the grade expected; "warning": the label of the warning expected to apply
    span where;
};

// One unit of a cohort test: its own facts (added to the test's shared `given`) and
// the scores expected for it.
struct test_unit {
    std::string name;
    span where;
    std::vector<test_given> given;
    std::vector<test_expect> expect;
};

struct test_case {
    std::string name;
    span where;
    std::vector<test_given> given;    // a cohort test: given to every unit
    std::vector<test_expect> expect;  // a cohort test: none (each unit has its own)
    std::vector<test_unit> units;     // empty: a test of one unit; else the units evaluated together
};

// ---------------------------------------------------------------------------
// Warnings (预警) declared in the rubric: flagged for a unit in every output.

struct warning_rule {
    std::string label;
    span where;
    std::string target;          // node code or "total" (a score rule); empty for a condition
    span target_span;
    cmp_op op = cmp_op::lt;
    decimal threshold;           // points, or a share of the target's points when `percent`
    bool percent = false;
    expr_id condition = no_id;   // a condition over the unit's facts
};

// ---------------------------------------------------------------------------
// Grades (等级) and vetoes (一票否决 / 一票否优): the appraisal's last word on a unit.
// The grade is read off the grand total (total + bonus) by the first band whose bound it
// reaches; a veto whose condition holds lowers it (grade.hpp says exactly how).

struct grade_band {
    std::string label;
    decimal bound;     // the grand total reaches this (>=) for the band's grade
    span where;
};

struct grade_scale {
    std::vector<grade_band> bands;  // from the best grade down, bounds strictly falling
    std::string lowest;             // `otherwise`: every grand total below the last bound
    span where, lowest_where;
};

struct veto_rule {
    std::string label;      // the rule's text, shown when it fires
    std::string cap;        // "": the unit gets the lowest grade; else it is not graded `cap` or better
    span where, cap_where;
    expr_id condition = no_id;
};

// ---------------------------------------------------------------------------

struct rubric_header {
    std::string title;
    span where;
    std::string document, issuer, date, edition, note;
    std::optional<decimal> total;
    span total_span;
    int display_places = 2;
    rounding display_rounding = rounding::half_up;
    missing_policy missing = missing_policy::zero;
    decimal missing_value;
};

struct ast {
    source_ptr source;
    rubric_header header;
    bool has_header = false;
    std::vector<node> nodes;
    std::vector<node_id> roots;  // top-level nodes in order
    std::vector<input_decl> inputs;
    std::vector<ratio_decl> ratios;
    std::vector<let_decl> lets;  // named values, in document order
    std::vector<expr_node> exprs;
    std::vector<test_case> tests;
    std::vector<warning_rule> warnings;
    std::optional<grade_scale> grades;  // at most one `grade` declaration
    std::vector<veto_rule> vetoes;
};

[[nodiscard]] const char* to_string(input_type t) noexcept;
[[nodiscard]] const char* to_string(cmp_op op) noexcept;
[[nodiscard]] bool compare(const decimal& a, cmp_op op, const decimal& b) noexcept;

}  // namespace rubric
