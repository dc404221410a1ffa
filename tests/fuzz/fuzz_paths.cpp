// Fuzz target 8: the evaluator's paths against each other (issue 12). evaluate() scores a unit on
// the fast path (int64 fractions) and sends it to the general path (decimal, big integers) when a
// value leaves int64; detail::evaluate_on_general_path() always takes the general path;
// evaluate_batch() scores all the entities together, 16 lanes at a time. Any difference, in anything
// a caller can read, is a finding.
//
// Input layout: as target 3 (fuzz_eval.cpp): FLAGS RUBRIC-TEXT [ "\n@facts\n" FACTS-TEXT ], FLAGS
// bits 0-1 the facts format (0 CSV, 1 JSON, 2 JSON lines, 3 `name = value` lines), bit 2
// allow_unknown. The seeds are target 3's, and facts with numbers near and beyond int64.
//
// Properties:
//   * the same node scores, raw scores, total, bonus, adjustments, grade and vetoes, undefined parts,
//     warnings and registers;
//   * an exception (none is expected) is thrown by both paths or by neither;
//   * the general path says so (scored_on_fast_path is false after it);
//   * evaluate_batch() gives every entity the node scores, total, bonus, warnings and undefined
//     parts that evaluate() gives it;
//   * for a rubric with cohort rules, the measuring pass gives the ranked values (and `among`
//     conditions) the general path gives.
#include <string>
#include <vector>

#include "fuzz_common.hpp"

