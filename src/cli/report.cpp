// rubric report FILE --facts FACTS [--group COLUMN] [--previous RESULTS] [--warn-below POINTS]
//               [--format html|md|csv|json|all] [--out PATH] [--skip-bad] [--allow-unknown]
//
// The monitoring report of a cohort (政务诚信监测报告): the ranking of every group
// (competition ranks, 1-2-2-4, by the exact total; cohort.hpp), each unit's level-1
// sections with their ranks, the gap to the leader, the change since the previous
// period, units below --warn-below (预警), and the lost-points analysis (失分点分析).
//
//   --group COLUMN     a facts column that names each unit's group (市直部门, 镇（街道）…);
//                      each group is ranked on its own. The column is not a rubric input.
//   --previous FILE    the previous period's results: this command's own CSV or JSON
//                      output, or `rubric eval` CSV/JSON output. Units are matched by
//                      entity id; a file without groups takes each unit's current group.
//   --warn-below N     flag every unit whose total is below N points (预警), in every format.
//
// A rubric with `adjustments` (综合奖扣分) is ranked by the grand total (total + bonus +
// adjustments, cohort.hpp ranked_score()): the gap, --warn-below, the change since the previous
// period (its grand_total, where the file has one) and the charts follow it, and every format
// shows the adjustments and the grand total beside the total; a rubric with a `grade` shows
// each unit's grade and the vetoes that fired.
//
// Formats: html (one self-contained page: inline CSS and SVG, no script, nothing from
// the network; prints, and reads on a phone), md, csv (the ranking, one row per unit)
// and json (everything). CSV and JSON carry exact decimal strings ("85.5", "170/3");
// html and md show scores rounded as the rubric's header says. `--format all --out STEM`
// writes STEM.html, STEM.md, STEM.csv and STEM.json from one scoring run. Without
// --format the extension of --out decides (md when there is none).
//
// Size: each unit keeps only its totals and section scores (lost points are tallied as units
// are scored), and the page goes out as it is made, so a report of 1,000,000 units stays
// well under 1 GB. The HTML charts draw the first 200 units of a group by rank (the table
// lists all of them).
#include <ctime>
#include <functional>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "cli.hpp"
#include "season_report.hpp"
#include "rubric/pdf_printer.hpp"
#include "rubric/results_workbook.hpp"

