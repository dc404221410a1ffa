// rubric: the exact number type. Every score, fact, threshold and ratio is a `decimal`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "rubric/config.hpp"

namespace rubric {

// How to round to a given exponent (quantize, round, to_fixed). The names are decTest's.
//   half_up   四舍五入: to nearest, ties away from zero (2.5 -> 3, -2.5 -> -3). The default everywhere.
//   half_even banker's rounding: to nearest, ties to the even neighbour (2.5 -> 2, 3.5 -> 4).
//   half_down to nearest, ties toward zero (2.5 -> 2, -2.5 -> -2).
//   down      toward zero (truncate): -2.7 -> -2.
//   up        away from zero: 2.1 -> 3, -2.1 -> -3.
//   ceiling   toward +infinity: -2.7 -> -2.
//   floor     toward -infinity: -2.1 -> -3.
enum class rounding { half_up, half_even, half_down, down, up, ceiling, floor };

// Limits applied when text is turned into a number (decimal::parse, decimal::parse_fraction).
// They exist to stop denial of service: a fact such as `1e999999999` would otherwise be a
// billion-digit integer, and converting big integers to text takes quadratic time.
//
//   max_digits   (default 1000) digits written in the significand, counting leading and trailing
//                zeros ("0.0100" has 5). For parse_fraction it applies to the numerator and the
//                denominator separately.
//   max_exponent (default 1000) the written exponent after E may be -1000 ... +1000.
//
// So a parsed value is at most about 10^2000 and its denominator at most 10^2000; printing
// such a value takes microseconds. The defaults are exactly what the decTest oracle needs
// (its longest number has 1000 digits, its exponents lie within ±1000); real indicator tables
// need far less. Limits are checked before any big integer is built.
struct number_limits {
    std::size_t max_digits = 1000;
    std::int32_t max_exponent = 1000;
};

// Why a text is not a number (decimal::parse, decimal::parse_fraction): the reason and the pieces
// of text a message needs, rather than a finished sentence, so that the caller can say it in the
// reader's language (number_message.hpp; the catalogs hold the wording).
struct number_problem {
    enum class reason {
        empty,                      // not a number: the text is empty
        non_ascii,                  // '９５' (full-width digits and symbols are not accepted)
        white_space,                // '1 000'
        thousands_separator,        // '1,000'
        comma,                      // '1,5' or ','
        percent_sign,               // '5%'
        not_finite,                 // 'NaN', 'Infinity'
        hexadecimal,                // '0x1F'
        several_points,             // '1.2.3'
        no_digits,                  // 'abc'
        no_digits_before_exponent,  // 'e5'
        exponent_without_digits,    // '1e'
        incomplete,                 // '+'
        unexpected_character,       // '1;2': `character` at `position`
        too_many_digits,            // `count` digits > `limit`
        exponent_too_large,         // `exponent` is beyond ±`limit`
        fraction_empty,             // parse_fraction: the text is empty
        fraction_syntax,            // parse_fraction: not n/d or n
        fraction_zero_denominator,  // parse_fraction: '1/0'
    };
    reason why = reason::empty;
    std::string text;       // the text as written; if longer than 40 bytes, its first whole characters and "..."
    std::string character;  // unexpected_character: the character
    std::string exponent;   // exponent_too_large: the exponent as written (at most 20 digits, then "...")
    std::size_t position = 0;  // unexpected_character: 1-based position in the text
    std::size_t count = 0;     // too_many_digits: the digits written
    std::size_t limit = 0;     // too_many_digits: the most allowed; exponent_too_large: the bound
    std::string suggestion;    // percent_sign: what to write instead ("0.95" for '95%'), if known

    // The English explanation (what parse() stores in its std::string* error).
    [[nodiscard]] std::string english() const;
};

namespace detail {
struct big_rational;  // cpp_int numerator and denominator; defined in impl/decimal.inl
void release(big_rational* p) noexcept;
void retain(big_rational* p) noexcept;
}  // namespace detail

// An exact rational number. It is read and written as decimal text, but any ratio is exact:
// decimal::fraction(1, 3) * 3 == 1. There is no binary floating point anywhere.
//
// Representation: while the reduced numerator and denominator both fit in int64 the value is
// stored inline (num, den > 0, gcd-reduced) and arithmetic does not allocate. A result that
// overflows is promoted to a shared, immutable, reference-counted cpp_int pair; a result that
// fits again is demoted. The form is canonical, so equal values have equal representations.
// Copying a small value copies 16 bytes; copying a big value bumps an atomic reference count.
// Distinct objects may be used from different threads.
//
// Arithmetic on values that did not come from parse() is not limited: repeated multiplication
// can build huge numbers. Rounding (quantize/round/to_fixed) accepts exponents within
// ±max_rounding_exponent and throws std::out_of_range beyond it.
class decimal {
public:
    static constexpr std::int32_t max_rounding_exponent = 10000;

