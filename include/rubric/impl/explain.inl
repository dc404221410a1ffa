// Definitions for rubric/explain.hpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "rubric/config.hpp"
#include "rubric/cohort_evaluation.hpp"
#include "rubric/display.hpp"
#include "rubric/escape.hpp"
#include "rubric/explain.hpp"
#include "rubric/applies.hpp"
#include "rubric/grade.hpp"

namespace rubric {

RUBRIC_FUNC std::string indent(const std::string& text, const std::string& prefix) {
    std::string out;
    bool at_start = true;
    for (const char c : text) {
        if (at_start) out += prefix;
        out += c;
        at_start = c == '\n';
    }
    return out;
}

namespace detail {

class explainer {
public:
    explainer(const program& p, const fact_set& f, const evaluation& ev, lang l = lang::en)
        : p_(p), f_(f), ev_(ev), t_(p.tree()), l_(l) {}

    // A text of the catalog (messages.hpp) in this explanation's language.
    std::string T(const char* id, std::vector<message_arg> args = {}) const { return message_text(l_, id, std::move(args)); }

    // A number for people, as the rubric shows its scores (display.hpp: 四舍五入 to its places),
    // with the exact value beside it when the rounding changed it: 0.6; 11.98 (= 1258/105).
    std::string num(const decimal& d) const { return shown(p_, d) + exact_beside(d); }
    // " (= 1258/105)" when the shown value is not the exact one, else "".
    std::string exact_beside(const decimal& d) const {
        if (!display_rounds(p_, d)) return {};
        return T("explain.exact", {{"exact", d.is_terminating() ? d.to_string() : d.to_fraction_string()}});
    }
    // Points: 11.98分 (= 1258/105), the unit before the exact value.
    std::string points(const decimal& d) const { return T("explain.points", {{"points", shown(p_, d)}}) + exact_beside(d); }
    static std::string pct(const decimal& d) {
        const decimal h = d * decimal(100);
        if (h.is_terminating()) return h.to_string() + "%";
        return h.round(2).to_string() + "% (" + d.to_fraction_string() + ")";
    }

    std::string value_of(expr_id e) const {
        const value& v = ev_.reg(p_.reg_of(e));
        if (v.undefined) return T("explain.undefined");
        const value_type& ty = p_.rubric().types[e];
        if (ty.kind == value_kind::boolean) return T(v.v.is_zero() ? "explain.no" : "explain.yes");
        if (ty.kind == value_kind::choice) {
            const auto i = v.v.to_int64();
            return i >= 0 ? choice_text(t_.inputs[ty.choice_input], static_cast<std::size_t>(i)) : "?";
        }
        if (ty.measure == unit::percent) return pct(v.v);
        return num(v.v);
    }

    // A name with its value; a ratio also shows its parts: 覆盖率 = 412/530 = 77.74%.
    RUBRIC_NOINLINE std::string name_with_value(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        const symbol& s = p_.rubric().symbols[e];
        if (s.kind == symbol::kind_t::ratio) {
            const ratio_decl& rd = t_.ratios[s.index];
            const value& n = ev_.reg(p_.reg_of(rd.numerator));
            const value& d = ev_.reg(p_.reg_of(rd.denominator));
            std::string out = label_of(e) + " = " + (n.undefined ? "?" : num(n.v)) + "/" + (d.undefined ? "?" : num(d.v));
            const value& v = ev_.reg(p_.reg_of(e));
            if (v.undefined) return out + T("explain.ratio-undefined");
            return out + " = " + pct(v.v);
        }
        if (s.kind == symbol::kind_t::input && p_.inputs()[s.index].type == input_type::list) {
            // a list shows its members, not its register (which holds the member count)
            const bool percent = p_.inputs()[s.index].element == input_type::percent;
            std::string out = label_of(e) + " = [";
            if (s.index < f_.lists.size())
                for (std::size_t i = 0; i < f_.lists[s.index].size(); ++i)
                    out += (i ? ", " : "") +
                           (p_.inputs()[s.index].element == input_type::choice
                                ? choice_text(t_.inputs[s.index], static_cast<std::size_t>(f_.lists[s.index][i].to_int64()))
                                : percent ? pct(f_.lists[s.index][i]) : num(f_.lists[s.index][i]));
            out += "]";
            if (!f_.present.empty() && !f_.present[s.index]) out += T("explain.not-provided");
            return out;
        }
        std::string out = label_of(e) + " = " + value_of(e);
        if (s.kind == symbol::kind_t::input && !f_.present.empty() && !f_.present[s.index]) out += T("explain.not-provided");
        return out;
    }

