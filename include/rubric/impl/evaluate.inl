// Definitions for rubric/evaluate.hpp: the instruction loop.
#pragma once

#include <cstdint>

#include "rubric/config.hpp"
#include "rubric/detail/truthy.hpp"
#include "rubric/evaluate.hpp"

namespace rubric {

RUBRIC_FUNC void evaluation::prepare(const program& p) {
    regs_.assign(p.register_count(), value{});
    for (std::size_t i = 0; i < p.preamble_regs_.size(); ++i) regs_[p.preamble_regs_[i]].v = p.preamble_values_[i];
    node_scores_.assign(p.node_count(), decimal());
    raw_scores_.assign(p.node_count(), decimal());
    part_undefined_.assign(p.part_regs_.size(), 0);
    warnings_.assign(p.warnings_.size(), 0);
    prepared_for_ = &p;
}

namespace detail {

inline void set_bool(value& dst, bool b) {
    dst.undefined = false;
    dst.v = decimal(b ? 1 : 0);
}

// Runs code[begin, end) over `r`. Shared by the main flow and count_where bodies.
inline void run_code(const program& p, const fact_set& facts, std::vector<value>& r, std::uint32_t begin,
                     std::uint32_t end) {
    const instruction* code = p.code_.data();
    const decimal* k = p.constants_.data();
    const std::uint32_t* ops = p.operands_.data();
    const decimal zero;
    for (std::uint32_t pc = begin; pc < end; ++pc) {
        const instruction& in = code[pc];
        value& d = r[in.dst];
        switch (in.op) {
            case opcode::ratio: {
                const value& num = r[in.a];
                const value& den = r[in.b];
                if (num.undefined || den.undefined || den.v.is_zero()) {
                    const auto& z = p.ratio_if_zero_[in.n];
                    d.undefined = !z;
                    d.v = z ? *z : zero;
                } else {
                    d.undefined = false;
                    d.v = num.v / den.v;
                    if (p.ratio_clamp_[in.n]) {
                        if (d.v.sign() < 0) d.v = zero;
                        else if (d.v > decimal(1)) d.v = decimal(1);
                    }
                }
                break;
            }
            case opcode::neg:
                d.undefined = r[in.a].undefined;
                d.v = -r[in.a].v;
                break;
            case opcode::not_: set_bool(d, !truthy(r[in.a])); break;
            case opcode::add:
            case opcode::sub:
            case opcode::mul:
            case opcode::div: {
                const value& a = r[in.a];
                const value& b = r[in.b];
                if (a.undefined || b.undefined || (in.op == opcode::div && b.v.is_zero())) {
                    d.undefined = true;
                    d.v = zero;
                    break;
                }
                d.undefined = false;
                switch (in.op) {
                    case opcode::add: d.v = a.v + b.v; break;
                    case opcode::sub: d.v = a.v - b.v; break;
                    case opcode::mul: d.v = a.v * b.v; break;
                    default: d.v = a.v / b.v; break;
                }
                break;
            }
            case opcode::compare: {
                const value& a = r[in.a];
                const value& b = r[in.b];
                // A comparison with an undefined value (zero denominator) is false.
                set_bool(d, !a.undefined && !b.undefined && compare(a.v, in.cmp, b.v));
                break;
            }
            case opcode::and_: set_bool(d, truthy(r[in.a]) && truthy(r[in.b])); break;
            case opcode::or_: set_bool(d, truthy(r[in.a]) || truthy(r[in.b])); break;
            case opcode::select: {
                const std::uint32_t* o = ops + in.n;
                const std::uint32_t pairs = (in.count - (in.flag ? 1 : 0)) / 2;
                const value* chosen = nullptr;
                for (std::uint32_t i = 0; i < pairs; ++i) {
                    if (truthy(r[o[2 * i]])) {
                        chosen = &r[o[2 * i + 1]];
                        break;
                    }
                }
                if (!chosen && in.flag) chosen = &r[o[in.count - 1]];
                if (chosen) d = *chosen;
                else {
                    d.undefined = false;
                    d.v = zero;
                }
                break;
            }
            case opcode::min:
            case opcode::max: {
                const std::uint32_t* o = ops + in.n;
                bool undef = false;
                const decimal* best = &r[o[0]].v;
                for (std::uint32_t i = 0; i < in.count; ++i) {
                    const value& v = r[o[i]];
                    undef = undef || v.undefined;
                    if (in.op == opcode::min ? v.v < *best : v.v > *best) best = &v.v;
                }
                d.undefined = undef;
                d.v = *best;
                break;
            }
            case opcode::clamp: {
                const value& x = r[in.a];
                d.undefined = x.undefined || r[in.b].undefined || r[in.c].undefined;
                d.v = x.v < r[in.b].v ? r[in.b].v : x.v > r[in.c].v ? r[in.c].v : x.v;
                break;
            }
            case opcode::round:
                d.undefined = r[in.a].undefined;
                d.v = r[in.a].v.round(static_cast<int>(k[in.k].to_int64()),
                                      in.flag ? rounding::half_even : rounding::half_up);
                break;
            case opcode::floor: d.undefined = r[in.a].undefined; d.v = r[in.a].v.floor(); break;
            case opcode::ceil: d.undefined = r[in.a].undefined; d.v = r[in.a].v.ceil(); break;
            case opcode::abs: d.undefined = r[in.a].undefined; d.v = r[in.a].v.abs(); break;
            case opcode::reach: {
                // 按照达 T 的比例得分: min(1, x / T), and 0 below zero.
                const value& x = r[in.a];
                const value& t = r[in.b];
                if (x.undefined || t.undefined || t.v.sign() <= 0) {
                    d.undefined = true;
                    d.v = zero;
                    break;
                }
                d.undefined = false;
                if (x.v >= t.v) d.v = decimal(1);
                else if (x.v.sign() <= 0) d.v = zero;
                else d.v = x.v / t.v;
                break;
            }
            case opcode::each_list:
            case opcode::count_list: {
                std::int64_t hits = 0;
                const std::uint32_t* o = ops + in.n;
                for (std::uint32_t i = 0; i < in.count; ++i) hits += truthy(r[o[i]]) ? 1 : 0;
                d.undefined = false;
                if (in.op == opcode::count_list) {
                    d.v = decimal(hits);
                    break;
                }
                d.v = k[in.k] * decimal(hits);
                if (in.flag && d.v > k[in.k + 1]) d.v = k[in.k + 1];
                break;
            }
            case opcode::each_count: {
                const value& c = r[in.a];
                d.undefined = false;
                d.v = c.undefined ? zero : k[in.k] * c.v;
                if (in.flag && d.v > k[in.k + 1]) d.v = k[in.k + 1];
                break;
            }
            case opcode::count_where: {
                std::int64_t hits = 0;
                const auto& list = facts.lists[in.a];
                for (const decimal& el : list) {
                    r[in.b].undefined = false;
                    r[in.b].v = el;
                    run_code(p, facts, r, in.n, in.n + in.count);
                    hits += truthy(r[in.c]) ? 1 : 0;
                }
                d.undefined = false;
                d.v = decimal(hits);
                break;
            }
            case opcode::checklist: {
                const std::uint32_t* o = ops + in.n;
                d.undefined = false;
                d.v = zero;
                for (std::uint32_t i = 0; i < in.count; ++i)
                    if (truthy(r[o[i]])) d.v += k[in.k + i];
                break;
            }
            case opcode::tier: {
                const value& s = r[in.a];
                d.undefined = false;
                d.v = k[in.k];  // else score
                if (s.undefined) break;
                const compiled_band* b = p.bands_.data() + in.n;
                for (std::uint32_t i = 0; i < in.count; ++i) {
                    if (compare(s.v, b[i].op, b[i].bound)) {
                        d.v = b[i].score;
                        break;
                    }
                }
                break;
            }
            case opcode::deduct:
            case opcode::penalty: {
                decimal sum;
                const compiled_term* t = p.terms_.data() + in.n;
                for (std::uint32_t i = 0; i < in.count; ++i) {
                    const value& c = r[t[i].count_reg];
                    if (!c.undefined && !c.v.is_zero()) sum += t[i].per * c.v;
                }
                if (in.flag && sum > k[in.k]) sum = k[in.k];
                d.undefined = false;
                if (in.op == opcode::penalty) {
                    d.v = -sum;
                } else {
                    d.v = k[in.k + 1] - sum;
                    if (d.v.sign() < 0) d.v = zero;
                }
                break;
            }
            case opcode::drop: {
                // base − amount × (target − x) / step, for x below target; floored at 0.
                const value& x = r[in.a];
                d.undefined = false;
                if (x.undefined) {
                    d.v = zero;
                    break;
                }
                const decimal& amount = k[in.k];
                const decimal& step = k[in.k + 1];
                const decimal& target = k[in.k + 2];
                const decimal& base = k[in.k + 3];
                if (x.v >= target) d.v = base;
                else {
                    d.v = base - amount * ((target - x.v) / step);
                    if (d.v.sign() < 0) d.v = zero;
                }
                break;
            }
            case opcode::jump: pc = in.n - 1; break;
        }
    }
}

inline std::uint64_t add_saturated(std::uint64_t a, std::uint64_t b) noexcept {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

inline std::uint64_t mul_saturated(std::uint64_t a, std::uint64_t b) noexcept {
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

// The instructions run_code(p, facts, r, begin, end) runs, walked the way it walks them:
// a jump skips a loop body, and the count_where after the body runs it once per element.
// Recursion only for loops inside loop conditions, which the parser's nesting limit bounds.
inline std::uint64_t steps_of(const program& p, const fact_set& facts, std::uint32_t begin, std::uint32_t end) {
    std::uint64_t n = 0;
    for (std::uint32_t pc = begin; pc < end; ++pc) {
        const instruction& in = p.code_[pc];
        ++n;
        if (in.op == opcode::jump) {
            pc = in.n - 1;
        } else if (in.op == opcode::count_where) {
            const std::uint64_t items = facts.lists[in.a].size();
            if (items != 0) n = add_saturated(n, mul_saturated(items, steps_of(p, facts, in.n, in.n + in.count)));
        }
    }
    return n;
}

}  // namespace detail

RUBRIC_FUNC std::uint64_t evaluation_steps(const program& p, const fact_set& facts) {
    bool any_items = false;
    for (const auto& l : facts.lists) any_items = any_items || !l.empty();
    // Without list elements every loop body is skipped: one step per main-flow instruction,
    // at most the program's size (the exact count would cost a pass over the program).
    if (!any_items) return p.code_.size();
    return detail::steps_of(p, facts, 0, static_cast<std::uint32_t>(p.code_.size()));
}

RUBRIC_FUNC void evaluate(const program& p, const fact_set& facts, evaluation& ev) {
    if (ev.prepared_for_ != &p) ev.prepare(p);
    auto& r = ev.regs_;
    // Inputs into their registers.
    const auto& slots = p.inputs_;
    for (std::size_t i = 0; i < slots.size(); ++i) r[slots[i].reg] = facts.values[i];
    if (!p.cohort_slots_.empty()) {
        const auto& cs = p.cohort_slots_;
        if (ev.measuring_) {
            for (const auto& c : cs) r[c.reg] = value{decimal(), true};
        } else if (ev.cohort_values_ == nullptr) {
            throw cohort_required("this rubric ranks units within a cohort: score it with cohort_evaluation");
        } else {
            for (std::size_t i = 0; i < cs.size(); ++i) r[cs[i].reg] = ev.cohort_values_[i];
        }
    }
    detail::run_code(p, facts, r, 0, static_cast<std::uint32_t>(p.code_.size()));

    const decimal zero;
    ev.total_ = zero;
    ev.bonus_ = zero;
    const ast& t = p.tree();
    for (node_id id : p.post_order_) {
        const node_plan& plan = p.nodes_[id];
        decimal& out = ev.node_scores_[id];
        decimal& raw = ev.raw_scores_[id];
        raw = zero;
        if (plan.kind == node_kind::item) {
            for (std::uint32_t i = 0; i < plan.parts_count; ++i) {
                const value& v = r[p.part_regs_[plan.parts_begin + i]];
                // An undefined part (zero denominator) scores 0.
                ev.part_undefined_[plan.parts_begin + i] = v.undefined ? 1 : 0;
                if (!v.undefined) raw += v.v;
            }
            // 条目得分限定在 [0, 分值] 之内.
            out = raw.sign() < 0 ? zero : raw > plan.points ? plan.points : raw;
        } else if (plan.kind == node_kind::task) {
            out = zero;
        } else {
            for (std::uint32_t i = 0; i < plan.children_count; ++i) raw += ev.node_scores_[p.child_ids_[plan.children_begin + i]];
            out = raw;
            if (plan.kind == node_kind::bonus && raw > plan.points) out = plan.points;
        }
        if (t.nodes[id].parent == no_id) {
            if (plan.kind == node_kind::bonus) ev.bonus_ += out;
            else ev.total_ += out;
        }
    }
    for (std::size_t i = 0; i < p.warnings_.size(); ++i) {
        const warning_plan& w = p.warnings_[i];
        if (w.condition_reg != no_id) ev.warnings_[i] = detail::truthy(r[w.condition_reg]) ? 1 : 0;
        else ev.warnings_[i] = compare(w.node == no_id ? ev.total_ : ev.node_scores_[w.node], w.op, w.threshold) ? 1 : 0;
    }
}

}  // namespace rubric
