// Helpers shared by the fuzz targets (tests/fuzz/*.cpp).
//
// A target is a function LLVMFuzzerTestOneInput(data, size). It is linked either with
// libFuzzer (-fsanitize=fuzzer, the RUBRIC_BUILD_FUZZ build) or with replay.cpp (any
// compiler, the normal test build), which runs it over the saved regression inputs.
//
// A target checks properties as well as running the code: a violated property prints
// what went wrong and calls std::abort(), which both libFuzzer and ctest report as a
// failure (and libFuzzer saves the input as a crash-* artifact).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/rubric.hpp"

namespace rubric_fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* what, const std::string& detail) {
    std::fprintf(stderr, "\n*** fuzz property violated at %s:%d: %s\n%s\n", file, line, what, detail.c_str());
    std::fflush(stderr);
    std::abort();
}

#define FUZZ_CHECK(cond, detail)                                                \
    do {                                                                        \
        if (!(cond)) ::rubric_fuzz::fail(__FILE__, __LINE__, #cond, (detail)); \
    } while (0)

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Target 3 separates the rubric text from the facts text with this line.
inline constexpr std::string_view facts_separator = "\n@facts\n";

// Every known position must be where it says: position_at(offset) gives the same line and
// column (source.hpp's promise, used by render() to place the caret).
inline void check_position(const rubric::source_ptr& src, const rubric::position& p, const char* what) {
    if (!p.known() || !src) return;
    FUZZ_CHECK(p.offset <= src->text.size(), std::string(what) + ": offset " + std::to_string(p.offset) +
                                                 " beyond the text (" + std::to_string(src->text.size()) + " bytes)");
    const rubric::position q = src->position_at(p.offset);
    FUZZ_CHECK(q.line == p.line && q.column == p.column,
               std::string(what) + ": position " + std::to_string(p.line) + ":" + std::to_string(p.column) +
                   " but position_at(" + std::to_string(p.offset) + ") is " + std::to_string(q.line) + ":" +
                   std::to_string(q.column));
}

// Renders every diagnostic (exercises the caret placement) and checks the basic shape.
inline void render_all(const rubric::diagnostics& ds) {
    for (const auto& d : ds) {
        FUZZ_CHECK(!d.code.empty(), "a diagnostic without a code: " + d.message);
        FUZZ_CHECK(!d.message.empty(), "a diagnostic without a message, code " + d.code);
        const std::string r = rubric::render(d);
        FUZZ_CHECK(!r.empty(), "render() gave nothing for " + d.code);
    }
    (void)rubric::render(ds);
}


// `name = value` lines; a blank line ends an entity. Returns the entities as fact sets.
inline std::vector<rubric::fact_set> given_lines(const rubric::program& p, std::string_view text, const rubric::bind_options& bo) {
    std::vector<rubric::fact_set> out;
    rubric::fact_set cur;
    cur.reset(p);
    bool any = false;
    auto finish = [&] {
        if (any && rubric::fill_missing(p, cur).empty()) out.push_back(cur);
        cur.reset(p);
        any = false;
    };
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (line.empty()) {
            finish();
            continue;
        }
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view name = line.substr(0, eq);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        const int idx = p.find_input(name);
        if (idx < 0) continue;
        any = true;
        (void)rubric::set_fact_text(p, static_cast<std::uint32_t>(idx), line.substr(eq + 1), cur, bo);
    }
    finish();
    return out;
}

// The entities of FACTS-TEXT in one of four forms (targets 3 and 8): 0 CSV, 1 JSON, 2 JSON lines,
// 3 `name = value` lines. An entity that does not bind is checked for a diagnostic and left out.
inline std::vector<rubric::fact_set> read_entities(const rubric::program& p, int format, std::string_view facts_text,
                                                   const rubric::bind_options& bo) {
    using namespace rubric;
    std::vector<fact_set> entities;
    const source_ptr fsrc = make_source("fuzz.facts", std::string(facts_text));
    if (format == 3) {
        entities = given_lines(p, facts_text, bo);
    } else {
        const facts_format ff = format == 0 ? facts_format::csv : format == 1 ? facts_format::json : facts_format::jsonl;
        facts_limits fl;
        fl.max_entities = 64;  // keeps one input fast; the readers' own target covers the rest
        const facts_read_result raw = read_facts(fsrc, ff, fl);
        for (const raw_entity& re : raw.entities) {
            fact_set fs;
            diagnostics ds;
            if (bind_facts(p, re, fsrc, fs, ds, bo)) {
                FUZZ_CHECK(!has_errors(ds), "bind_facts succeeded with errors: " + render(ds));
                entities.push_back(std::move(fs));
            } else {
                FUZZ_CHECK(has_errors(ds), "bind_facts failed without a diagnostic, entity " + re.id);
                for (const auto& d : ds) check_position(d.source, d.where.begin, "bind diagnostic");
                render_all(ds);
            }
        }
    }
    return entities;
}

// The scores of one unit keep their promises: an item and a bonus within [0, its points], a
// task 0, and every node within the range the checker computed for it (checked_rubric::
// node_ranges, the analysis behind "can never reach its points"). Used by fuzz_eval and
// fuzz_structured.
inline std::string show(const std::optional<rubric::decimal>& d) { return d ? d->to_string() : std::string("unbounded"); }

inline void check_scores(const rubric::program& p, const rubric::evaluation& ev, const std::string& entity) {
    using namespace rubric;
    const ast& t = p.tree();
    const checked_rubric& cr = p.rubric();
    for (node_id id = 0; id < p.node_count(); ++id) {
        const node& n = t.nodes[id];
        const decimal& s = ev.node_score(id);
        const std::string where = "entity " + entity + ", node " + n.code + " scores " + s.to_string();
        if ((n.kind == node_kind::item || n.kind == node_kind::bonus) && n.points) {
            FUZZ_CHECK(s.sign() >= 0 && s <= *n.points, where + ", outside [0, " + n.points->to_string() + "]");
        }
        if (n.kind == node_kind::task) FUZZ_CHECK(s.is_zero(), where + " (a task)");
        if (id < cr.node_ranges.size()) {
            const interval& iv = cr.node_ranges[id];
            FUZZ_CHECK((!iv.lo || *iv.lo <= s) && (!iv.hi || s <= *iv.hi),
                       where + ", outside the checker's range " + show(iv.lo) + ".." + show(iv.hi));
        }
    }
}

}  // namespace rubric_fuzz