    // An input or a ratio as the office names it: its label (录入率) when it has one, else its id.
    std::string label_of(expr_id e) const {
        const symbol& s = p_.rubric().symbols[e];
        if (s.kind == symbol::kind_t::input && !t_.inputs[s.index].label.empty()) return t_.inputs[s.index].label;
        if (s.kind == symbol::kind_t::ratio && !t_.ratios[s.index].label.empty()) return t_.ratios[s.index].label;
        if (s.kind == symbol::kind_t::named && !t_.lets[s.index].label.empty()) return t_.lets[s.index].label;
        return t_.exprs[e].text;
    }

    // rank 2 of 3 by rate = 20% (lower is better; ties share the better rank): linear 1.8..0 → 0.9
    RUBRIC_NOINLINE std::string describe_rank(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        const std::string subject = describe(x.args[0]);
        const cohort_evaluation* c = ev_.cohort();
        const int slot = c ? c->slot_of(e) : -1;
        if (slot < 0) return T("explain.rank-no-cohort", {{"subject", subject}});
        const cohort_placing& pl = c->placing(ev_.cohort_unit(), static_cast<std::size_t>(slot));
        if (!pl.took_part) return T("explain.rank-out", {{"subject", subject}});
        std::string mapping;
        switch (x.mapping) {
            case rank_mapping::linear: mapping = T("explain.rank-linear", {{"best", num(x.nums[0])}, {"worst", num(x.nums[1])}}); break;
            case rank_mapping::places: {
                std::string list;
                for (std::size_t i = 0; i + 1 < x.nums.size(); ++i) list += (i ? ", " : "") + num(x.nums[i]);
                mapping = T("explain.rank-places", {{"places", list}, {"otherwise", num(x.nums.back())}});
                break;
            }
            case rank_mapping::proportional:
                mapping = T("explain.rank-proportional", {{"best", num(x.nums[0])}, {"best_value", bound_text(x.args[0], pl.best)}});
                break;
        }
        return T(x.higher_is_better ? "explain.rank-higher" : "explain.rank-lower",
                 {{"rank", std::to_string(pl.rank)}, {"of", std::to_string(pl.of)}, {"subject", subject},
                  {"mapping", mapping}, {"score", value_of(e)}});
    }

    // One expression, with the values that made it. Depth is bounded by the parser's
    // nesting limit, and each level costs this dispatcher's frame plus the one
    // describe_… function of its kind: kept apart (RUBRIC_NOINLINE), their string and
    // message temporaries never share a frame, which at -O0 was about 13 KiB a level.
    std::string describe(expr_id e) const {
        switch (t_.exprs[e].kind) {
            case expr_kind::number:
            case expr_kind::boolean:
            case expr_kind::string:
            case expr_kind::list: return describe_literal(e);
            case expr_kind::name: return name_with_value(e);
            case expr_kind::neg:
            case expr_kind::not_: return describe_unary(e);
            case expr_kind::add:
            case expr_kind::sub:
            case expr_kind::mul:
            case expr_kind::div: return describe_arithmetic(e);
            case expr_kind::compare: return describe_comparison(e);
            case expr_kind::and_:
            case expr_kind::or_: return describe_logic(e);
            case expr_kind::if_: return describe_if(e);
            case expr_kind::rank: return describe_rank(e);
            case expr_kind::call: return describe_call(e);
            case expr_kind::each: return describe_each(e);
            case expr_kind::count:
            case expr_kind::count_where: return describe_count(e);
            case expr_kind::checklist: return describe_checklist(e);
            case expr_kind::tier: return describe_tier(e);
            case expr_kind::deduct:
            case expr_kind::penalty: return describe_deduct(e);
            case expr_kind::drop: return describe_drop(e);
            case expr_kind::points:
            case expr_kind::max_points: return describe_points(e);
        }
        return value_of(e);
    }

