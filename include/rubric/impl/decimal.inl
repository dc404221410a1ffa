// rubric: definitions for decimal.hpp. Included once from src/decimal.cpp, or from decimal.hpp
// when RUBRIC_HEADER_ONLY=1 (then RUBRIC_FUNC makes every definition inline).
//
// No binary floating point is used anywhere: small values use int64 arithmetic with overflow
// checks (and __int128 for exact cross-multiplication), big values use boost's cpp_int.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <boost/multiprecision/cpp_int.hpp>

#include "rubric/config.hpp"
#include "rubric/decimal.hpp"

namespace rubric {
namespace detail {

using big_int = boost::multiprecision::cpp_int;
__extension__ typedef __int128 i128;           // GCC/Clang; exact 128-bit intermediates
__extension__ typedef unsigned __int128 u128;

// The big form: shared and immutable once built. (num, den) is reduced, den > 0, and at least
// one of them is outside int64 (otherwise the value would be in the small form).
struct big_rational {
    std::atomic<std::size_t> refs{1};
    big_int num;
    big_int den;
};

RUBRIC_FUNC void retain(big_rational* p) noexcept { p->refs.fetch_add(1, std::memory_order_relaxed); }

RUBRIC_FUNC void release(big_rational* p) noexcept {
    if (p->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete p;
}

constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

constexpr std::uint64_t pow10_u64[19] = {1ULL,
                                         10ULL,
                                         100ULL,
                                         1000ULL,
                                         10000ULL,
                                         100000ULL,
                                         1000000ULL,
                                         10000000ULL,
                                         100000000ULL,
                                         1000000000ULL,
                                         10000000000ULL,
                                         100000000000ULL,
                                         1000000000000ULL,
                                         10000000000000ULL,
                                         100000000000000ULL,
                                         1000000000000000ULL,
                                         10000000000000000ULL,
                                         100000000000000000ULL,
                                         1000000000000000000ULL};

// Binary (Stein's) gcd. gcd(0, b) == b.
RUBRIC_FUNC std::uint64_t gcd_u64(std::uint64_t a, std::uint64_t b) noexcept {
    if (a == 0) return b;
    if (b == 0) return a;
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

RUBRIC_FUNC std::uint64_t magnitude(std::int64_t v) noexcept {
    return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

// 10^k as a big integer, by squaring.
RUBRIC_FUNC big_int ten_to(std::uint64_t k) {
    if (k < 19) return big_int(pow10_u64[k]);
    big_int result = 1;
    big_int base = 10;
    while (k != 0) {
        if (k & 1) result *= base;
        k >>= 1;
        if (k != 0) base *= base;
    }
    return result;
}

RUBRIC_FUNC big_int to_big(i128 v) {
    const bool neg = v < 0;
    const u128 mag = neg ? 0 - static_cast<u128>(v) : static_cast<u128>(v);
    big_int r = static_cast<std::uint64_t>(mag >> 64);
    r <<= 64;
    r += static_cast<std::uint64_t>(mag);
    if (neg) r = -r;
    return r;
}

RUBRIC_FUNC void append_u64(std::string& out, std::uint64_t v) {
    char buf[24];
    int i = 24;
    do {
        buf[--i] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    out.append(buf + i, static_cast<std::size_t>(24 - i));
}

RUBRIC_FUNC void append_u128(std::string& out, u128 v) {
    if (v >> 64 == 0) {
        append_u64(out, static_cast<std::uint64_t>(v));
        return;
    }
    // Split into base-10^18 chunks; at most three.
    const std::uint64_t e18 = pow10_u64[18];
    std::uint64_t chunks[3];
    int n = 0;
    while (v != 0) {
        chunks[n++] = static_cast<std::uint64_t>(v % e18);
        v /= e18;
    }
    append_u64(out, chunks[n - 1]);
    for (int i = n - 2; i >= 0; --i) {
        std::string part;
        append_u64(part, chunks[i]);
        out.append(18 - part.size(), '0');
        out += part;
    }
}

RUBRIC_FUNC std::string i64_string(std::int64_t v) {
    std::string s;
    if (v < 0) s += '-';
    append_u64(s, magnitude(v));
    return s;
}

// Quotient n/d (d > 0) rounded to an integer in the given mode. Works for __int128 and cpp_int;
// both truncate toward zero and give the remainder the dividend's sign, so the sign is handled
// explicitly here.
inline void divide_qr(const i128& n, const i128& d, i128& q, i128& r) {
    q = n / d;
    r = n % d;
}
inline void divide_qr(const std::int64_t& n, const std::int64_t& d, std::int64_t& q, std::int64_t& r) {
    q = n / d;
    r = n % d;
}
inline void divide_qr(const big_int& n, const big_int& d, big_int& q, big_int& r) {
    boost::multiprecision::divide_qr(n, d, q, r);
}

template <class I>
I round_quotient(const I& n, const I& d, rounding mode) {
    I q, r;
    divide_qr(n, d, q, r);
    if (r == 0) return q;
    const bool neg = n < 0;
    const I ar = neg ? I(-r) : r;  // |remainder|, 0 < ar < d
    const I rest = d - ar;         // distance to the next integer away from zero
    const int half = ar < rest ? -1 : (rest < ar ? 1 : 0);  // below, at or above one half
    bool away = false;
    switch (mode) {
    case rounding::down: away = false; break;
    case rounding::up: away = true; break;
    case rounding::ceiling: away = !neg; break;
    case rounding::floor: away = neg; break;
    case rounding::half_up: away = half >= 0; break;
    case rounding::half_down: away = half > 0; break;
    case rounding::half_even: away = half > 0 || (half == 0 && I(q % 2) != 0); break;
    }
    if (away) {
        if (neg) q -= 1;
        else q += 1;
    }
    return q;
}

// Digits of a non-negative integer scaled by 10^-scale: "1234", 2 -> "12.34"; "5", 2 -> "0.05".
RUBRIC_FUNC std::string place_point(bool neg, std::string digits, std::size_t scale) {
    std::string out;
    if (neg) out += '-';
    if (scale == 0) {
        out += digits;
        return out;
    }
    if (digits.size() <= scale) {
        out += "0.";
        out.append(scale - digits.size(), '0');
        out += digits;
        return out;
    }
    out.append(digits, 0, digits.size() - scale);
    out += '.';
    out.append(digits, digits.size() - scale, std::string::npos);
    return out;
}

// At most 40 bytes of `t` (whole UTF-8 characters), then "...": a problem quotes the text it
// could not read, and a 100 000-digit number must not become a 100 000-character message.
RUBRIC_FUNC std::string shorten(std::string_view t) {
    constexpr std::size_t max = 40;
    if (t.size() <= max) return std::string(t);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80) --n;  // whole UTF-8 chars
    std::string s(t.data(), n);
    s += "...";
    return s;
}

RUBRIC_FUNC bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

RUBRIC_FUNC std::string lower_ascii(std::string_view t) {
    std::string s(t);
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Why `text` is not decimal syntax; `pos` is where the scanner stopped.
RUBRIC_FUNC number_problem describe_bad_number(std::string_view text, std::size_t pos) {
    using reason = number_problem::reason;
    number_problem p;
    p.text = shorten(text);
    auto because = [&](reason r) {
        p.why = r;
        return p;
    };
    if (text.empty()) return because(reason::empty);
    bool any_digit = false;
    int points = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) return because(reason::non_ascii);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return because(reason::white_space);
        any_digit = any_digit || is_digit(text[i]);
        if (c == '.') ++points;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ',') {
            if (i > 0 && i + 1 < text.size() && is_digit(text[i - 1]) && is_digit(text[i + 1]))
                return because(reason::thousands_separator);
            return because(reason::comma);
        }
        if (text[i] == '%') {
            // What to write instead: "95%" (or "95%%", a printf escape) is 0.95.
            std::string_view rest = text;
            while (!rest.empty() && rest.back() == '%') rest.remove_suffix(1);
            decimal v;
            if (rest.size() <= 40 && rest.find('%') == std::string_view::npos && decimal::parse(rest, v))
                p.suggestion = (v / decimal(100)).to_string();
            return because(reason::percent_sign);
        }
    }
    std::string_view core = text;
    if (!core.empty() && (core[0] == '+' || core[0] == '-')) core.remove_prefix(1);
    const std::string low = lower_ascii(core);
    if (low == "nan" || low == "snan" || low == "qnan" || low == "inf" || low == "infinity") return because(reason::not_finite);
    if (low.size() >= 2 && low[0] == '0' && low[1] == 'x') return because(reason::hexadecimal);
    if (points > 1) return because(reason::several_points);
    if (!any_digit) return because(reason::no_digits);
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        bool digits_before = false;
        for (std::size_t i = 0; i < pos; ++i) digits_before = digits_before || is_digit(text[i]);
        if (!digits_before) return because(reason::no_digits_before_exponent);
    }
    if (pos >= text.size()) {
        const char last = text.back();
        if (last == 'e' || last == 'E' || last == '+' || last == '-') return because(reason::exponent_without_digits);
        return because(reason::incomplete);
    }
    p.character = std::string(1, text[pos]);
    p.position = pos + 1;
    return because(reason::unexpected_character);
}

}  // namespace detail

// Access to decimal's representation for the helpers below.
struct decimal_access {
    using big_int = detail::big_int;

