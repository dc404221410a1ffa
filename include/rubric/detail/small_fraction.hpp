// rubric (internal): exact arithmetic on fractions of two int64, for the evaluator's fast path
// (impl/evaluate.inl). A value is n/d with d > 0, not necessarily reduced: sums over a common
// denominator need no gcd, and comparisons, signs and truth do not care. small_reduced() gives
// decimal's small form (reduced) when a value is handed out. An operation whose exact result does
// not fit returns false; the evaluator then scores the unit on the general path (decimal, with
// big integers), so no result is ever rounded or wrapped.
//
// Everything is inline: the point is that an addition costs a few instructions, not a call.
#pragma once

#include <cstdint>

namespace rubric::detail {

// n/d, d > 0; or undefined (a ratio over zero) when d == 0, with n == 0.
struct small_value {
    std::int64_t n = 0;
    std::int64_t d = 1;
};

constexpr small_value small_undefined{0, 0};
constexpr small_value small_zero{0, 1};
constexpr small_value small_one{1, 1};

inline bool is_undefined(small_value v) noexcept { return v.d == 0; }
// A condition: defined and not zero.
inline bool small_truthy(small_value v) noexcept { return v.d != 0 && v.n != 0; }
inline small_value small_bool(bool b) noexcept { return {b ? 1 : 0, 1}; }

inline std::uint64_t small_magnitude(std::int64_t v) noexcept {
    return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

// Binary gcd; gcd(0, b) == b. The operands of a real rubric are small, so few rounds.
inline std::uint64_t small_gcd(std::uint64_t a, std::uint64_t b) noexcept {
    if (a == 0) return b;
    if (b == 0) return a;
    if (a == 1 || b == 1) return 1;  // an integer's denominator: the common case
    const int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            const std::uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b != 0);
    return a << shift;
}

// a ± b (both defined), over the least common denominator; the numerator is not reduced.
inline bool small_add(small_value a, small_value b, bool subtract, small_value& out) noexcept {
    std::int64_t t;
    // Sums of scores start at 0 and many parts are 0: no arithmetic for those.
    if (b.n == 0) {
        out = a;
        return true;
    }
    if (a.n == 0 && (!subtract || b.n != INT64_MIN)) {
        out = {subtract ? -b.n : b.n, b.d};
        return true;
    }
    if (a.d == b.d) {
        if (subtract ? __builtin_sub_overflow(a.n, b.n, &t) : __builtin_add_overflow(a.n, b.n, &t)) return false;
        out = {t, a.d};
        return true;
    }
    const auto g = static_cast<std::int64_t>(small_gcd(static_cast<std::uint64_t>(a.d), static_cast<std::uint64_t>(b.d)));
    const std::int64_t ag = a.d / g, bg = b.d / g;
    std::int64_t x, y, den;
    if (__builtin_mul_overflow(a.n, bg, &x) || __builtin_mul_overflow(b.n, ag, &y)) return false;
    if (subtract ? __builtin_sub_overflow(x, y, &t) : __builtin_add_overflow(x, y, &t)) return false;
    if (__builtin_mul_overflow(ag, b.d, &den)) return false;
    out = {t, den};
    return true;
}

inline bool small_mul(small_value a, small_value b, small_value& out) noexcept {
    std::int64_t n, d;
    if (a.d == 1 && b.d == 1) {
        if (__builtin_mul_overflow(a.n, b.n, &n)) return false;
        out = {n, 1};
        return true;
    }
    if (a.n == 0 || b.n == 0) {
        out = small_zero;
        return true;
    }
    if (b.d == 1 || a.d == 1) {  // a fraction times an integer (0.5 × hits): one gcd
        const small_value f = b.d == 1 ? a : b, i = b.d == 1 ? b : a;
        const auto g = static_cast<std::int64_t>(small_gcd(small_magnitude(i.n), static_cast<std::uint64_t>(f.d)));
        if (__builtin_mul_overflow(f.n, i.n / g, &n)) return false;
        out = {n, f.d / g};
        return true;
    }
    const auto g1 = static_cast<std::int64_t>(small_gcd(small_magnitude(a.n), static_cast<std::uint64_t>(b.d)));
    const auto g2 = static_cast<std::int64_t>(small_gcd(small_magnitude(b.n), static_cast<std::uint64_t>(a.d)));
    if (__builtin_mul_overflow(a.n / g1, b.n / g2, &n) || __builtin_mul_overflow(a.d / g2, b.d / g1, &d)) return false;
    out = {n, d};
    return true;
}

// a / b, b != 0.
inline bool small_div(small_value a, small_value b, small_value& out) noexcept {
    if (a.n == 0) {
        out = small_zero;
        return true;
    }
    // Two integers (a ratio of two counts, the common case): a/b as it stands, unreduced, so no
    // gcd; only the sign moves to the numerator.
    if (a.d == 1 && b.d == 1 && a.n != INT64_MIN && b.n != INT64_MIN) {
        out = b.n > 0 ? small_value{a.n, b.n} : small_value{-a.n, -b.n};
        return true;
    }
    const bool negative = (a.n < 0) != (b.n < 0);
    const std::uint64_t am = small_magnitude(a.n), bm = small_magnitude(b.n);
    const std::uint64_t g1 = small_gcd(am, bm);
    const std::uint64_t g2 = small_gcd(static_cast<std::uint64_t>(a.d), static_cast<std::uint64_t>(b.d));
    std::uint64_t nm, dm;
    if (__builtin_mul_overflow(am / g1, static_cast<std::uint64_t>(b.d) / g2, &nm)) return false;
    if (__builtin_mul_overflow(static_cast<std::uint64_t>(a.d) / g2, bm / g1, &dm)) return false;
    if (nm > static_cast<std::uint64_t>(INT64_MAX) || dm > static_cast<std::uint64_t>(INT64_MAX)) return false;
    out = {negative ? -static_cast<std::int64_t>(nm) : static_cast<std::int64_t>(nm), static_cast<std::int64_t>(dm)};
    return true;
}

// decimal's small form of a (defined) value: reduced, d > 0.
inline small_value small_reduced(small_value a) noexcept {
    if (a.d == 1) return a;
    const auto g = static_cast<std::int64_t>(small_gcd(small_magnitude(a.n), static_cast<std::uint64_t>(a.d)));
    return {a.n / g, a.d / g};  // 0/d gives 0/1
}

inline bool small_neg(small_value a, small_value& out) noexcept {
    if (a.n == INT64_MIN) return false;
    out = {-a.n, a.d};
    return true;
}

// -1, 0, 1 (both defined): cross-multiplied in 128 bits, which cannot overflow.
inline int small_compare(small_value a, small_value b) noexcept {
    if (a.d == b.d) return (a.n > b.n) - (a.n < b.n);
    __extension__ typedef __int128 i128;
    const i128 l = static_cast<i128>(a.n) * b.d, r = static_cast<i128>(b.n) * a.d;
    return (l > r) - (l < r);
}

inline small_value small_floor(small_value a) noexcept {
    std::int64_t q = a.n / a.d;
    if (a.n % a.d != 0 && a.n < 0) --q;
    return {q, 1};
}

inline small_value small_ceil(small_value a) noexcept {
    std::int64_t q = a.n / a.d;
    if (a.n % a.d != 0 && a.n > 0) ++q;
    return {q, 1};
}

}  // namespace rubric::detail