    RUBRIC_NOINLINE std::string describe_literal(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        switch (x.kind) {
            case expr_kind::number: return x.percent ? pct(x.nums[0]) : num(x.nums[0]);
            case expr_kind::boolean: return x.nums[0].is_zero() ? "false" : "true";
            case expr_kind::string: return "\"" + x.text + "\"";
            default: return "[…]";  // a list
        }
    }

    RUBRIC_NOINLINE std::string describe_unary(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        auto arg = [&](std::size_t i) { return describe(x.args[i]); };
        if (x.kind == expr_kind::neg) return "−(" + arg(0) + ")";
        return T("explain.not", {{"operand", arg(0)}, {"value", value_of(e)}});
    }

    RUBRIC_NOINLINE std::string describe_arithmetic(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        auto arg = [&](std::size_t i) { return describe(x.args[i]); };
        const char* op = x.kind == expr_kind::add ? " + " : x.kind == expr_kind::sub ? " − " : x.kind == expr_kind::mul ? " × " : " ÷ ";
        return "(" + arg(0) + ")" + op + "(" + arg(1) + ") = " + value_of(e);
    }

    RUBRIC_NOINLINE std::string describe_comparison(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        auto arg = [&](std::size_t i) { return describe(x.args[i]); };
        return arg(0) + " " + to_string(x.op) + " " + arg(1) + " → " + value_of(e);
    }

    RUBRIC_NOINLINE std::string describe_logic(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        auto arg = [&](std::size_t i) { return describe(x.args[i]); };
        return T(x.kind == expr_kind::and_ ? "explain.and" : "explain.or",
                 {{"left", arg(0)}, {"right", arg(1)}, {"value", value_of(e)}});
    }

    RUBRIC_NOINLINE std::string describe_if(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        auto arg = [&](std::size_t i) { return describe(x.args[i]); };
        for (std::size_t i = 0; i + 1 < x.args.size(); i += 2) {
            const value& c = ev_.reg(p_.reg_of(x.args[i]));
            if (!c.undefined && !c.v.is_zero()) return T("explain.if", {{"condition", arg(i)}, {"result", arg(i + 1)}});
        }
        if (x.has_else) return T("explain.else", {{"condition", arg(0)}, {"result", arg(x.args.size() - 1)}});
        return T("explain.if-not", {{"condition", arg(0)}});
    }

    RUBRIC_NOINLINE std::string describe_call(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        auto arg = [&](std::size_t i) { return describe(x.args[i]); };
        if (x.text == "score" && x.args.size() == 1) {  // score(1.2): the node's score for this unit
            const std::string& code = t_.exprs[x.args[0]].text;
            const node_id n = find_node(t_, code);
            return "score(" + code + ") = " + (n == no_id ? std::string("?") : num(ev_.node_score(n)));
        }
        if (x.text.rfind("cohort_", 0) == 0) {
            const cohort_evaluation* c = ev_.cohort();
            const int slot = c ? c->slot_of(e) : -1;
            const std::string of =
                slot < 0 ? "?" : std::to_string(c->placing(ev_.cohort_unit(), static_cast<std::size_t>(slot)).of);
            // A subset (among C): the condition as written, since it chose the other units too.
            std::string argument = arg(0);
            if (x.has_among) {
                // The condition as written: from the first to the last character of its parts (an
                // operator's own span is only the operator).
                std::size_t from = SIZE_MAX, to = 0;
                std::vector<expr_id> parts{x.args.back()};
                while (!parts.empty()) {
                    const expr_node& q = t_.exprs[parts.back()];
                    parts.pop_back();
                    from = std::min(from, q.where.begin.offset);
                    to = std::max(to, q.where.end.offset);
                    for (expr_id a : q.args)
                        if (a != no_id) parts.push_back(a);
                }
                const std::string* src = t_.source ? &t_.source->text : nullptr;
                std::string cond = src && to > from && to <= src->size() ? src->substr(from, to - from) : std::string("?");
                while (!cond.empty() && (cond.back() == ' ' || cond.back() == '\n' || cond.back() == '\t' || cond.back() == '\r'))
                    cond.pop_back();
                argument = T("explain.among", {{"argument", argument}, {"condition", cond}});
            }
            return T("explain.cohort-aggregate", {{"name", x.text}, {"argument", argument}, {"units", of}, {"value", value_of(e)}});
        }
        std::string s = x.text + "(";
        for (std::size_t i = 0; i < x.args.size(); ++i) s += (i ? ", " : "") + arg(i);
        return s + ") = " + value_of(e);
    }

