// Definitions for rubric/evaluate.hpp: the instruction loop.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

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

    // Walks code[begin, end) the way run_code runs it: a jump skips a loop body, and the
    // count_where after the body runs it once per element. Recursion only for loops inside
    // loop conditions, which the parser's nesting limit bounds.
    double walk(std::uint32_t begin, std::uint32_t end) {
        double n = 0;
        const std::uint32_t* ops = p.operands_.data();
        for (std::uint32_t pc = begin; pc < end; ++pc) {
            const instruction& in = p.code_[pc];
            double c = 1;
            size_bound out;
            switch (in.op) {
                case opcode::ratio: {
                    c = op_cost(r[in.a], r[in.b]);
                    out = div_bound(r[in.a], r[in.b]);
                    if (p.ratio_clamp_[in.n]) out.m = out.m < 1 ? out.m : 1;
                    if (const auto& z = p.ratio_if_zero_[in.n]) out = join(out, size_of(*z));
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
                    const std::int64_t places = k[in.k].m > 40 ? 0 : p.constants_[in.k].to_int64();
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
                    const auto& list = facts.lists[in.a];
                    out = small_int_bound(static_cast<double>(list.size()));
                    if (!list.empty()) {
                        size_bound el = size_of(list.front());
                        for (const decimal& v : list) el = join(el, size_of(v));
                        r[in.b] = el;
                        c += static_cast<double>(list.size()) * walk(in.n, in.n + in.count);
                    }
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
                    const compiled_band* b = p.bands_.data() + in.n;
                    out = k[in.k];
                    for (std::uint32_t i = 0; i < in.count; ++i) {
                        c += op_cost(r[in.a], size_of(b[i].bound));
                        out = join(out, size_of(b[i].score));
                    }
                    break;
                }
                case opcode::deduct:
                case opcode::penalty: {
                    const compiled_term* t = p.terms_.data() + in.n;
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
                    const size_bound &amount = k[in.k], &step = k[in.k + 1], &target = k[in.k + 2], &base = k[in.k + 3];
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

RUBRIC_FUNC std::uint64_t evaluation_steps(const program& p, const fact_set& facts) {
    // Scratch kept per thread: binding a unit allocates nothing here once warm.
    thread_local std::vector<detail::size_bound> regs;
    regs.assign(p.register_count(), detail::size_bound{});
    for (std::size_t i = 0; i < p.preamble_regs_.size(); ++i) regs[p.preamble_regs_[i]] = p.preamble_sizes_[i];
    for (std::size_t i = 0; i < p.inputs_.size(); ++i) regs[p.inputs_[i].reg] = detail::size_of(facts.values[i].v);
    // A cohort's result (a rank, a mean, a count) is bounded by the facts; take a generous size.
    for (const auto& c : p.cohort_slots_) regs[c.reg] = {64, 64, false};
    detail::step_counter counter{p, facts, regs, p.constant_sizes_.data()};
    const double n = counter.walk(0, static_cast<std::uint32_t>(p.code_.size()));
    return n >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(n);
}

RUBRIC_FUNC std::uint64_t evaluation_steps_within(const program& p, const std::vector<value_size>& sizes) {
    for (const auto& in : p.inputs_)
        if (in.type == input_type::list) return UINT64_MAX;
    if (sizes.size() != p.inputs_.size()) return UINT64_MAX;
    std::vector<detail::size_bound> regs(p.register_count(), detail::size_bound{});
    for (std::size_t i = 0; i < p.preamble_regs_.size(); ++i) regs[p.preamble_regs_[i]] = p.preamble_sizes_[i];
    for (std::size_t i = 0; i < p.inputs_.size(); ++i) regs[p.inputs_[i].reg] = sizes[i];
    for (const auto& c : p.cohort_slots_) regs[c.reg] = {64, 64, false};
    const fact_set no_lists;  // no list inputs: the walk reads no list
    detail::step_counter counter{p, no_lists, regs, p.constant_sizes_.data()};
    const double n = counter.walk(0, static_cast<std::uint32_t>(p.code_.size()));
    return n >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(n);
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
