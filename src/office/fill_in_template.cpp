// The fill-in sheet of a rubric (rubric/fill_in_template.hpp).
#include "rubric/fill_in_template.hpp"

#include "rubric/escape.hpp"

namespace rubric {

namespace {

std::string joined(const std::vector<std::string>& words, const char* sep) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : sep) + w;
    return s;
}

// The header of input i: its label when the label names it alone (program::find_input
// reads labels so), else its id.
// The choices as the office picks them: each one's label (数据库对接) where it has one, else its
// word. The facts readers take either back (facts.inl).
std::vector<std::string> shown_choices(const input_slot& s) {
    std::vector<std::string> out = s.choices;
    for (std::size_t i = 0; i < out.size() && i < s.choice_labels.size(); ++i)
        if (!s.choice_labels[i].empty()) out[i] = s.choice_labels[i];
    return out;
}

std::string input_header(const program& p, std::uint32_t i) {
    const input_decl& d = p.tree().inputs[i];
    if (!d.label.empty() && p.find_input(d.label) == static_cast<int>(i)) return d.label;
    return d.name;
}

// The item an input serves, and the node whose metadata speaks for it (the nearest with
// evidence or a lead department, from the item up).
const node* owner_of(const program& p, std::uint32_t i) {
    const ast& t = p.tree();
    const node_id o = t.inputs[i].owner;
    return o == no_id ? nullptr : &t.nodes[o];
}

std::string evidence_of(const program& p, std::uint32_t i) {
    const ast& t = p.tree();
    for (node_id n = t.inputs[i].owner; n != no_id; n = t.nodes[n].parent)
        if (!t.nodes[n].meta.evidence.empty()) return t.nodes[n].meta.evidence;
    return {};
}

std::string lead_of(const program& p, std::uint32_t i) {
    const ast& t = p.tree();
    for (node_id n = t.inputs[i].owner; n != no_id; n = t.nodes[n].parent) {
        const metadata& m = t.nodes[n].meta;
        if (!m.lead.empty()) return joined(m.lead, "、");
        if (!m.owners.empty()) return m.owners;
    }
    return {};
}

std::string bound_text(const std::optional<decimal>& v) { return v ? v->to_string() : std::string(); }

// What may be written in the column, in words.
std::string allowed_values(const program& p, std::uint32_t i, lang l) {
    const input_slot& s = p.inputs()[i];
    const std::string lo = bound_text(s.lo), hi = bound_text(s.hi);
    switch (s.type) {
        case input_type::boolean: return message_text(l, "template.allowed-bool");
        case input_type::count:
            return lo.empty() && hi.empty() ? message_text(l, "template.allowed-count")
                                            : message_text(l, "template.allowed-count-range", {{"low", lo.empty() ? "0" : lo}, {"high", hi}});
        case input_type::percent: return message_text(l, "template.allowed-percent");
        case input_type::number:
        case input_type::judged:
            return lo.empty() && hi.empty() ? message_text(l, "template.allowed-number")
                                            : message_text(l, "template.allowed-number-range", {{"low", lo}, {"high", hi}});
        case input_type::choice: return message_text(l, "template.allowed-choice", {{"choices", joined(shown_choices(s), "、")}});
        case input_type::list: return message_text(l, "template.allowed-list");
    }
    return {};
}

std::string item_of(const program& p, std::uint32_t i) {
    const node* n = owner_of(p, i);
    return n ? n->code + " " + n->name : std::string();
}

// The note on an input's header cell: everything the person filling it in needs.
std::string header_note(const program& p, std::uint32_t i, lang l) {
    std::string s = message_text(l, "template.note-input", {{"name", p.inputs()[i].name}});
    s += "\n" + message_text(l, "template.note-allowed", {{"allowed", allowed_values(p, i, l)}});
    if (const std::string item = item_of(p, i); !item.empty()) s += "\n" + message_text(l, "template.note-item", {{"item", item}});
    if (const std::string e = evidence_of(p, i); !e.empty()) s += "\n" + message_text(l, "template.note-evidence", {{"evidence", e}});
    if (const std::string lead = lead_of(p, i); !lead.empty()) s += "\n" + message_text(l, "template.note-lead", {{"lead", lead}});
    return s;
}

}  // namespace

std::vector<std::string> template_headers(const program& p, lang l) {
    std::vector<std::string> h = {message_text(l, "template.id-header"), message_text(l, "template.name-header")};
    for (std::uint32_t i = 0; i < p.inputs().size(); ++i) h.push_back(input_header(p, i));
    return h;
}