    static bool small(const decimal& d) noexcept { return d.den_ != 0; }
    static std::int64_t num(const decimal& d) noexcept { return d.num_; }
    static std::int64_t den(const decimal& d) noexcept { return d.den_; }
    static const detail::big_rational& big(const decimal& d) noexcept { return *d.big_; }

    // n/d is reduced, d > 0, both in int64.
    static decimal make_small(std::int64_t n, std::int64_t d) noexcept {
        decimal r;
        r.num_ = n;
        r.den_ = d;
        return r;
    }

    // n/d is reduced and d > 0; demotes to the small form when both fit.
    static decimal from_reduced(big_int n, big_int d) {
        if (n >= detail::i64_min && n <= detail::i64_max && d <= detail::i64_max)
            return make_small(n.convert_to<std::int64_t>(), d.convert_to<std::int64_t>());
        auto* p = new detail::big_rational;
        p->num = std::move(n);
        p->den = std::move(d);
        decimal r;
        r.den_ = 0;
        r.big_ = p;
        return r;
    }

    // Any n/d with d != 0.
    static decimal from_big(big_int n, big_int d) {
        if (n.is_zero()) return decimal();
        if (d.sign() < 0) {
            n = -n;
            d = -d;
        }
        big_int g = boost::multiprecision::gcd(boost::multiprecision::abs(n), d);
        if (g != 1) {
            n /= g;
            d /= g;
        }
        return from_reduced(std::move(n), std::move(d));
    }

