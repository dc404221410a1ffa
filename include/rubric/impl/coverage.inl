// Definitions for rubric/coverage.hpp.
#pragma once

#include <algorithm>

#include "rubric/config.hpp"
#include "rubric/cohort_evaluation.hpp"
#include "rubric/applies.hpp"
#include "rubric/coverage.hpp"
#include "rubric/grade.hpp"
#include "rubric/messages.hpp"

namespace rubric {
namespace coverage_detail {

inline bool truthy(const value& v) noexcept { return !v.undefined && !v.v.is_zero(); }

// "90%" for a bound written as a percent, "5" otherwise.
inline std::string bound_text(const tier_band& b) {
    if (!b.percent) return b.bound.to_string();
    return (b.bound * decimal(100)).to_string() + "%";
}

// A tier threshold read from the cohort as written: a let's name, or the call up to its closing
// bracket (a call's span in the tree ends at its name: the parser keeps no content for it).
inline std::string written_level(const ast& t, expr_id level) {
    const expr_node& x = t.exprs[level];
    if (x.kind != expr_kind::call) return x.text;
    if (!t.source) return x.text + "(…)";
    const std::string& src = t.source->text;
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = x.where.begin.offset; i < src.size(); ++i) {
        const char c = src[i];
        if (quoted) {
            if (c == '\\') ++i;
            else if (c == '"') quoted = false;
            continue;
        }
        if (c == '"') quoted = true;
        const bool open = c == '(' || src.compare(i, 3, "\xEF\xBC\x88") == 0;    // ( （
        const bool close = c == ')' || src.compare(i, 3, "\xEF\xBC\x89") == 0;  // ) ）
        if (open) ++depth;
        if (close && --depth == 0)
            return src.substr(x.where.begin.offset, i + (c == ')' ? 1 : 3) - x.where.begin.offset);
    }
    return x.text + "(…)";
}

inline const char* op_text(cmp_op op) {
    switch (op) {
        case cmp_op::ge: return ">=";
        case cmp_op::gt: return ">";
        case cmp_op::le: return "<=";
        case cmp_op::lt: return "<";
        case cmp_op::eq: return "==";
        case cmp_op::ne: return "!=";
    }
    return "?";
}

}  // namespace coverage_detail

