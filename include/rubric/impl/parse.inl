// Definitions for rubric/parse.hpp: PEGTL parse tree → rubric::ast.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <limits>
#include <utility>

#include "rubric/config.hpp"
#include "rubric/detail/edit_distance.hpp"
#include "rubric/detail/utf8.hpp"
#include "rubric/limits.hpp"
#include "rubric/grammar/keyword_spellings.hpp"
#include "rubric/grammar/punctuation.hpp"
#include "rubric/grammar/tree.hpp"
#include "rubric/number_message.hpp"
#include "rubric/parse.hpp"

namespace rubric {
namespace detail {

namespace g = rubric::grammar;
using tree_node = tao::pegtl::parse_tree::node;

inline std::string_view trim_ws(std::string_view s) {
    // Trailing blanks and comments were consumed by `ws`; cut at the first blank.
    std::size_t e = 0;
    while (e < s.size() && s[e] != ' ' && s[e] != '\t' && s[e] != '\r' && s[e] != '\n' && s[e] != '#' &&
           !(s.compare(e, 3, "\xE3\x80\x80") == 0))
        ++e;
    return s.substr(0, e);
}

struct syntax_error {
    std::size_t offset;
    std::string message;
    std::string expected;
};

class tree_converter {
public:
    tree_converter(const source_ptr& src, ast& out, diagnostics& diags, const parse_options& opts)
        : src_(src), out_(out), diags_(diags), opts_(opts) {}

    void convert_file(const tree_node& root) {
        for (const auto& c : root.children) {
            if (c->is_type<g::header>()) convert_header(*c);
            else member(*c, no_id);
        }
    }

private:
    const source_ptr& src_;
    ast& out_;
    diagnostics& diags_;
    const parse_options& opts_;

    position pos(const tree_node& n) const {
        return src_->position_at(static_cast<std::size_t>(n.m_begin.data - src_->text.data()));
    }
    span where(const tree_node& n) const {
        span s;
        s.begin = pos(n);
        if (n.has_content()) s.end = src_->position_at(static_cast<std::size_t>(n.m_end.data - src_->text.data()));
        else s.end = s.begin;
        return s;
    }
    std::string_view text(const tree_node& n) const { return trim_ws(n.string_view()); }
    // The span of a one-token node without the blanks the node holds after it (`1/0 }`: the
    // underline of the `0` stops at the `0`).
    span token_where(const tree_node& n) const {
        span s;
        s.begin = pos(n);
        s.end = src_->position_at(static_cast<std::size_t>(n.m_begin.data - src_->text.data()) + text(n).size());
        return s;
    }

    void error(const tree_node& n, std::string code, localized message, localized expected = {}) {
        diags_.push_back(make_diagnostic(severity::error, src_, where(n), std::move(code), std::move(message),
                                         std::move(expected)));
    }

    // --- literals ----------------------------------------------------------

    std::string string_value(const tree_node& n) {
        // n's content is "…" followed by white space, which may hold comments with
        // quotes of their own: the text ends at the first quote that is not escaped.
        std::string_view s = n.string_view();
        std::string r;
        r.reserve(s.size());
        for (std::size_t i = 1; i < s.size() && s[i] != '"'; ++i) {
            if (s[i] == '\\' && i + 1 < s.size()) {
                const char c = s[++i];
                r += c == 'n' ? '\n' : c == 't' ? '\t' : c;
            } else {
                r += s[i];
            }
        }
        return r;
    }

    // A number literal: 12, 0.5, 80%, 80％, 2分. Returns the value; sets *percent.
    decimal number_value(const tree_node& n, bool* percent = nullptr) {
        std::string_view s = text(n);
        bool pct = false;
        if (!s.empty() && s.back() == '%') { pct = true; s.remove_suffix(1); }
        else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xEF\xBC\x85") { pct = true; s.remove_suffix(3); }
        else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE5\x88\x86") { s.remove_suffix(3); }  // 分
        if (percent) *percent = pct;
        decimal v;
        number_problem why;
        if (!decimal::parse(s, v, why, opts_.numbers)) {
            error(n, "E-number", localize("parse.number", {{"reason", describe(why)}}));
            return decimal();
        }
        if (pct) v /= decimal(100);
        return v;
    }

    // 、 between two choice words separates them, as `,` does (grammar/punctuation.hpp); in Chinese
    // prose it joins the parts of one option (数据库对接、前置机), so an option the author meant as
    // one would silently become two. Said where the 、 is; quotes keep it inside one option.
    void warn_enumeration_comma(const tree_node& before, const tree_node& after) {
        const std::size_t from = static_cast<std::size_t>(before.m_end.data - src_->text.data());
        const std::size_t to = static_cast<std::size_t>(after.m_begin.data - src_->text.data());
        const std::size_t at = src_->text.find("\xE3\x80\x81", from);
        if (at == std::string::npos || at >= to) return;
        const position p = src_->position_at(at);
        diags_.push_back(make_diagnostic(severity::warning, src_, span{p, src_->position_at(at + 3)}, "W-choice-enumeration-comma",
                                         localize("parse.choice-enumeration-comma",
                                                  {{"before", label_value(before)}, {"after", label_value(after)}}),
                                         localize("parse.choice-enumeration-comma.expected",
                                                  {{"joined", label_value(before) + "、" + label_value(after)}})));
    }

    // A signed_amount: +5, -10, ＋5, －10, 5.
    decimal signed_value(const tree_node& n) {
        const decimal v = number_value(*n.children.at(0));
        const std::string_view s = n.string_view();
        const bool minus = (!s.empty() && s[0] == '-') || s.substr(0, 3) == "\xEF\xBC\x8D";  // - or －
        return minus ? -v : v;
    }

    expr_id add_expr_node(expr_node e) {
        if (out_.exprs.size() >= opts_.max_exprs) {
            if (out_.exprs.size() == opts_.max_exprs) {
                diags_.push_back(make_diagnostic(severity::error, src_, e.where, "E-limit-exprs",
                                                 localize("parse.limit-exprs", {{"limit", std::to_string(opts_.max_exprs)}})));
            }
            out_.exprs.push_back({});
            return static_cast<expr_id>(out_.exprs.size() - 1);
        }
        out_.exprs.push_back(std::move(e));
        return static_cast<expr_id>(out_.exprs.size() - 1);
    }

    expr_node make(expr_kind k, const tree_node& n) {
        expr_node e;
        e.kind = k;
        e.where = where(n);
        return e;
    }
    // A one-token expression (a name, true/false): its span stops at its last character, not
    // at the blanks and comment the grammar read after it (`dne > 3`: the caret under `dne`).
    expr_node make_token(expr_kind k, const tree_node& n) {
        expr_node e;
        e.kind = k;
        e.where = token_where(n);
        return e;
    }

    // An operator as the grammar read it (op_ge … op_div), spelt in ASCII: `≥` `≧` `＞＝` `＞=` are
    // all `>=`, `＝` is `=`, `－` is `-`, `×` is `*` (grammar/punctuation.hpp).
    static std::string ascii_op(std::string_view s) { return grammar::to_ascii_punctuation(s); }

    // Not inlined, here and below: the converters recurse, and the string stays out of their frames.
    RUBRIC_NOINLINE static cmp_op cmp_of(std::string_view written) {
        const std::string s = ascii_op(written);
        if (s == ">=") return cmp_op::ge;
        if (s == "<=") return cmp_op::le;
        if (s == "!=") return cmp_op::ne;
        if (s == "==" || s == "=") return cmp_op::eq;
        if (s == ">") return cmp_op::gt;
        return cmp_op::lt;
    }

