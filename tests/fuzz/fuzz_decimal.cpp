// Fuzz target 5: decimal text -> value -> text. The value must survive exactly.
//
// Input layout:  FLAGS TEXT [ ' ' TEXT2 ]
// FLAGS is one byte: bits 0-2 a rounding mode (mod 7), bits 3-7 decimal places - 8
// (-8 ... 23) for the rounding checks. TEXT (and TEXT2) are read with decimal::parse,
// and, failing that, with decimal::parse_fraction.
//
// Properties:
//   * parse() accepts exactly [+-]digits[.digits][(e|E)[+-]digits] (".5" and "5." too)
//     within number_limits, and its value is the one an independent string computation
//     gives (to_string() is compared with that canonical text);
//   * to_string() -> parse()/parse_fraction() and to_fraction_string() -> parse_fraction()
//     give the same value back, and printing that again gives the same text;
//   * numerator_string()/denominator_string() are the reduced fraction;
//   * rounding (round, quantize, to_fixed, floor, ceil, trunc) lands on the grid, within
//     one step, on the side the mode says, with ties broken as the mode says;
//   * with a second number: arithmetic identities, and +, -, *, /, compare against 128-bit
//     integer arithmetic whenever both values are int64 fractions (the allocation-free path
//     and its overflow into big numbers).
#include <charconv>
#include <optional>

#include "fuzz_common.hpp"

namespace {

using rubric::decimal;
using rubric::number_limits;
using rubric::rounding;

// Limits wide enough to read back anything that to_string() writes for a parsed value.
const number_limits wide{100000, 100000};

// An independent reading of decimal text: the canonical to_string() form, or nothing when
// the text is not decimal syntax or is beyond `lim`.
std::optional<std::string> canonical(std::string_view t, const number_limits& lim) {
    std::size_t i = 0;
    bool neg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) neg = t[i++] == '-';
    std::string digits;
    std::size_t frac = 0, int_digits = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') digits += t[i++], ++int_digits;
    if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') digits += t[i++], ++frac;
    }
    if (digits.empty()) return std::nullopt;
    long long e = 0;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        bool eneg = false;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) eneg = t[i++] == '-';
        const std::size_t eb = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
            e = e * 10 + (t[i] - '0');
            if (e > 1000000000LL) e = 1000000000LL;  // saturate: far beyond any limit
            ++i;
        }
        if (i == eb) return std::nullopt;
        if (eneg) e = -e;
    }
    if (i != t.size()) return std::nullopt;
    if (digits.size() > lim.max_digits) return std::nullopt;
    if (e > lim.max_exponent || e < -static_cast<long long>(lim.max_exponent)) return std::nullopt;
    (void)int_digits;
    long long exp = e - static_cast<long long>(frac);
    const std::size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return std::string("0");
    digits.erase(0, first);
    while (digits.back() == '0') digits.pop_back(), ++exp;
    std::string out = neg ? "-" : "";
    if (exp >= 0) {
        out += digits + std::string(static_cast<std::size_t>(exp), '0');
    } else {
        const std::size_t k = static_cast<std::size_t>(-exp);
        if (digits.size() > k) out += digits.substr(0, digits.size() - k) + "." + digits.substr(digits.size() - k);
        else out += "0." + std::string(k - digits.size(), '0') + digits;
    }
    return out;
}

decimal pow10(int n) {  // 10^n for -30 <= n <= 30
    decimal r(1);
    for (int i = 0; i < (n < 0 ? -n : n); ++i) r *= decimal(10);
    return n < 0 ? decimal(1) / r : r;
}