namespace rubric::cli {

namespace {

struct report_input {
    const program* prog = nullptr;
    std::vector<unit_result> units;
    cohort_report cohort;
    std::optional<decimal> warn_below;
    std::string group_column;
    // Units not scored (--skip-bad): the entity id and why, listed instead of dropped.
    std::vector<std::pair<std::string, std::string>> skipped;
    // The page as it goes out: --title (else the rubric's), --period, --issuer, and the date
    // it was made (report_date()).
    std::string title, period, issuer, date;
    // --compare: each unit's self-assessed total (none when it gave none; per units), and per
    // item the units the review scored below their claim and the points it took off them.
    bool compared = false;
    std::vector<std::optional<decimal>> self_totals;
    struct review_cut {
        node_id item = no_id;
        std::size_t units = 0;
        decimal points;
    };
    std::vector<review_cut> cuts;  // by points taken off, descending; items with none left out
};

// The report as it is made: appended to `text` and handed to the output a megabyte at a
// time, so that the page of a million units is never whole in memory. Without an output
// (the PDF printer needs the whole page) it keeps everything.
struct report_text {
    std::string text;
    std::function<void(std::string_view)> out;  // a file being written, a reply being made
    void spill() {
        if (out && text.size() >= (1u << 20)) {
            out(text);
            text.clear();
        }
    }
    void finish() {
        if (!out) return;
        out(text);
        text.clear();
    }
};

// The date the report is made, YYYY-MM-DD: SOURCE_DATE_EPOCH when set (reproducible outputs,
// as reproducible-builds.org defines it, in UTC), else today in the local time zone.
std::string report_date() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        now = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
        gmtime_r(&now, &tm);
    } else {
        localtime_r(&now, &tm);
    }
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

// "广汉市政务诚信评价（2023年第二季度）· 监测报告".
std::string report_heading(const report_input& in) {
    std::string s = in.title.empty() ? in.prog->tree().header.title : in.title;
    if (!in.period.empty()) s += "（" + in.period + "）";
    return s + " · 监测报告";
}

// ----------------------------------------------------------------------------
// Reading the previous period

bool parse_total(const std::string& text, decimal& out, std::string& err) {
    if (decimal::parse(text, out, &err)) return true;
    return decimal::parse_fraction(text, out, &err);
}

// With `adjustments` the ranking is by the grand total (cohort.hpp ranked_score()), so the previous
// period's grand total is read where the file has one (this command's and rubric eval's outputs
// both do), else its total.
bool read_previous_csv(const source_ptr& src, std::vector<previous_unit>& out, std::string& err, bool grand) {
    csv_result r = parse_csv(src);
    if (!r.diags.empty()) {
        err = render(r.diags);
        return false;
    }
    if (r.rows.empty()) {
        err = src->name + ": empty file";
        return false;
    }
    const auto& head = r.rows.front().fields;
    int entity = -1, name = -1, group = -1, total = -1;
    for (std::size_t i = 0; i < head.size(); ++i) {
        const std::string& h = head[i].text;
        if (h == "entity") entity = static_cast<int>(i);
        else if (h == "name") name = static_cast<int>(i);
        else if (h == "group") group = static_cast<int>(i);
        else if (h == "total" && (total < 0 || !grand)) total = static_cast<int>(i);
        else if (h == "grand_total" && grand) total = static_cast<int>(i);
    }
    if (entity < 0 || total < 0) {
        err = src->name + ": needs the columns entity and total (the CSV of rubric report or rubric eval)";
        return false;
    }
    for (std::size_t k = 1; k < r.rows.size(); ++k) {
        const auto& f = r.rows[k].fields;
        auto cell = [&](int i) { return i >= 0 && static_cast<std::size_t>(i) < f.size() ? f[i].text : std::string(); };
        previous_unit u;
        u.entity = cell(entity);
        u.name = cell(name);
        u.group = cell(group);
        std::string e;
        if (u.entity.empty() || !parse_total(cell(total), u.total, e)) {
            err = src->name + ":" + std::to_string(r.rows[k].pos.line) + ": a row needs an entity and a total" +
                  (e.empty() ? "" : " (" + e + ")");
            return false;
        }
        out.push_back(std::move(u));
    }
    return true;
}

bool read_previous_json(const source_ptr& src, std::vector<previous_unit>& out, std::string& err, bool grand) {
    const nlohmann::json j = nlohmann::json::parse(src->text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        err = src->name + ": not a JSON object (the JSON of rubric report or rubric eval)";
        return false;
    }
    auto text_of = [](const nlohmann::json& v) -> std::string {
        if (v.is_string()) return v.get<std::string>();
        if (v.is_number_integer()) return v.dump();
        return {};
    };
    auto add = [&](const nlohmann::json& u, const std::string& group) {
        previous_unit p;
        if (!u.is_object() || !u.contains("entity")) return false;
        p.entity = text_of(u["entity"]);
        if (u.contains("name")) p.name = text_of(u["name"]);
        p.group = group;
        const char* key = grand && u.contains("grand_total") ? "grand_total" : "total";
        std::string t = u.contains(key) ? text_of(u[key]) : std::string();
        // rubric eval writes display-rounded totals and the exact value under "exact".
        if (u.contains("exact") && u["exact"].is_object() && u["exact"].contains(key)) t = text_of(u["exact"][key]);
        std::string e;
        if (p.entity.empty() || !parse_total(t, p.total, e)) return false;
        out.push_back(std::move(p));
        return true;
    };
    bool ok = true;
    if (j.contains("groups") && j["groups"].is_array()) {
        for (const auto& g : j["groups"]) {
            const std::string group = g.contains("group") ? text_of(g["group"]) : std::string();
            if (!g.contains("units") || !g["units"].is_array()) continue;
            for (const auto& u : g["units"]) ok = add(u, group) && ok;
        }
    } else if (j.contains("entities") && j["entities"].is_array()) {
        for (const auto& u : j["entities"]) ok = add(u, u.contains("group") ? text_of(u["group"]) : std::string()) && ok;
    } else {
        ok = false;
    }
    if (!ok) err = src->name + ": every unit needs an entity and a total written as a string";
    return ok;
}

bool read_previous(const std::string& path, std::vector<previous_unit>& out, bool grand) {
    std::string err;
    source_ptr src = read_source(path, &err);
    if (!src) {
        std::cerr << "rubric: " << err << "\n";
        return false;
    }
    bool ok = guess_facts_format(path) == facts_format::csv ? read_previous_csv(src, out, err, grand)
                                                                  : read_previous_json(src, out, err, grand);
    if (ok) {
        // A unit given twice would be ranked twice and flip the trends of the units around it.
        std::unordered_map<std::string_view, std::size_t> seen;
        for (std::size_t k = 0; k < out.size() && ok; ++k)
            if (!seen.emplace(out[k].entity, k).second) {
                err = path + ": the entity " + out[k].entity + " is given twice (units " + std::to_string(seen[out[k].entity] + 1) +
                      " and " + std::to_string(k + 1) + " of the file)";
                ok = false;
            }
    }
    if (!ok) std::cerr << "rubric: " << err << (err.empty() || err.back() == '\n' ? "" : "\n");
    return ok;
}

// ----------------------------------------------------------------------------
// Shared text

std::string unit_label(const unit_result& u) { return u.name.empty() ? u.entity : u.name; }
std::string group_label(const std::string& g) { return g.empty() ? "全部单位" : g; }

std::string signed_text(const decimal& d, const std::string& shown_text) {
    return (d.sign() > 0 ? "+" : "") + shown_text;
}
std::string signed_int(int v) { return (v > 0 ? "+" : "") + std::to_string(v); }

// The score a unit is ranked and shown by: its grand total when the rubric has adjustments
// (cohort.hpp ranked_score()), and the word for it.
decimal ranked(const report_input& in, const unit_result& u) { return ranked_score(*in.prog, u); }
std::string ranked_word(const report_input& in) { return in.cohort.by_grand_total ? "总得分" : "总分"; }
bool has_bonus(const ast& t) {
    for (node_id r : t.roots)
        if (t.nodes[r].kind == node_kind::bonus) return true;
    return false;
}
// "排名规则：…", as the ranking goes.
std::string ranking_rule_text(const report_input& in) {
    if (!in.cohort.by_grand_total) return "按精确总分从高到低；总分相同者名次相同，下一名次顺延（1、2、2、4）";
    return std::string("按精确总得分（总分") + (has_bonus(in.prog->tree()) ? " + 附加分" : "") +
           " + 奖扣分）从高到低；总得分相同者名次相同，下一名次顺延（1、2、2、4）";
}
// What the "较上期" column compares: the rank in the group, and in brackets the change of what the
// units are ranked by (the grand total when the rubric has adjustments).
std::string previous_rule_text(const report_input& in) {
    return std::string("较上期：按组内名次比较（进步 / 退步 / 持平），括号内为") + (in.cohort.by_grand_total ? "总得分" : "总分") +
           "变化";
}
// The unit's grade, with the vetoes that fired: "合格（否决：发生重大失信事件）".
std::string grade_cell_text(const unit_result& u) {
    std::string why;
    for (const auto& v : u.vetoes) why += (why.empty() ? "" : "；") + v;
    return why.empty() ? u.grade : u.grade + "（否决：" + why + "）";
}

// The gap to the group's leader as a reader checks it against the page: the difference of the
// two totals AS SHOWN; where that is not the exact gap, the exact one follows ("2.01（精确 2.005）").
std::string gap_text(const program& p, const group_ranking& g, const unit_result& u, const ranked_unit& r) {
    const decimal gap = shown_value(p, g.leader_total) - shown_value(p, ranked_score(p, u));
    std::string s = shown_fixed(p, gap);
    if (gap != r.gap) s += "（精确 " + r.gap.to_string() + "）";
    return s;
}

// "进步 ↑2（+3.50）", "新增".
std::string change_text(const program& p, const ranked_unit& r) {
    if (r.change == trend::new_unit) return "新增";
    std::string s = to_chinese(r.change);
    if (r.rank_change > 0) s += " ↑" + std::to_string(r.rank_change);
    if (r.rank_change < 0) s += " ↓" + std::to_string(-r.rank_change);
    return s + "（" + signed_text(r.score_change, shown_fixed(p, r.score_change)) + "）";
}

// Why a unit is flagged: below --warn-below, and the rubric's own warnings (预警), joined by "；".
std::string warning_text(const report_input& in, const ranked_unit& r) {
    std::string s = r.below ? ranked_word(in) + "低于" + in.warn_below->to_string() + "分" : std::string();
    for (const auto& w : in.units[r.unit].warnings) s += (s.empty() ? "" : "；") + w;
    return s;
}
bool shows_warnings(const report_input& in) { return in.warn_below || !in.prog->tree().warnings.empty(); }
std::string warned_count_text(const report_input& in) {
    std::string s = "预警单位 " + std::to_string(in.cohort.warned) + " 个";
    if (in.warn_below) s += "（含" + ranked_word(in) + "低于 " + in.warn_below->to_string() + " 分）";
    return s;
}

// The grades (等级) of a rubric with a `grade`: how many units got each, best first, and the
// units a veto (一票否决 / 一票否优) fired for, with its text. Empty without a grade scale.
struct grade_summary {
    std::vector<std::pair<std::string, std::size_t>> counts;
    std::vector<std::pair<const unit_result*, std::string>> vetoed;  // in ranking order
};
grade_summary summarize_grades(const report_input& in) {
    grade_summary s;
    const ast& t = in.prog->tree();
    if (!t.grades) return s;
    for (const auto& b : t.grades->bands) s.counts.emplace_back(b.label, 0);
    s.counts.emplace_back(t.grades->lowest, 0);
    for (const auto& g : in.cohort.groups)
        for (const auto& r : g.units) {
            const unit_result& u = in.units[r.unit];
            for (auto& [label, n] : s.counts)
                if (label == u.grade) ++n;
            std::string why;
            for (const auto& v : u.vetoes) why += (why.empty() ? "" : "；") + v;
            if (!why.empty()) s.vetoed.emplace_back(&u, why);
        }
    return s;
}
std::string grade_counts_text(const grade_summary& s) {
    std::string o;
    for (const auto& [label, n] : s.counts) o += (o.empty() ? "" : "、") + label + " " + std::to_string(n) + " 个";
    return o;
}

std::string section_head(const ast& t, node_id s) {
    const node& n = t.nodes[s];
    return n.code + " " + n.name + (n.points ? "（" + n.points->to_string() + "）" : "");
}

std::string item_head(const ast& t, node_id s) { return t.nodes[s].code + " " + t.nodes[s].name; }

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

std::string lead_text(const lost_item& li) { return li.lead.empty() ? li.owners : join(li.lead, "、"); }

std::string md_cell(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += "<br>";
        else out += c;
    }
    return out;
}

// The first `n` characters of a UTF-8 text, with "…" when cut.
std::string cut(const std::string& s, std::size_t n) {
    std::size_t chars = 0, i = 0;
    while (i < s.size()) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (chars == n) return s.substr(0, i) + "…";
            ++chars;
        }
        ++i;
    }
    return s;
}

// ----------------------------------------------------------------------------
// 自评与审核差异 (--compare)

// The difference of the shown totals (审核 − 自评), so that it agrees with the two columns.
decimal shown_difference(const program& p, const decimal& review, const decimal& self) {
    return shown_value(p, review) - shown_value(p, self);
}

// Units with a self-assessment whose shown total the review changed: the largest cut first.
std::vector<std::size_t> units_differing(const report_input& in) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < in.units.size(); ++i)
        if (in.self_totals[i] && !shown_difference(*in.prog, in.units[i].total, *in.self_totals[i]).is_zero()) out.push_back(i);
    std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
        return shown_difference(*in.prog, in.units[a].total, *in.self_totals[a]) <
               shown_difference(*in.prog, in.units[b].total, *in.self_totals[b]);
    });
    return out;
}

std::size_t units_with_self(const report_input& in) {
    std::size_t n = 0;
    for (const auto& t : in.self_totals) n += t.has_value();
    return n;
}

