// A season run's results as a workbook (rubric/results_workbook.hpp).
#include "rubric/results_workbook.hpp"

#include "rubric/applies.hpp"
#include "rubric/display.hpp"
#include "rubric/grade.hpp"

namespace rubric {

std::vector<std::string> result_column_labels(const program& p, lang l) {
    const ast& t = p.tree();
    std::vector<std::string> h = {message_text(l, "results.entity"), message_text(l, "results.name"), message_text(l, "results.total"),
                                  message_text(l, "results.bonus")};
    if (p.has_adjustments()) {
        h.push_back(message_text(l, "results.adjustments"));
        h.push_back(message_text(l, "results.grand-total"));
    }
    for (const node_id id : document_order(t)) {
        const node& n = t.nodes[id];
        h.push_back(n.code + " " + n.name + (n.points ? " (" + n.points->to_string() + ")" : std::string()));
    }
    if (!t.warnings.empty()) h.push_back(message_text(l, "results.warnings"));
    if (t.grades) {
        h.push_back(message_text(l, "results.grade"));
        h.push_back(message_text(l, "results.vetoes"));
    }
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
    if (p_->has_adjustments()) {
        r.scores.push_back(u.ev.adjustments());
        r.scores.push_back(u.ev.grand_total());
    }
    for (const node_id id : order_) r.scores.push_back(u.ev.node_score(id));
    // A node that does not apply to the unit has no score: its cell is left empty, as in CSV.
    r.absent.assign(r.scores.size(), 0);
    if (has_cases(t))
        for (std::size_t k = 0; k < order_.size(); ++k)
            r.absent[r.scores.size() - order_.size() + k] = applies(*p_, u.facts, order_[k]) ? 0 : 1;
    for (std::size_t i = 0; i < t.warnings.size(); ++i)
        if (u.ev.warnings()[i]) r.warnings += (r.warnings.empty() ? "" : "; ") + t.warnings[i].label;
    if (const grade_result g = grade_of(*p_, u.ev); g.graded) {
        r.grade = grade_label(t, g.grade);
        r.vetoes = veto_labels(t, g);
    }
    r.missing = missing_count(u.facts);
    rows_.push_back(std::move(r));
}

void results_workbook::skipped(std::string_view entity, const diagnostics& why) {
    std::string reason;
    for (const diagnostic& d : why)
        if (d.level == severity::error) reason += (reason.empty() ? "" : "; ") + message_in(d, lang_);
    skipped_.emplace_back(std::string(entity), std::move(reason));
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
        if (p_->has_adjustments()) heads.insert(heads.end(), {"adjustments", "grand_total"});
        for (const node_id id : order_) heads.push_back(t.nodes[id].code);
        if (!t.warnings.empty()) heads.push_back("warnings");
        if (t.grades) heads.insert(heads.end(), {"grade", "vetoes"});
        heads.push_back("missing");
    }
    const std::size_t n_scores = (p_->has_adjustments() ? 4 : 2) + order_.size();
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
            if (r.absent[k]) {
                line.push_back(text_cell(std::string()));
                if (exact_column[k]) line.push_back(text_cell(std::string()));
                continue;
            }
            line.push_back(number_cell(shown(*p_, r.scores[k]), places));
            if (exact_column[k]) line.push_back(text_cell(display_rounds(*p_, r.scores[k]) ? r.scores[k].to_string() : std::string()));
        }
        if (!t.warnings.empty()) line.push_back(text_cell(r.warnings));
        if (t.grades) {
            line.push_back(text_cell(r.grade));
            line.push_back(text_cell(r.vetoes));
        }
        line.push_back(number_cell(std::to_string(r.missing)));
        s.rows.push_back(std::move(line));
    }
    if (skipped_.empty()) return {s};
    xlsx_out_sheet not_scored;
    not_scored.name = message_text(lang_, "results.sheet-skipped");
    not_scored.frozen_rows = 1;
    not_scored.column_widths = {14, 100};
    not_scored.rows.push_back({text_cell(heads[0], true), text_cell(message_text(lang_, "results.why"), true)});
    for (const auto& [entity, why] : skipped_) not_scored.rows.push_back({text_cell(entity), text_cell(why)});
    return {s, not_scored};
}

}  // namespace rubric

// ---------------------------------------------------------------------------
// The report