void check_text_round_trip(const decimal& d) {
    const std::string s = d.to_string();
    decimal back;
    std::string err;
    if (d.is_terminating()) {
        FUZZ_CHECK(decimal::parse(s, back, &err, wide), "to_string() `" + s + "` does not parse: " + err);
    } else {
        FUZZ_CHECK(s.find('/') != std::string::npos, "a non-terminating value printed as `" + s + "`");
        FUZZ_CHECK(decimal::parse_fraction(s, back, &err, wide), "to_string() `" + s + "` does not parse: " + err);
    }
    FUZZ_CHECK(back == d, "to_string() `" + s + "` reads back as " + back.to_string());
    FUZZ_CHECK(back.to_string() == s, "to_string() is not stable: `" + s + "` then `" + back.to_string() + "`");
    FUZZ_CHECK(s != "-0", "to_string() wrote -0");

    const std::string f = d.to_fraction_string();
    decimal fb;
    FUZZ_CHECK(decimal::parse_fraction(f, fb, &err, wide), "to_fraction_string() `" + f + "` does not parse: " + err);
    FUZZ_CHECK(fb == d && fb.to_fraction_string() == f, "to_fraction_string() `" + f + "` does not read back");
    const std::string nd = d.numerator_string() + "/" + d.denominator_string();
    decimal nb;
    FUZZ_CHECK(decimal::parse_fraction(nd, nb, &err, wide) && nb == d, "numerator/denominator `" + nd + "` is not the value");
    FUZZ_CHECK(f == (d.denominator_string() == "1" ? d.numerator_string() : nd),
               "to_fraction_string() `" + f + "` is not numerator/denominator `" + nd + "`");
    FUZZ_CHECK(d.is_integer() == (d.denominator_string() == "1"), "is_integer() disagrees with the denominator " + nd);

    // Sign and simple identities.
    FUZZ_CHECK(d.sign() == compare(d, decimal(0)), "sign() disagrees with compare()");
    FUZZ_CHECK(d.is_zero() == (d.sign() == 0), "is_zero() disagrees with sign()");
    FUZZ_CHECK(-(-d) == d && d - d == decimal(0) && d + decimal(0) == d && d * decimal(1) == d, "identity failed for " + s);
    FUZZ_CHECK(d.abs().sign() >= 0 && (d.abs() == d || d.abs() == -d), "abs() of " + s);
    if (!d.is_zero()) FUZZ_CHECK(d / d == decimal(1), "d / d != 1 for " + s);
    if (d.fits_int64()) {
        const std::int64_t v = d.to_int64();
        FUZZ_CHECK(decimal(static_cast<long long>(v)) == d && std::to_string(v) == s, "to_int64() of " + s);
    }
}

void check_rounding(const decimal& d, int places, rounding mode) {
    const decimal q = d.round(places, mode);
    const decimal step = pow10(-places);
    const std::string what = d.to_string() + " rounded to " + std::to_string(places) + " places (mode " +
                             std::to_string(static_cast<int>(mode)) + ") is " + q.to_string();
    FUZZ_CHECK((q / step).is_integer(), what + ": not on the grid");
    const decimal diff = (q - d).abs();
    FUZZ_CHECK(diff < step, what + ": more than one step away");
    const bool tie = diff * decimal(2) == step;
    switch (mode) {
        case rounding::down: FUZZ_CHECK(q.abs() <= d.abs() && q.sign() * d.sign() >= 0, what); break;
        case rounding::up: FUZZ_CHECK(q.abs() >= d.abs() && q.sign() * d.sign() >= 0, what); break;
        case rounding::floor: FUZZ_CHECK(q <= d, what); break;
        case rounding::ceiling: FUZZ_CHECK(q >= d, what); break;
        case rounding::half_up:
        case rounding::half_even:
        case rounding::half_down:
            FUZZ_CHECK(diff * decimal(2) <= step, what + ": not the nearest");
            if (tie && mode == rounding::half_up) FUZZ_CHECK(q.abs() > d.abs(), what + ": a tie not away from zero");
            if (tie && mode == rounding::half_down) FUZZ_CHECK(q.abs() < d.abs(), what + ": a tie not toward zero");
            if (tie && mode == rounding::half_even)
                FUZZ_CHECK(((q / step) / decimal(2)).is_integer(), what + ": a tie not to the even neighbour");
            break;
    }
    FUZZ_CHECK(d.quantize(-places, mode) == q, what + ": quantize() differs from round()");
    if (places >= 0) {
        const std::string fx = d.to_fixed(places, mode);
        decimal fv;
        FUZZ_CHECK(decimal::parse(fx, fv, nullptr, wide) && fv == q, what + ": to_fixed() wrote " + fx);
        const std::size_t dot = fx.find('.');
        FUZZ_CHECK(places == 0 ? dot == std::string::npos : dot != std::string::npos && fx.size() - dot - 1 == static_cast<std::size_t>(places),
                   what + ": to_fixed() wrote " + fx);
        FUZZ_CHECK(!(fv.is_zero() && fx[0] == '-'), what + ": to_fixed() wrote a signed zero " + fx);
    }
    FUZZ_CHECK(d.floor() <= d && d - d.floor() < decimal(1) && d.floor().is_integer(), "floor of " + d.to_string());
    FUZZ_CHECK(d.ceil() >= d && d.ceil() - d < decimal(1) && d.ceil().is_integer(), "ceil of " + d.to_string());
    FUZZ_CHECK(d.trunc().abs() <= d.abs() && d.trunc().is_integer() && (d - d.trunc()).abs() < decimal(1),
               "trunc of " + d.to_string());
}

// 128-bit reference arithmetic on fractions whose parts fit int64.
using i128 = __int128;
using u128 = unsigned __int128;