RUBRIC_FUNC coverage_tracker::coverage_tracker(const program& p) : p_(&p) {
    using namespace coverage_detail;
    const ast& t = p.tree();
    const checked_rubric& cr = p.rubric();
    auto add = [&](span where, node_id item, localized what, probe_kind k, std::uint32_t id, std::uint32_t index = 0) {
        goals_.push_back(coverage_goal{where, item, std::move(what), 0});
        probes_.push_back(probe{k, id, index});
    };
    for (node_id nid = 0; nid < t.nodes.size(); ++nid) {
        const node& n = t.nodes[nid];
        const decimal points = n.points ? *n.points : decimal(0);
        if (n.kind == node_kind::item) {
            // The expressions of the item's parts, outermost first, without recursion.
            std::vector<expr_id> stack;
            for (auto it = n.parts.rbegin(); it != n.parts.rend(); ++it) stack.push_back(it->expr);
            while (!stack.empty()) {
                const expr_id e = stack.back();
                stack.pop_back();
                if (e == no_id) continue;
                const expr_node& x = t.exprs[e];
                switch (x.kind) {
                    case expr_kind::tier:
                        for (std::uint32_t i = 0; i < x.bands.size(); ++i) {
                            const tier_band& b = x.bands[i];
                            // a bound read from the cohort: as written (cohort_mean(x))
                            const std::string bound = b.level != no_id ? written_level(t, b.level) : bound_text(b);
                            add(b.where, nid,
                                localize("coverage.tier-band",
                                         {{"band", std::string(op_text(b.op)) + bound + ":" + b.score.to_string()}}),
                                probe_kind::tier_band, e, i);
                        }
                        add(x.where, nid,
                            x.has_else ? localize("coverage.tier-otherwise", {{"points", x.nums[0].to_string()}})
                                       : localize("coverage.tier-none"),
                            probe_kind::tier_none, e);
                        break;
                    case expr_kind::if_: {
                        const std::size_t pairs = (x.args.size() - (x.has_else ? 1 : 0)) / 2;
                        for (std::uint32_t i = 0; i < pairs; ++i)
                            add(t.exprs[x.args[2 * i]].where, nid,
                                pairs == 1 ? localize("coverage.if-holds")
                                           : localize("coverage.if-first", {{"n", std::to_string(i + 1)}}),
                                probe_kind::if_branch, e, i);
                        // `else if …` is an `if` in the else branch: its own goals stand for it
                        if (!(x.has_else && t.exprs[x.args.back()].kind == expr_kind::if_))
                            add(x.where, nid, localize(x.has_else ? "coverage.if-else" : "coverage.if-none"),
                                probe_kind::if_none, e);
                        break;
                    }
                    case expr_kind::each:
                        if (x.has_cap) {
                            const message_arg cap{"cap", x.nums[1].to_string()};
                            add(x.where, nid, localize("coverage.each-capped", {cap}), probe_kind::each_capped, e);
                            add(x.where, nid, localize("coverage.each-below-cap", {cap}), probe_kind::each_below_cap, e);
                        }
                        break;
                    case expr_kind::deduct:
                    case expr_kind::penalty: {
                        const bool deduct = x.kind == expr_kind::deduct;
                        if (x.has_cap) {
                            const message_arg cap{"cap", x.nums[0].to_string()};
                            add(x.where, nid, localize(deduct ? "coverage.deduct-capped" : "coverage.penalty-capped", {cap}),
                                probe_kind::terms_capped, e);
                            add(x.where, nid,
                                localize(deduct ? "coverage.deduct-below-cap" : "coverage.penalty-below-cap", {cap}),
                                probe_kind::terms_below_cap, e);
                        }
                        if (x.kind == expr_kind::deduct) {
                            const decimal base = x.has_base ? x.nums[1] : points;
                            // floored at 0 only when the deductions can exceed the base
                            if (!x.has_cap || x.nums[0] > base)
                                add(x.where, nid, localize("coverage.deduct-floored"), probe_kind::deduct_floored, e);
                        }
                        break;
                    }
                    case expr_kind::drop:
                        add(x.where, nid, localize("coverage.drop-full"), probe_kind::drop_full, e);
                        add(x.where, nid, localize("coverage.drop-partial"), probe_kind::drop_partial, e);
                        add(x.where, nid, localize("coverage.drop-zero"), probe_kind::drop_zero, e);
                        break;
                    case expr_kind::call:
                        if (x.text == "reach" && x.args.size() == 2) {
                            add(x.where, nid, localize("coverage.reach-full"), probe_kind::reach_full, e);
                            add(x.where, nid, localize("coverage.reach-partial"), probe_kind::reach_partial, e);
                        }
                        break;
                    case expr_kind::rank:
                        // In a test's cohort: someone ranked first and someone below; past a
                        // `places` table; and, with `among`, someone left out of the ranking.
                        add(x.where, nid, localize("coverage.rank-first"), probe_kind::rank_first, e);
                        add(x.where, nid, localize("coverage.rank-below-first"), probe_kind::rank_below_first, e);
                        if (x.mapping == rank_mapping::places && !x.nums.empty())
                            add(x.where, nid,
                                localize("coverage.rank-otherwise", {{"n", std::to_string(x.nums.size() - 1)},
                                                                     {"points", x.nums.back().to_string()}}),
                                probe_kind::rank_otherwise, e);
                        if (x.args.size() > 1 && x.args[1] != no_id)
                            add(x.where, nid, localize("coverage.rank-out"), probe_kind::rank_out, e);
                        break;
                    case expr_kind::points:
                    case expr_kind::max_points: {
                        // Each option as written: made (points), or the highest held (max_points).
                        const bool most = x.kind == expr_kind::max_points;
                        for (std::uint32_t i = 0; i < x.options.size(); ++i) {
                            const choice_points& o = x.options[i];
                            add(o.where, nid,
                                localize(most ? "coverage.max-points-best" : "coverage.points-choice",
                                         {{"choice", o.otherwise ? std::string("otherwise") : o.word},
                                          {"points", o.points.to_string()}}),
                                most ? probe_kind::max_points_best : probe_kind::points_choice, e, i);
                        }
                        if (most) add(x.where, nid, localize("coverage.max-points-none"), probe_kind::max_points_none, e);
                        break;
                    }
                    case expr_kind::checklist:
                        for (std::uint32_t i = 0; i < x.args.size(); ++i) {
                            const span w = t.exprs[x.args[i]].where;
                            const message_arg entry{"n", std::to_string(i + 1)};
                            add(w, nid, localize("coverage.check-met", {entry}), probe_kind::check_met, e, i);
                            add(w, nid, localize("coverage.check-unmet", {entry}), probe_kind::check_unmet, e, i);
                        }
                        break;
                    default: break;
                }
                // Descend, except into a `count … where` condition: it runs once per
                // element, so its registers hold only the last element's values.
                const std::size_t nargs = x.kind == expr_kind::count_where ? std::min<std::size_t>(1, x.args.size()) : x.args.size();
                for (std::size_t i = nargs; i-- > 0;) stack.push_back(x.args[i]);
                for (auto it = x.terms.rbegin(); it != x.terms.rend(); ++it) stack.push_back(it->count);
            }
            // The clamp to [0, points], where the range analysis says it can happen (an item of
            // adjustments is signed: never clamped).
            const interval& raw = cr.raw_ranges[nid];
            if (detail::internals(p).nodes_[nid].signed_score) continue;
            if (!raw.lo || raw.lo->sign() < 0)
                add(n.where, nid, localize("coverage.clamp-low"), probe_kind::clamp_low, nid);
            if (!raw.hi || *raw.hi > points)
                add(n.where, nid, localize("coverage.clamp-high", {{"points", points.to_string()}}), probe_kind::clamp_high,
                    nid);
        } else if (n.kind == node_kind::adjustments) {
            // Each cap reached, where the range analysis says it can be.
            const interval& raw = cr.raw_ranges[nid];
            if (n.adjust_max && (!raw.hi || *raw.hi > *n.adjust_max))
                add(n.where, nid, localize("coverage.adjustments-max", {{"cap", n.adjust_max->to_string()}}),
                    probe_kind::adjustments_max, nid);
            if (n.adjust_min && (!raw.lo || *raw.lo < *n.adjust_min))
                add(n.where, nid, localize("coverage.adjustments-min", {{"cap", n.adjust_min->to_string()}}),
                    probe_kind::adjustments_min, nid);
        } else if (n.kind == node_kind::bonus && n.points) {
            const interval& raw = cr.raw_ranges[nid];
            if (!raw.hi || *raw.hi > points)
                add(n.where, nid, localize("coverage.bonus-capped", {{"points", points.to_string()}}),
                    probe_kind::bonus_capped, nid);
        }
    }
    // Every case of a section `by` an attribute applied to some test's unit (applies.hpp).
    for (node_id nid = 0; nid < t.nodes.size(); ++nid)
        for (std::uint32_t k = 0; k < t.nodes[nid].cases.size(); ++k)
            add(t.nodes[nid].cases[k].where, nid,
                localize("coverage.case", {{"by", attribute_shown(t, nid)}, {"case", case_shown(t, nid, k)}}),
                probe_kind::case_applied, nid, k);
    // Every grade given to some test's unit, and every veto holding for one (grade.hpp).
    if (t.grades) {
        for (std::uint32_t g = 0; g < t.grades->bands.size(); ++g)
            add(t.grades->bands[g].where, no_id, localize("coverage.grade", {{"grade", t.grades->bands[g].label}}),
                probe_kind::grade_given, no_id, g);
        add(t.grades->lowest_where, no_id, localize("coverage.grade", {{"grade", t.grades->lowest}}), probe_kind::grade_given,
            no_id, static_cast<std::uint32_t>(t.grades->bands.size()));
    }
    for (std::uint32_t v = 0; v < t.vetoes.size(); ++v)
        add(t.vetoes[v].where, no_id, localize("coverage.veto", {{"label", t.vetoes[v].label}}), probe_kind::veto_held, v);
}