    decimal() noexcept : num_(0), den_(1) {}
    // Implicit from integers.
    decimal(int v) noexcept : num_(v), den_(1) {}
    decimal(long v) noexcept : num_(static_cast<std::int64_t>(v)), den_(1) {}
    decimal(long long v) noexcept : num_(static_cast<std::int64_t>(v)), den_(1) {}
    decimal(unsigned v) noexcept : num_(static_cast<std::int64_t>(v)), den_(1) {}
    decimal(unsigned long v) : decimal(from_u64(v)) {}
    decimal(unsigned long long v) : decimal(from_u64(v)) {}
    decimal(bool) = delete;

    decimal(const decimal& o) noexcept : den_(o.den_) {
        if (den_ != 0) {
            num_ = o.num_;
        } else {
            big_ = o.big_;
            detail::retain(big_);
        }
    }
    decimal(decimal&& o) noexcept : den_(o.den_) {
        if (den_ != 0) {
            num_ = o.num_;
        } else {
            big_ = o.big_;
            o.num_ = 0;
            o.den_ = 1;
        }
    }
    decimal& operator=(const decimal& o) noexcept {
        if (this != &o) {
            decimal tmp(o);
            swap(tmp);
        }
        return *this;
    }
    decimal& operator=(decimal&& o) noexcept {
        if (this != &o) {
            decimal tmp(static_cast<decimal&&>(o));
            swap(tmp);
        }
        return *this;
    }
    ~decimal() {
        if (den_ == 0) detail::release(big_);
    }
    void swap(decimal& o) noexcept {
        decimal_bits a = bits(), b = o.bits();
        set_bits(b);
        o.set_bits(a);
    }

    // num/den, reduced. Throws std::domain_error when den == 0.
    [[nodiscard]] static decimal fraction(std::int64_t num, std::int64_t den);

    // Parses decimal text exactly: [+-]digits[.digits][(e|E)[+-]digits]; ".5" and "5." are
    // accepted (decTest syntax). No spaces, '%', thousands separators, NaN/Infinity, non-ASCII
    // (full-width) digits or hex. On failure returns false, leaves `out` unchanged and, if
    // `error` is not null, stores a short English explanation, e.g.
    //   "not a number: '1,000' has a thousands separator"
    //   "too many digits (1001 > 1000)"
    //   "exponent 999999 is beyond ±1000"
    static bool parse(std::string_view text, decimal& out, std::string* error = nullptr,
                      const number_limits& limits = {});
    // The same, saying why the text is not a number as a number_problem (for messages in any language).
    static bool parse(std::string_view text, decimal& out, number_problem& why, const number_limits& limits = {});
    // Parses what to_fraction_string() writes: "[+-]n/d" or "[+-]n" (n, d decimal digits, d != 0).
    // The fraction need not be reduced. Same error reporting and limits as parse().
    static bool parse_fraction(std::string_view text, decimal& out, std::string* error = nullptr,
                               const number_limits& limits = {});
    static bool parse_fraction(std::string_view text, decimal& out, number_problem& why,
                               const number_limits& limits = {});
    // parse() that throws std::invalid_argument with the error message.
    [[nodiscard]] static decimal from_string(std::string_view text, const number_limits& limits = {});

    // Exact text: "0.3", "-12.5", "3", "0" (never "-0"); no exponent, no trailing zeros.
    // A value whose denominator is not 2^a*5^b has no finite decimal expansion and is written
    // as a fraction, "1/3", "-2/7".
    [[nodiscard]] std::string to_string() const;
    // "n/d", or "n" when the value is an integer.
    [[nodiscard]] std::string to_fraction_string() const;
    // The same, appended to `out` (no string of its own: writers note many of them).
    void append_fraction(std::string& out) const;
    // The reduced numerator (with the sign) and denominator (> 0), for exact JSON output.
    [[nodiscard]] std::string numerator_string() const;
    [[nodiscard]] std::string denominator_string() const;
    // Whether the denominator has only the prime factors 2 and 5 (to_string is then decimal).
    [[nodiscard]] bool is_terminating() const;
    // Rounds to `places` decimals and writes exactly that many: to_fixed(2) of 2.3 is "2.30",
    // of 2/3 is "0.67". A result of zero has no sign: -0.004 -> "0.00".
    // Throws std::out_of_range unless 0 <= places <= max_rounding_exponent.
    [[nodiscard]] std::string to_fixed(int places, rounding mode = rounding::half_up) const;

    // Rounds to a multiple of 10^exponent: quantize(-2) keeps two decimals, quantize(1) rounds
    // to tens. Throws std::out_of_range when |exponent| > max_rounding_exponent.
    [[nodiscard]] decimal quantize(std::int32_t exponent, rounding mode = rounding::half_up) const;
    // == quantize(-places).
    [[nodiscard]] decimal round(int places, rounding mode = rounding::half_up) const;
    // Appends round(places, mode).to_string() to `out`, without building the rounded value when
    // this one is small (what a writer of millions of scores calls).
    void append_rounded(std::string& out, int places, rounding mode = rounding::half_up) const;
    [[nodiscard]] decimal floor() const;
    [[nodiscard]] decimal ceil() const;
    [[nodiscard]] decimal trunc() const;
    [[nodiscard]] decimal abs() const;