std::string str128(i128 v) {
    if (v == 0) return "0";
    const bool neg = v < 0;
    u128 u = neg ? -static_cast<u128>(v) : static_cast<u128>(v);
    std::string s;
    while (u) s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10))), u /= 10;
    return neg ? "-" + s : s;
}
u128 gcd128(u128 a, u128 b) {
    while (b) {
        const u128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}
std::string fraction128(i128 n, i128 d) {  // d != 0; reduced "n/d" or "n", like to_fraction_string()
    if (d < 0) n = -n, d = -d;
    const u128 g = gcd128(n < 0 ? -static_cast<u128>(n) : static_cast<u128>(n), static_cast<u128>(d));
    if (g > 1) n /= static_cast<i128>(g), d /= static_cast<i128>(g);
    return d == 1 ? str128(n) : str128(n) + "/" + str128(d);
}
bool to_i64(const std::string& s, std::int64_t& v) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

void check_pair(const decimal& a, const decimal& b) {
    const std::string what = " for a = " + a.to_fraction_string() + ", b = " + b.to_fraction_string();
    FUZZ_CHECK((a + b) - b == a && (a - b) + b == a, "(a + b) - b != a" + what);
    FUZZ_CHECK(a * b == b * a && a + b == b + a, "not commutative" + what);
    FUZZ_CHECK(compare(a, b) == -compare(b, a) && compare(a, b) == (a - b).sign(), "compare() inconsistent" + what);
    FUZZ_CHECK((a == b) == (compare(a, b) == 0) && (a < b) == (compare(a, b) < 0), "== / < inconsistent" + what);
    FUZZ_CHECK(min(a, b) <= max(a, b), "min > max" + what);
    if (!b.is_zero()) FUZZ_CHECK((a * b) / b == a && (a / b) * b == a, "(a * b) / b != a" + what);
    check_text_round_trip(a * b);
    check_text_round_trip(a - b);

    std::int64_t an, ad, bn, bd;
    if (!to_i64(a.numerator_string(), an) || !to_i64(a.denominator_string(), ad) || !to_i64(b.numerator_string(), bn) ||
        !to_i64(b.denominator_string(), bd))
        return;
    const i128 AN = an, AD = ad, BN = bn, BD = bd;
    FUZZ_CHECK((a + b).to_fraction_string() == fraction128(AN * BD + BN * AD, AD * BD), "a + b is " + (a + b).to_fraction_string() + what);
    FUZZ_CHECK((a - b).to_fraction_string() == fraction128(AN * BD - BN * AD, AD * BD), "a - b is " + (a - b).to_fraction_string() + what);
    FUZZ_CHECK((a * b).to_fraction_string() == fraction128(AN * BN, AD * BD), "a * b is " + (a * b).to_fraction_string() + what);
    if (bn != 0)
        FUZZ_CHECK((a / b).to_fraction_string() == fraction128(AN * BD, AD * BN), "a / b is " + (a / b).to_fraction_string() + what);
    const i128 l = AN * BD, r = BN * AD;
    FUZZ_CHECK(compare(a, b) == (l < r ? -1 : l > r ? 1 : 0), "compare(a, b) is wrong" + what);
}

// Reads TEXT as a decimal (checked against the independent reading) or as a fraction.
std::optional<decimal> read(std::string_view text) {
    decimal d;
    std::string err;
    const bool ok = decimal::parse(text, d, &err);
    const std::optional<std::string> want = canonical(text, number_limits{});
    if (ok) {
        FUZZ_CHECK(want.has_value(), "parse() accepted `" + std::string(text) + "`, which is not decimal syntax within the limits");
        FUZZ_CHECK(d.to_string() == *want, "parse(`" + std::string(text) + "`) is " + d.to_string() + ", not " + *want);
        FUZZ_CHECK(d.is_terminating(), "a parsed decimal is not terminating");
        return d;
    }
    FUZZ_CHECK(!want.has_value(), "parse() rejected `" + std::string(text) + "` (" + err + "), which reads as " + *want);
    FUZZ_CHECK(!err.empty(), "parse() failed without a message");
    if (decimal::parse_fraction(text, d, &err)) return d;
    FUZZ_CHECK(!err.empty(), "parse_fraction() failed without a message");
    return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t flags = data[0];
    const auto mode = static_cast<rounding>((flags & 7) % 7);
    const int places = (flags >> 3) - 8;
    std::string_view text = rubric_fuzz::as_text(data + 1, size - 1);
    std::string_view text2;
    const std::size_t sp = text.find(' ');
    if (sp != std::string_view::npos) {
        text2 = text.substr(sp + 1);
        text = text.substr(0, sp);
    }
    const std::optional<decimal> a = read(text);
    if (a) {
        check_text_round_trip(*a);
        check_rounding(*a, places, mode);
    }
    if (sp == std::string_view::npos) return 0;
    const std::optional<decimal> b = read(text2);
    if (b) {
        check_text_round_trip(*b);
        if (a) check_pair(*a, *b);
    }
    return 0;
}