    // (-1)^neg * nm/dm, already reduced, dm > 0.
    static decimal from_magnitudes(bool neg, std::uint64_t nm, std::uint64_t dm) {
        const std::uint64_t limit = neg ? static_cast<std::uint64_t>(detail::i64_max) + 1
                                        : static_cast<std::uint64_t>(detail::i64_max);
        if (nm <= limit && dm <= static_cast<std::uint64_t>(detail::i64_max))
            return make_small(neg ? static_cast<std::int64_t>(0 - nm) : static_cast<std::int64_t>(nm),
                              static_cast<std::int64_t>(dm));
        big_int n = nm;
        if (neg) n = -n;
        return from_reduced(std::move(n), big_int(dm));
    }

    // n/d with d > 0 (any __int128 values).
    static decimal from_i128(detail::i128 n, detail::i128 d) {
        if (n == 0) return decimal();
        if (d != 1) {
            const bool neg = n < 0;
            detail::u128 a = neg ? 0 - static_cast<detail::u128>(n) : static_cast<detail::u128>(n);
            detail::u128 b = static_cast<detail::u128>(d);
            // Euclid on 128 bits (rare path: rounding results).
            detail::u128 x = a, y = b;
            while (y != 0) {
                const detail::u128 t = x % y;
                x = y;
                y = t;
            }
            a /= x;
            b /= x;
            n = neg ? -static_cast<detail::i128>(a) : static_cast<detail::i128>(a);
            d = static_cast<detail::i128>(b);
        }
        if (n >= detail::i64_min && n <= detail::i64_max && d <= detail::i64_max)
            return make_small(static_cast<std::int64_t>(n), static_cast<std::int64_t>(d));
        return from_reduced(detail::to_big(n), detail::to_big(d));
    }

    static void load(const decimal& v, big_int& n, big_int& d) {
        if (v.den_ != 0) {
            n = v.num_;
            d = v.den_;
        } else {
            n = v.big_->num;
            d = v.big_->den;
        }
    }

    // a/b ± c/d on the small form; false on int64 overflow (the caller then uses big ints).
    static bool add_small(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d, bool subtract,
                          decimal& out) noexcept {
        std::int64_t t;
        if (b == d) {
            if (subtract ? __builtin_sub_overflow(a, c, &t) : __builtin_add_overflow(a, c, &t)) return false;
            if (b == 1) {
                out = make_small(t, 1);
                return true;
            }
            const auto g = static_cast<std::int64_t>(detail::gcd_u64(detail::magnitude(t), static_cast<std::uint64_t>(b)));
            out = make_small(t / g, b / g);  // t == 0 gives 0/1
            return true;
        }
        // Knuth 4.5.1: with g = gcd(b, d), the only common factors of the new numerator and
        // denominator divide g. (b != d, so the result cannot be 0.)
        const auto g = static_cast<std::int64_t>(detail::gcd_u64(static_cast<std::uint64_t>(b), static_cast<std::uint64_t>(d)));
        const std::int64_t bg = b / g;
        const std::int64_t dg = d / g;
        std::int64_t x, y;
        if (__builtin_mul_overflow(a, dg, &x) || __builtin_mul_overflow(c, bg, &y)) return false;
        if (subtract ? __builtin_sub_overflow(x, y, &t) : __builtin_add_overflow(x, y, &t)) return false;
        std::int64_t den;
        if (g == 1) {
            if (__builtin_mul_overflow(b, d, &den)) return false;
            out = make_small(t, den);
            return true;
        }
        const auto g2 = static_cast<std::int64_t>(detail::gcd_u64(detail::magnitude(t), static_cast<std::uint64_t>(g)));
        if (__builtin_mul_overflow(bg, d / g2, &den)) return false;
        out = make_small(t / g2, den);
        return true;
    }

    static bool mul_small(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d, decimal& out) noexcept {
        std::int64_t n, m;
        if (b == 1 && d == 1) {
            if (__builtin_mul_overflow(a, c, &n)) return false;
            out = make_small(n, 1);
            return true;
        }
        if (a == 0 || c == 0) {
            out = decimal();
            return true;
        }
        const auto g1 = static_cast<std::int64_t>(detail::gcd_u64(detail::magnitude(a), static_cast<std::uint64_t>(d)));
        const auto g2 = static_cast<std::int64_t>(detail::gcd_u64(detail::magnitude(c), static_cast<std::uint64_t>(b)));
        if (__builtin_mul_overflow(a / g1, c / g2, &n)) return false;
        if (__builtin_mul_overflow(b / g2, d / g1, &m)) return false;
        out = make_small(n, m);
        return true;
    }

    // (a/b) / (c/d), c != 0.
    static bool div_small(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d, decimal& out) {
        if (a == 0) {
            out = decimal();
            return true;
        }
        const bool neg = (a < 0) != (c < 0);
        const std::uint64_t am = detail::magnitude(a), cm = detail::magnitude(c);
        const std::uint64_t g1 = detail::gcd_u64(am, cm);
        const std::uint64_t g2 = detail::gcd_u64(static_cast<std::uint64_t>(b), static_cast<std::uint64_t>(d));
        std::uint64_t nm, dm;
        if (__builtin_mul_overflow(am / g1, static_cast<std::uint64_t>(d) / g2, &nm)) return false;
        if (__builtin_mul_overflow(static_cast<std::uint64_t>(b) / g2, cm / g1, &dm)) return false;
        out = from_magnitudes(neg, nm, dm);
        return true;
    }

