// Definitions for rubric/table.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/applies.hpp"
#include "rubric/table.hpp"

namespace rubric {
namespace table_detail {

// One cell of a table: its text, and for HTML how many rows it spans (0: covered
// by a cell above).
struct cell {
    std::string text;
    std::size_t span = 1;
};

struct grid {
    std::string title;
    std::vector<std::string> head;
    std::vector<std::vector<cell>> rows;
};

inline std::string points_text(const node& n) {
    if (!n.points) return {};
    return n.points->to_string();
}

// "法治政府（12分）"; a bonus part says its points are a cap.
inline std::string level_text(const node& n) {
    if (n.kind == node_kind::adjustments && (n.adjust_max || n.adjust_min))  // "综合奖扣分（+5 ~ -10分）"
        return n.name + "（" + (n.adjust_max ? "+" + n.adjust_max->to_string() : std::string()) + " ~ " +
               (n.adjust_min ? n.adjust_min->to_string() : std::string()) + "分）";
    if (!n.points) return n.name;
    if (n.kind == node_kind::bonus) return n.name + "（最高" + points_text(n) + "分）";
    return n.name + "（" + points_text(n) + "分）";
}

inline std::string joined(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? std::string(sep) : std::string()) + v[i];
    return out;
}

inline const char* level_heading(std::size_t level) {
    static const char* const names[] = {"一级指标", "二级指标", "三级指标", "四级指标", "五级指标", "六级指标"};
    return level < 6 ? names[level] : "下级指标";
}

// Nodes in document order with their depth (0 = top level), without recursion.
inline std::vector<std::pair<node_id, std::size_t>> in_order(const ast& t) {
    std::vector<std::pair<node_id, std::size_t>> out;
    std::vector<std::pair<node_id, std::size_t>> stack;
    for (auto it = t.roots.rbegin(); it != t.roots.rend(); ++it) stack.emplace_back(*it, 0);
    while (!stack.empty()) {
        const auto top = stack.back();
        stack.pop_back();
        out.push_back(top);
        const node& n = t.nodes[top.first];
        for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) stack.emplace_back(*it, top.second + 1);
    }
    return out;
}

inline grid indicator_grid(const ast& t, bool fill_repeats) {
    const auto order = in_order(t);
    std::size_t depth = 0;
    bool any_points = false, any_req = false, any_std = false, any_method = false, any_evidence = false,
         any_owners = false, any_lead = false, any_support = false, any_measures = false, any_deadline = false,
         any_note = false;
    for (const auto& [id, d] : order) {
        const node& n = t.nodes[id];
        depth = std::max(depth, d + 1);
        any_points |= n.points.has_value();
        any_req |= !n.meta.requirement.empty();
        any_std |= !n.meta.standard.empty();
        any_method |= !n.meta.method.empty();
        any_evidence |= !n.meta.evidence.empty();
        any_owners |= !n.meta.owners.empty();
        any_lead |= !n.meta.lead.empty();
        any_support |= !n.meta.support.empty();
        any_measures |= !n.meta.measures.empty();
        any_deadline |= !n.meta.deadline.empty();
        any_note |= !n.meta.note.empty();
    }
    grid g;
    g.title = t.header.title;
    g.head.push_back("编号");
    for (std::size_t l = 0; l < depth; ++l) g.head.push_back(level_heading(l));
    if (any_points) g.head.push_back("分值");
    // a table of unscored tasks calls the requirement what it is: the task's content
    if (any_req) g.head.push_back(any_points ? "评分要求" : "任务内容");
    if (any_std) g.head.push_back("评分标准");
    if (any_method) g.head.push_back("评价方式");
    if (any_evidence) g.head.push_back("提交说明");
    if (any_measures) g.head.push_back("工作措施");
    if (any_owners) g.head.push_back("责任部门");
    if (any_lead) g.head.push_back("牵头单位");
    if (any_support) g.head.push_back("配合单位");
    if (any_deadline) g.head.push_back("完成时限");
    if (any_note) g.head.push_back("备注");

    // A row per leaf: its code, then its ancestors' names with their points, then its own name; a
    // member of a case of a section `by` an attribute says which units it is for (applies.hpp).
    const auto case_note = [](const ast& tree, node_id id) -> std::string {
        if (id == no_id || tree.nodes[id].case_index == no_id) return {};
        const node& n = tree.nodes[id];
        return "（适用：" + case_shown(tree, n.parent, n.case_index) + "）";
    };
    std::vector<node_id> path(depth, no_id);
    for (const auto& [id, d] : order) {
        const node& n = t.nodes[id];
        path[d] = id;
        if (!n.children.empty()) continue;
        std::vector<cell> row;
        row.push_back({n.code});
        for (std::size_t l = 0; l < depth; ++l)
            row.push_back({l > d ? std::string() : (l == d ? n.name : level_text(t.nodes[path[l]])) + case_note(t, path[l])});
        g.rows.push_back(std::move(row));
    }
    // A level cell that repeats the row above's ancestor is covered by it: the first
    // cell spans the group (HTML), the repeats are blank (Markdown) or kept (CSV).
    {
        std::vector<std::vector<node_id>> ancestors;
        std::vector<node_id> p(depth, no_id);
        for (const auto& [id, d] : order) {
            p[d] = id;
            for (std::size_t l = d + 1; l < depth; ++l) p[l] = no_id;
            if (t.nodes[id].children.empty()) {
                std::vector<node_id> a(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(d));
                ancestors.push_back(std::move(a));
            }
        }
        std::vector<std::size_t> open(depth, 0);  // the row where the open cell of each level began
        for (std::size_t r = 0; r < g.rows.size(); ++r) {
            for (std::size_t l = 0; l < depth; ++l) {
                const bool same = r > 0 && l < ancestors[r].size() && l < ancestors[r - 1].size() &&
                                  ancestors[r][l] == ancestors[r - 1][l];
                cell& c = g.rows[r][l + 1];
                if (same) {
                    c.span = 0;
                    ++g.rows[open[l]][l + 1].span;
                    if (!fill_repeats) c.text.clear();
                } else {
                    open[l] = r;
                }
            }
        }
    }
    // the remaining columns, in the heading's order
    std::size_t leaf = 0;
    for (const auto& [id, d] : order) {
        const node& n = t.nodes[id];
        if (!n.children.empty()) continue;
        auto& row = g.rows[leaf++];
        if (any_points) row.push_back({points_text(n)});
        if (any_req) row.push_back({n.meta.requirement});
        if (any_std) row.push_back({n.meta.standard});
        if (any_method) row.push_back({n.meta.method});
        if (any_evidence) row.push_back({n.meta.evidence});
        if (any_measures) row.push_back({n.meta.measures});
        if (any_owners) row.push_back({n.meta.owners});
        if (any_lead) row.push_back({joined(n.meta.lead, "、")});
        if (any_support) row.push_back({joined(n.meta.support, "、")});
        if (any_deadline) row.push_back({n.meta.deadline});
        if (any_note) row.push_back({n.meta.note});
    }
    return g;
}