    RUBRIC_NOINLINE std::string describe_each(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        const value& v = ev_.reg(p_.reg_of(e));
        const expr_node& s = t_.exprs[x.args[0]];
        std::string what;
        decimal hits;
        if (s.kind == expr_kind::list) {
            std::int64_t n = 0;
            for (expr_id c : s.args) {
                const value& cv = ev_.reg(p_.reg_of(c));
                const bool ok = !cv.undefined && !cv.v.is_zero();
                n += ok ? 1 : 0;
                what += (what.empty() ? "" : ", ") + short_name(c) + (ok ? " ✓" : " ✗");
            }
            hits = decimal(n);
            what = T("explain.each-hold", {{"hits", std::to_string(n)}, {"total", std::to_string(s.args.size())}, {"items", what}});
        } else {
            const value& cv = ev_.reg(p_.reg_of(x.args[0]));
            hits = cv.undefined ? decimal() : cv.v;
            what = describe(x.args[0]);
        }
        if (v.undefined) return what + " → " + T("explain.undefined");  // one rule for undefined
        const decimal raw = x.nums[0] * hits;
        std::string out = T("explain.each", {{"what", what}, {"hits", num(hits)}, {"each", num(x.nums[0])}, {"raw", num(raw)}});
        if (x.has_cap && raw > x.nums[1]) out += T("explain.each-cap", {{"cap", num(x.nums[1])}});
        return out + " → " + num(v.v);
    }

    RUBRIC_NOINLINE std::string describe_count(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        if (x.kind == expr_kind::count) return T("explain.count", {{"value", value_of(e)}});
        return T("explain.count-where", {{"list", describe(x.args[0])}, {"value", value_of(e)}});
    }

    RUBRIC_NOINLINE std::string describe_checklist(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        const value& v = ev_.reg(p_.reg_of(e));
        std::string out;
        for (std::size_t i = 0; i < x.args.size(); ++i) {
            const value& cv = ev_.reg(p_.reg_of(x.args[i]));
            const bool ok = !cv.undefined && !cv.v.is_zero();
            out += (i ? " + " : "") + short_name(x.args[i]) + (ok ? " ✓ " + num(x.nums[i]) : " ✗ 0");
        }
        return out + " = " + num(v.v);
    }

    RUBRIC_NOINLINE std::string describe_tier(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        const value& v = ev_.reg(p_.reg_of(e));
        const value& s = ev_.reg(p_.reg_of(x.args[0]));
        const std::string subj = describe(x.args[0]);
        if (s.undefined) return T("explain.tier-none", {{"subject", subj}, {"score", num(v.v)}});
        // A bound read from the cohort is shown by name and value, as a drop's level is; an
        // undefined one (no unit to take it from) holds for no value.
        const auto band_text = [&](const tier_band& b) {
            return std::string(to_string(b.op)) + " " + (b.level != no_id ? describe(b.level) : bound_text(x.args[0], b.bound));
        };
        for (const auto& b : x.bands) {
            const value* level = b.level != no_id ? &ev_.reg(p_.reg_of(b.level)) : nullptr;
            if (level && level->undefined) continue;
            if (compare(s.v, b.op, level ? level->v : b.bound)) return subj + " " + band_text(b) + " → " + num(b.score);
        }
        return T("explain.tier-below", {{"subject", subj}, {"band", band_text(x.bands.back())}, {"score", num(v.v)}});
    }

