// rubric: evaluating a program against one unit's facts.
//
// The hot path: `evaluate()` runs the program's flat instruction list over a
// register file owned by an `evaluation` context. After the context's first use
// with a program it does not allocate (numbers that fit in 64-bit fractions stay
// inline; see decimal.hpp). A context belongs to one thread at a time; the
// program may be shared.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "rubric/compile.hpp"
#include "rubric/facts.hpp"

namespace rubric {

class evaluation {
public:
    evaluation() = default;
    explicit evaluation(const program& p) { prepare(p); }

    // Sizes the registers for `p` and loads its constants (done by evaluate() when needed).
    void prepare(const program& p);

    [[nodiscard]] const decimal& node_score(node_id id) const { return node_scores_[id]; }
    // The raw (unclamped) sum of an item's parts, for explanations.
    [[nodiscard]] const decimal& raw_score(node_id id) const { return raw_scores_[id]; }
    [[nodiscard]] const decimal& total() const noexcept { return total_; }
    [[nodiscard]] const decimal& bonus() const noexcept { return bonus_; }
    [[nodiscard]] const value& reg(std::uint32_t r) const { return regs_[r]; }
    [[nodiscard]] const std::vector<std::uint8_t>& undefined_parts() const noexcept { return part_undefined_; }
    // Per warning of the rubric (ast::warnings): 1 when it applies to the unit just scored.
    [[nodiscard]] const std::vector<std::uint8_t>& warnings() const noexcept { return warnings_; }
    [[nodiscard]] bool any_warning() const noexcept {
        for (auto w : warnings_)
            if (w) return true;
        return false;
    }

private:
    friend void evaluate(const program&, const fact_set&, evaluation&);
    friend class cohort_evaluation;
    // The cohort's results for the unit about to be scored, one per program::cohort_slots()
    // (set by cohort_evaluation; null: none). `measuring_`: its first pass, which leaves
    // them undefined and reads only the values the cohort rules rank.
    const value* cohort_values_ = nullptr;
    std::vector<value> cohort_results_;  // where cohort_evaluation works them out
    const class cohort_evaluation* cohort_ = nullptr;
    std::size_t cohort_unit_ = 0;
    bool measuring_ = false;

public:
    // The cohort this unit was scored in (for explanations), or null; and the unit's index in it.
    [[nodiscard]] const class cohort_evaluation* cohort() const noexcept { return cohort_; }
    [[nodiscard]] std::size_t cohort_unit() const noexcept { return cohort_unit_; }

private:
    const program* prepared_for_ = nullptr;
    std::vector<value> regs_;
    std::vector<decimal> node_scores_, raw_scores_;
    std::vector<std::uint8_t> part_undefined_;
    std::vector<std::uint8_t> warnings_;  // per part register: the part was undefined (scored 0)
    decimal total_, bonus_;
};

// Thrown by evaluate() for a program with cohort rules (program::needs_cohort()) when
// no cohort is bound: such a unit can only be scored together with the others
// (cohort_evaluation.hpp). Never thrown for a program without cohort rules.
class cohort_required : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// Scores every node. `facts` must have been bound to the same program.
void evaluate(const program& p, const fact_set& facts, evaluation& ev);

// The cost of evaluate(p, facts, …) in steps: each instruction of the program once,
// plus the condition of every `count … where` once per element of its list (nested
// loops multiply), where an instruction costs one step while its operands fit 64 bits
// and (limbs of both operands)^2 steps when they are big numbers (their sizes are
// bounded from the facts and the constants, without evaluating). Saturates at the
// largest std::uint64_t. Costs one pass over the program (and over the elements of
// each list a loop reads); allocates nothing once a thread has run it.
// This is what bind_options::max_eval_steps bounds.
[[nodiscard]] std::uint64_t evaluation_steps(const program& p, const fact_set& facts);
// evaluation_steps() for facts of the given sizes, one per input (as size_of_value() gives
// them). The steps only grow with the sizes, so this bounds every unit whose facts are each
// within them: a season run checks it once instead of once per unit. UINT64_MAX when the
// program has list inputs (their lengths are the facts').
[[nodiscard]] std::uint64_t evaluation_steps_within(const program& p, const std::vector<value_size>& sizes);

}  // namespace rubric
