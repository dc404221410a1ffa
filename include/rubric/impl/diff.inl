// Definitions for rubric/diff.hpp.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rubric/config.hpp"
#include "rubric/applies.hpp"
#include "rubric/diff.hpp"
#include "rubric/display.hpp"
#include "rubric/escape.hpp"

namespace rubric {
namespace detail {

// ---------------------------------------------------------------------------
// The rule in the language's syntax, from the checked tree.

class rule_printer {
public:
    explicit rule_printer(const ast& t) : t_(t) {}

    std::string expr(expr_id e) const {
        if (e == no_id) return {};
        const expr_node& x = t_.exprs[e];
        switch (x.kind) {
            case expr_kind::number: return x.percent ? pct(x.nums.at(0)) : x.nums.at(0).to_string();
            case expr_kind::boolean: return x.nums.at(0).is_zero() ? "false" : "true";
            case expr_kind::string: return "\"" + x.text + "\"";
            case expr_kind::name: return x.text;
            case expr_kind::neg: return "-" + sub(x.args.at(0));
            case expr_kind::not_: return "not " + sub(x.args.at(0));
            case expr_kind::add: return binary(x, " + ");
            case expr_kind::sub: return binary(x, " - ");
            case expr_kind::mul: return binary(x, " * ");
            case expr_kind::div: return binary(x, " / ");
            case expr_kind::compare: return binary(x, std::string(" ") + to_string(x.op) + " ");
            case expr_kind::and_: return binary(x, " and ");
            case expr_kind::or_: return binary(x, " or ");
            case expr_kind::if_: {
                std::string s;
                const std::size_t pairs = (x.args.size() - (x.has_else ? 1 : 0)) / 2;
                for (std::size_t i = 0; i < pairs; ++i)
                    s += std::string(i ? " else if " : "if ") + expr(x.args[2 * i]) + " then " + sub(x.args[2 * i + 1]);
                if (x.has_else) s += " else " + sub(x.args.back());
                return s;
            }
            case expr_kind::call: return x.text + "(" + list(x.args) + ")";
            case expr_kind::list: return "[" + list(x.args) + "]";
            case expr_kind::each: {
                std::string s = "each " + x.nums.at(0).to_string();
                if (x.has_cap) s += " max " + x.nums.at(1).to_string();
                if (!x.args.empty() && x.args[0] != no_id) s += " of " + expr(x.args[0]);
                return s;
            }
            case expr_kind::count: return "count " + expr(x.args.at(0));
            case expr_kind::count_where:
                return "count " + x.text + " in " + expr(x.args.at(0)) + " where " + expr(x.args.at(1));
            case expr_kind::checklist: {
                std::string s = "checklist [";
                for (std::size_t i = 0; i < x.args.size(); ++i)
                    s += (i ? ", " : "") + expr(x.args[i]) + ": " + x.nums.at(i).to_string();
                return s + "]";
            }
            case expr_kind::tier: {
                std::string s = "tier";
                if (!x.args.empty() && x.args[0] != no_id) s += " " + expr(x.args[0]);
                for (const tier_band& b : x.bands)
                    s += std::string(" ") + to_string(b.op) +
                         (b.level != no_id ? expr(b.level) : b.percent ? pct(b.bound) : b.bound.to_string()) + ":" +
                         b.score.to_string();
                if (x.has_else) s += " otherwise " + x.nums.at(0).to_string();  // as the language writes it
                return s;
            }
            case expr_kind::deduct:
            case expr_kind::penalty: {
                std::string s = x.kind == expr_kind::deduct ? "deduct " : "penalty ";
                for (std::size_t i = 0; i < x.terms.size(); ++i)
                    s += (i ? " + " : "") + x.terms[i].per.to_string() + " per " + sub(x.terms[i].count);
                if (x.has_cap) s += " max " + x.nums.at(0).to_string();
                if (x.has_base) s += " from " + x.nums.at(1).to_string();
                return s;
            }
            case expr_kind::drop: {
                std::string s = "drop " + x.nums.at(0).to_string() + " per " + pct(x.nums.at(1)) + " below " +
                                (x.args.size() > 1 ? expr(x.args[1]) : pct(x.nums.at(2)));
                if (!x.args.empty() && x.args[0] != no_id) s += " of " + expr(x.args[0]);
                if (x.has_base) s += " from " + x.nums.at(3).to_string();
                return s;
            }
            case expr_kind::points:
            case expr_kind::max_points: {
                std::string s = std::string(x.kind == expr_kind::points ? "points " : "max_points ") + expr(x.args.at(0)) + " [";
                for (std::size_t i = 0; i < x.options.size(); ++i)
                    s += (i ? ", " : "") + (x.options[i].otherwise ? std::string("otherwise") : x.options[i].word) + ": " +
                         x.options[i].points.to_string();
                return s + "]";
            }
            case expr_kind::rank: {
                std::string s = "rank " + expr(x.args.at(0)) + (x.higher_is_better ? " higher" : " lower");
                if (x.args.size() > 1 && x.args[1] != no_id) s += " among " + expr(x.args[1]);
                if (x.mapping == rank_mapping::linear) {
                    s += " linear " + x.nums.at(0).to_string() + ".." + x.nums.at(1).to_string();
                } else if (x.mapping == rank_mapping::places) {
                    s += " places [";
                    for (std::size_t i = 0; i + 1 < x.nums.size(); ++i) s += (i ? ", " : "") + x.nums[i].to_string();
                    s += "] otherwise " + (x.nums.empty() ? std::string("0") : x.nums.back().to_string());
                } else {
                    s += " proportional " + x.nums.at(0).to_string();
                }
                return s;
            }
        }
        return "?";
    }

private:
    static std::string pct(const decimal& v) { return (v * decimal(100)).to_string() + "%"; }
    // An operand: bracketed unless it is a single token.
    std::string sub(expr_id e) const {
        if (e == no_id) return {};
        const expr_kind k = t_.exprs[e].kind;
        const bool atom = k == expr_kind::number || k == expr_kind::boolean || k == expr_kind::string ||
                          k == expr_kind::name || k == expr_kind::call || k == expr_kind::list;
        return atom ? expr(e) : "(" + expr(e) + ")";
    }
    std::string binary(const expr_node& x, const std::string& op) const { return sub(x.args.at(0)) + op + sub(x.args.at(1)); }
    std::string list(const std::vector<expr_id>& args) const {
        std::string s;
        for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + expr(args[i]);
        return s;
    }
    const ast& t_;
};

inline const char* kind_word(node_kind k) {
    switch (k) {
        case node_kind::section: return "section";
        case node_kind::item: return "item";
        case node_kind::bonus: return "bonus";
        case node_kind::task: return "task";
        case node_kind::adjustments: return "adjustments";
    }
    return "item";
}

// An input as it is declared: name, type, label, range, choices (what a fill-in sheet asks).
inline std::string input_text(const input_decl& in) {
    std::string s = in.name + ": " + to_string(in.type);
    if (in.type == input_type::list) s += std::string(" of ") + to_string(in.element);
    if (in.lo || in.hi) s += " " + (in.lo ? in.lo->to_string() : std::string()) + ".." + (in.hi ? in.hi->to_string() : std::string());
    if (!in.choices.empty()) {
        s += " [";
        for (std::size_t i = 0; i < in.choices.size(); ++i) s += (i ? ", " : "") + in.choices[i];
        s += "]";
    }
    if (!in.label.empty()) s += " \"" + in.label + "\"";
    return s;
}

inline std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

// The fields compared for a matched pair, in the order the document lists them.
inline std::vector<field_change> compare_nodes(const ast& a, node_id i, const ast& b, node_id j) {
    const node& x = a.nodes[i];
    const node& y = b.nodes[j];
    std::vector<field_change> out;
    auto field = [&](const char* name, const std::string& before, const std::string& after) {
        if (before != after) out.push_back({name, before, after});
    };
    field("kind", kind_word(x.kind), kind_word(y.kind));
    field("points", x.points ? x.points->to_string() : "", y.points ? y.points->to_string() : "");
    auto caps = [](const node& n) {
        std::string c;
        if (n.adjust_max) c += "max " + n.adjust_max->to_string();
        if (n.adjust_min) c += (c.empty() ? "min " : " min ") + n.adjust_min->to_string();
        return c;
    };
    field("caps", caps(x), caps(y));
    // Parts that apply to some units (applies.hpp): the attribute of a section, the case of a member.
    field("by", x.by, y.by);
    auto case_of = [](const ast& t, const node& n) {
        return n.case_index == no_id ? std::string() : case_shown(t, n.parent, n.case_index);
    };
    field("case", case_of(a, x), case_of(b, y));
    field("rule", rule_text(a, i), rule_text(b, j));
    std::vector<std::string> ins_a, ins_b;
    for (const auto k : x.inputs) ins_a.push_back(input_text(a.inputs[k]));
    for (const auto k : y.inputs) ins_b.push_back(input_text(b.inputs[k]));
    field("inputs", joined(ins_a, "; "), joined(ins_b, "; "));
    field("lead", joined(x.meta.lead, "、"), joined(y.meta.lead, "、"));
    field("support", joined(x.meta.support, "、"), joined(y.meta.support, "、"));
    field("owners", x.meta.owners, y.meta.owners);
    field("standard", x.meta.standard, y.meta.standard);
    field("requirement", x.meta.requirement, y.meta.requirement);
    field("method", x.meta.method, y.meta.method);
    field("evidence", x.meta.evidence, y.meta.evidence);
    field("deadline", x.meta.deadline, y.meta.deadline);
    field("measures", x.meta.measures, y.meta.measures);
    field("note", x.meta.note, y.meta.note);
    return out;
}

// The Chinese words of the document for a field key.
inline const char* field_words(const std::string& f) {
    if (f == "kind") return "类型";
    if (f == "points") return "分值";
    if (f == "rule") return "计分规则";
    if (f == "inputs") return "填报项";
    if (f == "lead") return "牵头部门";
    if (f == "support") return "配合部门";
    if (f == "owners") return "责任部门";
    if (f == "standard") return "评分标准";
    if (f == "requirement") return "评分要求";
    if (f == "method") return "评价方式";
    if (f == "evidence") return "提交说明";
    if (f == "deadline") return "时限";
    if (f == "measures") return "工作措施";
    if (f == "note") return "备注";
    if (f == "title") return "标题";
    if (f == "total") return "总分";
    if (f == "rounding") return "显示位数";
    if (f == "grades") return "等级";
    if (f == "vetoes") return "一票否决";
    if (f == "caps") return "奖扣分上下限";
    if (f == "by") return "按何属性适用";
    if (f == "case") return "适用单位";
    return "其他";
}

inline std::string node_label(const ast& t, node_id n) { return t.nodes[n].code + " " + t.nodes[n].name; }

inline std::string path_of(const ast& t, node_id n) {
    std::string s;
    for (node_id p = t.nodes[n].parent; p != no_id; p = t.nodes[p].parent) s = node_label(t, p) + (s.empty() ? "" : " › ") + s;
    return s;
}

inline std::string md_escape(std::string s) {
    std::string o;
    for (const char c : s) {
        if (c == '|') o += "\\|";
        else if (c == '\n' || c == '\r') o += ' ';
        else o += c;
    }
    return o;
}

}  // namespace detail

RUBRIC_FUNC std::string rule_text(const ast& t, node_id n) {
    const node& x = t.nodes[n];
    const detail::rule_printer printer(t);
    std::string s;
    if (x.subject != no_id) s = "subject " + printer.expr(x.subject) + "; ";
    for (std::size_t i = 0; i < x.parts.size(); ++i) {
        if (i) s += " + ";
        if (!x.parts[i].label.empty()) s += "\"" + x.parts[i].label + "\": ";
        s += printer.expr(x.parts[i].expr);
    }
    // The named values the rule reads (let), directly or through each other, written after it:
    // a changed let is then a changed rule wherever it is read. Names are global, so by name.
    if (!t.lets.empty()) {
        std::map<std::string_view, std::uint32_t> by_name;
        for (std::uint32_t i = 0; i < t.lets.size(); ++i) by_name.emplace(t.lets[i].name, i);
        std::vector<bool> read(t.lets.size(), false);
        std::vector<expr_id> stack{x.subject};
        for (const auto& part : x.parts) stack.push_back(part.expr);
        while (!stack.empty()) {
            const expr_id e = stack.back();
            stack.pop_back();
            if (e == no_id) continue;
            const expr_node& q = t.exprs[e];
            for (expr_id arg : q.args) stack.push_back(arg);
            for (const auto& term : q.terms) stack.push_back(term.count);
            if (q.kind != expr_kind::name) continue;
            const auto it = by_name.find(q.text);
            if (it == by_name.end() || read[it->second]) continue;
            read[it->second] = true;
            stack.push_back(t.lets[it->second].expr);
        }
        for (std::uint32_t i = 0; i < t.lets.size(); ++i)
            if (read[i]) s += "; let " + t.lets[i].name + " = " + printer.expr(t.lets[i].expr);
    }
    return x.parts.empty() && x.subject == no_id ? std::string() : s;
}

RUBRIC_FUNC rubric_diff diff_rubrics(const ast& a, const ast& b) {
    rubric_diff d;
    auto header = [&](const char* f, const std::string& x, const std::string& y) {
        if (x != y) d.header.push_back({f, x, y});
    };
    header("title", a.header.title, b.header.title);
    header("total", a.header.total ? a.header.total->to_string() : "", b.header.total ? b.header.total->to_string() : "");
    header("rounding", std::to_string(a.header.display_places), std::to_string(b.header.display_places));
    // The grade scale and the vetoes, written as the language writes them.
    auto grades = [](const ast& t) {
        if (!t.grades) return std::string();
        std::string g;
        for (const auto& band : t.grades->bands) g += (g.empty() ? "" : ", ") + band.label + " >= " + band.bound.to_string();
        return g + ", otherwise " + t.grades->lowest;
    };
    auto vetoes = [](const ast& t) {
        const detail::rule_printer printer(t);
        std::string v;
        for (const auto& r : t.vetoes)
            v += (v.empty() ? "" : "; ") + (r.cap.empty() ? std::string() : r.cap + " ") + "\"" + r.label + "\" if " +
                 printer.expr(r.condition);
        return v;
    };
    header("grades", grades(a), grades(b));
    header("vetoes", vetoes(a), vetoes(b));

    const auto order_a = document_order(a, true);
    const auto order_b = document_order(b, true);
    std::vector<node_id> match_of_b(b.nodes.size(), no_id);
    std::vector<bool> used_a(a.nodes.size(), false);
    // One pass: the unmatched nodes of `a` by key, first in document order; each unmatched
    // node of `b` takes the first one of its key.
    auto pass = [&](auto key) {
        std::unordered_map<std::string, std::vector<node_id>> free;
        for (const node_id i : order_a)
            if (!used_a[i]) free[key(a, i)].push_back(i);
        for (const node_id j : order_b) {
            if (match_of_b[j] != no_id) continue;
            auto it = free.find(key(b, j));
            if (it == free.end() || it->second.empty()) continue;
            const node_id i = it->second.front();
            it->second.erase(it->second.begin());
            match_of_b[j] = i;
            used_a[i] = true;
        }
    };
    const auto kind_code = [](const ast& t, node_id n) { return std::string(detail::kind_word(t.nodes[n].kind)); };
    pass([](const ast& t, node_id n) { return t.nodes[n].code + '\x1f' + t.nodes[n].name; });
    pass([&](const ast& t, node_id n) { return kind_code(t, n) + '\x1f' + t.nodes[n].name; });
    pass([&](const ast& t, node_id n) { return kind_code(t, n) + '\x1f' + t.nodes[n].code; });

    for (const node_id i : order_a)
        if (!used_a[i]) d.removed.push_back(i);
    for (const node_id j : order_b) {
        const node_id i = match_of_b[j];
        if (i == no_id) {
            d.added.push_back(j);
            continue;
        }
        node_change c;
        c.before = i;
        c.after = j;
        const node_id pa = a.nodes[i].parent, pb = b.nodes[j].parent;
        const bool same_parent = (pa == no_id && pb == no_id) || (pb != no_id && match_of_b[pb] == pa && pa != no_id);
        c.new_parent = !same_parent;
        c.moved = !same_parent || a.nodes[i].code != b.nodes[j].code;
        c.renamed = a.nodes[i].name != b.nodes[j].name;
        c.fields = detail::compare_nodes(a, i, b, j);
        if (c.moved || c.renamed || !c.fields.empty()) d.changed.push_back(std::move(c));
    }
    return d;
}

RUBRIC_FUNC std::string render_diff(const ast& a, const ast& b, const rubric_diff& d, diff_format f,
                                    const std::string& before_name, const std::string& after_name) {
    using detail::node_label;
    std::string o;
    if (f == diff_format::json) {
        auto q = [](const std::string& s) {
            std::string r;
            append_json_string(r, s);
            return r;
        };
        auto node_json = [&](const ast& t, node_id n) {
            const node& x = t.nodes[n];
            return "{\"code\": " + q(x.code) + ", \"name\": " + q(x.name) + ", \"kind\": " + q(detail::kind_word(x.kind)) +
                   ", \"points\": " + q(x.points ? x.points->to_string() : "") + ", \"parent\": " +
                   q(x.parent == no_id ? "" : t.nodes[x.parent].code) + "}";
        };
        auto fields_json = [&](const std::vector<field_change>& fs) {
            std::string s = "[";
            for (std::size_t i = 0; i < fs.size(); ++i)
                s += (i ? ", " : "") + ("{\"field\": " + q(fs[i].field) + ", \"before\": " + q(fs[i].before) +
                                        ", \"after\": " + q(fs[i].after) + "}");
            return s + "]";
        };
        o = "{\"before\": " + q(before_name) + ", \"after\": " + q(after_name) + ",\n \"header\": " + fields_json(d.header);
        o += ",\n \"added\": [";
        for (std::size_t i = 0; i < d.added.size(); ++i) o += (i ? ",\n   " : "\n   ") + node_json(b, d.added[i]);
        o += "],\n \"removed\": [";
        for (std::size_t i = 0; i < d.removed.size(); ++i) o += (i ? ",\n   " : "\n   ") + node_json(a, d.removed[i]);
        o += "],\n \"changed\": [";
        for (std::size_t i = 0; i < d.changed.size(); ++i) {
            const node_change& c = d.changed[i];
            o += (i ? ",\n   " : "\n   ") + ("{\"before\": " + node_json(a, c.before) + ", \"after\": " + node_json(b, c.after) +
                                           ", \"moved\": " + (c.moved ? "true" : "false") + ", \"new_parent\": " +
                                           (c.new_parent ? "true" : "false") + ", \"renamed\": " +
                                           (c.renamed ? "true" : "false") + ", \"fields\": " + fields_json(c.fields) + "}");
        }
        return o + "]}\n";
    }

    // Markdown and HTML share the document: a heading, the counts, then added, removed and
    // changed nodes. Cells are escaped for their format.
    const bool html = f == diff_format::html;
    auto esc = [&](const std::string& s) { return html ? html_escape(s) : detail::md_escape(s); };
    const std::string title = "年度指标调整说明：" + before_name + " → " + after_name;
    auto heading = [&](const std::string& s) { o += html ? "<h2>" + esc(s) + "</h2>\n" : "\n## " + s + "\n\n"; };
    auto table = [&](const std::vector<std::string>& heads, const std::vector<std::vector<std::string>>& rows) {
        if (html) {
            o += "<table><thead><tr>";
            for (const auto& h : heads) o += "<th>" + esc(h) + "</th>";
            o += "</tr></thead><tbody>\n";
            for (const auto& r : rows) {
                o += "<tr>";
                for (const auto& c : r) o += "<td>" + esc(c) + "</td>";
                o += "</tr>\n";
            }
            o += "</tbody></table>\n";
            return;
        }
        o += "|";
        for (const auto& h : heads) o += " " + esc(h) + " |";
        o += "\n|";
        for (std::size_t i = 0; i < heads.size(); ++i) o += "---|";
        o += "\n";
        for (const auto& r : rows) {
            o += "|";
            for (const auto& c : r) o += " " + esc(c) + " |";
            o += "\n";
        }
    };
    if (html)
        o = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\">\n<title>" + esc(title) + "</title>\n<style>"
            "body{font-family:sans-serif;margin:1.5em;line-height:1.5}table{border-collapse:collapse;margin:.5em 0 1.5em}"
            "th,td{border:1px solid #bbb;padding:.3em .6em;vertical-align:top;text-align:left}th{background:#eef2f7}"
            "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n";
    else
        o = "# " + title + "\n";
    std::size_t moved = 0, renamed = 0, edited = 0;
    for (const auto& c : d.changed) {
        moved += c.moved;
        renamed += c.renamed;
        edited += !c.fields.empty();
    }
    const std::string summary = "新增 " + std::to_string(d.added.size()) + " 项，删除 " + std::to_string(d.removed.size()) +
                                " 项，移动或重新编号 " + std::to_string(moved) + " 项，更名 " + std::to_string(renamed) +
                                " 项，内容调整 " + std::to_string(edited) + " 项。";
    o += html ? "<p>" + esc(summary) + "</p>\n" : "\n" + summary + "\n";
    if (d.empty()) {
        o += html ? "<p>两个版本没有差别。</p>\n</body>\n</html>\n" : "\n两个版本没有差别。\n";
        return o;
    }
    if (!d.header.empty()) {
        heading("总体");
        std::vector<std::vector<std::string>> rows;
        for (const auto& h : d.header) rows.push_back({detail::field_words(h.field), h.before, h.after});
        table({"项目", "原", "新"}, rows);
    }
    auto points = [](const ast& t, node_id n) { return t.nodes[n].points ? t.nodes[n].points->to_string() : std::string("—"); };
    if (!d.added.empty()) {
        heading("新增指标");
        std::vector<std::vector<std::string>> rows;
        for (const node_id n : d.added) rows.push_back({node_label(b, n), points(b, n), detail::path_of(b, n), b.nodes[n].meta.standard});
        table({"指标", "分值", "所属", "评分标准"}, rows);
    }
    if (!d.removed.empty()) {
        heading("删除指标");
        std::vector<std::vector<std::string>> rows;
        for (const node_id n : d.removed) rows.push_back({node_label(a, n), points(a, n), detail::path_of(a, n)});
        table({"指标", "原分值", "原所属"}, rows);
    }
    if (!d.changed.empty()) {
        heading("调整指标");
        std::vector<std::vector<std::string>> rows;
        for (const auto& c : d.changed) {
            const std::string who = node_label(b, c.after);
            // Under the same parent only the number changed (an item added or removed before
            // it); under another parent the node moved, and both places are named.
            if (c.moved && !c.new_parent)
                rows.push_back({who, "编号", a.nodes[c.before].code, b.nodes[c.after].code});
            else if (c.moved)
                rows.push_back({who, "位置", node_label(a, c.before) + "（" + detail::path_of(a, c.before) + "）",
                                node_label(b, c.after) + "（" + detail::path_of(b, c.after) + "）"});
            if (c.renamed) rows.push_back({who, "名称", a.nodes[c.before].name, b.nodes[c.after].name});
            for (const auto& fc : c.fields) rows.push_back({who, detail::field_words(fc.field), fc.before, fc.after});
        }
        table({"指标", "变化", "原", "新"}, rows);
    }
    if (html) o += "</body>\n</html>\n";
    return o;
}

}  // namespace rubric
