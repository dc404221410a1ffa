// Definitions for rubric/testing.hpp.
#pragma once

#include "rubric/config.hpp"
#include "rubric/explain.hpp"
#include "rubric/testing.hpp"

namespace rubric {

RUBRIC_FUNC std::vector<test_outcome> run_tests(const program& p, coverage_tracker* coverage) {
    return run_tests(p, lang::en, coverage);
}

RUBRIC_FUNC std::vector<test_outcome> run_tests(const program& p, lang l, coverage_tracker* coverage) {
    std::vector<test_outcome> out;
    const ast& t = p.tree();
    evaluation ev(p);
    fact_set facts;
    for (const auto& tc : t.tests) {
        test_outcome o;
        o.test = &tc;
        facts.reset(p);
        for (const auto& g : tc.given) {
            const int idx = p.find_input(g.name);
            const localized e = idx < 0 ? localize("test.not-an-input") : set_fact(p, static_cast<std::uint32_t>(idx), g.value, facts);
            if (!e.empty()) o.problem += message_text(l, "test.given-problem", {{"name", g.name}, {"value", g.value}, {"problem", e}}) + "\n";
        }
        if (const localized e = fill_missing_facts(p, facts); !e.empty()) o.problem += translate(e, l) + "\n";
        if (o.problem.empty()) {
            evaluate(p, facts, ev);
            if (coverage) coverage->record(ev);
            for (const auto& ex : tc.expect) {
                test_mismatch m;
                m.code = ex.code;
                m.expected = ex.score;
                node_id id = no_id;
                if (ex.code == "total") m.actual = ev.total();
                else if (ex.code == "bonus") m.actual = ev.bonus();
                else {
                    id = find_node(t, ex.code);
                    if (id == no_id) {
                        o.problem += message_text(l, "test.no-node", {{"code", ex.code}}) + "\n";
                        continue;
                    }
                    m.actual = ev.node_score(id);
                }
                if (m.actual == m.expected) continue;
                if (id != no_id) m.explanation = explain_node_text(p, facts, ev, id, l);
                o.mismatches.push_back(std::move(m));
            }
        }
        out.push_back(std::move(o));
    }
    return out;
}

}  // namespace rubric