    enum class op { add, sub, mul, div };

    static decimal big_arith(const decimal& x, const decimal& y, op o) {
        big_int a, b, c, d;
        load(x, a, b);
        load(y, c, d);
        switch (o) {
        case op::add: return from_big(a * d + c * b, b * d);
        case op::sub: return from_big(a * d - c * b, b * d);
        case op::mul: return from_big(a * c, b * d);
        case op::div: return from_big(a * d, b * c);
        }
        return decimal();
    }

    static int compare(const decimal& x, const decimal& y) {
        if (x.den_ != 0 && y.den_ != 0) {
            if (x.den_ == y.den_) return (x.num_ > y.num_) - (x.num_ < y.num_);
            const detail::i128 l = static_cast<detail::i128>(x.num_) * y.den_;
            const detail::i128 r = static_cast<detail::i128>(y.num_) * x.den_;
            return (l > r) - (l < r);
        }
        const int sx = x.sign(), sy = y.sign();
        if (sx != sy) return sx < sy ? -1 : 1;
        big_int a, b, c, d;
        load(x, a, b);
        load(y, c, d);
        const big_int l = a * d, r = c * b;
        return l < r ? -1 : (r < l ? 1 : 0);
    }

    static bool equal(const decimal& x, const decimal& y) noexcept {
        if (x.den_ != y.den_) return false;
        if (x.den_ != 0) return x.num_ == y.num_;
        if (x.big_ == y.big_) return true;
        return x.big_->num == y.big_->num && x.big_->den == y.big_->den;
    }

    static bool checked_exponent(std::int32_t e) {
        return e >= -decimal::max_rounding_exponent && e <= decimal::max_rounding_exponent;
    }

    static decimal quantize(const decimal& v, std::int32_t e, rounding mode) {
        if (!checked_exponent(e))
            throw std::out_of_range("rounding exponent " + std::to_string(e) + " is beyond ±" +
                                    std::to_string(decimal::max_rounding_exponent));
        if (v.den_ == 1 && e <= 0) return v;  // an integer is already a multiple of 10^e
        if (v.den_ != 0 && e >= -18 && e <= 18) {
            if (e <= 0) {
                const auto scale = static_cast<detail::i128>(detail::pow10_u64[-e]);
                const detail::i128 q = detail::round_quotient<detail::i128>(
                    static_cast<detail::i128>(v.num_) * scale, static_cast<detail::i128>(v.den_), mode);
                return from_i128(q, scale);
            }
            const auto scale = static_cast<detail::i128>(detail::pow10_u64[e]);
            const detail::i128 q = detail::round_quotient<detail::i128>(
                static_cast<detail::i128>(v.num_), static_cast<detail::i128>(v.den_) * scale, mode);
            return from_i128(q * scale, 1);
        }
        big_int n, d;
        load(v, n, d);
        if (e <= 0) {
            const big_int scale = detail::ten_to(static_cast<std::uint64_t>(-static_cast<std::int64_t>(e)));
            big_int q = detail::round_quotient<big_int>(n * scale, d, mode);
            return from_big(std::move(q), scale);
        }
        const big_int scale = detail::ten_to(static_cast<std::uint64_t>(e));
        big_int q = detail::round_quotient<big_int>(n, d * scale, mode);
        return from_reduced(q * scale, big_int(1));
    }

    static void append_rounded(const decimal& v, std::string& out, int places, rounding mode) {
        if (v.den_ == 0 || places < 0 || places > 18) {
            out += quantize(v, -places, mode).to_string();
            return;
        }
        // An integer is itself at any number of places (most scores are whole points).
        if (v.den_ == 1) {
            if (v.num_ < 0) out += '-';
            detail::append_u64(out, detail::magnitude(v.num_));
            return;
        }
        // The rounded value is q / 10^places: the same quotient quantize() takes, in 64 bits
        // when num * 10^places fits (a 128-bit division is a library call).
        const std::uint64_t scale64 = detail::pow10_u64[places];
        const auto scale = static_cast<detail::i128>(scale64);
        const detail::i128 q =
            detail::magnitude(v.num_) <= static_cast<std::uint64_t>(INT64_MAX) / scale64
                ? detail::round_quotient<std::int64_t>(v.num_ * static_cast<std::int64_t>(scale64), v.den_, mode)
                : detail::round_quotient<detail::i128>(static_cast<detail::i128>(v.num_) * scale,
                                                       static_cast<detail::i128>(v.den_), mode);
        if (q == 0) {
            out += '0';  // never "-0"
            return;
        }
        const bool neg = q < 0;
        detail::u128 m = neg ? 0 - static_cast<detail::u128>(q) : static_cast<detail::u128>(q);
        int p = places;
        char digits[40];
        int n = 0;
        if (m <= UINT64_MAX) {  // in 64 bits: 128-bit division is a library call
            auto m64 = static_cast<std::uint64_t>(m);
            while (p > 0 && m64 % 10 == 0) {  // no trailing zeros, as to_string() writes
                m64 /= 10;
                --p;
            }
            for (; m64; m64 /= 10) digits[n++] = static_cast<char>('0' + m64 % 10);
        } else {
            while (p > 0 && m % 10 == 0) {
                m /= 10;
                --p;
            }
            for (; m; m /= 10) digits[n++] = static_cast<char>('0' + static_cast<int>(m % 10));
        }
        if (neg) out += '-';
        if (n <= p) {
            out += "0.";
            out.append(static_cast<std::size_t>(p - n), '0');
            while (n) out += digits[--n];
            return;
        }
        while (n > p) out += digits[--n];
        if (p) {
            out += '.';
            while (n) out += digits[--n];
        }
    }

