// Definitions for rubric/testing.hpp.
#pragma once

#include <optional>

#include "rubric/cohort_evaluation.hpp"
#include "rubric/config.hpp"
#include "rubric/explain.hpp"
#include "rubric/facts.hpp"
#include "rubric/grade.hpp"
#include "rubric/applies.hpp"
#include "rubric/testing.hpp"

namespace rubric {

RUBRIC_FUNC std::vector<test_outcome> run_tests(const program& p, coverage_tracker* coverage) {
    return run_tests(p, lang::en, coverage);
}

namespace detail {

// Sets a test unit's facts: the test's shared ones, then its own. Problems go to `problem`.
inline void set_test_facts(const program& p, lang l, const std::vector<test_given>& shared,
                           const std::vector<test_given>* own, fact_set& facts, std::string& problem) {
    facts.reset(p);
    auto set = [&](const std::vector<test_given>& given) {
        for (const auto& g : given) {
            const int idx = p.find_input(g.name);
            const localized e =
                idx < 0 ? localize("test.not-an-input") : set_fact(p, static_cast<std::uint32_t>(idx), g.value, facts);
            if (!e.empty())
                problem += message_text(l, "test.given-problem", {{"name", g.name}, {"value", g.value}, {"problem", e}}) + "\n";
        }
    };
    set(shared);
    if (own) set(*own);
    if (const localized e = fill_missing_facts(p, facts); !e.empty()) problem += translate(e, l) + "\n";
}

inline void compare_expectations(const program& p, lang l, const std::string& unit, const std::vector<test_expect>& expect,
                                 const fact_set& facts, const evaluation& ev, test_outcome& o) {
    const ast& t = p.tree();
    for (const auto& ex : expect) {
        test_mismatch m;
        m.unit = unit;
        m.code = ex.code;
        m.expected = ex.score;
        node_id id = no_id;
        if (ex.code == "warning" || ex.code == "no warning") {
            // The warnings that apply, by their labels; "warning": the one expected is among them,
            // "no warning": there are none.
            std::string applying;
            bool found = false;
            for (std::size_t w = 0; w < t.warnings.size(); ++w)
                if (ev.warnings()[w]) {
                    applying += (applying.empty() ? "" : "; ") + t.warnings[w].label;
                    found = found || t.warnings[w].label == ex.label;
                }
            if (ex.code == "warning" ? found : applying.empty()) continue;
            m.expected_text = ex.code == "warning" ? ex.label : message_text(l, "test.no-warning");
            m.actual_text = applying.empty() ? message_text(l, "test.no-warning") : applying;
            m.explanation = explain_text(p, facts, ev, l);
            o.mismatches.push_back(std::move(m));
            continue;
        }
        if (ex.code == "grade") {
            const grade_result g = grade_of(p, ev);
            m.expected_text = ex.label;
            m.actual_text = grade_label(t, g.grade);
            if (m.actual_text == m.expected_text) continue;
            m.explanation = explain_text(p, facts, ev, l);
            o.mismatches.push_back(std::move(m));
            continue;
        }
        if (ex.code == "total") m.actual = ev.total();
        else if (ex.code == "bonus") m.actual = ev.bonus();
        else if (ex.code == "adjustments") m.actual = ev.adjustments();
        else if (ex.code == "grand_total") m.actual = ev.grand_total();
        else {
            id = find_node(t, ex.code);
            if (id == no_id) {
                o.problem += message_text(l, "test.no-node", {{"code", ex.code}}) + "\n";
                continue;
            }
            // A member of a case that is not the unit's has no score to expect (applies.hpp).
            if (!applies(p, facts, id)) {
                o.problem += message_text(l, "test.not-applies", {{"code", ex.code}}) + "\n";
                continue;
            }
            m.actual = ev.node_score(id);
        }
        if (m.actual == m.expected) continue;
        if (id != no_id) m.explanation = explain_node_text(p, facts, ev, id, l);
        o.mismatches.push_back(std::move(m));
    }
}

}  // namespace detail

RUBRIC_FUNC std::vector<test_outcome> run_tests(const program& p, lang l, coverage_tracker* coverage) {
    std::vector<test_outcome> out;
    const ast& t = p.tree();
    evaluation ev(p);
    // A program without cohort rules scores each unit alone (as it always did); one with
    // them scores the units of a test together. One shared_ptr that does not own `p`:
    // cohort_evaluation keeps its program alive, and `p` outlives this call anyway.
    const program_ptr alias(std::shared_ptr<const program>(), &p);
    for (const auto& tc : t.tests) {
        test_outcome o;
        o.test = &tc;
        const std::size_t n = tc.units.empty() ? 1 : tc.units.size();
        std::vector<fact_set> facts(n);
        for (std::size_t i = 0; i < n; ++i)
            detail::set_test_facts(p, l, tc.given, tc.units.empty() ? nullptr : &tc.units[i].given, facts[i], o.problem);
        // The steps bind_facts allows (bind_options::max_eval_steps), so that a test cannot run
        // longer than scoring the same unit would be allowed to.
        if (o.problem.empty()) {
            const std::uint64_t limit = bind_options{}.max_eval_steps;
            for (std::size_t i = 0; i < n; ++i)
                if (const std::uint64_t steps = evaluation_steps(p, facts[i]); steps > limit) {
                    o.problem += message_text(l, "test.limit-eval-steps",
                                              {{"steps", std::to_string(steps)}, {"limit", std::to_string(limit)}}) +
                                 "\n";
                    break;
                }
        }
        if (o.problem.empty()) {
            std::optional<cohort_evaluation> cohort;
            if (p.needs_cohort()) {
                cohort.emplace(alias);
                do {  // one measuring pass per stage
                    for (const auto& f : facts) cohort->measure(f);
                } while (cohort->rank());
            }
            for (std::size_t i = 0; i < n; ++i) {
                if (cohort) cohort->evaluate(i, facts[i], ev);
                else evaluate(p, facts[i], ev);
                if (coverage) coverage->record(ev);
                if (tc.units.empty()) detail::compare_expectations(p, l, {}, tc.expect, facts[i], ev, o);
                else detail::compare_expectations(p, l, tc.units[i].name, tc.units[i].expect, facts[i], ev, o);
            }
        }
        out.push_back(std::move(o));
    }
    return out;
}

}  // namespace rubric
