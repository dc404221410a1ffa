// rubric (internal): the season run's fast way through a CSV facts file. The general reader
// (facts_reader.hpp) turns every cell into a raw_field that carries its column's name and its
// line and column, and bind_facts then looks each name up: right for one unit, and most of
// the cost of a season of a million. Here the header is resolved once into a plan (which
// input, if any, each column feeds), and each record is split in place and its cells typed
// straight into the unit's fact_set.
//
// The fast way takes only what it is sure of. A record with anything to report (a ragged row,
// a missing id, a bad value, a hidden character, invalid UTF-8, a line end inside quotes, a
// cell over the size limit) is handed back, and the caller reads that record alone with the
// general reader and bind_facts, so every diagnostic is the one the general reader gives, at
// the same line and column.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/compile.hpp"
#include "rubric/detail/utf8.hpp"
#include "rubric/evaluate.hpp"
#include "rubric/facts.hpp"
#include "rubric/source.hpp"

namespace rubric::detail {

// What each column of a CSV header feeds.
// What quick_fact needs of an input, kept together: a program's input_slot is large and these
// fields lie far apart in it, so reading them for every fact of every unit cost cache misses.
struct quick_input {
    enum class bound : std::uint8_t { none, small, large };  // large: beyond int64, left to set_fact
    input_type type = input_type::number;
    bound lo = bound::none, hi = bound::none;
    std::int64_t lo_num = 0, lo_den = 1, hi_num = 0, hi_den = 1;
};

inline std::vector<quick_input> quick_inputs(const program& p) {
    std::vector<quick_input> q(p.inputs().size());
    for (std::size_t i = 0; i < q.size(); ++i) {
        const input_slot& s = p.inputs()[i];
        q[i].type = s.type;
        const auto take = [](const std::optional<decimal>& b, quick_input::bound& kind, std::int64_t& n, std::int64_t& d) {
            if (b) kind = b->small_parts(n, d) ? quick_input::bound::small : quick_input::bound::large;
        };
        take(s.lo, q[i].lo, q[i].lo_num, q[i].lo_den);
        take(s.hi, q[i].hi, q[i].hi_num, q[i].hi_den);
    }
    return q;
}

struct csv_plan {
    enum class role : std::uint8_t { id, input, name, group, ignored, unknown };
    std::vector<quick_input> quick;     // per input of the program
    std::vector<role> roles;            // per column; the first is the entity id
    std::vector<std::uint32_t> inputs;  // per column: the input, for role::input
    bool has_unknown = false;           // a column that is no input and may not be ignored
    // evaluation_steps() of any unit whose numbers are short_number()s (what a filled sheet holds):
    // checked once here rather than walked for every unit.
    std::uint64_t short_steps = UINT64_MAX;
};

// A number cell of at most 15 characters of digits, point, sign, spaces and '%': its value is
// below 2^50 with at most 15 decimal places, well inside the 63-bit sizes of short_steps.
// (Not "1e300": 5 characters, 997 bits.)
inline bool short_number(std::string_view c) {
    if (c.size() > 15) return false;
    for (const char ch : c)
        if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == '%' || ch == ' ')) return false;
    return true;
}

// The plan for a header's cells (already checked by the general reader: names are non-empty
// and unique). The roles follow bind_facts and the run's group column: a display-name column
// first, then the group, then the inputs (by name or label).
inline csv_plan plan_columns(const program& p, const std::vector<std::string>& header, const std::string& group_column,
                             bool allow_unknown) {
    csv_plan plan;
    plan.quick = quick_inputs(p);
    plan.roles.resize(header.size(), csv_plan::role::ignored);
    plan.inputs.resize(header.size(), 0);
    for (std::size_t k = 0; k < header.size(); ++k) {
        const std::string& h = header[k];
        if (k == 0) plan.roles[k] = csv_plan::role::id;
        else if (!group_column.empty() && h == group_column) plan.roles[k] = csv_plan::role::group;
        else if (h == "name" || h == "名称" || h == "单位名称") plan.roles[k] = csv_plan::role::name;
        else if (const int idx = p.find_input(h); idx >= 0) {
            plan.roles[k] = csv_plan::role::input;
            plan.inputs[k] = static_cast<std::uint32_t>(idx);
        } else if (!allow_unknown) {
            plan.roles[k] = csv_plan::role::unknown;
            plan.has_unknown = true;
        }
    }
    // Every input at 63 bits (or its missing value's size, when it has one and that is more).
    std::vector<value_size> sizes;
    for (const input_slot& in : p.inputs()) {
        value_size s{63, 63, false};
        if (in.missing == missing_policy::value) {
            const value_size m = size_of_value(in.missing_value);
            s = {m.m > s.m ? m.m : s.m, m.d > s.d ? m.d : s.d, false};
        }
        sizes.push_back(s);
    }
    // A list cell that short_number() accepts has no ';' or ',' between elements: one element
    // at most (an empty or missing list, none).
    plan.short_steps = evaluation_steps_within(p, sizes, 1);
    return plan;
}

