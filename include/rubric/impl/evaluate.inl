// Definitions for rubric/evaluate.hpp: the instruction loop.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "rubric/config.hpp"
#include "rubric/detail/truthy.hpp"
#include "rubric/evaluate.hpp"

namespace rubric {

namespace detail {

// The program's constants for the fast path; false when one of them needs big integers.
inline bool make_small_plan(const program& p, small_plan& plan, std::vector<small_value>& regs) {
    auto small = [](const decimal& v, small_value& out) { return v.small_parts(out.n, out.d); };
    plan = small_plan{};
    // sum_scale: the lcm of the denominators seen, kept within 2^24 (a denominator that would take
    // it further is left out: its parts are summed as fractions, exactly, only slower).
    plan.sum_scale = 100;
    const auto add_to_scale = [&plan](small_value v) {
        const std::int64_t g = static_cast<std::int64_t>(small_gcd(static_cast<std::uint64_t>(plan.sum_scale),
                                                                   static_cast<std::uint64_t>(v.d)));
        std::int64_t lcm;
        if (!__builtin_mul_overflow(plan.sum_scale / g, v.d, &lcm) && lcm <= (std::int64_t{1} << 24)) plan.sum_scale = lcm;
    };
    plan.constants.resize(detail::internals(p).constants_.size());
    for (std::size_t i = 0; i < detail::internals(p).constants_.size(); ++i) {
        if (!small(detail::internals(p).constants_[i], plan.constants[i])) return false;
        add_to_scale(plan.constants[i]);
    }
    for (const compiled_band& b : detail::internals(p).bands_) {
        small_band sb{b.op, {}, {}};
        if (!small(b.bound, sb.bound) || !small(b.score, sb.score)) return false;
        add_to_scale(sb.score);
        plan.bands.push_back(sb);
    }
    for (const compiled_term& t : detail::internals(p).terms_) {
        small_term st{{}, t.count_reg};
        if (!small(t.per, st.per)) return false;
        add_to_scale(st.per);  // per_scaled: below, once sum_scale is known
        plan.terms.push_back(st);
    }
    for (const auto& z : detail::internals(p).ratio_if_zero_) {
        plan.if_zero.push_back(small_undefined);
        if (z && !small(*z, plan.if_zero.back())) return false;
    }
    for (const decimal& v : detail::internals(p).preamble_values_) {
        small_value sv;
        if (small(v, sv)) add_to_scale(sv);
    }
    for (const input_slot& in : detail::internals(p).inputs_) {
        plan.input_regs.push_back(in.reg);
        if (in.reg != plan.input_regs[0] + plan.input_regs.size() - 1) return false;  // not packed: load_lane reads them as one array
    }
    for (node_id id : detail::internals(p).post_order_) {
        const node_plan& n = detail::internals(p).nodes_[id];
        small_node sn{id, n.kind, p.tree().nodes[id].parent == no_id, 0, 0, small_zero};
        if (n.kind == node_kind::item) {
            sn.begin = n.parts_begin;
            sn.count = n.parts_count;
        } else {
            sn.begin = n.children_begin;
            sn.count = n.children_count;
        }
        if ((n.kind == node_kind::item || n.kind == node_kind::bonus) && !small(n.points, sn.points)) return false;
        add_to_scale(sn.points);
        sn.signed_score = n.signed_score;
        if (n.kind == node_kind::item && !n.signed_score) {
            const interval& raw = p.rubric().raw_ranges[id];
            bool within = raw.hi && *raw.hi <= n.points;
            for (const auto& part : p.tree().nodes[id].parts) {
                const interval& r = part.expr == no_id ? raw : p.rubric().ranges[part.expr];
                within = within && r.lo && r.lo->sign() >= 0;  // an undefined part adds 0: the sum only drops
            }
            sn.clamp = !within;
        }
        sn.has_max = n.adjust_max.has_value();
        sn.points_scaled = 0;  // set below, once sum_scale is known
        sn.has_min = n.adjust_min.has_value();
        if (sn.has_max && !small(*n.adjust_max, sn.max)) return false;
        if (sn.has_min && !small(*n.adjust_min, sn.min)) return false;
        plan.order.push_back(sn);
    }
    plan.flat_sums = p.node_count() < (std::size_t{1} << 14);
    // scale_of[0] is 1: an undefined value (0/0) scores 0 as a part, which is whole.
    plan.scale_of.assign(256, 0);
    plan.scale_of[0] = 1;
    for (std::int64_t d = 1; d < 256; ++d)
        if (plan.sum_scale % d == 0) plan.scale_of[static_cast<std::size_t>(d)] = plan.sum_scale / d;
    // v in units of 1/sum_scale, or not_whole.
    const auto scaled = [&plan](small_value v) {
        std::int64_t x;
        if (plan.sum_scale % v.d != 0 || __builtin_mul_overflow(v.n, plan.sum_scale / v.d, &x) ||
            x > (std::int64_t{1} << 48) || x < -(std::int64_t{1} << 48))
            return small_plan::not_whole;
        return x;
    };
    for (const small_value& c : plan.constants) plan.constants_scaled.push_back(scaled(c));
    for (small_term& t : plan.terms) t.per_scaled = scaled(t.per);
    plan.cap_hits.assign(detail::internals(p).code_.size(), -1);
    for (std::size_t pc = 0; pc < detail::internals(p).code_.size(); ++pc) {
        const instruction& in = detail::internals(p).code_[pc];
        if (in.op != opcode::each_list || !in.flag) continue;
        const small_value amount = plan.constants[in.k], cap = plan.constants[in.k + 1];
        if (amount.n <= 0 || cap.n < 0) continue;
        // hits × amount > cap  ⟺  hits > cap / amount  ⟺  hits > floor(cap / amount), hits a whole number
        __extension__ typedef __int128 i128;
        const i128 most = static_cast<i128>(cap.n) * amount.d / (static_cast<i128>(cap.d) * amount.n);
        if (most <= INT64_MAX) plan.cap_hits[pc] = static_cast<std::int64_t>(most);
    }
    // The instructions as the fast path runs them: the shapes of small_op where they apply (each
    // computes what its opcode's case in run_lanes computes for such an instruction).
    {
        const auto& code = detail::internals(p).code_;
        const std::uint32_t* ops = detail::internals(p).operands_.data();
        plan.code.resize(code.size());
        for (std::size_t pc = 0; pc < code.size(); ++pc) {
            small_instruction& in = plan.code[pc];
            static_cast<instruction&>(in) = code[pc];
            if (in.op == opcode::select && in.count == 2 && !in.flag) {
                in.op = small_op::select_then;
                in.a = ops[in.n];
                in.b = ops[in.n + 1];
            } else if (in.op == opcode::select && in.count == 3 && in.flag) {
                in.op = small_op::select_else;
                in.a = ops[in.n];
                in.b = ops[in.n + 1];
                in.c = ops[in.n + 2];
            } else if (in.op == opcode::each_list && in.count < (1u << 14)) {
                const std::int64_t most = plan.cap_hits[pc], amount = plan.constants_scaled[in.k];
                const std::int64_t cap = in.flag ? plan.constants_scaled[in.k + 1] : 0;
                if (amount != small_plan::not_whole && (!in.flag || (most >= 0 && cap != small_plan::not_whole))) {
                    in.op = small_op::each_scaled;
                    in.x = in.flag ? most : INT64_MAX;
                    in.y = amount;
                    in.z = cap;
                }
            } else if (in.op == opcode::checklist && in.count < (1u << 14)) {
                bool all_whole = true;
                for (std::uint32_t i = 0; i < in.count; ++i) all_whole &= plan.constants_scaled[in.k + i] != small_plan::not_whole;
                if (all_whole) in.op = small_op::checklist_whole;
            }
        }
    }
    for (small_node& sn : plan.order) {  // points' denominators divide sum_scale unless left out above
        const std::int64_t s = plan.sum_scale % sn.points.d == 0 ? plan.sum_scale / sn.points.d : 0;
        if (s == 0 || __builtin_mul_overflow(sn.points.n, s, &sn.points_scaled)) sn.points_scaled = -1;  // -1: compare as fractions
    }
    {
        // hi_scaled, children before parents: an item's points, a section's children's bounds added.
        constexpr std::int64_t bound = std::int64_t{1} << 48;
        std::vector<std::int64_t> hi(p.node_count(), -1);
        const node_id* child_ids = detail::internals(p).child_ids_.data();
        for (small_node& sn : plan.order) {
            std::int64_t h = -1;
            if (sn.kind == node_kind::task) {
                h = 0;
            } else if (sn.kind == node_kind::item) {
                if (!sn.signed_score && sn.points_scaled >= 0 && sn.points_scaled <= bound) h = sn.points_scaled;
            } else if (sn.kind == node_kind::section && !sn.has_max && !sn.has_min) {
                h = 0;
                for (std::uint32_t i = 0; i < sn.count && h >= 0; ++i) {
                    const std::int64_t c = hi[child_ids[sn.begin + i]];
                    h = c < 0 || c > bound - h ? -1 : h + c;
                }
            }
            sn.hi_scaled = plan.flat_sums ? h : -1;
            hi[sn.id] = sn.hi_scaled;
        }
    }
    for (std::uint32_t i = 0; i < plan.order.size(); ++i) {
        const small_node& sn = plan.order[i];
        if (sn.kind == node_kind::item && sn.count == 1 && (!sn.clamp || sn.signed_score))
            plan.copies.push_back({detail::internals(p).part_regs_[sn.begin], sn.id, i});
        else
            plan.others.push_back(i);
        if (sn.top_level && sn.kind != node_kind::adjustments) plan.tops.push_back(i);
    }
    plan.raw_is_score.assign(p.node_count(), 0);
    for (const small_plan::copy& c : plan.copies) plan.raw_is_score[c.id] = 1;
    for (const std::uint32_t i : plan.others) {
        const small_node& sn = plan.order[i];
        if (sn.kind == node_kind::task) {
            plan.raw_is_score[sn.id] = 1;
            continue;
        }
        if (sn.kind == node_kind::section && !sn.has_max && !sn.has_min) plan.raw_is_score[sn.id] = 1;  // no caps: its raw sum
        plan.others_to_sum.push_back(i);
    }
    for (const warning_plan& w : detail::internals(p).warnings_) {
        plan.thresholds.push_back(small_zero);
        if (w.condition_reg == no_id && !small(w.threshold, plan.thresholds.back())) return false;
    }
    for (std::size_t i = 0; i < detail::internals(p).preamble_regs_.size(); ++i)
        if (!small(detail::internals(p).preamble_values_[i], regs[detail::internals(p).preamble_regs_[i]])) return false;
    // Scores in units of 1/sum_scale where they are whole there: a tier's band scores, and the
    // constants that are only ever a choice of `if` (then, else) or a part as they are. The value is
    // the same (a fraction need not be reduced); the node sums then add them with no table look-up.
    // Constants that are compared, multiplied or divided keep their reduced form (the arithmetic's
    // fast paths want small denominators).
    for (small_band& b : plan.bands)
        if (const std::int64_t x = scaled(b.score); x != small_plan::not_whole) b.score = {x, plan.sum_scale};
    {
        std::vector<std::uint8_t> other_use(p.register_count(), 0);
        const std::uint32_t* ops = detail::internals(p).operands_.data();
        for (const instruction& in : detail::internals(p).code_) {
            if (in.op == opcode::select) {
                const std::uint32_t pairs = (in.count - (in.flag ? 1 : 0)) / 2;
                for (std::uint32_t i = 0; i < pairs; ++i) other_use[ops[in.n + 2 * i]] = 1;  // the conditions
                continue;
            }
            if (in.op == opcode::jump) continue;
            for (const std::uint32_t x : {in.a, in.b, in.c})  // whatever the opcode reads (or not)
                if (x < other_use.size()) other_use[x] = 1;
            switch (in.op) {
                case opcode::min: case opcode::max: case opcode::each_list: case opcode::count_list: case opcode::checklist:
                    for (std::uint32_t i = 0; i < in.count; ++i) other_use[ops[in.n + i]] = 1;
                    break;
                case opcode::deduct: case opcode::penalty:
                    for (std::uint32_t i = 0; i < in.count; ++i) other_use[detail::internals(p).terms_[in.n + i].count_reg] = 1;
                    break;
                default: break;
            }
        }
        for (const compiled_band& b : detail::internals(p).bands_)
            if (b.bound_reg != no_id) other_use[b.bound_reg] = 1;
        for (const warning_plan& w : detail::internals(p).warnings_)
            if (w.condition_reg != no_id) other_use[w.condition_reg] = 1;
        for (const std::uint32_t reg : detail::internals(p).preamble_regs_) {
            if (other_use[reg]) continue;
            if (const std::int64_t x = scaled(regs[reg]); x != small_plan::not_whole) regs[reg] = {x, plan.sum_scale};
        }
    }
    // The measuring pass's slice: walking back from the registers the cohort rules read, every
    // instruction that writes a needed register, and what it reads. Registers are written once
    // (one per expression, input and ratio; a loop body's only inside its loop). A jump only skips
    // a loop body; a needed `count … where` (it runs its body per element): no slice.
    const auto& code = detail::internals(p).code_;
    if (!detail::internals(p).cohort_slots_.empty()) {
        std::vector<std::uint8_t> needed(p.register_count(), 0);
        for (const cohort_slot& c : detail::internals(p).cohort_slots_) {
            needed[c.value_reg] = 1;
            if (c.among_reg != no_id) needed[c.among_reg] = 1;
        }
        std::vector<std::uint32_t> slice;
        bool sliced = true;
        for (std::uint32_t pc = static_cast<std::uint32_t>(code.size()); pc-- > 0;) {
            const instruction& in = code[pc];
            if (in.op == opcode::jump || !needed[in.dst]) continue;
            if (in.op == opcode::count_where || in.op == opcode::pick_max) {  // both read a unit's list
                sliced = false;
                break;
            }
            slice.push_back(pc);
            const std::uint32_t* o = detail::internals(p).operands_.data() + in.n;
            switch (in.op) {
                case opcode::clamp: needed[in.c] = 1; [[fallthrough]];
                case opcode::ratio: case opcode::add: case opcode::sub: case opcode::mul: case opcode::div:
                case opcode::compare: case opcode::and_: case opcode::or_: case opcode::reach: needed[in.b] = 1; [[fallthrough]];
                case opcode::neg: case opcode::not_: case opcode::round: case opcode::floor: case opcode::ceil:
                case opcode::abs: case opcode::each_count: case opcode::tier: case opcode::drop: case opcode::pick:
                    needed[in.a] = 1;
                    break;
                case opcode::select: case opcode::min: case opcode::max: case opcode::each_list: case opcode::count_list:
                case opcode::checklist:
                    for (std::uint32_t i = 0; i < in.count; ++i) needed[o[i]] = 1;
                    break;
                case opcode::deduct: case opcode::penalty:
                    for (std::uint32_t i = 0; i < in.count; ++i) needed[detail::internals(p).terms_[in.n + i].count_reg] = 1;
                    break;
                case opcode::count_where: case opcode::pick_max: case opcode::jump: break;  // not in a sliced program
            }
        }
        if (sliced) {
            plan.measure_sliced = true;
            plan.measure_code.assign(slice.rbegin(), slice.rend());
            for (std::uint32_t i = 0; i < detail::internals(p).inputs_.size(); ++i)
                if (needed[detail::internals(p).inputs_[i].reg]) plan.measure_inputs.push_back(i);
        }
    }
    // `round` has no fast version: a program that rounds is scored on the general path; nor has a
    // `drop` below a cohort level, or a `tier` with a band above one (a register, not a constant).
    for (const instruction& in : detail::internals(p).code_)
        if (in.op == opcode::round || ((in.op == opcode::drop || in.op == opcode::tier) && in.flag)) return false;
    // score(CODE) ranked or aggregated: the measuring pass reads a node's score, which the sliced
    // fast measure does not compute.
    for (const cohort_slot& c : detail::internals(p).cohort_slots_)
        if (c.value_node != no_id) return false;
    return true;
}

}  // namespace detail

RUBRIC_FUNC decimal evaluation::adjustments() const {
    decimal sum;
    if (prepared_for_)
        for (node_id id : detail::internals(*prepared_for_).adjustment_roots_) sum += node_score(id);
    return sum;
}

RUBRIC_FUNC void evaluation::prepare(const program& p) {
    regs_.assign(p.register_count(), value{});
    for (std::size_t i = 0; i < detail::internals(p).preamble_regs_.size(); ++i) regs_[detail::internals(p).preamble_regs_[i]].v = detail::internals(p).preamble_values_[i];
    node_scores_.assign(p.node_count(), decimal());
    raw_scores_.assign(p.node_count(), decimal());
    part_undefined_.assign(detail::internals(p).part_regs_.size(), 0);
    warnings_.assign(detail::internals(p).warnings_.size(), 0);
    small_regs_.assign(p.register_count(), detail::small_zero);
    small_nodes_.assign(p.node_count(), detail::small_zero);
    small_raw_.assign(p.node_count(), detail::small_zero);
    small_.usable = detail::make_small_plan(p, small_, small_regs_);
    reg_stamp_.assign(p.register_count(), 0);
    node_stamp_.assign(p.node_count(), 0);
    parts_stamp_ = 0;
    stamp_ = 0;
    scored_small_ = false;
    prepared_for_ = &p;
}

namespace detail {
// A defined fast-path value as a decimal: reduced first (the fast path does not reduce).
inline decimal to_decimal(small_value v) noexcept {
    const small_value r = small_reduced(v);
    return decimal::from_small_parts(r.n, r.d);
}
}  // namespace detail

RUBRIC_FUNC void evaluation::fill_node(node_id id) const {
    node_scores_[id] = detail::to_decimal(small_nodes_[id]);
    raw_scores_[id] = small_.raw_is_score[id] ? node_scores_[id] : detail::to_decimal(small_raw_[id]);
    node_stamp_[id] = stamp_;
}

RUBRIC_FUNC void evaluation::fill_parts() const {
    const auto& part_regs = detail::internals(*prepared_for_).part_regs_;
    for (std::size_t i = 0; i < part_regs.size(); ++i) part_undefined_[i] = detail::is_undefined(small_regs_[part_regs[i]]) ? 1 : 0;
    parts_stamp_ = stamp_;
}

RUBRIC_FUNC void evaluation::fill_reg(std::uint32_t r) const {
    const detail::small_value v = small_regs_[r];
    regs_[r] = detail::is_undefined(v) ? value{decimal(), true} : value{detail::to_decimal(v), false};
    reg_stamp_[r] = stamp_;
}

namespace detail {

inline void set_bool(value& dst, bool b) {
    dst.undefined = false;
    dst.v = decimal(b ? 1 : 0);
}

// Runs code[begin, end) over `r`. Shared by the main flow and count_where bodies.
inline void run_code(const program& p, const fact_set& facts, std::vector<value>& r, std::uint32_t begin,
                     std::uint32_t end) {
    const instruction* code = detail::internals(p).code_.data();
    const decimal* k = detail::internals(p).constants_.data();
    const std::uint32_t* ops = detail::internals(p).operands_.data();
    const decimal zero;
    for (std::uint32_t pc = begin; pc < end; ++pc) {
        const instruction& in = code[pc];
        value& d = r[in.dst];
        switch (in.op) {
            case opcode::ratio: {
                const value& num = r[in.a];
                const value& den = r[in.b];
                if (num.undefined || den.undefined || den.v.is_zero()) {
                    const auto& z = detail::internals(p).ratio_if_zero_[in.n];
                    d.undefined = !z;
                    d.v = z ? *z : zero;
                } else {
                    d.undefined = false;
                    d.v = num.v / den.v;
                    if (detail::internals(p).ratio_clamp_[in.n]) {
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
                // One rule for undefined (GRAMMAR.md): computed from an undefined count, undefined.
                const value& c = r[in.a];
                d.undefined = c.undefined;
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
            case opcode::pick: {
                // the points of the choice made; no choice (undefined): undefined (GRAMMAR.md)
                const value& c = r[in.a];
                const std::int64_t i = c.undefined ? -1 : c.v.to_int64();
                d.undefined = i < 0 || i >= static_cast<std::int64_t>(in.count);
                d.v = d.undefined ? zero : k[in.k + static_cast<std::uint32_t>(i)];
                break;
            }
            case opcode::pick_max: {
                // the most points among the choices held; none: 0
                d.undefined = false;
                d.v = zero;
                for (const decimal& el : facts.lists[in.a]) {
                    const std::int64_t i = el.to_int64();
                    if (i >= 0 && i < static_cast<std::int64_t>(in.count) && k[in.k + static_cast<std::uint32_t>(i)] > d.v)
                        d.v = k[in.k + static_cast<std::uint32_t>(i)];
                }
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
                const compiled_band* b = detail::internals(p).bands_.data() + in.n;
                for (std::uint32_t i = 0; i < in.count; ++i) {
                    // flag: some bound is read from the cohort; undefined (no unit to take it
                    // from), the comparison is false, as every comparison with undefined is
                    const bool from_cohort = in.flag && b[i].bound_reg != no_id;
                    if (from_cohort && r[b[i].bound_reg].undefined) continue;
                    if (compare(s.v, b[i].op, from_cohort ? r[b[i].bound_reg].v : b[i].bound)) {
                        d.v = b[i].score;
                        break;
                    }
                }
                break;
            }
            case opcode::deduct:
            case opcode::penalty: {
                decimal sum;
                const compiled_term* t = detail::internals(p).terms_.data() + in.n;
                bool undefined = false;
                for (std::uint32_t i = 0; i < in.count; ++i) {
                    const value& c = r[t[i].count_reg];
                    undefined = undefined || c.undefined;
                    if (!c.undefined && !c.v.is_zero()) sum += t[i].per * c.v;
                }
                // One rule for undefined (GRAMMAR.md): a deduction counted by an undefined value is
                // undefined, as `12 * r` is; the part then scores 0, not the full points.
                if (undefined) {
                    d.undefined = true;
                    d.v = zero;
                    break;
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
                // One rule for undefined (GRAMMAR.md): an undefined subject, or an undefined cohort
                // level (flag: the level is a cohort aggregate's register, with no unit to take it
                // from), makes the form undefined; an undefined part scores 0.
                d.undefined = x.undefined || (in.flag && r[in.b].undefined);
                if (d.undefined) {
                    d.v = zero;
                    break;
                }
                const decimal& amount = k[in.k];
                const decimal& step = k[in.k + 1];
                const decimal& target = in.flag ? r[in.b].v : k[in.k + 2];
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


// --- the fast path -----------------------------------------------------------------------------
// run_code's twin over small_value registers. Each case computes the value run_code computes, as
// an int64 fraction (not necessarily reduced; reduced when handed out, to_decimal); where a result
// would not fit, the lane fails and the unit is scored again on the general path. Undefined values
// (d == 0) are handled as run_code handles them.

// small_truthy for a register of a lane that has not failed: every operation leaves an undefined
// value as 0/0 (small_undefined; load_lane, if_zero, the cohort's values likewise), so a zero
// denominator comes with a zero numerator and the numerator alone says whether the value holds.
// (A failed lane's registers may break this; its results are thrown away.) One comparison per
// operand instead of two, in the loops over an `if`'s condition, `each` and `checklist`.
inline bool lane_truthy(small_value v) noexcept { return v.n != 0; }

inline bool small_holds(small_value a, cmp_op op, small_value b) noexcept {
    const int c = small_compare(a, b);
    switch (op) {
        case cmp_op::ge: return c >= 0;
        case cmp_op::gt: return c > 0;
        case cmp_op::le: return c <= 0;
        case cmp_op::lt: return c < 0;
        case cmp_op::eq: return c == 0;
        case cmp_op::ne: return c != 0;
    }
    return false;
}

// Runs code[begin, end) over L units at once. Registers are columnar: register x of lane l is
// r[x * L + l], so that one instruction is decoded once and applied to every lane. A lane whose
// values leave int64 gets its bit in the mask returned (`failed`: the lanes failed before) and is
// scored again on the general path; the other lanes go on. The mask is a local, not a reference:
// through a reference the compiler would store it after every register written (an int64 store
// may alias it). L == 1 is evaluate()'s fast path; L > 1 is evaluate_batch() (count_where needs the
// unit's own lists, so programs with it are batched one unit at a time: make_small_plan).
template <std::size_t L>
inline std::uint64_t run_lanes(const program& p, const small_plan& plan, const fact_set* const* facts, small_value* r,
                               std::uint32_t begin, std::uint32_t end, std::uint64_t failed) noexcept {
    const small_instruction* code = plan.code.data();
    const small_value* k = plan.constants.data();
    const std::uint32_t* ops = detail::internals(p).operands_.data();
    const auto R = [r](std::uint32_t x, std::size_t l) -> small_value& { return r[x * L + l]; };
    const auto fail = [&failed](std::size_t l) { failed |= std::uint64_t{1} << l; };
    // A pointer to the instruction, not an index: no multiplication by its size per dispatch.
    for (const small_instruction *ip = code + begin, *stop = code + end; ip < stop; ++ip) {
        const small_instruction& in = *ip;
        switch (in.op) {
            // The choice made with a mask (all ones where the condition holds), not a branch: the
            // conditions are the unit's facts, which a branch predictor cannot guess, and the lanes
            // then go through a loop of plain integer operations.
            case small_op::select_then:
                for (std::size_t l = 0; l < L; ++l) {
                    const std::int64_t held = -static_cast<std::int64_t>(lane_truthy(R(in.a, l)));
                    const small_value v = R(in.b, l);
                    R(in.dst, l) = {v.n & held, (v.d & held) | (~held & 1)};  // else small_zero, 0/1
                }
                break;
            case small_op::select_else:
                for (std::size_t l = 0; l < L; ++l) {
                    const std::int64_t held = -static_cast<std::int64_t>(lane_truthy(R(in.a, l)));
                    const small_value v = R(in.b, l), w = R(in.c, l);
                    R(in.dst, l) = {(v.n & held) | (w.n & ~held), (v.d & held) | (w.d & ~held)};
                }
                break;
            case small_op::each_scaled: {
                // hits, then amount × hits or the cap: no overflow (fewer than 2^14 hits, an amount within 2^48)
                const std::uint32_t* o = ops + in.n;
                std::int64_t hits_of[L] = {};
                for (std::uint32_t i = 0; i < in.count; ++i) {
                    const small_value* row = &R(o[i], 0);
                    for (std::size_t l = 0; l < L; ++l) hits_of[l] += row[l].n != 0;  // lane_truthy
                }
                const std::int64_t S = plan.sum_scale;
                for (std::size_t l = 0; l < L; ++l) R(in.dst, l) = {hits_of[l] > in.x ? in.z : in.y * hits_of[l], S};
                break;
            }
            case small_op::checklist_whole: {
                // the points held, each within 2^48, fewer than 2^14 of them: no overflow
                const std::uint32_t* o = ops + in.n;
                const std::int64_t* whole = plan.constants_scaled.data() + in.k;
                std::int64_t sum_of[L] = {};
                for (std::uint32_t i = 0; i < in.count; ++i) {
                    const small_value* row = &R(o[i], 0);
                    const std::int64_t w = whole[i];
                    for (std::size_t l = 0; l < L; ++l) sum_of[l] += -static_cast<std::int64_t>(row[l].n != 0) & w;  // lane_truthy ? w : 0
                }
                for (std::size_t l = 0; l < L; ++l) R(in.dst, l) = {sum_of[l], plan.sum_scale};
                break;
            }
            case opcode::ratio:
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value num = R(in.a, l), den = R(in.b, l);
                    small_value& d = R(in.dst, l);
                    if (is_undefined(num) || is_undefined(den) || den.n == 0) {
                        d = plan.if_zero[in.n];
                        continue;
                    }
                    if (!small_div(num, den, d)) fail(l);
                    else if (detail::internals(p).ratio_clamp_[in.n]) {
                        if (d.n < 0) d = small_zero;
                        else if (d.n > d.d) d = small_one;
                    }
                }
                break;
            case opcode::neg:
                for (std::size_t l = 0; l < L; ++l) {
                    if (is_undefined(R(in.a, l))) R(in.dst, l) = small_undefined;
                    else if (!small_neg(R(in.a, l), R(in.dst, l))) fail(l);
                }
                break;
            case opcode::not_:
                for (std::size_t l = 0; l < L; ++l) R(in.dst, l) = small_bool(!small_truthy(R(in.a, l)));
                break;
            case opcode::add:
            case opcode::sub:
            case opcode::mul:
            case opcode::div:
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value a = R(in.a, l), b = R(in.b, l);
                    small_value& d = R(in.dst, l);
                    if (is_undefined(a) || is_undefined(b) || (in.op == opcode::div && b.n == 0)) {
                        d = small_undefined;
                        continue;
                    }
                    bool ok;
                    switch (in.op) {
                        case opcode::add: ok = small_add(a, b, false, d); break;
                        case opcode::sub: ok = small_add(a, b, true, d); break;
                        case opcode::mul: ok = small_mul(a, b, d); break;
                        default: ok = small_div(a, b, d); break;
                    }
                    if (!ok) fail(l);
                }
                break;
            case opcode::compare:
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value a = R(in.a, l), b = R(in.b, l);
                    R(in.dst, l) = small_bool(!is_undefined(a) && !is_undefined(b) && small_holds(a, in.cmp, b));
                }
                break;
            case opcode::and_:
                for (std::size_t l = 0; l < L; ++l)
                    R(in.dst, l) = small_bool(small_truthy(R(in.a, l)) && small_truthy(R(in.b, l)));
                break;
            case opcode::or_:
                for (std::size_t l = 0; l < L; ++l)
                    R(in.dst, l) = small_bool(small_truthy(R(in.a, l)) || small_truthy(R(in.b, l)));
                break;
            case opcode::select: {
                const std::uint32_t* o = ops + in.n;
                if (in.count == 2 && !in.flag) {  // `if c then v`: half of a real table's rules
                    for (std::size_t l = 0; l < L; ++l) R(in.dst, l) = lane_truthy(R(o[0], l)) ? R(o[1], l) : small_zero;
                    break;
                }
                if (in.count == 3 && in.flag) {  // `if c then v else w`: most of the rest
                    for (std::size_t l = 0; l < L; ++l) R(in.dst, l) = lane_truthy(R(o[0], l)) ? R(o[1], l) : R(o[2], l);
                    break;
                }
                const std::uint32_t pairs = (in.count - (in.flag ? 1 : 0)) / 2;
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value* chosen = nullptr;
                    for (std::uint32_t i = 0; i < pairs; ++i) {
                        if (small_truthy(R(o[2 * i], l))) {
                            chosen = &R(o[2 * i + 1], l);
                            break;
                        }
                    }
                    if (!chosen && in.flag) chosen = &R(o[in.count - 1], l);
                    R(in.dst, l) = chosen ? *chosen : small_zero;
                }
                break;
            }
            case opcode::min:
            case opcode::max: {
                // Undefined when any operand is (run_code's value is then never read as a number).
                const std::uint32_t* o = ops + in.n;
                for (std::size_t l = 0; l < L; ++l) {
                    small_value best = R(o[0], l);
                    bool undefined = false;
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        const small_value v = R(o[i], l);
                        if (is_undefined(v)) {
                            undefined = true;
                            break;
                        }
                        if (in.op == opcode::min ? small_compare(v, best) < 0 : small_compare(v, best) > 0) best = v;
                    }
                    R(in.dst, l) = undefined ? small_undefined : best;
                }
                break;
            }
            case opcode::clamp:
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value x = R(in.a, l), lo = R(in.b, l), hi = R(in.c, l);
                    if (is_undefined(x) || is_undefined(lo) || is_undefined(hi)) R(in.dst, l) = small_undefined;
                    else R(in.dst, l) = small_compare(x, lo) < 0 ? lo : small_compare(x, hi) > 0 ? hi : x;
                }
                break;
            case opcode::round:  // make_small_plan keeps such programs off this path
                failed = ~std::uint64_t{0};
                return failed;
            case opcode::floor:
                for (std::size_t l = 0; l < L; ++l)
                    R(in.dst, l) = is_undefined(R(in.a, l)) ? small_undefined : small_floor(R(in.a, l));
                break;
            case opcode::ceil:
                for (std::size_t l = 0; l < L; ++l)
                    R(in.dst, l) = is_undefined(R(in.a, l)) ? small_undefined : small_ceil(R(in.a, l));
                break;
            case opcode::abs:
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value a = R(in.a, l);
                    if (is_undefined(a)) R(in.dst, l) = small_undefined;
                    else if (a.n >= 0) R(in.dst, l) = a;
                    else if (!small_neg(a, R(in.dst, l))) fail(l);
                }
                break;
            case opcode::reach:
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value x = R(in.a, l), t = R(in.b, l);
                    small_value& d = R(in.dst, l);
                    if (is_undefined(x) || is_undefined(t) || t.n <= 0) d = small_undefined;
                    else if (small_compare(x, t) >= 0) d = small_one;
                    else if (x.n <= 0) d = small_zero;
                    else if (!small_div(x, t, d)) fail(l);
                }
                break;
            case opcode::each_list:
            case opcode::count_list: {
                const std::uint32_t* o = ops + in.n;
                // Operand by operand, each a row of L lanes side by side: a loop without branches
                // over contiguous registers, which the compiler vectorises (lane by lane, the
                // operands are scattered registers).
                std::int64_t hits_of[L] = {};
                if constexpr (L > 1) {
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        const small_value* row = &R(o[i], 0);
                        for (std::size_t l = 0; l < L; ++l) hits_of[l] += row[l].n != 0;  // lane_truthy
                    }
                }
                // each: in units of 1/sum_scale when the amount is whole there and so is the cap, if
                // any, a number of hits (floor(cap / amount)): amount × hits or the cap, no fraction.
                const std::int64_t most = plan.cap_hits[static_cast<std::size_t>(ip - code)];
                const std::int64_t amount_scaled = in.op == opcode::each_list ? plan.constants_scaled[in.k] : small_plan::not_whole;
                const std::int64_t cap_scaled = in.flag ? plan.constants_scaled[in.k + 1] : 0;
                const bool by_scale = amount_scaled != small_plan::not_whole &&
                                      (!in.flag || (most >= 0 && cap_scaled != small_plan::not_whole));
                if constexpr (L > 1) {
                    // The common shape (each A max C of fewer than 2^14 conditions), one loop with no
                    // branch: the amount is within 2^48 and hits below 2^14, the product fits.
                    if (by_scale && in.flag && in.count < (1u << 14)) {
                        const std::int64_t S = plan.sum_scale;
                        for (std::size_t l = 0; l < L; ++l)
                            R(in.dst, l) = {hits_of[l] > most ? cap_scaled : amount_scaled * hits_of[l], S};
                        break;
                    }
                }
                for (std::size_t l = 0; l < L; ++l) {
                    std::int64_t hits = hits_of[l];
                    if constexpr (L == 1)
                        for (std::uint32_t i = 0; i < in.count; ++i) hits += lane_truthy(R(o[i], l)) ? 1 : 0;
                    small_value& d = R(in.dst, l);
                    if (in.op == opcode::count_list) {
                        d = {hits, 1};
                        continue;
                    }
                    if (by_scale) {
                        std::int64_t x;
                        if (in.flag && hits > most) d = {cap_scaled, plan.sum_scale};
                        else if (__builtin_mul_overflow(amount_scaled, hits, &x)) fail(l);
                        else d = {x, plan.sum_scale};
                        continue;
                    }
                    // amount × hits over the amount's denominator, unreduced (hits is at most the
                    // list's length): no gcd for 0.5 × 3.
                    if (__builtin_mul_overflow(k[in.k].n, hits, &d.n)) fail(l);
                    else {
                        d.d = k[in.k].d;
                        if (in.flag && (most >= 0 ? hits > most : small_compare(d, k[in.k + 1]) > 0)) d = k[in.k + 1];
                    }
                }
                break;
            }
            case opcode::each_count:
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value c = R(in.a, l);
                    small_value& d = R(in.dst, l);
                    if (is_undefined(c)) {
                        d = small_undefined;  // one rule for undefined (GRAMMAR.md)
                        continue;
                    }
                    if (!small_mul(k[in.k], c, d)) {
                        fail(l);
                        continue;
                    }
                    if (in.flag && small_compare(d, k[in.k + 1]) > 0) d = k[in.k + 1];
                }
                break;
            case opcode::count_where:
                if constexpr (L == 1) {
                    std::int64_t hits = 0;
                    for (const decimal& el : facts[0]->lists[in.a]) {
                        small_value& var = R(in.b, 0);
                        if (!el.small_parts(var.n, var.d)) {
                            fail(0);
                            return failed;
                        }
                        failed = run_lanes<1>(p, plan, facts, r, in.n, in.n + in.count, failed);
                        if (failed) return failed;
                        hits += small_truthy(R(in.c, 0)) ? 1 : 0;
                    }
                    R(in.dst, 0) = {hits, 1};
                } else {
                    failed = ~std::uint64_t{0};  // make_small_plan batches such programs one unit at a time
                    return failed;
                }
                break;
            case opcode::pick:
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value c = R(in.a, l);
                    small_value& d = R(in.dst, l);
                    if (is_undefined(c) || c.d != 1 || c.n < 0 || c.n >= static_cast<std::int64_t>(in.count)) d = small_undefined;
                    else d = k[in.k + static_cast<std::uint32_t>(c.n)];
                }
                break;
            case opcode::pick_max:
                for (std::size_t l = 0; l < L; ++l) {
                    small_value best = small_zero;
                    for (const decimal& el : facts[l]->lists[in.a]) {
                        const std::int64_t i = el.to_int64();
                        if (i >= 0 && i < static_cast<std::int64_t>(in.count) &&
                            small_compare(k[in.k + static_cast<std::uint32_t>(i)], best) > 0)
                            best = k[in.k + static_cast<std::uint32_t>(i)];
                    }
                    R(in.dst, l) = best;
                }
                break;
            case opcode::checklist: {
                const std::uint32_t* o = ops + in.n;
                const std::int64_t* whole = plan.constants_scaled.data() + in.k;
                if constexpr (L > 1) {
                    // Every point whole in 1/sum_scale (each within 2^48) and fewer than 2^14 of them:
                    // the sums cannot overflow, so operand by operand over rows of lanes, no branch.
                    bool all_whole = in.count < (1u << 14);
                    for (std::uint32_t i = 0; i < in.count; ++i) all_whole &= whole[i] != small_plan::not_whole;
                    if (all_whole) {
                        std::int64_t sum_of[L] = {};
                        for (std::uint32_t i = 0; i < in.count; ++i) {
                            const small_value* row = &R(o[i], 0);
                            const std::int64_t w = whole[i];
                            for (std::size_t l = 0; l < L; ++l)
                                sum_of[l] += -static_cast<std::int64_t>(row[l].n != 0) & w;  // lane_truthy ? w : 0
                        }
                        for (std::size_t l = 0; l < L; ++l) R(in.dst, l) = {sum_of[l], plan.sum_scale};
                        break;
                    }
                }
                for (std::size_t l = 0; l < L; ++l) {
                    // In units of 1/sum_scale (0.2 + 0.4 as integers, no gcd) while every point held
                    // is whole there; else as fractions.
                    std::int64_t sum_scaled = 0;
                    bool scaled = true;
                    for (std::uint32_t i = 0; i < in.count; ++i)
                        if (small_truthy(R(o[i], l)))
                            scaled &= whole[i] != small_plan::not_whole && !__builtin_add_overflow(sum_scaled, whole[i], &sum_scaled);
                    if (scaled) {
                        R(in.dst, l) = {sum_scaled, plan.sum_scale};
                        continue;
                    }
                    small_value sum = small_zero;
                    for (std::uint32_t i = 0; i < in.count; ++i)
                        if (small_truthy(R(o[i], l)) && !small_add(sum, k[in.k + i], false, sum)) fail(l);
                    R(in.dst, l) = sum;
                }
                break;
            }
            case opcode::tier: {
                const small_band* b = plan.bands.data() + in.n;
                const std::int64_t otherwise_scaled = plan.constants_scaled[in.k];  // in units of 1/sum_scale, as the bands' scores
                const small_value otherwise =
                    otherwise_scaled != small_plan::not_whole ? small_value{otherwise_scaled, plan.sum_scale} : k[in.k];
                // The first band that holds, else the else score: the bands from the last to the
                // first, each taken with a mask where it holds (the subject is the unit's fact, which
                // a branch per band would have to guess); an undefined subject keeps the else score.
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value s = R(in.a, l);
                    small_value v = otherwise;
                    for (std::uint32_t i = in.count; i-- > 0;) {
                        const std::int64_t held = -static_cast<std::int64_t>(small_holds(s, b[i].op, b[i].bound));
                        v = {(b[i].score.n & held) | (v.n & ~held), (b[i].score.d & held) | (v.d & ~held)};
                    }
                    const std::int64_t defined = -static_cast<std::int64_t>(!is_undefined(s));
                    R(in.dst, l) = {(v.n & defined) | (otherwise.n & ~defined), (v.d & defined) | (otherwise.d & ~defined)};
                }
                break;
            }
            case opcode::deduct:
            case opcode::penalty: {
                const small_term* t = plan.terms.data() + in.n;
                const std::int64_t cap_scaled = in.flag ? plan.constants_scaled[in.k] : 0;
                const std::int64_t base_scaled = in.op == opcode::deduct ? plan.constants_scaled[in.k + 1] : 0;
                std::uint64_t todo = ~std::uint64_t{0};  // lanes left to the loop below
                if (in.count == 1 && t[0].per_scaled != small_plan::not_whole && cap_scaled != small_plan::not_whole &&
                    base_scaled != small_plan::not_whole) {
                    // One term (`deduct 1 per late max 3`, the common shape), whole in 1/sum_scale: the
                    // loop below without its loop over terms; a lane it cannot finish goes on there.
                    const std::int64_t per = t[0].per_scaled;
                    const std::uint32_t count_reg = t[0].count_reg;
                    todo = 0;
                    for (std::size_t l = 0; l < L; ++l) {
                        const small_value c = R(count_reg, l);
                        std::int64_t x, v;
                        if (is_undefined(c)) {
                            R(in.dst, l) = small_undefined;  // one rule for undefined (GRAMMAR.md), as run_code
                            continue;
                        }
                        if (c.d != 1 || __builtin_mul_overflow(per, c.n, &x)) {
                            todo |= std::uint64_t{1} << l;
                            continue;
                        }
                        if (in.flag && x > cap_scaled) x = cap_scaled;
                        if (in.op == opcode::penalty ? __builtin_sub_overflow(std::int64_t{0}, x, &v)
                                                     : __builtin_sub_overflow(base_scaled, x, &v)) {
                            todo |= std::uint64_t{1} << l;
                            continue;
                        }
                        if (in.op == opcode::deduct && v < 0) v = 0;
                        R(in.dst, l) = {v, plan.sum_scale};
                    }
                }
                for (std::size_t l = 0; l < L; ++l) {
                    if (!(todo >> l & 1)) continue;
                    // In units of 1/sum_scale while every count is whole and every amount, the cap
                    // and the base are whole there (0.2 per case: integers, no gcd); else as fractions.
                    std::int64_t sum_scaled = 0, term_scaled;
                    bool scaled = cap_scaled != small_plan::not_whole && base_scaled != small_plan::not_whole, undefined = false;
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        const small_value c = R(t[i].count_reg, l);
                        undefined |= is_undefined(c);
                        scaled &= c.d == 1 && t[i].per_scaled != small_plan::not_whole &&
                                  !__builtin_mul_overflow(t[i].per_scaled, c.n, &term_scaled) &&
                                  !__builtin_add_overflow(sum_scaled, term_scaled, &sum_scaled);
                    }
                    if (undefined) {
                        R(in.dst, l) = small_undefined;  // one rule for undefined (GRAMMAR.md), as run_code
                        continue;
                    }
                    if (scaled) {
                        if (in.flag && sum_scaled > cap_scaled) sum_scaled = cap_scaled;
                        // |sum_scaled| may be anything, base_scaled is within 2^48: the difference fits
                        // unless sum_scaled is near the ends, which the checks below leave to fractions.
                        std::int64_t v;
                        if (in.op == opcode::penalty ? !__builtin_sub_overflow(std::int64_t{0}, sum_scaled, &v)
                                                     : !__builtin_sub_overflow(base_scaled, sum_scaled, &v)) {
                            if (in.op == opcode::deduct && v < 0) v = 0;
                            R(in.dst, l) = {v, plan.sum_scale};
                            continue;
                        }
                    }
                    small_value sum = small_zero, term;
                    bool ok = true;
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        const small_value c = R(t[i].count_reg, l);
                        if (c.n == 0) continue;
                        ok = ok && small_mul(t[i].per, c, term) && small_add(sum, term, false, sum);
                    }
                    small_value& d = R(in.dst, l);
                    if (in.flag && small_compare(sum, k[in.k]) > 0) sum = k[in.k];
                    if (in.op == opcode::penalty) {
                        ok = ok && small_neg(sum, d);
                    } else {
                        ok = ok && small_add(k[in.k + 1], sum, true, d);
                        if (ok && d.n < 0) d = small_zero;
                    }
                    if (!ok) fail(l);
                }
                break;
            }
            case opcode::drop: {
                // base − amount × (target − x) / step, for x below target; floored at 0.
                const small_value amount = k[in.k], step = k[in.k + 1], target = k[in.k + 2], base = k[in.k + 3];
                for (std::size_t l = 0; l < L; ++l) {
                    const small_value x = R(in.a, l);
                    small_value& d = R(in.dst, l);
                    if (is_undefined(x)) d = small_undefined;  // one rule for undefined (GRAMMAR.md)
                    else if (small_compare(x, target) >= 0) d = base;
                    else {
                        small_value gap, q, taken;
                        // step 0: the general path says what is wrong
                        if (step.n == 0 || !small_add(target, x, true, gap) || !small_div(gap, step, q) ||
                            !small_mul(amount, q, taken) || !small_add(base, taken, true, d))
                            fail(l);
                        else if (d.n < 0) d = small_zero;
                    }
                }
                break;
            }
            case opcode::jump: ip = code + in.n - 1; break;
        }
    }
    return failed;
}