    static std::string to_fixed(const decimal& v, int places, rounding mode) {
        if (places < 0 || places > decimal::max_rounding_exponent)
            throw std::out_of_range("to_fixed: " + std::to_string(places) + " decimal places is outside 0 ... " +
                                    std::to_string(decimal::max_rounding_exponent));
        const auto scale = static_cast<std::size_t>(places);
        std::string digits;
        bool neg = false;
        if (v.den_ != 0 && places <= 18) {
            const auto p = static_cast<detail::i128>(detail::pow10_u64[places]);
            const detail::i128 q = detail::round_quotient<detail::i128>(static_cast<detail::i128>(v.num_) * p,
                                                                        static_cast<detail::i128>(v.den_), mode);
            neg = q < 0;
            detail::append_u128(digits, neg ? 0 - static_cast<detail::u128>(q) : static_cast<detail::u128>(q));
        } else {
            big_int n, d;
            load(v, n, d);
            big_int q = detail::round_quotient<big_int>(n * detail::ten_to(scale), d, mode);
            neg = q.sign() < 0;
            digits = big_int(boost::multiprecision::abs(q)).str();
        }
        if (scale > 0 && digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
        return detail::place_point(neg, std::move(digits), scale);
    }

    static std::string to_string(const decimal& v) {
        if (v.den_ == 1) return detail::i64_string(v.num_);
        if (v.den_ != 0) {
            // den = 2^a * 5^b * rest
            const auto den = static_cast<std::uint64_t>(v.den_);
            const int a = __builtin_ctzll(den);
            std::uint64_t r = den >> a;
            int b = 0;
            while (r % 5 == 0) {
                r /= 5;
                ++b;
            }
            if (r != 1) return to_fraction_string(v);
            const int k = a > b ? a : b;
            if (k <= 18) {
                const std::uint64_t m = detail::pow10_u64[k] / den;  // exact: den divides 10^k
                const detail::u128 n = static_cast<detail::u128>(detail::magnitude(v.num_)) * m;
                std::string digits;
                detail::append_u128(digits, n);
                return detail::place_point(v.num_ < 0, std::move(digits), static_cast<std::size_t>(k));
            }
        }
        big_int n, d;
        load(v, n, d);
        const std::size_t a = d.is_zero() ? 0 : boost::multiprecision::lsb(d);
        big_int r = d >> a;
        std::size_t b = 0;
        big_int q, rem;
        for (;;) {
            boost::multiprecision::divide_qr(r, big_int(5), q, rem);
            if (!rem.is_zero()) break;
            r = std::move(q);
            ++b;
        }
        if (r != 1) return to_fraction_string(v);
        const std::size_t k = a > b ? a : b;
        const big_int m = detail::ten_to(k) / d;
        const bool neg = n.sign() < 0;
        return detail::place_point(neg, big_int(boost::multiprecision::abs(n) * m).str(), k);
    }

    // "n/d", or "n" for an integer; a small value without a string of its own.
    static void append_fraction(const decimal& v, std::string& out) {
        if (v.den_ == 0) {
            out += v.big_->num.str();
            if (!v.is_integer()) {
                out += '/';
                out += v.big_->den.str();
            }
            return;
        }
        if (v.num_ < 0) out += '-';
        detail::append_u64(out, detail::magnitude(v.num_));
        if (v.den_ != 1) {
            out += '/';
            detail::append_u64(out, static_cast<std::uint64_t>(v.den_));
        }
    }
    static std::string to_fraction_string(const decimal& v) {
        std::string s;
        append_fraction(v, s);
        return s;
    }
    static std::string numerator_string(const decimal& v) {
        if (v.den_ != 0) return detail::i64_string(v.num_);
        return v.big_->num.str();
    }
    static std::string denominator_string(const decimal& v) {
        if (v.den_ != 0) return detail::i64_string(v.den_);
        return v.big_->den.str();
    }

    static bool is_terminating(const decimal& v) {
        if (v.den_ != 0) {
            const auto den = static_cast<std::uint64_t>(v.den_);
            std::uint64_t r = den >> __builtin_ctzll(den);
            while (r % 5 == 0) r /= 5;
            return r == 1;
        }
        const big_int& d = v.big_->den;
        big_int r = d >> boost::multiprecision::lsb(d);
        big_int q, rem;
        for (;;) {
            boost::multiprecision::divide_qr(r, big_int(5), q, rem);
            if (!rem.is_zero()) break;
            r = std::move(q);
        }
        return r == 1;
    }

    // A run of decimal digits (no sign) as an integer.
    static big_int digits_to_big(std::string_view digits) {
        big_int r = 0;
        std::size_t i = 0;
        while (i < digits.size()) {
            const std::size_t len = digits.size() - i < 18 ? digits.size() - i : 18;
            std::uint64_t chunk = 0;
            for (std::size_t j = 0; j < len; ++j) chunk = chunk * 10 + static_cast<std::uint64_t>(digits[i + j] - '0');
            r *= detail::pow10_u64[len];
            r += chunk;
            i += len;
        }
        return r;
    }
};

namespace detail {

// The pieces of [+-]digits[.digits][(e|E)[+-]digits].
struct decimal_syntax {
    bool neg = false;
    std::size_t int_begin = 0, int_len = 0;
    std::size_t frac_begin = 0, frac_len = 0;
    bool exp_neg = false;
    std::size_t exp_begin = 0, exp_len = 0;  // the exponent's digits
    std::int64_t exp = 0;                    // saturates at +-10^12
};

// Returns text.size() on success, else the position where the syntax broke.
RUBRIC_FUNC std::size_t scan_decimal(std::string_view t, decimal_syntax& s) noexcept {
    const std::size_t n = t.size();
    std::size_t i = 0;
    if (i < n && (t[i] == '+' || t[i] == '-')) {
        s.neg = t[i] == '-';
        ++i;
    }
    s.int_begin = i;
    while (i < n && is_digit(t[i])) ++i;
    s.int_len = i - s.int_begin;
    if (i < n && t[i] == '.') {
        ++i;
        s.frac_begin = i;
        while (i < n && is_digit(t[i])) ++i;
        s.frac_len = i - s.frac_begin;
    }
    if (s.int_len + s.frac_len == 0) return i < n ? i : n + 1;  // no digits
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < n && (t[i] == '+' || t[i] == '-')) {
            s.exp_neg = t[i] == '-';
            ++i;
        }
        s.exp_begin = i;
        std::int64_t e = 0;
        while (i < n && is_digit(t[i])) {
            if (e < 1000000000000LL) e = e * 10 + (t[i] - '0');
            ++i;
        }
        s.exp_len = i - s.exp_begin;
        if (s.exp_len == 0) return i < n ? i : n + 1;
        s.exp = s.exp_neg ? -e : e;
    }
    return i;
}

}  // namespace detail