std::string template_csv(const program& p, const std::vector<template_unit>& units, lang l) {
    std::string out;
    const std::vector<std::string> headers = template_headers(p, l);
    for (std::size_t c = 0; c < headers.size(); ++c) {
        if (c) out += ',';
        append_csv_quoted(out, headers[c]);
    }
    out += "\r\n";  // as Excel writes CSV
    for (const template_unit& u : units) {
        append_csv_quoted(out, u.id);
        out += ',';
        append_csv_quoted(out, u.name);
        out += std::string(p.inputs().size(), ',') + "\r\n";
    }
    return out;
}

std::vector<xlsx_out_sheet> template_workbook(const program& p, const std::vector<template_unit>& units, lang l) {
    const std::vector<std::string> headers = template_headers(p, l);
    const std::uint32_t n_inputs = static_cast<std::uint32_t>(p.inputs().size());
    xlsx_out_sheet fill;
    fill.name = message_text(l, "template.sheet-fill");
    fill.frozen_rows = 1;
    fill.frozen_columns = 2;
    std::vector<xlsx_out_cell> head;
    for (std::size_t c = 0; c < headers.size(); ++c) {
        xlsx_out_cell cell = text_cell(headers[c], true);
        cell.wrap = true;
        if (c >= 2) cell.comment = header_note(p, static_cast<std::uint32_t>(c - 2), l);
        head.push_back(std::move(cell));
    }
    fill.rows.push_back(std::move(head));
    for (const template_unit& u : units) fill.rows.push_back({text_cell(u.id), text_cell(u.name)});
    // Validation reaches well past the units given, for rows the office adds.
    const std::uint32_t last_row = static_cast<std::uint32_t>(std::max<std::size_t>(units.size() + 200, 1000));
    fill.column_widths = {14, 24};
    fill.column_formats = {"@", "@"};  // ids such as 001 stay text
    for (std::uint32_t i = 0; i < n_inputs; ++i) {
        const input_slot& s = p.inputs()[i];
        fill.column_widths.push_back(std::max<double>(12, static_cast<double>(headers[i + 2].size()) * 0.7 + 2));
        fill.column_formats.push_back(s.type == input_type::percent ? "0.00%" : s.type == input_type::choice || s.type == input_type::list ? "@" : "");
        xlsx_validation v;
        v.column = i + 2;
        v.first_row = 1;
        v.last_row = last_row;
        v.prompt_title = headers[i + 2].substr(0, 32);
        v.prompt = allowed_values(p, i, l);
        if (v.prompt.size() > 255) v.prompt.clear();
        if (v.prompt_title.size() > 32 || v.prompt.empty()) v.prompt_title.clear();
        switch (s.type) {
            case input_type::boolean:
                v.k = xlsx_validation::kind::list;
                v.items = {"是", "否"};
                break;
            case input_type::choice: {
                v.k = xlsx_validation::kind::list;
                v.items = shown_choices(s);
                std::size_t len = 0;
                for (const auto& c : v.items) len += c.size() + 1;
                if (len > 255) continue;  // Excel's limit for a list typed into a validation
                break;
            }
            case input_type::count:
                v.k = xlsx_validation::kind::whole;
                v.min = s.lo ? s.lo->to_string() : "0";
                v.max = bound_text(s.hi);
                break;
            case input_type::percent:
                v.k = xlsx_validation::kind::decimal;
                v.min = s.lo ? s.lo->to_string() : "0";
                v.max = s.hi ? s.hi->to_string() : "1";
                break;
            case input_type::number:
            case input_type::judged:
                v.k = xlsx_validation::kind::decimal;
                v.min = bound_text(s.lo);
                v.max = bound_text(s.hi);
                if (v.min.empty() && v.max.empty()) continue;
                break;
            case input_type::list: continue;
        }
        // A fraction bound ("2/3") is no formula Excel reads: leave the range unchecked.
        if (v.min.find('/') != std::string::npos || v.max.find('/') != std::string::npos) continue;
        fill.validations.push_back(std::move(v));
    }

    xlsx_out_sheet guide;
    guide.name = message_text(l, "template.sheet-guide");
    guide.frozen_rows = 1;
    guide.column_widths = {18, 16, 30, 30, 40, 18};
    std::vector<xlsx_out_cell> gh;
    for (const char* id : {"template.guide-column", "template.guide-input", "template.guide-allowed", "template.guide-item",
                           "template.guide-evidence", "template.guide-lead"})
        gh.push_back(text_cell(message_text(l, id), true));
    guide.rows.push_back(std::move(gh));
    for (std::uint32_t i = 0; i < n_inputs; ++i) {
        std::vector<xlsx_out_cell> row = {text_cell(headers[i + 2]), text_cell(p.inputs()[i].name), text_cell(allowed_values(p, i, l)),
                                          text_cell(item_of(p, i)), text_cell(evidence_of(p, i)), text_cell(lead_of(p, i))};
        for (auto& c : row) c.wrap = true;
        guide.rows.push_back(std::move(row));
    }
    return {std::move(fill), std::move(guide)};
}

}  // namespace rubric