// A node's sum over small_plan::sum_scale: parts whose denominator divides it are added as
// integers (`whole`, in units of 1/sum_scale); any other (a ratio's 37/59) goes to `rest`, added
// as a fraction. The value is whole/sum_scale + rest, not reduced. False on overflow (the unit is
// then scored on the general path).
struct scaled_sum {
    std::int64_t whole = 0;
    small_value rest = small_zero;

    // v defined (d > 0).
    bool add(const small_plan& plan, small_value v) noexcept {
        std::int64_t s = 0, t;
        if (v.d == plan.sum_scale) s = 1;
        else if (static_cast<std::uint64_t>(v.d) < plan.scale_of.size()) s = plan.scale_of[static_cast<std::size_t>(v.d)];
        if (s == 0) return small_add(rest, v, false, rest);
        return !__builtin_mul_overflow(v.n, s, &t) && !__builtin_add_overflow(whole, t, &whole);
    }
    [[nodiscard]] bool exact_whole() const noexcept { return rest.n == 0; }
    bool get(const small_plan& plan, small_value& out) const noexcept {
        out = {whole, plan.sum_scale};
        return rest.n == 0 || small_add(out, rest, false, out);
    }
};

// An item's score from its raw sum: 条目得分限定在 [0, 分值] 之内 (奖扣分的条目除外: signed).
inline small_value clamped_item(const small_node& n, small_value raw) noexcept {
    if (!n.clamp || n.signed_score) return raw;
    return raw.n < 0 ? small_zero : small_compare(raw, n.points) > 0 ? n.points : raw;
}

