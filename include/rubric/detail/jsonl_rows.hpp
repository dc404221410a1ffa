// rubric (internal): the season run's fast way through a JSON-lines facts file, as
// csv_rows.hpp is for CSV. A line that is one flat object of plain keys and values
// ({"entity": "A", "rate": "85%", "done": 12, "ok": true, "note": null}) is typed straight
// into the unit's facts, its keys looked up once per file in the order the lines give them.
// Anything else — an escape in a string, an exponent, an array, a duplicate key, a missing or
// non-text id, something to report — is handed back and read by the general reader alone, so
// what the general reader accepts and says is what the run accepts and says.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "rubric/compile.hpp"
#include "rubric/detail/csv_rows.hpp"
#include "rubric/detail/utf8.hpp"
#include "rubric/facts.hpp"
#include "rubric/facts_reader.hpp"

namespace rubric::detail {

// A few bytes (up to 64) kept for a compare of fixed size: the bytes a value of a line follows
// are compared ~125 times a line, and memcmp's call and its branches on the length (they differ
// key by key, 12 to 40 bytes) cost more than the compare. Here: 64 bytes read, masked to the
// bytes that are ours and compared, with no branch on the length (four SSE2 compares where the
// compiler has them, eight words elsewhere).
struct wide_bytes {
    static constexpr std::size_t size = 64;
    alignas(16) std::uint64_t words[size / 8] = {};  // the bytes, zero after them
    alignas(16) std::uint64_t mask[size / 8] = {};   // all ones over the bytes, zero after them
    std::uint8_t length = 0;             // 0: not kept (more than `size` bytes)

    void assign(std::string_view s) noexcept {
        *this = wide_bytes{};
        if (s.size() > size) return;
        length = static_cast<std::uint8_t>(s.size());
        std::memcpy(words, s.data(), s.size());
        std::memset(mask, 0xFF, s.size());
    }
    // Whether the `size` bytes at `at` (all readable) start with the bytes kept.
    RUBRIC_ALWAYS_INLINE bool starts(const char* at) const noexcept {
#if defined(__SSE2__)
        const auto part = [&](std::size_t k) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 16 * k));
            return _mm_xor_si128(_mm_and_si128(x, _mm_load_si128(reinterpret_cast<const __m128i*>(mask) + k)),
                                 _mm_load_si128(reinterpret_cast<const __m128i*>(words) + k));
        };
        const __m128i diff = _mm_or_si128(_mm_or_si128(part(0), part(1)), _mm_or_si128(part(2), part(3)));
        return _mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128())) == 0xFFFF;
#else
        std::uint64_t diff = 0;
        for (std::size_t w = 0; w < size / 8; ++w) {
            std::uint64_t x;
            std::memcpy(&x, at + 8 * w, 8);
            diff |= (x & mask[w]) ^ words[w];
        }
        return diff == 0;
#endif
    }
};

struct jsonl_plan {
    struct key {
        std::string name;
        csv_plan::role role = csv_plan::role::ignored;
        std::uint32_t input = 0;
        // The bytes from the end of the value before (or the line's '{') to this key's value, as
        // the last line that gave this key wrote them: `, "rate": `.
        std::string before;
        wide_bytes wide;            // `before` again, for a compare of fixed size (when it fits)
        std::uint16_t key_at = 0;   // where in `before` the key's text starts
        bool before_first = false;  // `before` follows the '{' (no comma): the first key's only
    };
    std::vector<quick_input> quick;  // per input of the program
    // The keys learnt, in the order the lines give them: the next lines' guess. A key the lines
    // before left out is learnt where its line gives it (after the key before it), so a file
    // whose lines each leave out their own missing facts still reads in order.
    std::vector<key> order;
    // Every key learnt, by name → its place in `order`: a key the guess misses (the lines give
    // their keys in another order) is found here rather than learnt again.
    std::unordered_map<std::string, std::uint32_t> known;
    std::size_t cursor = 0;  // where in `order` the line's last key was found
    std::string group_column;
    bool allow_unknown = false;
    std::uint64_t short_steps = UINT64_MAX;  // as csv_plan::short_steps
    std::vector<std::uint8_t> mentioned;     // per input, in the line being read (a key given twice)