// The responsibility view: one block per department, in order of first mention.
struct duty {
    node_id id;
    bool leads;
};
struct department {
    std::string name;
    std::vector<duty> duties;
};

inline std::vector<department> departments(const ast& t) {
    std::vector<department> out;
    auto add = [&](const std::string& name, node_id id, bool leads) {
        for (auto& d : out)
            if (d.name == name) {
                d.duties.push_back({id, leads});
                return;
            }
        out.push_back({name, {{id, leads}}});
    };
    for (const auto& [id, depth] : in_order(t)) {
        (void)depth;
        const node& n = t.nodes[id];
        for (const auto& l : n.meta.lead) add(l, id, true);
        for (const auto& s : n.meta.support) add(s, id, false);
        // only the verbatim text: the whole text is the department
        if (n.meta.lead.empty() && n.meta.support.empty() && !n.meta.owners.empty()) add(n.meta.owners, id, true);
    }
    return out;
}

// "法治政府 / 健全依法决策机制 / 出台重大行政决策程序规定"
inline std::string path_name(const ast& t, node_id id) {
    std::vector<node_id> chain;
    for (node_id at = id; at != no_id; at = t.nodes[at].parent) chain.push_back(at);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) out += (out.empty() ? "" : " / ") + t.nodes[*it].name;
    return out;
}

inline decimal sum_points(const ast& t, const department& d, bool leads) {
    decimal s(0);
    for (const auto& u : d.duties)
        if (u.leads == leads && t.nodes[u.id].points) s = s + *t.nodes[u.id].points;
    return s;
}

// --- writers -------------------------------------------------------------------

inline std::string md_cell(std::string_view s) {
    std::string r;
    for (const char c : s) {
        if (c == '|') r += "\\|";
        else if (c == '\n') r += "<br>";
        else if (c != '\r') r += c;
    }
    return r;
}

inline std::string csv_cell(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string r = "\"";
    for (const char c : s) {
        if (c == '"') r += '"';
        r += c;
    }
    return r + '"';
}

inline std::string html_text(std::string_view s) {
    std::string r;
    for (const char c : s) {
        switch (c) {
            case '&': r += "&amp;"; break;
            case '<': r += "&lt;"; break;
            case '>': r += "&gt;"; break;
            case '"': r += "&quot;"; break;
            case '\n': r += "<br>"; break;
            default: r += c;
        }
    }
    return r;
}

inline std::string markdown_of(const grid& g, bool with_title) {
    std::string out;
    if (with_title && !g.title.empty()) out += "# " + md_cell(g.title) + "\n\n";
    out += "|";
    for (const auto& h : g.head) out += " " + md_cell(h) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < g.head.size(); ++i) out += "---|";
    out += "\n";
    for (const auto& row : g.rows) {
        out += "|";
        for (const auto& c : row) out += c.text.empty() ? std::string(" |") : " " + md_cell(c.text) + " |";
        out += "\n";
    }
    return out;
}