// The score of a node whose parts (item) or children (the others) were added into `sum`; its
// raw sum into raw. False on overflow.
inline bool finish_node(const small_plan& plan, const small_node& n, const scaled_sum& sum, small_value& raw,
                        small_value& out) noexcept {
    const bool ok = sum.get(plan, raw);
    if (n.kind == node_kind::item) {
        // in integers when the sum is whole (the common case), else as fractions
        out = n.clamp && !n.signed_score && sum.exact_whole() && n.points_scaled >= 0
                  ? (sum.whole < 0 ? small_zero : sum.whole > n.points_scaled ? n.points : raw)
                  : clamped_item(n, raw);
        return ok;
    }
    out = raw;
    if (n.kind == node_kind::bonus && small_compare(raw, n.points) > 0) out = n.points;
    if (n.has_max && small_compare(out, n.max) > 0) out = n.max;
    if (n.has_min && small_compare(out, n.min) < 0) out = n.min;
    return ok;
}

// Node scores of L lanes: nodes[id * L + l] is node id's score in lane l, totals[l] and bonuses[l]
// the lane's total and bonus; a lane that overflows gets its bit in failed_out. Node by node, each
// step over every lane (columnar, as run_lanes).
//
// Each node's score in a lane is kept as a whole part in units of 1/sum_scale (scaled[id * L + l],
// int64) plus a rest, a fraction (rest[id * L + l]), which is 0 except in the lanes of
// fractional[id] (bit l): a ratio's 37/59, or a score beyond the whole part's bound. The whole
// parts are bounded (a node's hi_scaled, else ±2^48) and fewer than 2^14 are added at once, so
// an item's parts and a section's children add as rows of int64 with no overflow check and no
// branch (loops the compiler vectorises); only the rests are added as fractions, lane by lane.
// An item's clamp to [0, points] is two integer comparisons. An item where some part is not
// whole in a lane, and the nodes with caps or without a bound, are summed lane by lane as
// fractions (scaled_sum, finish_node) and their score split into a whole part and a rest.
template <std::size_t L>
inline void sum_lanes(const program& p, const small_plan& plan, const small_value* r, small_value* nodes,
                      std::int64_t* scaled, small_value* rest, std::uint64_t* fractional, small_value* totals,
                      small_value* bonuses, std::uint64_t& failed_out) noexcept {
    static_assert(L <= 64, "a lane is a bit of a uint64 mask");
    std::uint64_t failed = 0;
    const std::uint32_t* part_regs = detail::internals(p).part_regs_.data();
    const node_id* child_ids = detail::internals(p).child_ids_.data();
    constexpr std::int64_t bound = std::int64_t{1} << 48;
    const std::int64_t S = plan.sum_scale;
    const std::int64_t* scale_of = plan.scale_of.data();
    const std::uint64_t scale_size = plan.scale_of.size();
    // v in units of 1/S into x (an undefined v: 0); false when its denominator does not divide S
    // (or is past the table) or the product leaves int64.
    const auto whole_of = [S, scale_of, scale_size](small_value v, std::int64_t& x) {
        if (v.d == S || v.n == 0) {  // most scores are kept so; 0 (and undefined) is 0 whatever its denominator
            x = v.n;
            return true;
        }
        const std::int64_t s = static_cast<std::uint64_t>(v.d) < scale_size ? scale_of[v.d] : 0;
        return s != 0 && !__builtin_mul_overflow(v.n, s, &x);
    };
    // Lane l's score v of a node into its whole part, when v is whole and within [lo, hi], else into
    // its rest (the whole part 0).
    const auto split = [&whole_of](small_value v, std::int64_t lo, std::int64_t hi, std::int64_t* xs,
                                   small_value* rs, std::uint64_t& frac, std::size_t l) {
        std::int64_t x = 0;
        if (whole_of(v, x) && x >= lo && x <= hi) {
            xs[l] = x;
            return;
        }
        xs[l] = 0;
        rs[l] = v;
        frac |= std::uint64_t{1} << l;
    };
    const auto lane_bits = [](std::uint64_t m, auto&& f) {
        for (; m; m &= m - 1) f(static_cast<std::size_t>(__builtin_ctzll(m)));
    };
    // The copies, then the others.
    const std::size_t copies = plan.copies.size(), nodes_to_sum = copies + plan.others.size();
    for (std::size_t k = 0; k < nodes_to_sum; ++k) {
        const small_node& n = plan.order[k < copies ? plan.copies[k].index : plan.others[k - copies]];
        const std::size_t at = std::size_t{n.id} * L;
        small_value* out = nodes + at;
        std::int64_t* xs = scaled + at;
        small_value* rs = rest + at;
        std::uint64_t frac = 0;
        if (n.kind == node_kind::task) {
            for (std::size_t l = 0; l < L; ++l) {
                out[l] = small_zero;
                xs[l] = 0;
            }
        } else if (n.kind == node_kind::item && n.hi_scaled >= 0 && n.count < (1u << 14)) {
            // One part (most items): its value as it is, no bound needed before the clamp. Several:
            // each within ±2^48, fewer than 2^14 of them.
            std::uint64_t odd = 0;  // lanes where a part is not whole
            const std::int64_t points = n.points_scaled;
            if (n.count == 1) {  // one loop, no row of sums; the mask only when some lane needs it
                const small_value* v = r + std::size_t{part_regs[n.begin]} * L;
                // Most often every lane's value is over sum_scale already, or 0 (whole_of's first
                // case): then its numerator is the whole part, with no look-up and no branch.
                bool plain = true;
                for (std::size_t l = 0; l < L; ++l) plain &= (v[l].d == S) | (v[l].n == 0);
                if (plain) {
                    for (std::size_t l = 0; l < L; ++l) {
                        const std::int64_t x = v[l].n < 0 ? 0 : v[l].n > points ? points : v[l].n;
                        out[l] = {x, S};
                        xs[l] = x;
                    }
                    fractional[n.id] = 0;
                    continue;
                }
                bool all_whole = true;
                for (std::size_t l = 0; l < L; ++l) {
                    std::int64_t x = 0;
                    const bool w = whole_of(v[l], x);
                    all_whole &= w;
                    x = !w || x < 0 ? 0 : x > points ? points : x;
                    out[l] = {x, S};
                    xs[l] = x;
                }
                if (!all_whole)
                    for (std::size_t l = 0; l < L; ++l) {
                        std::int64_t x;
                        odd |= std::uint64_t{!whole_of(v[l], x)} << l;
                    }
            } else {
            std::int64_t acc[L] = {};
            for (std::uint32_t i = 0; i < n.count; ++i) {
                const small_value* v = r + std::size_t{part_regs[n.begin + i]} * L;
                for (std::size_t l = 0; l < L; ++l) {
                    std::int64_t x = 0;
                    const bool w = whole_of(v[l], x) && (n.count == 1 || (x <= bound && x >= -bound));
                    acc[l] += w ? x : 0;
                    odd |= std::uint64_t{!w} << l;
                }
            }
            for (std::size_t l = 0; l < L; ++l) {
                const std::int64_t x = acc[l] < 0 ? 0 : acc[l] > points ? points : acc[l];
                out[l] = {x, S};
                xs[l] = x;
            }
            }
            lane_bits(odd, [&](std::size_t l) {
                scaled_sum sum;
                bool ok = true;
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    const small_value v = r[std::size_t{part_regs[n.begin + i]} * L + l];
                    if (!is_undefined(v)) ok &= sum.add(plan, v);
                }
                small_value raw;
                if (!(ok & finish_node(plan, n, sum, raw, out[l]))) failed |= std::uint64_t{1} << l;
                split(out[l], 0, n.hi_scaled, xs, rs, frac, l);
            });
        } else if (n.kind == node_kind::section && n.hi_scaled >= 0) {
            // The children's whole parts, each within [0, its hi_scaled]: the sum is within this
            // node's, no check. The rests only in the lanes that have one.
            std::int64_t acc[L] = {};
            for (std::uint32_t i = 0; i < n.count; ++i) {
                const node_id c = child_ids[n.begin + i];
                frac |= fractional[c];
                const std::int64_t* row = scaled + std::size_t{c} * L;
                for (std::size_t l = 0; l < L; ++l) acc[l] += row[l];
            }
            for (std::size_t l = 0; l < L; ++l) {
                out[l] = {acc[l], S};
                xs[l] = acc[l];
            }
            lane_bits(frac, [&](std::size_t l) {
                small_value sum = small_zero;
                bool ok = true;
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    const node_id c = child_ids[n.begin + i];
                    if (fractional[c] >> l & 1) ok &= small_add(sum, rest[std::size_t{c} * L + l], false, sum);
                }
                rs[l] = sum;
                if (!(ok && small_add(out[l], sum, false, out[l]))) failed |= std::uint64_t{1} << l;
            });
        } else {
            for (std::size_t l = 0; l < L; ++l) {
                scaled_sum sum;
                bool ok = true;
                if (n.kind == node_kind::item) {
                    for (std::uint32_t i = 0; i < n.count; ++i) {
                        const small_value v = r[std::size_t{part_regs[n.begin + i]} * L + l];
                        if (!is_undefined(v)) ok &= sum.add(plan, v);
                    }
                } else {
                    for (std::uint32_t i = 0; i < n.count; ++i) ok &= sum.add(plan, nodes[std::size_t{child_ids[n.begin + i]} * L + l]);
                }
                small_value raw;
                if (!(ok & finish_node(plan, n, sum, raw, out[l]))) failed |= std::uint64_t{1} << l;
                // a bounded node here (an item of 2^14 parts or more) keeps its parent's bound
                split(out[l], n.hi_scaled >= 0 ? 0 : -bound, n.hi_scaled >= 0 ? n.hi_scaled : bound, xs, rs, frac, l);
            }
        }
        fractional[n.id] = frac;
    }
    std::int64_t total_acc[L] = {}, bonus_acc[L] = {};
    small_value total_rest[L], bonus_rest[L];
    std::uint64_t total_frac = 0, bonus_frac = 0;
    for (const std::uint32_t index : plan.tops) {
        // Whole parts within ±2^48, fewer than 2^14 nodes: no overflow.
        const small_node& n = plan.order[index];
        const std::size_t at = std::size_t{n.id} * L;
        const bool is_bonus = n.kind == node_kind::bonus;
        std::int64_t* acc = is_bonus ? bonus_acc : total_acc;
        small_value* to_rest = is_bonus ? bonus_rest : total_rest;
        (is_bonus ? bonus_frac : total_frac) |= fractional[n.id];
        for (std::size_t l = 0; l < L; ++l) acc[l] += scaled[at + l];
        lane_bits(fractional[n.id], [&](std::size_t l) {
            if (!small_add(to_rest[l], rest[at + l], false, to_rest[l])) failed |= std::uint64_t{1} << l;
        });
    }
    for (std::size_t l = 0; l < L; ++l) {
        totals[l] = {total_acc[l], S};
        bonuses[l] = {bonus_acc[l], S};
    }
    lane_bits(total_frac, [&](std::size_t l) {
        if (!small_add(totals[l], total_rest[l], false, totals[l])) failed |= std::uint64_t{1} << l;
    });
    lane_bits(bonus_frac, [&](std::size_t l) {
        if (!small_add(bonuses[l], bonus_rest[l], false, bonuses[l])) failed |= std::uint64_t{1} << l;
    });
    failed_out |= failed;
}