    RUBRIC_NOINLINE std::string describe_deduct(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        const value& v = ev_.reg(p_.reg_of(e));
        std::string out;
        decimal sum;
        for (const auto& term : x.terms) {
            const value& c = ev_.reg(p_.reg_of(term.count));
            const decimal n = c.undefined ? decimal() : c.v;
            sum += term.per * n;
            out += (out.empty() ? "" : " + ") + describe(term.count) + " × " + num(term.per);
        }
        // One rule for undefined (GRAMMAR.md): an undefined count leaves the deduction undefined.
        if (v.undefined) {
            if (x.kind == expr_kind::penalty) return T("explain.penalty", {{"terms", out}, {"value", T("explain.undefined")}});
            return T("explain.deduct", {{"base", num(base_of(x, 1))}, {"terms", out}, {"value", T("explain.undefined")}});
        }
        out += " = " + num(sum);
        if (x.has_cap && sum > x.nums[0]) out += T("explain.deduct-cap", {{"cap", num(x.nums[0])}});
        if (x.kind == expr_kind::penalty) return T("explain.penalty", {{"terms", out}, {"value", num(v.v)}});
        const decimal base = base_of(x, 1);
        return T("explain.deduct", {{"base", num(base)}, {"terms", out}, {"value", num(v.v)}});
    }

    // A choice as the office reads it: its label when it has one (数据库对接), else its word.
    std::string choice_text(const input_decl& in, std::size_t i) const {
        if (i >= in.choices.size()) return "?";
        return i < in.choice_labels.size() && !in.choice_labels[i].empty() ? in.choice_labels[i] : in.choices[i];
    }

    // 报送方式 = 前置机 → 2;  获奖级别 = [省级, 市级]: the most, 省级 → 3 (none: 0)
    RUBRIC_NOINLINE std::string describe_points(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        const value& v = ev_.reg(p_.reg_of(e));
        const symbol& s = p_.rubric().symbols[x.args[0]];
        const input_decl& in = t_.inputs[s.index];
        const std::string subj = label_of(x.args[0]);
        const std::string result = v.undefined ? T("explain.undefined") : num(v.v);
        if (x.kind == expr_kind::points) {
            const value& c = ev_.reg(p_.reg_of(x.args[0]));
            if (c.undefined) return subj + T("explain.not-provided") + " → " + result;
            return subj + " = " + choice_text(in, static_cast<std::size_t>(c.v.to_int64())) + " → " + result;
        }
        std::string held, best;
        decimal most;
        if (s.index < f_.lists.size())
            for (const decimal& el : f_.lists[s.index]) {
                const auto i = static_cast<std::size_t>(el.to_int64());
                held += (held.empty() ? "" : ", ") + choice_text(in, i);
                if (i < x.nums.size() && (best.empty() || x.nums[i] > most)) {
                    most = x.nums[i];
                    best = choice_text(in, i);
                }
            }
        if (best.empty()) return T("explain.max-points-none", {{"subject", subj}, {"value", result}});
        return T("explain.max-points", {{"subject", subj}, {"held", held}, {"best", best}, {"value", result}});
    }

    RUBRIC_NOINLINE std::string describe_drop(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        const value& v = ev_.reg(p_.reg_of(e));
        const value& s = ev_.reg(p_.reg_of(x.args[0]));
        const std::string subj = describe(x.args[0]);
        const decimal base = base_of(x, 3);
        if (s.undefined) return subj + " → " + T("explain.undefined");  // one rule for undefined
        // Below a cohort level: the level, with how it was found, in place of the constant.
        decimal target = x.nums[2];
        std::string level_text = pct(target);
        if (x.args.size() > 1) {
            const value& l = ev_.reg(p_.reg_of(x.args[1]));
            if (l.undefined) return describe(x.args[1]) + " → " + T("explain.undefined");
            target = l.v;
            level_text = describe(x.args[1]);
        }
        if (s.v >= target) return subj + " ≥ " + (x.args.size() > 1 ? level_text : bound_text(x.args[0], target)) + " → " + num(base);
        return T("explain.drop", {{"subject", subj},
                                  {"gap", pct(target - s.v)},
                                  {"target", level_text},
                                  {"steps", num((target - s.v) / x.nums[1])},
                                  {"per", num(x.nums[0])},
                                  {"base", num(base)},
                                  {"value", num(v.v)}});
    }