    [[nodiscard]] key resolve(const program& p, std::string_view name) const {
        key k;
        k.name.assign(name);
        if (name == "entity") k.role = csv_plan::role::id;
        else if (!group_column.empty() && name == group_column) k.role = csv_plan::role::group;
        else if (name == "name" || name == "名称" || name == "单位名称") k.role = csv_plan::role::name;
        else if (const int idx = p.find_input(name); idx >= 0) {
            k.role = csv_plan::role::input;
            k.input = static_cast<std::uint32_t>(idx);
        } else if (!allow_unknown) {
            k.role = csv_plan::role::unknown;
        }
        return k;
    }
};

inline jsonl_plan plan_jsonl(const program& p, const std::string& group_column, bool allow_unknown) {
    jsonl_plan plan;
    plan.group_column = group_column;
    plan.allow_unknown = allow_unknown;
    csv_plan columns = plan_columns(p, {}, group_column, allow_unknown);
    plan.short_steps = columns.short_steps;
    plan.quick = std::move(columns.quick);
    plan.mentioned.assign(p.inputs().size(), 0);
    return plan;
}

// JSON's white space within a line: an LF is not, here, as it ends the line (bind_json_line reads a
// line at the start of the rest of its block).
inline bool json_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// White space at line[i]: i past it, counting the CRs that end a line by themselves (no LF
// after them).
RUBRIC_NOINLINE inline void skip_more_json_space(std::string_view line, std::size_t& i, std::size_t& lone_crs) {
    for (; i < line.size() && json_space(line[i]); ++i)
        if (line[i] == '\r' && (i + 1 == line.size() || line[i + 1] != '\n')) ++lone_crs;
}

// Between tokens there is most often nothing or one space (`": "`, `", "`): those are taken in
// place, and only another white-space byte calls the loop.
RUBRIC_ALWAYS_INLINE void skip_json_space(std::string_view line, std::size_t& i, std::size_t& lone_crs) {
    if (i < line.size() && line[i] == ' ') ++i;
    if (i < line.size() && static_cast<unsigned char>(line[i]) <= ' ' && line[i] != '\n') skip_more_json_space(line, i, lone_crs);
}

// s[e], the first quote, backslash or control character after a string's opening quote (at b - 1),
// ends the string if it is a quote: its text, and i past the quote. `high`: a byte beyond ASCII
// came before it (the text must then be valid UTF-8 without hidden characters).
RUBRIC_ALWAYS_INLINE bool plain_json_string_ends(std::string_view s, std::size_t b, std::size_t e, bool high, std::size_t& i,
                                                 std::string_view& text) {
    if (s[e] != '"') return false;  // a backslash or a control character
    text = std::string_view(s.data() + b, e - b);
    if (high && !plain_text(text)) return false;
    i = e + 1;
    return true;
}

// A JSON string at s[i] (its opening quote) without escapes, control characters or hidden
// characters (bidirectional controls, byte-order marks: the general reader says where they
// are): its text and i past the closing quote; false for anything else.
RUBRIC_ALWAYS_INLINE bool plain_json_string(std::string_view s, std::size_t& i, std::string_view& text) {
    const std::size_t b = i + 1;
    bool high = false;  // a byte beyond ASCII: the text must be valid UTF-8 without hidden characters
    std::size_t j = b;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    // Sixteen bytes at a time while they are in the line: most values and keys end in the first
    // sixteen. A byte is marked when it is a quote, a backslash or a control character (its top
    // three bits clear); the byte's top bit says it is beyond ASCII.
    for (; j + 16 <= s.size(); j += 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + j));
        const __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
            _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(static_cast<char>(0xE0))), _mm_setzero_si128()));
        const auto marks = static_cast<unsigned>(_mm_movemask_epi8(special));
        const auto beyond = static_cast<unsigned>(_mm_movemask_epi8(x));
        if (marks == 0) {
            high |= beyond != 0;
            continue;
        }
        const auto first = static_cast<unsigned>(__builtin_ctz(marks));  // the first marked byte
        high |= (beyond & ((1u << first) - 1)) != 0;
        return plain_json_string_ends(s, b, j + first, high, i, text);
    }
