// Definitions for rubric/display.hpp.
#pragma once

#include "rubric/config.hpp"
#include "rubric/display.hpp"

namespace rubric {

RUBRIC_FUNC decimal shown_value(const program& p, const decimal& d) {
    const auto& h = p.tree().header;
    return d.round(h.display_places, h.display_rounding);
}

RUBRIC_FUNC std::string shown(const program& p, const decimal& d) { return shown_value(p, d).to_string(); }

RUBRIC_FUNC void append_shown(std::string& out, const program& p, const decimal& d) {
    const auto& h = p.tree().header;
    d.append_rounded(out, h.display_places, h.display_rounding);
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