    RUBRIC_NOINLINE static expr_kind arithmetic_kind(std::string_view written) {
        const std::string op = ascii_op(written);
        if (op == "-") return expr_kind::sub;
        if (op == "*") return expr_kind::mul;
        if (op == "/") return expr_kind::div;
        return expr_kind::add;
    }

    // --- expressions -------------------------------------------------------

    // Each nesting level of the source recurses once through expression() and one
    // of the converters below. Every converter holds a whole expr_node and the
    // temporaries of its branch; were they all branches of one function, an
    // unoptimised (-O0) build would give every level one frame with room for all of
    // them at once (about 5.7 KiB), and 64 levels would overflow a 256 KiB thread.
    // Split, a level costs the dispatcher's few bytes plus the one converter in use.
    // RUBRIC_NOINLINE keeps an optimiser from merging them back into one frame.
    expr_id expression(const tree_node& start) {
        const tree_node* at = &start;
        for (;;) {
            const tree_node& n = *at;
            if (n.is_type<g::number>() || n.is_type<g::amount>()) return number_literal(n);
            if (n.is_type<g::true_lit>() || n.is_type<g::false_lit>()) return boolean_literal(n);
            if (n.is_type<g::string_lit>()) return string_literal(n);
            if (n.is_type<g::name>()) return name_reference(n);
            if (n.is_type<g::neg>()) return negation(n);
            if (n.is_type<g::not_form>()) return negated_condition(n);
            if (n.is_type<g::mul_expr>() || n.is_type<g::add_expr>()) return arithmetic_chain(n);
            if (n.is_type<g::cmp_expr>()) return comparison(n);
            if (n.is_type<g::and_expr>() || n.is_type<g::or_expr>()) return logic_chain(n);
            if (n.is_type<g::if_form>()) return if_expression(n);
            if (n.is_type<g::list_lit>()) return list_literal(n);
            if (n.is_type<g::call>()) return call_expression(n);
            if (n.is_type<g::score_ref>()) return score_ref_expression(n);
            if (n.is_type<g::each_form>()) return each_expression(n);
            if (n.is_type<g::tier_form>()) return tier_expression(n);
            if (n.is_type<g::deduct_form>() || n.is_type<g::penalty_form>()) return deduct_expression(n);
            if (n.is_type<g::drop_form>()) return drop_expression(n);
            if (n.is_type<g::rank_form>()) return rank_expression(n);
            if (n.is_type<g::count_form>()) return count_expression(n);
            if (n.is_type<g::checklist_form>()) return checklist_expression(n);
            if (n.is_type<g::points_form>() || n.is_type<g::max_points_form>()) return points_expression(n);
            // Transparent wrappers (paren_expr, score_expr …) are not selected; anything
            // else with exactly one child is a wrapper too: step into it without a frame.
            if (n.children.size() != 1) return unknown_node(n);
            at = n.children[0].get();
        }
    }