    std::string short_name(expr_id e) const {
        const expr_node& x = t_.exprs[e];
        if (x.kind == expr_kind::name) return label_of(e);
        return describe(e);
    }

    std::string bound_text(expr_id subject, const decimal& b) const {
        return p_.rubric().types[subject].measure == unit::percent ? pct(b) : num(b);
    }

    decimal base_of(const expr_node& x, std::size_t at) const {
        if (x.has_base) return x.nums[at];
        return current_points_;
    }

    std::string node_text(node_id id) {
        const node& n = t_.nodes[id];
        const decimal& s = ev_.node_score(id);
        std::string pts = n.points ? points(*n.points) : "";
        std::string out = n.code + " " + n.name + " " + pts + " → " + points(s);
        if (!n.cases.empty()) out += T("explain.case", {{"by", attribute_shown(t_, id)}, {"case", case_of_unit(n)}});
        if (n.kind != node_kind::item) {
            if (n.kind == node_kind::bonus && n.points && ev_.raw_score(id) > *n.points)
                out += T("explain.bonus-capped", {{"raw", num(ev_.raw_score(id))}, {"points", num(*n.points)}});
            if (n.kind == node_kind::adjustments && ev_.raw_score(id) != s)
                out += T("explain.adjustments-capped",
                         {{"raw", num(ev_.raw_score(id))},
                          {"min", n.adjust_min ? num(*n.adjust_min) : std::string("-∞")},
                          {"max", n.adjust_max ? num(*n.adjust_max) : std::string("∞")}});
            return out + "\n";
        }
        current_points_ = n.points ? *n.points : decimal();
        out += "\n";
        // The rule in the rubric's own words (评分标准), then how the facts met it.
        if (!n.meta.standard.empty()) {
            // A rule of several lines ("1.…；\n\n2.…") keeps its lines, indented, without blank ones.
            std::string text;
            std::size_t at = 0;
            while (at <= n.meta.standard.size()) {
                std::size_t nl = n.meta.standard.find('\n', at);
                if (nl == std::string::npos) nl = n.meta.standard.size();
                std::string_view line = std::string_view(n.meta.standard).substr(at, nl - at);
                while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
                if (!line.empty()) text += (text.empty() ? "" : "\n    ") + std::string(line);
                at = nl + 1;
            }
            out += "  " + T("explain.standard", {{"text", text}}) + "\n";
        }
        const auto& plan = detail::internals(p_).nodes_[id];
        for (std::size_t i = 0; i < n.parts.size(); ++i) {
            const score_part& part = n.parts[i];
            const bool undef = ev_.undefined_parts()[plan.parts_begin + i] != 0;
            out += "  " + (part.label.empty() ? std::string() : part.label + ": ") + describe(part.expr);
            if (undef) out += T("explain.part-undefined");
            out += "\n";
        }
        const decimal& raw = ev_.raw_score(id);
        if (n.parts.size() > 1) out += "  " + T("explain.parts-sum", {{"sum", num(raw)}}) + "\n";
        if (raw != s)
            out += "  " + T("explain.clamped", {{"points", num(current_points_)}, {"raw", num(raw)}, {"score", num(s)}}) + "\n";
        return out;
    }

    // Section `by` an attribute: the case that applies to the unit, as the office reads it (the
    // choices' labels: applies.hpp, case_shown).
    std::string case_of_unit(const node& n) const {
        if (n.by_input >= f_.values.size() || f_.values[n.by_input].undefined) return {};
        const decimal& choice = f_.values[n.by_input].v;
        const auto id = static_cast<node_id>(&n - t_.nodes.data());
        for (std::uint32_t k = 0; k < n.cases.size(); ++k)
            for (const std::uint32_t o : n.cases[k].options)
                if (decimal(static_cast<std::int64_t>(o)) == choice) return case_shown(t_, id, k);
        return {};
    }

    std::string json_str(std::string_view s) const {
        std::string r;
        append_json_string(r, s);
        return r;
    }

    std::string exact_json(const decimal& d) const {
        return "{\"value\": " + json_str(d.round(t_.header.display_places, t_.header.display_rounding).to_string()) +
               ", \"exact\": " + json_str(d.to_fraction_string()) + "}";
    }

