// rubric: branch coverage of a rubric's scoring rules by its tests.
//
// A reviewer who unit-tests a rubric wants to know which parts of it no test has
// exercised: a tier band no test falls into, a cap never reached, a branch of an
// `if` never taken, an item never clamped. Each such place is a *goal*; running
// the tests with a tracker counts how often each goal was hit.
//
// The tracker reads the evaluation's registers after the fact, so the evaluator's
// hot path carries no instrumentation. Goals that the checker's range analysis
// shows to be impossible (a clamp that can never happen) are not listed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rubric/evaluate.hpp"
#include "rubric/messages.hpp"

namespace rubric {

struct coverage_goal {
    span where;           // the place in the rubric (a band, a condition, a form, an item)
    node_id item = no_id; // the item it belongs to
    localized what;       // what must happen, e.g. "tier band >=90%:3 matched" (translate() it)
    std::size_t hits = 0;
};

class coverage_tracker {
public:
    explicit coverage_tracker(const program& p);

    // Counts the goals that `ev`'s last evaluation of the program hit.
    void record(const evaluation& ev);

    [[nodiscard]] const std::vector<coverage_goal>& goals() const noexcept { return goals_; }
    [[nodiscard]] std::size_t covered() const noexcept;

    enum class probe_kind : unsigned char {
        tier_band, tier_none, if_branch, if_none, each_capped, each_below_cap, terms_capped, terms_below_cap,
        deduct_floored, drop_zero, drop_partial, drop_full, reach_full, reach_partial, check_met, check_unmet,
        clamp_low, clamp_high, bonus_capped, rank_first, rank_below_first, rank_otherwise, rank_out,
        adjustments_max, adjustments_min,  // id: the adjustments node
        grade_given, veto_held,  // of the whole rubric: id is the veto, index the grade
        points_choice,           // `points`: the choice of option `index` (as written; `otherwise`: an unlisted one)
        max_points_best,         // `max_points`: the highest held gives option `index`'s points
        max_points_none,         // `max_points`: no choice held
        case_applied,            // a case of a section `by` an attribute (id: the section, index: the case) applied
    };
    struct probe {
        probe_kind kind;
        std::uint32_t id;     // expression, or node for clamps
        std::uint32_t index;  // band, branch or condition
    };

private:
    [[nodiscard]] bool hit(const probe& pr, const evaluation& ev) const;

    const program* p_;
    std::vector<coverage_goal> goals_;
    std::vector<probe> probes_;  // parallel to goals_
    std::vector<unsigned char> live_;  // per expression: on the path of the last evaluation
};

}  // namespace rubric