// sum_lanes<1>, for evaluate(): one unit, without the lane loops.
inline bool sum_one(const program& p, const small_plan& plan, const small_value* r, small_value* nodes, small_value* raw_out,
                    small_value& total_out, small_value& bonus_out) noexcept {
    const std::uint32_t* part_regs = detail::internals(p).part_regs_.data();
    const node_id* child_ids = detail::internals(p).child_ids_.data();
    // The plan's fields in locals: the stores into nodes (int64) could otherwise alias them, and
    // each would be read again per part.
    const std::int64_t S = plan.sum_scale;
    const std::int64_t* scale_of = plan.scale_of.data();
    const std::uint64_t scale_size = plan.scale_of.size();
    // scaled_sum::add: v into whole (units of 1/S) or, when it is not whole there, into rest. An
    // undefined v (a part) adds 0: scale_of[0] is 1 and its numerator 0.
    const auto add = [S, scale_of, scale_size](std::int64_t& whole, small_value& rest, small_value v) {
        // Most scores are kept over S, or are 0 (an `if` that did not hold: 0/1; an undefined part:
        // 0/0): one test for both (which of the two depends on the unit's facts: as two branches,
        // a guess), and the numerator added.
        if ((v.d == S) | (v.n == 0)) return !__builtin_add_overflow(whole, v.n, &whole);
        const std::int64_t s = static_cast<std::uint64_t>(v.d) < scale_size ? scale_of[v.d] : 0;
        std::int64_t t;
        if (s == 0) return small_add(rest, v, false, rest);
        return !__builtin_mul_overflow(v.n, s, &t) && !__builtin_add_overflow(whole, t, &whole);
    };
    for (const small_plan::copy& c : plan.copies) {  // most items: the part's value as it is
        // An undefined part scores 0: 0/0 becomes 0/1 (undefined is 0/0 in a unit that has not
        // failed, lane_truthy; sum_one runs only for those). The raw sum is the score (raw_is_score).
        const small_value v = r[c.reg];
        nodes[c.id] = {v.n, v.d + (v.d == 0)};
    }
    bool ok = true;
    for (const std::uint32_t index : plan.others_to_sum) {  // the tasks keep the 0 prepare() gave them
        const small_node& n = plan.order[index];
        small_value& out = nodes[n.id];
        small_value& raw = raw_out[n.id];
        if (n.kind == node_kind::item && n.count == 1) {  // an item of one part that may leave [0, points]
            const small_value v = r[part_regs[n.begin]];
            raw = is_undefined(v) ? small_zero : v;
            out = clamped_item(n, raw);
        } else {
            const bool item = n.kind == node_kind::item;
            const std::uint32_t* from = (item ? part_regs : child_ids) + n.begin;
            const small_value* values = item ? r : nodes;
            std::int64_t whole = 0;
            small_value rest = small_zero;
            for (std::uint32_t i = 0; i < n.count; ++i) ok &= add(whole, rest, values[from[i]]);
            raw = {whole, S};
            if (rest.n != 0) ok &= small_add(raw, rest, false, raw);
            if (item) {
                // in integers when the sum is whole (the common case), else as fractions
                out = n.clamp && !n.signed_score && rest.n == 0 && n.points_scaled >= 0
                          ? (whole < 0 ? small_zero : whole > n.points_scaled ? n.points : raw)
                          : clamped_item(n, raw);
            } else {
                out = raw;
                if (n.kind == node_kind::bonus && small_compare(raw, n.points) > 0) out = n.points;
                if (n.has_max && small_compare(out, n.max) > 0) out = n.max;
                if (n.has_min && small_compare(out, n.min) < 0) out = n.min;
            }
        }
    }
    std::int64_t total_whole = 0, bonus_whole = 0;
    small_value total_rest = small_zero, bonus_rest = small_zero;
    for (const std::uint32_t index : plan.tops) {
        const small_node& n = plan.order[index];
        ok &= n.kind == node_kind::bonus ? add(bonus_whole, bonus_rest, nodes[n.id]) : add(total_whole, total_rest, nodes[n.id]);
    }
    total_out = {total_whole, S};
    bonus_out = {bonus_whole, S};
    return ok && (total_rest.n == 0 || small_add(total_out, total_rest, false, total_out)) &&
           (bonus_rest.n == 0 || small_add(bonus_out, bonus_rest, false, bonus_out));
}

