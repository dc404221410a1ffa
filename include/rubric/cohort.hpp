// rubric: cohorts of scored units — rankings per group, period-over-period
// changes and the lost-points analysis (失分点分析) of a quarterly report.
//
// This works on results that have already been scored, one unit at a time
// (evaluate.hpp); nothing here changes how a unit is scored. Every number is an
// exact `decimal`.
//
// Ranking rule ("competition" ranking, 1-2-2-4): units are ordered by their exact
// total (the grand total when the rubric has adjustments: ranked_score()), highest first; units with equal totals share the better rank, and the
// next rank skips as many places as units shared: totals 90, 85, 85, 80 rank
// 1, 2, 2, 4. Totals are compared exactly, not as displayed: 85.004 ranks above
// 85.001 although both are shown as 85.00. Level-1 sections are ranked the same
// way by their section score. Units that share a rank keep their input order.
//
// Groups: each unit may carry a group (市直部门, 县区, …); every group is ranked on
// its own, and groups are listed in the order in which they first appear. Units
// without a group form the group "".
//
// Period over period: the previous period's totals (for example read back from a
// report) are matched to this period's units by entity id. Previous ranks are
// recomputed from the previous totals within the previous groups, with the same
// rule, so any file with entity, group and total will do. The trend follows the
// rank within the group: 进步 (moved up), 退步 (moved down), 持平 (same rank); a
// unit without a previous result is 新增. Units of the previous period that are
// missing now are listed as departed.
//
// Lost points: for every scored item outside a bonus section, the points a unit
// lost are the item's points minus its score. Items nobody lost points on are left
// out; the rest are sorted by points lost (descending), then by the number of
// units that lost points, then in document order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubric/compile.hpp"
#include "rubric/evaluate.hpp"
#include "rubric/facts.hpp"

namespace rubric {

// The scores of one unit, kept after its evaluation context has moved on.
struct unit_result {
    std::string entity;
    std::string name;   // display name ("" when the facts have no `name`)
    std::string group;  // "" when ungrouped
    // Every node's score, per node_id; empty when captured with capture_scope::sections
    // (a report of a million units keeps only what its analysis reads).
    std::vector<decimal> nodes;
    // Per node_id, beside `nodes`: 1 where the node applies to the unit (applies.hpp); empty when
    // every node does (a rubric without sections `by` an attribute, or captured with sections only).
    std::vector<std::uint8_t> applies;
    std::vector<decimal> sections;  // the level-1 sections' scores, per cohort_report::sections
    decimal total, bonus;
    decimal adjustments;                // 综合奖扣分 (0 without `adjustments`); the grand total adds all three
    std::vector<std::string> warnings;  // labels of the rubric's warnings (预警) that apply
    std::string grade;                  // the unit's grade (grade.hpp); "" when the rubric has none
    std::vector<std::string> vetoes;    // labels of the vetoes that fired
    // What the unit ends with: total + bonus + adjustments (evaluation::grand_total()).
    [[nodiscard]] decimal grand_total() const { return total + bonus + adjustments; }
};

// The score a cohort is ranked by: the grand total when the rubric has `adjustments`
// (综合奖扣分 are added after the total, and the unit ends with the grand total), else
// the total, as before adjustments existed (a bonus alone does not change the ranking).
[[nodiscard]] bool ranks_by_grand_total(const program& p) noexcept;
[[nodiscard]] decimal ranked_score(const program& p, const unit_result& u);

// What capture() keeps of a unit: every node's score, or only the level-1 sections'
// (enough for rankings; the lost-points analysis then comes from a lost_points_tally).
enum class capture_scope { every_node, sections };

// Copies the scores of `ev` (just evaluated with `facts`) into a unit_result.
[[nodiscard]] unit_result capture(const program& p, const fact_set& facts, const evaluation& ev,
                                  std::string group = {}, capture_scope scope = capture_scope::every_node);

// The level-1 sections a cohort is ranked by (not bonus, not tasks), in document order.
[[nodiscard]] std::vector<node_id> ranked_sections(const program& p);

// The lost-points analysis (失分点分析) summed unit by unit as units are scored, so the
// item scores of a whole cohort need not be kept. Items in document order.
class lost_points_tally {
public:
    explicit lost_points_tally(const program& p);
    // Adds one unit's item scores: from its evaluation, or from a unit_result captured
    // with every node.
    void add(const evaluation& ev);
    void add(const std::vector<decimal>& node_scores);
    // The same, counting only the items that apply to the unit (applies.hpp): an item of a case
    // that is not the unit's loses it no points.
    void add(const evaluation& ev, const program& p, const fact_set& facts);
    void add(const unit_result& u);