// The section's lines, for Markdown (html = false) or HTML.
void render_self_review(const report_input& in, bool html, std::string& o) {
    const program& p = *in.prog;
    const ast& t = p.tree();
    const auto differing = units_differing(in);
    const std::string summary = "提交自评的单位 " + std::to_string(units_with_self(in)) + " 个，其中 " +
                                std::to_string(differing.size()) + " 个单位的审核总分与自评不同（差异 = 审核 − 自评）。";
    auto cell = [&](const std::string& s) { return html ? html_escape(s) : md_cell(s); };
    o += html ? "<section id=\"self-review\"><h2>自评与审核差异</h2>\n<p>" + cell(summary) + "</p>\n"
              : "\n## 自评与审核差异\n\n" + summary + "\n";
    if (!differing.empty()) {
        o += html ? "<div class=\"scroll\"><table id=\"self-review-units\"><thead><tr><th>单位</th><th class=\"n\">自评总分</th>"
                    "<th class=\"n\">审核总分</th><th class=\"n\">差异</th></tr></thead>\n<tbody>\n"
                  : "\n| 单位 | 自评总分 | 审核总分 | 差异 |\n|---|---:|---:|---:|\n";
        for (const std::size_t i : differing) {
            const unit_result& u = in.units[i];
            const std::string cells[] = {unit_label(u), shown_fixed(p, *in.self_totals[i]), shown_fixed(p, u.total),
                                         shown_difference(p, u.total, *in.self_totals[i]).to_fixed(t.header.display_places)};
            if (html)
                o += "<tr data-entity=\"" + html_escape(u.entity) + "\"><td>" + cell(cells[0]) + "</td><td class=\"n\">" + cells[1] +
                     "</td><td class=\"n\">" + cells[2] + "</td><td class=\"n\">" + cells[3] + "</td></tr>\n";
            else
                o += "| " + cell(cells[0]) + " | " + cells[1] + " | " + cells[2] + " | " + cells[3] + " |\n";
        }
        o += html ? "</tbody></table></div>\n" : "";
    }
    if (!in.cuts.empty()) {
        o += html ? "<h3>审核核减的指标</h3>\n<div class=\"scroll\"><table id=\"self-review-items\"><thead><tr><th>指标</th>"
                    "<th class=\"n\">分值</th><th class=\"n\">核减单位数</th><th class=\"n\">累计核减</th></tr></thead>\n<tbody>\n"
                  : "\n### 审核核减的指标\n\n| 指标 | 分值 | 核减单位数 | 累计核减 |\n|---|---:|---:|---:|\n";
        for (const auto& c : in.cuts) {
            const node& n = t.nodes[c.item];
            const std::string pts = n.points ? n.points->to_string() : "";
            if (html)
                o += "<tr><td>" + cell(item_head(t, c.item)) + "</td><td class=\"n\">" + pts + "</td><td class=\"n\">" +
                     std::to_string(c.units) + "</td><td class=\"n\">" + shown_fixed(p, c.points) + "</td></tr>\n";
            else
                o += "| " + cell(item_head(t, c.item)) + " | " + pts + " | " + std::to_string(c.units) + " | " +
                     shown_fixed(p, c.points) + " |\n";
        }
        o += html ? "</tbody></table></div>\n" : "";
    }
    if (html) o += "</section>\n";
}

// ----------------------------------------------------------------------------
// JSON and CSV: exact decimal strings

std::string q(std::string_view s) { return "\"" + json_escape(s) + "\""; }

void render_report_json(const report_input& in, report_text& out) {
    std::string& o = out.text;
    const program& p = *in.prog;
    const ast& t = p.tree();
    const cohort_report& c = in.cohort;
    o += "{\n  \"rubric\": " + q(t.header.title) + ",\n";
    o += std::string("  \"ranking\": \"competition: highest exact ") + (c.by_grand_total ? "grand total" : "total") +
         " first, ties share the better rank (1, 2, 2, 4)\",\n";
    o += "  \"group_column\": " + (in.group_column.empty() ? std::string("null") : q(in.group_column)) + ",\n";
    o += "  \"warn_below\": " + (in.warn_below ? q(in.warn_below->to_string()) : std::string("null")) + ",\n";
    o += "  \"unit_count\": " + std::to_string(in.units.size()) + ",\n";
    o += "  \"warned\": " + std::to_string(c.warned) + ",\n";
    o += "  \"has_previous\": " + std::string(c.has_previous ? "true" : "false") + ",\n";
    o += "  \"sections\": [";
    for (std::size_t s = 0; s < c.sections.size(); ++s) {
        const node& n = t.nodes[c.sections[s]];
        o += (s ? ", " : "") + ("{\"code\": " + q(n.code) + ", \"name\": " + q(n.name) + ", \"points\": " +
                                q(n.points ? n.points->to_string() : "") + "}");
    }
    o += "],\n  \"groups\": [";
    for (std::size_t gi = 0; gi < c.groups.size(); ++gi) {
        const group_ranking& g = c.groups[gi];
        o += gi ? ",\n    {" : "\n    {";
        o += "\"group\": " + q(g.group) + ", \"leader_total\": " + q(g.leader_total.to_string()) + ", \"units\": [";
        for (std::size_t k = 0; k < g.units.size(); ++k) {
            const ranked_unit& r = g.units[k];
            const unit_result& u = in.units[r.unit];
            o += k ? ",\n      {" : "\n      {";
            o += "\"rank\": " + std::to_string(r.rank) + ", \"entity\": " + q(u.entity) + ", \"name\": " + q(u.name);
            o += ", \"total\": " + q(u.total.to_string()) + ", \"total_shown\": " + q(shown_fixed(p, u.total));
            o += ", \"gap\": " + q(r.gap.to_string()) + ", \"bonus\": " + q(u.bonus.to_string());
            if (c.by_grand_total)
                o += ", \"adjustments\": " + q(u.adjustments.to_string()) + ", \"grand_total\": " + q(u.grand_total().to_string()) +
                     ", \"grand_total_shown\": " + q(shown_fixed(p, u.grand_total()));
            o += ", \"sections\": [";
            for (std::size_t s = 0; s < c.sections.size(); ++s)
                o += (s ? ", " : "") + ("{\"code\": " + q(t.nodes[c.sections[s]].code) + ", \"score\": " +
                                        q(u.sections[s].to_string()) + ", \"rank\": " +
                                        std::to_string(r.section_ranks[s]) + "}");
            o += "], \"warning\": " + (r.warned ? q(warning_text(in, r)) : std::string("null"));
            if (t.grades) {
                o += ", \"grade\": " + q(u.grade) + ", \"vetoes\": [";
                for (std::size_t v = 0; v < u.vetoes.size(); ++v) o += (v ? ", " : "") + q(u.vetoes[v]);
                o += "]";
            }
            o += ", \"previous\": ";
            if (r.change == trend::new_unit) {
                o += "null";
            } else {
                o += "{\"total\": " + q(r.previous_total.to_string()) + ", \"rank\": " + std::to_string(r.previous_rank) +
                     ", \"score_change\": " + q(r.score_change.to_string()) + ", \"rank_change\": " +
                     std::to_string(r.rank_change) + "}";
            }
            o += ", \"trend\": " + (c.has_previous ? q(to_string(r.change)) : std::string("null"));
            o += ", \"trend_zh\": " + (c.has_previous ? q(to_chinese(r.change)) : std::string("null")) + "}";
            out.spill();
        }
        o += g.units.empty() ? "]}" : "\n    ]}";
    }
    o += c.groups.empty() ? "],\n" : "\n  ],\n";
    o += "  \"lost_points\": [";
    for (std::size_t i = 0; i < c.lost.size(); ++i) {
        const lost_item& li = c.lost[i];
        const node& n = t.nodes[li.item];
        std::vector<std::string> leads;
        for (const auto& l : li.lead) leads.push_back(q(l));
        o += i ? ",\n    {" : "\n    {";
        o += "\"code\": " + q(n.code) + ", \"name\": " + q(n.name) + ", \"points\": " + q(li.points.to_string()) +
             ", \"units_losing\": " + std::to_string(li.units_losing) + ", \"points_lost\": " +
             q(li.points_lost.to_string()) + ", \"lead\": [" + join(leads, ", ") + "], \"owners\": " + q(li.owners) + "}";
    }
    o += c.lost.empty() ? "],\n" : "\n  ],\n";
    o += "  \"departments\": [";
    for (std::size_t i = 0; i < c.departments.size(); ++i) {
        const auto& d = c.departments[i];
        o += (i ? ",\n    " : "\n    ") + ("{\"department\": " + q(d.department) + ", \"items\": " +
                                           std::to_string(d.items) + ", \"points_lost\": " +
                                           q(d.points_lost.to_string()) + "}");
    }
    o += c.departments.empty() ? "],\n" : "\n  ],\n";
    o += "  \"departed\": [";
    for (std::size_t i = 0; i < c.departed.size(); ++i) {
        const auto& d = c.departed[i];
        o += (i ? ", " : "") + ("{\"entity\": " + q(d.entity) + ", \"name\": " + q(d.name) + ", \"group\": " +
                                q(d.group) + ", \"previous_total\": " + q(d.previous_total.to_string()) +
                                ", \"previous_rank\": " + std::to_string(d.previous_rank) + "}");
    }
    o += "],\n  \"self_review\": ";
    if (!in.compared) {
        o += "null";
    } else {
        o += "{\"units_with_self\": " + std::to_string(units_with_self(in)) + ", \"differing\": [";
        const auto differing = units_differing(in);
        for (std::size_t k = 0; k < differing.size(); ++k) {
            const std::size_t i = differing[k];
            const unit_result& u = in.units[i];
            o += (k ? ",\n    " : "\n    ") + ("{\"entity\": " + q(u.entity) + ", \"name\": " + q(u.name) + ", \"self\": " +
                                             q(in.self_totals[i]->to_string()) + ", \"review\": " + q(u.total.to_string()) +
                                             ", \"diff_shown\": " + q(shown_difference(p, u.total, *in.self_totals[i]).to_string()) + "}");
        }
        o += "], \"cuts\": [";
        for (std::size_t k = 0; k < in.cuts.size(); ++k)
            o += (k ? ", " : "") + ("{\"code\": " + q(t.nodes[in.cuts[k].item].code) + ", \"units\": " +
                                    std::to_string(in.cuts[k].units) + ", \"points_cut\": " + q(in.cuts[k].points.to_string()) + "}");
        o += "]}";
    }
    o += ",\n  \"skipped\": [";
    for (std::size_t i = 0; i < in.skipped.size(); ++i)
        o += (i ? ", " : "") + ("{\"entity\": " + q(in.skipped[i].first) + ", \"reason\": " + q(in.skipped[i].second) + "}");
    o += "]\n}\n";
    out.finish();
}