    RUBRIC_NOINLINE expr_id number_literal(const tree_node& n) {
        auto e = make(expr_kind::number, n);
        bool pct = false;
        e.nums.push_back(number_value(n, &pct));
        e.percent = pct;
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id boolean_literal(const tree_node& n) {
        auto e = make_token(expr_kind::boolean, n);
        e.nums.push_back(decimal(n.is_type<g::true_lit>() ? 1 : 0));
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id string_literal(const tree_node& n) {
        auto e = make(expr_kind::string, n);
        e.text = string_value(n);
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id name_reference(const tree_node& n) {
        auto e = make_token(expr_kind::name, n);
        e.text = std::string(text(n));
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id negation(const tree_node& n) {
        auto e = make(expr_kind::neg, n);
        e.args.push_back(expression(*n.children.at(0)));
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id negated_condition(const tree_node& n) {
        auto e = make(expr_kind::not_, n);
        e.args.push_back(expression(*n.children.at(0)));
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id arithmetic_chain(const tree_node& n) {
        // left-assoc chain: first operand, then tails (op, rhs)
        expr_id acc = expression(*n.children.at(0));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const tree_node& tail = *n.children[i];
            auto e = make(arithmetic_kind(text(*tail.children.at(0))), tail);
            e.where.begin = out_.exprs[acc].where.begin;
            e.args.push_back(acc);
            e.args.push_back(expression(*tail.children.at(1)));
            acc = add_expr_node(std::move(e));
        }
        return acc;
    }

    RUBRIC_NOINLINE expr_id comparison(const tree_node& n) {
        auto e = make(expr_kind::compare, *n.children.at(1));
        e.op = cmp_of(text(*n.children.at(1)));
        e.args.push_back(expression(*n.children.at(0)));
        e.args.push_back(expression(*n.children.at(2)));
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id logic_chain(const tree_node& n) {
        const expr_kind k = n.is_type<g::and_expr>() ? expr_kind::and_ : expr_kind::or_;
        expr_id acc = expression(*n.children.at(0));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            auto e = make(k, n);
            e.args.push_back(acc);
            e.args.push_back(expression(*n.children[i]));
            acc = add_expr_node(std::move(e));
        }
        return acc;
    }

    RUBRIC_NOINLINE expr_id if_expression(const tree_node& n) {
        auto e = make(expr_kind::if_, n);
        e.args.push_back(expression(*n.children.at(0)));
        e.args.push_back(expression(*n.children.at(1)));
        if (n.children.size() > 2) {
            e.has_else = true;
            e.args.push_back(expression(*n.children[2]->children.at(0)));
        }
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id list_literal(const tree_node& n) {
        auto e = make(expr_kind::list, n);
        for (const auto& c : n.children) e.args.push_back(expression(*c));
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id call_expression(const tree_node& n) {
        auto e = make(expr_kind::call, n);
        e.text = std::string(text(*n.children.at(0)));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            if (n.children[i]->is_type<g::call_among>()) {
                e.has_among = true;
                e.args.push_back(expression(*n.children[i]->children.at(0)));
            } else {
                e.args.push_back(expression(*n.children[i]));
            }
        }
        return add_expr_node(std::move(e));
    }

    // score(1.2): a call of `score` whose argument is the node's code as a text.
    RUBRIC_NOINLINE expr_id score_ref_expression(const tree_node& n) {
        auto e = make(expr_kind::call, n);
        e.text = "score";
        auto code = make(expr_kind::string, *n.children.at(0));
        code.text = std::string(text(*n.children.at(0)));
        e.args.push_back(add_expr_node(std::move(code)));
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id each_expression(const tree_node& n) {
        auto e = make(expr_kind::each, n);
        e.nums.push_back(number_value(*n.children.at(0)));
        e.nums.push_back(decimal());
        e.args.push_back(no_id);
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const tree_node& c = *n.children[i];
            if (c.is_type<g::each_max>()) {
                e.has_cap = true;
                e.nums[1] = number_value(*c.children.at(0));
            } else {
                e.args[0] = expression(*c.children.at(0));
            }
        }
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id tier_expression(const tree_node& n) {
        auto e = make(expr_kind::tier, n);
        e.args.push_back(no_id);
        e.nums.push_back(decimal());
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::tier_subject>()) {
                e.args[0] = expression(*c.children.at(0));
            } else if (c.is_type<g::tier_band>()) {
                tier_band b;
                b.op = cmp_of(text(*c.children.at(0)));
                const tree_node& bound = *c.children.at(1);
                if (!bound.children.empty() &&
                    (bound.children.front()->is_type<g::call>() || bound.children.front()->is_type<g::name>())) {
                    b.level = expression(*bound.children.front());  // read from the cohort
                    e.args.push_back(b.level);
                } else {
                    b.bound = number_value(bound, &b.percent);
                }
                b.score = number_value(*c.children.at(2));
                b.where = where(c);
                e.bands.push_back(std::move(b));
            } else if (c.is_type<g::tier_else>()) {
                e.has_else = true;
                e.nums[0] = number_value(*c.children.at(0));
            }
        }
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id deduct_expression(const tree_node& n) {
        auto e = make(n.is_type<g::deduct_form>() ? expr_kind::deduct : expr_kind::penalty, n);
        e.nums.assign(2, decimal());
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::deduct_term>()) {
                deduct_term t;
                t.per = number_value(*c.children.at(0));
                t.count = expression(*c.children.at(1));
                e.terms.push_back(t);
            } else if (c.is_type<g::deduct_max>()) {
                e.has_cap = true;
                e.nums[0] = number_value(*c.children.at(0));
            } else if (c.is_type<g::deduct_from>()) {
                e.has_base = true;
                e.nums[1] = number_value(*c.children.at(0));
            }
        }
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id drop_expression(const tree_node& n) {
        auto e = make(expr_kind::drop, n);
        e.nums.push_back(number_value(*n.children.at(0)));  // amount
        e.nums.push_back(number_value(*n.children.at(1)));  // step
        const tree_node& level = *n.children.at(2);
        const bool cohort_level = level.is_type<g::call>();
        e.nums.push_back(cohort_level ? decimal() : number_value(level));  // target
        e.nums.push_back(decimal());                        // base
        e.args.push_back(no_id);
        if (cohort_level) e.args.push_back(expression(level));  // args[1]: the level
        for (std::size_t i = 3; i < n.children.size(); ++i) {
            const tree_node& c = *n.children[i];
            if (c.is_type<g::drop_of>()) e.args[0] = expression(*c.children.at(0));
            else {
                e.has_base = true;
                e.nums[3] = number_value(*c.children.at(0));
            }
        }
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id rank_expression(const tree_node& n) {
        auto e = make(expr_kind::rank, n);
        e.args.assign(2, no_id);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::rank_subject>()) e.args[0] = expression(*c.children.at(0));
            else if (c.is_type<g::rank_higher>()) e.higher_is_better = true;
            else if (c.is_type<g::rank_lower>()) e.higher_is_better = false;
            else if (c.is_type<g::rank_among>()) e.args[1] = expression(*c.children.at(0));
            else if (c.is_type<g::rank_linear>()) {
                e.mapping = rank_mapping::linear;
                e.nums.push_back(number_value(*c.children.at(0)));
                e.nums.push_back(number_value(*c.children.at(1)));
            } else if (c.is_type<g::rank_places>()) {
                e.mapping = rank_mapping::places;
                // amounts of the table, then the `otherwise` amount (last child)
                for (const auto& a : c.children) {
                    if (a->is_type<g::amount>() || a->is_type<g::number>()) e.nums.push_back(number_value(*a));
                    else if (!a->children.empty()) {
                        for (const auto& b : a->children)
                            if (b->is_type<g::amount>() || b->is_type<g::number>()) e.nums.push_back(number_value(*b));
                    }
                }
            } else if (c.is_type<g::rank_proportional>()) {
                e.mapping = rank_mapping::proportional;
                e.nums.push_back(number_value(*c.children.at(0)));
            }
        }
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id count_expression(const tree_node& n) {
        const tree_node& c = *n.children.at(0);
        if (c.is_type<g::count_where>()) {
            auto e = make(expr_kind::count_where, n);
            e.text = std::string(text(*c.children.at(0)));
            e.args.push_back(expression(*c.children.at(1)));
            e.args.push_back(expression(*c.children.at(2)));
            return add_expr_node(std::move(e));
        }
        auto e = make(expr_kind::count, n);
        e.args.push_back(expression(c));
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id checklist_expression(const tree_node& n) {
        auto e = make(expr_kind::checklist, n);
        for (const auto& cp : n.children) {
            e.args.push_back(expression(*cp->children.at(0)));
            e.nums.push_back(number_value(*cp->children.at(1)));
        }
        return add_expr_node(std::move(e));
    }

    // points 报送方式 [database: 2, otherwise: 0]; max_points 获奖级别 [national: 5, …]
    RUBRIC_NOINLINE expr_id points_expression(const tree_node& n) {
        auto e = make(n.is_type<g::points_form>() ? expr_kind::points : expr_kind::max_points, n);
        e.args.push_back(no_id);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::points_subject>()) {
                auto s = make_token(expr_kind::name, c);
                s.text = std::string(text(c));
                e.args[0] = add_expr_node(std::move(s));
            } else if (c.is_type<g::points_entry>()) {
                choice_points o;
                const tree_node& opt = *c.children.at(0);
                o.where = token_where(opt);
                o.otherwise = opt.is_type<g::points_otherwise>();
                if (!o.otherwise) o.word = label_value(opt);
                o.points = number_value(*c.children.at(1));
                e.options.push_back(std::move(o));
            }
        }
        return add_expr_node(std::move(e));
    }

    RUBRIC_NOINLINE expr_id unknown_node(const tree_node& n) {
        error(n, "E-internal", localize("parse.internal-node", {{"node", std::string(n.type)}}));
        return add_expr_node(make(expr_kind::number, n));
    }

    // --- structure ---------------------------------------------------------

    node_id new_node(node_kind k, const tree_node& n, node_id parent) {
        if (out_.nodes.size() >= opts_.max_nodes) {
            if (out_.nodes.size() == opts_.max_nodes)
                error(n, "E-limit-nodes", localize("parse.limit-nodes", {{"limit", std::to_string(opts_.max_nodes)}}));
        }
        node nd;
        nd.kind = k;
        nd.where = where(n);
        nd.parent = parent;
        out_.nodes.push_back(std::move(nd));
        const auto id = static_cast<node_id>(out_.nodes.size() - 1);
        if (parent == no_id) out_.roots.push_back(id);
        else out_.nodes[parent].children.push_back(id);
        return id;
    }

    void convert_node(const tree_node& n, node_kind k, node_id parent) {
        const node_id id = new_node(k, n, parent);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            node& nd = out_.nodes[id];
            if (c.is_type<g::node_code>()) {
                nd.code = std::string(text(c));
                nd.code_explicit = true;
                nd.code_span = where(c);
            } else if (c.is_type<g::node_name>()) {
                nd.name = string_value(c);
            } else if (c.is_type<g::node_points>()) {
                nd.points = number_value(c);
                nd.points_span = where(c);
            } else if (c.is_type<g::section_by_name>()) {
                nd.by = std::string(text(c));
                nd.by_span = where(c);
            } else if (c.is_type<g::case_decl>()) {
                convert_case(c, id);
            } else if (c.is_type<g::adjust_max>() || c.is_type<g::adjust_min>()) {
                (c.is_type<g::adjust_max>() ? nd.adjust_max : nd.adjust_min) = signed_value(*c.children.at(0));
                if (nd.adjust_span.begin.line == 0) nd.adjust_span = where(c);
                nd.adjust_span.end = where(c).end;
            } else {
                member(c, id);
            }
        }
    }

    // case "县水利局", "县水务局" { … }: its members become children of the section, marked with the case.
    void convert_case(const tree_node& n, node_id section) {
        node_case k;
        k.where = where(n);
        const auto index = static_cast<std::uint32_t>(out_.nodes[section].cases.size());
        std::vector<const tree_node*> members;
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::case_word>()) {
                const tree_node& word = c.children.empty() ? c : *c.children[0];
                k.words.push_back(word.is_type<g::string_lit>() ? string_value(word) : std::string(text(word)));
                k.word_spans.push_back(where(c));
            } else {
                members.push_back(&c);
            }
        }
        out_.nodes[section].cases.push_back(std::move(k));
        for (const tree_node* c : members) {
            const std::size_t before = out_.nodes[section].children.size();
            member(*c, section);
            for (std::size_t i = before; i < out_.nodes[section].children.size(); ++i)
                out_.nodes[out_.nodes[section].children[i]].case_index = index;
        }
    }

    void member(const tree_node& c, node_id owner) {
        if (c.is_type<g::section_decl>()) return convert_node(c, node_kind::section, owner);
        if (c.is_type<g::item_decl>()) return convert_node(c, node_kind::item, owner);
        if (c.is_type<g::bonus_decl>()) return convert_node(c, node_kind::bonus, owner);
        if (c.is_type<g::adjustments_decl>()) return convert_node(c, node_kind::adjustments, owner);
        if (c.is_type<g::task_decl>()) return convert_node(c, node_kind::task, owner);
        if (c.is_type<g::input_decl>()) return convert_input(c, owner);
        if (c.is_type<g::ratio_decl>()) return convert_ratio(c, owner);
        if (c.is_type<g::let_decl>()) return convert_let(c, owner);
        if (c.is_type<g::test_decl>()) return convert_test(c);
        if (c.is_type<g::warn_decl>()) return convert_warning(c);
        if (c.is_type<g::grade_decl>()) return convert_grades(c);
        if (c.is_type<g::veto_decl>()) return convert_veto(c);
        if (owner == no_id) return;
        node& nd = out_.nodes[owner];
        if (c.is_type<g::score_clause>()) {
            score_part p;
            p.where = where(c);
            for (const auto& sp : c.children) {
                if (sp->is_type<g::score_label>()) p.label = string_value(*sp->children.at(0));
                else p.expr = expression(*sp);
            }
            out_.nodes[owner].parts.push_back(std::move(p));
            return;
        }
        if (c.is_type<g::subject_clause>()) {
            const expr_id e = expression(*c.children.at(0));
            out_.nodes[owner].subject = e;
            return;
        }
        metadata& m = nd.meta;
        auto text_of = [&]() {
            // meta_text: one or more adjacent strings, joined
            const tree_node& t = *c.children.at(0);
            if (t.children.empty()) return string_value(t);
            std::string joined;
            for (const auto& part : t.children) joined += string_value(*part);
            return joined;
        };
        auto list_of = [&]() {
            std::vector<std::string> v;
            for (const auto& s : c.children) v.push_back(string_value(*s));
            return v;
        };
        if (c.is_type<g::meta_requirement>()) m.requirement = text_of();
        else if (c.is_type<g::meta_standard>()) m.standard = text_of();
        else if (c.is_type<g::meta_method>()) m.method = text_of();
        else if (c.is_type<g::meta_evidence>()) m.evidence = text_of();
        else if (c.is_type<g::meta_owners>()) m.owners = text_of();
        else if (c.is_type<g::meta_deadline>()) m.deadline = text_of();
        else if (c.is_type<g::meta_measures>()) m.measures = text_of();
        else if (c.is_type<g::meta_note>()) m.note = text_of();
        else if (c.is_type<g::meta_lead>()) m.lead = list_of();
        else if (c.is_type<g::meta_support>()) m.support = list_of();
    }

    void convert_missing(const tree_node& c, missing_policy& policy, decimal& value) {
        if (c.is_type<g::missing_zero>()) policy = missing_policy::zero;
        else if (c.is_type<g::missing_error>()) policy = missing_policy::error;
        else {
            policy = missing_policy::value;
            const tree_node& v = c.children.empty() ? c : *c.children[0];
            if (v.is_type<g::true_lit>()) value = decimal(1);
            else if (v.is_type<g::false_lit>()) value = decimal(0);
            else value = number_value(v);
        }
    }

    // choice [database "数据库对接", frontend "前置机"]: the words, each with its label ("" if none).
    void read_choices(const tree_node& c, input_decl& in) {
        const tree_node* last_word = nullptr;
        for (const auto& wp : c.children) {
            const tree_node& w = *wp;
            if (w.is_type<g::choice_label>()) {
                if (!in.choice_labels.empty()) in.choice_labels.back() = string_value(w);
                continue;
            }
            const tree_node& word = w.children.empty() ? w : *w.children[0];
            in.choices.push_back(word.is_type<g::string_lit>() ? string_value(word) : std::string(text(word)));
            in.choice_labels.emplace_back();
            if (last_word) warn_enumeration_comma(*last_word, w);
            last_word = &w;
        }
    }

    void convert_input(const tree_node& n, node_id owner) {
        input_decl in;
        in.owner = owner;
        in.where = where(n);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::input_name>()) {
                in.name = std::string(text(c));
                in.where = where(c);
            } else if (c.is_type<g::type_bool>()) in.type = input_type::boolean;
            else if (c.is_type<g::type_count>()) in.type = input_type::count;
            else if (c.is_type<g::type_percent>()) in.type = input_type::percent;
            else if (c.is_type<g::type_decimal>()) in.type = input_type::number;
            else if (c.is_type<g::type_judged>()) in.type = input_type::judged;
            else if (c.is_type<g::type_choice>()) {
                in.type = input_type::choice;
                read_choices(c, in);
            } else if (c.is_type<g::type_listof>()) {
                in.type = input_type::list;
                const tree_node& el = *c.children.at(0);
                in.element = el.is_type<g::type_count>()     ? input_type::count
                             : el.is_type<g::type_decimal>() ? input_type::number
                             : el.is_type<g::type_choice>()  ? input_type::choice
                                                             : input_type::percent;
                if (in.element == input_type::choice) read_choices(el, in);
            } else if (c.is_type<g::input_range>()) {
                for (const auto& r : c.children) {
                    if (r->is_type<g::range_lo>()) in.lo = number_value(*r);
                    else {
                        in.hi = number_value(*r);
                        in.hi_text = std::string(text(*r));
                    }
                }
            } else if (c.is_type<g::missing_clause>()) {
                convert_missing(*c.children.at(0), in.missing, in.missing_value);
            } else if (c.is_type<g::label>()) {
                in.label = string_value(c);
            }
        }
        const auto idx = static_cast<std::uint32_t>(out_.inputs.size());
        out_.inputs.push_back(std::move(in));
        if (owner != no_id) out_.nodes[owner].inputs.push_back(idx);
    }