RUBRIC_FUNC bool coverage_tracker::hit(const probe& pr, const evaluation& ev) const {
    using namespace coverage_detail;
    const program& p = *p_;
    const ast& t = p.tree();
    auto reg = [&](expr_id e) -> const value& { return ev.reg(p.reg_of(e)); };
    switch (pr.kind) {
        case probe_kind::clamp_low: return ev.raw_score(pr.id).sign() < 0;
        case probe_kind::clamp_high:
        case probe_kind::bonus_capped: {
            const node& n = t.nodes[pr.id];
            return n.points && ev.raw_score(pr.id) > *n.points;
        }
        case probe_kind::adjustments_max: return ev.raw_score(pr.id) > *t.nodes[pr.id].adjust_max;
        case probe_kind::adjustments_min: return ev.raw_score(pr.id) < *t.nodes[pr.id].adjust_min;
        case probe_kind::grade_given: return grade_of(p, ev).grade == pr.index;
        case probe_kind::case_applied: {
            const value& v = ev.reg(detail::internals(p).case_gate_[pr.id][pr.index]);
            return !v.undefined && !v.v.is_zero();
        }
        case probe_kind::veto_held: {
            const grade_result g = grade_of(p, ev);
            return std::find(g.vetoes.begin(), g.vetoes.end(), pr.id) != g.vetoes.end();
        }
        default: break;
    }
    const expr_node& x = t.exprs[pr.id];
    switch (pr.kind) {
        case probe_kind::tier_band:
        case probe_kind::tier_none: {
            if (x.args.empty() || x.args[0] == no_id) return false;
            const value& s = reg(x.args[0]);
            std::size_t matched = x.bands.size();
            if (!s.undefined)
                for (std::size_t i = 0; i < x.bands.size(); ++i) {
                    // a bound read from the cohort: its value; undefined, the band holds for no value
                    const value* level = x.bands[i].level != no_id ? &reg(x.bands[i].level) : nullptr;
                    if (level && level->undefined) continue;
                    if (compare(s.v, x.bands[i].op, level ? level->v : x.bands[i].bound)) {
                        matched = i;
                        break;
                    }
                }
            return pr.kind == probe_kind::tier_none ? matched == x.bands.size() : matched == pr.index;
        }
        case probe_kind::if_branch:
        case probe_kind::if_none: {
            const std::size_t pairs = (x.args.size() - (x.has_else ? 1 : 0)) / 2;
            std::size_t taken = pairs;
            for (std::size_t i = 0; i < pairs; ++i)
                if (truthy(reg(x.args[2 * i]))) {
                    taken = i;
                    break;
                }
            return pr.kind == probe_kind::if_none ? taken == pairs : taken == pr.index;
        }
        case probe_kind::each_capped:
        case probe_kind::each_below_cap: {
            const value& r = reg(pr.id);
            if (r.undefined) return false;
            const bool capped = r.v >= x.nums[1];
            return pr.kind == probe_kind::each_capped ? capped : !capped;
        }
        case probe_kind::terms_capped:
        case probe_kind::terms_below_cap:
        case probe_kind::deduct_floored: {
            // An undefined count leaves the form undefined (GRAMMAR.md): none of its goals is met.
            if (reg(pr.id).undefined) return false;
            decimal sum;
            for (const auto& term : x.terms) sum += term.per * reg(term.count).v;
            if (pr.kind == probe_kind::terms_capped) return sum >= x.nums[0];
            if (pr.kind == probe_kind::terms_below_cap) return sum < x.nums[0];
            if (x.has_cap && sum > x.nums[0]) sum = x.nums[0];
            const decimal base = x.has_base ? x.nums[1] : *t.nodes[goals_[&pr - probes_.data()].item].points;
            return sum > base;
        }
        case probe_kind::drop_full:
        case probe_kind::drop_partial:
        case probe_kind::drop_zero: {
            if (x.args.empty() || x.args[0] == no_id) return false;
            const value& s = reg(x.args[0]);
            if (s.undefined) return false;
            decimal target = x.nums[2];
            if (x.args.size() > 1) {  // below a cohort level
                const value& l = reg(x.args[1]);
                if (l.undefined) return false;
                target = l.v;
            }
            const bool below = s.v < target;
            const value& r = reg(pr.id);
            if (pr.kind == probe_kind::drop_full) return !below;
            if (pr.kind == probe_kind::drop_zero) return below && r.v.is_zero();
            return below && !r.v.is_zero();
        }
        case probe_kind::reach_full:
        case probe_kind::reach_partial: {
            const value& a = reg(x.args[0]);
            const value& b = reg(x.args[1]);
            if (a.undefined || b.undefined) return false;
            return (a.v >= b.v) == (pr.kind == probe_kind::reach_full);
        }
        case probe_kind::rank_first:
        case probe_kind::rank_below_first:
        case probe_kind::rank_otherwise:
        case probe_kind::rank_out: {
            const cohort_evaluation* c = ev.cohort();
            const int slot = c ? c->slot_of(pr.id) : -1;
            if (slot < 0) return false;
            const cohort_placing pl = c->placing(ev.cohort_unit(), static_cast<std::size_t>(slot));
            switch (pr.kind) {
                case probe_kind::rank_first: return pl.took_part && pl.rank == 1;
                case probe_kind::rank_below_first: return pl.took_part && pl.rank > 1;
                case probe_kind::rank_otherwise: return pl.took_part && pl.rank >= x.nums.size();
                default: return !pl.took_part;
            }
        }
        case probe_kind::points_choice: {
            // the choice made is the option's word (`otherwise`: a choice no option names)
            const value& c = reg(x.args[0]);
            const symbol& s = p.rubric().symbols[x.args[0]];
            if (c.undefined || s.kind != symbol::kind_t::input) return false;
            const auto& words = t.inputs[s.index].choices;
            const auto i = static_cast<std::size_t>(c.v.to_int64());
            if (i >= words.size()) return false;
            const choice_points& o = x.options[pr.index];
            if (!o.otherwise) return words[i] == o.word;
            return std::none_of(x.options.begin(), x.options.end(),
                                [&](const choice_points& q) { return !q.otherwise && q.word == words[i]; });
        }
        case probe_kind::max_points_best: {
            // the value is the option's points, and not the 0 of an empty list (unless it gives 0)
            const value& v = reg(pr.id);
            return !v.undefined && v.v == x.options[pr.index].points &&
                   (v.v.sign() != 0 || !reg(x.args[0]).v.is_zero());
        }
        case probe_kind::max_points_none: {
            const value& n = reg(x.args[0]);  // a list's register holds how many it has
            return !n.undefined && n.v.is_zero();
        }
        case probe_kind::check_met: return truthy(reg(x.args[pr.index]));
        case probe_kind::check_unmet: return !truthy(reg(x.args[pr.index]));
        default: return false;
    }
}