// Which parts were undefined (part_undefined, may be null; columnar, part i of lane l at i * L + l)
// and which warnings apply (warnings[l * count + i]), per lane, after sum_lanes.
template <std::size_t L>
inline void flag_lanes(const program& p, const small_plan& plan, const small_value* r, const small_value* nodes,
                       const small_value* totals, std::uint8_t* part_undefined, std::uint8_t* warnings) noexcept {
    const std::size_t parts = detail::internals(p).part_regs_.size(), nw = detail::internals(p).warnings_.size();
    if (part_undefined) {
        // Part by part, its L lanes side by side in both the registers and the flags: a row each.
        const std::uint32_t* part_regs = detail::internals(p).part_regs_.data();
        for (std::size_t i = 0; i < parts; ++i) {
            const small_value* v = r + std::size_t{part_regs[i]} * L;
            for (std::size_t l = 0; l < L; ++l) part_undefined[i * L + l] = v[l].d == 0 ? 1 : 0;
        }
    }
    for (std::size_t i = 0; i < nw; ++i) {
        const warning_plan& w = detail::internals(p).warnings_[i];
        for (std::size_t l = 0; l < L; ++l) {
            if (w.condition_reg != no_id) warnings[l * nw + i] = small_truthy(r[w.condition_reg * L + l]) ? 1 : 0;
            else
                warnings[l * nw + i] =
                    small_holds(w.node == no_id ? totals[l] : nodes[w.node * L + l], w.op, plan.thresholds[i]) ? 1 : 0;
        }
    }
}

