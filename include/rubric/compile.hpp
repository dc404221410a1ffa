// rubric: lowering a checked rubric into an immutable, flat program
// (cel-cpp's planner step). A program is built once and evaluated many times;
// it is never modified after compile(), so one program may be shared by any
// number of threads, each with its own `evaluation` scratch space.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rubric/check.hpp"

namespace rubric {

// A value in a register: an exact number, or undefined (a ratio whose
// denominator is zero). Conditions are 0 / 1.
struct value {
    decimal v;
    bool undefined = false;
};

enum class opcode : std::uint8_t {
    ratio,        // dst = clamp(a / b) or if_zero; n = ratio index
    neg, not_, add, sub, mul, div,
    compare,      // dst = a cmp b
    and_, or_,
    select,       // operands [c0, v0, c1, v1, …, else?]; flag = has_else
    min, max,     // operands
    clamp,        // a, b, c
    round,        // a, constant places k (flag: half_even)
    floor, ceil, abs,
    reach,        // min(1, a / b)
    each_list,    // constants k = amount, k+1 = cap (flag: has cap); operands = conditions
    each_count,   // a = count
    count_list,   // operands = conditions
    count_where,  // a = list input index; b = loop register; c = condition register; [n, jump target) body
    pick,         // a = a choice; constants k .. k+count: the points of each choice; undefined: undefined
    pick_max,     // a = list input index (of choices); constants as pick; the most points held (none: 0)
    checklist,    // operands = conditions; constants from k
    tier,         // a = subject; bands from `bands[n .. n+count)`; constant k = else score
    deduct,       // terms from `terms[n .. n+count)`; constant k = cap (flag), k+1 = base
    penalty,      // terms; constant k = cap (flag); the result is minus the capped sum
    drop,         // a = subject; constants k: amount, step, target, base
    jump,         // pc = n
};

struct instruction {
    opcode op{};
    cmp_op cmp = cmp_op::ge;
    bool flag = false;
    std::uint32_t dst = 0, a = 0, b = 0, c = 0;
    std::uint32_t k = 0;      // first constant
    std::uint32_t n = 0;      // first operand / band / term, or jump target
    std::uint32_t count = 0;  // number of operands / bands / terms
};

struct compiled_band {
    cmp_op op;
    decimal bound, score;
    std::uint32_t bound_reg = no_id;  // a bound read from the cohort: this register, not `bound`
};
struct compiled_term {
    decimal per;
    std::uint32_t count_reg;
};

// A value read from the cohort: a `rank` form or a cohort_… aggregate. The program
// computes nothing for it; before a unit is scored, the cohort's result for that
// unit is loaded into `reg` (cohort_evaluation.hpp), the way a fact is.
enum class cohort_kind : std::uint8_t { rank, mean, min, max, count };
struct cohort_slot {
    cohort_kind kind = cohort_kind::rank;
    expr_id expr = no_id;
    std::uint32_t reg = 0;        // where the result goes
    std::uint32_t value_reg = 0;  // what is ranked or aggregated (count: the condition)
    node_id value_node = no_id;   // score(CODE) ranked or aggregated: that node's score, not value_reg
    std::uint32_t among_reg = no_id;  // rank: which units take part (no_id: all)
    std::uint32_t stage = 0;      // the measuring pass that works it out (checked_rubric::cohort_stages)
    bool higher_is_better = false;
    rank_mapping mapping = rank_mapping::linear;
    std::vector<decimal> nums;    // the mapping's points (ast.hpp, rank_mapping)
};

// A warning (预警) of the rubric, ready to test after a unit is scored.
struct warning_plan {
    std::uint32_t condition_reg = no_id;  // a condition's register, or no_id for a score rule
    node_id node = no_id;                 // score rule: the node, or no_id for the total
    cmp_op op = cmp_op::lt;
    decimal threshold;                    // in points (a percent already multiplied out)
};

// How a fact is read and validated.
struct input_slot {
    std::string name;
    input_type type;
    input_type element;
    std::optional<decimal> lo, hi;
    std::vector<std::string> choices;
    std::vector<std::string> choice_labels;  // beside choices: the office's label, "" for none
    missing_policy missing;  // resolved: zero, error or value
    decimal missing_value;
    std::uint32_t reg;       // register that holds it
};

// A bound on the size of a value, for evaluation_steps() (evaluate.hpp): log2 of |value| (m)
// and of its denominator (d), and whether the denominator divides a power of ten (dec).
struct value_size {
    double m = 0, d = 0;
    bool dec = true;
};
[[nodiscard]] value_size size_of_value(const decimal& v) noexcept;

struct node_plan {
    node_kind kind;
    decimal points;                       // items and bonus: the clamp; sections: declared
    bool signed_score = false;            // an item inside adjustments: its sum is not kept within [0, points]
    std::optional<decimal> adjust_max, adjust_min;  // adjustments: the caps of the sum
    std::uint32_t parts_begin = 0, parts_count = 0;  // into part_regs
    std::uint32_t children_begin = 0, children_count = 0;  // into child_ids
};

class program;
using program_ptr = std::shared_ptr<const program>;

namespace detail {
class lowering;
// What a program is made of: written once by compile(), then read by the evaluator, the step
// counter and explanations (through internals()). Not part of the public interface: it changes
// with the evaluator.
struct program_data {
    std::vector<instruction> code_;
    std::vector<decimal> constants_;
    std::vector<std::uint32_t> operands_;
    std::vector<compiled_band> bands_;
    std::vector<compiled_term> terms_;
    std::vector<input_slot> inputs_;
    std::vector<cohort_slot> cohort_slots_;
    std::vector<warning_plan> warnings_;  // per ast::warnings
    std::vector<std::uint32_t> veto_regs_;  // per ast::vetoes: its condition's register
    std::vector<node_id> adjustment_roots_;  // top-level adjustments blocks: evaluation::adjustments() adds them
    std::vector<node_plan> nodes_;
    std::vector<std::uint32_t> part_regs_;
    std::vector<node_id> child_ids_;
    std::vector<node_id> post_order_;  // children before parents
    // Sections `by` an attribute (applies.hpp); both empty for a rubric without them.
    std::vector<std::uint32_t> node_gate_;               // per node: the register that is 1 where it applies, or no_id
    std::vector<std::vector<std::uint32_t>> case_gate_;  // per node: per case of a `by` section, its register
    std::vector<std::uint32_t> reg_of_;  // per expression
    std::vector<std::uint32_t> ratio_reg_;
    std::vector<std::uint32_t> ratio_num_, ratio_den_;  // registers
    std::vector<std::optional<decimal>> ratio_if_zero_;
    std::vector<std::uint8_t> ratio_clamp_;
    std::unordered_map<std::string, std::uint32_t> input_index_;
    std::vector<std::uint32_t> preamble_regs_;   // constant registers …
    std::vector<decimal> preamble_values_;       // … and their values
    std::vector<value_size> constant_sizes_, preamble_sizes_;  // size_of_value of constants_, preamble_values_
    std::size_t register_count_ = 0;
    std::shared_ptr<const checked_rubric> rubric_;
};
[[nodiscard]] const program_data& internals(const program& p) noexcept;
}  // namespace detail

class program : private detail::program_data {
public:
    [[nodiscard]] const checked_rubric& rubric() const noexcept { return *rubric_; }
    [[nodiscard]] const ast& tree() const noexcept { return rubric_->tree; }
    [[nodiscard]] const std::vector<input_slot>& inputs() const noexcept { return inputs_; }
    // Index into inputs(), or -1.
    [[nodiscard]] int find_input(std::string_view name) const;
    [[nodiscard]] std::size_t register_count() const noexcept { return register_count_; }
    [[nodiscard]] std::uint32_t reg_of(expr_id e) const { return reg_of_[e]; }
    [[nodiscard]] std::uint32_t ratio_reg(std::uint32_t r) const { return ratio_reg_[r]; }
    [[nodiscard]] std::size_t node_count() const noexcept { return nodes_.size(); }
    // Rules that read the cohort; a program with any scores units only in a cohort.
    [[nodiscard]] const std::vector<cohort_slot>& cohort_slots() const noexcept { return cohort_slots_; }
    [[nodiscard]] bool needs_cohort() const noexcept { return !cohort_slots_.empty(); }
    // The measuring passes over the cohort before the scoring one: 1 + the latest slot's stage
    // (0 without cohort rules). A rank of score(N) where N reads the cohort itself needs more
    // than one.
    [[nodiscard]] std::size_t cohort_stages() const noexcept {
        std::size_t n = 0;
        for (const cohort_slot& c : cohort_slots_) n = std::max<std::size_t>(n, c.stage + std::size_t{1});
        return n;
    }
    // The rubric has `adjustments` (综合奖扣分): outputs then show them and the grand total.
    [[nodiscard]] bool has_adjustments() const noexcept { return !adjustment_roots_.empty(); }
    // Per veto of the rubric (ast::vetoes): the register of its condition (grade.hpp reads it).
    [[nodiscard]] std::uint32_t veto_reg(std::size_t v) const { return veto_regs_[v]; }

    // The length of the program's instruction list (loop bodies included once).
    [[nodiscard]] std::size_t instruction_count() const noexcept { return code_.size(); }

private:
    friend class detail::lowering;
    friend program_ptr compile(checked_rubric rubric);
    friend const detail::program_data& detail::internals(const program& p) noexcept;
};

inline const detail::program_data& detail::internals(const program& p) noexcept { return p; }

// Lowers a checked rubric. Cannot fail for a rubric the checker accepted.
[[nodiscard]] program_ptr compile(checked_rubric rubric);

}  // namespace rubric