void render_report_csv(const report_input& in, report_text& out) {
    std::string& o = out.text;
    const program& p = *in.prog;
    const ast& t = p.tree();
    const cohort_report& c = in.cohort;
    o += "group,rank,entity,name,total,total_shown,gap,bonus";
    if (c.by_grand_total) o += ",adjustments,grand_total,grand_total_shown";  // ranked by the grand total: the gap is of it
    for (node_id s : c.sections) o += "," + csv_quoted("section_" + t.nodes[s].code) + "," + csv_quoted("section_" + t.nodes[s].code + "_rank");
    o += ",warning";
    if (t.grades) o += ",grade,vetoes";
    o += ",previous_total,previous_rank,score_change,rank_change,trend";
    o += in.compared ? ",self_total,self_diff\r\n" : "\r\n";  // --compare: 自评, and 审核 − 自评 as shown
    for (const auto& g : c.groups) {
        for (const auto& r : g.units) {
            const unit_result& u = in.units[r.unit];
            o += csv_quoted(g.group) + "," + std::to_string(r.rank) + "," + csv_quoted(u.entity) + "," + csv_quoted(u.name) +
                 "," + u.total.to_string() + "," + shown_fixed(p, u.total) + "," + r.gap.to_string() + "," +
                 u.bonus.to_string();
            if (c.by_grand_total)
                o += "," + u.adjustments.to_string() + "," + u.grand_total().to_string() + "," + shown_fixed(p, u.grand_total());
            for (std::size_t s = 0; s < c.sections.size(); ++s)
                o += "," + u.sections[s].to_string() + "," + std::to_string(r.section_ranks[s]);
            o += "," + csv_quoted(warning_text(in, r));
            if (t.grades) {
                std::string vetoes;
                for (const auto& v : u.vetoes) vetoes += (vetoes.empty() ? "" : "；") + v;
                o += "," + csv_quoted(u.grade) + "," + csv_quoted(vetoes);
            }
            if (r.change == trend::new_unit) {
                o += ",,,,";
            } else {
                o += "," + r.previous_total.to_string() + "," + std::to_string(r.previous_rank) + "," +
                     r.score_change.to_string() + "," + std::to_string(r.rank_change);
            }
            o += "," + std::string(c.has_previous ? to_string(r.change) : "");
            if (in.compared) {
                const auto& self = in.self_totals[r.unit];
                o += self ? "," + self->to_string() + "," + shown_difference(p, u.total, *self).to_string() : ",,";
            }
            o += "\r\n";
            out.spill();
        }
    }
    out.finish();
}

// ----------------------------------------------------------------------------
// Markdown

void render_report_md(const report_input& in, report_text& out) {
    std::string& o = out.text;
    const program& p = *in.prog;
    const ast& t = p.tree();
    const cohort_report& c = in.cohort;
    o += "# " + md_cell(report_heading(in)) + "\n\n";
    if (!in.issuer.empty()) o += "- 发布单位：" + md_cell(in.issuer) + "\n";
    o += "- 生成日期：" + in.date + "\n";
    o += "- 参评单位：" + std::to_string(in.units.size()) + " 个，分 " + std::to_string(c.groups.size()) + " 组排名\n";
    o += "- 排名规则：" + ranking_rule_text(in) + "\n";
    if (shows_warnings(in)) o += "- " + warned_count_text(in) + "\n";
    if (c.has_previous) o += "- " + previous_rule_text(in) + "\n";
    for (const auto& g : c.groups) {
        o += "\n## 排名：" + md_cell(group_label(g.group)) + "（" + std::to_string(g.units.size()) + " 个单位）\n\n";
        o += "| 名次 | 单位 | 总分 |";
        std::string rule = "|---:|---|---:|";
        if (c.by_grand_total) {
            o += std::string(has_bonus(t) ? " 附加分 |" : "") + " 奖扣分 | 总得分 |";
            rule += has_bonus(t) ? "---:|---:|---:|" : "---:|---:|";
        }
        if (t.grades) {
            o += " 等级 |";
            rule += "---|";
        }
        o += " 与第一名差距 |";
        rule += "---:|";
        for (node_id s : c.sections) {
            o += " " + md_cell(section_head(t, s)) + " |";
            rule += "---:|";
        }
        if (c.has_previous) {
            o += " 较上期 |";
            rule += "---|";
        }
        if (shows_warnings(in)) {
            o += " 预警 |";
            rule += "---|";
        }
        o += "\n" + rule + "\n";
        for (const auto& r : g.units) {
            const unit_result& u = in.units[r.unit];
            o += "| " + std::to_string(r.rank) + " | " + md_cell(unit_label(u)) + " | " + shown_fixed(p, u.total) + " |";
            if (c.by_grand_total)
                o += (has_bonus(t) ? " " + shown_fixed(p, u.bonus) + " |" : std::string()) + " " + shown_fixed(p, u.adjustments) +
                     " | " + shown_fixed(p, u.grand_total()) + " |";
            if (t.grades) o += " " + md_cell(grade_cell_text(u)) + " |";
            o += " " + gap_text(p, g, u, r) + " |";
            for (std::size_t s = 0; s < c.sections.size(); ++s)
                o += " " + shown_fixed(p, u.sections[s]) + "（" + std::to_string(r.section_ranks[s]) + "）|";
            if (c.has_previous) o += " " + change_text(p, r) + " |";
            if (shows_warnings(in)) o += std::string(r.warned ? " ⚠ " + md_cell(warning_text(in, r)) : " ") + " |";
            o += "\n";
            out.spill();
        }
        o += "\n一级指标列为得分（组内名次）。\n";
    }
    if (shows_warnings(in)) {
        o += "\n## 预警\n\n";
        if (c.warned == 0) o += "无预警单位。\n";
        for (const auto& g : c.groups)
            for (const auto& r : g.units)
                if (r.warned) {
                    o += "- ⚠ " + md_cell(unit_label(in.units[r.unit])) + "（" + md_cell(group_label(g.group)) + "）" +
                         ranked_word(in) + " " + shown_fixed(p, ranked(in, in.units[r.unit])) + "：" + md_cell(warning_text(in, r)) + "\n";
                    out.spill();
                }
    }
    if (t.grades) {
        const grade_summary gs = summarize_grades(in);
        o += "\n## 等级\n\n- " + md_cell(grade_counts_text(gs)) + "\n";
        for (const auto& [u, why] : gs.vetoed)
            o += "- 否决：" + md_cell(unit_label(*u)) + " 评为 " + md_cell(u->grade) + "：" + md_cell(why) + "\n";
    }
    if (!c.departed.empty()) {
        o += "\n## 上期参评、本期未参评的单位\n\n";
        for (const auto& d : c.departed)
            o += "- " + md_cell(d.name.empty() ? d.entity : d.name) + "（上期总分 " + shown_fixed(p, d.previous_total) +
                 "，组内第 " + std::to_string(d.previous_rank) + " 名）\n";
    }
    if (!in.skipped.empty()) {
        o += "\n## 未计分的单位（数据有误）\n\n";
        for (const auto& [entity, reason] : in.skipped) o += "- " + md_cell(entity) + "：" + md_cell(reason) + "\n";
    }
    if (in.compared) render_self_review(in, false, o);
    o += "\n## 失分点分析\n\n";
    if (c.lost.empty()) o += "所有单位在每个指标上都得了满分。\n";
    else {
        o += "| 指标 | 分值 | 失分单位数 | 累计失分 | 牵头部门 |\n|---|---:|---:|---:|---|\n";
        for (const auto& li : c.lost)
            o += "| " + md_cell(item_head(t, li.item)) + " | " + li.points.to_string() + " | " +
                 std::to_string(li.units_losing) + " | " + shown_fixed(p, li.points_lost) + " | " + md_cell(lead_text(li)) +
                 " |\n";
    }
    if (!c.departments.empty()) {
        o += "\n### 按牵头部门\n\n| 牵头部门 | 涉及指标数 | 累计失分 |\n|---|---:|---:|\n";
        for (const auto& d : c.departments)
            o += "| " + md_cell(d.department) + " | " + std::to_string(d.items) + " | " + shown_fixed(p, d.points_lost) + " |\n";
    }
    out.finish();
}