namespace {

using namespace rubric;

std::string show(const value& v) { return v.undefined ? std::string("undefined") : v.v.to_string(); }

void check_same(const program& p, const evaluation& fast, const evaluation& general, const std::string& entity) {
    const std::string where = "entity " + entity + ", ";
    for (node_id id = 0; id < p.node_count(); ++id) {
        const std::string node = where + "node " + p.tree().nodes[id].code;
        FUZZ_CHECK(fast.node_score(id) == general.node_score(id),
                   node + ": " + fast.node_score(id).to_string() + " vs " + general.node_score(id).to_string());
        FUZZ_CHECK(fast.raw_score(id) == general.raw_score(id),
                   node + " raw: " + fast.raw_score(id).to_string() + " vs " + general.raw_score(id).to_string());
    }
    FUZZ_CHECK(fast.total() == general.total(), where + "total " + fast.total().to_string() + " vs " + general.total().to_string());
    FUZZ_CHECK(fast.bonus() == general.bonus(), where + "bonus " + fast.bonus().to_string() + " vs " + general.bonus().to_string());
    FUZZ_CHECK(fast.undefined_parts() == general.undefined_parts(), where + "undefined parts differ");
    FUZZ_CHECK(fast.warnings() == general.warnings(), where + "warnings differ");
    FUZZ_CHECK(fast.adjustments() == general.adjustments(),
               where + "adjustments " + fast.adjustments().to_string() + " vs " + general.adjustments().to_string());
    const grade_result fg = grade_of(p, fast), gg = grade_of(p, general);
    FUZZ_CHECK(fg.grade == gg.grade && fg.earned == gg.earned && fg.vetoes == gg.vetoes, where + "grades differ");
    for (std::uint32_t r = 0; r < p.register_count(); ++r) {
        const value &a = fast.reg(r), &b = general.reg(r);
        FUZZ_CHECK(a.undefined == b.undefined && (a.undefined || a.v == b.v),
                   where + "register " + std::to_string(r) + ": " + show(a) + " vs " + show(b));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t flags = data[0];
    std::string_view rest = rubric_fuzz::as_text(data + 1, size - 1);
    std::string_view rubric_text = rest, facts_text;
    if (const std::size_t cut = rest.find(rubric_fuzz::facts_separator); cut != std::string_view::npos) {
        rubric_text = rest.substr(0, cut);
        facts_text = rest.substr(cut + rubric_fuzz::facts_separator.size());
    }
    const source_ptr src = make_source("fuzz.rubric", std::string(rubric_text));
    parse_result parsed = parse(src);
    if (!parsed.tree) return 0;
    check_result checked = check(std::move(*parsed.tree));
    if (!checked.rubric) return 0;
    const program_ptr prog = compile(std::move(*checked.rubric));
    const program& p = *prog;

    bind_options bo;
    bo.allow_unknown = (flags & 4) != 0;
    std::vector<fact_set> entities = rubric_fuzz::read_entities(p, flags & 3, facts_text, bo);
    if (entities.empty()) {
        fact_set fs;
        fs.reset(p);
        fs.entity = "(no facts)";
        if (fill_missing(p, fs).empty()) entities.push_back(std::move(fs));
    }
    // One context each, used for every entity in turn: a unit must not see its predecessor's values.
    evaluation fast(p), general(p);
    if (p.needs_cohort()) {
        // Scored in a cohort: compare the measuring pass (the fast path runs only the instructions
        // the ranked values need), register by register, against the general path's whole program.
        for (const fact_set& fs : entities) {
            detail::evaluate_in_cohort(p, fs, nullptr, fast);
            detail::measure_on_general_path(p, fs, general);
            for (const cohort_slot& c : p.cohort_slots())
                for (std::uint32_t r : {c.value_reg, c.among_reg}) {
                    if (r == no_id) continue;
                    const value &a = fast.reg(r), &b = general.reg(r);
                    FUZZ_CHECK(a.undefined == b.undefined && (a.undefined || a.v == b.v),
                               "measuring entity " + fs.entity + ", register " + std::to_string(r) + ": " + show(a) +
                                   " vs " + show(b));
                }
        }
        return 0;
    }
    for (const fact_set& fs : entities) {
        std::string fast_error = "(none)", general_error = "(none)";
        try {
            evaluate(p, fs, fast);
        } catch (const std::exception& e) {
            fast_error = e.what();
        }
        try {
            detail::evaluate_on_general_path(p, fs, general);
        } catch (const std::exception& e) {
            general_error = e.what();
        }
        FUZZ_CHECK(fast_error == general_error, "entity " + fs.entity + ": evaluate threw " + fast_error +
                                                     ", the general path " + general_error);
        if (fast_error != "(none)") continue;
        FUZZ_CHECK(!detail::scored_on_fast_path(general), "evaluate_on_general_path took the fast path");
        check_same(p, fast, general, fs.entity);
    }
    // The whole set in one batch, against evaluate() one by one (unless an entity threw above).
    batch_evaluation batch;
    try {
        evaluate_batch(p, entities.data(), entities.size(), batch);
    } catch (const std::exception&) {
        return 0;  // an exception that evaluate() threw too (checked above)
    }
    FUZZ_CHECK(batch.size() == entities.size(), "evaluate_batch() gave " + std::to_string(batch.size()) + " results");
    for (std::size_t u = 0; u < entities.size(); ++u) {
        evaluate(p, entities[u], fast);
        const std::string where = "batch, entity " + entities[u].entity + ", ";
        for (node_id id = 0; id < p.node_count(); ++id)
            FUZZ_CHECK(batch.node_score(u, id) == fast.node_score(id),
                       where + "node " + p.tree().nodes[id].code + ": " + batch.node_score(u, id).to_string() + " vs " +
                           fast.node_score(id).to_string());
        FUZZ_CHECK(batch.total(u) == fast.total(), where + "total " + batch.total(u).to_string() + " vs " + fast.total().to_string());
        FUZZ_CHECK(batch.bonus(u) == fast.bonus(), where + "bonus");
        for (std::size_t w = 0; w < fast.warnings().size(); ++w)
            FUZZ_CHECK(batch.warning(u, w) == (fast.warnings()[w] != 0), where + "warning " + std::to_string(w));
        for (std::size_t i = 0; i < fast.undefined_parts().size(); ++i)
            FUZZ_CHECK(batch.part_undefined(u, i) == (fast.undefined_parts()[i] != 0), where + "part " + std::to_string(i));
    }
    return 0;
}