    std::string node_json(node_id id) {
        const node& n = t_.nodes[id];
        std::string out = "{\"code\": " + json_str(n.code) + ", \"name\": " + json_str(n.name) + ", \"kind\": " +
                          json_str(n.kind == node_kind::item          ? "item"
                                   : n.kind == node_kind::bonus       ? "bonus"
                                   : n.kind == node_kind::adjustments ? "adjustments"
                                                                      : "section");
        out += ", \"points\": " + json_str(n.points ? n.points->to_string() : "");
        out += ", \"score\": " + exact_json(ev_.node_score(id));
        if (!n.cases.empty()) out += ", \"by\": " + json_str(n.by) + ", \"case\": " + json_str(case_of_unit(n));
        if (n.kind == node_kind::item) {
            current_points_ = n.points ? *n.points : decimal();
            out += ", \"raw\": " + exact_json(ev_.raw_score(id));
            out += ", \"clamped\": " + std::string(ev_.raw_score(id) != ev_.node_score(id) ? "true" : "false");
            out += ", \"parts\": [";
            const auto& plan = detail::internals(p_).nodes_[id];
            for (std::size_t i = 0; i < n.parts.size(); ++i) {
                const score_part& part = n.parts[i];
                const value& v = ev_.reg(detail::internals(p_).part_regs_[plan.parts_begin + i]);
                out += (i ? ", " : "") + std::string("{\"label\": ") + json_str(part.label) +
                       ", \"undefined\": " + (v.undefined ? "true" : "false") + ", \"value\": " +
                       exact_json(v.undefined ? decimal() : v.v) + ", \"explanation\": " + json_str(describe(part.expr)) + "}";
            }
            out += "]";
            // facts used by this item
            out += ", \"facts\": {";
            bool first = true;
            for (auto idx : n.inputs) {
                const auto& in = t_.inputs[idx];
                const value& v = ev_.reg(p_.inputs()[idx].reg);
                out += (first ? "" : ", ") + json_str(in.name) + ": {\"value\": " +
                       json_str(v.undefined ? "" : v.v.to_fraction_string()) + ", \"provided\": " +
                       (f_.present[idx] ? "true" : "false") + "}";
                first = false;
            }
            out += "}";
        }
        return out + "}";
    }

    std::vector<node_id> order() const {
        std::vector<node_id> out;
        std::vector<node_id> stack(t_.roots.rbegin(), t_.roots.rend());
        while (!stack.empty()) {
            const node_id id = stack.back();
            stack.pop_back();
            // A member of a case that is not the unit's does not apply to it (applies.hpp): not listed.
            if (!applies(p_, f_, id)) continue;
            if (t_.nodes[id].kind != node_kind::task) out.push_back(id);
            for (auto it = t_.nodes[id].children.rbegin(); it != t_.nodes[id].children.rend(); ++it) stack.push_back(*it);
        }
        return out;
    }

private:
    const program& p_;
    const fact_set& f_;
    const evaluation& ev_;
    const ast& t_;
    lang l_;
    decimal current_points_;

public:
    const ast& tree() const { return t_; }

    // The grade, and each veto that fired with what it does; "" without a grade scale.
    std::string grade_text() const {
        const grade_result g = grade_of(p_, ev_);
        if (!g.graded) return {};
        std::string out;
        for (std::uint32_t v : g.vetoes) {
            const veto_rule& rule = t_.vetoes[v];
            out += (rule.cap.empty() ? T("explain.veto", {{"label", rule.label}})
                                     : T("explain.veto-cap", {{"label", rule.label}, {"cap", rule.cap}})) +
                   "\n";
        }
        const std::string& grade = grade_label(t_, g.grade);
        if (g.vetoed())
            return out + T("explain.grade-vetoed", {{"grade", grade}, {"earned", grade_label(t_, g.earned)},
                                                    {"score", shown(p_, ev_.grand_total())}}) + "\n";
        return out + T("explain.grade", {{"grade", grade}, {"score", shown(p_, ev_.grand_total())}}) + "\n";
    }

