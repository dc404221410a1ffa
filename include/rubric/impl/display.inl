// Definitions for rubric/display.hpp.
#pragma once

#include "rubric/config.hpp"
#include "rubric/display.hpp"

#include <cstring>
#include <memory>

namespace rubric {

RUBRIC_FUNC decimal shown_value(const program& p, const decimal& d) {
    const auto& h = p.tree().header;
    return d.round(h.display_places, h.display_rounding);
}

RUBRIC_FUNC std::string shown(const program& p, const decimal& d) { return shown_value(p, d).to_string(); }

namespace detail {

// The text of a value shown lately, by its (not necessarily reduced) fraction n/d and how it was
// rounded. Equal keys always give equal text, so an entry is never stale, only replaced.
struct shown_memo_entry {
    std::int64_t n, d;  // d == 0: empty
    int places;
    rounding mode;
    bool rounds;
    std::uint8_t size;  // of text; 0: the text is too long to keep
    char text[32];
};

// Per thread, 1,024 entries (64 KiB) by a hash of n/d, all zero (empty) at first. Scores take
// few values, but rates and shares many: with 256 entries the 广汉 table missed ~5 of its 91 scores
// a unit (random facts, eval_bench), with 1,024 ~2. On the heap, made at a thread's first use:
// glibc carves static thread-local storage out of each thread's stack, so a 64 KiB array there
// would take 64 KiB from every thread of an embedding program, one made with a small stack too
// (the -O0 nesting check's 256 KiB thread overflowed). The check for it is once per row.
inline shown_memo_entry* shown_memo_table() {
    static thread_local std::unique_ptr<shown_memo_entry[]> memo;
    if (!memo) memo.reset(new shown_memo_entry[1024]());
    return memo.get();
}

// The entry of n/d (d > 0: an evaluator's fast-path fraction, or a decimal's small form) shown at
// `places` with `mode` (the rubric's header), made now if it was not there. `scratch` gets the text of one too long to keep (size 0; the entry
// is then left empty, and its text is only in `scratch`).
inline const shown_memo_entry& shown_memo(shown_memo_entry* memo, int places, rounding mode, std::int64_t n,
                                          std::int64_t d, std::string& scratch) {
    const std::uint64_t hash =
        (static_cast<std::uint64_t>(n) * 0x9E3779B97F4A7C15ull) ^ (static_cast<std::uint64_t>(d) * 0xC2B2AE3D27D4EB4Full);
    shown_memo_entry& e = memo[hash >> 54];
    if (e.n == n && e.d == d && e.places == places && e.mode == mode) return e;
    const small_value r = small_reduced({n, d});
    const decimal v = decimal::from_small_parts(r.n, r.d);
    scratch.clear();
    v.append_rounded(scratch, places, mode);
    e.n = n;
    e.d = d;
    e.places = places;
    e.mode = mode;
    // display_rounds(), at these places: n/d reduced is not itself at `places` exactly when d does
    // not divide 10^places (n and d share no factor). No decimal rounded for it.
    if (places >= 0 && places <= 18) {
        std::uint64_t ten = 1;
        for (int k = 0; k < places; ++k) ten *= 10;
        e.rounds = ten % static_cast<std::uint64_t>(r.d) != 0;
    } else {
        e.rounds = v.round(places, mode) != v;
    }
    e.size = scratch.size() <= sizeof e.text ? static_cast<std::uint8_t>(scratch.size()) : 0;
    scratch.copy(e.text, e.size);
    if (e.size == 0) e.d = 0;  // not kept: the next lookup makes the text again
    return e;
}

inline bool append_shown_fraction(std::string& out, const program& p, std::int64_t n, std::int64_t d) {
    std::string scratch;
    const auto& h = p.tree().header;
    const shown_memo_entry& e = shown_memo(shown_memo_table(), h.display_places, h.display_rounding, n, d, scratch);
    if (e.size) out.append(e.text, e.size);
    else out += scratch;
    return e.rounds;
}

}  // namespace detail

RUBRIC_FUNC bool append_shown(std::string& out, const program& p, const decimal& d) {
    std::int64_t n, den;
    if (d.small_parts(n, den)) return detail::append_shown_fraction(out, p, n, den);
    const auto& h = p.tree().header;
    d.append_rounded(out, h.display_places, h.display_rounding);
    return display_rounds(p, d);
}

RUBRIC_FUNC bool append_shown_score(std::string& out, const program& p, const evaluation& ev, node_id id) {
    detail::small_value v;
    if (detail::small_node_score(ev, id, v)) return detail::append_shown_fraction(out, p, v.n, v.d);
    return append_shown(out, p, ev.node_score(id));
}

RUBRIC_FUNC void append_shown_scores(std::string& out, const program& p, const evaluation& ev, const std::vector<node_id>& ids,
                                     const std::vector<std::string>& before, char after, std::vector<std::size_t>* rounded) {
    const std::size_t rounded_start = rounded ? rounded->size() : 0;
    if (const detail::small_value* scores = detail::small_node_scores(ev)) {
        // The row is made in a buffer of this thread's with room for every text copied whole (32
        // bytes), then appended at once.
        std::size_t room = 0;
        for (const std::string& b : before) room += b.size();
        static thread_local std::vector<char> row;
        const std::size_t most = room + ids.size() * (sizeof detail::shown_memo_entry::text + 1);
        if (row.size() < most) row.resize(most);
        char* to = row.data();
        detail::shown_memo_entry* memo = detail::shown_memo_table();
        const int places = p.tree().header.display_places;
        const rounding mode = p.tree().header.display_rounding;
        std::string scratch;
        bool kept = true;
        for (std::size_t k = 0; k < ids.size() && kept; ++k) {
            const detail::small_value v = scores[ids[k]];
            const detail::shown_memo_entry& e = detail::shown_memo(memo, places, mode, v.n, v.d, scratch);
            kept = e.size != 0;
            const std::string& b = before[k];  // a comma (CSV), or a short JSON key (`, "1.2.3": "`)
            const std::size_t n = b.size();
            if (n == 1) {
                *to = b[0];
            } else if (n >= 8 && n <= 16) {  // two words, overlapping: no call to memcpy for a few bytes
                std::memcpy(to, b.data(), 8);
                std::memcpy(to + n - 8, b.data() + n - 8, 8);
            } else {
                std::memcpy(to, b.data(), n);
            }
            to += n;
            std::memcpy(to, e.text, sizeof e.text);
            to += e.size;
            if (after) *to++ = after;
            if (e.rounds && rounded) rounded->push_back(k);
        }
        if (kept) {
            out.append(row.data(), static_cast<std::size_t>(to - row.data()));
            return;
        }
        // a text too long to keep: the row again, piece by piece
        if (rounded) rounded->resize(rounded_start);
    }
    for (std::size_t k = 0; k < ids.size(); ++k) {
        out += before[k];
        if (append_shown_score(out, p, ev, ids[k]) && rounded) rounded->push_back(k);
        if (after) out += after;
    }
}

RUBRIC_FUNC std::string shown_fixed(const program& p, const decimal& d) {
    const auto& h = p.tree().header;
    return d.to_fixed(h.display_places, h.display_rounding);
}

RUBRIC_FUNC bool display_rounds(const program& p, const decimal& d) {
    return shown_value(p, d) != d;
}

RUBRIC_FUNC std::vector<node_id> document_order(const ast& t, bool with_tasks) {
    std::vector<node_id> out;
    std::vector<node_id> stack(t.roots.rbegin(), t.roots.rend());
    while (!stack.empty()) {
        const node_id id = stack.back();
        stack.pop_back();
        if (with_tasks || t.nodes[id].kind != node_kind::task) out.push_back(id);
        for (auto it = t.nodes[id].children.rbegin(); it != t.nodes[id].children.rend(); ++it) stack.push_back(*it);
    }
    return out;
}

}  // namespace rubric
