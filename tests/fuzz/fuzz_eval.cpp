// Fuzz target 3: parse + check + compile + evaluate, with fuzzed facts.
//
// Input layout:  FLAGS RUBRIC-TEXT [ "\n@facts\n" FACTS-TEXT ]
// FLAGS is one byte:
//   bits 0-1  facts format: 0 CSV, 1 JSON, 2 JSON lines, 3 `name = value` lines given to
//             set_fact_text() directly (a blank line starts the next entity)
//   bit 2     bind_options::allow_unknown
//   bit 3     check_options::warnings_as_errors
//   bits 4-5  missing-fact policy of the rubric (header): 0/3 as written, 1 zero, 2 error
//   bit 6     also run the rubric's own tests (run_tests)
//   bit 7     also explain the first four entities (explain_text and explain_json)
//
// Properties, beyond "no crash, no hang, no leak, no exception":
//   * an item scores within [0, its points]; a bonus within [0, its cap];
//   * every node's score lies within the range the checker computed for it
//     (checked_rubric::node_ranges: the range analysis behind "can never reach its points");
//   * evaluation is deterministic: scoring the first entity again, after the others, with
//     the same evaluation context, gives the same scores;
//   * explain_json() is valid JSON.
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "fuzz_common.hpp"

namespace {

using namespace rubric;

std::vector<decimal> snapshot(const program& p, const evaluation& ev) {
    std::vector<decimal> out;
    for (node_id id = 0; id < p.node_count(); ++id) out.push_back(ev.node_score(id));
    out.push_back(ev.total());
    out.push_back(ev.bonus());
    return out;
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
    switch ((flags >> 4) & 3) {
        case 1: parsed.tree->header.missing = missing_policy::zero; break;
        case 2: parsed.tree->header.missing = missing_policy::error; break;
        default: break;
    }
    check_options co;
    co.warnings_as_errors = (flags & 8) != 0;
    check_result checked = check(std::move(*parsed.tree), co);
    if (!checked.rubric) return 0;
    const program_ptr prog = compile(std::move(*checked.rubric));
    const program& p = *prog;

    if (flags & 64) {
        for (const test_outcome& o : run_tests(p)) (void)o.passed();
    }

    bind_options bo;
    bo.allow_unknown = (flags & 4) != 0;
    std::vector<fact_set> entities = rubric_fuzz::read_entities(p, flags & 3, facts_text, bo);
    // With no facts given, score a unit for which every fact is missing.
    if (entities.empty()) {
        fact_set fs;
        fs.reset(p);
        fs.entity = "(no facts)";
        if (fill_missing(p, fs).empty()) entities.push_back(std::move(fs));
    }

    evaluation ev(p);
    // A rubric with rank rules scores its units together: the entities are the cohort.
    std::optional<cohort_evaluation> cohort;
    if (p.needs_cohort()) {
        // (There may be no unit at all: no facts, and a rubric whose missing facts are errors.)
        if (!entities.empty()) {
            bool refused = false;
            try {
                evaluate(p, entities[0], ev);
            } catch (const cohort_required&) {
                refused = true;
            }
            FUZZ_CHECK(refused, "evaluate() scored one unit of a rubric with cohort rules");
        }
        cohort.emplace(program_ptr(std::shared_ptr<const program>(), &p));
        do {
            for (const auto& fs : entities) cohort->measure(fs);
        } while (cohort->rank());
    }
    auto score = [&](std::size_t i) {
        if (cohort) cohort->evaluate(i, entities[i], ev);
        else evaluate(p, entities[i], ev);
    };
    std::vector<decimal> first;
    for (std::size_t i = 0; i < entities.size(); ++i) {
        const fact_set& fs = entities[i];
        score(i);
        rubric_fuzz::check_scores(p, ev, fs.entity);
        if (i == 0) first = snapshot(p, ev);
        const auto& h = p.tree().header;
        (void)ev.total().to_fixed(h.display_places, h.display_rounding);
        if ((flags & 128) && i < 4) {
            (void)explain_text(p, fs, ev);
            const std::string js = explain_json(p, fs, ev);
            FUZZ_CHECK(nlohmann::json::accept(js), "explain_json() is not valid JSON:\n" + js);
        }
    }
    if (entities.size() > 1) {
        score(0);
        FUZZ_CHECK(snapshot(p, ev) == first, "scoring the first entity again gave other scores");
    }
    return 0;
}
