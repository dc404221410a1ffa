// Definitions for rubric/cohort.hpp.
#pragma once

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rubric/applies.hpp"
#include "rubric/cohort.hpp"
#include "rubric/config.hpp"
#include "rubric/display.hpp"
#include "rubric/grade.hpp"

namespace rubric {

RUBRIC_FUNC const char* to_chinese(trend t) noexcept {
    switch (t) {
        case trend::up: return "进步";
        case trend::down: return "退步";
        case trend::same: return "持平";
        case trend::new_unit: return "新增";
    }
    return "新增";
}

RUBRIC_FUNC const char* to_string(trend t) noexcept {
    switch (t) {
        case trend::up: return "up";
        case trend::down: return "down";
        case trend::same: return "same";
        case trend::new_unit: return "new";
    }
    return "new";
}

RUBRIC_FUNC std::vector<node_id> ranked_sections(const program& p) {
    const ast& t = p.tree();
    std::vector<node_id> out;
    for (node_id r : t.roots)
        if (t.nodes[r].kind == node_kind::section) out.push_back(r);
    return out;
}

RUBRIC_FUNC unit_result capture(const program& p, const fact_set& facts, const evaluation& ev, std::string group,
                                capture_scope scope) {
    unit_result u;
    u.entity = facts.entity;
    u.name = facts.display_name;
    u.group = std::move(group);
    if (scope == capture_scope::every_node) {
        u.nodes.resize(p.node_count());
        for (node_id id = 0; id < p.node_count(); ++id) u.nodes[id] = ev.node_score(id);
        if (has_cases(p.tree())) {
            u.applies.resize(p.node_count());
            for (node_id id = 0; id < p.node_count(); ++id) u.applies[id] = applies(p, facts, id) ? 1 : 0;
        }
    }
    const ast& t = p.tree();
    for (node_id r : t.roots)
        if (t.nodes[r].kind == node_kind::section) u.sections.push_back(ev.node_score(r));
    u.total = ev.total();
    u.bonus = ev.bonus();
    u.adjustments = ev.adjustments();
    const auto& ws = t.warnings;
    for (std::size_t i = 0; i < ws.size() && i < ev.warnings().size(); ++i)
        if (ev.warnings()[i]) u.warnings.push_back(ws[i].label);
    if (const grade_result g = grade_of(p, ev); g.graded) {
        u.grade = grade_label(p.tree(), g.grade);
        for (std::uint32_t v : g.vetoes) u.vetoes.push_back(p.tree().vetoes[v].label);
    }
    return u;
}

RUBRIC_FUNC bool ranks_by_grand_total(const program& p) noexcept { return p.has_adjustments(); }

RUBRIC_FUNC decimal ranked_score(const program& p, const unit_result& u) {
    return ranks_by_grand_total(p) ? u.grand_total() : u.total;
}

RUBRIC_FUNC std::vector<std::uint32_t> competition_ranks(const std::vector<decimal>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[b] < values[a]; });
    std::vector<std::uint32_t> rank(values.size(), 0);
    for (std::size_t k = 0; k < order.size(); ++k) {
        // Equal to the unit before it: the same rank; otherwise its place (1-based).
        if (k > 0 && values[order[k]] == values[order[k - 1]]) rank[order[k]] = rank[order[k - 1]];
        else rank[order[k]] = static_cast<std::uint32_t>(k + 1);
    }
    return rank;
}

namespace detail {

// Groups in order of first appearance: the member indices of each.
template <class Unit>
std::vector<std::pair<std::string, std::vector<std::size_t>>> group_members(const std::vector<Unit>& units) {
    std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const auto [it, fresh] = at.emplace(units[i].group, groups.size());
        if (fresh) groups.emplace_back(units[i].group, std::vector<std::size_t>{});
        groups[it->second].second.push_back(i);
    }
    return groups;
}

// Whether `id` lies under a bonus section or adjustments (its points are outside the total).
inline bool under_bonus(const ast& t, node_id id) {
    for (node_id n = id; n != no_id; n = t.nodes[n].parent)
        if (t.nodes[n].kind == node_kind::bonus || t.nodes[n].kind == node_kind::adjustments) return true;
    return false;
}

}  // namespace detail

RUBRIC_FUNC lost_points_tally::lost_points_tally(const program& p) {
    const ast& t = p.tree();
    for (const node_id id : document_order(t)) {
        const node& n = t.nodes[id];
        if (n.kind != node_kind::item || !n.points || detail::under_bonus(t, id)) continue;
        item_tally it;
        it.item = id;
        it.points = *n.points;
        items_.push_back(std::move(it));
    }
}

template <class ScoreOf, class Applies>
void lost_points_tally::add_scores(const ScoreOf& score_of, const Applies& applies) {
    for (auto& it : items_) {
        if (!applies(it.item)) continue;
        const decimal lost = it.points - score_of(it.item);
        if (lost.sign() > 0) {
            ++it.units_losing;
            it.points_lost += lost;
        }
    }
}

RUBRIC_FUNC void lost_points_tally::add(const evaluation& ev) {
    add_scores([&](node_id id) { return ev.node_score(id); }, [](node_id) { return true; });
}

RUBRIC_FUNC void lost_points_tally::add(const std::vector<decimal>& node_scores) {
    add_scores([&](node_id id) { return id < node_scores.size() ? node_scores[id] : decimal(); }, [](node_id) { return true; });
}