namespace rubric {

namespace {

// A cell of a report table: text, a whole number, or a score shown as the rubric rounds
// it with, optionally, the exact value to give beside it.
struct report_cell {
    enum class kind { text, whole, score } k = kind::text;
    std::string text;
    decimal shown_value;           // score: the value shown (rounded for display by shown())
    std::optional<decimal> exact;  // score: the exact value, when it differs from what is shown
};

report_cell text_of(std::string s) { return report_cell{report_cell::kind::text, std::move(s), {}, {}}; }
report_cell whole_of(long long v) { return report_cell{report_cell::kind::whole, std::to_string(v), {}, {}}; }
report_cell score_of(const program& p, const decimal& v) {
    report_cell c{report_cell::kind::score, {}, v, {}};
    if (display_rounds(p, v)) c.exact = v;
    return c;
}
report_cell empty_cell() { return text_of(std::string()); }

// A sheet from a table: score columns become number cells in the rubric's places, each
// followed by an exact column when any of its cells has an exact value.
xlsx_out_sheet table_sheet(const program& p, std::string name, const std::vector<std::string>& heads,
                           const std::vector<std::vector<report_cell>>& rows, lang l, std::uint32_t frozen_columns) {
    xlsx_out_sheet s;
    s.name = std::move(name);
    s.frozen_rows = 1;
    s.frozen_columns = frozen_columns;
    const int places = p.tree().header.display_places;
    const std::string format = places > 0 ? "0." + std::string(static_cast<std::size_t>(places), '0') : "0";
    std::vector<bool> exact(heads.size(), false);
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size() && c < heads.size(); ++c) exact[c] = exact[c] || r[c].exact.has_value();
    std::vector<xlsx_out_cell> head;
    for (std::size_t c = 0; c < heads.size(); ++c) {
        head.push_back(text_cell(heads[c], true));
        s.column_widths.push_back(std::max<double>(10, std::min<double>(40, static_cast<double>(heads[c].size()) * 0.7 + 2)));
        if (exact[c]) {
            head.push_back(text_cell(heads[c] + message_text(l, "results.exact-suffix"), true));
            s.column_widths.push_back(14);
        }
    }
    for (auto& h : head) h.wrap = true;
    s.rows.push_back(std::move(head));
    for (const auto& r : rows) {
        std::vector<xlsx_out_cell> line;
        for (std::size_t c = 0; c < heads.size(); ++c) {
            const report_cell& cell = c < r.size() ? r[c] : report_cell{};
            switch (cell.k) {
                case report_cell::kind::text: line.push_back(text_cell(cell.text)); break;
                case report_cell::kind::whole: line.push_back(number_cell(cell.text)); break;
                case report_cell::kind::score: line.push_back(number_cell(shown(p, cell.shown_value), format)); break;
            }
            if (exact[c]) line.push_back(text_cell(cell.exact ? cell.exact->to_string() : std::string()));
        }
        s.rows.push_back(std::move(line));
    }
    return s;
}

std::string joined_words(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& w : v) s += (s.empty() ? "" : sep) + w;
    return s;
}

}  // namespace