RUBRIC_FUNC decimal decimal::from_u64(std::uint64_t v) {
    return decimal_access::from_magnitudes(false, v, 1);
}

RUBRIC_FUNC int decimal::big_sign() const noexcept { return big_->num.sign(); }

RUBRIC_FUNC bool decimal::big_is_integer() const noexcept { return big_->den == 1; }

RUBRIC_FUNC std::uint64_t decimal::numerator_bits() const noexcept {
    if (den_ != 0) {
        const std::uint64_t m = detail::magnitude(num_);
        return m == 0 ? 0 : 64 - static_cast<std::uint64_t>(__builtin_clzll(m));
    }
    // An upper bound (whole limbs): the limb count is a field, the magnitude's top bit is not.
    return big_->num.backend().size() * sizeof(boost::multiprecision::limb_type) * 8;
}

RUBRIC_FUNC std::uint64_t decimal::denominator_bits() const noexcept {
    if (den_ != 0) return 64 - static_cast<std::uint64_t>(__builtin_clzll(static_cast<std::uint64_t>(den_)));
    return big_->den.backend().size() * sizeof(boost::multiprecision::limb_type) * 8;
}

RUBRIC_FUNC int decimal::small_decimal_places() const noexcept {
    if (den_ == 0) return -1;
    auto den = static_cast<std::uint64_t>(den_);
    const int twos = __builtin_ctzll(den);
    den >>= twos;
    int fives = 0;
    while (den % 5 == 0) {
        den /= 5;
        ++fives;
    }
    return den == 1 ? (twos > fives ? twos : fives) : -1;
}

RUBRIC_FUNC decimal decimal::fraction(std::int64_t num, std::int64_t den) {
    if (den == 0) throw std::domain_error("fraction " + std::to_string(num) + "/0 has a zero denominator");
    if (num == 0) return decimal();
    const std::uint64_t nm = detail::magnitude(num), dm = detail::magnitude(den);
    const std::uint64_t g = detail::gcd_u64(nm, dm);
    return decimal_access::from_magnitudes((num < 0) != (den < 0), nm / g, dm / g);
}

RUBRIC_FUNC std::string number_problem::english() const {
    const std::string quoted = "'" + text + "'";
    switch (why) {
        case reason::empty: return "not a number: the text is empty";
        case reason::non_ascii: return "not a number: " + quoted + " has non-ASCII characters (full-width digits and symbols are not accepted)";
        case reason::white_space: return "not a number: " + quoted + " has white space";
        case reason::thousands_separator: return "not a number: " + quoted + " has a thousands separator";
        case reason::comma: return "not a number: " + quoted + " has a comma";
        case reason::percent_sign:
            if (!suggestion.empty()) return "not a number: " + quoted + " has a percent sign (write " + suggestion + ")";
            return "not a number: " + quoted + " has a percent sign (write a fraction: 0.05 for 5%)";
        case reason::not_finite: return "not a number: " + quoted + " is not a finite number";
        case reason::hexadecimal: return "not a number: " + quoted + " is hexadecimal";
        case reason::several_points: return "not a number: " + quoted + " has more than one decimal point";
        case reason::no_digits: return "not a number: " + quoted + " has no digits";
        case reason::no_digits_before_exponent: return "not a number: " + quoted + " has no digits before the exponent";
        case reason::exponent_without_digits: return "not a number: " + quoted + " has an exponent without digits";
        case reason::incomplete: return "not a number: " + quoted + " is incomplete";
        case reason::unexpected_character:
            return "not a number: " + quoted + " has an unexpected character '" + character + "' at position " +
                   std::to_string(position);
        case reason::too_many_digits: return "too many digits (" + std::to_string(count) + " > " + std::to_string(limit) + ")";
        case reason::exponent_too_large: return "exponent " + exponent + " is beyond ±" + std::to_string(limit);
        case reason::fraction_empty: return "not a fraction: the text is empty";
        case reason::fraction_syntax: return "not a fraction: " + quoted + " (expected n/d or n, e.g. -1/3)";
        case reason::fraction_zero_denominator: return "not a fraction: " + quoted + " has a zero denominator";
    }
    return "not a number";
}