// ----------------------------------------------------------------------------
// HTML with inline SVG charts. Coordinates are exact decimals written with one place.

std::string x1(const decimal& d) { return d.to_fixed(1); }

// `value / max * width`, within [0, width].
decimal scaled(const decimal& value, const decimal& max, int width) {
    if (max.sign() <= 0 || value.sign() <= 0) return decimal();
    const decimal w = value * decimal(width) / max;
    return w > decimal(width) ? decimal(width) : w;
}

const char* share_colour(const decimal& score, const decimal& points) {
    if (points.sign() <= 0) return "#e8eef4";
    const decimal share = score / points;
    if (share >= decimal::fraction(9, 10)) return "#1b7f4c";
    if (share >= decimal::fraction(3, 4)) return "#5aa469";
    if (share >= decimal::fraction(3, 5)) return "#e0b33a";
    return "#d0573f";
}

// The chart's own size, closing the viewBox attribute: a phone shows it at this size
// (scrolled sideways) instead of shrinking its labels below legibility (report_css).
std::string svg_size(int width, int height) {
    return "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height);
}

decimal chart_max(const report_input& in) {
    const ast& t = in.prog->tree();
    decimal m = t.header.total ? *t.header.total : decimal();
    for (const auto& u : in.units) m = max(m, ranked(in, u));
    return m.sign() > 0 ? m : decimal(1);
}

// A chart draws at most this many units of a group, from the top of its ranking: bars stop
// being readable long before, and a million of them would be most of the page's bytes. The
// ranking table above it lists every unit.
constexpr std::size_t chart_units = 200;
std::size_t charted(const group_ranking& g) { return std::min(g.units.size(), chart_units); }
// "；图中为前 200 名（共 N 个单位）" when the chart leaves units out.
std::string charted_note(const group_ranking& g) {
    if (g.units.size() <= chart_units) return {};
    return "；图中为前 " + std::to_string(chart_units) + " 名（共 " + std::to_string(g.units.size()) + " 个单位）";
}

std::string svg_totals(const report_input& in, const group_ranking& g, std::size_t gi) {
    const program& p = *in.prog;
    const int label = 150, bars = 420, row = 24, top = 8;
    const decimal top_value = chart_max(in);
    const int height = top + static_cast<int>(charted(g)) * row + 24;
    std::string o = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + std::to_string(label + bars + 70) + " " +
                    std::to_string(height) + svg_size(label + bars + 70, height) + "\" aria-labelledby=\"totals-title-" + std::to_string(gi) + "\">";
    o += "<title id=\"totals-title-" + std::to_string(gi) + "\">" + ranked_word(in) + "：" + html_escape(group_label(g.group)) + "</title>";
    int y = top;
    for (std::size_t k = 0; k < charted(g); ++k) {
        const ranked_unit& r = g.units[k];
        const unit_result& u = in.units[r.unit];
        const decimal w = scaled(ranked(in, u), top_value, bars);
        o += "<text x=\"" + std::to_string(label - 6) + "\" y=\"" + std::to_string(y + 16) +
             "\" text-anchor=\"end\" class=\"lbl\">" + html_escape(std::to_string(r.rank) + ". " + cut(unit_label(u), 9)) +
             "</text>";
        o += "<rect x=\"" + std::to_string(label) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" + x1(w) +
             "\" height=\"16\" rx=\"2\" fill=\"" + (r.warned ? "#d0573f" : "#2f6db3") + "\"/>";
        o += "<text x=\"" + x1(decimal(label + 4) + w) + "\" y=\"" + std::to_string(y + 16) + "\" class=\"val\">" +
             shown_fixed(p, ranked(in, u)) + "</text>";
        y += row;
    }
    // The axis, and the warning threshold as a dashed line.
    o += "<line x1=\"" + std::to_string(label) + "\" y1=\"" + std::to_string(top) + "\" x2=\"" + std::to_string(label) +
         "\" y2=\"" + std::to_string(y + 4) + "\" stroke=\"#555\"/>";
    o += "<text x=\"" + std::to_string(label) + "\" y=\"" + std::to_string(y + 18) + "\" class=\"ax\">0</text>";
    o += "<text x=\"" + std::to_string(label + bars) + "\" y=\"" + std::to_string(y + 18) +
         "\" text-anchor=\"end\" class=\"ax\">" + top_value.to_string() + "</text>";
    if (in.warn_below) {
        const decimal wx = decimal(label) + scaled(*in.warn_below, top_value, bars);
        o += "<line x1=\"" + x1(wx) + "\" y1=\"" + std::to_string(top) + "\" x2=\"" + x1(wx) + "\" y2=\"" +
             std::to_string(y + 4) + "\" stroke=\"#d0573f\" stroke-dasharray=\"4 3\"/>";
        o += "<text x=\"" + x1(wx) + "\" y=\"" + std::to_string(y + 18) + "\" text-anchor=\"middle\" class=\"ax warn\">预警 " +
             in.warn_below->to_string() + "</text>";
    }
    return o + "</svg>";
}

std::string svg_sections(const report_input& in, const group_ranking& g, std::size_t gi) {
    const program& p = *in.prog;
    const ast& t = p.tree();
    const auto& secs = in.cohort.sections;
    const int label = 150, cell = 84, row = 24, head = 44;
    const int width = label + cell * static_cast<int>(secs.size()) + 4;
    const int height = head + row * static_cast<int>(charted(g)) + 6;
    std::string o = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(height) + svg_size(width, height) + "\" aria-labelledby=\"sections-title-" + std::to_string(gi) + "\">";
    o += "<title id=\"sections-title-" + std::to_string(gi) + "\">一级指标得分率：" + html_escape(group_label(g.group)) + "</title>";
    for (std::size_t s = 0; s < secs.size(); ++s) {
        const node& n = t.nodes[secs[s]];
        const int cx = label + cell * static_cast<int>(s) + cell / 2;
        o += "<text x=\"" + std::to_string(cx) + "\" y=\"18\" text-anchor=\"middle\" class=\"lbl\">" +
             html_escape(cut(n.name, 6)) + "</text>";
        o += "<text x=\"" + std::to_string(cx) + "\" y=\"36\" text-anchor=\"middle\" class=\"ax\">满分 " +
             (n.points ? n.points->to_string() : std::string("—")) + "</text>";
    }
    int y = head;
    for (std::size_t k = 0; k < charted(g); ++k) {
        const ranked_unit& r = g.units[k];
        const unit_result& u = in.units[r.unit];
        o += "<text x=\"" + std::to_string(label - 6) + "\" y=\"" + std::to_string(y + 16) +
             "\" text-anchor=\"end\" class=\"lbl\">" + html_escape(cut(unit_label(u), 9)) + "</text>";
        for (std::size_t s = 0; s < secs.size(); ++s) {
            const node& n = t.nodes[secs[s]];
            const decimal pts = n.points ? *n.points : g.section_best[s];
            const int x = label + cell * static_cast<int>(s);
            o += "<rect x=\"" + std::to_string(x + 1) + "\" y=\"" + std::to_string(y + 1) + "\" width=\"" +
                 std::to_string(cell - 2) + "\" height=\"" + std::to_string(row - 2) + "\" fill=\"" +
                 share_colour(u.sections[s], pts) + "\"/>";
            o += "<text x=\"" + std::to_string(x + cell / 2) + "\" y=\"" + std::to_string(y + 16) +
                 "\" text-anchor=\"middle\" class=\"cell\">" + shown_fixed(p, u.sections[s]) + "</text>";
        }
        y += row;
    }
    return o + "</svg>";
}