    void convert_ratio(const tree_node& n, node_id owner) {
        ratio_decl r;
        r.owner = owner;
        r.where = where(n);
        int operand = 0;
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::ratio_name>()) {
                r.name = std::string(text(c));
                r.where = where(c);
            } else if (c.is_type<g::ratio_if_zero>()) {
                const tree_node& v = *c.children.at(0);
                if (!v.children.empty() && !v.children[0]->is_type<g::kw_undefined>())
                    r.if_zero = number_value(*v.children[0]);
                else if (v.children.empty() && text(v) != "undefined" && text(v) != "无定义")
                    r.if_zero = number_value(v);
            } else if (c.is_type<g::label>()) {
                r.label = string_value(c);
            } else {
                (operand++ == 0 ? r.numerator : r.denominator) = expression(c);
            }
        }
        const auto idx = static_cast<std::uint32_t>(out_.ratios.size());
        out_.ratios.push_back(std::move(r));
        if (owner != no_id) out_.nodes[owner].ratios.push_back(idx);
    }

    void convert_let(const tree_node& n, node_id owner) {
        let_decl l;
        l.owner = owner;
        l.where = where(n);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::let_name>()) {
                l.name = std::string(text(c));
                l.where = where(c);
            } else if (c.is_type<g::label>()) {
                l.label = string_value(c);
            } else {
                l.expr = expression(c);
            }
        }
        out_.lets.push_back(std::move(l));
    }

    void convert_warning(const tree_node& n) {
        warning_rule w;
        w.where = where(n);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::warn_label>()) w.label = string_value(c);
            else if (c.is_type<g::warn_score>()) {
                const tree_node& target = *c.children.at(0);
                w.target = std::string(text(target));
                while (!w.target.empty() && (w.target.back() == ' ' || w.target.back() == '\t' || w.target.back() == '\n' ||
                                             w.target.back() == '\r'))
                    w.target.pop_back();
                if (w.target == "总分") w.target = "total";
                w.target_span = where(target);
                w.op = cmp_of(text(*c.children.at(1)));
                w.threshold = number_value(*c.children.at(2), &w.percent);
            } else if (c.is_type<g::warn_condition>()) {
                w.condition = expression(*c.children.at(0));
            }
        }
        out_.warnings.push_back(std::move(w));
    }

    // A grade's label: a word, or a text in quotes (grade_label, veto_cap).
    std::string label_value(const tree_node& n) {
        const tree_node& word = n.children.empty() ? n : *n.children[0];
        return word.is_type<g::string_lit>() ? string_value(word) : std::string(text(word));
    }

    void convert_grades(const tree_node& n) {
        if (out_.grades) {
            diags_.push_back(make_diagnostic(severity::error, src_, where(n), "E-grade-twice", localize("parse.grade-twice"),
                                             localize("parse.grade-twice.expected")));
            return;
        }
        grade_scale scale;
        scale.where = where(n);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::grade_band>()) {
                grade_band b;
                b.where = where(c);
                b.label = label_value(*c.children.at(0));
                b.bound = number_value(*c.children.at(1));
                scale.bands.push_back(std::move(b));
            } else if (c.is_type<g::grade_otherwise>()) {
                scale.lowest = label_value(*c.children.at(0));
                scale.lowest_where = where(*c.children.at(0));
            }
        }
        out_.grades = std::move(scale);
    }

    void convert_veto(const tree_node& n) {
        veto_rule v;
        v.where = where(n);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::veto_cap>()) {
                v.cap = label_value(c);
                v.cap_where = token_where(c);
            } else if (c.is_type<g::veto_label>()) {
                v.label = string_value(c);
            } else if (c.is_type<g::veto_condition>()) {
                v.condition = expression(*c.children.at(0));
            }
        }
        out_.vetoes.push_back(std::move(v));
    }

    void convert_test(const tree_node& n) {
        test_case t;
        t.where = where(n);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            // After `unit "A"`, facts and expectations belong to that unit.
            std::vector<test_given>& given = t.units.empty() ? t.given : t.units.back().given;
            std::vector<test_expect>& expect = t.units.empty() ? t.expect : t.units.back().expect;
            if (c.is_type<g::test_name>()) t.name = string_value(c);
            else if (c.is_type<g::test_unit>()) {
                test_unit u;
                u.where = where(c);
                u.name = string_value(*c.children.at(0));
                t.units.push_back(std::move(u));
            } else if (c.is_type<g::given_clause>()) {
                for (const auto& gi : c.children) {
                    test_given gv;
                    gv.name = std::string(text(*gi->children.at(0)));
                    gv.where = where(*gi);
                    const tree_node& v = *gi->children.at(1);  // given_value, content kept
                    if (!v.children.empty() && v.children[0]->is_type<g::string_lit>())
                        gv.value = string_value(*v.children[0]);
                    else
                        gv.value = trim_list(v);
                    given.push_back(std::move(gv));
                }
            } else if (c.is_type<g::expect_clause>()) {
                for (const auto& ei : c.children) {
                    test_expect ex;
                    ex.where = where(*ei);
                    if (ei->children.at(0)->is_type<g::expect_warning>()) {
                        ex.code = "warning";
                        ex.label = string_value(*ei->children[0]->children.at(0));
                        expect.push_back(std::move(ex));
                        continue;
                    }
                    if (ei->children.at(0)->is_type<g::expect_no_warning>()) {
                        ex.code = "no warning";
                        expect.push_back(std::move(ex));
                        continue;
                    }
                    if (ei->children.at(0)->is_type<g::expect_grade>()) {
                        ex.code = "grade";
                        ex.label = label_value(*ei->children[0]->children.at(0));
                        expect.push_back(std::move(ex));
                        continue;
                    }
                    ex.code = std::string(text(*ei->children.at(0)));
                    if (ex.code == "总分") ex.code = "total";
                    if (ex.code == "附加分") ex.code = "bonus";
                    if (ex.code == "总得分") ex.code = "grand_total";
                    if (ex.code == "奖扣分") ex.code = "adjustments";
                    ex.score = signed_value(*ei->children.at(1));
                    if (ei->children.size() > 2) {
                        const decimal den = number_value(*ei->children[2]);
                        if (den.is_zero())
                            diags_.push_back(make_diagnostic(severity::error, src_, token_where(*ei->children[2]), "E-div-zero",
                                                             localize("check.division-by-zero")));
                        else ex.score /= den;
                    }
                    expect.push_back(std::move(ex));
                }
            }
        }
        out_.tests.push_back(std::move(t));
    }

    std::string trim_list(const tree_node& v) const {
        std::string_view s = v.string_view();
        while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
        return std::string(s);
    }

    void convert_header(const tree_node& n) {
        out_.has_header = true;
        rubric_header& h = out_.header;
        h.where = where(n);
        for (const auto& cp : n.children) {
            const tree_node& c = *cp;
            if (c.is_type<g::header_title>()) h.title = string_value(c);
            else if (c.is_type<g::header_document>()) h.document = string_value(*c.children.at(0));
            else if (c.is_type<g::header_issuer>()) h.issuer = string_value(*c.children.at(0));
            else if (c.is_type<g::header_date>()) h.date = string_value(*c.children.at(0));
            else if (c.is_type<g::header_edition>()) h.edition = string_value(*c.children.at(0));
            else if (c.is_type<g::header_note>()) h.note = string_value(*c.children.at(0));
            else if (c.is_type<g::header_total>()) {
                h.total = number_value(*c.children.at(0));
                h.total_span = where(*c.children.at(0));
            } else if (c.is_type<g::header_rounding>()) {
                const std::string_view p = text(*c.children.at(0));
                h.display_places = p.size() > 2 ? 99 : std::stoi(std::string(p));
                if (h.display_places > 20) error(*c.children.at(0), "E-rounding", localize("parse.rounding-places"));
                if (c.children.size() > 1 && c.children[1]->is_type<g::round_half_even>())
                    h.display_rounding = rounding::half_even;
            } else if (c.is_type<g::header_missing>()) {
                convert_missing(*c.children.at(0), h.missing, h.missing_value);
            }
        }
    }
};