#endif
    // Eight bytes at a time while they are in the line: most values and keys end in the first
    // word. A byte of the word is marked when it is a quote, a backslash or a control character;
    // the lowest mark is exact (a borrow only runs towards later bytes), so it is the first such.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__  // the first byte is the word's lowest
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const auto zero_bytes = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    for (; j + 8 <= s.size(); j += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + j, 8);
        const std::uint64_t marks = zero_bytes(w ^ (ones * '"')) | zero_bytes(w ^ (ones * '\\')) | ((w - ones * 0x20) & ~w & highs);
        if (marks == 0) {
            high |= (w & highs) != 0;
            continue;
        }
        const unsigned first = static_cast<unsigned>(__builtin_ctzll(marks)) / 8;  // the first marked byte
        high |= (w & highs & ((std::uint64_t{1} << (8 * first)) - 1)) != 0;
        return plain_json_string_ends(s, b, j + first, high, i, text);
    }
#endif
    for (; j < s.size(); ++j) {
        const auto c = static_cast<unsigned char>(s[j]);
        if (c == '"' || c == '\\' || c < 0x20) return plain_json_string_ends(s, b, j, high, i, text);
        high |= c >= 0x80;
    }
    return false;
}

// A JSON number at s[i] without an exponent: -?(0|[1-9][0-9]*)(.[0-9]+)?
inline bool plain_json_number(std::string_view s, std::size_t& i, std::string_view& text) {
    const std::size_t b = i;
    std::size_t j = i;
    auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
    if (j < s.size() && s[j] == '-') ++j;
    if (!digit(j)) return false;
    if (s[j] == '0') ++j;
    else
        while (digit(j)) ++j;
    if (j < s.size() && s[j] == '.') {
        ++j;
        if (!digit(j)) return false;
        while (digit(j)) ++j;
    }
    if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) return false;
    text = std::string_view(s.data() + b, j - b);
    i = j;
    return true;
}

