// Definitions for rubric/applies.hpp.
#pragma once

#include <algorithm>
#include <vector>

#include "rubric/applies.hpp"
#include "rubric/config.hpp"

namespace rubric {

RUBRIC_FUNC bool has_cases(const ast& tree) noexcept {
    for (const node& n : tree.nodes)
        if (!n.cases.empty()) return true;
    return false;
}

RUBRIC_FUNC bool applies(const program& p, const fact_set& facts, node_id id) {
    const ast& t = p.tree();
    for (node_id x = id; x != no_id; x = t.nodes[x].parent) {
        const node& member = t.nodes[x];
        if (member.case_index == no_id) continue;
        const node& section = t.nodes[member.parent];
        // The attribute is required (compile.inl): a bound unit has it, as a choice's index.
        if (section.by_input >= facts.values.size()) return false;
        const value& v = facts.values[section.by_input];
        if (v.undefined || !v.v.fits_int64()) return false;
        const std::int64_t choice = v.v.to_int64();
        const auto& options = section.cases[member.case_index].options;
        bool named = false;
        for (const std::uint32_t o : options) named = named || static_cast<std::int64_t>(o) == choice;
        if (!named) return false;
    }
    return true;
}

RUBRIC_FUNC bool applies(const program& p, const evaluation& ev, node_id id) {
    const auto& gates = detail::internals(p).node_gate_;
    if (gates.empty() || gates[id] == no_id) return true;
    const value& v = ev.reg(gates[id]);
    return !v.undefined && !v.v.is_zero();
}

RUBRIC_FUNC std::string attribute_shown(const ast& tree, node_id section) {
    const node& n = tree.nodes[section];
    if (n.by_input == no_id) return n.by;
    const input_decl& in = tree.inputs[n.by_input];
    return in.label.empty() ? in.name : in.label;
}

RUBRIC_FUNC std::string case_shown(const ast& tree, node_id section, std::uint32_t k) {
    const node& n = tree.nodes[section];
    const node_case& c = n.cases[k];
    std::string out;
    if (n.by_input == no_id || c.options.empty()) {
        for (const auto& w : c.words) out += (out.empty() ? "" : ", ") + w;
        return out;
    }
    const input_decl& in = tree.inputs[n.by_input];
    std::vector<std::uint32_t> options = c.options;  // in the input's order: the same case however written
    std::sort(options.begin(), options.end());
    for (const std::uint32_t o : options) {
        const bool labelled = o < in.choice_labels.size() && !in.choice_labels[o].empty();
        out += (out.empty() ? "" : ", ") + (labelled ? in.choice_labels[o] : in.choices[o]);
    }
    return out;
}

}  // namespace rubric