template <typename Rule>
syntax_error run_parse(const source_ptr& src, std::size_t from, std::unique_ptr<tree_node>* root, std::size_t nesting) {
    g::nesting_limit() = nesting;
    const std::string_view text = std::string_view(src->text).substr(from);
    tao::pegtl::memory_input<> in(text.data(), text.size(), src->name);
    try {
        auto r = tao::pegtl::parse_tree::parse<Rule, g::selector, tao::pegtl::nothing, g::control>(in);
        if (root && r) g::parser_view(*r);
        if (root) *root = std::move(r);
        return {std::string::npos, {}, {}};
    } catch (const tao::pegtl::parse_error& e) {
        const auto& p = e.positions().front();
        std::string msg(e.message());
        std::string expected;
        if (msg.rfind("parse error", 0) != 0) {
            expected = msg;
            msg = "syntax error";
        }
        return {from + p.byte, msg, expected};
    }
}

// The name of a character that does not show on screen (the catalog id of its words), or null.
// Between backquotes it would read "unexpected `item`" (a byte-order mark before `item`) or
// "unexpected ``" (a zero-width space): it has to be named by its code point.
inline const char* invisible_character(char32_t cp) noexcept {
    switch (cp) {
        case 0x0000: return "invisible.nul";
        case 0x00A0: return "invisible.no-break-space";
        case 0x00AD: return "invisible.soft-hyphen";
        case 0x200B: return "invisible.zero-width-space";
        case 0x200C: case 0x200D: case 0x2060: return "invisible.zero-width-joiner";
        case 0xFEFF: return "invisible.byte-order-mark";
        default: break;
    }
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp < 0xA0)) return "invisible.control";
    return nullptr;
}