// One record of a block, split. Cells are views into the block, or into `scratch` for a quoted
// cell with doubled quotes ("say ""hi""").
struct csv_record {
    std::vector<std::string_view> cells;
    std::string scratch;
    std::size_t length = 0;  // bytes of the record, its line end included
    std::size_t lines = 0;   // line ends in it (0 for a last record without one)
    bool blank = false;      // an empty line: no record at all, as csv.hpp skips it
};

// Splits the record that starts s; false when the fast way does not take it (a quoted cell that
// holds a line end, or text after a closing quote), leaving record.length 0.
inline bool split_record(std::string_view s, csv_record& r) {
    r.cells.clear();
    r.scratch.clear();
    r.length = 0;
    r.lines = 0;
    r.blank = false;
    std::size_t i = 0;
    const std::size_t n = s.size();
    auto line_end = [&](std::size_t at) {  // bytes of the line end at `at`, 0 if none
        if (at >= n) return std::size_t{0};
        if (s[at] == '\n') return std::size_t{1};
        if (s[at] == '\r') return at + 1 < n && s[at + 1] == '\n' ? std::size_t{2} : std::size_t{1};
        return std::size_t{0};
    };
    if (const std::size_t e = line_end(0); e) {
        r.blank = true;
        r.length = e;
        r.lines = 1;
        return true;
    }
    for (;;) {
        if (i < n && s[i] == '"') {
            // Quoted: up to the closing quote; "" is one quote.
            std::size_t j = i + 1;
            bool doubled = false;
            for (;;) {
                const std::size_t q = s.find('"', j);
                if (q == std::string_view::npos) return false;  // never closed: the general reader says so
                if (q + 1 < n && s[q + 1] == '"') {
                    doubled = true;
                    j = q + 2;
                    continue;
                }
                j = q;
                break;
            }
            const std::string_view inner = s.substr(i + 1, j - i - 1);
            if (inner.find_first_of("\r\n") != std::string_view::npos) return false;
            if (doubled) {
                if (r.scratch.capacity() < s.size()) r.scratch.reserve(s.size());  // views into it stay valid
                const std::size_t at = r.scratch.size();
                for (std::size_t k = 0; k < inner.size(); ++k) {
                    r.scratch += inner[k];
                    if (inner[k] == '"') ++k;
                }
                r.cells.emplace_back(r.scratch.data() + at, r.scratch.size() - at);
            } else {
                r.cells.push_back(inner);
            }
            i = j + 1;
            if (i < n && s[i] != ',' && !line_end(i)) return false;
        } else {
            std::size_t j = i;
            while (j < n && s[j] != ',' && s[j] != '\n' && s[j] != '\r') ++j;
            r.cells.push_back(s.substr(i, j - i));
            i = j;
        }
        if (i < n && s[i] == ',') {
            ++i;
            continue;
        }
        const std::size_t e = line_end(i);
        r.length = i + e;
        r.lines = e ? 1 : 0;
        return true;
    }
}

// True when the record holds nothing the general reader would report by itself: valid UTF-8
// and no hidden character (NUL, a bidirectional control, a byte-order mark).
inline bool plain_text(std::string_view record) {
    // One pass: ASCII eight bytes at a time (most of a facts file, even beside Chinese names),
    // each other character decoded once, checked for hidden ones, and the ASCII run after it
    // taken eight bytes at a time again.
    const std::size_t n = record.size();
    std::size_t i = 0;
    while (i < n) {
        for (; i + 8 <= n; i += 8) {
            std::uint64_t w;
            std::memcpy(&w, record.data() + i, 8);
            const bool high = (w & 0x8080808080808080ull) != 0;
            const bool zero = ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0;
            if (high || zero) break;
        }
        if (i >= n) break;
        const auto b = static_cast<unsigned char>(record[i]);
        if (b == 0) return false;
        if (b < 0x80) {
            ++i;
            continue;
        }
        char32_t cp = 0;
        const std::size_t len = utf8_decode(record, i, cp);
        if (len == 0 || is_hidden_char(cp)) return false;
        i += len;
    }
    return true;
}

// A cell that is not given: empty, or only spaces (it looks empty in a spreadsheet).
inline bool blank_cell(std::string_view c) { return c.find_first_not_of(' ') == std::string_view::npos; }