inline std::uint64_t add_saturated(std::uint64_t a, std::uint64_t b) noexcept {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

inline std::uint64_t mul_saturated(std::uint64_t a, std::uint64_t b) noexcept {
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

// What evaluation_steps() charges. An instruction on values that fit the small form costs one
// step; one whose operands are big costs (limbs of both operands)^2 steps, the order of a
// schoolbook product and of the gcd that reduces it, so that repeated multiplication, which
// makes its numbers grow, pays for its size. The sizes are bounds computed from the facts, the
// constants and the instructions, without evaluating anything:
//   m    log2 of a bound on |value|;
//   d    log2 of a bound on the denominator;
//   dec  the denominator divides 10^(d / log2 10), so that sums keep it (0.5 + 0.25).
using size_bound = value_size;

constexpr double log2_10 = 3.3219280948873623;
constexpr double size_cap = 1e15;  // bits; past it everything saturates anyway

inline double cap_bits(double x) noexcept { return x > size_cap ? size_cap : x; }

inline size_bound size_of(const decimal& v) noexcept { return size_of_value(v); }

// log2(1 + 2^-k) for k = 0..32: log2(2^hi + 2^lo) <= hi + lse_step[floor(hi - lo)], an upper
// bound without a logarithm per instruction (the function decreases).
constexpr double lse_step[33] = {
    1.000000000001, 0.5849625007217412, 0.3219280948876843, 0.16992500144248232,
    0.08746284125042687, 0.04439411935849783, 0.02236781302847688, 0.011227255423265348,
    0.0056245491938837315, 0.0028150156070568537, 0.0014081943928097973, 0.0007042690112473476,
    0.00035217748030137947, 0.00017609948644268215, 8.805243012226497e-05, 4.402688682736075e-05,
    2.2013611360362512e-05, 1.100684766749245e-05, 5.503434330654108e-06, 2.751719789564035e-06,
    1.375860550842514e-06, 6.879304394365377e-07, 3.4396526072210854e-07, 1.7198264061201664e-07,
    8.599132286874921e-08, 4.299566207505987e-08, 2.1497831197701256e-08, 1.0748915638893459e-08,
    5.374457829457437e-09, 2.6872289172313957e-09, 1.343614459241367e-09, 6.718072297771008e-10,
    3.359036149276547e-10};

inline double limbs(const size_bound& s) noexcept {
    const double num = s.m + s.d > 1 ? s.m + s.d : 1;
    return std::ceil(num / 63) + std::ceil((s.d > 1 ? s.d : 1) / 63);
}

// One operation on a and b.
inline double op_cost(const size_bound& a, const size_bound& b) noexcept {
    if (a.m + a.d <= 62 && a.d <= 62 && b.m + b.d <= 62 && b.d <= 62) return 1;  // both small
    const double l = limbs(a) + limbs(b);
    return l <= 4 ? 1 : l * l;
}

inline size_bound join(const size_bound& a, const size_bound& b) noexcept {
    return {a.m > b.m ? a.m : b.m, a.d > b.d ? a.d : b.d, a.dec && b.dec};
}

inline size_bound add_bound(const size_bound& a, const size_bound& b) noexcept {
    const double hi = a.m > b.m ? a.m : b.m, lo = a.m > b.m ? b.m : a.m;
    size_bound r;
    const double gap = hi - lo;
    r.m = cap_bits(hi + (gap < 32 ? lse_step[static_cast<int>(gap)] : lse_step[32]));
    r.dec = a.dec && b.dec;
    r.d = cap_bits(r.dec ? (a.d > b.d ? a.d : b.d) : a.d + b.d);
    return r;
}

inline size_bound mul_bound(const size_bound& a, const size_bound& b) noexcept {
    return {cap_bits(a.m + b.m), cap_bits(a.d + b.d), a.dec && b.dec};
}

inline size_bound div_bound(const size_bound& a, const size_bound& b) noexcept {
    // |a / b| <= |a| * den(b), since |num(b)| >= 1; the new denominator divides den(a) * num(b).
    const double num_b = b.m + b.d > 1 ? b.m + b.d : 1;
    return {cap_bits(a.m + b.d), cap_bits(a.d + num_b), false};
}

inline size_bound small_int_bound(double count) noexcept { return {std::log2(count + 1), 0, true}; }

struct step_counter {
    const program& p;
    const fact_set& facts;
    std::vector<size_bound>& r;
    const size_bound* k;  // the constants' sizes
    // evaluation_steps_within(): every list taken as `list_length` elements, each of its input's
    // size (per input), instead of the facts' lists.
    const std::vector<size_bound>* list_sizes = nullptr;
    std::size_t list_length = 0;

    [[nodiscard]] std::size_t list_size(std::uint32_t input) const { return list_sizes ? list_length : facts.lists[input].size(); }

    // Walks code[begin, end) the way run_code runs it: a jump skips a loop body, and the
    // count_where after the body runs it once per element. Recursion only for loops inside
    // loop conditions, which the parser's nesting limit bounds.
    double walk(std::uint32_t begin, std::uint32_t end) {
        double n = 0;
        const std::uint32_t* ops = detail::internals(p).operands_.data();
        for (std::uint32_t pc = begin; pc < end; ++pc) {
            const instruction& in = detail::internals(p).code_[pc];
            double c = 1;
            size_bound out;
            switch (in.op) {
                case opcode::ratio: {
                    c = op_cost(r[in.a], r[in.b]);
                    out = div_bound(r[in.a], r[in.b]);
                    if (detail::internals(p).ratio_clamp_[in.n]) out.m = out.m < 1 ? out.m : 1;
                    if (const auto& z = detail::internals(p).ratio_if_zero_[in.n]) out = join(out, size_of(*z));
                    break;
                }
                case opcode::neg:
                case opcode::abs: out = r[in.a]; c = op_cost(r[in.a], {}); break;
                case opcode::floor:
                case opcode::ceil:
                    out = {cap_bits(r[in.a].m + 1), 0, true};
                    c = op_cost(r[in.a], {});
                    break;
                case opcode::round: {
                    const std::int64_t places = k[in.k].m > 40 ? 0 : detail::internals(p).constants_[in.k].to_int64();
                    out = {cap_bits(r[in.a].m + 1), places > 0 ? static_cast<double>(places) * log2_10 : 0, true};
                    c = op_cost(r[in.a], out);
                    break;
                }
                case opcode::not_:
                case opcode::and_:
                case opcode::or_: out = {0, 0, true}; break;
                case opcode::compare:
                    c = op_cost(r[in.a], r[in.b]);
                    out = {0, 0, true};
                    break;
                case opcode::add:
                case opcode::sub:
                    c = op_cost(r[in.a], r[in.b]);
                    out = add_bound(r[in.a], r[in.b]);
                    break;
                case opcode::mul:
                    c = op_cost(r[in.a], r[in.b]);
                    out = mul_bound(r[in.a], r[in.b]);
                    break;
                case opcode::div:
                    c = op_cost(r[in.a], r[in.b]);
                    out = div_bound(r[in.a], r[in.b]);
                    break;
                case opcode::select: {
                    const std::uint32_t* o = ops + in.n;
                    const std::uint32_t pairs = (in.count - (in.flag ? 1 : 0)) / 2;
                    out = {0, 0, true};
                    for (std::uint32_t i = 0; i < pairs; ++i) out = join(out, r[o[2 * i + 1]]);
                    if (in.flag) out = join(out, r[o[in.count - 1]]);
                    break;
                }
                case opcode::min:
                case opcode::max: {
                    const std::uint32_t* o = ops + in.n;
                    out = r[o[0]];
                    c = 0;
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        c += op_cost(out, r[o[i]]);
                        out = join(out, r[o[i]]);
                    }
                    if (c < 1) c = 1;
                    break;
                }
                case opcode::clamp:
                    out = join(join(r[in.a], r[in.b]), r[in.c]);
                    c = op_cost(r[in.a], r[in.b]) + op_cost(r[in.a], r[in.c]);
                    break;
                case opcode::reach: {
                    c = op_cost(r[in.a], r[in.b]);
                    out = div_bound(r[in.a], r[in.b]);
                    out.m = out.m < 1 ? out.m : 1;
                    break;
                }
                case opcode::count_list: out = small_int_bound(in.count); break;
                case opcode::each_list: {
                    out = mul_bound(k[in.k], small_int_bound(in.count));
                    c = op_cost(k[in.k], {});
                    if (in.flag) out = join(out, k[in.k + 1]);
                    break;
                }
                case opcode::each_count: {
                    c = op_cost(k[in.k], r[in.a]);
                    out = mul_bound(k[in.k], r[in.a]);
                    if (in.flag) out = join(out, k[in.k + 1]);
                    break;
                }
                case opcode::count_where: {
                    const std::size_t n_elements = list_size(in.a);
                    out = small_int_bound(static_cast<double>(n_elements));
                    if (n_elements > 0) {
                        size_bound el;
                        if (list_sizes) {
                            el = (*list_sizes)[in.a];
                        } else {
                            const auto& list = facts.lists[in.a];
                            el = size_of(list.front());
                            for (const decimal& v : list) el = join(el, size_of(v));
                        }
                        r[in.b] = el;
                        c += static_cast<double>(n_elements) * walk(in.n, in.n + in.count);
                    }
                    break;
                }
                case opcode::pick:
                case opcode::pick_max: {
                    out = {0, 0, true};
                    for (std::uint32_t i = 0; i < in.count; ++i) out = join(out, k[in.k + i]);
                    if (in.op == opcode::pick_max) c = 1 + static_cast<double>(list_size(in.a));
                    break;
                }
                case opcode::checklist: {
                    out = {0, 0, true};
                    c = 0;
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        c += op_cost(out, k[in.k + i]);
                        out = add_bound(out, k[in.k + i]);
                    }
                    if (c < 1) c = 1;
                    break;
                }
                case opcode::tier: {
                    const compiled_band* b = detail::internals(p).bands_.data() + in.n;
                    out = k[in.k];
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        c += op_cost(r[in.a], b[i].bound_reg != no_id ? r[b[i].bound_reg] : size_of(b[i].bound));
                        out = join(out, size_of(b[i].score));
                    }
                    break;
                }
                case opcode::deduct:
                case opcode::penalty: {
                    const compiled_term* t = detail::internals(p).terms_.data() + in.n;
                    out = {0, 0, true};
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        const size_bound per = size_of(t[i].per), term = mul_bound(per, r[t[i].count_reg]);
                        c += op_cost(per, r[t[i].count_reg]) + op_cost(out, term);
                        out = add_bound(out, term);
                    }
                    if (in.flag) out = join(out, k[in.k]);
                    if (in.op == opcode::deduct) {
                        c += op_cost(k[in.k + 1], out);
                        out = join(add_bound(k[in.k + 1], out), k[in.k + 1]);
                    }
                    break;
                }
                case opcode::drop: {
                    const size_bound &amount = k[in.k], &step = k[in.k + 1], &base = k[in.k + 3];
                    const size_bound& target = in.flag ? r[in.b] : k[in.k + 2];
                    const size_bound gap = add_bound(target, r[in.a]), q = div_bound(gap, step), m = mul_bound(amount, q);
                    c = op_cost(target, r[in.a]) + op_cost(gap, step) + op_cost(amount, q) + op_cost(base, m);
                    out = join(add_bound(base, m), base);
                    break;
                }
                case opcode::jump:
                    pc = in.n - 1;
                    n += 1;
                    continue;
            }
            r[in.dst] = out;
            n += c;
            if (n > 1.8e19) n = 1.8e19;
        }
        return n;
    }
};

}  // namespace detail