    // `, "grade": …, "grade_earned": …, "vetoes": [labels]`; "" without a grade scale.
    std::string grade_json() const {
        const grade_result g = grade_of(p_, ev_);
        if (!g.graded) return {};
        std::string out = ", \"grade\": " + json_str(grade_label(t_, g.grade)) +
                          ", \"grade_earned\": " + json_str(grade_label(t_, g.earned)) + ", \"vetoes\": [";
        for (std::size_t i = 0; i < g.vetoes.size(); ++i) out += (i ? ", " : "") + json_str(t_.vetoes[g.vetoes[i]].label);
        return out + "]";
    }
};

}  // namespace detail

RUBRIC_FUNC std::string explain_node_text(const program& p, const fact_set& facts, const evaluation& ev, node_id id) {
    return explain_node_text(p, facts, ev, id, lang::en);
}

RUBRIC_FUNC std::string explain_node_text(const program& p, const fact_set& facts, const evaluation& ev, node_id id,
                                          lang l) {
    detail::explainer x(p, facts, ev, l);
    return x.node_text(id);
}

RUBRIC_FUNC std::string explain_text(const program& p, const fact_set& facts, const evaluation& ev) {
    return explain_text(p, facts, ev, lang::en);
}

RUBRIC_FUNC std::string explain_text(const program& p, const fact_set& facts, const evaluation& ev, lang l) {
    detail::explainer x(p, facts, ev, l);
    std::string out = (facts.entity.empty() ? std::string() : facts.entity + (facts.display_name.empty() ? "" : " " + facts.display_name) + "\n");
    for (node_id id : x.order()) out += x.node_text(id);
    out += x.T("explain.total", {{"score", shown(p, ev.total())}}) + x.exact_beside(ev.total()) + "\n";
    bool has_bonus = false;
    for (node_id r : p.tree().roots) has_bonus = has_bonus || p.tree().nodes[r].kind == node_kind::bonus;
    if (has_bonus) out += x.T("explain.bonus", {{"score", shown(p, ev.bonus())}}) + x.exact_beside(ev.bonus()) + "\n";
    if (p.has_adjustments()) {
        out += x.T("explain.adjustments", {{"score", shown(p, ev.adjustments())}}) + x.exact_beside(ev.adjustments()) + "\n";
        out += x.T("explain.grand-total", {{"score", shown(p, ev.grand_total())}}) + x.exact_beside(ev.grand_total()) + "\n";
    }
    const auto& ws = p.tree().warnings;
    for (std::size_t i = 0; i < ws.size(); ++i)
        if (ev.warnings()[i]) out += x.T("explain.warning", {{"label", ws[i].label}}) + "\n";
    out += x.grade_text();
    return out;
}

RUBRIC_FUNC std::string explain_json(const program& p, const fact_set& facts, const evaluation& ev) {
    return explain_json(p, facts, ev, lang::en);
}

RUBRIC_FUNC std::string explain_json(const program& p, const fact_set& facts, const evaluation& ev, lang l) {
    detail::explainer x(p, facts, ev, l);
    std::string out = "{\"entity\": " + x.json_str(facts.entity) + ", \"total\": " + x.exact_json(ev.total()) +
                      ", \"bonus\": " + x.exact_json(ev.bonus()) +
                      (p.has_adjustments() ? ", \"adjustments\": " + x.exact_json(ev.adjustments()) +
                                                ", \"grand_total\": " + x.exact_json(ev.grand_total())
                                          : std::string()) +
                      ", \"nodes\": [";
    bool first = true;
    for (node_id id : x.order()) {
        out += (first ? "\n  " : ",\n  ") + x.node_json(id);
        first = false;
    }
    out += "\n]";
    // The rubric's warnings (预警) that apply; present only when the rubric declares any.
    const auto& ws = p.tree().warnings;
    if (!ws.empty()) {
        out += ", \"warnings\": [";
        bool any = false;
        for (std::size_t i = 0; i < ws.size(); ++i)
            if (ev.warnings()[i]) {
                out += (any ? ", " : "") + x.json_str(ws[i].label);
                any = true;
            }
        out += "]";
    }
    return out + x.grade_json() + "}\n";
}

}  // namespace rubric