// The commonest cells, typed without the general parser: a plain whole number, a plain decimal
// ("0.85", "-1.5"), a percent ("85%", "85.5%"), true/false/1/0. The value is the one set_fact
// makes (decimals are canonical). False for anything else, out of range included: set_fact then
// types it, or says what is wrong.
RUBRIC_ALWAYS_INLINE bool quick_fact(const quick_input& s, std::uint32_t input, std::string_view c, const number_limits& limits, fact_set& facts) {
    if (facts.present[input]) return false;
    std::int64_t num = 0, den = 1;  // the value, reduced, as decimal's small form holds it
    if (s.type == input_type::boolean) {
        // By length first: a string comparison per spelling was a tenth of a binding.
        const auto is = [&](const char* word, std::size_t len) { return c.size() == len && std::memcmp(c.data(), word, len) == 0; };
        if (is("1", 1) || is("true", 4)) num = 1;
        else if (!is("0", 1) && !is("false", 5)) return false;
    } else if (s.type == input_type::count || s.type == input_type::number || s.type == input_type::judged ||
               s.type == input_type::percent) {
        bool percent = false;
        if (s.type == input_type::percent && !c.empty() && c.back() == '%') {
            percent = true;
            c.remove_suffix(1);
        }
        const bool negative = !c.empty() && c.front() == '-';
        if (negative) c.remove_prefix(1);
        if (c.empty() || c.size() > 17) return false;
        std::int64_t n = 0;
        bool point = false, digits = false;
        if (c.size() - (c.find('.') != std::string_view::npos ? 1 : 0) > limits.max_digits) return false;
        for (const char ch : c) {
            if (ch == '.' && !point) {
                point = true;
                continue;
            }
            if (ch < '0' || ch > '9') return false;
            digits = true;
            n = n * 10 + (ch - '0');
            if (point) den *= 10;
        }
        if (!digits || (point && (c.front() == '.' || c.back() == '.'))) return false;  // ".5", "5.": the parser decides
        if (percent) den *= 100;
        if (s.type == input_type::count && (point || negative)) return false;
        num = negative ? -n : n;
        if (den != 1) {  // at most 17 digits over at most 10^18: int64 throughout
            const auto g = static_cast<std::int64_t>(small_gcd(static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(den)));
            num /= g;
            den /= g;
        }
        if (s.type == input_type::percent && (negative || num > den)) return false;  // beyond 0 … 100%
        // The declared range, compared as fractions (cross-multiplied in 128 bits); a bound
        // beyond int64 is left to set_fact.
        const auto outside = [&](quick_input::bound kind, std::int64_t bn, std::int64_t bd, int sign) {
            if (kind == quick_input::bound::none) return false;
            if (kind == quick_input::bound::large) return true;
            return small_compare({num, den}, {bn, bd}) * sign > 0;
        };
        if (outside(s.lo, s.lo_num, s.lo_den, -1) || outside(s.hi, s.hi_num, s.hi_den, 1)) return false;
    } else {
        return false;
    }
    value& to = facts.values[input];
    to.v = decimal::from_small_parts(num, den);
    to.undefined = false;
    facts.present[input] = 1;
    return true;
}

// Readies `facts` for the next record of the fast way: nothing present, no name, no list
// items. The values are left as they were: each is set before anything reads it, by its cell
// or, for the inputs no cell gives, by fill_missing_facts (fact_set::reset's pass over every
// value was a tenth of a binding).
inline void reset_presence(const program& p, fact_set& facts) {
    if (facts.values.size() != p.inputs().size()) {
        facts.reset(p);
        return;
    }
    std::fill(facts.present.begin(), facts.present.end(), std::uint8_t{0});
    for (auto& l : facts.lists)
        if (!l.empty()) l.clear();
    facts.display_name.clear();
}

struct fast_unit {
    std::string_view id, group;
    // JSON lines, when bound: CRs between the line's tokens that end a line by themselves (not
    // before an LF), for the line numbers of the records after it.
    bool bound = false;
    std::size_t lone_crs = 0;
    std::size_t length = 0;  // JSON lines, when bound: the line's bytes, its LF included
};

// Binds a split record by the plan. False when the general way must read it (something to
// report); `facts` is then unusable.
inline bool bind_record(const program& p, const csv_plan& plan, const csv_record& r, const bind_options& options,
                        std::size_t max_cell_bytes, fact_set& facts, fast_unit& u) {
    if (r.cells.size() != plan.roles.size() || r.cells.front().empty()) return false;
    reset_presence(p, facts);
    u.id = r.cells.front();
    u.group = {};
    bool short_numbers = true;
    for (std::size_t k = 1; k < r.cells.size(); ++k) {
        const std::string_view c = r.cells[k];
        if (c.size() > max_cell_bytes) return false;
        if (c.empty() || (c.front() == ' ' && blank_cell(c))) continue;
        switch (plan.roles[k]) {
            case csv_plan::role::input: {
                const quick_input& q = plan.quick[plan.inputs[k]];
                const bool number = q.type != input_type::boolean && q.type != input_type::choice;
                if (quick_fact(q, plan.inputs[k], c, options.numbers, facts)) {
                    // quick_fact takes digits, '.', a leading '-' and a trailing '%' only: a
                    // short_number() exactly when short enough.
                    if (number && c.size() > 15) short_numbers = false;
                } else {
                    if (number && !short_number(c)) short_numbers = false;
                    if (!set_fact(p, plan.inputs[k], c, facts, options).empty()) return false;
                }
                break;
            }
            case csv_plan::role::name: facts.display_name.assign(c); break;
            case csv_plan::role::group: u.group = c; break;
            case csv_plan::role::unknown: return false;
            default: break;
        }
    }
    if (!fill_missing_facts(p, facts).empty()) return false;
    facts.entity.assign(u.id);
    if (short_numbers && plan.short_steps <= options.max_eval_steps) return true;
    return evaluation_steps(p, facts) <= options.max_eval_steps;
}

}  // namespace rubric::detail
