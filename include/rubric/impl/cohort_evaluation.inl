// Definitions for rubric/cohort_evaluation.hpp: the two passes of cohort scoring.
#pragma once

#include <algorithm>
#include <numeric>

#include "rubric/cohort_evaluation.hpp"
#include "rubric/config.hpp"

namespace rubric {

RUBRIC_FUNC cohort_evaluation::cohort_evaluation(program_ptr p)
    : p_(std::move(p)), slots_(p_->cohort_slots().size()) {
    scratch_.prepare(*p_);
}

RUBRIC_FUNC int cohort_evaluation::slot_of(expr_id e) const noexcept {
    const auto& cs = p_->cohort_slots();
    for (std::size_t i = 0; i < cs.size(); ++i)
        if (cs[i].expr == e) return static_cast<int>(i);
    return -1;
}

RUBRIC_FUNC void cohort_evaluation::measure(const fact_set& facts, std::string_view group) {
    if (ranked_) throw std::logic_error("cohort_evaluation::measure() after rank()");
    auto [it, added] = group_index_.try_emplace(std::string(group), static_cast<std::uint32_t>(group_index_.size()));
    unit_group_.push_back(it->second);
    if (slots_ == 0) return;
    scratch_.measuring_ = true;
    rubric::evaluate(*p_, facts, scratch_);
    scratch_.measuring_ = false;
    for (const cohort_slot& c : p_->cohort_slots()) {
        measured_.push_back(scratch_.reg(c.value_reg));
        among_.push_back(c.among_reg == no_id || detail::truthy(scratch_.reg(c.among_reg)) ? 1 : 0);
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

RUBRIC_FUNC void cohort_evaluation::rank() {
    ranked_ = true;
    const std::size_t n = unit_group_.size();
    results_.assign(n * slots_, value{decimal(), true});
    placings_.assign(n * slots_, cohort_placing{});
    // Units of each group, in order.
    std::vector<std::vector<std::size_t>> members(group_index_.size());
    for (std::size_t u = 0; u < n; ++u) members[unit_group_[u]].push_back(u);
    const auto& cs = p_->cohort_slots();
    std::vector<std::size_t> part;
    for (std::size_t s = 0; s < slots_; ++s) {
        const cohort_slot& c = cs[s];
        auto at = [&](std::size_t u) { return u * slots_ + s; };
        for (const auto& group : members) {
            part.clear();
            for (std::size_t u : group) {
                placings_[at(u)].measured = measured_[at(u)];
                const bool defined = !measured_[at(u)].undefined;
                const bool in = c.kind == cohort_kind::rank ? defined && among_[at(u)] : c.kind == cohort_kind::count || defined;
                if (in) part.push_back(u);
            }
            const auto of = static_cast<std::uint32_t>(part.size());
            if (c.kind == cohort_kind::rank) {
                // best first; equal values keep their order (stable), then share the better rank
                std::stable_sort(part.begin(), part.end(), [&](std::size_t a, std::size_t b) {
                    const decimal& x = measured_[at(a)].v;
                    const decimal& y = measured_[at(b)].v;
                    return c.higher_is_better ? y < x : x < y;
                });
                const decimal best = part.empty() ? decimal() : measured_[at(part.front())].v;
                std::uint32_t r = 0;
                for (std::size_t i = 0; i < part.size(); ++i) {
                    const decimal& v = measured_[at(part[i])].v;
                    if (i == 0 || v != measured_[at(part[i - 1])].v) r = static_cast<std::uint32_t>(i + 1);
                    cohort_placing& pl = placings_[at(part[i])];
                    pl.took_part = true;
                    pl.rank = r;
                    pl.of = of;
                    pl.best = best;
                    results_[at(part[i])] = value{detail::rank_points(c, r, of, v, best), false};
                }
                continue;
            }
            // aggregates: one value for the whole group
            value agg{decimal(), true};
            if (c.kind == cohort_kind::count) {
                std::int64_t k = 0;
                for (std::size_t u : part) k += detail::truthy(measured_[at(u)]) ? 1 : 0;
                agg = value{decimal(k), false};
            } else if (!part.empty()) {
                decimal acc = measured_[at(part.front())].v;
                for (std::size_t i = 1; i < part.size(); ++i) {
                    const decimal& v = measured_[at(part[i])].v;
                    if (c.kind == cohort_kind::mean) acc += v;
                    else if (c.kind == cohort_kind::min ? v < acc : acc < v) acc = v;
                }
                if (c.kind == cohort_kind::mean) acc /= decimal(static_cast<std::int64_t>(part.size()));
                agg = value{acc, false};
            }
            for (std::size_t u : group) {
                results_[at(u)] = agg;
                cohort_placing& pl = placings_[at(u)];
                pl.took_part = c.kind == cohort_kind::count || !measured_[at(u)].undefined;
                pl.of = of;
            }
        }
    }
}

RUBRIC_FUNC void cohort_evaluation::evaluate(std::size_t unit, const fact_set& facts, evaluation& ev) const {
    if (!ranked_) throw std::logic_error("cohort_evaluation::evaluate() before rank()");
    if (unit >= unit_group_.size()) throw std::out_of_range("cohort_evaluation::evaluate(): no such unit");
    static const value none{};
    ev.cohort_values_ = slots_ ? results_.data() + unit * slots_ : &none;
    ev.cohort_ = this;
    ev.cohort_unit_ = unit;
    rubric::evaluate(*p_, facts, ev);
    ev.cohort_values_ = nullptr;  // a later evaluate() of this context must bind them again
}

}  // namespace rubric