// Binds the line at the start of `line` (the rest of its block: the line, its LF if it has one,
// and the lines after it); u.length is then the line's bytes, its LF included. A line is so
// parsed straight away, with no pass before to find its end (JSON needs none: an LF can only be
// the line's end). False when the general reader must read the line (the caller finds its end
// then). The plan is the reading thread's own (it learns the keys' order).
//
// Only plain text is bound, as the general reader would find nothing to say of it: outside
// strings only JSON's ASCII tokens are taken, and a string with a byte beyond ASCII must be valid
// UTF-8 without hidden characters (plain_json_string), so the line needs no pass of its own.
inline bool bind_json_line(const program& p, jsonl_plan& plan, std::string_view line, const bind_options& options,
                           const facts_limits& limits, fact_set& facts, fast_unit& u) {
    std::size_t i = 0;
    u.bound = false;
    u.lone_crs = 0;
    u.length = 0;
    skip_json_space(line, i, u.lone_crs);
    if (i >= line.size() || line[i] != '{') return false;
    ++i;
    reset_presence(p, facts);
    // The plan's arrays in locals: the compiler cannot keep a vector's bounds in registers across
    // the stores into the facts. The keys change only when one is learnt (read again then).
    std::uint8_t* const mentioned = plan.mentioned.data();
    std::fill_n(mentioned, plan.mentioned.size(), std::uint8_t{0});
    const quick_input* const quick = plan.quick.data();
    jsonl_plan::key* keys = plan.order.data();
    std::size_t nkeys = plan.order.size();
    std::size_t cursor = 0;  // plan.cursor, kept there whatever way the line ends
    struct keep_cursor {
        jsonl_plan& plan;
        const std::size_t& cursor;
        ~keep_cursor() { plan.cursor = cursor; }
    } keep{plan, cursor};
    u.id = {};
    u.group = {};
    bool have_id = false, have_group = false, have_name = false, short_numbers = true;
    std::vector<std::string_view> ignored;  // keys no input reads: still each only once
    for (std::size_t k = 0;; ++k) {
        const std::size_t before_member = i;  // after '{', or after the member before
        std::string_view name;
        jsonl_plan::key* found = nullptr;
        // Most lines are written by one program: from the end of a value to the start of the
        // next, the same bytes as the line before (`, "rate": `). The expected key's are compared
        // at once. They were learnt from tokens read one by one below (white space without a CR,
        // a comma, the plain key, a colon), so equal bytes are those same tokens.
        // The key expected, or one of the two after it (this line left the expected one out).
        // Within the line: `before` holds no LF, so equal bytes never run into the next line.
        // (The key's name is then made only where it is needed: a key no input reads.)
        bool taken_whole = false;
        const std::size_t rest = line.size() - i;
        for (std::size_t j = cursor, last = std::min(nkeys, cursor + 3); j < last; ++j) {
            jsonl_plan::key& e = keys[j];
            if (e.before_first != (k == 0)) continue;
            if (e.wide.length && rest >= wide_bytes::size
                    ? e.wide.starts(line.data() + i)
                    : !e.before.empty() && rest >= e.before.size() && std::memcmp(line.data() + i, e.before.data(), e.before.size()) == 0) {
                found = &e;
                cursor = j + 1;
                i += e.before.size();
                taken_whole = true;
                break;
            }
        }
        if (!taken_whole) {
            if (k > 0) {  // the end of the member before: a comma, or the object's end
                skip_json_space(line, i, u.lone_crs);
                if (i < line.size() && line[i] == '}') {
                    ++i;
                    break;
                }
                if (i >= line.size() || line[i] != ',') return false;
                ++i;
            }
            skip_json_space(line, i, u.lone_crs);
            if (i >= line.size() || line[i] != '"') return false;  // also "{}": no entity
            // Else the key expected next is compared in place (a plain key, then its closing
            // quote), without scanning for the quote.
            if (cursor < nkeys) {
                const std::string& expected = keys[cursor].name;
                const std::size_t end = i + 1 + expected.size();
                // Every learnt key was read as a plain string (no quote, backslash or control
                // character, within the size limit), so equal bytes are the same plain key, and the
                // quote after them (after a byte that is not a backslash) closes it.
                if (end < line.size() && line[end] == '"' && std::memcmp(line.data() + i + 1, expected.data(), expected.size()) == 0) {
                    name = std::string_view(line.data() + i + 1, expected.size());
                    found = &keys[cursor++];
                    i = end + 1;
                }
            }
            // An empty key is the general reader's to refuse ("a key is empty"), even where unknown
            // keys are allowed.
            if (!found && (!plain_json_string(line, i, name) || name.empty() || name.size() > limits.max_text_bytes)) return false;
            skip_json_space(line, i, u.lone_crs);
            if (i >= line.size() || line[i] != ':') return false;
            ++i;
            skip_json_space(line, i, u.lone_crs);
        }
        if (i >= line.size()) return false;  // no value: the line ends after its key's colon (taken whole too)
        const std::size_t value_start = i;
        std::string_view text;
        enum { string, number, boolean, null } kind;
        const char c = line[i];
        if (c == '"') {
            if (!plain_json_string(line, i, text) || text.size() > limits.max_text_bytes) return false;
            kind = string;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            if (!plain_json_number(line, i, text) || text.size() > limits.max_number_chars) return false;
            kind = number;
        } else if (const auto word = [&](const char* w, std::size_t n) {
                       return line.size() - i >= n && std::memcmp(line.data() + i, w, n) == 0;
                   };
                   word("true", 4) || word("false", 5)) {
            text = std::string_view(line.data() + i, c == 't' ? 4 : 5);
            i += text.size();
            kind = boolean;
        } else if (word("null", 4)) {
            i += 4;
            kind = null;
        } else {
            return false;  // an array (a list), an object, or not JSON
        }
        if (k >= limits.max_fields) return false;
        // Else the key a few further on (a line leaves out its missing facts).
        for (std::size_t j = cursor; !found && j < nkeys && j < cursor + 8; ++j) {
            const std::string& n = keys[j].name;
            if (n.size() == name.size() && std::memcmp(n.data(), name.data(), n.size()) == 0) {
                found = &keys[j];
                cursor = j + 1;
            }
        }
        if (!found) {
            if (const auto it = plan.known.find(std::string(name)); it != plan.known.end()) {
                found = &keys[it->second];
                cursor = it->second + 1;
            } else {
                if (nkeys >= 100000) return false;  // so many keys learnt: the general reader
                // Learnt after the key before it (the cursor). Past 1,024 keys at the end
                // instead: inserting moves the keys after it and renumbers them in `known`,
                // which must stay cheap however many keys a hostile file makes up.
                const std::size_t at = nkeys <= 1024 ? std::min(cursor, nkeys) : nkeys;
                if (at < nkeys)
                    for (auto& entry : plan.known)
                        if (entry.second >= at) ++entry.second;
                plan.known.emplace(std::string(name), static_cast<std::uint32_t>(at));
                plan.order.insert(plan.order.begin() + static_cast<std::ptrdiff_t>(at), plan.resolve(p, name));
                keys = plan.order.data();
                nkeys = plan.order.size();
                found = &keys[at];
                cursor = at + 1;
            }
        }
        if (!taken_whole) {  // learnt for the next line: what came before this value (without a CR to count)
            const std::string_view before(line.data() + before_member, value_start - before_member);
            if (before.size() <= 256 && before.find('\r') == std::string_view::npos) {
                found->before.assign(before);
                found->wide.assign(before);
                found->key_at = static_cast<std::uint16_t>(before.find('"') + 1);  // white space and a comma hold no quote
                found->before_first = k == 0;
            }
        }
        const jsonl_plan::key& key = *found;
        if (key.role == csv_plan::role::input) {  // the commonest, before the switch's jump
            if (mentioned[key.input]++) return false;  // given twice (by name and label too)
            if (kind == null) continue;
            const quick_input& q = quick[key.input];
            if (q.type == input_type::list) return false;  // lists come as arrays: the general reader
            if (quick_fact(q, key.input, text, options.numbers, facts)) {
                if (text.size() > 15) short_numbers = false;  // as bind_record (true or false is shorter)
            } else {
                const bool number = q.type != input_type::boolean && q.type != input_type::choice;
                if (number && !short_number(text)) short_numbers = false;
                if (!set_fact(p, key.input, text, facts, options).empty()) return false;
            }
            continue;
        }
        switch (key.role) {
            case csv_plan::role::id:
                // A non-empty string, or a whole number written plainly (its text).
                if (have_id || (kind != string && kind != number) || text.empty()) return false;
                if (kind == number && text.find_first_not_of("0123456789") != std::string_view::npos) return false;
                u.id = text;
                have_id = true;
                break;
            case csv_plan::role::group:
                if (have_group) return false;
                have_group = true;
                if (kind != null) u.group = text;
                break;
            case csv_plan::role::name:
                if (have_name) return false;
                have_name = true;
                if (kind != null) facts.display_name.assign(text);
                break;
            case csv_plan::role::unknown: return false;
            default:
                if (taken_whole) name = std::string_view(line.data() + before_member + key.key_at, key.name.size());  // in the line: `ignored` keeps it
                for (const auto seen : ignored)
                    if (seen == name) return false;
                ignored.push_back(name);
                break;
        }
    }
    skip_json_space(line, i, u.lone_crs);
    if ((i < line.size() && line[i] != '\n') || !have_id) return false;  // the line goes on after its object
    if (!fill_missing_facts(p, facts).empty()) return false;
    facts.entity.assign(u.id);
    u.length = i < line.size() ? i + 1 : i;
    u.bound = (short_numbers && plan.short_steps <= options.max_eval_steps) || evaluation_steps(p, facts) <= options.max_eval_steps;
    return u.bound;
}

}  // namespace rubric::detail
