// A season run's results as a workbook (rubric/results_workbook.hpp).
#include "rubric/results_workbook.hpp"

#include "rubric/display.hpp"

namespace rubric {

std::vector<std::string> result_column_labels(const program& p, lang l) {
    const ast& t = p.tree();
    std::vector<std::string> h = {message_text(l, "results.entity"), message_text(l, "results.name"), message_text(l, "results.total"),
                                  message_text(l, "results.bonus")};
    for (const node_id id : document_order(t)) {
        const node& n = t.nodes[id];
        h.push_back(n.code + " " + n.name + (n.points ? " (" + n.points->to_string() + ")" : std::string()));
    }
    if (!t.warnings.empty()) h.push_back(message_text(l, "results.warnings"));
    h.push_back(message_text(l, "results.missing"));
    return h;
}

void results_workbook::begin(const program& p) {
    p_ = &p;
    order_ = document_order(p.tree());
    rows_.clear();
}

void results_workbook::unit(const scored_unit& u) {
    const ast& t = p_->tree();
    row r;
    r.entity = std::string(u.entity);
    r.name = u.facts.display_name;
    r.group = std::string(u.group);
    any_group_ = any_group_ || !r.group.empty();
    r.scores.push_back(u.ev.total());
    r.scores.push_back(u.ev.bonus());
    for (const node_id id : order_) r.scores.push_back(u.ev.node_score(id));
    for (std::size_t i = 0; i < t.warnings.size(); ++i)
        if (u.ev.warnings()[i]) r.warnings += (r.warnings.empty() ? "" : "; ") + t.warnings[i].label;
    r.missing = missing_count(u.facts);
    rows_.push_back(std::move(r));
}

std::vector<xlsx_out_sheet> results_workbook::sheets() const {
    xlsx_out_sheet s;
    s.name = message_text(lang_, "results.sheet");
    s.frozen_rows = 1;
    s.frozen_columns = 2;
    if (!p_) return {s};
    const ast& t = p_->tree();
    std::vector<std::string> heads;
    if (labels_) {
        heads = result_column_labels(*p_, lang_);
    } else {
        heads = {"entity", "name", "total", "bonus"};
        for (const node_id id : order_) heads.push_back(t.nodes[id].code);
        if (!t.warnings.empty()) heads.push_back("warnings");
        heads.push_back("missing");
    }
    const std::size_t n_scores = 2 + order_.size();
    // Which score columns need an exact column beside them.
    std::vector<bool> exact_column(n_scores, false);
    for (const row& r : rows_)
        for (std::size_t k = 0; k < n_scores; ++k) exact_column[k] = exact_column[k] || display_rounds(*p_, r.scores[k]);
    const std::string places = t.header.display_places > 0 ? "0." + std::string(static_cast<std::size_t>(t.header.display_places), '0') : "0";
    const std::string exact_suffix = message_text(lang_, "results.exact-suffix");

    std::vector<xlsx_out_cell> head = {text_cell(heads[0], true), text_cell(heads[1], true)};
    if (any_group_) head.push_back(text_cell(message_text(lang_, labels_ ? "results.group" : "results.group-code"), true));
    s.column_widths = {14, 24};
    if (any_group_) s.column_widths.push_back(14);
    for (std::size_t k = 0; k < n_scores; ++k) {
        head.push_back(text_cell(heads[2 + k], true));
        s.column_widths.push_back(labels_ ? 16 : 10);
        if (exact_column[k]) {
            head.push_back(text_cell(heads[2 + k] + exact_suffix, true));
            s.column_widths.push_back(14);
        }
    }
    for (std::size_t k = 2 + n_scores; k < heads.size(); ++k) head.push_back(text_cell(heads[k], true));
    for (auto& c : head) c.wrap = true;
    s.rows.push_back(std::move(head));
    for (const row& r : rows_) {
        std::vector<xlsx_out_cell> line = {text_cell(r.entity), text_cell(r.name)};
        if (any_group_) line.push_back(text_cell(r.group));
        for (std::size_t k = 0; k < n_scores; ++k) {
            line.push_back(number_cell(shown(*p_, r.scores[k]), places));
            if (exact_column[k]) line.push_back(text_cell(display_rounds(*p_, r.scores[k]) ? r.scores[k].to_string() : std::string()));
        }
        if (!t.warnings.empty()) line.push_back(text_cell(r.warnings));
        line.push_back(number_cell(std::to_string(r.missing)));
        s.rows.push_back(std::move(line));
    }
    return {s};
}

}  // namespace rubric