RUBRIC_FUNC void coverage_tracker::record(const evaluation& ev) {
    // The evaluator computes every branch of an `if` (it then selects one), so a
    // form inside a branch that was not taken has values but did not count: mark
    // the expressions on the path that decided the score, and only those.
    const program& p = *p_;
    const ast& t = p.tree();
    live_.assign(t.exprs.size(), 0);
    std::vector<expr_id> stack;
    // (The parts of an item that does not apply to the unit are on no path: applies.hpp.)
    for (node_id id = 0; id < t.nodes.size(); ++id)
        if (applies(p, ev, id))
            for (const auto& part : t.nodes[id].parts) stack.push_back(part.expr);
    while (!stack.empty()) {
        const expr_id e = stack.back();
        stack.pop_back();
        if (e == no_id || live_[e]) continue;
        live_[e] = 1;
        const expr_node& x = t.exprs[e];
        if (x.kind == expr_kind::if_) {
            const std::size_t pairs = (x.args.size() - (x.has_else ? 1 : 0)) / 2;
            bool taken = false;
            for (std::size_t i = 0; i < pairs && !taken; ++i) {
                stack.push_back(x.args[2 * i]);  // conditions are evaluated up to the one that holds
                if (coverage_detail::truthy(ev.reg(p.reg_of(x.args[2 * i])))) {
                    stack.push_back(x.args[2 * i + 1]);
                    taken = true;
                }
            }
            if (!taken && x.has_else) stack.push_back(x.args.back());
            continue;
        }
        const std::size_t nargs = x.kind == expr_kind::count_where ? std::min<std::size_t>(1, x.args.size()) : x.args.size();
        for (std::size_t i = 0; i < nargs; ++i) stack.push_back(x.args[i]);
        for (const auto& term : x.terms) stack.push_back(term.count);
    }
    for (std::size_t i = 0; i < goals_.size(); ++i) {
        const probe& pr = probes_[i];
        // A clamp is the node's; a place in a ranking is the cohort's (the unit holds it
        // whether or not its own score took that branch): neither needs the path.
        const bool off_path = pr.kind == probe_kind::clamp_low || pr.kind == probe_kind::clamp_high ||
                              pr.kind == probe_kind::bonus_capped || pr.kind == probe_kind::rank_first ||
                              pr.kind == probe_kind::rank_below_first || pr.kind == probe_kind::rank_otherwise ||
                              pr.kind == probe_kind::rank_out || pr.kind == probe_kind::grade_given ||
                              pr.kind == probe_kind::adjustments_max || pr.kind == probe_kind::adjustments_min ||
                              pr.kind == probe_kind::veto_held || pr.kind == probe_kind::case_applied;
        if (!off_path && !live_[pr.id]) continue;
        if (pr.kind != probe_kind::case_applied && goals_[i].item != no_id && !applies(p, ev, goals_[i].item)) continue;
        if (hit(pr, ev)) ++goals_[i].hits;
    }
}

RUBRIC_FUNC std::size_t coverage_tracker::covered() const noexcept {
    std::size_t n = 0;
    for (const auto& g : goals_) n += g.hits > 0;
    return n;
}

}  // namespace rubric