RUBRIC_FUNC value_size size_of_value(const decimal& v) noexcept {
    value_size s;
    const auto nb = static_cast<double>(v.numerator_bits()), db = static_cast<double>(v.denominator_bits());
    // |num| < 2^nb (and is 1 when nb is 1, so that 1 * 1 * … stays small); den >= 2^(db - 1).
    if (v.is_zero()) s.m = -64;  // 0 times anything stays 0
    else s.m = (nb <= 1 ? 0 : nb) - (db - 1);
    const int places = v.small_decimal_places();
    s.dec = places >= 0;
    s.d = places >= 0 ? places * detail::log2_10 : db;
    return s;
}

namespace detail {
// A cohort in stages evaluates each unit once per measuring pass past the first as well (the
// first measures only what its rules rank): those passes count the unit's steps again.
inline double pass_factor(const program& p) noexcept {
    return static_cast<double>(std::max<std::size_t>(1, p.cohort_stages()));
}
}  // namespace detail

RUBRIC_FUNC std::uint64_t evaluation_steps(const program& p, const fact_set& facts) {
    // Scratch kept per thread: binding a unit allocates nothing here once warm.
    thread_local std::vector<detail::size_bound> regs;
    regs.assign(p.register_count(), detail::size_bound{});
    for (std::size_t i = 0; i < detail::internals(p).preamble_regs_.size(); ++i) regs[detail::internals(p).preamble_regs_[i]] = detail::internals(p).preamble_sizes_[i];
    for (std::size_t i = 0; i < detail::internals(p).inputs_.size(); ++i) regs[detail::internals(p).inputs_[i].reg] = detail::size_of(facts.values[i].v);
    // A cohort's result (a rank, a mean, a count) is bounded by the facts; take a generous size.
    for (const auto& c : detail::internals(p).cohort_slots_) regs[c.reg] = {64, 64, false};
    detail::step_counter counter{p, facts, regs, detail::internals(p).constant_sizes_.data()};
    const double n = counter.walk(0, static_cast<std::uint32_t>(detail::internals(p).code_.size())) * detail::pass_factor(p);
    return n >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(n);
}

RUBRIC_FUNC std::uint64_t evaluation_steps_within(const program& p, const std::vector<value_size>& sizes, std::size_t list_length) {
    const auto& in = detail::internals(p);
    if (sizes.size() != in.inputs_.size()) return UINT64_MAX;
    std::vector<detail::size_bound> regs(p.register_count(), detail::size_bound{});
    for (std::size_t i = 0; i < in.preamble_regs_.size(); ++i) regs[in.preamble_regs_[i]] = in.preamble_sizes_[i];
    for (std::size_t i = 0; i < in.inputs_.size(); ++i) regs[in.inputs_[i].reg] = sizes[i];  // a list's length too (sizes are generous: 63 bits)
    for (const auto& c : in.cohort_slots_) regs[c.reg] = {64, 64, false};
    // A list's elements are each within its input's size: list_length of them, not the facts'.
    const fact_set no_lists;
    detail::step_counter counter{p, no_lists, regs, in.constant_sizes_.data(), &sizes, list_length};
    const double n = counter.walk(0, static_cast<std::uint32_t>(in.code_.size())) * detail::pass_factor(p);
    return n >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(n);
}

RUBRIC_FUNC void detail::evaluate_general(const program& p, const fact_set& facts, const value* cohort, evaluation& ev) {
    ev.scored_small_ = false;
    auto& r = ev.regs_;
    // Inputs into their registers.
    const auto& slots = detail::internals(p).inputs_;
    for (std::size_t i = 0; i < slots.size(); ++i) r[slots[i].reg] = facts.values[i];
    if (!detail::internals(p).cohort_slots_.empty()) {
        const auto& cs = detail::internals(p).cohort_slots_;
        if (cohort == nullptr) {
            for (const auto& c : cs) r[c.reg] = value{decimal(), true};
        } else {
            for (std::size_t i = 0; i < cs.size(); ++i) r[cs[i].reg] = cohort[i];
        }
    }
    detail::run_code(p, facts, r, 0, static_cast<std::uint32_t>(detail::internals(p).code_.size()));

    const decimal zero;
    ev.total_ = zero;
    ev.bonus_ = zero;
    const ast& t = p.tree();
    for (node_id id : detail::internals(p).post_order_) {
        const node_plan& plan = detail::internals(p).nodes_[id];
        decimal& out = ev.node_scores_[id];
        decimal& raw = ev.raw_scores_[id];
        raw = zero;
        if (plan.kind == node_kind::item) {
            for (std::uint32_t i = 0; i < plan.parts_count; ++i) {
                const value& v = r[detail::internals(p).part_regs_[plan.parts_begin + i]];
                // An undefined part (zero denominator) scores 0.
                ev.part_undefined_[plan.parts_begin + i] = v.undefined ? 1 : 0;
                if (!v.undefined) raw += v.v;
            }
            // 条目得分限定在 [0, 分值] 之内 (奖扣分的条目除外: signed).
            out = plan.signed_score ? raw : raw.sign() < 0 ? zero : raw > plan.points ? plan.points : raw;
        } else if (plan.kind == node_kind::task) {
            out = zero;
        } else {
            for (std::uint32_t i = 0; i < plan.children_count; ++i) raw += ev.node_scores_[detail::internals(p).child_ids_[plan.children_begin + i]];
            out = raw;
            if (plan.kind == node_kind::bonus && raw > plan.points) out = plan.points;
            if (plan.adjust_max && out > *plan.adjust_max) out = *plan.adjust_max;
            if (plan.adjust_min && out < *plan.adjust_min) out = *plan.adjust_min;
        }
        if (t.nodes[id].parent == no_id) {
            if (plan.kind == node_kind::bonus) ev.bonus_ += out;
            else if (plan.kind != node_kind::adjustments) ev.total_ += out;  // adjustments: evaluation::adjustments()
        }
    }
    for (std::size_t i = 0; i < detail::internals(p).warnings_.size(); ++i) {
        const warning_plan& w = detail::internals(p).warnings_[i];
        if (w.condition_reg != no_id) ev.warnings_[i] = detail::truthy(r[w.condition_reg]) ? 1 : 0;
        else ev.warnings_[i] = compare(w.node == no_id ? ev.total_ : ev.node_scores_[w.node], w.op, w.threshold) ? 1 : 0;
    }
}