RUBRIC_FUNC void lost_points_tally::add(const evaluation& ev, const program& p, const fact_set& facts) {
    add_scores([&](node_id id) { return ev.node_score(id); }, [&](node_id id) { return applies(p, facts, id); });
}

RUBRIC_FUNC void lost_points_tally::add(const unit_result& u) {
    add_scores([&](node_id id) { return id < u.nodes.size() ? u.nodes[id] : decimal(); },
               [&](node_id id) { return u.applies.empty() || (id < u.applies.size() && u.applies[id] != 0); });
}

RUBRIC_FUNC cohort_report analyse_cohort(const program& p, const std::vector<unit_result>& results,
                                         const std::vector<previous_unit>* previous, const cohort_options& options) {
    lost_points_tally lost(p);
    for (const auto& u : results) lost.add(u);
    return analyse_cohort(p, results, lost, previous, options);
}

RUBRIC_FUNC cohort_report analyse_cohort(const program& p, const std::vector<unit_result>& results,
                                         const lost_points_tally& lost, const std::vector<previous_unit>* previous,
                                         const cohort_options& options) {
    const ast& t = p.tree();
    cohort_report out;
    out.sections = ranked_sections(p);
    out.has_previous = previous != nullptr;
    out.by_grand_total = ranks_by_grand_total(p);

    // The previous period: ranks recomputed within the previous groups.
    struct prior {
        decimal total;
        std::uint32_t rank;
    };
    std::unordered_map<std::string, prior> before;
    if (previous) {
        std::unordered_map<std::string_view, std::size_t> now;  // only with a previous period: a million ids cost
        for (std::size_t i = 0; i < results.size(); ++i) now.emplace(results[i].entity, i);
        for (const auto& [group, members] : detail::group_members(*previous)) {
            std::vector<decimal> totals;
            for (std::size_t i : members) totals.push_back((*previous)[i].total);
            const auto ranks = competition_ranks(totals);
            for (std::size_t k = 0; k < members.size(); ++k) {
                const previous_unit& u = (*previous)[members[k]];
                before.emplace(u.entity, prior{u.total, ranks[k]});
                if (now.find(u.entity) == now.end())
                    out.departed.push_back(departed_unit{u.entity, u.name, u.group, u.total, ranks[k]});
            }
        }
    }

    for (const auto& [group, members] : detail::group_members(results)) {
        group_ranking g;
        g.group = group;
        std::vector<decimal> totals;
        for (std::size_t i : members) totals.push_back(ranked_score(p, results[i]));
        const auto ranks = competition_ranks(totals);
        std::vector<std::vector<std::uint32_t>> section_ranks;
        for (std::size_t s = 0; s < out.sections.size(); ++s) {
            std::vector<decimal> scores;
            for (std::size_t i : members) scores.push_back(results[i].sections[s]);
            section_ranks.push_back(competition_ranks(scores));
            g.section_best.push_back(scores.empty() ? decimal() : *std::max_element(scores.begin(), scores.end()));
        }
        for (std::size_t k = 0; k < members.size(); ++k) {
            const unit_result& u = results[members[k]];
            const decimal score = totals[k];
            ranked_unit r;
            r.unit = members[k];
            r.rank = ranks[k];
            for (std::size_t s = 0; s < out.sections.size(); ++s) r.section_ranks.push_back(section_ranks[s][k]);
            r.below = options.warn_below && score < *options.warn_below;
            r.warned = r.below || !u.warnings.empty();
            if (r.warned) ++out.warned;
            if (const auto it = before.find(u.entity); it != before.end()) {
                r.previous_total = it->second.total;
                r.previous_rank = it->second.rank;
                r.score_change = score - it->second.total;
                r.rank_change = static_cast<int>(it->second.rank) - static_cast<int>(r.rank);
                r.change = r.rank_change > 0 ? trend::up : r.rank_change < 0 ? trend::down : trend::same;
            }
            g.units.push_back(std::move(r));
        }
        std::stable_sort(g.units.begin(), g.units.end(),
                         [](const ranked_unit& a, const ranked_unit& b) { return a.rank < b.rank; });
        if (!g.units.empty()) g.leader_total = ranked_score(p, results[g.units.front().unit]);
        for (auto& r : g.units) r.gap = g.leader_total - ranked_score(p, results[r.unit]);
        out.groups.push_back(std::move(g));
    }

    // Lost points, item by item, across the whole cohort (tallied as the units were scored).
    std::map<std::string, lost_by_department> by_department;
    for (const auto& it : lost.items()) {
        if (it.units_losing == 0) continue;
        const node& n = t.nodes[it.item];
        lost_item li;
        li.item = it.item;
        li.points = it.points;
        li.units_losing = it.units_losing;
        li.points_lost = it.points_lost;
        li.lead = n.meta.lead;
        li.owners = n.meta.owners;
        for (const auto& d : li.lead) {
            auto& dep = by_department[d];
            dep.department = d;
            ++dep.items;
            dep.points_lost += li.points_lost;
        }
        out.lost.push_back(std::move(li));
    }
    std::stable_sort(out.lost.begin(), out.lost.end(), [](const lost_item& a, const lost_item& b) {
        if (a.points_lost != b.points_lost) return b.points_lost < a.points_lost;
        return a.units_losing > b.units_losing;
    });
    for (auto& [name, dep] : by_department) out.departments.push_back(std::move(dep));
    std::stable_sort(out.departments.begin(), out.departments.end(),
                     [](const lost_by_department& a, const lost_by_department& b) { return b.points_lost < a.points_lost; });
    return out;
}

}  // namespace rubric