// "unexpected `word`" for the token at `offset`.
inline localized unexpected_at(const std::string& text, std::size_t offset, bool one_character = false) {
    if (offset >= text.size()) return localize("parse.unexpected-eof");
    char32_t cp = 0;
    if (detail::utf8_decode(text, offset, cp) != 0) {
        if (const char* name = invisible_character(cp)) {
            char code[16];
            std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
            return localize("parse.unexpected-invisible", {{"code", std::string(code)}, {"name", localize(name)}});
        }
    }
    std::size_t e = offset;
    const auto is_word = [](unsigned char c) { return c >= 0x80 || std::isalnum(c) || c == '_' || c == '.' || c == '%'; };
    if (is_word(static_cast<unsigned char>(text[e]))) {
        while (e < text.size() && is_word(static_cast<unsigned char>(text[e])) && e - offset < 40) ++e;
        // do not cut a UTF-8 sequence
        while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
    } else {
        e = offset + 1;
    }
    // The character after a number it is glued to (`0～6`) is shown alone: "unexpected `～`".
    if (one_character) e = offset + detail::utf8_decode(text, offset, cp);
    std::string tok = text.substr(offset, e - offset);
    if (tok == "\n" || tok == "\r") return localize("parse.unexpected-eol");
    return localize("parse.unexpected", {{"token", tok}});
}

// `tier x >= cohort_mean(x) * 90%: 3`, `>= 0.9 * cohort_mean(x): 3`: where a tier band's colon was
// expected, an arithmetic operator, on a line that reads the cohort (parse.hint-tier-cohort).
inline bool computed_cohort_threshold(std::string_view text, std::size_t at) {
    if (at >= text.size()) return false;
    static constexpr std::string_view operators[] = {"*", "/", "+", "-", "\xC3\x97", "\xC3\xB7",
                                                         "\xEF\xBC\x8F", "\xEF\xBC\x8B", "\xEF\xBC\x8D"};  // × ÷ ／ ＋ －
    bool op = false;
    for (std::string_view o : operators) op = op || text.substr(at, o.size()) == o;
    if (!op) return false;
    const std::size_t begin = text.rfind('\n', at) == std::string_view::npos ? 0 : text.rfind('\n', at) + 1;
    const std::size_t end = std::min(text.find('\n', at), text.size());
    return text.substr(begin, end - begin).find("cohort_") != std::string_view::npos;
}

// A hint for what a table copied into a rubric often holds at a syntax error (a note under
// the error), or an empty message: typographic quotes, a full-width semicolon, and the prose
// of a tier band (90％以上：3, 85％-94％：2, 70％以下) where a tier gives an operator and a bound. (The other full-width punctuation
// is read as ASCII: grammar/punctuation.hpp.)
inline localized punctuation_hint(const std::string& text, std::size_t offset) {
    if (offset >= text.size()) return {};
    char32_t cp = 0;
    if (detail::utf8_decode(text, offset, cp) == 0) return {};
    if (cp == U'\u201C' || cp == U'\u201D' || cp == U'\u2018' || cp == U'\u2019' || cp == U'\u300C' || cp == U'\u300D')
        return localize("parse.hint-curly-quote");
    if (cp == U'\uFF1B') return localize("parse.hint-fullwidth-semicolon");
    // A number, a percent sign, then a dash or a tilde and another number: a range as the prose writes it.
    std::size_t i = offset;
    auto digits = [&] {
        const std::size_t b = i;
        while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
        return i > b;
    };
    auto skip = [&](std::initializer_list<const char*> words) {
        for (const char* w : words)
            if (text.compare(i, std::strlen(w), w) == 0) {
                i += std::strlen(w);
                return true;
            }
        return false;
    };
    if (!digits()) return {};
    const std::size_t low_end = i;
    const bool percent = skip({"%", "\uFF05"});
    const std::string value = text.substr(offset, low_end - offset) + (percent ? "%" : "");
    // 90％以上 / 90％及以上 (at least, as the tables read it) and 70％以下 (below).
    if (skip({"\u53CA\u4EE5\u4E0A", "\u4EE5\u4E0A"})) return localize("parse.hint-prose-bound", {{"op", ">="}, {"value", value}});
    if (skip({"\u4EE5\u4E0B"})) return localize("parse.hint-prose-bound", {{"op", "<"}, {"value", value}});
    if (!skip({"-", "~", "\uFF5E", "\uFF0D", "\u2014", "\u2013", "\u81F3", "\u5230"})) return {};
    if (!digits()) return {};
    return localize("parse.hint-prose-range", {{"low", value}});
}

// "did you mean `score`?" for a word at `offset` that is one or two edits from a keyword
// (one for a short or a Chinese word), in the word's own script: a Chinese word gets the
// Chinese keyword (得份 → 得分), an English one the English. Empty when the word is a keyword
// itself (misplaced, not misspelt) or near none.
inline localized keyword_hint(const std::string& text, std::size_t offset) {
    std::size_t e = offset;
    bool cjk = false;
    while (e < text.size() && e - offset < 40) {
        const auto c = static_cast<unsigned char>(text[e]);
        if (std::isalpha(c) || c == '_') {
            ++e;
            continue;
        }
        char32_t cp = 0;
        const std::size_t n = c >= 0x80 ? detail::utf8_decode(text, e, cp) : 0;
        if (n == 0 || cp < 0x4E00 || cp > 0x9FFF) break;
        cjk = true;
        e += n;
    }
    const std::string_view word(text.data() + offset, e - offset);
    if (word.empty() || (e < text.size() && std::isdigit(static_cast<unsigned char>(text[e])))) return {};
    const std::size_t chars = utf8_length(word);
    // A Chinese word of two characters is one edit from many others (政务, 任务): only a word
    // that keeps the keyword's first character is taken for it (得份 → 得分, 评份项 → 评分项).
    if (cjk && chars < 2) return {};
    const std::size_t limit = cjk || chars <= 4 ? 1 : 2;
    const char* best = nullptr;
    std::size_t best_d = limit + 1;
    bool exact = false;
    auto consider = [&](const grammar::keyword_spelling& k) {
        const std::string_view spelling = cjk ? k.zh : k.en;
        if (spelling == word) exact = true;  // a keyword in the wrong place: the error says what fits
        if (cjk && spelling.compare(0, 3, word.substr(0, 3)) != 0) return;  // 3 bytes: the first character
        const std::size_t d = detail::one_swap_apart(word, spelling) ? 1 : detail::edit_distance(word, spelling, limit);
        if (d < best_d) {
            best_d = d;
            best = cjk ? k.zh : k.en;
        }
    };
    for (const auto& k : grammar::keyword_spellings) consider(k);
    for (const auto& k : grammar::declaration_keyword_spellings) consider(k);  // grade, veto, … (not reserved)
    if (exact) return {};
    return best ? localize("parse.hint-keyword", {{"keyword", best}}) : localized{};
}