RUBRIC_FUNC bool decimal::parse(std::string_view text, decimal& out, std::string* error, const number_limits& limits) {
    number_problem why;
    if (parse(text, out, why, limits)) return true;
    if (error) *error = why.english();
    return false;
}

RUBRIC_FUNC bool decimal::parse(std::string_view text, decimal& out, number_problem& why, const number_limits& limits) {
    using detail::big_int;
    detail::decimal_syntax s;
    const std::size_t stop = detail::scan_decimal(text, s);
    if (stop != text.size()) {
        why = detail::describe_bad_number(text, stop);
        return false;
    }
    const std::size_t total = s.int_len + s.frac_len;
    if (total > limits.max_digits) {
        why = number_problem{};
        why.why = number_problem::reason::too_many_digits;
        why.text = detail::shorten(text);
        why.count = total;
        why.limit = limits.max_digits;
        return false;
    }
    if (s.exp > limits.max_exponent || s.exp < -static_cast<std::int64_t>(limits.max_exponent)) {
        std::string_view digits = text.substr(s.exp_begin, s.exp_len);
        while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
        std::string shown = s.exp_neg ? "-" : "";
        if (digits.size() > 20) {
            shown.append(digits.data(), 20);
            shown += "...";
        } else {
            shown.append(digits.data(), digits.size());
        }
        why = number_problem{};
        why.why = number_problem::reason::exponent_too_large;
        why.text = detail::shorten(text);
        why.exponent = std::move(shown);
        why.limit = static_cast<std::size_t>(limits.max_exponent);
        return false;
    }
    // The significand's digits, as one virtual sequence.
    auto digit_at = [&](std::size_t k) -> char {
        return k < s.int_len ? text[s.int_begin + k] : text[s.frac_begin + (k - s.int_len)];
    };
    std::size_t first = 0;
    while (first < total && digit_at(first) == '0') ++first;
    if (first == total) {
        out = decimal();
        return true;
    }
    std::size_t last = total;
    std::int64_t exp = s.exp - static_cast<std::int64_t>(s.frac_len);
    while (digit_at(last - 1) == '0') {
        --last;
        ++exp;
    }
    const std::size_t sig = last - first;
    if (sig <= 18 && exp >= -18 && exp <= 18) {
        std::uint64_t c = 0;
        for (std::size_t k = first; k < last; ++k) c = c * 10 + static_cast<std::uint64_t>(digit_at(k) - '0');
        if (exp >= 0) {
            const detail::u128 v = static_cast<detail::u128>(c) * detail::pow10_u64[exp];
            if (v <= static_cast<detail::u128>(detail::i64_max)) {
                out = decimal_access::make_small(s.neg ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v), 1);
                return true;
            }
            big_int b = detail::to_big(static_cast<detail::i128>(v));
            if (s.neg) b = -b;
            out = decimal_access::from_reduced(std::move(b), big_int(1));
            return true;
        }
        const std::uint64_t den = detail::pow10_u64[-exp];
        const std::uint64_t g = detail::gcd_u64(c, den);
        out = decimal_access::from_magnitudes(s.neg, c / g, den / g);
        return true;
    }
    std::string digits;
    digits.reserve(sig);
    for (std::size_t k = first; k < last; ++k) digits += digit_at(k);
    big_int c = decimal_access::digits_to_big(digits);
    if (s.neg) c = -c;
    if (exp >= 0) {
        out = decimal_access::from_reduced(c * detail::ten_to(static_cast<std::uint64_t>(exp)), big_int(1));
    } else {
        out = decimal_access::from_big(std::move(c), detail::ten_to(static_cast<std::uint64_t>(-exp)));
    }
    return true;
}

RUBRIC_FUNC bool decimal::parse_fraction(std::string_view text, decimal& out, std::string* error,
                                         const number_limits& limits) {
    number_problem why;
    if (parse_fraction(text, out, why, limits)) return true;
    if (error) *error = why.english();
    return false;
}

RUBRIC_FUNC bool decimal::parse_fraction(std::string_view text, decimal& out, number_problem& why,
                                         const number_limits& limits) {
    using detail::big_int;
    auto fail = [&](number_problem::reason r) {
        why = number_problem{};
        why.why = r;
        why.text = detail::shorten(text);
        return false;
    };
    const std::size_t n = text.size();
    std::size_t i = 0;
    bool neg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
        neg = text[i] == '-';
        ++i;
    }
    const std::size_t nb = i;
    while (i < n && detail::is_digit(text[i])) ++i;
    const std::string_view num = text.substr(nb, i - nb);
    std::string_view den;
    bool ok = !num.empty();
    if (ok && i < n && text[i] == '/') {
        ++i;
        const std::size_t db = i;
        while (i < n && detail::is_digit(text[i])) ++i;
        den = text.substr(db, i - db);
        ok = !den.empty();
    }
    if (!ok || i != n) return fail(text.empty() ? number_problem::reason::fraction_empty : number_problem::reason::fraction_syntax);
    const std::size_t longest = num.size() > den.size() ? num.size() : den.size();
    if (longest > limits.max_digits) {
        fail(number_problem::reason::too_many_digits);
        why.count = longest;
        why.limit = limits.max_digits;
        return false;
    }
    big_int bn = decimal_access::digits_to_big(num);
    big_int bd = den.empty() ? big_int(1) : decimal_access::digits_to_big(den);
    if (bd.is_zero()) return fail(number_problem::reason::fraction_zero_denominator);
    if (neg) bn = -bn;
    out = decimal_access::from_big(std::move(bn), std::move(bd));
    return true;
}