namespace detail {

// Loads a unit's facts, and its cohort results (`cohort`: one per program::cohort_slots(); null:
// undefined, as in a cohort's measuring pass), into lane l of L columnar registers; false when one
// of them needs big integers.
template <std::size_t L>
inline bool load_lane(const program& p, const small_plan& plan, const fact_set& facts, const value* cohort,
                      small_value* r, std::size_t l) noexcept {
    const value* given = facts.values.data();
    // Inputs are registers input_regs[0], +1, … (compile() numbers them so; make_small_plan
    // checks it), so this is a copy from one array to another. Without a branch per fact (a real
    // table has ~140, most of them booleans): an undefined fact becomes 0/0 (undefined), and a big
    // one (small_parts writes nothing) would too, so it is remembered and the lane fails after.
    bool all_small = true;
    const std::size_t n = plan.input_regs.size();
    small_value* to = n ? r + std::size_t{plan.input_regs[0]} * L + l : r;
    for (std::size_t i = 0; i < n; ++i, to += L) {
        const value& f = given[i];
        std::int64_t num = 0, den = 0;
        const bool small = f.v.small_parts(num, den);
        all_small &= small | f.undefined;
        to->n = f.undefined ? 0 : num;
        to->d = f.undefined ? 0 : den;
    }
    if (!all_small) return false;
    const auto& cs = detail::internals(p).cohort_slots_;
    for (std::size_t i = 0; i < cs.size(); ++i) {
        small_value& to = r[cs[i].reg * L + l];
        if (!cohort || cohort[i].undefined) to = small_undefined;
        else if (!cohort[i].v.small_parts(to.n, to.d)) return false;
    }
    return true;
}

// load_lane for a whole block of L units (evaluate_batch; no cohort values): fact by fact, the
// row of its L registers written side by side, each unit's fact read from its own values array.
// One loop over the facts whose body is the L lanes unrolled, instead of L loops over the facts.
// Returns the lanes with a fact that needs big integers.
template <std::size_t L>
inline std::uint64_t load_block(const small_plan& plan, const fact_set* facts, small_value* r) noexcept {
    const std::size_t n = plan.input_regs.size();
    if (n == 0) return 0;
    const value* given[L];
    for (std::size_t l = 0; l < L; ++l) given[l] = facts[l].values.data();
    small_value* row = r + std::size_t{plan.input_regs[0]} * L;
    bool all_small = true;
    for (std::size_t i = 0; i < n; ++i, row += L) {
        for (std::size_t l = 0; l < L; ++l) {
            const value& f = given[l][i];
            std::int64_t num = 0, den = 0;
            const bool small = f.v.small_parts(num, den);
            all_small &= small | f.undefined;
            row[l].n = f.undefined ? 0 : num;
            row[l].d = f.undefined ? 0 : den;
        }
    }
    std::uint64_t big = 0;
    if (!all_small)  // which lanes (rare)
        for (std::size_t l = 0; l < L; ++l)
            for (std::size_t i = 0; i < n; ++i) {
                std::int64_t num, den;
                if (!given[l][i].undefined && !given[l][i].v.small_parts(num, den)) big |= std::uint64_t{1} << l;
            }
    return big;
}

}  // namespace detail

RUBRIC_FUNC bool detail::evaluate_small(const program& p, const fact_set& facts, const value* cohort, evaluation& ev) {
    using namespace detail;
    small_value* r = ev.small_regs_.data();
    if (!load_lane<1>(p, ev.small_, facts, cohort, r, 0)) return false;
    std::uint64_t failed = 0;
    const fact_set* unit = &facts;
    failed = run_lanes<1>(p, ev.small_, &unit, r, 0, static_cast<std::uint32_t>(detail::internals(p).code_.size()), failed);
    if (failed) return false;
    small_value* node = ev.small_nodes_.data();
    small_value* raw = ev.small_raw_.data();
    small_value total, bonus;
    if (!sum_one(p, ev.small_, r, node, raw, total, bonus)) return false;
    flag_lanes<1>(p, ev.small_, r, node, &total, nullptr, ev.warnings_.data());  // the parts: undefined_parts()
    // Node scores become decimals as they are read (node_score(), raw_score()): a copy each.
    ev.total_ = to_decimal(total);
    ev.bonus_ = to_decimal(bonus);
    ev.scored_small_ = true;
    if (++ev.stamp_ == 0) {  // after 2^32 units: forget every stamp rather than trust an old one
        std::fill(ev.reg_stamp_.begin(), ev.reg_stamp_.end(), 0);
        std::fill(ev.node_stamp_.begin(), ev.node_stamp_.end(), 0);
        ev.parts_stamp_ = 0;
        ev.stamp_ = 1;
    }
    return true;
}

namespace detail {

// A cohort's measuring pass on the fast path, over the plan's slice: only the registers its rules
// read are worked out (the node scores are not). False when a value leaves int64.
inline bool measure_small(const program& p, const fact_set& facts, small_value* r, const small_plan& plan) noexcept {
    for (std::uint32_t i : plan.measure_inputs) {
        const value& f = facts.values[i];
        small_value& to = r[plan.input_regs[i]];
        if (f.undefined) to = small_undefined;
        else if (!f.v.small_parts(to.n, to.d)) return false;
    }
    for (const cohort_slot& c : detail::internals(p).cohort_slots_) r[c.reg] = small_undefined;
    std::uint64_t failed = 0;
    const fact_set* unit = &facts;
    for (std::uint32_t pc : plan.measure_code) {
        failed = run_lanes<1>(p, plan, &unit, r, pc, pc + 1, failed);
        if (failed) return false;
    }
    return true;
}

}  // namespace detail

RUBRIC_FUNC void detail::evaluate_in_cohort(const program& p, const fact_set& facts, const value* cohort,
                                            evaluation& ev) {
    if (ev.prepared_for_ != &p) ev.prepare(p);
    // The measuring pass (cohort values not known yet) of a program that can be sliced: only the
    // registers reg() is asked for (cohort_evaluation::measure); node scores are left as they were.
    if (cohort == nullptr && ev.small_.usable && ev.small_.measure_sliced &&
        detail::measure_small(p, facts, ev.small_regs_.data(), ev.small_)) {
        ev.scored_small_ = true;
        if (++ev.stamp_ == 0) {
            std::fill(ev.reg_stamp_.begin(), ev.reg_stamp_.end(), 0);
            std::fill(ev.node_stamp_.begin(), ev.node_stamp_.end(), 0);
            ev.parts_stamp_ = 0;
            ev.stamp_ = 1;
        }
        return;
    }
    if (ev.small_.usable && detail::evaluate_small(p, facts, cohort, ev)) return;
    detail::evaluate_general(p, facts, cohort, ev);
}

RUBRIC_FUNC void evaluate(const program& p, const fact_set& facts, evaluation& ev) {
    if (p.needs_cohort())
        throw cohort_required("this rubric ranks units within a cohort: score it with cohort_evaluation");
    detail::evaluate_in_cohort(p, facts, nullptr, ev);  // no cohort values: the program reads none
}

RUBRIC_FUNC void detail::evaluate_on_general_path(const program& p, const fact_set& facts, evaluation& ev) {
    if (p.needs_cohort())
        throw cohort_required("this rubric ranks units within a cohort: score it with cohort_evaluation");
    if (ev.prepared_for_ != &p) ev.prepare(p);
    detail::evaluate_general(p, facts, nullptr, ev);
}

RUBRIC_FUNC void detail::measure_on_general_path(const program& p, const fact_set& facts, evaluation& ev) {
    if (ev.prepared_for_ != &p) ev.prepare(p);
    detail::evaluate_general(p, facts, nullptr, ev);
}

RUBRIC_FUNC bool detail::scored_on_fast_path(const evaluation& ev) noexcept { return ev.scored_small_; }

RUBRIC_FUNC bool detail::small_node_score(const evaluation& ev, node_id id, small_value& out) noexcept {
    if (!ev.scored_small_) return false;
    out = ev.small_nodes_[id];
    return true;
}

RUBRIC_FUNC const detail::small_value* detail::small_node_scores(const evaluation& ev) noexcept {
    return ev.scored_small_ ? ev.small_nodes_.data() : nullptr;
}


// --- evaluate_batch ---------------------------------------------------------------------------

RUBRIC_FUNC void batch_evaluation::prepare(const program& p) {
    one_.prepare(p);
    constexpr std::size_t L = lanes;
    node_count_ = p.node_count();
    part_count_ = detail::internals(p).part_regs_.size();
    warning_count_ = detail::internals(p).warnings_.size();
    // count_where and pick_max read each unit's own lists: such programs are scored unit by unit.
    batchable_ = one_.small_.usable &&
                 std::none_of(detail::internals(p).code_.begin(), detail::internals(p).code_.end(), [](const instruction& in) {
                     return in.op == opcode::count_where || in.op == opcode::pick_max;
                 });
    regs_.assign(p.register_count() * L, detail::small_zero);
    scaled_.assign(p.node_count() * L, 0);
    rest_.assign(p.node_count() * L, detail::small_zero);
    fractional_.assign(p.node_count(), 0);
    for (std::uint32_t x = 0; x < p.register_count(); ++x)
        for (std::size_t l = 0; l < L; ++l) regs_[x * L + l] = one_.small_regs_[x];  // the constants
    prepared_for_ = &p;
}

RUBRIC_FUNC decimal batch_evaluation::node_score(std::size_t unit, node_id id) const {
    if (alone_[unit]) return alone_nodes_[(alone_[unit] - 1) * node_count_ + id];
    return detail::to_decimal(small_node(unit, id));
}

RUBRIC_FUNC decimal batch_evaluation::total(std::size_t unit) const {
    if (alone_[unit]) return alone_totals_[(alone_[unit] - 1) * 2];
    return detail::to_decimal(totals_[unit]);
}

RUBRIC_FUNC decimal batch_evaluation::bonus(std::size_t unit) const {
    if (alone_[unit]) return alone_totals_[(alone_[unit] - 1) * 2 + 1];
    return detail::to_decimal(bonuses_[unit]);
}

RUBRIC_FUNC bool batch_evaluation::any_warning(std::size_t unit) const {
    for (std::size_t w = 0; w < warning_count_; ++w)
        if (warnings_[unit * warning_count_ + w]) return true;
    return false;
}

RUBRIC_FUNC void evaluate_batch(const program& p, const fact_set* facts, std::size_t count, batch_evaluation& out) {
    using namespace detail;
    if (p.needs_cohort())
        throw cohort_required("this rubric ranks units within a cohort: score it with cohort_evaluation");
    if (out.prepared_for_ != &p) out.prepare(p);
    constexpr std::size_t L = batch_evaluation::lanes;
    const std::size_t blocks = (count + L - 1) / L;
    out.units_ = count;
    out.alone_count_ = 0;
    out.nodes_.resize(blocks * out.node_count_ * L);
    out.totals_.resize(blocks * L);
    out.bonuses_.resize(blocks * L);
    out.warnings_.resize(blocks * L * out.warning_count_);
    out.part_undefined_.resize(blocks * L * out.part_count_);
    out.alone_.assign(count, 0);
    out.alone_nodes_.clear();
    out.alone_totals_.clear();
    // Scores unit u alone, with evaluate(), and keeps its results as decimals.
    auto alone = [&](std::size_t u) {
        evaluate(p, facts[u], out.one_);
        out.alone_[u] = static_cast<std::uint32_t>(++out.alone_count_);
        for (node_id id = 0; id < out.node_count_; ++id) out.alone_nodes_.push_back(out.one_.node_score(id));
        out.alone_totals_.push_back(out.one_.total());
        out.alone_totals_.push_back(out.one_.bonus());
        std::copy(out.one_.warnings_.begin(), out.one_.warnings_.end(), out.warnings_.begin() + u * out.warning_count_);
        const auto& parts = out.one_.undefined_parts();  // filled on demand after the fast path
        for (std::size_t i = 0; i < out.part_count_; ++i)
            out.part_undefined_[((u / L) * out.part_count_ + i) * L + u % L] = parts[i];
    };
    if (!out.batchable_) {
        for (std::size_t u = 0; u < count; ++u) alone(u);
        return;
    }
    small_value* r = out.regs_.data();
    const auto code_size = static_cast<std::uint32_t>(detail::internals(p).code_.size());
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t first = b * L, in_block = std::min(L, count - first);
        std::uint64_t failed = 0;
        // Lanes past the last unit keep the values of an earlier block (all valid) and are ignored.
        if (in_block == L)
            failed = load_block<L>(out.one_.small_, facts + first, r);
        else
            for (std::size_t l = 0; l < in_block; ++l)
                if (!load_lane<L>(p, out.one_.small_, facts[first + l], nullptr, r, l)) failed |= std::uint64_t{1} << l;
        failed = run_lanes<L>(p, out.one_.small_, nullptr, r, 0, code_size, failed);
        small_value* nodes = out.nodes_.data() + b * out.node_count_ * L;
        sum_lanes<L>(p, out.one_.small_, r, nodes, out.scaled_.data(), out.rest_.data(), out.fractional_.data(),
                     out.totals_.data() + first, out.bonuses_.data() + first, failed);
        flag_lanes<L>(p, out.one_.small_, r, nodes, out.totals_.data() + first, out.part_undefined_.data() + b * out.part_count_ * L,
                      out.warnings_.data() + first * out.warning_count_);
        for (std::size_t l = 0; l < in_block; ++l)
            if (failed & (std::uint64_t{1} << l)) alone(first + l);
    }
}

}  // namespace rubric
