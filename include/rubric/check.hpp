// rubric: static checks of a parsed rubric, before any facts are seen.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rubric/ast.hpp"
#include "rubric/diagnostic.hpp"

namespace rubric {

// The type of an expression's value.
enum class value_kind { boolean, number, choice, list, string, invalid };
// What a number measures; comparing a percent with a count is a type error.
enum class unit { plain, count, percent };

struct value_type {
    value_kind kind = value_kind::invalid;
    unit measure = unit::plain;
    std::uint32_t choice_input = no_id;  // choice: the input whose words apply
};

// What a name in an expression refers to.
struct symbol {
    enum class kind_t { none, input, ratio, loop_var, named } kind = kind_t::none;
    std::uint32_t index = no_id;  // input, ratio or let (named) index; loop_var: the count_where expr
};

// An exact interval; an absent bound is unbounded. The checker's range analysis
// (what an item can possibly score) is interval arithmetic over these.
struct interval {
    std::optional<decimal> lo, hi;
    [[nodiscard]] static interval point(const decimal& v) { return {v, v}; }
    [[nodiscard]] static interval of(const decimal& lo, const decimal& hi) { return {lo, hi}; }
};

// A rubric that passed the checker: the tree with every code assigned, every
// name resolved, every implicit subject made explicit, and every type known.
struct checked_rubric {
    ast tree;
    std::vector<symbol> symbols;     // per expression (name expressions only)
    std::vector<value_type> types;   // per expression
    std::vector<interval> ranges;    // per expression
    std::vector<interval> node_ranges;  // per node: attainable score (after the clamp)
    std::vector<interval> raw_ranges;   // per node: before the clamp
    std::vector<bool> input_used;       // per input
    // The expressions that read the cohort (`rank` forms and cohort_… calls), in order.
    // A rubric with any needs the whole cohort to score a unit (cohort_evaluation.hpp).
    std::vector<expr_id> cohort_forms;
    // Per cohort form: the measuring pass that works it out. 0 for a form that ranks or
    // aggregates a unit's own value; a form ranking score(N) comes one pass after the latest
    // cohort form that N's score reads (cohort_evaluation.hpp).
    std::vector<std::uint32_t> cohort_stages;
    [[nodiscard]] bool needs_cohort() const noexcept { return !cohort_forms.empty(); }
    // The named values (ast::lets) in an order where each comes after every let it reads.
    std::vector<std::uint32_t> let_order;
};

struct check_options {
    bool warnings_as_errors = false;
};

struct check_result {
    std::optional<checked_rubric> rubric;  // present when there is no error
    diagnostics diags;                      // errors, warnings and notes, in source order
};

// All checks in one pass; never throws for bad input.
[[nodiscard]] check_result check(ast tree, const check_options& options = {});

// Convenience: parse + check.
[[nodiscard]] check_result parse_and_check(const source_ptr& src);

// The node with this code ("1.2.3"), or no_id.
[[nodiscard]] node_id find_node(const ast& tree, std::string_view code);

}  // namespace rubric