    [[nodiscard]] int sign() const noexcept {
        if (den_ != 0) return (num_ > 0) - (num_ < 0);
        return big_sign();
    }
    [[nodiscard]] bool is_zero() const noexcept { return den_ != 0 && num_ == 0; }  // big is never 0
    [[nodiscard]] bool is_integer() const noexcept { return den_ == 1 || (den_ == 0 && big_is_integer()); }
    // Whether the value is an integer in int64's range, and that integer. to_int64 throws
    // std::domain_error when the value is not an integer, std::out_of_range when it is too large.
    // Sizes for cost accounting (evaluation_steps, the checker's budget); never allocate.
    // The bits of the reduced numerator's magnitude (0 for zero) and of the denominator (1 for 1).
    [[nodiscard]] std::uint64_t numerator_bits() const noexcept;
    [[nodiscard]] std::uint64_t denominator_bits() const noexcept;
    // The k of the least 10^k that the denominator divides, when the value is in the small form
    // and terminating (0 for an integer, 2 for 0.25); -1 otherwise.
    [[nodiscard]] int small_decimal_places() const noexcept;
    [[nodiscard]] bool fits_int64() const noexcept { return den_ == 1; }
    // The small form's reduced numerator and denominator (> 0); false, and nothing written, for a
    // value that needs big integers. For the evaluator's fast path (impl/evaluate.inl).
    bool small_parts(std::int64_t& num, std::int64_t& den) const noexcept {
        if (den_ == 0) return false;
        num = num_;
        den = den_;
        return true;
    }
    // The value num/den, which must already be reduced with den > 0 (what small_parts gives, or
    // the evaluator's exact small arithmetic): no check and no gcd, so that the fast path can hand
    // back its results at the cost of a copy.
    [[nodiscard]] static decimal from_small_parts(std::int64_t num, std::int64_t den) noexcept {
        decimal r;
        r.num_ = num;
        r.den_ = den;
        return r;
    }
    [[nodiscard]] std::int64_t to_int64() const;

    friend decimal operator+(const decimal& a, const decimal& b);
    friend decimal operator-(const decimal& a, const decimal& b);
    friend decimal operator*(const decimal& a, const decimal& b);
    // Throws std::domain_error on division by zero.
    friend decimal operator/(const decimal& a, const decimal& b);
    friend decimal operator-(const decimal& a);
    friend decimal operator+(const decimal& a) { return a; }

    decimal& operator+=(const decimal& b) { return *this = *this + b; }
    decimal& operator-=(const decimal& b) { return *this = *this - b; }
    decimal& operator*=(const decimal& b) { return *this = *this * b; }
    decimal& operator/=(const decimal& b) { return *this = *this / b; }

    // -1, 0 or 1. Exact across the small and big forms. (Only comparisons that involve a big
    // value can allocate; == and != never do.)
    friend int compare(const decimal& a, const decimal& b);
    friend bool operator==(const decimal& a, const decimal& b) noexcept;
    friend bool operator!=(const decimal& a, const decimal& b) noexcept { return !(a == b); }
    friend bool operator<(const decimal& a, const decimal& b) { return compare(a, b) < 0; }
    friend bool operator<=(const decimal& a, const decimal& b) { return compare(a, b) <= 0; }
    friend bool operator>(const decimal& a, const decimal& b) { return compare(a, b) > 0; }
    friend bool operator>=(const decimal& a, const decimal& b) { return compare(a, b) >= 0; }

    friend decimal min(const decimal& a, const decimal& b) { return b < a ? b : a; }
    friend decimal max(const decimal& a, const decimal& b) { return a < b ? b : a; }

    // Writes to_string().
    friend std::ostream& operator<<(std::ostream& os, const decimal& d);

private:
    friend struct decimal_access;  // impl/decimal.inl

    struct decimal_bits {
        std::int64_t word;
        std::int64_t den;
    };
    [[nodiscard]] decimal_bits bits() const noexcept {
        if (den_ != 0) return {num_, den_};
        return {static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(big_)), 0};
    }
    void set_bits(decimal_bits b) noexcept {
        den_ = b.den;
        if (den_ != 0) {
            num_ = b.word;
        } else {
            big_ = reinterpret_cast<detail::big_rational*>(static_cast<std::uintptr_t>(b.word));
        }
    }
    static decimal from_u64(std::uint64_t v);
    [[nodiscard]] int big_sign() const noexcept;
    [[nodiscard]] bool big_is_integer() const noexcept;

    // den_ > 0: the small form num_/den_ (reduced, any int64 numerator).
    // den_ == 0: the big form; big_ owns one reference to a value that does not fit int64/int64.
    union {
        std::int64_t num_;
        detail::big_rational* big_;
    };
    std::int64_t den_;
};

inline void swap(decimal& a, decimal& b) noexcept { a.swap(b); }

}  // namespace rubric

#if RUBRIC_HEADER_ONLY
#include "rubric/impl/decimal.inl"
#endif