std::string svg_lost(const report_input& in, std::size_t limit) {
    const program& p = *in.prog;
    const ast& t = p.tree();
    const auto& lost = in.cohort.lost;
    const std::size_t n = std::min(limit, lost.size());
    const int label = 230, bars = 330, row = 24, top = 8;
    decimal top_value = n ? lost.front().points_lost : decimal(1);
    const int height = top + static_cast<int>(n) * row + 8;
    std::string o = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + std::to_string(label + bars + 120) + " " +
                    std::to_string(height) + svg_size(label + bars + 120, height) + "\" aria-labelledby=\"lost-title\"><title id=\"lost-title\">累计失分最多的指标</title>";
    int y = top;
    for (std::size_t i = 0; i < n; ++i) {
        const lost_item& li = lost[i];
        const decimal w = scaled(li.points_lost, top_value, bars);
        o += "<text x=\"" + std::to_string(label - 6) + "\" y=\"" + std::to_string(y + 16) +
             "\" text-anchor=\"end\" class=\"lbl\">" + html_escape(cut(item_head(t, li.item), 14)) + "</text>";
        o += "<rect x=\"" + std::to_string(label) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" + x1(w) +
             "\" height=\"16\" rx=\"2\" fill=\"#c8743a\"/>";
        o += "<text x=\"" + x1(decimal(label + 4) + w) + "\" y=\"" + std::to_string(y + 16) + "\" class=\"val\">" +
             shown_fixed(p, li.points_lost) + "（" + std::to_string(li.units_losing) + "个单位）</text>";
        y += row;
    }
    return o + "</svg>";
}

const char* const report_css = R"css(
:root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe3; --head: #eef2f7; --warn: #b3261e; --up: #1b7f4c; --down: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 16px; color: var(--ink); background: #fff;
       font: 15px/1.55 "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