RUBRIC_FUNC decimal decimal::from_string(std::string_view text, const number_limits& limits) {
    decimal d;
    std::string error;
    if (!parse(text, d, &error, limits)) throw std::invalid_argument(error);
    return d;
}

RUBRIC_FUNC std::string decimal::to_string() const { return decimal_access::to_string(*this); }

RUBRIC_FUNC std::string decimal::to_fraction_string() const { return decimal_access::to_fraction_string(*this); }
RUBRIC_FUNC void decimal::append_fraction(std::string& out) const { decimal_access::append_fraction(*this, out); }

RUBRIC_FUNC std::string decimal::numerator_string() const { return decimal_access::numerator_string(*this); }

RUBRIC_FUNC std::string decimal::denominator_string() const { return decimal_access::denominator_string(*this); }

RUBRIC_FUNC bool decimal::is_terminating() const { return decimal_access::is_terminating(*this); }

RUBRIC_FUNC std::string decimal::to_fixed(int places, rounding mode) const {
    return decimal_access::to_fixed(*this, places, mode);
}

RUBRIC_FUNC decimal decimal::quantize(std::int32_t exponent, rounding mode) const {
    return decimal_access::quantize(*this, exponent, mode);
}

RUBRIC_FUNC void decimal::append_rounded(std::string& out, int places, rounding mode) const {
    decimal_access::append_rounded(*this, out, places, mode);
}

RUBRIC_FUNC decimal decimal::round(int places, rounding mode) const {
    if (places < -max_rounding_exponent || places > max_rounding_exponent)
        throw std::out_of_range("round: " + std::to_string(places) + " decimal places is beyond ±" +
                                std::to_string(max_rounding_exponent));
    return quantize(-places, mode);
}

RUBRIC_FUNC decimal decimal::floor() const { return den_ == 1 ? *this : quantize(0, rounding::floor); }

RUBRIC_FUNC decimal decimal::ceil() const { return den_ == 1 ? *this : quantize(0, rounding::ceiling); }

RUBRIC_FUNC decimal decimal::trunc() const { return den_ == 1 ? *this : quantize(0, rounding::down); }

RUBRIC_FUNC decimal decimal::abs() const { return sign() < 0 ? -*this : *this; }

RUBRIC_FUNC std::int64_t decimal::to_int64() const {
    if (den_ == 1) return num_;
    if (!is_integer()) throw std::domain_error("not an integer: " + to_string());
    throw std::out_of_range("integer " + to_string() + " does not fit in 64 bits");
}

RUBRIC_FUNC decimal operator+(const decimal& a, const decimal& b) {
    if (a.den_ != 0 && b.den_ != 0) {
        decimal r;
        if (decimal_access::add_small(a.num_, a.den_, b.num_, b.den_, false, r)) return r;
    }
    return decimal_access::big_arith(a, b, decimal_access::op::add);
}

RUBRIC_FUNC decimal operator-(const decimal& a, const decimal& b) {
    if (a.den_ != 0 && b.den_ != 0) {
        decimal r;
        if (decimal_access::add_small(a.num_, a.den_, b.num_, b.den_, true, r)) return r;
    }
    return decimal_access::big_arith(a, b, decimal_access::op::sub);
}

RUBRIC_FUNC decimal operator*(const decimal& a, const decimal& b) {
    if (a.den_ != 0 && b.den_ != 0) {
        decimal r;
        if (decimal_access::mul_small(a.num_, a.den_, b.num_, b.den_, r)) return r;
    }
    return decimal_access::big_arith(a, b, decimal_access::op::mul);
}

RUBRIC_FUNC decimal operator/(const decimal& a, const decimal& b) {
    if (b.is_zero()) throw std::domain_error("division by zero: " + a.to_string() + " / 0");
    if (a.den_ != 0 && b.den_ != 0) {
        decimal r;
        if (decimal_access::div_small(a.num_, a.den_, b.num_, b.den_, r)) return r;
    }
    return decimal_access::big_arith(a, b, decimal_access::op::div);
}

RUBRIC_FUNC decimal operator-(const decimal& a) {
    if (a.den_ != 0) {
        if (a.num_ != detail::i64_min) return decimal_access::make_small(-a.num_, a.den_);
        return decimal_access::from_reduced(-detail::big_int(a.num_), detail::big_int(a.den_));
    }
    return decimal_access::from_reduced(-a.big_->num, a.big_->den);
}

RUBRIC_FUNC int compare(const decimal& a, const decimal& b) { return decimal_access::compare(a, b); }

RUBRIC_FUNC bool operator==(const decimal& a, const decimal& b) noexcept { return decimal_access::equal(a, b); }

RUBRIC_FUNC std::ostream& operator<<(std::ostream& os, const decimal& d) { return os << d.to_string(); }

}  // namespace rubric