// "max comes before from" for a clause written after one that must follow it (issue 13, item 11):
// `deduct … from 2 max 2`, `each 0.5 of [a, b] max 1`, `drop … from 1 of x`. The word at `offset`
// is the clause the parser did not expect; the clause it belongs to is looked for in the text of the
// same score clause before it (from the last `score`/得分, at most 2,000 bytes back). Empty when the
// order is not the trouble.
inline localized clause_order_hint(const std::string& text, std::size_t offset) {
    auto word_at = [&](std::size_t i, const char* w) {
        const std::size_t n = std::strlen(w);
        if (text.compare(i, n, w) != 0) return false;
        const auto c = static_cast<unsigned char>(w[0]);
        if (c >= 0x80) return true;  // a Chinese keyword: no word boundary to check
        const auto edge = [&](std::size_t j) {
            return j >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_');
        };
        return (i == 0 || edge(i - 1)) && edge(i + n);
    };
    auto any_at = [&](std::size_t i, std::initializer_list<const char*> ws) {
        for (const char* w : ws)
            if (word_at(i, w)) return true;
        return false;
    };
    const bool max_here = any_at(offset, {"max", "\u6700\u9AD8", "\u6700\u591A"});  // 最高 (最高扣 too), 最多
    const bool of_here = any_at(offset, {"of", "\u5BF9"});                           // 对
    if (!max_here && !of_here) return {};
    const std::size_t from = offset > 2000 ? offset - 2000 : 0;
    std::size_t clause = from;
    for (std::size_t i = offset; i-- > from;)
        if (any_at(i, {"score", "\u5F97\u5206"})) {  // 得分
            clause = i;
            break;
        }
    auto seen = [&](std::initializer_list<const char*> ws) {
        for (std::size_t i = clause; i < offset; ++i)
            if (any_at(i, ws)) return true;
        return false;
    };
    const std::initializer_list<const char*> from_words = {"from", "\u6EE1\u5206"};  // 满分
    if (max_here && seen({"deduct", "\u6263\u5206"}) && seen(from_words)) return localize("parse.hint-order-deduct");
    if (max_here && seen({"each", "\u6BCF\u9879"}) && seen({"of", "\u5BF9"})) return localize("parse.hint-order-each");
    if (of_here && seen({"drop", "\u4E0B\u964D"}) && seen(from_words)) return localize("parse.hint-order-drop");
    return {};
}

// The opening quote of the string that is still open at `offset`.
inline std::size_t open_quote_before(const std::string& text, std::size_t offset) {
    bool in_string = false, in_comment = false;
    std::size_t open = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        const char c = text[i];
        if (in_comment) { in_comment = c != '\n'; continue; }
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '#') {
            in_comment = true;
        } else if (c == '"') {
            in_string = true;
            open = i;
        }
    }
    return open;
}

// If a syntax error at `offset` directly follows a text (only spaces between its closing quote
// and `offset`), the offsets of that text's opening and closing quotes; else {npos, npos}. A
// text whose closing quote is missing runs on to the next `"`, lines later, and the error
// comes only there: the note points back at where the text began.
inline std::pair<std::size_t, std::size_t> text_ending_before(const std::string& text, std::size_t offset) {
    std::size_t end = offset;
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
    if (end == 0 || end > text.size() || text[end - 1] != '"') return {std::string::npos, std::string::npos};
    bool in_string = false, in_comment = false;
    std::size_t open = 0;
    for (std::size_t i = 0; i < end; ++i) {
        const char c = text[i];
        if (in_comment) { in_comment = c != '\n'; continue; }
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') {
                in_string = false;
                if (i == end - 1) return {open, i};
            }
        } else if (c == '#') {
            in_comment = true;
        } else if (c == '"') {
            in_string = true;
            open = i;
        }
    }
    return {std::string::npos, std::string::npos};
}

// A syntax error at a number glued to a character that cannot follow it (`0～6`: a full-width
// tilde for `..`) is at that character, not at the number: the offset of the character, else
// `offset` itself.
inline std::size_t glued_to_number(const std::string& text, std::size_t offset) {
    std::size_t i = offset;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    if (i == offset || i >= text.size() || static_cast<unsigned char>(text[i]) < 0x80) return offset;
    // 80％ and 2分 are numbers as written
    if (text.compare(i, 3, "\xEF\xBC\x85") == 0 || text.compare(i, 3, "\xE5\x88\x86") == 0) return offset;
    return i;
}

// The `{` of the outermost block still open at the end of the text.
inline std::size_t unclosed_brace(const std::string& text) {
    bool in_string = false, in_comment = false;
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_comment) { in_comment = c != '\n'; continue; }
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '#') in_comment = true;
        else if (c == '"') in_string = true;
        else if (c == '{') open.push_back(i);
        else if (c == '}' && !open.empty()) open.pop_back();
    }
    return open.empty() ? text.size() : open.back();
}

// The next line after `offset` whose first word starts a declaration, or npos.
inline std::size_t resume_point(const std::string& text, std::size_t offset) {
    static const char* const starters[] = {
        "section", "item", "bonus", "task", "input", "ratio", "let", "test", "score", "subject", "requirement",
        "standard", "method", "evidence", "owners", "lead", "support", "deadline", "note", "}",
        "指标", "评分项", "附加分", "任务", "输入", "比率", "设", "测试", "得分"};
    std::size_t p = text.find('\n', offset);
    while (p != std::string::npos) {
        std::size_t b = p + 1;
        while (b < text.size() && (text[b] == ' ' || text[b] == '\t')) ++b;
        for (const char* s : starters) {
            const std::size_t n = std::char_traits<char>::length(s);
            if (text.compare(b, n, s) == 0) return b;
        }
        p = text.find('\n', b);
    }
    return std::string::npos;
}

}  // namespace detail