std::vector<xlsx_out_sheet> report_workbook(const report_workbook_input& in) {
    const program& p = *in.prog;
    const ast& t = p.tree();
    const cohort_report& c = *in.cohort;
    const std::vector<unit_result>& units = *in.units;
    const lang l = in.language;
    auto say = [&](const char* id, std::vector<message_arg> args = {}) { return message_text(l, id, std::move(args)); };
    auto warning_words = [&](const ranked_unit& r) {
        std::string s = r.below ? say(c.by_grand_total ? "report.below-grand-total" : "report.below", {{"points", in.warn_below->to_string()}})
                                : std::string();
        for (const auto& w : units[r.unit].warnings) s += (s.empty() ? "" : "; ") + w;
        return s;
    };
    std::vector<xlsx_out_sheet> sheets;

    // Ranking.
    {
        std::vector<std::string> heads = {say("results.group"), say("report.rank"), say("results.entity"), say("results.name"),
                                          say("results.total"), say("report.gap"), say("results.bonus")};
        // Ranked by the grand total when the rubric has adjustments (the gap is then of it).
        if (c.by_grand_total) heads.insert(heads.end(), {say("results.adjustments"), say("results.grand-total")});
        for (const node_id s : c.sections) {
            heads.push_back(t.nodes[s].code + " " + t.nodes[s].name);
            heads.push_back(t.nodes[s].code + " " + say("report.rank"));
        }
        heads.push_back(say("results.warnings"));
        if (t.grades) heads.insert(heads.end(), {say("results.grade"), say("results.vetoes")});
        if (c.has_previous)
            for (const char* id : {"report.previous-total", "report.previous-rank", "report.score-change", "report.rank-change", "report.trend"})
                heads.push_back(say(id));
        std::vector<std::vector<report_cell>> rows;
        for (const group_ranking& g : c.groups) {
            for (const ranked_unit& r : g.units) {
                const unit_result& u = units[r.unit];
                // The gap as the shown totals differ, so that the sheet's subtraction agrees.
                report_cell gap{report_cell::kind::score, {}, shown_value(p, g.leader_total) - shown_value(p, ranked_score(p, u)), {}};
                if (gap.shown_value != r.gap) gap.exact = r.gap;
                std::vector<report_cell> row = {text_of(g.group), whole_of(r.rank), text_of(u.entity), text_of(u.name),
                                                score_of(p, u.total), gap, score_of(p, u.bonus)};
                if (c.by_grand_total) row.insert(row.end(), {score_of(p, u.adjustments), score_of(p, u.grand_total())});
                for (std::size_t s = 0; s < c.sections.size(); ++s) {
                    row.push_back(score_of(p, u.sections[s]));
                    row.push_back(whole_of(r.section_ranks[s]));
                }
                row.push_back(text_of(warning_words(r)));
                if (t.grades) row.insert(row.end(), {text_of(u.grade), text_of(joined_words(u.vetoes, "; "))});
                if (c.has_previous) {
                    if (r.change == trend::new_unit) {
                        row.insert(row.end(), {empty_cell(), empty_cell(), empty_cell(), empty_cell()});
                        row.push_back(text_of(say("report.trend-new")));
                    } else {
                        row.push_back(score_of(p, r.previous_total));
                        row.push_back(whole_of(r.previous_rank));
                        row.push_back(score_of(p, r.score_change));
                        row.push_back(whole_of(r.rank_change));
                        row.push_back(text_of(say(r.change == trend::up ? "report.trend-up" : r.change == trend::down ? "report.trend-down" : "report.trend-same")));
                    }
                }
                rows.push_back(std::move(row));
            }
        }
        sheets.push_back(table_sheet(p, say("report.sheet-ranking"), heads, rows, l, 4));
    }

    // Every node's score.
    {
        const std::vector<node_id> order = document_order(t);
        std::vector<std::string> heads = {say("results.group"), say("results.entity"), say("results.name"), say("results.total"), say("results.bonus")};
        if (c.by_grand_total) heads.insert(heads.end(), {say("results.adjustments"), say("results.grand-total")});
        for (const node_id id : order)
            heads.push_back(t.nodes[id].code + " " + t.nodes[id].name + (t.nodes[id].points ? " (" + t.nodes[id].points->to_string() + ")" : std::string()));
        if (t.grades) heads.insert(heads.end(), {say("results.grade"), say("results.vetoes")});
        std::vector<std::vector<report_cell>> rows;
        for (const unit_result& u : units) {
            std::vector<report_cell> row = {text_of(u.group), text_of(u.entity), text_of(u.name), score_of(p, u.total), score_of(p, u.bonus)};
            if (c.by_grand_total) row.insert(row.end(), {score_of(p, u.adjustments), score_of(p, u.grand_total())});
            for (const node_id id : order)  // a node that does not apply to the unit: an empty cell
                row.push_back(u.applies.empty() || u.applies[id] ? score_of(p, u.nodes[id]) : empty_cell());
            if (t.grades) row.insert(row.end(), {text_of(u.grade), text_of(joined_words(u.vetoes, "; "))});
            rows.push_back(std::move(row));
        }
        sheets.push_back(table_sheet(p, say("report.sheet-scores"), heads, rows, l, 3));
    }

    // Lost points, per item and per lead department.
    {
        std::vector<std::string> heads = {say("report.item"), say("report.points"), say("report.units-losing"), say("report.points-lost"),
                                          say("report.lead")};
        std::vector<std::vector<report_cell>> rows;
        for (const lost_item& li : c.lost)
            rows.push_back({text_of(t.nodes[li.item].code + " " + t.nodes[li.item].name), score_of(p, li.points),
                            whole_of(static_cast<long long>(li.units_losing)), score_of(p, li.points_lost),
                            text_of(li.lead.empty() ? li.owners : joined_words(li.lead, "、"))});
        sheets.push_back(table_sheet(p, say("report.sheet-lost"), heads, rows, l, 1));
        std::vector<std::vector<report_cell>> by_department;
        for (const lost_by_department& d : c.departments)
            by_department.push_back({text_of(d.department), whole_of(static_cast<long long>(d.items)), score_of(p, d.points_lost)});
        sheets.push_back(table_sheet(p, say("report.sheet-departments"),
                                     {say("report.lead"), say("report.items-led"), say("report.points-lost")}, by_department, l, 1));
    }

    // Warnings, and the units not scored.
    {
        std::vector<std::vector<report_cell>> rows;
        for (const group_ranking& g : c.groups)
            for (const ranked_unit& r : g.units)
                if (r.warned)
                    rows.push_back({text_of(g.group), text_of(units[r.unit].entity), text_of(units[r.unit].name),
                                    score_of(p, ranked_score(p, units[r.unit])), text_of(warning_words(r))});
        for (const auto& s : in.skipped)
            rows.push_back({empty_cell(), text_of(s.first), empty_cell(), text_of(say("report.not-scored")), text_of(s.second)});
        sheets.push_back(table_sheet(p, say("report.sheet-warnings"),
                                     {say("results.group"), say("results.entity"), say("results.name"),
                                      say(c.by_grand_total ? "results.grand-total" : "results.total"), say("results.warnings")},
                                     rows, l, 3));
    }
    return sheets;
}

}  // namespace rubric