    struct item_tally {
        node_id item = no_id;
        decimal points;
        std::size_t units_losing = 0;
        decimal points_lost;
    };
    [[nodiscard]] const std::vector<item_tally>& items() const noexcept { return items_; }

private:
    template <class ScoreOf, class Applies>
    void add_scores(const ScoreOf& score_of, const Applies& applies);
    std::vector<item_tally> items_;  // the scored items outside bonus sections
};

// A unit of the previous period: only its id, group and exact total are needed.
struct previous_unit {
    std::string entity;
    std::string name;
    std::string group;
    decimal total;  // the ranked score: the grand total when the rubric has adjustments
};

// Competition ranks (1, 2, 2, 4) of `values`, highest value first: result[i] is the
// rank of values[i].
[[nodiscard]] std::vector<std::uint32_t> competition_ranks(const std::vector<decimal>& values);

enum class trend { up, down, same, new_unit };
// "进步", "退步", "持平", "新增".
[[nodiscard]] const char* to_chinese(trend t) noexcept;
// "up", "down", "same", "new".
[[nodiscard]] const char* to_string(trend t) noexcept;

// In a ranked_unit and a group_ranking, "total" is the ranked score (ranked_score()): the
// grand total when the rubric has adjustments. So are the gap, --warn-below and the changes.
struct ranked_unit {
    std::size_t unit = 0;    // index into the results given to analyse_cohort()
    std::uint32_t rank = 0;  // within its group
    decimal gap;             // the group leader's total minus this total (>= 0)
    // Per cohort_report::sections, within the group (the scores are the unit's own,
    // unit_result::sections).
    std::vector<std::uint32_t> section_ranks;
    bool below = false;      // total below cohort_options::warn_below
    bool warned = false;     // below, or a warning of the rubric applies (unit_result::warnings)
    // Period over period (trend::new_unit and zeros when there is no previous result).
    trend change = trend::new_unit;
    decimal previous_total;
    std::uint32_t previous_rank = 0;
    decimal score_change;    // total - previous total
    int rank_change = 0;     // previous rank - rank: positive means moved up
};

struct group_ranking {
    std::string group;
    std::vector<ranked_unit> units;  // by rank, ties in input order
    decimal leader_total;
    std::vector<decimal> section_best;  // per section: the best score in the group
};

struct lost_item {
    node_id item = no_id;
    decimal points;                // the item's points
    std::size_t units_losing = 0;  // units that scored below the points
    decimal points_lost;           // summed over the cohort
    std::vector<std::string> lead; // the item's lead departments (meta.lead), else empty
    std::string owners;            // the verbatim 责任部门 text
};

// Points lost on the items a department leads (an item with several leads counts for each).
struct lost_by_department {
    std::string department;
    std::size_t items = 0;   // items it leads on which someone lost points
    decimal points_lost;
};

struct departed_unit {
    std::string entity, name, group;
    decimal previous_total;
    std::uint32_t previous_rank = 0;
};

struct cohort_options {
    std::optional<decimal> warn_below;  // flag units whose total is below this (a report option)
};

struct cohort_report {
    std::vector<node_id> sections;        // the level-1 sections (not bonus, not tasks), in order
    std::vector<group_ranking> groups;    // in order of first appearance
    std::vector<lost_item> lost;          // see the header comment for the order
    std::vector<lost_by_department> departments;  // by points lost, descending, then name
    std::vector<departed_unit> departed;  // in the previous period, not in this one
    bool has_previous = false;
    bool by_grand_total = false;          // ranked by the grand total (ranks_by_grand_total())
    std::size_t warned = 0;               // units flagged (warn_below or the rubric's warnings)
};

// Ranks the results. `previous` may be null (no period-over-period columns). The first
// form tallies lost points from the results' node scores (captured with every node);
// the second takes the tally made while the units were scored.
[[nodiscard]] cohort_report analyse_cohort(const program& p, const std::vector<unit_result>& results,
                                           const std::vector<previous_unit>* previous = nullptr,
                                           const cohort_options& options = {});
[[nodiscard]] cohort_report analyse_cohort(const program& p, const std::vector<unit_result>& results,
                                           const lost_points_tally& lost, const std::vector<previous_unit>* previous = nullptr,
                                           const cohort_options& options = {});

}  // namespace rubric
