// Definitions for rubric/check.hpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "rubric/check.hpp"
#include "rubric/config.hpp"
#include "rubric/detail/edit_distance.hpp"
#include "rubric/detail/utf8.hpp"
#include "rubric/parse.hpp"

namespace rubric {

RUBRIC_FUNC const char* to_string(input_type t) noexcept {
    switch (t) {
        case input_type::boolean: return "bool";
        case input_type::count: return "count";
        case input_type::percent: return "percent";
        case input_type::number: return "decimal";
        case input_type::judged: return "judged";
        case input_type::choice: return "choice";
        case input_type::list: return "list";
    }
    return "?";
}

RUBRIC_FUNC const char* to_string(cmp_op op) noexcept {
    switch (op) {
        case cmp_op::ge: return ">=";
        case cmp_op::gt: return ">";
        case cmp_op::le: return "<=";
        case cmp_op::lt: return "<";
        case cmp_op::eq: return "==";
        case cmp_op::ne: return "!=";
    }
    return "?";
}

RUBRIC_FUNC bool compare(const decimal& a, cmp_op op, const decimal& b) noexcept {
    switch (op) {
        case cmp_op::ge: return a >= b;
        case cmp_op::gt: return a > b;
        case cmp_op::le: return a <= b;
        case cmp_op::lt: return a < b;
        case cmp_op::eq: return a == b;
        case cmp_op::ne: return a != b;
    }
    return false;
}

RUBRIC_FUNC node_id find_node(const ast& tree, std::string_view code) {
    for (std::size_t i = 0; i < tree.nodes.size(); ++i)
        if (tree.nodes[i].code == code) return static_cast<node_id>(i);
    return no_id;
}

namespace detail {

inline std::string fmt_dec(const decimal& d) { return d.to_string(); }

inline std::string fmt_interval(const interval& r) {
    return "[" + (r.lo ? r.lo->to_string() : std::string("-∞")) + ", " +
           (r.hi ? r.hi->to_string() : std::string("∞")) + "]";
}

// --- interval arithmetic (absent bound = unbounded) ---------------------------

inline interval iv_add(const interval& a, const interval& b) {
    interval r;
    if (a.lo && b.lo) r.lo = *a.lo + *b.lo;
    if (a.hi && b.hi) r.hi = *a.hi + *b.hi;
    return r;
}
inline interval iv_neg(const interval& a) {
    interval r;
    if (a.hi) r.lo = -*a.hi;
    if (a.lo) r.hi = -*a.lo;
    return r;
}
inline interval iv_sub(const interval& a, const interval& b) { return iv_add(a, iv_neg(b)); }
inline interval iv_mul(const interval& a, const interval& b) {
    if (!a.lo || !a.hi || !b.lo || !b.hi) {
        // Non-negative times non-negative keeps a lower bound of 0 even when unbounded above.
        if (a.lo && b.lo && *a.lo >= decimal(0) && *b.lo >= decimal(0)) return interval{*a.lo * *b.lo, std::nullopt};
        return {};
    }
    const decimal c[4] = {*a.lo * *b.lo, *a.lo * *b.hi, *a.hi * *b.lo, *a.hi * *b.hi};
    return interval{*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
}
inline interval iv_div(const interval& a, const interval& b) {
    if (!b.lo || !b.hi || (*b.lo <= decimal(0) && *b.hi >= decimal(0))) return {};
    const interval inv{decimal(1) / *b.hi, decimal(1) / *b.lo};
    return iv_mul(a, inv);
}
inline interval iv_union(const interval& a, const interval& b) {
    interval r;
    if (a.lo && b.lo) r.lo = min(*a.lo, *b.lo);
    if (a.hi && b.hi) r.hi = max(*a.hi, *b.hi);
    return r;
}
inline interval iv_min(const interval& a, const interval& b) {
    interval r;
    if (a.lo && b.lo) r.lo = min(*a.lo, *b.lo);
    if (a.hi && b.hi) r.hi = min(*a.hi, *b.hi);
    else r.hi = a.hi ? a.hi : b.hi;
    return r;
}
inline interval iv_max(const interval& a, const interval& b) {
    interval r;
    if (a.hi && b.hi) r.hi = max(*a.hi, *b.hi);
    if (a.lo && b.lo) r.lo = max(*a.lo, *b.lo);
    else r.lo = a.lo ? a.lo : b.lo;
    return r;
}
inline interval iv_clamp(const interval& a, const decimal& lo, const decimal& hi) {
    return iv_min(iv_max(a, interval::point(lo)), interval::point(hi));
}

const std::vector<std::string>& known_functions();

struct function_sig {
    const char* name;
    std::size_t min_args, max_args;
};
inline const function_sig* find_function(std::string_view name) {
    static const function_sig sigs[] = {
        {"min", 2, 16}, {"max", 2, 16}, {"clamp", 3, 3}, {"round", 1, 2}, {"round_even", 1, 2},
        {"floor", 1, 1}, {"ceil", 1, 1},  {"abs", 1, 1},   {"reach", 2, 2},
        // Cohort aggregates: the value over the units evaluated together (within their group).
        {"cohort_mean", 1, 1}, {"cohort_min", 1, 1}, {"cohort_max", 1, 1}, {"cohort_count", 1, 1},
    };
    for (const auto& s : sigs)
        if (name == s.name) return &s;
    return nullptr;
}

class checker {
public:
    checker(ast& t, diagnostics& d) : t_(t), d_(d) {}

    void run(checked_rubric& out) {
        const std::size_t ne = t_.exprs.size();
        out.symbols.assign(ne, {});
        out.types.assign(ne, {});
        out.ranges.assign(ne, {});
        syms_ = &out.symbols;
        types_ = &out.types;
        ranges_ = &out.ranges;
        used_.assign(t_.inputs.size(), false);

        assign_codes();
        declare_names();
        check_inputs();
        check_cases();
        resolve_subjects();
        // expressions created above got entries too
        syms_->resize(t_.exprs.size());
        types_->resize(t_.exprs.size());
        ranges_->resize(t_.exprs.size());
        check_lets(out);
        check_ratios();
        check_nodes(out);
        check_warnings();
        check_grades();
        check_tests();
        check_score_refs();
        check_unused();
        if (!has_errors(d_)) note_undefined_parts();
        out.input_used = used_;
    }

private:
    ast& t_;
    diagnostics& d_;
    std::vector<symbol>* syms_ = nullptr;
    std::vector<value_type>* types_ = nullptr;
    std::vector<interval>* ranges_ = nullptr;
    std::unordered_map<std::string, symbol> names_;
    std::vector<bool> used_;
    std::vector<bool> ratio_used_;
    std::vector<bool> let_used_, let_bad_;
    std::vector<expr_id> score_refs_;  // score(CODE) expressions typed (type_score_ref)
    mutable std::vector<std::uint32_t> let_stamp_;  // find_cohort_form(): the lets it has walked, by call
    mutable std::uint32_t let_stamp_now_ = 0;
    // Where a name is read from, for the scope of a section's `let`: the item being checked, or
    // the section of the let or ratio being checked; no_id at the top (warnings, vetoes, tests).
    node_id let_scope_ = no_id;
    // count_where variables in scope while typing their condition
    std::vector<std::pair<std::string, expr_id>> loop_vars_;
    node_id current_item_ = no_id;
    std::vector<expr_id> cohort_forms_;  // in the order typed
    std::unordered_map<expr_id, std::uint32_t> cohort_stage_;  // per cohort form ranking a score(…): its stage
    // Inputs whose declaration has an error, and whether the item being checked reads one: the
    // range analysis of such an item works from a broken range and would only send the reader
    // after problems that go away with the error.
    std::vector<bool> input_bad_;
    bool item_reads_bad_input_ = false;

public:
    const std::vector<expr_id>& cohort_forms() const noexcept { return cohort_forms_; }
    // The measuring pass in which form f is worked out (0: the first; order_cohort_stages()).
    std::uint32_t cohort_stage(expr_id f) const {
        const auto it = cohort_stage_.find(f);
        return it == cohort_stage_.end() ? 0 : it->second;
    }

private:
    // The texts are catalog messages (messages.hpp): localize(id, {{name, value}…}).
    void report(severity s, const span& w, std::string code, localized msg, localized expected = {}) {
        d_.push_back(make_diagnostic(s, t_.source, w, std::move(code), std::move(msg), std::move(expected)));
    }
    void error(const span& w, std::string code, localized msg, localized expected = {}) {
        report(severity::error, w, std::move(code), std::move(msg), std::move(expected));
    }
    void warning(const span& w, std::string code, localized msg, localized expected = {}) {
        report(severity::warning, w, std::move(code), std::move(msg), std::move(expected));
    }

    static localized kind_word(node_kind k) {
        switch (k) {
            case node_kind::section: return localize("word.section");
            case node_kind::item: return localize("word.item");
            case node_kind::bonus: return localize("word.bonus");
            case node_kind::task: return localize("word.task");
            case node_kind::adjustments: return localize("word.adjustments");
        }
        return localize("word.node");
    }

    // --- codes ---------------------------------------------------------------

    void assign_codes() {
        // Derived codes follow document order: the i-th child of "1.2" is "1.2.i".
        // Work with an explicit stack: nesting depth is bounded by the parser, but
        // no pass over the tree recurses anyway.
        std::vector<std::pair<node_id, std::string>> stack;
        for (std::size_t i = t_.roots.size(); i-- > 0;) stack.push_back({t_.roots[i], std::to_string(i + 1)});
        std::map<std::string, node_id> seen;
        while (!stack.empty()) {
            auto [id, derived] = stack.back();
            stack.pop_back();
            node& n = t_.nodes[id];
            if (!n.code_explicit) n.code = derived;
            else if (n.parent != no_id) {
                const std::string& pc = t_.nodes[n.parent].code;
                if (n.code.rfind(pc + ".", 0) != 0)
                    warning(n.code_span, "W-code-parent",
                            localize("check.code-parent", {{"code", n.code}, {"parent", pc}}),
                            literal(pc + "." + derived.substr(derived.rfind('.') + 1)));
            }
            auto [it, fresh] = seen.emplace(n.code, id);
            if (!fresh)
                error(n.code_explicit ? n.code_span : n.where, "E-duplicate-code",
                      localize("check.duplicate-code",
                               {{"code", n.code},
                                {"kind", kind_word(t_.nodes[it->second].kind)},
                                {"name", t_.nodes[it->second].name},
                                {"line", std::to_string(t_.nodes[it->second].where.begin.line)}}));
            for (std::size_t i = n.children.size(); i-- > 0;)
                stack.push_back({n.children[i], n.code + "." + std::to_string(i + 1)});
        }
    }

    // --- names ---------------------------------------------------------------

    void declare(const std::string& name, const span& w, symbol s) {
        auto [it, fresh] = names_.emplace(name, s);
        if (!fresh) {
            const span& first = it->second.kind == symbol::kind_t::input   ? t_.inputs[it->second.index].where
                                : it->second.kind == symbol::kind_t::named ? t_.lets[it->second.index].where
                                                                           : t_.ratios[it->second.index].where;
            error(w, "E-duplicate-name",
                  localize("check.duplicate-name", {{"name", name}, {"line", std::to_string(first.begin.line)}}));
        }
    }

    void declare_names() {
        for (std::uint32_t i = 0; i < t_.inputs.size(); ++i)
            declare(t_.inputs[i].name, t_.inputs[i].where, {symbol::kind_t::input, i});
        for (std::uint32_t i = 0; i < t_.ratios.size(); ++i)
            declare(t_.ratios[i].name, t_.ratios[i].where, {symbol::kind_t::ratio, i});
        ratio_used_.assign(t_.ratios.size(), false);
        // Named values: one name, one meaning. A let inside a section that takes the name of one
        // it could read (the rubric's, an enclosing section's) is said to hide it.
        for (std::uint32_t i = 0; i < t_.lets.size(); ++i) {
            const let_decl& l = t_.lets[i];
            const auto it = names_.find(l.name);
            if (it != names_.end() && it->second.kind == symbol::kind_t::named) {
                const let_decl& other = t_.lets[it->second.index];
                if (let_visible(other, l.owner) || let_visible(l, other.owner)) {
                    error(l.where, "E-let-shadow",
                          localize("check.let-shadow", {{"name", l.name}, {"line", std::to_string(other.where.begin.line)}}),
                          localize("check.let-shadow.expected"));
                    continue;
                }
            }
            declare(l.name, l.where, {symbol::kind_t::named, i});
        }
        let_used_.assign(t_.lets.size(), false);
        let_bad_.assign(t_.lets.size(), false);
    }

    // A let of a section is read only inside it: from the section itself or a node below it.
    bool let_visible(const let_decl& l, node_id from) const {
        if (l.owner == no_id) return true;
        for (node_id n = from; n != no_id; n = t_.nodes[n].parent)
            if (n == l.owner) return true;
        return false;
    }


    // "Did you mean": the nearest name at most 2 edits away. Bounded: each comparison costs
    // O(length) (edit_distance above), and past a total budget of characters compared (a
    // rubric with thousands of unknown names among thousands of names) no more hints are given.
    std::string suggestion(const std::string& name) const {
        std::string best;
        std::size_t best_d = 3;
        if (suggestion_work_ > 20000000) return best;
        suggestion_work_ += (names_.size() + loop_vars_.size()) * (name.size() + 8);
        for (const auto& [n, s] : names_) {
            const std::size_t d = edit_distance(name, n, 2);
            if (d < best_d || (d == best_d && !best.empty() && n < best)) {
                best_d = d;
                best = n;
            }
        }
        for (const auto& [n, e] : loop_vars_)
            if (edit_distance(name, n, 2) < best_d) best = n;
        return best;
    }
    mutable std::size_t suggestion_work_ = 0;

    void check_inputs() {
        input_bad_.assign(t_.inputs.size(), false);
        for (auto& in : t_.inputs) {
            const std::size_t errors_before = d_.size();
            const bool numeric_range = in.type == input_type::count || in.type == input_type::number ||
                                       in.type == input_type::judged || in.type == input_type::percent ||
                                       in.type == input_type::list;
            if ((in.lo || in.hi) && !numeric_range)
                error(in.where, "E-input-range", localize("check.input-no-range", {{"type", to_string(in.type)}}));
            if (in.type == input_type::judged && !in.hi)
                error(in.where, "E-judged-range", localize("check.judged-range"), localize("check.judged-range.expected"));
            if (in.lo && in.hi && *in.lo > *in.hi)
                error(in.where, "E-input-range",
                      localize("check.input-range-empty",
                               {{"name", in.name}, {"low", in.lo->to_string()}, {"high", in.hi->to_string()}}));
            if (in.type == input_type::count && ((in.lo && !in.lo->is_integer()) || (in.hi && !in.hi->is_integer())))
                error(in.where, "E-input-range", localize("check.count-range-whole"));
            if (in.type == input_type::percent && in.hi && *in.hi > decimal(1))
                error(in.where, "E-input-range",
                      localize("check.percent-range", {{"high", in.hi_text.empty() ? in.hi->to_string() : in.hi_text}}));
            if (in.type == input_type::choice) {
                std::set<std::string> words;
                for (const auto& w : in.choices)
                    if (!words.insert(w).second)
                        error(in.where, "E-choice-duplicate", localize("check.choice-duplicate", {{"word", w}}));
            }
            input_bad_[static_cast<std::size_t>(&in - t_.inputs.data())] = d_.size() > errors_before;
        }
    }

    // --- parts that apply to some units (section … by ATTRIBUTE { case … }) ----

    // The attribute is a choice input given for every unit; each case names choices of it, none
    // twice, and every choice has a case: so every unit has exactly one case (a unit without the
    // attribute is a facts error: compile.inl makes it required).
    void check_cases() {
        for (node& n : t_.nodes) {
            if (n.by.empty()) {
                for (const node_case& k : n.cases)
                    error(k.where, "E-case", localize("check.case-without-by", {{"name", n.name}}),
                          localize("check.case-without-by.expected"));
                continue;
            }
            if (n.cases.empty()) {
                error(n.by_span, "E-case", localize("check.by-no-case", {{"name", n.by}}), localize("check.by-no-case.expected"));
                continue;
            }
            for (node_id c : n.children)
                if (t_.nodes[c].case_index == no_id)
                    error(t_.nodes[c].where, "E-case", localize("check.case-outside", {{"name", t_.nodes[c].name}, {"by", n.by}}));
            const auto it = names_.find(n.by);
            if (it == names_.end() || it->second.kind != symbol::kind_t::input ||
                t_.inputs[it->second.index].type != input_type::choice) {
                error(n.by_span, "E-type", localize("check.by-not-choice", {{"name", n.by}}), localize("check.by-not-choice.expected"));
                continue;
            }
            n.by_input = it->second.index;
            used_[n.by_input] = true;
            input_decl& in = t_.inputs[n.by_input];
            if (in.missing == missing_policy::zero || in.missing == missing_policy::value)
                error(in.where, "E-case", localize("check.by-missing", {{"name", in.name}}), localize("check.by-missing.expected"));
            std::vector<std::uint32_t> case_of(in.choices.size(), no_id);
            for (std::uint32_t ki = 0; ki < n.cases.size(); ++ki) {
                node_case& k = n.cases[ki];
                k.options.clear();
                for (std::size_t wi = 0; wi < k.words.size(); ++wi) {
                    auto at = static_cast<std::size_t>(std::find(in.choices.begin(), in.choices.end(), k.words[wi]) -
                                                       in.choices.begin());
                    if (at == in.choices.size()) at = label_index(in, k.words[wi]);  // a label names its word
                    if (at == no_index) {
                        std::string all;
                        for (const auto& w : in.choices) all += (all.empty() ? "" : ", ") + w;
                        error(k.word_spans[wi], "E-choice", localize("check.choice-word", {{"word", k.words[wi]}, {"name", in.name}}),
                              localize("check.choice-word.expected", {{"choices", all}}));
                        continue;
                    }
                    if (case_of[at] != no_id) {
                        error(k.word_spans[wi], "E-case",
                              localize("check.case-twice", {{"word", k.words[wi]},
                                                            {"line", std::to_string(n.cases[case_of[at]].where.begin.line)}}));
                        continue;
                    }
                    case_of[at] = ki;
                    k.options.push_back(static_cast<std::uint32_t>(at));
                }
            }
            std::string uncovered;
            for (std::size_t i = 0; i < case_of.size(); ++i)
                if (case_of[i] == no_id) uncovered += (uncovered.empty() ? "" : ", ") + in.choices[i];
            if (!uncovered.empty())
                error(n.by_span, "E-case", localize("check.case-missing", {{"name", in.name}, {"choices", uncovered}}),
                      localize("check.case-missing.expected"));
        }
    }

    // How a case is named in messages: its words as written.
    static std::string case_name(const node_case& k) {
        std::string s;
        for (const auto& w : k.words) s += (s.empty() ? "" : ", ") + w;
        return s;
    }

    // --- implicit subjects ---------------------------------------------------

    expr_id synth_name(const std::string& name, const span& w) {
        expr_node e;
        e.kind = expr_kind::name;
        e.text = name;
        e.where = w;
        t_.exprs.push_back(std::move(e));
        return static_cast<expr_id>(t_.exprs.size() - 1);
    }

    // Forms written without a subject (`each 0.5 max 1`, `tier >=90%:3`) apply to
    // the item's subject: its `subject` clause; otherwise, for `each`, the bool
    // inputs declared in the item, and for `tier`/`drop`, the one ratio (or the one
    // numeric input) declared in it.
    void resolve_subjects() {
        std::vector<std::pair<expr_id, node_id>> work;
        for (node_id id = 0; id < t_.nodes.size(); ++id) {
            for (const auto& p : t_.nodes[id].parts) work.push_back({p.expr, id});
        }
        std::vector<expr_id> stack;
        for (const auto& [root, item] : work) {
            stack.push_back(root);
            while (!stack.empty()) {
                const expr_id e = stack.back();
                stack.pop_back();
                if (e == no_id) continue;
                {
                    expr_node& x = t_.exprs[e];
                    const bool has_subject_slot =
                        x.kind == expr_kind::each || x.kind == expr_kind::tier || x.kind == expr_kind::drop;
                    if (has_subject_slot && x.args[0] == no_id) {
                        // A copy: implicit_subject() appends to t_.exprs, which moves `x`.
                        const span where = x.where;
                        const expr_id s = implicit_subject(x.kind, item, where);
                        t_.exprs[e].args[0] = s;
                    }
                }
                const expr_node& x = t_.exprs[e];
                for (expr_id a : x.args) stack.push_back(a);
                for (const auto& term : x.terms) stack.push_back(term.count);
            }
        }
    }

    expr_id implicit_subject(expr_kind k, node_id item, const span& w) {
        const node& n = t_.nodes[item];
        if (n.subject != no_id) return n.subject;
        const char* form = k == expr_kind::each ? "each" : k == expr_kind::tier ? "tier" : "drop";
        if (k == expr_kind::each) {
            std::vector<expr_id> items;
            for (auto i : n.inputs)
                if (t_.inputs[i].type == input_type::boolean) items.push_back(synth_name(t_.inputs[i].name, w));
            if (items.empty()) {
                error(w, "E-no-subject", localize("check.each-no-subject"), localize("check.each-no-subject.expected"));
                return no_id;
            }
            expr_node list;
            list.kind = expr_kind::list;
            list.where = w;
            list.args = std::move(items);
            t_.exprs.push_back(std::move(list));
            return static_cast<expr_id>(t_.exprs.size() - 1);
        }
        if (n.ratios.size() == 1) return synth_name(t_.ratios[n.ratios[0]].name, w);
        std::vector<std::uint32_t> numeric;
        for (auto i : n.inputs)
            if (t_.inputs[i].type != input_type::boolean && t_.inputs[i].type != input_type::choice &&
                t_.inputs[i].type != input_type::list)
                numeric.push_back(i);
        if (n.ratios.empty() && numeric.size() == 1) return synth_name(t_.inputs[numeric[0]].name, w);
        error(w, "E-no-subject", localize("check.form-no-subject", {{"form", form}}),
              localize("check.form-no-subject.expected", {{"form", form}}));
        return no_id;
    }

    // --- expressions: names, types, ranges ------------------------------------

    value_type num(unit u = unit::plain) { return value_type{value_kind::number, u, no_id}; }
    value_type boolean() { return value_type{value_kind::boolean, unit::plain, no_id}; }

    static interval bool_range() { return interval::of(decimal(0), decimal(1)); }

    // The values an input can hold when a unit is scored: its declared range, and the value
    // a missing fact takes (fill_missing_facts): 0 under `missing zero`, the declared default
    // under `missing value`. A missing fact is not an error under those policies, so a judged
    // 0.5..5 input that is not given scores as 0, and the ranges must say so (else the checker
    // would claim "always 0.5" of a rule that scores 0 for such a unit).
    interval input_range(const input_decl& in) const {
        interval r = declared_range(in);
        if (in.type == input_type::boolean || in.type == input_type::choice || in.type == input_type::list) return r;
        const missing_policy policy = in.missing == missing_policy::inherit ? t_.header.missing : in.missing;
        if (policy == missing_policy::zero) return iv_union(r, interval::point(decimal(0)));
        if (policy == missing_policy::value)
            return iv_union(r, interval::point(in.missing == missing_policy::inherit ? t_.header.missing_value : in.missing_value));
        return r;
    }

    static interval declared_range(const input_decl& in) {
        switch (in.type) {
            case input_type::boolean: return bool_range();
            case input_type::count: return interval{in.lo ? in.lo : decimal(0), in.hi};
            case input_type::percent:
                return interval{in.lo ? *in.lo : decimal(0), in.hi ? *in.hi : decimal(1)};
            case input_type::judged:
            case input_type::number: return interval{in.lo, in.hi};
            default: return {};
        }
    }

    static unit input_unit(input_type t) {
        return t == input_type::count ? unit::count : t == input_type::percent ? unit::percent : unit::plain;
    }

    // `what` is the catalog id of the place, e.g. "what.score" ("a score").
    bool expect_bool(expr_id e, const char* what) {
        const value_type& t = (*types_)[e];
        if (t.kind == value_kind::boolean || t.kind == value_kind::invalid) return true;
        error(t_.exprs[e].where, "E-type", localize("check.must-be-condition", {{"what", localize(what)}, {"actual", describe(t)}}),
              localize("check.must-be-condition.expected"));
        return false;
    }
    bool expect_number(expr_id e, const char* what) {
        const value_type& t = (*types_)[e];
        if (t.kind == value_kind::number || t.kind == value_kind::invalid) return true;
        localized hint;
        if (t.kind == value_kind::boolean) hint = localize("check.must-be-number.expected");
        error(t_.exprs[e].where, "E-type", localize("check.must-be-number", {{"what", localize(what)}, {"actual", describe(t)}}),
              std::move(hint));
        return false;
    }

    localized describe(const value_type& t) const {
        switch (t.kind) {
            case value_kind::boolean: return localize("type.condition");
            case value_kind::number:
                return localize(t.measure == unit::count ? "type.count" : t.measure == unit::percent ? "type.percent" : "type.number");
            case value_kind::choice: return localize("type.choice");
            case value_kind::list: return localize("type.list");
            case value_kind::string: return localize("type.text");
            default: return localize("type.invalid");
        }
    }

    // Types and ranges of one expression tree, bottom-up, without recursion:
    // visit in post-order with an explicit stack.
    void type_expr(expr_id root) {
        if (root == no_id) return;
        struct frame {
            expr_id e;
            bool expanded;
        };
        std::vector<frame> stack{{root, false}};
        while (!stack.empty()) {
            frame f = stack.back();
            stack.pop_back();
            if (f.e == no_id) continue;
            const expr_node& x = t_.exprs[f.e];
            if (!f.expanded) {
                stack.push_back({f.e, true});
                if (x.kind == expr_kind::count_where) {
                    // the list first; the condition is typed with the variable in scope (see below)
                    stack.push_back({x.args[0], false});
                    continue;
                }
                for (std::size_t i = x.args.size(); i-- > 0;) stack.push_back({x.args[i], false});
                for (std::size_t i = x.terms.size(); i-- > 0;) stack.push_back({x.terms[i].count, false});
                continue;
            }
            if (x.kind == expr_kind::count_where) {
                loop_vars_.push_back({x.text, f.e});
                type_expr(x.args[1]);  // bounded: the parser limits nesting of forms
                loop_vars_.pop_back();
            }
            type_one(f.e);
            bound_range(f.e);
        }
    }

    // Range analysis computes exact bounds, and exact bounds grow: a product of a 40-digit
    // fact with itself a thousand times has a 40,000-digit bound, and each step costs the
    // square of its size. A bound with more than range_bits bits in its numerator or its
    // denominator (about 1,233 digits) is given up, the expression's range unknown on that
    // side, so every step of the analysis costs at most a fixed amount. Noted once.
    static constexpr std::uint64_t range_bits = 4096;
    static bool too_big(const std::optional<decimal>& d) noexcept {
        return d && (d->numerator_bits() > range_bits || d->denominator_bits() > range_bits);
    }
    void bound_range(expr_id id) {
        interval& r = (*ranges_)[id];
        const bool lo = too_big(r.lo), hi = too_big(r.hi);
        if (!lo && !hi) return;
        if (lo) r.lo.reset();
        if (hi) r.hi.reset();
        if (range_given_up_) return;
        range_given_up_ = true;
        report(severity::note, t_.exprs[id].where, "N-range-unknown", localize("check.range-given-up"));
    }
    bool range_given_up_ = false;

    void type_one(expr_id id) {
        expr_node& x = t_.exprs[id];
        value_type& ty = (*types_)[id];
        interval& r = (*ranges_)[id];
        auto T = [&](std::size_t i) -> const value_type& { return (*types_)[x.args[i]]; };
        auto R = [&](std::size_t i) -> const interval& { return (*ranges_)[x.args[i]]; };
        switch (x.kind) {
            case expr_kind::number:
                ty = num(x.percent ? unit::percent : unit::plain);
                r = interval::point(x.nums[0]);
                return;
            case expr_kind::boolean:
                ty = boolean();
                r = interval::point(x.nums[0]);
                return;
            case expr_kind::string:
                ty = value_type{value_kind::string, unit::plain, no_id};
                return;
            case expr_kind::name: return type_name(id);
            case expr_kind::neg:
                warn_penalty_sign(x.args[0]);
                if (expect_number(x.args[0], "what.neg-operand")) {
                    ty = num(T(0).measure);
                    r = iv_neg(R(0));
                }
                return;
            case expr_kind::not_:
                expect_bool(x.args[0], "what.not-operand");
                ty = boolean();
                r = bool_range();
                return;
            case expr_kind::and_:
            case expr_kind::or_:
                expect_bool(x.args[0], x.kind == expr_kind::and_ ? "what.and-side" : "what.or-side");
                expect_bool(x.args[1], x.kind == expr_kind::and_ ? "what.and-side" : "what.or-side");
                ty = boolean();
                r = bool_range();
                return;
            case expr_kind::add:
            case expr_kind::sub:
            case expr_kind::mul:
            case expr_kind::div: {
                const char* what = x.kind == expr_kind::add   ? "what.add-side"
                                   : x.kind == expr_kind::sub ? "what.sub-side"
                                   : x.kind == expr_kind::mul ? "what.mul-side"
                                                              : "what.div-side";
                if (x.kind == expr_kind::sub) warn_penalty_sign(x.args[1]);
                const bool a = expect_number(x.args[0], what);
                const bool b = expect_number(x.args[1], what);
                if (!a || !b) return;
                unit u = unit::plain;
                if ((x.kind == expr_kind::add || x.kind == expr_kind::sub) && T(0).measure == T(1).measure)
                    u = T(0).measure;
                ty = num(u);
                if (x.kind == expr_kind::add) r = iv_add(R(0), R(1));
                else if (x.kind == expr_kind::sub) r = iv_sub(R(0), R(1));
                else if (x.kind == expr_kind::mul) r = iv_mul(R(0), R(1));
                else {
                    const expr_node& rhs = t_.exprs[x.args[1]];
                    if (rhs.kind == expr_kind::number && rhs.nums[0].is_zero())
                        error(rhs.where, "E-div-zero", localize("check.division-by-zero"));
                    r = iv_div(R(0), R(1));
                }
                return;
            }
            case expr_kind::compare: return type_compare(id);
            case expr_kind::if_: {
                interval acc;
                bool first = true;
                bool numeric = false, boolish = false;
                for (std::size_t i = 0; i + 1 < x.args.size(); i += 2) {
                    expect_bool(x.args[i], "what.if-condition");
                    const value_type& bt = T(i + 1);
                    if (bt.kind == value_kind::boolean) boolish = true;
                    else if (expect_number(x.args[i + 1], "what.then-result")) numeric = true;
                    acc = first ? R(i + 1) : iv_union(acc, R(i + 1));
                    first = false;
                }
                if (x.has_else) {
                    if (T(x.args.size() - 1).kind == value_kind::boolean) boolish = true;
                    else if (expect_number(x.args.back(), "what.else-result")) numeric = true;
                    acc = iv_union(acc, R(x.args.size() - 1));
                } else {
                    acc = iv_union(acc, interval::point(decimal(0)));
                }
                if (boolish && numeric)
                    error(x.where, "E-type", localize("check.if-mixed"));
                ty = boolish && !numeric ? boolean() : num();
                r = acc;
                return;
            }
            case expr_kind::call: return type_call(id);
            case expr_kind::list:
                // A list literal: conditions (for each/count) or numbers (a test's list value).
                ty = value_type{value_kind::list, unit::plain, no_id};
                return;
            case expr_kind::each: {
                if (x.args[0] == no_id) return;
                const expr_node& s = t_.exprs[x.args[0]];
                interval count;
                if (s.kind == expr_kind::list) {
                    for (expr_id c : s.args) expect_bool(c, "what.each-member");
                    count = interval::of(decimal(0), decimal(static_cast<std::int64_t>(s.args.size())));
                } else {
                    if (!expect_number(x.args[0], "what.each-subject")) return;
                    if (T(0).measure == unit::percent)
                        warning(s.where, "W-each-percent", localize("check.each-percent"));
                    count = R(0);
                }
                r = iv_mul(interval::point(x.nums[0]), count);
                if (x.has_cap) r = iv_min(r, interval::point(x.nums[1]));
                ty = num();
                if (x.has_cap && s.kind == expr_kind::list) {
                    const decimal all = x.nums[0] * decimal(static_cast<std::int64_t>(s.args.size()));
                    if (all < x.nums[1])
                        warning(x.where, "W-cap-unreachable",
                                localize("check.cap-unreachable", {{"cap", x.nums[1].to_string()},
                                                                   {"count", std::to_string(s.args.size())},
                                                                   {"each", x.nums[0].to_string()},
                                                                   {"all", all.to_string()}}));
                }
                return;
            }
            case expr_kind::count: {
                const expr_node& s = t_.exprs[x.args[0]];
                for (expr_id c : s.args) expect_bool(c, "what.count-member");
                ty = num(unit::count);
                r = interval::of(decimal(0), decimal(static_cast<std::int64_t>(s.args.size())));
                return;
            }
            case expr_kind::count_where: {
                const value_type& lt = T(0);
                if (lt.kind != value_kind::list && lt.kind != value_kind::invalid)
                    error(t_.exprs[x.args[0]].where, "E-type", localize("check.count-in-list", {{"actual", describe(lt)}}));
                expect_bool(x.args[1], "what.where-condition");
                ty = num(unit::count);
                r = interval{decimal(0), std::nullopt};
                return;
            }
            case expr_kind::checklist: {
                decimal lo(0), hi(0);
                for (std::size_t i = 0; i < x.args.size(); ++i) {
                    expect_bool(x.args[i], "what.checklist-entry");
                    if (x.nums[i].sign() < 0) lo += x.nums[i];
                    else hi += x.nums[i];
                }
                ty = num();
                r = interval::of(lo, hi);
                return;
            }
            case expr_kind::tier: return type_tier(id);
            case expr_kind::rank: return type_rank(id);
            case expr_kind::points:
            case expr_kind::max_points: return type_points(id);
            case expr_kind::deduct:
            case expr_kind::penalty: {
                interval sum = interval::point(decimal(0));
                for (const auto& term : x.terms) {
                    if (!expect_number(term.count, "what.per-count")) continue;
                    if (term.per.sign() < 0)
                        error(x.where, "E-deduct-negative", localize("check.deduct-negative"));
                    sum = iv_add(sum, iv_mul(interval::point(term.per), (*ranges_)[term.count]));
                }
                if (x.has_cap) sum = iv_min(sum, interval::point(x.nums[0]));
                ty = num();
                if (x.kind == expr_kind::penalty) {
                    r = iv_neg(sum);
                } else {
                    const decimal base = deduct_base(x);
                    r = iv_max(iv_sub(interval::point(base), sum), interval::point(decimal(0)));
                    if (x.has_cap && x.nums[0] > base)
                        warning(x.where, "W-deduct-cap",
                                localize("check.deduct-cap", {{"cap", x.nums[0].to_string()}, {"base", base.to_string()}}));
                }
                return;
            }
            case expr_kind::drop: {
                if (x.args[0] != no_id) expect_number(x.args[0], "what.drop-subject");
                if (x.args.size() > 1) {
                    // A level read from the cohort: an aggregate (cohort_mean …), in the subject's unit.
                    const expr_node& level = t_.exprs[x.args[1]];
                    if (level.kind != expr_kind::call || level.text.rfind("cohort_", 0) != 0 || level.text == "cohort_count")
                        error(level.where, "E-drop-level", localize("check.drop-level"), localize("check.drop-level.expected"));
                    else if (x.args[0] != no_id && expect_number(x.args[1], "what.drop-level") &&
                             (*types_)[x.args[0]].kind == value_kind::number &&
                             (*types_)[x.args[0]].measure != (*types_)[x.args[1]].measure)
                        error(level.where, "E-type", localize("check.drop-level-unit",
                                                              {{"subject", describe((*types_)[x.args[0]])},
                                                               {"level", describe((*types_)[x.args[1]])}}));
                }
                if (x.nums[1].sign() <= 0) error(x.where, "E-drop-step", localize("check.drop-step"));
                ty = num();
                const decimal base = deduct_base(x);
                r = interval::of(decimal(0), base);
                return;
            }
        }
    }

    // `penalty` is already negative: subtracting it would add points.
    void warn_penalty_sign(expr_id e) {
        if (e != no_id && t_.exprs[e].kind == expr_kind::penalty)
            warning(t_.exprs[e].where, "W-penalty-sign", localize("check.penalty-sign"),
                    localize("check.penalty-sign.expected"));
    }

    decimal deduct_base(const expr_node& x) const {
        const std::size_t at = x.kind == expr_kind::drop ? 3 : 1;
        if (x.has_base) return x.nums[at];
        if (current_item_ != no_id && t_.nodes[current_item_].points) return *t_.nodes[current_item_].points;
        return decimal(0);
    }

    void type_name(expr_id id) {
        expr_node& x = t_.exprs[id];
        value_type& ty = (*types_)[id];
        interval& r = (*ranges_)[id];
        for (std::size_t i = loop_vars_.size(); i-- > 0;) {
            if (loop_vars_[i].first == x.text) {
                (*syms_)[id] = symbol{symbol::kind_t::loop_var, loop_vars_[i].second};
                const expr_node& cw = t_.exprs[loop_vars_[i].second];
                const value_type& lt = (*types_)[cw.args[0]];
                const expr_node& list = t_.exprs[cw.args[0]];
                unit u = unit::percent;
                interval lr = interval::of(decimal(0), decimal(1));
                if (lt.kind == value_kind::list && list.kind == expr_kind::name &&
                    (*syms_)[cw.args[0]].kind == symbol::kind_t::input) {
                    const input_decl& in = t_.inputs[(*syms_)[cw.args[0]].index];
                    u = input_unit(in.element);
                    input_decl el = in;
                    el.type = in.element;
                    lr = declared_range(el);
                }
                ty = num(u);
                r = lr;
                return;
            }
        }
        const auto it = names_.find(x.text);
        if (it == names_.end()) {
            const std::string s = suggestion(x.text);
            error(x.where, "E-undeclared", localize("check.undeclared", {{"name", x.text}}),
                  s.empty() ? localize("check.undeclared.expected") : localize("check.did-you-mean", {{"name", s}}));
            return;
        }
        (*syms_)[id] = it->second;
        if (it->second.kind == symbol::kind_t::named) {
            const let_decl& l = t_.lets[it->second.index];
            const node_id from = current_item_ != no_id ? current_item_ : let_scope_;
            if (!let_visible(l, from)) {
                error(x.where, "E-let-scope",
                      localize("check.let-scope", {{"name", l.name}, {"code", t_.nodes[l.owner].code}, {"section", t_.nodes[l.owner].name}}),
                      localize("check.let-scope.expected"));
                (*syms_)[id] = symbol{};
                return;
            }
            let_used_[it->second.index] = true;
            if (let_bad_[it->second.index] || l.expr == no_id) return;  // said where it is declared
            ty = (*types_)[l.expr];
            r = (*ranges_)[l.expr];
            return;
        }
        if (it->second.kind == symbol::kind_t::input) {
            const input_decl& in = t_.inputs[it->second.index];
            used_[it->second.index] = true;
            if (it->second.index < input_bad_.size() && input_bad_[it->second.index]) item_reads_bad_input_ = true;
            switch (in.type) {
                case input_type::boolean: ty = boolean(); break;
                case input_type::choice: ty = value_type{value_kind::choice, unit::plain, it->second.index}; break;
                case input_type::list: ty = value_type{value_kind::list, input_unit(in.element), it->second.index}; break;
                default: ty = num(input_unit(in.type));
            }
            r = input_range(in);
        } else {
            const ratio_decl& rd = t_.ratios[it->second.index];
            ratio_used_[it->second.index] = true;
            ty = num(unit::percent);
            r = rd.clamp ? interval::of(decimal(0), decimal(1)) : interval{};
            if (rd.if_zero) r = iv_union(r, interval::point(*rd.if_zero));
        }
    }

    void type_compare(expr_id id) {
        expr_node& x = t_.exprs[id];
        (*types_)[id] = boolean();
        (*ranges_)[id] = bool_range();
        const value_type a = (*types_)[x.args[0]], b = (*types_)[x.args[1]];
        // choice == "word" (a bare word is typed as an undeclared name: handled here first)
        if (a.kind == value_kind::choice || b.kind == value_kind::choice) {
            const value_type& c = a.kind == value_kind::choice ? a : b;
            const expr_id other = a.kind == value_kind::choice ? x.args[1] : x.args[0];
            const expr_node& o = t_.exprs[other];
            if (x.op != cmp_op::eq && x.op != cmp_op::ne) {
                error(x.where, "E-type", localize("check.choice-compare-op"));
                return;
            }
            std::string word = o.kind == expr_kind::string ? o.text : o.kind == expr_kind::name ? o.text : "";
            const auto& choices = t_.inputs[c.choice_input].choices;
            if (o.kind == expr_kind::name && (*syms_)[other].kind == symbol::kind_t::none) {
                // a bare word: the name pass reported it as undeclared; take it back if it is a choice
                if (std::find(choices.begin(), choices.end(), word) != choices.end()) {
                    d_.erase(std::remove_if(d_.begin(), d_.end(),
                                            [&](const diagnostic& dg) {
                                                return dg.code == "E-undeclared" &&
                                                       dg.where.begin.offset == o.where.begin.offset;
                                            }),
                             d_.end());
                    t_.exprs[other].kind = expr_kind::string;
                    return;
                }
            }
            if ((*types_)[other].kind == value_kind::invalid && o.kind != expr_kind::name) return;
            if (o.kind != expr_kind::string && o.kind != expr_kind::name) {
                error(o.where, "E-type",
                      localize("check.choice-compare-word", {{"word", choices.empty() ? std::string() : choices[0]}}));
                return;
            }
            if (std::find(choices.begin(), choices.end(), word) == choices.end()) {
                // "前置机" for frontend "前置机": a label names its word, as in the facts
                if (const std::size_t i = label_index(t_.inputs[c.choice_input], word); i != no_index) {
                    t_.exprs[other].text = choices[i];
                    return;
                }
                std::string all;
                for (const auto& w : choices) all += (all.empty() ? "" : ", ") + w;
                error(o.where, "E-choice",
                      localize("check.choice-word", {{"word", word}, {"name", t_.inputs[c.choice_input].name}}),
                      localize("check.choice-word.expected", {{"choices", all}}));
            }
            return;
        }
        if (a.kind == value_kind::invalid || b.kind == value_kind::invalid) return;
        if (a.kind != value_kind::number || b.kind != value_kind::number) {
            if (a.kind == value_kind::boolean && b.kind == value_kind::boolean &&
                (x.op == cmp_op::eq || x.op == cmp_op::ne))
                return;
            error(x.where, "E-type", localize("check.cannot-compare", {{"left", describe(a)}, {"right", describe(b)}}));
            return;
        }
        if ((a.measure == unit::percent && b.measure == unit::count) ||
            (a.measure == unit::count && b.measure == unit::percent)) {
            error(x.where, "E-type", localize("check.cannot-compare", {{"left", describe(a)}, {"right", describe(b)}}),
                  localize("check.cannot-compare.expected"));
            return;
        }
        // A percent compared with a plain number above 1 (rate >= 80) almost certainly meant 80%.
        for (int side = 0; side < 2; ++side) {
            const value_type& p = side ? b : a;
            const expr_node& lit = t_.exprs[x.args[side ? 0 : 1]];
            if (p.measure == unit::percent && lit.kind == expr_kind::number && !lit.percent &&
                lit.nums[0] > decimal(1))
                error(lit.where, "E-percent-literal",
                      localize("check.percent-vs-plain", {{"number", lit.nums[0].to_string()}}),
                      literal(lit.nums[0].to_string() + "%"));
            if (p.measure == unit::percent && lit.kind == expr_kind::number && lit.percent && lit.nums[0] > decimal(1))
                error(lit.where, "E-percent-literal", localize("check.percent-over-100"));
            if (p.measure == unit::count && lit.kind == expr_kind::number && !lit.nums[0].is_integer())
                warning(lit.where, "W-count-fraction", localize("check.count-fraction"));
        }
    }

    // cohort_mean(x), cohort_min(x), cohort_max(x): of a number over the cohort (units whose
    // value is undefined are left out); cohort_count(c): how many units meet a condition.
    void type_cohort_call(expr_id id) {
        expr_node& x = t_.exprs[id];
        check_cohort_operands(id);
        value_type& ty = (*types_)[id];
        interval& r = (*ranges_)[id];
        if (x.has_among) expect_bool(x.args.back(), "what.rank-among");
        if (x.text == "cohort_count") {
            expect_bool(x.args[0], "what.cohort-count-argument");
            ty = num(unit::count);
            r = interval{decimal(0), std::nullopt};
            return;
        }
        if (!expect_number(x.args[0], "what.argument")) return;
        ty = num((*types_)[x.args[0]].measure);
        r = (*ranges_)[x.args[0]];  // a mean, min or max of values within this range
    }

    // score(1.2): a node's score, which a `rank` or a cohort aggregate reads across the cohort;
    // where it stands and what the node reads are checked once everything is typed
    // (check_score_refs()).
    void type_score_ref(expr_id id) {
        const expr_node& x = t_.exprs[id];
        const std::string& code = t_.exprs[x.args[0]].text;
        const node_id n = find_node(t_, code);
        if (n == no_id || t_.nodes[n].kind == node_kind::task) {
            error(x.where, "E-score-ref", localize("check.score-ref-node", {{"code", code}}));
            return;
        }
        (*types_)[id] = num();
        (*ranges_)[id] = t_.nodes[n].points ? interval::of(decimal(0), *t_.nodes[n].points) : interval{};
        score_refs_.push_back(id);
    }

    void type_call(expr_id id) {
        expr_node& x = t_.exprs[id];
        if (x.text == "score" && x.args.size() == 1 && t_.exprs[x.args[0]].kind == expr_kind::string) return type_score_ref(id);
        const function_sig* sig = find_function(x.text);
        if (!sig) {
            error(x.where, "E-unknown-function", localize("check.unknown-function", {{"name", x.text}}),
                  localize("check.unknown-function.expected"));
            return;
        }
        const std::size_t given = x.args.size() - (x.has_among ? 1 : 0);  // `among` is not an argument
        if (x.has_among && x.text.rfind("cohort_", 0) != 0) {
            error(x.where, "E-among", localize("check.among-not-cohort", {{"name", x.text}}), localize("check.among-not-cohort.expected"));
            return;
        }
        if (given < sig->min_args || given > sig->max_args) {
            error(x.where, "E-arity",
                  sig->max_args != sig->min_args
                      ? localize("check.arity-range", {{"name", x.text}, {"min", std::to_string(sig->min_args)},
                                                       {"max", std::to_string(sig->max_args)},
                                                       {"given", std::to_string(given)}})
                      : localize("check.arity", {{"name", x.text}, {"min", std::to_string(sig->min_args)},
                                                 {"given", std::to_string(given)}}));
            return;
        }
        if (x.text.rfind("cohort_", 0) == 0) return type_cohort_call(id);
        if (x.text == "score") return;  // typed above (type_score_ref)
        bool ok = true;
        for (std::size_t i = 0; i < x.args.size(); ++i) ok = expect_number(x.args[i], "what.argument") && ok;
        if (!ok) return;
        auto R = [&](std::size_t i) -> const interval& { return (*ranges_)[x.args[i]]; };
        value_type& ty = (*types_)[id];
        interval& r = (*ranges_)[id];
        ty = num((*types_)[x.args[0]].measure);
        const std::string& f = x.text;
        if (f == "min" || f == "max") {
            r = R(0);
            for (std::size_t i = 1; i < x.args.size(); ++i) r = f == "min" ? iv_min(r, R(i)) : iv_max(r, R(i));
        } else if (f == "clamp") {
            r = iv_min(iv_max(R(0), R(1)), R(2));
        } else if (f == "abs") {
            const interval& a = R(0);
            r = interval{decimal(0), a.lo && a.hi ? std::optional<decimal>(max(a.lo->abs(), a.hi->abs())) : std::nullopt};
            if (a.lo && a.lo->sign() >= 0) r = a;
        } else if (f == "reach") {
            const expr_node& target = t_.exprs[x.args[1]];
            if (target.kind == expr_kind::number && target.nums[0].sign() <= 0)
                error(target.where, "E-reach-target", localize("check.reach-target"));
            r = interval::of(decimal(0), decimal(1));
            ty = num();
        } else {
            // round, floor, ceil: about the same range, widened by one unit either way
            if (x.args.size() == 2) {
                const expr_node& p = t_.exprs[x.args[1]];
                if (p.kind != expr_kind::number || !p.nums[0].is_integer() || p.nums[0].sign() < 0 ||
                    p.nums[0] > decimal(20))
                    error(p.where, "E-round-places", localize("check.round-places", {{"name", f}}));
            }
            const interval& a = R(0);
            r = interval{a.lo ? std::optional<decimal>(a.lo->floor()) : std::nullopt,
                         a.hi ? std::optional<decimal>(a.hi->ceil()) : std::nullopt};
        }
    }

    // The cohort forms (`rank`, cohort_mean() …) read what the other units score, so what
    // they rank or aggregate must be a value of the unit itself: no cohort form inside.
    bool is_cohort_form(const expr_node& x) const {
        return x.kind == expr_kind::rank || (x.kind == expr_kind::call && x.text.rfind("cohort_", 0) == 0 &&
                                             find_function(x.text) != nullptr);
    }
    // The first cohort form inside e (e included), or no_id.
    expr_id find_cohort_form(expr_id e) const {
        expr_id found = no_id;
        walk_cohort_forms(e, [&](expr_id f) { return found = f, true; });
        return found;
    }
    // Calls on_form(f) for each cohort form f inside e (e included; not what f itself ranks),
    // until it returns true. A let read is walked into, or, when on_let is given, handed to it
    // instead (a graph that keeps each let as one vertex walks each let's expression once).
    template <class OnForm, class OnLet = std::nullptr_t>
    void walk_cohort_forms(expr_id e, OnForm&& on_form, OnLet&& on_let = nullptr) const {
        std::vector<expr_id> stack{e};
        // Each let once per call: a stamp per let, so that a call costs what it walks, not the lets.
        if (let_stamp_.size() != t_.lets.size()) let_stamp_.assign(t_.lets.size(), 0);
        const std::uint32_t stamp = ++let_stamp_now_;
        while (!stack.empty()) {
            const expr_id id = stack.back();
            stack.pop_back();
            if (id == no_id) continue;
            const expr_node& x = t_.exprs[id];
            if (is_cohort_form(x)) {
                if (on_form(id)) return;
                continue;
            }
            for (expr_id a : x.args) stack.push_back(a);
            for (const auto& term : x.terms) stack.push_back(term.count);
            // a name of a let reads its expression (each let once: lets may share lets)
            if (x.kind == expr_kind::name && id < syms_->size() && (*syms_)[id].kind == symbol::kind_t::named) {
                const std::uint32_t li = (*syms_)[id].index;
                if (!let_bad_[li] && let_stamp_[li] != stamp) {
                    let_stamp_[li] = stamp;
                    if constexpr (std::is_same_v<std::decay_t<OnLet>, std::nullptr_t>) stack.push_back(t_.lets[li].expr);
                    else on_let(li);
                }
            }
            // a name of a ratio reads the ratio's parts
            if (x.kind == expr_kind::name && id < syms_->size() && (*syms_)[id].kind == symbol::kind_t::ratio) {
                const ratio_decl& rd = t_.ratios[(*syms_)[id].index];
                stack.push_back(rd.numerator);
                stack.push_back(rd.denominator);
            }
        }
    }
    void check_cohort_operands(expr_id id) {
        const expr_node& x = t_.exprs[id];
        for (expr_id a : x.args) {
            const expr_id inner = find_cohort_form(a);
            if (inner != no_id)
                error(t_.exprs[inner].where, "E-cohort-nested", localize("check.cohort-nested"),
                      localize("check.cohort-nested.expected"));
        }
        if (!loop_vars_.empty())
            error(x.where, "E-cohort-nested", localize("check.cohort-in-where"));
        cohort_forms_.push_back(id);
    }

    void type_rank(expr_id id) {
        expr_node& x = t_.exprs[id];
        value_type& ty = (*types_)[id];
        interval& r = (*ranges_)[id];
        check_cohort_operands(id);
        const bool subject_ok = expect_number(x.args[0], "what.rank-subject");
        if (x.args[1] != no_id) expect_bool(x.args[1], "what.rank-among");
        ty = num();
        const auto& n = x.nums;
        bool ok = subject_ok;
        for (const decimal& d : n)
            if (d.sign() < 0) {
                error(x.where, "E-rank-points", localize("check.rank-negative", {{"points", d.to_string()}}));
                ok = false;
            }
        switch (x.mapping) {
            case rank_mapping::linear:
                if (n.size() == 2 && n[0] < n[1]) {
                    error(x.where, "E-rank-points",
                          localize("check.rank-linear-order", {{"best", n[0].to_string()}, {"worst", n[1].to_string()}}));
                    ok = false;
                }
                if (n.size() == 2) r = interval::of(n[1], n[0]);
                break;
            case rank_mapping::places: {
                // places [p1, p2, …] otherwise q: a later place never earns more than an earlier one
                for (std::size_t i = 1; i < n.size(); ++i)
                    if (n[i - 1] < n[i]) {
                        error(x.where, "E-rank-points",
                              localize("check.rank-places-order", {{"place", std::to_string(i + 1)},
                                                                   {"points", n[i].to_string()},
                                                                   {"before", n[i - 1].to_string()}}));
                        ok = false;
                        break;
                    }
                if (!n.empty()) r = interval::of(n.back(), n.front());
                break;
            }
            case rank_mapping::proportional:
                if (n.size() == 1 && n[0].is_zero()) {
                    error(x.where, "E-rank-points", localize("check.rank-proportional-zero"));
                    ok = false;
                }
                if (n.size() == 1) r = interval::of(decimal(0), n[0]);
                break;
        }
        if (!ok) r = {};
    }

    static std::string bound_text(const tier_band& b) {
        return b.percent ? (b.bound * decimal(100)).to_string() + "%" : b.bound.to_string();
    }

    // The choice whose label is `text` (choice [frontend "前置机"]), or no_index.
    static constexpr std::size_t no_index = static_cast<std::size_t>(-1);
    static std::size_t label_index(const input_decl& in, const std::string& text) {
        for (std::size_t i = 0; i < in.choice_labels.size() && i < in.choices.size(); ++i)
            if (!in.choice_labels[i].empty() && in.choice_labels[i] == text) return i;
        return no_index;
    }

    // points C [w: p, …, otherwise: p]: C a choice input; max_points L [...]: L a list of choices.
    // Every word is one of the choices, once; every choice has points, or `otherwise` gives them
    // (an option left out is an error: no silent 0). Sets nums: the points per choice, in order.
    // The range: from the fewest points to the most (max_points: 0 too, for an empty list).
    void type_points(expr_id id) {
        expr_node& x = t_.exprs[id];
        (*types_)[id] = num();
        (*ranges_)[id] = interval::point(decimal(0));
        const bool over_list = x.kind == expr_kind::max_points;
        const expr_id subject = x.args[0];
        const value_type st = (*types_)[subject];
        if (st.kind == value_kind::invalid) return;
        const bool fits = over_list ? st.kind == value_kind::list && t_.inputs[st.choice_input].element == input_type::choice
                                    : st.kind == value_kind::choice;
        if (!fits) {
            error(t_.exprs[subject].where, "E-type",
                  localize(over_list ? "check.max-points-subject" : "check.points-subject", {{"name", t_.exprs[subject].text}}));
            return;
        }
        const input_decl& in = t_.inputs[st.choice_input];
        std::vector<std::optional<decimal>> table(in.choices.size());
        std::optional<decimal> otherwise;
        for (choice_points& o : x.options) {
            if (o.otherwise) {
                if (otherwise) error(o.where, "E-points-option", localize("check.points-twice", {{"word", "otherwise"}}));
                otherwise = o.points;
                continue;
            }
            auto at = std::find(in.choices.begin(), in.choices.end(), o.word);
            if (const std::size_t i = label_index(in, o.word); at == in.choices.end() && i != no_index) {
                at = in.choices.begin() + static_cast<std::ptrdiff_t>(i);  // a label names its word
                o.word = *at;  // coverage and explanations read the word
            }
            if (at == in.choices.end()) {
                std::string all;
                for (const auto& w : in.choices) all += (all.empty() ? "" : ", ") + w;
                error(o.where, "E-choice", localize("check.choice-word", {{"word", o.word}, {"name", in.name}}),
                      localize("check.choice-word.expected", {{"choices", all}}));
                continue;
            }
            auto& slot = table[static_cast<std::size_t>(at - in.choices.begin())];
            if (slot) error(o.where, "E-points-option", localize("check.points-twice", {{"word", o.word}}));
            slot = o.points;
        }
        std::string unlisted;
        for (std::size_t i = 0; i < table.size(); ++i)
            if (!table[i] && !otherwise) unlisted += (unlisted.empty() ? "" : ", ") + in.choices[i];
        if (!unlisted.empty()) {
            error(x.where, "E-points-option", localize("check.points-missing", {{"name", in.name}, {"choices", unlisted}}),
                  localize("check.points-missing.expected"));
            return;
        }
        x.nums.clear();
        decimal lo, hi;
        for (std::size_t i = 0; i < table.size(); ++i) {
            x.nums.push_back(table[i] ? *table[i] : *otherwise);
            if (i == 0 || x.nums[i] < lo) lo = x.nums[i];
            if (i == 0 || x.nums[i] > hi) hi = x.nums[i];
        }
        if (over_list && lo.sign() > 0) lo = decimal(0);
        (*ranges_)[id] = table.empty() ? interval::point(decimal(0)) : interval::of(lo, hi);
    }

    // A band's bound read from the cohort (>= cohort_mean(x): 3): a cohort aggregate (cohort_mean,
    // cohort_min, cohort_max, cohort_count; `among` allowed), or a let whose value reads one
    // (>= 基准: 3), in the unit of the value it bands. Its stage enters the stage graph as any
    // cohort form in the rule does (the level is one of the tier's args).
    void check_tier_level(const tier_band& b, expr_id subject) {
        const expr_node& level = t_.exprs[b.level];
        const bool cohort_let = level.kind == expr_kind::name && b.level < syms_->size() &&
                                (*syms_)[b.level].kind == symbol::kind_t::named && find_cohort_form(b.level) != no_id;
        if (!cohort_let && (level.kind != expr_kind::call || !is_cohort_form(level))) {
            error(level.where, "E-tier-level", localize("check.tier-level"), localize("check.tier-level.expected"));
            return;
        }
        if (!expect_number(b.level, "what.tier-level")) return;
        const value_type& lt = (*types_)[b.level];
        const value_type& st = (*types_)[subject];
        // as a comparison: a percent is not compared with a count
        if (st.kind == value_kind::number && ((st.measure == unit::percent && lt.measure == unit::count) ||
                                              (st.measure == unit::count && lt.measure == unit::percent)))
            error(level.where, "E-type", localize("check.tier-level-unit", {{"subject", describe(st)}, {"level", describe(lt)}}));
    }

    void type_tier(expr_id id) {
        expr_node& x = t_.exprs[id];
        (*types_)[id] = num();
        if (x.args[0] == no_id) return;
        if (!expect_number(x.args[0], "what.tier-subject")) return;
        const value_type& st = (*types_)[x.args[0]];
        const interval& sr = (*ranges_)[x.args[0]];
        // Bands must all point one way and be strictly ordered, so that the first
        // band that holds is the right one: >= 90%, >= 80%, >= 70% (or <= ascending).
        // The direction is that of the first band that has one: a `==` band is an error of its
        // own, not a band "mixing directions" with all that follow it.
        bool down = true;
        for (const tier_band& b : x.bands)
            if (b.op != cmp_op::eq && b.op != cmp_op::ne) {
                down = b.op == cmp_op::ge || b.op == cmp_op::gt;
                break;
            }
        interval r = x.has_else ? interval::point(x.nums[0]) : interval::point(decimal(0));
        // The constant band before this one: a bound read from the cohort has no value until the
        // units are scored, so the order is checked among the constant bounds only (a cohort band
        // may stand anywhere: the first band that holds still gives the points).
        const tier_band* previous_constant = nullptr;
        for (std::size_t i = 0; i < x.bands.size(); ++i) {
            const tier_band& b = x.bands[i];
            if (b.op == cmp_op::eq || b.op == cmp_op::ne) {
                error(b.where, "E-tier-op", localize("check.tier-op"));
                continue;
            }
            const bool bdown = b.op == cmp_op::ge || b.op == cmp_op::gt;
            if (bdown != down) {
                error(b.where, "E-tier-direction", localize("check.tier-direction"));
                continue;
            }
            if (b.level != no_id) {
                check_tier_level(b, x.args[0]);
                if (current_item_ != no_id && t_.nodes[current_item_].points &&
                    b.score > *t_.nodes[current_item_].points && t_.nodes[current_item_].kind == node_kind::item &&
                    t_.nodes[current_item_].parts.size() == 1)
                    error(b.where, "E-tier-points",
                          localize("check.tier-points",
                                   {{"score", b.score.to_string()}, {"points", t_.nodes[current_item_].points->to_string()}}));
                r = iv_union(r, interval::point(b.score));  // the level may be anything the value is
                continue;
            }
            if (previous_constant) {
                const tier_band& p = *previous_constant;
                const bool ordered = down ? (b.bound < p.bound || (b.bound == p.bound && p.op == cmp_op::gt && b.op == cmp_op::ge))
                                          : (b.bound > p.bound || (b.bound == p.bound && p.op == cmp_op::lt && b.op == cmp_op::le));
                if (!ordered)
                    error(b.where, "E-tier-order",
                          localize(down ? "check.tier-order-down" : "check.tier-order-up",
                                   {{"band", to_string(b.op) + bound_text(b)}, {"previous", to_string(p.op) + bound_text(p)}}),
                          localize(down ? "check.tier-order-down.expected" : "check.tier-order-up.expected"));
            }
            previous_constant = &b;
            if (st.measure == unit::percent && b.bound > decimal(1))
                error(b.where, "E-percent-literal", localize("check.percent-threshold", {{"bound", bound_text(b)}}),
                      literal(b.percent ? "" : b.bound.to_string() + "%"));
            if (st.measure == unit::count && !b.bound.is_integer())
                warning(b.where, "W-count-fraction", localize("check.count-fraction"));
            if (current_item_ != no_id && t_.nodes[current_item_].points &&
                b.score > *t_.nodes[current_item_].points && t_.nodes[current_item_].kind == node_kind::item &&
                t_.nodes[current_item_].parts.size() == 1)
                error(b.where, "E-tier-points",
                      localize("check.tier-points",
                               {{"score", b.score.to_string()}, {"points", t_.nodes[current_item_].points->to_string()}}));
            // Can the band ever hold, given what the value can be?
            const bool reachable = down ? (!sr.hi || compare(*sr.hi, b.op, b.bound)) : (!sr.lo || compare(*sr.lo, b.op, b.bound));
            if (!reachable)
                warning(b.where, "W-tier-unreachable",
                        localize("check.tier-unreachable", {{"max", sr.hi ? sr.hi->to_string() : "?"}}));
            else
                r = iv_union(r, interval::point(b.score));
        }
        for (std::size_t i = 1; i < x.bands.size(); ++i)
            if (x.bands[i].score > x.bands[i - 1].score)
                warning(x.bands[i].where, "W-tier-points-order",
                        localize("check.tier-points-order",
                                 {{"score", x.bands[i].score.to_string()}, {"above", x.bands[i - 1].score.to_string()}}));
        (*ranges_)[id] = r;
    }

    // --- named values ------------------------------------------------------------

    // The lets in an order where each follows the lets it reads (directly, or through a ratio's
    // parts), typed in that order, so that the name of a let has its value's type and range
    // wherever it is read; a let that reads itself, however indirectly, is refused.
    void check_lets(checked_rubric& out) {
        const std::size_t n = t_.lets.size();
        if (n == 0) return;
        std::vector<std::vector<std::uint32_t>> reads(n);
        std::vector<std::uint32_t> ratio_seen_by(t_.ratios.size(), 0);  // the let (+ 1) that walked it last
        for (std::uint32_t i = 0; i < n; ++i) {
            std::vector<expr_id> stack{t_.lets[i].expr};
            while (!stack.empty()) {
                const expr_id e = stack.back();
                stack.pop_back();
                if (e == no_id) continue;
                const expr_node& x = t_.exprs[e];
                for (expr_id arg : x.args) stack.push_back(arg);
                for (const auto& term : x.terms) stack.push_back(term.count);
                if (x.kind != expr_kind::name) continue;
                const auto it = names_.find(x.text);
                if (it == names_.end()) continue;
                if (it->second.kind == symbol::kind_t::named) {
                    reads[i].push_back(it->second.index);
                } else if (it->second.kind == symbol::kind_t::ratio && ratio_seen_by[it->second.index] != i + 1) {
                    ratio_seen_by[it->second.index] = i + 1;
                    stack.push_back(t_.ratios[it->second.index].numerator);
                    stack.push_back(t_.ratios[it->second.index].denominator);
                }
            }
        }
        // Depth first without recursion: 0 not seen, 1 on the current path, 2 done (in let_order).
        std::vector<std::uint8_t> state(n, 0);
        for (std::uint32_t root = 0; root < n; ++root) {
            if (state[root] != 0) continue;
            std::vector<std::pair<std::uint32_t, std::size_t>> path{{root, 0}};
            state[root] = 1;
            while (!path.empty()) {
                const std::uint32_t i = path.back().first;
                if (path.back().second < reads[i].size()) {
                    const std::uint32_t j = reads[i][path.back().second++];
                    if (state[j] == 0) {
                        state[j] = 1;
                        path.push_back({j, 0});
                    } else if (state[j] == 1) {
                        // A cycle: j, the lets after it on the path, and j again.
                        std::string chain;
                        bool on = false;
                        for (const auto& step : path) {
                            on = on || step.first == j;
                            if (!on) continue;
                            chain += t_.lets[step.first].name + " → ";
                            let_bad_[step.first] = true;
                        }
                        chain += t_.lets[j].name;
                        error(t_.lets[j].where, "E-let-cycle", localize("check.let-cycle", {{"name", t_.lets[j].name}, {"chain", chain}}),
                              localize("check.let-cycle.expected"));
                    }
                    continue;
                }
                state[i] = 2;
                out.let_order.push_back(i);
                path.pop_back();
            }
        }
        for (const std::uint32_t i : out.let_order) {
            const let_decl& l = t_.lets[i];
            if (let_bad_[i] || l.expr == no_id) continue;
            if (!let_forms_stand_alone(l)) {
                let_bad_[i] = true;
                continue;
            }
            let_scope_ = l.owner;
            type_expr(l.expr);
            let_scope_ = no_id;
            const value_type& ty = (*types_)[l.expr];
            if (ty.kind != value_kind::number && ty.kind != value_kind::boolean && ty.kind != value_kind::invalid) {
                error(t_.exprs[l.expr].where, "E-let-type", localize("check.let-type", {{"name", l.name}, {"actual", describe(ty)}}),
                      localize("check.let-type.expected"));
                let_bad_[i] = true;
            }
        }
    }

    // A let belongs to no item, so a form inside it cannot take the item's subject or points:
    // `each`, `tier` and `drop` need `of`/their subject, `deduct` and `drop` need `from`.
    bool let_forms_stand_alone(const let_decl& l) {
        bool ok = true;
        std::vector<expr_id> stack{l.expr};
        while (!stack.empty()) {
            const expr_id e = stack.back();
            stack.pop_back();
            if (e == no_id) continue;
            const expr_node& x = t_.exprs[e];
            for (expr_id arg : x.args) stack.push_back(arg);
            for (const auto& term : x.terms) stack.push_back(term.count);
            const bool needs_subject = (x.kind == expr_kind::each || x.kind == expr_kind::tier || x.kind == expr_kind::drop) &&
                                       (x.args.empty() || x.args[0] == no_id);
            const bool needs_base = (x.kind == expr_kind::deduct || x.kind == expr_kind::drop) && !x.has_base;
            if (needs_subject || needs_base) {
                error(x.where, "E-let-form", localize("check.let-form", {{"name", l.name}}), localize("check.let-form.expected"));
                ok = false;
            }
        }
        return ok;
    }

    // --- ratios, nodes ----------------------------------------------------------

    void check_ratios() {
        for (auto& rd : t_.ratios) {
            let_scope_ = rd.owner;
            type_expr(rd.numerator);
            type_expr(rd.denominator);
            let_scope_ = no_id;
            expect_number(rd.numerator, "what.ratio-numerator");
            expect_number(rd.denominator, "what.ratio-denominator");
            const expr_node& den = t_.exprs[rd.denominator];
            if (den.kind == expr_kind::number && den.nums[0].is_zero())
                error(den.where, "E-div-zero", localize("check.ratio-zero-denominator", {{"name", rd.name}}));
        }
    }

    void check_nodes(checked_rubric& out) {
        out.node_ranges.assign(t_.nodes.size(), {});
        out.raw_ranges.assign(t_.nodes.size(), {});
        // children before parents: reverse pre-order
        std::vector<node_id> order;
        std::vector<node_id> stack(t_.roots.rbegin(), t_.roots.rend());
        while (!stack.empty()) {
            const node_id id = stack.back();
            stack.pop_back();
            order.push_back(id);
            for (auto it = t_.nodes[id].children.rbegin(); it != t_.nodes[id].children.rend(); ++it)
                stack.push_back(*it);
        }
        for (auto it = order.rbegin(); it != order.rend(); ++it) check_node(*it, out);

        // Level-1 points against the declared total.
        if (t_.has_header && t_.header.total) {
            decimal sum;
            bool all = true;
            for (node_id r : t_.roots) {
                const node& n = t_.nodes[r];
                if (n.kind == node_kind::bonus || n.kind == node_kind::task || n.kind == node_kind::adjustments) continue;
                if (n.points) sum += *n.points;
                else all = false;
            }
            if (all && !t_.roots.empty() && sum != *t_.header.total)
                warning(t_.header.total_span, "W-points-sum",
                        localize("check.total-sum", {{"sum", sum.to_string()}, {"total", t_.header.total->to_string()}}));
        }
    }

    void check_node(node_id id, checked_rubric& out) {
        node& n = t_.nodes[id];
        const localized what = localize("check.node", {{"kind", kind_word(n.kind)}, {"code", n.code}, {"name", n.name}});
        if (n.kind == node_kind::task) {
            if (n.points) error(n.points_span, "E-task-points", localize("check.task-points", {{"node", what}}));
            return;
        }
        if (n.kind == node_kind::item) {
            const std::size_t first = d_.size();
            item_reads_bad_input_ = false;
            check_item(id, n, what, out);
            // An item with an error (or reading an input with one) gets no warnings or notes: they
            // come from analysing a broken rule ("can never score above 0" of `score open`) and
            // disappear when the error is fixed.
            const auto mine = d_.begin() + static_cast<std::ptrdiff_t>(first);
            const bool broken = item_reads_bad_input_ ||
                                std::any_of(mine, d_.end(), [](const diagnostic& d) { return d.level == severity::error; });
            if (broken)
                d_.erase(std::remove_if(mine, d_.end(), [](const diagnostic& d) { return d.level != severity::error; }), d_.end());
            return;
        }
        if (!n.cases.empty()) return check_case_section(id, n, what, out);
        // section or bonus
        interval sum = interval::point(decimal(0));
        decimal points_sum;
        bool all_points = true;
        std::size_t scored = 0;
        for (node_id c : n.children) {
            const node& ch = t_.nodes[c];
            if (ch.kind == node_kind::task) continue;
            ++scored;
            sum = iv_add(sum, out.node_ranges[c]);
            if (ch.points) points_sum += *ch.points;
            else all_points = false;
        }
        if (!n.points) {
            if (scored > 0 && all_points) n.points = points_sum;
        } else if (n.kind == node_kind::section && scored > 0 && all_points && points_sum != *n.points) {
            std::string parts;
            for (node_id c : n.children)
                if (t_.nodes[c].points)
                    parts += (parts.empty() ? "" : " + ") + t_.nodes[c].points->to_string();
            warning(n.points_span, "W-points-sum",
                    localize("check.children-sum", {{"node", what},
                                                    {"points", n.points->to_string()},
                                                    {"sum", points_sum.to_string()},
                                                    {"parts", parts}}));
        }
        out.raw_ranges[id] = sum;
        out.node_ranges[id] = n.kind == node_kind::bonus && n.points ? iv_clamp(sum, decimal(0), *n.points) : sum;
        if (n.kind == node_kind::adjustments) out.node_ranges[id] = adjustment_range(n, sum);
    }

    // A section `by` an attribute: for each unit the members of one case, so each case's points
    // are checked against the section's as a section's children are, and the section scores what
    // its richest or poorest case can.
    void check_case_section(node_id id, node& n, const localized& what, checked_rubric& out) {
        std::optional<interval> hull;
        std::optional<decimal> common;  // the cases' points, when all agree (the section's, when unstated)
        bool all_agree = true;
        for (std::uint32_t ki = 0; ki < n.cases.size(); ++ki) {
            interval sum = interval::point(decimal(0));
            decimal points_sum;
            bool all_points = true;
            std::size_t scored = 0;
            std::string parts;
            for (node_id c : n.children) {
                const node& ch = t_.nodes[c];
                if (ch.case_index != ki || ch.kind == node_kind::task) continue;
                ++scored;
                sum = iv_add(sum, out.node_ranges[c]);
                if (ch.points) {
                    points_sum += *ch.points;
                    parts += (parts.empty() ? "" : " + ") + ch.points->to_string();
                } else {
                    all_points = false;
                }
            }
            hull = hull ? iv_union(*hull, sum) : sum;
            if (!all_points || scored == 0) {
                all_agree = false;
                continue;
            }
            if (n.points && points_sum != *n.points)
                warning(n.cases[ki].where, "W-points-sum",
                        localize("check.case-sum", {{"node", what},
                                                    {"case", case_name(n.cases[ki])},
                                                    {"points", n.points->to_string()},
                                                    {"sum", points_sum.to_string()},
                                                    {"parts", parts}}));
            if (common && *common != points_sum) all_agree = false;
            common = points_sum;
        }
        if (!n.points && all_agree && common) n.points = common;
        out.raw_ranges[id] = *hull;
        out.node_ranges[id] = *hull;
    }

    // 综合奖扣分: the caps must let 0 through (max >= 0 >= min); the block's sum is kept within them.
    interval adjustment_range(const node& n, interval sum) {
        if ((n.adjust_max && n.adjust_max->sign() < 0) || (n.adjust_min && n.adjust_min->sign() > 0))
            error(n.adjust_span, "E-adjustment-caps",
                  localize("check.adjustment-caps", {{"name", n.name}}), localize("check.adjustment-caps.expected"));
        auto cap = [](std::optional<decimal>& end, const decimal& v, bool above) {
            if (!end || (above ? *end > v : *end < v)) end = v;
        };
        if (n.adjust_max) {
            cap(sum.hi, *n.adjust_max, true);
            if (sum.lo && *sum.lo > *n.adjust_max) sum.lo = n.adjust_max;
        }
        if (n.adjust_min) {
            cap(sum.lo, *n.adjust_min, false);
            if (sum.hi && *sum.hi < *n.adjust_min) sum.hi = n.adjust_min;
        }
        return sum;
    }

    // An item inside `adjustments`: its score is signed and not kept within [0, points].
    bool in_adjustments(node_id id) const {
        for (node_id up = t_.nodes[id].parent; up != no_id; up = t_.nodes[up].parent)
            if (t_.nodes[up].kind == node_kind::adjustments) return true;
        return false;
    }

    // A score written below zero (`if ok then 1 else -1`, a tier band or an `otherwise` of -1) in an
    // ordinary item: the item scores within [0, points], so that branch silently scores 0. A signed
    // award or deduction belongs in `adjustments`; points taken off inside an item are `penalty`.
    void negative_score_warnings(const node& n) {
        std::vector<expr_id> stack;
        for (const auto& p : n.parts) stack.push_back(p.expr);
        auto negative = [&](expr_id e) {
            if (e == no_id) return false;
            const expr_node& x = t_.exprs[e];
            if (x.kind == expr_kind::neg) return t_.exprs[x.args[0]].kind == expr_kind::number;
            return x.kind == expr_kind::number && x.nums[0].sign() < 0;
        };
        while (!stack.empty()) {
            const expr_id e = stack.back();
            stack.pop_back();
            if (e == no_id) continue;
            const expr_node& x = t_.exprs[e];
            if (x.kind == expr_kind::if_) {
                for (std::size_t i = 1; i < x.args.size(); i += 2) {
                    if (negative(x.args[i])) negative_score(n, t_.exprs[x.args[i]].where);
                    else stack.push_back(x.args[i]);
                }
                if (x.has_else) {
                    if (negative(x.args.back())) negative_score(n, t_.exprs[x.args.back()].where);
                    else stack.push_back(x.args.back());
                }
            } else if (x.kind == expr_kind::tier) {
                for (const tier_band& b : x.bands)
                    if (b.score.sign() < 0) negative_score(n, b.where);
                if (x.has_else && x.nums[0].sign() < 0) negative_score(n, x.where);
            } else if (negative(e)) {
                negative_score(n, x.where);
            }
        }
    }
    void negative_score(const node& n, const span& where) {
        warning(where, "W-negative-score", localize("check.negative-score", {{"code", n.code}}),
                localize("check.negative-score.expected"));
    }

    // Whether expression `id` may have no value when a unit is scored: it reads a ratio without
    // an `if zero` value or divides by a range that holds 0, outside what turns "undefined" into
    // a value (a comparison is false, a rule such as tier or each scores). Conservative where the
    // rule is not plain arithmetic: any argument that may be undefined counts.
    bool may_be_undefined(expr_id root) const {
        // Iterative: a flat sum of 100,000 terms is a chain as deep as it is long.
        std::vector<expr_id> todo{root};
        std::unordered_set<std::uint32_t> lets_seen;
        while (!todo.empty()) {
            const expr_id id = todo.back();
            todo.pop_back();
            if (id == no_id || id >= t_.exprs.size()) continue;
            const expr_node& x = t_.exprs[id];
            switch (x.kind) {
                case expr_kind::number:
                case expr_kind::boolean:
                case expr_kind::string:
                case expr_kind::compare:
                case expr_kind::and_:
                case expr_kind::or_:
                case expr_kind::not_:
                case expr_kind::count:
                case expr_kind::count_where:
                case expr_kind::checklist: continue;
                case expr_kind::name: {
                    const symbol& sym = (*syms_)[id];
                    if (sym.kind == symbol::kind_t::ratio && sym.index < t_.ratios.size() && !t_.ratios[sym.index].if_zero)
                        return true;
                    // A missing choice matches no word: undefined (facts.inl), unless the rubric
                    // gives it a value or requires it.
                    if (sym.kind == symbol::kind_t::input && sym.index < t_.inputs.size() &&
                        t_.inputs[sym.index].type == input_type::choice) {
                        const input_decl& in = t_.inputs[sym.index];
                        const missing_policy policy = in.missing == missing_policy::inherit ? t_.header.missing : in.missing;
                        if (policy != missing_policy::error && policy != missing_policy::value) return true;
                    }
                    // A named value is what its expression is (each let once: a circle of them is
                    // E-let-cycle, and must not loop here).
                    if (sym.kind == symbol::kind_t::named && sym.index < t_.lets.size()) {
                        if (let_defined_.size() != t_.lets.size()) let_defined_.assign(t_.lets.size(), 0);
                        if (!let_defined_[sym.index] && lets_seen.insert(sym.index).second) todo.push_back(t_.lets[sym.index].expr);
                    }
                    continue;
                }
                case expr_kind::call:
                    // A cohort aggregate of no unit (or of none among a condition) is undefined.
                    if (x.text.rfind("cohort_", 0) == 0 && x.text != "cohort_count") return true;
                    break;
                case expr_kind::div:
                    if (x.args.size() == 2 && x.args[1] != no_id) {
                        const interval& d = (*ranges_)[x.args[1]];
                        if ((!d.lo || d.lo->sign() <= 0) && (!d.hi || d.hi->sign() >= 0)) return true;
                    }
                    break;
                case expr_kind::if_:
                    // The conditions are comparisons (false when undefined): only the values count.
                    for (std::size_t i = 0; i < x.args.size(); ++i)
                        if (i % 2 == 1 || (x.has_else && i + 1 == x.args.size())) todo.push_back(x.args[i]);
                    continue;
                default: break;
            }
            todo.insert(todo.end(), x.args.begin(), x.args.end());
            for (const auto& term : x.terms) todo.push_back(term.count);  // deduct, penalty: per an undefined count
        }
        // Every let walked here is defined: the next part that reads one need not walk it again.
        for (const std::uint32_t l : lets_seen) let_defined_[l] = 1;
        return false;
    }
    mutable std::vector<std::uint8_t> let_defined_;  // per let: known to be always defined (may_be_undefined)

    // An item: its points, and the type and range of each score part.
    void check_item(node_id id, node& n, const localized& what, checked_rubric& out) {
        const bool signed_item = in_adjustments(id);
        if (signed_item && n.points)
            error(n.points_span, "E-adjustment-points", localize("check.adjustment-points", {{"node", what}}),
                  localize("check.adjustment-points.expected"));
        if (!signed_item && !n.points) {
            error(n.where, "E-no-points", localize("check.no-points", {{"node", what}}), localize("check.no-points.expected"));
            // Its rule is still read (it is checked, and its inputs count as used), but without
            // points it has no range to analyse.
            current_item_ = id;
            for (const auto& p : n.parts) type_expr(p.expr);
            current_item_ = no_id;
            return;
        }
        if (!signed_item && n.points->sign() < 0) error(n.points_span, "E-points", localize("check.negative-points"));
        if (n.parts.empty()) {
            error(n.where, "E-no-score", localize("check.no-score", {{"node", what}}), localize("check.no-score.expected"));
            return;
        }
        current_item_ = id;
        interval raw = interval::point(decimal(0));
        for (const auto& p : n.parts) {
            type_expr(p.expr);
            if (p.expr == no_id) continue;
            const value_type& ty = (*types_)[p.expr];
            if (ty.kind == value_kind::boolean) {
                error(t_.exprs[p.expr].where, "E-type", localize("check.score-is-condition"),
                      localize("check.score-is-condition.expected"));
                continue;
            }
            expect_number(p.expr, "what.score");
            // A part whose value is undefined (a zero denominator) scores 0 (evaluate.inl).
            const interval part = (*ranges_)[p.expr];
            raw = iv_add(raw, may_be_undefined(p.expr) ? iv_union(part, interval::point(decimal(0))) : part);
        }
        current_item_ = no_id;
        out.raw_ranges[id] = raw;
        if (signed_item) {
            out.node_ranges[id] = raw;
            return;
        }
        out.node_ranges[id] = iv_clamp(raw, decimal(0), *n.points);
        range_warnings(n, raw);
        negative_score_warnings(n);
    }

    void range_warnings(const node& n, const interval& raw) {
        const decimal& pts = *n.points;
        if (raw.hi && *raw.hi <= decimal(0) && pts.sign() > 0) {
            warning(n.points_span, "W-always-clamped", localize("check.never-above-zero", {{"code", n.code}}));
            return;
        }
        if (raw.hi && *raw.hi < pts)
            warning(n.points_span, "W-unreachable-points",
                    localize("check.unreachable-points",
                             {{"code", n.code}, {"points", pts.to_string()}, {"max", raw.hi->to_string()}}));
        if (raw.lo && *raw.lo > pts)
            warning(n.points_span, "W-always-clamped",
                    localize("check.always-clamped", {{"code", n.code}, {"points", pts.to_string()}, {"min", raw.lo->to_string()}}));
        else if (raw.hi && *raw.hi > pts)
            report(severity::note, n.points_span, "N-clamp",
                   localize("check.clamp-note", {{"code", n.code},
                                                 {"max", raw.hi ? raw.hi->to_string() : std::string("∞")},
                                                 {"points", pts.to_string()}}));
    }

    void check_warnings() {
        for (auto& w : t_.warnings) {
            if (w.condition != no_id) {
                type_expr(w.condition);
                expect_bool(w.condition, "what.warn-condition");
                continue;
            }
            if (w.target != "total" && find_node(t_, w.target) == no_id)
                error(w.target_span, "E-warn-target", localize("check.warn-target", {{"label", w.label}, {"code", w.target}}));
            if (w.percent && (w.threshold > decimal(1) || w.threshold.sign() < 0))
                error(w.where, "E-warn-threshold", localize("check.warn-percent", {{"label", w.label}}));
        }
    }

    // The grade scale: bounds strictly falling from the best grade down (so that the first band
    // reached is the grade), each label once; each veto lowering from a grade that has one below.
    void check_grades() {
        if (t_.grades) {
            const grade_scale& g = *t_.grades;
            std::set<std::string> labels;
            for (std::size_t i = 0; i < g.bands.size(); ++i) {
                const grade_band& b = g.bands[i];
                if (!labels.insert(b.label).second)
                    error(b.where, "E-grade-label", localize("check.grade-label-twice", {{"grade", b.label}}));
                if (i > 0 && !(b.bound < g.bands[i - 1].bound))
                    error(b.where, "E-grade-order",
                          localize("check.grade-order", {{"grade", b.label}, {"bound", b.bound.to_string()},
                                                         {"above", g.bands[i - 1].label},
                                                         {"above_bound", g.bands[i - 1].bound.to_string()}}),
                          localize("check.grade-order.expected"));
            }
            if (!labels.insert(g.lowest).second)
                error(g.lowest_where, "E-grade-label", localize("check.grade-label-twice", {{"grade", g.lowest}}));
        }
        for (const veto_rule& v : t_.vetoes) {
            type_expr(v.condition);
            expect_bool(v.condition, "what.veto-condition");
            if (!t_.grades) {
                error(v.where, "E-veto-no-grade", localize("check.veto-no-grade", {{"label", v.label}}),
                      localize("check.veto-no-grade.expected"));
                continue;
            }
            if (v.cap.empty()) continue;
            const auto& bands = t_.grades->bands;
            const bool above_lowest = std::any_of(bands.begin(), bands.end(), [&](const grade_band& b) { return b.label == v.cap; });
            if (!above_lowest)
                error(v.cap_where, "E-veto-grade", localize("check.veto-grade", {{"label", v.label}, {"grade", v.cap}}),
                      localize("check.veto-grade.expected", {{"grades", grade_list()}}));
        }
    }

    // The grades above the lowest, best first, for a message: "优秀, 良好, 合格".
    std::string grade_list() const {
        std::string all;
        for (const grade_band& b : t_.grades->bands) all += (all.empty() ? "" : ", ") + b.label;
        return all;
    }

    void check_tests() {
        for (auto& tc : t_.tests) {
            check_test_facts(tc.name, tc.given, {});
            check_test_expect(tc.name, tc.expect);
            if (!tc.units.empty() && !tc.expect.empty())
                error(tc.expect.front().where, "E-test-expect", localize("check.test-expect-outside-unit", {{"test", tc.name}}),
                      localize("check.test-expect-outside-unit.expected"));
            std::set<std::string> unit_names;
            for (const auto& u : tc.units) {
                if (!unit_names.insert(u.name).second)
                    error(u.where, "E-test-unit", localize("check.test-unit-twice", {{"test", tc.name}, {"unit", u.name}}));
                check_test_facts(tc.name, u.given, tc.given);
                check_test_expect(tc.name, u.expect);
            }
        }
    }

    // A unit's own facts may not repeat one of the test's shared facts.
    void check_test_facts(const std::string& test, const std::vector<test_given>& facts,
                          const std::vector<test_given>& shared) {
        std::set<std::string> given;
        for (const auto& g : shared) given.insert(g.name);
        {
            const std::string& tc_name = test;
            for (const auto& g : facts) {
                if (!given.insert(g.name).second)
                    error(g.where, "E-test-given", localize("check.test-given-twice", {{"name", g.name}, {"test", tc_name}}));
                if (names_.find(g.name) == names_.end() ||
                    names_.find(g.name)->second.kind != symbol::kind_t::input) {
                    const std::string s = suggestion(g.name);
                    error(g.where, "E-test-given", localize("check.test-given-not-input", {{"test", tc_name}, {"name", g.name}}),
                          s.empty() ? localized{} : localize("check.did-you-mean", {{"name", s}}));
                }
            }
        }
    }

    void check_test_expect(const std::string& test, const std::vector<test_expect>& expect) {
        for (const auto& e : expect) {
            if (e.code == "total" || e.code == "bonus" || e.code == "grand_total" || e.code == "adjustments") continue;
            if (e.code == "no warning") continue;
            if (e.code == "warning") {
                if (std::none_of(t_.warnings.begin(), t_.warnings.end(), [&](const warning_rule& w) { return w.label == e.label; }))
                    error(e.where, "E-test-expect", localize("check.test-expect-warning", {{"test", test}, {"label", e.label}}));
                continue;
            }
            if (e.code == "grade") {
                if (!t_.grades)
                    error(e.where, "E-test-expect", localize("check.test-expect-no-grades", {{"test", test}}));
                else if (e.label != t_.grades->lowest &&
                         std::none_of(t_.grades->bands.begin(), t_.grades->bands.end(),
                                      [&](const grade_band& b) { return b.label == e.label; }))
                    error(e.where, "E-test-expect", localize("check.test-expect-grade", {{"test", test}, {"grade", e.label}}));
                continue;
            }
            if (find_node(t_, e.code) == no_id)
                error(e.where, "E-test-expect", localize("check.test-expect-no-node", {{"test", test}, {"code", e.code}}));
        }
    }

    // --- one rule for undefined (GRAMMAR.md) -------------------------------------------------
    // A value computed from an undefined ratio (a zero denominator, no `if zero`) is undefined, and
    // a score part that is undefined scores 0. Where that is plain arithmetic (`12 * r`) every
    // reading agrees; the note is for the forms where the rule overrides the form's own reading of
    // "nothing counted": a deduction or penalty `per` an undefined count (not "nothing to deduct",
    // so not the full points), `each … of` it, `drop … of` it. It names the ratio, so the author can
    // give 0/0 its meaning with `if zero`. Comparisons with an undefined value are false (not
    // undefined): conditions, `tier`, `count … where` and `rank` stop it. An explicit stack: no
    // recursion on the C++ stack (ast.hpp).
    struct undefined_paths {
        std::vector<expr_id> from;     // per expression: the ratio (a name) that can leave it undefined
        std::vector<expr_id> decided;  // … when it passes a deduction, penalty, each or drop on the way
        std::vector<std::uint8_t> state;
    };

    static bool overrides_nothing_counted(expr_kind k) {
        return k == expr_kind::deduct || k == expr_kind::penalty || k == expr_kind::each || k == expr_kind::drop;
    }

    expr_id undefined_decided(expr_id root, undefined_paths& u) const {
        std::vector<expr_id> stack{root};
        while (!stack.empty()) {
            const expr_id e = stack.back();
            if (e == no_id || u.state[e] == 2) {
                stack.pop_back();
                continue;
            }
            const expr_node& x = t_.exprs[e];
            std::vector<expr_id> ops;  // the operands whose undefined value makes x undefined
            switch (x.kind) {
                case expr_kind::neg: case expr_kind::add: case expr_kind::sub: case expr_kind::mul:
                case expr_kind::div: case expr_kind::each: case expr_kind::drop:
                    ops = x.args;
                    break;
                case expr_kind::call:
                    if (x.text.rfind("cohort_", 0) != 0) ops = x.args;
                    break;
                case expr_kind::if_:
                    for (std::size_t i = 1; i < x.args.size(); i += 2) ops.push_back(x.args[i]);
                    if (x.has_else && !x.args.empty()) ops.push_back(x.args.back());
                    break;
                case expr_kind::deduct: case expr_kind::penalty:
                    for (const auto& term : x.terms) ops.push_back(term.count);
                    break;
                default: break;
            }
            if (u.state[e] == 0) {
                u.state[e] = 1;
                for (expr_id a : ops)
                    if (a != no_id && a < u.state.size() && u.state[a] == 0) stack.push_back(a);
                continue;
            }
            stack.pop_back();
            u.state[e] = 2;
            if (x.kind == expr_kind::name && e < syms_->size() && (*syms_)[e].kind == symbol::kind_t::ratio &&
                !t_.ratios[(*syms_)[e].index].if_zero) {
                u.from[e] = e;
                continue;
            }
            // `each` over a list of conditions counts them: never undefined.
            if (x.kind == expr_kind::each && !x.args.empty() && x.args[0] != no_id &&
                (*types_)[x.args[0]].kind != value_kind::number)
                continue;
            for (expr_id a : ops) {
                if (a == no_id || a >= u.from.size()) continue;
                if (u.from[e] == no_id) u.from[e] = u.from[a];
                if (u.decided[e] == no_id) u.decided[e] = overrides_nothing_counted(x.kind) ? u.from[a] : u.decided[a];
            }
        }
        return root == no_id ? no_id : u.decided[root];
    }

    void note_undefined_parts() {
        undefined_paths u{std::vector<expr_id>(t_.exprs.size(), no_id), std::vector<expr_id>(t_.exprs.size(), no_id),
                          std::vector<std::uint8_t>(t_.exprs.size(), 0)};
        for (const node& n : t_.nodes)
            for (const auto& part : n.parts) {
                const expr_id source = undefined_decided(part.expr, u);
                if (source == no_id) continue;
                report(severity::note, t_.exprs[source].where, "N-undefined-scores-zero",
                       localize("check.undefined-scores-zero", {{"code", n.code}, {"name", t_.exprs[source].text}}),
                       localize("check.undefined-scores-zero.expected"));
            }
    }

    // score(CODE) is what a `rank` ranks or a cohort aggregate aggregates, nothing else. The node
    // may itself read the cohort: its score is then known only after the passes over the units
    // that its own cohort values need, so the form ranking it is measured in a later pass
    // (stage). The stages are ordered here; a cycle (a node ranking its own score, two items
    // ranking each other's) has no order and is refused (E-cohort-cycle).
    void check_score_refs() {
        if (score_refs_.empty()) return;
        std::vector<bool> ranked(t_.exprs.size(), false);
        for (expr_id f : cohort_forms_)
            if (!t_.exprs[f].args.empty() && t_.exprs[f].args[0] != no_id) ranked[t_.exprs[f].args[0]] = true;
        bool placed = true;
        for (const expr_id id : score_refs_)
            if (!ranked[id]) {
                error(t_.exprs[id].where, "E-score-ref", localize("check.score-ref-place"), localize("check.score-ref-place.expected"));
                placed = false;
            }
        if (placed) order_cohort_stages();
    }

    // The node whose score a cohort form ranks or aggregates (score(CODE)), or no_id.
    node_id score_ref_of(expr_id form) const {
        const expr_node& f = t_.exprs[form];
        if (f.args.empty() || f.args[0] == no_id) return no_id;
        const expr_node& x = t_.exprs[f.args[0]];
        if (x.kind != expr_kind::call || x.text != "score" || x.args.size() != 1) return no_id;
        return find_node(t_, t_.exprs[x.args[0]].text);
    }

    // The graph: a form that ranks score(N) depends on node N; a node on the cohort forms of
    // its own rules, the lets they read and its children; a let on the forms and lets of its
    // expression. A form's stage is 0 when it ranks a unit's own value, else one more than the
    // latest stage below N. Walked without recursion, each vertex and expression once.
    void order_cohort_stages() {
        std::vector<expr_id> forms = cohort_forms_;
        std::sort(forms.begin(), forms.end());
        forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
        const std::size_t F = forms.size();
        auto form_index = [&](expr_id e) {
            return static_cast<std::size_t>(std::lower_bound(forms.begin(), forms.end(), e) - forms.begin());
        };
        // vertices: forms 0..F-1, then nodes, then lets
        const std::size_t N = t_.nodes.size();
        const std::size_t V = F + N + t_.lets.size();
        std::vector<std::vector<std::size_t>> next(V);
        std::vector<bool> listed(V, false);
        auto successors = [&](std::size_t v) -> const std::vector<std::size_t>& {
            if (listed[v]) return next[v];
            listed[v] = true;
            const auto on_form = [&](expr_id f) {
                if (const std::size_t i = form_index(f); i < F && forms[i] == f) next[v].push_back(i);  // typed
                return false;
            };
            const auto on_let = [&](std::uint32_t li) { next[v].push_back(F + N + li); };
            if (v < F) {
                if (const node_id n = score_ref_of(forms[v]); n != no_id) next[v].push_back(F + n);
            } else if (v < F + N) {
                const node& nd = t_.nodes[v - F];
                for (const auto& part : nd.parts) walk_cohort_forms(part.expr, on_form, on_let);
                for (node_id c : nd.children) next[v].push_back(F + c);
            } else {
                walk_cohort_forms(t_.lets[v - F - N].expr, on_form, on_let);
            }
            return next[v];
        };
        // height: a form's stage; a node's latest stage below it (-1: none)
        std::vector<long> height(V, -1);
        std::vector<std::uint8_t> state(V, 0);  // 0 new, 1 on the path, 2 done
        std::vector<std::pair<std::size_t, std::size_t>> path;  // vertex, next successor to visit
        for (std::size_t start = 0; start < F; ++start) {
            if (state[start] != 0) continue;
            path.emplace_back(start, 0);
            state[start] = 1;
            while (!path.empty()) {
                auto& [v, k] = path.back();
                const auto& out = successors(v);
                if (k < out.size()) {
                    const std::size_t w = out[k++];
                    if (state[w] == 0) {
                        state[w] = 1;
                        path.emplace_back(w, 0);
                    } else if (state[w] == 1) {
                        report_cohort_cycle(forms, path, w);
                    }
                    continue;
                }
                long h = -1;
                for (std::size_t w : out) h = std::max(h, height[w]);
                height[v] = v < F ? (out.empty() ? 0 : h + 1) : h;
                state[v] = 2;
                path.pop_back();
            }
        }
        for (std::size_t i = 0; i < F; ++i)
            cohort_stage_[forms[i]] = static_cast<std::uint32_t>(std::max(0L, height[i]));
    }

    // A cycle: the path from w back to w. Named by the score(…) references on it, from the one
    // written first; reported there.
    void report_cohort_cycle(const std::vector<expr_id>& forms, const std::vector<std::pair<std::size_t, std::size_t>>& path,
                             std::size_t w) {
        std::vector<expr_id> refs;  // score(…) expressions on the cycle, in the order they lead
        bool on = false;
        for (const auto& [v, k] : path) {
            on = on || v == w;
            if (on && v < forms.size()) refs.push_back(t_.exprs[forms[v]].args[0]);
        }
        if (refs.empty()) return;
        const auto first = std::min_element(refs.begin(), refs.end(), [&](expr_id a, expr_id b) {
            return t_.exprs[a].where.begin.offset < t_.exprs[b].where.begin.offset;
        });
        std::rotate(refs.begin(), first, refs.end());
        // Named the same in both languages: score(1.2) → score(1.1) → score(1.2); a long cycle
        // by its first steps.
        constexpr std::size_t shown = 8;
        auto code_of = [&](expr_id r) { return "score(" + t_.exprs[t_.exprs[r].args[0]].text + ")"; };
        std::string chain, lines;
        for (std::size_t i = 0; i < refs.size() && i < shown; ++i) {
            chain += code_of(refs[i]) + " → ";
            lines += (i ? ", " : "") + std::to_string(t_.exprs[refs[i]].where.begin.line);
        }
        chain += refs.size() > shown ? "…" : code_of(refs.front());
        if (refs.size() > shown) lines += ", …";
        error(t_.exprs[refs.front()].where, "E-cohort-cycle", localize("check.cohort-cycle", {{"chain", chain}, {"lines", lines}}),
              localize("check.cohort-cycle.expected"));
    }

    void check_unused() {
        for (std::size_t i = 0; i < t_.inputs.size(); ++i) {
            if (used_[i]) continue;
            t_.inputs[i].used = false;
            const auto it = names_.find(t_.inputs[i].name);
            if (it != names_.end() && it->second.index != i) continue;  // a duplicate, reported as such
            // an input only used as a ratio's part is used
            warning(t_.inputs[i].where, "W-unused-input", localize("check.unused-input", {{"name", t_.inputs[i].name}}));
        }
        for (std::size_t i = 0; i < t_.ratios.size(); ++i)
            if (!ratio_used_[i])
                warning(t_.ratios[i].where, "W-unused-ratio", localize("check.unused-ratio", {{"name", t_.ratios[i].name}}));
        for (std::size_t i = 0; i < t_.lets.size(); ++i)
            if (!let_used_[i] && !let_bad_[i])
                warning(t_.lets[i].where, "W-unused-let", localize("check.unused-let", {{"name", t_.lets[i].name}}));
    }
};

}  // namespace detail

RUBRIC_FUNC check_result check(ast tree, const check_options& options) {
    check_result result;
    checked_rubric out;
    out.tree = std::move(tree);
    detail::checker c(out.tree, result.diags);
    c.run(out);
    out.cohort_forms = c.cohort_forms();
    std::sort(out.cohort_forms.begin(), out.cohort_forms.end());
    out.cohort_forms.erase(std::unique(out.cohort_forms.begin(), out.cohort_forms.end()), out.cohort_forms.end());
    for (expr_id f : out.cohort_forms) out.cohort_stages.push_back(c.cohort_stage(f));
    std::stable_sort(result.diags.begin(), result.diags.end(), [](const diagnostic& a, const diagnostic& b) {
        return a.where.begin.offset < b.where.begin.offset;
    });
    if (options.warnings_as_errors)
        for (auto& d : result.diags)
            if (d.level == severity::warning) d.level = severity::error;
    if (!has_errors(result.diags)) result.rubric = std::move(out);
    return result;
}

RUBRIC_FUNC check_result parse_and_check(const source_ptr& src) {
    parse_result p = parse(src);
    if (!p.tree) {
        check_result r;
        r.diags = std::move(p.diags);
        return r;
    }
    check_result r = check(std::move(*p.tree));
    r.diags.insert(r.diags.begin(), p.diags.begin(), p.diags.end());
    return r;
}

}  // namespace rubric
