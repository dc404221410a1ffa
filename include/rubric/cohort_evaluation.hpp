// rubric: scoring a cohort — the units evaluated together — for rubrics whose rules
// read the other units: a `rank` form (排名计分) or a cohort aggregate (cohort_mean …).
//
// Such a unit cannot be scored alone (evaluate() throws cohort_required). Scoring
// takes two passes over the units, or more (stages, below):
//   1. measure(): each unit is evaluated once with its cohort values undefined, and
//      only what the cohort rules read is kept — per rule, the ranked value and
//      whether the unit takes part. Memory grows with (units × cohort rules), not
//      with the units' facts, so a caller may stream the facts again instead of
//      holding them.
//   2. rank(), then evaluate(i, facts, ev) for each unit with the same facts again.
//
// Stages: a rule that ranks a score, `rank score(1.2) …`, where 1.2 itself reads the
// cohort (a `drop … below cohort_mean(x)`, another rank), can only measure a unit once
// 1.2's own cohort values are known. The checker orders such rules into stages
// (program::cohort_stages(); a cycle is refused); each stage is one measuring pass
// over the units, in the same order and groups, with the results of the earlier
// stages known and the later ones undefined. rank() ends a pass and says whether
// another is needed:
//     do { for (each unit) c.measure(facts, group); } while (c.rank());
//     for (each unit i) c.evaluate(i, facts, ev);
//
// Groups: units of different groups (市直部门, 县区 …) are ranked and aggregated
// separately; a unit's group is a label given to measure() ("" for one cohort).
//
// The rules, exactly (all arithmetic is exact):
//   * Taking part in a ranking: the `among` condition is true (when given) and the
//     ranked value is defined. A unit that takes no part gets an undefined value
//     from the form: as a part of an item it scores 0, and inside `if … else` the
//     other branch decides.
//   * Ranks: ordered by the value, best first (`higher`: the largest first; `lower`:
//     the smallest first); equal values share the better rank and the next rank
//     skips the places shared (1, 2, 2, 4: "competition" ranking).
//   * linear B..W over n units: rank r gets B − (r − 1) × (B − W) / (n − 1); a single
//     unit gets B.
//   * places [p1, p2, …] otherwise q: rank r gets p_r, or q past the table.
//   * proportional B: `higher`: B × v / best, where best is the largest value; every
//     unit gets B when best is 0. `lower`: B × best / v, where best is the smallest
//     value; a unit with v = 0 gets B. The result is kept within [0, B].
//   * cohort_mean/min/max(x): over the units of the group whose x is defined
//     (undefined when none is); cohort_count(c): the units of the group where c holds.
//     With `among C` (cohort_mean(x among C)): over the units of the group where C holds.
//
// Thread safety: a cohort_evaluation is used by one thread at a time. After rank()
// it is only read, so evaluate() may then be called from several threads, each
// with its own `evaluation`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rubric/compile.hpp"
#include "rubric/evaluate.hpp"
#include "rubric/facts.hpp"

namespace rubric {

// Where one unit stands under one cohort rule (for explanations and reports).
struct cohort_placing {
    bool took_part = false;   // rank: took part in the ranking; aggregates: value defined
    std::uint32_t rank = 0;   // 1-based, when it took part
    std::uint32_t of = 0;     // units ranked (rank) or aggregated (mean/min/max/count) in its group
    value measured;           // the unit's own value of what is ranked
    decimal best;             // rank: the best value in the group
};

class cohort_evaluation {
public:
    explicit cohort_evaluation(program_ptr p);

    // A measuring pass: measures one unit. Units are numbered 0, 1, … in the order measured
    // in the first pass; a later pass measures them again in that order, each with its group.
    void measure(const fact_set& facts, std::string_view group = {});
    // Ends a measuring pass, after its last measure(): ranks and aggregates each group under the
    // rules of this stage. True when another measuring pass is needed (a later stage); false
    // when the units may be scored.
    bool rank();
    // The measuring passes this cohort takes (program::cohort_stages(), at least 1).
    [[nodiscard]] std::size_t passes() const noexcept { return stages_; }
    // Pass 2: scores unit `unit` into `ev`; `facts` must be that unit's facts again.
    // Allocates nothing once `ev` has scored a unit of this cohort.
    void evaluate(std::size_t unit, const fact_set& facts, evaluation& ev) const;

    [[nodiscard]] std::size_t size() const noexcept { return unit_group_.size(); }
    [[nodiscard]] const program& prog() const noexcept { return *p_; }
    // Where `unit` stands under cohort rule `slot`, and what that rule gives it (after rank()).
    [[nodiscard]] cohort_placing placing(std::size_t unit, std::size_t slot) const;
    [[nodiscard]] value result(std::size_t unit, std::size_t slot) const;
    // The slot of a cohort form (program::cohort_slots() index), or -1.
    [[nodiscard]] int slot_of(expr_id e) const noexcept;

private:
    // Kept per unit and slot: 21 bytes (the measured value, two flags, the rank). What
    // a rank or aggregate shares across a group is kept once per group and slot, and a
    // unit's points are worked out from its rank when it is scored, so a million units
    // under three rank rules take about 70 MB.
    static constexpr std::uint8_t undefined_flag = 1, among_flag = 2;
    struct group_slot {
        std::uint32_t of = 0;  // units that took part
        decimal best;          // rank: the best value
        value aggregate{decimal(), true};  // cohort_mean/min/max/count: the group's value
    };
    [[nodiscard]] std::size_t at(std::size_t unit, std::size_t slot) const noexcept { return unit * slots_ + slot; }
    [[nodiscard]] bool took_part(std::size_t unit, std::size_t slot) const;
    [[nodiscard]] value result_of(std::size_t unit, std::size_t slot) const;
    // What one unit's evaluation measured: the stage's slots, from `ev` (after evaluate_in_cohort).
    void keep_measures(std::size_t unit, const evaluation& ev);

    program_ptr p_;
    std::size_t slots_ = 0;
    evaluation scratch_;
    bool ranked_ = false;
    std::size_t stages_ = 1, stage_ = 0;  // measuring passes; the one under way
    std::size_t measured_now_ = 0;         // units measured in this pass
    std::vector<value> known_;             // a later pass: the unit's values of the earlier stages
    std::unordered_map<std::string, std::uint32_t> group_index_;
    std::vector<std::uint32_t> unit_group_;
    std::vector<decimal> measured_;        // unit × slot: the value ranked or aggregated
    std::vector<std::uint8_t> flags_;      // unit × slot: undefined_flag, among_flag
    std::vector<std::uint32_t> ranks_;     // unit × slot, after rank(): rank forms' rank, 0 when out
    std::vector<group_slot> groups_;       // group × slot, after rank()
};

}  // namespace rubric
