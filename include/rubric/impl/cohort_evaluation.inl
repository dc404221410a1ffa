// Definitions for rubric/cohort_evaluation.hpp: the two passes of cohort scoring.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <stdexcept>

#include "rubric/cohort_evaluation.hpp"
#include "rubric/config.hpp"
#include "rubric/detail/small_fraction.hpp"
#include "rubric/detail/truthy.hpp"

namespace rubric {

RUBRIC_FUNC cohort_evaluation::cohort_evaluation(program_ptr p)
    : p_(std::move(p)), slots_(p_->cohort_slots().size()), stages_(std::max<std::size_t>(1, p_->cohort_stages())) {
    scratch_.prepare(*p_);
}

RUBRIC_FUNC int cohort_evaluation::slot_of(expr_id e) const noexcept {
    const auto& cs = p_->cohort_slots();
    for (std::size_t i = 0; i < cs.size(); ++i)
        if (cs[i].expr == e) return static_cast<int>(i);
    return -1;
}

RUBRIC_FUNC void cohort_evaluation::measure(const fact_set& facts, std::string_view group) {
    if (ranked_) throw std::logic_error("cohort_evaluation::measure() after the last rank()");
    if (stage_ > 0) {
        // A later stage: the same units again, with what the earlier stages worked out.
        const std::size_t unit = measured_now_;
        if (unit >= unit_group_.size()) throw std::logic_error("cohort_evaluation::measure(): more units than the first pass");
        const auto g = group_index_.find(std::string(group));
        if (g == group_index_.end() || g->second != unit_group_[unit])
            throw std::logic_error("cohort_evaluation::measure(): a unit's group changed between the passes");
        ++measured_now_;
        known_.resize(slots_);
        const auto& cs = p_->cohort_slots();
        for (std::size_t s = 0; s < slots_; ++s)
            known_[s] = cs[s].stage < stage_ ? result_of(unit, s) : value{decimal(), true};
        detail::evaluate_in_cohort(*p_, facts, known_.data(), scratch_);
        keep_measures(unit, scratch_);
        return;
    }
    if (unit_group_.size() >= UINT32_MAX) throw std::length_error("cohort_evaluation: too many units");
    auto [it, added] = group_index_.try_emplace(std::string(group), static_cast<std::uint32_t>(group_index_.size()));
    unit_group_.push_back(it->second);
    ++measured_now_;
    if (slots_ == 0) return;
    detail::evaluate_in_cohort(*p_, facts, nullptr, scratch_);  // measuring: the cohort's values undefined
    measured_.resize(measured_.size() + slots_);
    flags_.resize(flags_.size() + slots_, undefined_flag);  // a later stage's slots: measured in its pass
    keep_measures(unit_group_.size() - 1, scratch_);
}

RUBRIC_FUNC void cohort_evaluation::keep_measures(std::size_t unit, const evaluation& ev) {
    value node_value;
    const auto& cs = p_->cohort_slots();
    for (std::size_t s = 0; s < slots_; ++s) {
        const cohort_slot& c = cs[s];
        if (c.stage != stage_) continue;
        // score(CODE): the node's score, from the full run of the unit (general path)
        if (c.value_node != no_id) node_value = value{ev.node_score(c.value_node), false};
        const value& v = c.value_node != no_id ? node_value : ev.reg(c.value_reg);
        measured_[at(unit, s)] = v.v;
        const bool among = c.among_reg == no_id || detail::truthy(ev.reg(c.among_reg));
        flags_[at(unit, s)] = static_cast<std::uint8_t>((v.undefined ? undefined_flag : 0) | (among ? among_flag : 0));
    }
}

namespace detail {

// rank r (1-based) of n units under a rank form's mapping; `v` and `best` for proportional.
inline decimal rank_points(const cohort_slot& c, std::uint32_t r, std::uint32_t n, const decimal& v,
                           const decimal& best) {
    const auto& k = c.nums;
    switch (c.mapping) {
        case rank_mapping::linear:
            if (n <= 1) return k[0];
            return k[0] - decimal(static_cast<std::int64_t>(r - 1)) * (k[0] - k[1]) /
                              decimal(static_cast<std::int64_t>(n - 1));
        case rank_mapping::places:
            return r - 1 < k.size() - 1 ? k[r - 1] : k.back();
        case rank_mapping::proportional: {
            decimal s;
            if (c.higher_is_better) s = best.is_zero() ? k[0] : k[0] * v / best;
            else s = v.is_zero() ? k[0] : k[0] * best / v;
            if (s.sign() < 0) s = decimal();
            if (s > k[0]) s = k[0];
            return s;
        }
    }
    return decimal();
}

}  // namespace detail

RUBRIC_FUNC bool cohort_evaluation::rank() {
    if (ranked_) throw std::logic_error("cohort_evaluation::rank() after the last pass");
    const std::size_t n = unit_group_.size();
    if (stage_ > 0 && measured_now_ != n)
        throw std::logic_error("cohort_evaluation::rank(): a later pass measured fewer units than the first");
    const std::size_t group_count = group_index_.size();
    if (stage_ == 0) {
        ranks_.assign(n * slots_, 0);
        groups_.assign(group_count * slots_, group_slot{});
    }
    // Units of each group, in order: first[g] .. first[g + 1] in `order`.
    std::vector<std::uint32_t> first(group_count + 1, 0), order(n);
    for (std::uint32_t g : unit_group_) ++first[g + 1];
    for (std::size_t g = 0; g < group_count; ++g) first[g + 1] += first[g];
    {
        std::vector<std::uint32_t> next(first.begin(), first.end() - 1);
        for (std::size_t u = 0; u < n; ++u) order[next[unit_group_[u]]++] = static_cast<std::uint32_t>(u);
    }
    const auto& cs = p_->cohort_slots();
    std::vector<std::uint32_t> part;
    struct unit_key {
        detail::small_value value;
        std::uint32_t unit;
    };
    std::vector<unit_key> keys;
    for (std::size_t s = 0; s < slots_; ++s) {
        const cohort_slot& c = cs[s];
        if (c.stage != stage_) continue;  // ranked in its own pass
        for (std::size_t g = 0; g < group_count; ++g) {
            group_slot& gs = groups_[g * slots_ + s];
            part.clear();
            for (std::uint32_t i = first[g]; i < first[g + 1]; ++i)
                if (took_part(order[i], s)) part.push_back(order[i]);
            gs.of = static_cast<std::uint32_t>(part.size());
            if (c.kind == cohort_kind::rank) {
                // Best first; equal values keep their order (stable), then share the better rank.
                // What is ranked is nearly always a fraction of int64s (a rate, a score): then the
                // values are compared cross-multiplied in 128 bits, exactly, at a fraction of a
                // decimal comparison's cost (1,000,000 units: most of the ranking's time).
                keys.clear();
                for (const std::uint32_t u : part) {
                    detail::small_value k;
                    if (!measured_[at(u, s)].small_parts(k.n, k.d)) break;
                    keys.push_back({k, u});
                }
                const bool small = keys.size() == part.size();
                if (small) {
                    std::stable_sort(keys.begin(), keys.end(), [&](const unit_key& a, const unit_key& b) {
                        return c.higher_is_better ? detail::small_compare(b.value, a.value) < 0 : detail::small_compare(a.value, b.value) < 0;
                    });
                    for (std::size_t i = 0; i < keys.size(); ++i) part[i] = keys[i].unit;
                } else {
                    std::stable_sort(part.begin(), part.end(), [&](std::uint32_t a, std::uint32_t b) {
                        const decimal& x = measured_[at(a, s)];
                        const decimal& y = measured_[at(b, s)];
                        return c.higher_is_better ? y < x : x < y;
                    });
                }
                if (!part.empty()) gs.best = measured_[at(part.front(), s)];
                std::uint32_t r = 0;
                for (std::size_t i = 0; i < part.size(); ++i) {
                    if (i == 0 || (small ? detail::small_compare(keys[i].value, keys[i - 1].value) != 0
                                         : measured_[at(part[i], s)] != measured_[at(part[i - 1], s)]))
                        r = static_cast<std::uint32_t>(i + 1);
                    ranks_[at(part[i], s)] = r;
                }
                continue;
            }
            // aggregates: one value for the whole group
            if (c.kind == cohort_kind::count) {
                std::int64_t k = 0;
                for (std::uint32_t u : part)
                    k += (flags_[at(u, s)] & undefined_flag) == 0 && !measured_[at(u, s)].is_zero() ? 1 : 0;
                gs.aggregate = value{decimal(k), false};
            } else if (!part.empty()) {
                decimal acc = measured_[at(part.front(), s)];
                for (std::size_t i = 1; i < part.size(); ++i) {
                    const decimal& v = measured_[at(part[i], s)];
                    if (c.kind == cohort_kind::mean) acc += v;
                    else if (c.kind == cohort_kind::min ? v < acc : acc < v) acc = v;
                }
                if (c.kind == cohort_kind::mean) acc /= decimal(static_cast<std::int64_t>(part.size()));
                gs.aggregate = value{acc, false};
            }
        }
    }
    measured_now_ = 0;
    if (++stage_ < stages_) return true;
    ranked_ = true;
    return false;
}

RUBRIC_FUNC bool cohort_evaluation::took_part(std::size_t unit, std::size_t slot) const {
    const std::uint8_t f = flags_[at(unit, slot)];
    const bool defined = (f & undefined_flag) == 0;
    switch (p_->cohort_slots()[slot].kind) {
        // `among` (always true without one): the units of a ranking or of an aggregate's subset
        case cohort_kind::rank: return defined && (f & among_flag) != 0;
        case cohort_kind::count: return (f & among_flag) != 0;
        default: return defined && (f & among_flag) != 0;
    }
}

RUBRIC_FUNC value cohort_evaluation::result(std::size_t unit, std::size_t slot) const {
    if (!ranked_) throw std::logic_error("cohort_evaluation::result() before rank()");
    return result_of(unit, slot);
}

// A slot's result for a unit, once its stage is ranked.
RUBRIC_FUNC value cohort_evaluation::result_of(std::size_t unit, std::size_t slot) const {
    const cohort_slot& c = p_->cohort_slots()[slot];
    const group_slot& gs = groups_[unit_group_[unit] * slots_ + slot];
    if (c.kind != cohort_kind::rank) return gs.aggregate;
    const std::uint32_t r = ranks_[at(unit, slot)];
    if (r == 0) return value{decimal(), true};
    return value{detail::rank_points(c, r, gs.of, measured_[at(unit, slot)], gs.best), false};
}

RUBRIC_FUNC cohort_placing cohort_evaluation::placing(std::size_t unit, std::size_t slot) const {
    if (!ranked_) throw std::logic_error("cohort_evaluation::placing() before rank()");
    const group_slot& gs = groups_[unit_group_[unit] * slots_ + slot];
    cohort_placing pl;
    pl.took_part = took_part(unit, slot);
    pl.of = gs.of;
    pl.measured = value{measured_[at(unit, slot)], (flags_[at(unit, slot)] & undefined_flag) != 0};
    if (p_->cohort_slots()[slot].kind == cohort_kind::rank) {
        pl.rank = ranks_[at(unit, slot)];
        pl.best = gs.best;
    }
    return pl;
}

RUBRIC_FUNC void cohort_evaluation::evaluate(std::size_t unit, const fact_set& facts, evaluation& ev) const {
    if (!ranked_) throw std::logic_error("cohort_evaluation::evaluate() before rank()");
    if (unit >= unit_group_.size()) throw std::out_of_range("cohort_evaluation::evaluate(): no such unit");
    ev.cohort_results_.resize(slots_);
    for (std::size_t s = 0; s < slots_; ++s) ev.cohort_results_[s] = result(unit, s);
    ev.cohort_ = this;
    ev.cohort_unit_ = unit;
    detail::evaluate_in_cohort(*p_, facts, ev.cohort_results_.data(), ev);
}

}  // namespace rubric
