// rubric (internal): edit distance for "did you mean" hints, shared by the checker (names)
// and the parser (keywords).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

#include "rubric/detail/utf8.hpp"

namespace rubric::detail {

inline std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const std::size_t n = utf8_decode(s, i, cp);
        out.push_back(n ? cp : static_cast<unsigned char>(s[i]));
        i += n ? n : 1;
    }
    return out;
}

// Edit distance in characters, for "did you mean" hints, when it is at most `limit`;
// otherwise some number above `limit`. Only a band of 2 * limit + 1 diagonals is computed, so
// it costs O(length * limit), and strings whose lengths differ by more than `limit` cost only
// their decoding (two 100 KB identifiers: microseconds rather than 20 s).
inline std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    if (a.size() > b.size() + 4 * limit || b.size() > a.size() + 4 * limit) return limit + 1;  // bytes: <= 4 per character
    const auto x = code_points(a), y = code_points(b);
    const std::size_t n = x.size(), m = y.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    const std::size_t big = limit + 1;
    std::vector<std::size_t> prev(m + 1, big), cur(m + 1, big);
    for (std::size_t j = 0; j <= std::min(m, limit); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        const std::size_t lo = i > limit ? i - limit : 1, hi = std::min(m, i + limit);
        // Only the band is computed: the cells either side of it read as "too far".
        cur[lo - 1] = lo == 1 && i <= limit ? i : big;
        if (hi + 1 <= m) cur[hi + 1] = big;
        std::size_t row_min = cur[lo - 1];
        for (std::size_t j = lo; j <= hi; ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1), big});
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > limit) return big;
        std::swap(prev, cur);
    }
    return std::min(prev[m], big);
}

// Whether b is a with two neighbouring characters swapped (lte → let, itme → item): one slip of
// the fingers, which the hints count as one edit (edit_distance() counts two).
inline bool one_swap_apart(std::string_view a, std::string_view b) {
    if (a.size() != b.size() || a == b) return false;
    const auto x = code_points(a), y = code_points(b);
    if (x.size() != y.size()) return false;
    std::size_t i = 0;
    while (i < x.size() && x[i] == y[i]) ++i;
    return i + 1 < x.size() && x[i] == y[i + 1] && x[i + 1] == y[i] &&
           std::equal(x.begin() + static_cast<std::ptrdiff_t>(i + 2), x.end(), y.begin() + static_cast<std::ptrdiff_t>(i + 2));
}

}  // namespace rubric::detail