RUBRIC_FUNC parse_result parse(const source_ptr& src, const parse_options& options) {
    parse_result result;
    auto diag = [&](std::size_t offset, std::string code, localized msg, localized expected) {
        const position at = src->position_at(offset);
        result.diags.push_back(
            make_diagnostic(severity::error, src, span{at, at}, std::move(code), std::move(msg), std::move(expected)));
    };
    // A grammar message is a catalog id (grammar/rubric/grammar/messages.hpp).
    auto grammar_expected = [](const std::string& id) { return id.rfind("expected.", 0) == 0 ? localize(id) : literal(id); };
    if (src->text.size() > options.max_source_bytes) {
        diag(0, "E-limit-source",
             localize("parse.limit-source",
                      {{"size", std::to_string(src->text.size())}, {"limit", std::to_string(options.max_source_bytes)}}),
             {});
        return result;
    }
    // A byte-order mark FF FE or FE FF says exactly what the file is (Notepad's "Unicode"); its
    // lines are not shown: as UTF-8 they are NUL bytes and mojibake.
    if (src->text.size() >= 2 && ((src->text[0] == '\xFF' && src->text[1] == '\xFE') ||
                                  (src->text[0] == '\xFE' && src->text[1] == '\xFF'))) {
        diag(0, "E-utf8", localize("source.utf16"), {});
        result.diags.back().quote_line = false;
        return result;
    }
    std::size_t bad = 0;
    if (!valid_utf8(src->text, &bad)) {
        diag(bad, "E-utf8", localize("source.not-utf8"), {});
        return result;
    }
    // Characters that hide or reorder text (bidirectional controls, a byte-order mark past the
    // first bytes) make the code read differently from what it does (Trojan Source): warned
    // about wherever they are, in names, texts and comments, as compilers do; at most 10.
    // Added last, and not where a syntax error already points at the character.
    struct hidden_at {
        std::size_t offset;
        char32_t cp;
    };
    std::vector<hidden_at> hidden;
    {
        char32_t cp = 0;
        const std::size_t start = src->bom_size();
        for (std::size_t i = detail::find_hidden_char(src->text, cp, false, start); i != std::string::npos && hidden.size() < 10;
             i = detail::find_hidden_char(src->text, cp, false, i + 1))
            hidden.push_back({i, cp});
    }
    const auto warn_hidden = [&] {
        for (const hidden_at& h : hidden) {
            if (std::any_of(result.diags.begin(), result.diags.end(), [&](const diagnostic& d) {
                    return d.level == severity::error && d.where.begin.offset == h.offset;
                }))
                continue;
            const position at = src->position_at(h.offset);
            result.diags.push_back(make_diagnostic(severity::warning, src, span{at, at}, "W-hidden-char",
                                                   localize(h.cp == 0xFEFF ? "parse.hidden-bom" : "parse.hidden-bidi",
                                                            {{"code", detail::code_point_name(h.cp)}})));
        }
    };
    // Full-width digits look like numbers to a person but are not: say so precisely.
    // Only outside strings: the quotes on the line before it are counted as the scan goes.
    std::size_t quotes = 0;
    for (std::size_t i = 0; i + 2 < src->text.size(); ++i) {
        const char ch = src->text[i];
        if (ch == '\n') quotes = 0;
        else if (ch == '"' && (i == 0 || src->text[i - 1] != '\\')) ++quotes;
        const auto c0 = static_cast<unsigned char>(src->text[i]);
        const auto c1 = static_cast<unsigned char>(src->text[i + 1]);
        const auto c2 = static_cast<unsigned char>(src->text[i + 2]);
        if (c0 == 0xEF && c1 == 0xBC && c2 >= 0x90 && c2 <= 0x99) {
            if (quotes % 2 == 0) {
                diag(i, "E-fullwidth-digit", localize("parse.fullwidth-digit"), localize("parse.fullwidth-digit.expected"));
                return result;
            }
        }
    }

    std::unique_ptr<detail::tree_node> root;
    detail::syntax_error err = detail::run_parse<grammar::file>(src, 0, &root, options.max_nesting);
    if (err.offset == std::string::npos) {
        ast tree;
        tree.source = src;
        detail::tree_converter conv(src, tree, result.diags, options);
        conv.convert_file(*root);
        root.reset();
        warn_hidden();
        if (!has_errors(result.diags)) result.tree = std::move(tree);
        return result;
    }
    // Report the first error, then resume at following declarations to find more.
    // Notes (a text that runs on) do not count against the cap of syntax errors.
    const auto errors = [&] { return static_cast<std::size_t>(std::count_if(result.diags.begin(), result.diags.end(),
                                                                            [](const diagnostic& d) { return d.level == severity::error; })); };
    while (err.offset != std::string::npos && errors() < options.max_errors) {
        if (err.expected == grammar::expected<grammar::nesting_too_deep>) {
            diag(err.offset, "E-limit-nesting", localize("parse.limit-nesting", {{"limit", std::to_string(options.max_nesting)}}),
                 localize("parse.limit-nesting.expected"));
        } else if (err.expected == grammar::expected<grammar::block_close> && err.offset >= src->text.size()) {
            const std::size_t open = detail::unclosed_brace(src->text);
            diag(open, "E-syntax", localize("parse.unclosed-block"), grammar_expected(err.expected));
        } else if (err.expected == grammar::expected<grammar::string_close>) {
            const std::size_t open = detail::open_quote_before(src->text, err.offset);
            diag(open, "E-syntax", localize("parse.unclosed-string"), grammar_expected(err.expected));
        } else {
            const std::size_t at = detail::glued_to_number(src->text, err.offset);
            diag(at, "E-syntax", detail::unexpected_at(src->text, at, at != err.offset), grammar_expected(err.expected));
            localized hint = detail::punctuation_hint(src->text, at);
            // A tier's threshold computed from the cohort (`tier x >= cohort_mean(x) * 90%: 3`): a
            // threshold is a number or one cohort aggregate; the way to write a computed one.
            if (hint.empty() && err.expected == grammar::expected<grammar::colon> &&
                detail::computed_cohort_threshold(src->text, at))
                hint = localize("parse.hint-tier-cohort");
            if (hint.empty()) hint = detail::keyword_hint(src->text, at);
            if (hint.empty()) hint = detail::clause_order_hint(src->text, at);
            if (!hint.empty())
                result.diags.push_back(make_diagnostic(severity::note, src, span{src->position_at(at), src->position_at(at)},
                                                       "N-hint", std::move(hint)));
            if (const auto run = detail::text_ending_before(src->text, err.offset); run.first != std::string::npos) {
                const std::size_t open_line = src->position_at(run.first).line;
                const std::size_t close_line = src->position_at(run.second).line;
                if (close_line > open_line)
                    result.diags.push_back(make_diagnostic(
                        severity::note, src, span{src->position_at(run.first), src->position_at(run.first)}, "N-text-runs-on",
                        localize("parse.text-runs-on", {{"line", std::to_string(close_line)}})));
            }
        }
        const std::size_t next = detail::resume_point(src->text, err.offset);
        if (next == std::string::npos) {
            err.offset = std::string::npos;  // nothing left to read: every error was reported
            break;
        }
        err = detail::run_parse<grammar::resume>(src, next, nullptr, options.max_nesting);
        // A failure on the very line we resumed at is usually a knock-on effect; skip it.
    }
    // Stopped at the cap with errors left: say so, or the summary reads as if these were all.
    if (err.offset != std::string::npos && errors() >= options.max_errors)
        result.diags.push_back(make_diagnostic(severity::note, src, span{}, "N-syntax-errors-cap",
                                               localize("parse.more-errors", {{"limit", std::to_string(options.max_errors)}})));
    warn_hidden();
    return result;
}

RUBRIC_FUNC source_ptr read_source(const std::string& path, localized& error) {
    // The bounded reader (limits.hpp) without a bound: one read loop, which reports a read
    // error rather than taking a cut text as whole.
    return read_source(path, error, std::numeric_limits<std::size_t>::max());
}

RUBRIC_FUNC source_ptr read_source(const std::string& path, std::string* error) {
    localized e;
    source_ptr src = read_source(path, e);
    if (!src && error) *error = translate(e, lang::en);
    return src;
}

}  // namespace rubric
