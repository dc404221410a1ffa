// Definitions for rubric/grade.hpp.
#pragma once

#include "rubric/config.hpp"
#include "rubric/grade.hpp"

namespace rubric {

RUBRIC_FUNC grade_result grade_of(const program& p, const evaluation& ev) {
    grade_result r;
    const ast& t = p.tree();
    if (!t.grades) return r;
    r.graded = true;
    const auto& bands = t.grades->bands;
    const decimal grand = ev.grand_total();
    std::size_t g = 0;
    while (g < bands.size() && grand < bands[g].bound) ++g;
    r.earned = g;
    for (std::uint32_t v = 0; v < t.vetoes.size(); ++v) {
        const value& c = ev.reg(p.veto_reg(v));
        if (c.undefined || c.v.is_zero()) continue;
        r.vetoes.push_back(v);
        std::size_t at_most = bands.size();  // 一票否决: the lowest grade
        if (!t.vetoes[v].cap.empty())
            for (std::size_t i = 0; i < bands.size(); ++i)
                if (bands[i].label == t.vetoes[v].cap) at_most = i + 1;  // the grade just below the cap
        if (g < at_most) g = at_most;  // a larger index is a lower grade
    }
    r.grade = g;
    return r;
}

RUBRIC_FUNC const std::string& grade_label(const ast& t, std::size_t g) {
    static const std::string none;
    if (!t.grades) return none;
    return g < t.grades->bands.size() ? t.grades->bands[g].label : t.grades->lowest;
}

RUBRIC_FUNC std::string veto_labels(const ast& t, const grade_result& g) {
    std::string out;
    for (std::uint32_t v : g.vetoes) out += (out.empty() ? "" : "; ") + t.vetoes[v].label;
    return out;
}

}  // namespace rubric