h1 { font-size: 1.5em; margin: 0.2em 0 0.4em; }
h2 { font-size: 1.2em; margin: 1.6em 0 0.5em; border-bottom: 2px solid var(--ink); padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
.meta { color: var(--muted); margin: 0; padding-left: 1.2em; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0.5em 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.rank { font-weight: 700; text-align: center; }
td.name, th { white-space: nowrap; }  /* a unit's name never breaks a character per line */
.sr { color: var(--muted); font-size: 0.85em; }
tr.warned td { background: #fdecea; }
.warn { color: var(--warn); fill: var(--warn); font-weight: 600; }
.up { color: var(--up); } .down { color: var(--down); } .same, .new { color: var(--muted); }
svg.chart { width: 100%; max-width: 760px; height: auto; display: block; margin: 0.5em 0 1em; }
svg .lbl { font-size: 14px; fill: var(--ink); } svg .val { font-size: 13px; fill: var(--ink); }
svg .ax { font-size: 12px; fill: var(--muted); } svg .cell { font-size: 13px; fill: #fff; font-weight: 600; }
.legend span { display: inline-block; padding: 0 6px; margin-right: 4px; color: #fff; font-size: 0.85em; border-radius: 2px; }
figure { margin: 0; page-break-inside: avoid; break-inside: avoid; }
figcaption { color: var(--muted); font-size: 0.9em; }
footer { color: var(--muted); font-size: 0.85em; margin-top: 2em; border-top: 1px solid var(--line); padding-top: 0.5em; }
@media (max-width: 640px) {
  body { padding: 10px; font-size: 14px; }
  th, td { padding: 3px 5px; }
  .wide { display: none; }
  /* Charts at their own size (labels 12-14 px), scrolled sideways, not shrunk to the phone. */
  figure { overflow-x: auto; -webkit-overflow-scrolling: touch; }
  svg.chart { width: auto; max-width: none; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .scroll { overflow: visible; }
  h2 { page-break-after: avoid; break-after: avoid; }
  tr, figure { page-break-inside: avoid; break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

// The printed page (report --format pdf prints this HTML): A4, and on every page the report's
// heading and issuer above, its date and the page number below, in the page margins (CSS
// @page margin boxes).
std::string page_css(const report_input& in) {
    auto css_string = [](const std::string& s) {
        std::string o = "\"";
        for (const char c : s) {
            if (c == '"' || c == '\\') o += '\\';
            if (c == '\n' || c == '\r') continue;
            o += c;
        }
        return o + "\"";
    };
    const std::string box = "; font-size: 8pt; color: #5b6775; }";
    return "@page { size: A4; margin: 16mm 14mm 18mm;"
           " @top-left { content: " + css_string(report_heading(in)) + box +
           (in.issuer.empty() ? std::string() : " @top-right { content: " + css_string(in.issuer) + box) +
           " @bottom-left { content: " + css_string("生成日期 " + in.date) + box +
           " @bottom-right { content: " + css_string("第 ") + " counter(page) " + css_string(" 页，共 ") + " counter(pages) " +
           css_string(" 页") + box + " }\n";
}

void render_report_html(const report_input& in, report_text& out) {
    std::string& o = out.text;
    const program& p = *in.prog;
    const ast& t = p.tree();
    const cohort_report& c = in.cohort;
    auto h = [](const std::string& s) { return html_escape(s); };
    o += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                    h(report_heading(in)) + "</title>\n<style>" + report_css + page_css(in) + "</style>\n</head>\n<body>\n";
    o += "<header><h1>" + h(report_heading(in)) + "</h1>\n<ul class=\"meta\">";
    if (!in.issuer.empty()) o += "<li>发布单位：" + h(in.issuer) + "</li>";
    o += "<li>生成日期：<time datetime=\"" + h(in.date) + "\">" + h(in.date) + "</time></li>";
    if (!t.header.document.empty()) o += "<li>依据：" + h(t.header.document) + "</li>";
    o += "<li>参评单位 " + std::to_string(in.units.size()) + " 个，分 " + std::to_string(c.groups.size()) + " 组排名</li>";
    o += "<li>排名规则：" + h(ranking_rule_text(in)) + "</li>";
    if (shows_warnings(in)) o += "<li class=\"warn\">" + h(warned_count_text(in)) + "</li>";
    if (c.has_previous) o += "<li>" + h(previous_rule_text(in)) + "</li>";
    o += "</ul></header>\n";

    for (std::size_t gi = 0; gi < c.groups.size(); ++gi) {
        const group_ranking& g = c.groups[gi];
        o += "<section class=\"group\" data-group=\"" + h(g.group) + "\">\n<h2>排名：" + h(group_label(g.group)) + "（" +
             std::to_string(g.units.size()) + " 个单位）</h2>\n";
        o += "<div class=\"scroll\"><table class=\"ranking\" id=\"ranking-" + std::to_string(gi + 1) + "\">\n<thead><tr>"
             "<th class=\"n\">名次</th><th>单位</th><th class=\"n\">总分</th>";
        if (c.by_grand_total)
            o += std::string(has_bonus(t) ? "<th class=\"n\">附加分</th>" : "") + "<th class=\"n\">奖扣分</th><th class=\"n\">总得分</th>";
        if (t.grades) o += "<th>等级</th>";
        o += "<th class=\"n\">与第一名差距</th>";
        for (node_id s : c.sections) o += "<th class=\"n wide\">" + h(section_head(t, s)) + "</th>";
        if (c.has_previous) o += "<th>较上期</th>";
        if (shows_warnings(in)) o += "<th>预警</th>";
        o += "</tr></thead>\n<tbody>\n";
        for (const auto& r : g.units) {
            const unit_result& u = in.units[r.unit];
            o += "<tr class=\"unit" + std::string(r.warned ? " warned" : "") + "\" data-rank=\"" + std::to_string(r.rank) +
                 "\" data-entity=\"" + h(u.entity) + "\" data-total=\"" + h(u.total.to_string()) + "\"" +
                 (c.by_grand_total ? " data-grand-total=\"" + h(u.grand_total().to_string()) + "\"" : std::string()) +
                 (t.grades ? " data-grade=\"" + h(u.grade) + "\"" : std::string()) + ">";
            o += "<td class=\"rank\">" + std::to_string(r.rank) + "</td><td class=\"name\">" + h(unit_label(u)) + "</td><td class=\"n\">" +
                 shown_fixed(p, u.total) + "</td>";
            if (c.by_grand_total)
                o += (has_bonus(t) ? "<td class=\"n\">" + shown_fixed(p, u.bonus) + "</td>" : std::string()) + "<td class=\"n\">" +
                     shown_fixed(p, u.adjustments) + "</td><td class=\"n\">" + shown_fixed(p, u.grand_total()) + "</td>";
            if (t.grades) o += "<td class=\"grade\">" + h(grade_cell_text(u)) + "</td>";
            o += "<td class=\"n\">" + h(gap_text(p, g, u, r)) + "</td>";
            for (std::size_t s = 0; s < c.sections.size(); ++s)
                o += "<td class=\"n wide\">" + shown_fixed(p, u.sections[s]) + " <span class=\"sr\">(" +
                     std::to_string(r.section_ranks[s]) + ")</span></td>";
            if (c.has_previous) o += "<td class=\"" + std::string(to_string(r.change)) + "\">" + h(change_text(p, r)) + "</td>";
            if (shows_warnings(in)) o += r.warned ? "<td class=\"warn\">⚠ " + h(warning_text(in, r)) + "</td>" : "<td></td>";
            o += "</tr>\n";
            out.spill();
        }
        o += "</tbody></table></div>\n<p class=\"sr\">一级指标列为得分（组内名次）。</p>\n";
        o += "<figure>" + svg_totals(in, g, gi) + "<figcaption>" + ranked_word(in) + "（" + h(group_label(g.group)) + "，按名次）" +
             (in.warn_below ? "；红色为预警单位，虚线为预警线" : "") + charted_note(g) + "</figcaption></figure>\n";
        o += "<figure>" + svg_sections(in, g, gi) +
             "<figcaption>一级指标逐项比较：格内为得分，颜色为得分率 <span class=\"legend\">"
             "<span style=\"background:#1b7f4c\">≥90%</span><span style=\"background:#5aa469\">≥75%</span>"
             "<span style=\"background:#e0b33a\">≥60%</span><span style=\"background:#d0573f\">&lt;60%</span></span>" +
             charted_note(g) + "</figcaption></figure>\n</section>\n";
    }
    if (shows_warnings(in)) {
        o += "<section id=\"warnings\"><h2>预警</h2>\n";
        if (c.warned == 0) o += "<p>无预警单位。</p>\n";
        else {
            o += "<ul>";
            for (const auto& g : c.groups)
                for (const auto& r : g.units)
                    if (r.warned) {
                        o += "<li class=\"warn\">⚠ " + h(unit_label(in.units[r.unit])) + "（" + h(group_label(g.group)) +
                             "）" + ranked_word(in) + " " + shown_fixed(p, ranked(in, in.units[r.unit])) + "：" + h(warning_text(in, r)) + "</li>";
                        out.spill();
                    }
            o += "</ul>\n";
        }
        o += "</section>\n";
    }
    if (t.grades) {
        const grade_summary gs = summarize_grades(in);
        o += "<section id=\"grades\"><h2>等级</h2>\n<p>" + h(grade_counts_text(gs)) + "</p>\n";
        if (!gs.vetoed.empty()) {
            o += "<ul>";
            for (const auto& [u, why] : gs.vetoed)
                o += "<li class=\"warn\">否决：" + h(unit_label(*u)) + " 评为 " + h(u->grade) + "：" + h(why) + "</li>";
            o += "</ul>\n";
        }
        o += "</section>\n";
    }
    if (!c.departed.empty()) {
        o += "<section><h2>上期参评、本期未参评的单位</h2><ul>";
        for (const auto& d : c.departed)
            o += "<li>" + h(d.name.empty() ? d.entity : d.name) + "（上期总分 " + shown_fixed(p, d.previous_total) + "，组内第 " +
                 std::to_string(d.previous_rank) + " 名）</li>";
        o += "</ul></section>\n";
    }
    if (!in.skipped.empty()) {
        o += "<section id=\"skipped\"><h2>未计分的单位（数据有误）</h2><ul>";
        for (const auto& [entity, reason] : in.skipped) o += "<li>" + h(entity) + "：" + h(reason) + "</li>";
        o += "</ul></section>\n";
    }
    if (in.compared) render_self_review(in, true, o);
    o += "<section id=\"lost\"><h2>失分点分析</h2>\n";
    if (c.lost.empty()) {
        o += "<p>所有单位在每个指标上都得了满分。</p>\n";
    } else {
        o += "<figure>" + svg_lost(in, 15) + "<figcaption>累计失分最多的指标（前 " +
             std::to_string(std::min<std::size_t>(15, c.lost.size())) + " 项，括号内为失分单位数）</figcaption></figure>\n";
        o += "<div class=\"scroll\"><table id=\"lost-points\"><thead><tr><th>指标</th><th class=\"n\">分值</th>"
             "<th class=\"n\">失分单位数</th><th class=\"n\">累计失分</th><th>牵头部门</th></tr></thead>\n<tbody>\n";
        for (const auto& li : c.lost)
            o += "<tr><td>" + h(item_head(t, li.item)) + "</td><td class=\"n\">" + li.points.to_string() +
                 "</td><td class=\"n\">" + std::to_string(li.units_losing) + "</td><td class=\"n\">" +
                 shown_fixed(p, li.points_lost) + "</td><td>" + h(lead_text(li)) + "</td></tr>\n";
        o += "</tbody></table></div>\n";
    }
    if (!c.departments.empty()) {
        o += "<h3>按牵头部门</h3>\n<div class=\"scroll\"><table id=\"departments\"><thead><tr><th>牵头部门</th>"
             "<th class=\"n\">涉及指标数</th><th class=\"n\">累计失分</th></tr></thead>\n<tbody>\n";
        for (const auto& d : c.departments)
            o += "<tr><td>" + h(d.department) + "</td><td class=\"n\">" + std::to_string(d.items) + "</td><td class=\"n\">" +
                 shown_fixed(p, d.points_lost) + "</td></tr>\n";
        o += "</tbody></table></div>\n";
    }
    o += "</section>\n<footer>" + h(in.issuer.empty() ? std::string() : in.issuer + " · ") + h(in.date) +
         " 由 rubric " RUBRIC_VERSION_STRING " 生成；分数为精确值按规则表的显示位数四舍五入。</footer>\n</body>\n</html>\n";
    out.finish();
}

}  // namespace

// The scored season: what every format of the report is rendered from.
struct season_report::state {
    report_input in;
    report_settings settings;
    run_result run;
};

season_report::season_report() : s_(std::make_unique<state>()) {}
season_report::~season_report() = default;
const run_result& season_report::run() const noexcept { return s_->run; }

std::unique_ptr<season_report> make_season_report(const program& prog, facts_source& facts, const run_options& options,
                                                  const report_settings& settings, bool every_node) {
    std::unique_ptr<season_report> made(new season_report());
    season_report::state& st = *made->s_;
    report_input& in = st.in;
    st.settings = settings;
    in.prog = &prog;
    in.group_column = settings.group_column;
    in.title = settings.title;
    in.period = settings.period;
    in.issuer = settings.issuer;
    in.warn_below = settings.warn_below;
    in.date = report_date();

    // One season run (run.hpp); only each unit's scores are kept, not its facts. Rules that
    // rank within the cohort rank within each report group too.
    // Lost points are tallied as units are scored; only the workbook, whose sheet lists every
    // item of every unit, keeps each unit's node scores.
    struct report_sink final : result_sink {
        report_input& in;
        lang language;
        lost_points_tally lost;
        capture_scope scope;
        report_sink(report_input& i, lang l, capture_scope c) : in(i), language(l), lost(*i.prog), scope(c) {}
        const self_assessments* self = nullptr;
        std::vector<decimal> cut_points;      // per node: points the review took off claims
        std::vector<std::size_t> cut_units;   // per node: units it took points off
        void unit(const scored_unit& u) override {
            in.units.push_back(capture(*in.prog, u.facts, u.ev, std::string(u.group), scope));
            lost.add(u.ev, *in.prog, u.facts);
            if (!self) return;
            const std::vector<decimal>* claimed = self->find(u.entity);
            in.self_totals.push_back(claimed ? std::optional<decimal>((*claimed)[in.prog->node_count()]) : std::nullopt);
            if (!claimed) return;
            for (const auto& it : lost.items()) {
                const decimal cut = (*claimed)[it.item] - u.ev.node_score(it.item);
                if (cut.sign() > 0) {
                    cut_points[it.item] += cut;
                    ++cut_units[it.item];
                }
            }
        }
        void skipped(std::string_view entity, const diagnostics& why) override {
            std::string reason;
            for (const auto& d : why)
                if (d.level == severity::error) reason += (reason.empty() ? "" : "; ") + message_in(d, language);
            in.skipped.emplace_back(std::string(entity), std::move(reason));
        }
    } sink(in, settings.language, every_node ? capture_scope::every_node : capture_scope::sections);
    if (settings.self) {
        sink.self = settings.self;
        sink.cut_points.assign(prog.node_count(), decimal());
        sink.cut_units.assign(prog.node_count(), 0);
        in.compared = true;
    }
    st.run = rubric::run(prog, facts, sink, options);
    if (!st.run.usable) return made;
    if (in.compared) {
        for (const auto& it : sink.lost.items())
            if (sink.cut_units[it.item]) in.cuts.push_back({it.item, sink.cut_units[it.item], sink.cut_points[it.item]});
        std::stable_sort(in.cuts.begin(), in.cuts.end(), [](const auto& x, const auto& y) { return y.points < x.points; });
    }
    std::vector<previous_unit> previous = settings.previous;
    if (settings.has_previous) {
        // A previous file without groups (rubric eval output): each unit keeps its current group.
        std::unordered_map<std::string, std::string> group_now;
        for (const auto& u : in.units) group_now.emplace(u.entity, u.group);
        bool any_group = false;
        for (const auto& u : previous) any_group = any_group || !u.group.empty();
        if (!any_group)
            for (auto& u : previous)
                if (const auto it = group_now.find(u.entity); it != group_now.end()) u.group = it->second;
    }
    cohort_options co;
    co.warn_below = in.warn_below;
    in.cohort = analyse_cohort(prog, in.units, sink.lost, settings.has_previous ? &previous : nullptr, co);
    return made;
}

bool season_report::render(const std::string& format, const std::function<void(std::string_view)>& write,
                           localized& error) const {
    const report_input& in = s_->in;
    const report_settings& settings = s_->settings;
    if (format == "xlsx") {
        // The workbook (results_workbook.hpp), made whole.
        report_workbook_input wi;
        wi.prog = in.prog;
        wi.units = &in.units;
        wi.cohort = &in.cohort;
        wi.warn_below = in.warn_below;
        wi.skipped = in.skipped;
        wi.language = settings.language;
        std::string bytes;
        if (!write_xlsx(report_workbook(wi), bytes, error)) return false;
        write(bytes);
        return true;
    }
    if (format == "pdf") {
        // The HTML page printed by headless Chromium (pdf_printer.hpp): A4, heading, date and
        // page number on every page.
        std::string bytes;
        report_text page;  // whole: the printer reads one page
        render_report_html(in, page);
        pdf_options po;
        po.timeout_seconds = settings.pdf_timeout_seconds;
        if (!print_html_to_pdf(page.text, bytes, error, po)) return false;
        write(bytes);
        return true;
    }
    // Each other format goes out as it is made (report_text).
    report_text text;
    text.out = write;
    // A BOM: a CSV that Excel and WPS open as UTF-8 (its names are Chinese); --previous reads it back.
    if (format == "csv" && settings.csv_bom) text.text = "\xEF\xBB\xBF";
    if (format == "json") render_report_json(in, text);
    else if (format == "csv") render_report_csv(in, text);
    else if (format == "html") render_report_html(in, text);
    else render_report_md(in, text);
    return true;
}

int cmd_report(const args& a) {
    if (a.files.size() != 1) return usage("report needs exactly one rubric FILE");
    const std::string facts_path = a.opt("--facts");
    if (facts_path.empty()) return usage("report needs --facts FACTS");
    const std::string out_path = a.opt("--out");
    std::string format = a.opt("--format");
    if (format.empty()) {
        const auto dot = out_path.rfind('.');
        const std::string ext = dot == std::string::npos ? std::string() : out_path.substr(dot + 1);
        format = ext == "html" || ext == "htm" ? "html" : ext == "csv" ? "csv" : ext == "json" ? "json" : ext == "xlsx" ? "xlsx" : ext == "pdf" ? "pdf" : "md";
    }
    if (format == "markdown") format = "md";
    if (format != "html" && format != "md" && format != "csv" && format != "json" && format != "xlsx" && format != "pdf" && format != "all")
        return usage("unknown --format " + format + " (html, md, csv, json, xlsx, pdf or all)");
    if ((format == "xlsx" || format == "pdf") && binary_to_terminal(out_path))
        return usage(say("cli.binary-to-terminal", {{"format", format}}));
    if (format == "all" && (out_path.empty() || out_path == "-"))
        return usage("--format all needs --out STEM (it writes STEM.html, STEM.md, STEM.csv and STEM.json)");
    // `--out q2 --format all` writes q2.csv: never over an input, however it is named.
    const std::vector<std::string> inputs = {a.files[0], facts_path, a.opt("--previous"), a.opt("--compare")};
    if (format == "all") {
        for (const char* f : {"html", "md", "csv", "json"})
            if (refuse_output_over_inputs(out_path + "." + f, inputs)) return exit_input;
    } else if (refuse_output_over_inputs(out_path, inputs)) {
        return exit_input;
    }
    report_settings settings;
    settings.group_column = a.opt("--group");
    settings.title = a.opt("--title");
    settings.period = a.opt("--period");
    settings.issuer = a.opt("--issuer");
    settings.csv_bom = a.has("--bom");
    settings.language = ui_lang();
    if (const std::string w = a.opt("--warn-below"); !w.empty()) {
        decimal d;
        std::string err;
        if (!decimal::parse(w, d, &err)) return usage("--warn-below needs a number of points: " + err);
        settings.warn_below = d;
    }
    program_ptr prog = load(a.files[0], a.has("--werror"), true);
    if (!prog) return exit_input;

    const std::string previous_path = a.opt("--previous");
    if (!previous_path.empty()) {
        if (!read_previous(previous_path, settings.previous, ranks_by_grand_total(*prog))) return exit_input;
        settings.has_previous = true;
    }
    // --compare: the self-assessment's own season run first (self_review.hpp).
    self_assessments self;
    if (const std::string claimed_path = a.opt("--compare"); !claimed_path.empty()) {
        if (format == "xlsx" || format == "pdf") return usage(say("cli.compare-formats-report"));
        const auto claimed = open_facts(claimed_path);
        const run_result cr = run(*prog, *claimed, self, season_options(a));
        if (!report_run(cr) || cr.bad) return exit_input;
        settings.self = &self;
    }
    const auto facts = open_facts(facts_path);
    const auto report = make_season_report(*prog, *facts, season_options(a), settings, format == "xlsx");
    const run_result& r = report->run();
    if (!r.usable) {
        print_diagnostics(r);
        if (r.read_ok && r.bad)
            std::cerr << "rubric: no report written: the facts have errors (use --skip-bad to report on the good entities)\n";
        return exit_input;
    }
    print_diagnostics(r);
    const bool bad = r.bad > 0;
    localized err;
    if (format == "xlsx" || format == "pdf") {
        // Made whole, then written through safe_output like the rest.
        std::string bytes;
        if (!report->render(format, [&](std::string_view b) { bytes.append(b); }, err)) {
            std::cerr << "rubric: " << translate(err, ui_lang()) << "\n";
            return exit_input;
        }
        if (!write_output(out_path, bytes)) return exit_input;
        return bad ? exit_input : exit_ok;
    }
    // Each format is written into its output as it is made.
    auto render_into = [&](const std::string& f, safe_output& o) { (void)report->render(f, [&](std::string_view b) { o.write(b); }, err); };
    if (format == "all") {
        // The four files are one result: all are replaced or none is (safe_output_set).
        safe_output_set files;
        for (const char* f : {"html", "md", "csv", "json"}) {
            safe_output& o = files.add(out_path + "." + f);
            if (!o.ok()) break;
            render_into(f, o);
        }
        if (!files.commit()) {
            std::cerr << "rubric: " << translate(files.error(), ui_lang()) << "\n";
            return exit_input;
        }
    } else {
        safe_output o(out_path);
        if (!output_ready(o)) return exit_input;
        render_into(format, o);
        if (!commit_output(o)) return exit_input;
    }
    return bad ? exit_input : exit_ok;
}

}  // namespace rubric::cli