inline std::string csv_of(const grid& g) {
    std::string out;
    for (std::size_t i = 0; i < g.head.size(); ++i) out += (i ? "," : "") + csv_cell(g.head[i]);
    out += "\r\n";
    for (const auto& row : g.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + csv_cell(row[i].text);
        out += "\r\n";
    }
    return out;
}

inline const char* html_style() {
    return "<style>\n"
           "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",sans-serif;margin:1.5em;"
           "color:#222}\n"
           "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}\n"
           "table{border-collapse:collapse;width:100%;font-size:.9em}\n"
           "th,td{border:1px solid #888;padding:.3em .5em;vertical-align:top;text-align:left}\n"
           "th{background:#eef1f5}td.num{text-align:right;white-space:nowrap}\n"
           "@media print{body{margin:0}th{background:none}}\n"
           "</style>\n";
}

inline std::string html_page(const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           html_text(title) + "</title>\n" + html_style() + "</head>\n<body>\n" + body + "</body>\n</html>\n";
}

inline std::string html_table_of(const grid& g, std::size_t numeric_column) {
    std::string out = "<table>\n<thead><tr>";
    for (const auto& h : g.head) out += "<th>" + html_text(h) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& row : g.rows) {
        out += "<tr>";
        for (std::size_t i = 0; i < row.size(); ++i) {
            const cell& c = row[i];
            if (c.span == 0) continue;  // covered by a cell above
            out += "<td";
            if (c.span > 1) out += " rowspan=\"" + std::to_string(c.span) + "\"";
            if (i == numeric_column) out += " class=\"num\"";
            out += ">" + html_text(c.text) + "</td>";
        }
        out += "</tr>\n";
    }
    return out + "</tbody>\n</table>\n";
}

inline std::size_t column_of(const grid& g, std::string_view name) {
    for (std::size_t i = 0; i < g.head.size(); ++i)
        if (g.head[i] == name) return i;
    return static_cast<std::size_t>(-1);
}

inline grid owner_grid(const ast& t, const department& d) {
    grid g;
    g.title = d.name;
    g.head = {"编号", "指标", "分值", "职责"};
    for (const auto& u : d.duties) {
        const node& n = t.nodes[u.id];
        g.rows.push_back({{n.code}, {path_name(t, u.id)}, {points_text(n)}, {u.leads ? "牵头" : "配合"}});
    }
    return g;
}

// Said instead of an empty page when no node names a department (every unit is assessed alike).
inline constexpr const char* no_departments = "本表未指定责任部门（lead / support / owners）。";

inline std::string owner_summary(const ast& t, const department& d) {
    std::size_t leads = 0, supports = 0;
    for (const auto& u : d.duties) (u.leads ? leads : supports)++;
    std::string s = "牵头 " + std::to_string(leads) + " 项";
    if (leads) s += "（" + sum_points(t, d, true).to_string() + "分）";
    s += "，配合 " + std::to_string(supports) + " 项";
    if (supports) s += "（" + sum_points(t, d, false).to_string() + "分）";
    return s;
}

}  // namespace table_detail

RUBRIC_FUNC std::string published_table(const ast& t, const table_options& o) {
    using namespace table_detail;
    if (o.view == table_view::indicators) {
        const grid g = indicator_grid(t, o.format == table_format::csv);
        switch (o.format) {
            case table_format::markdown: return markdown_of(g, true);
            case table_format::csv: return csv_of(g);
            case table_format::html: {
                std::string body = g.title.empty() ? std::string() : "<h1>" + html_text(g.title) + "</h1>\n";
                return html_page(g.title, body + html_table_of(g, column_of(g, "分值")));
            }
        }
        return {};
    }
    const auto depts = departments(t);
    const std::string title = t.header.title.empty() ? "指标责任分工" : t.header.title + " 指标责任分工";
    switch (o.format) {
        case table_format::markdown: {
            std::string out = "# " + md_cell(title) + "\n";
            if (depts.empty()) out += "\n" + std::string(no_departments) + "\n";
            for (const auto& d : depts)
                out += "\n## " + md_cell(d.name) + "\n\n" + owner_summary(t, d) + "\n\n" + markdown_of(owner_grid(t, d), false);
            return out;
        }
        case table_format::csv: {
            std::string out = "部门,编号,指标,分值,职责\r\n";
            for (const auto& d : depts)
                for (const auto& row : owner_grid(t, d).rows) {
                    out += csv_cell(d.name);
                    for (const auto& c : row) out += "," + csv_cell(c.text);
                    out += "\r\n";
                }
            return out;
        }
        case table_format::html: {
            std::string body = "<h1>" + html_text(title) + "</h1>\n";
            if (depts.empty()) body += "<p>" + std::string(no_departments) + "</p>\n";
            for (const auto& d : depts)
                body += "<h2>" + html_text(d.name) + "</h2>\n<p>" + html_text(owner_summary(t, d)) + "</p>\n" +
                        html_table_of(owner_grid(t, d), 2);
            return html_page(title, body);
        }
    }
    return {};
}

}  // namespace rubric
