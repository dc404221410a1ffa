// Chinese twins: every example rubric under rubrics/examples/ has a twin under
// rubrics/examples/zh/ written with the Chinese keyword spellings and the full-width
// punctuation Chinese documents carry. A twin must check like its English original
// (same diagnostics), build the same checked tree (compared structurally below: spans
// differ, nothing else may), carry the same tests, and score the same on generated facts.
//
// The second half tests what grammar/GRAMMAR.md says about full-width punctuation and
// Chinese keywords: each accepted form must read exactly like its ASCII/English form,
// and each form it says is refused must be refused with a syntax error at that character.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "rubric/rubric.hpp"
#include "support/files.hpp"

namespace fs = std::filesystem;

namespace {

using rubric::decimal;

struct loaded {
    rubric::check_result checked;
    rubric::program_ptr prog;  // null when the rubric has errors
};

loaded load(const std::string& name, const std::string& text) {
    loaded l;
    l.checked = rubric::parse_and_check(rubric::make_source(name, text));
    if (l.checked.rubric) l.prog = rubric::compile(*l.checked.rubric);
    return l;
}

std::string str(const decimal& d) { return d.to_fraction_string(); }
std::string str(const std::optional<decimal>& d) { return d ? d->to_fraction_string() : "none"; }

// ---------------------------------------------------------------------------
// Structural comparison of two checked rubrics. Everything but source positions is
// compared: the header, every node (kind, code, name, points, metadata, parts,
// subject), every input and ratio, every expression reachable from them (kind,
// operator, literal values, names, tier bands, deduction terms) with its checked type
// and range, the per-node score ranges, and the tests (names, facts named, expected
// scores). The result is "" or the first difference, with where it is.
class tree_compare {
public:
    tree_compare(const rubric::checked_rubric& a, const rubric::checked_rubric& b) : a_(a), b_(b) {}

    std::string run() {
        const rubric::ast& x = a_.tree;
        const rubric::ast& y = b_.tree;
        header(x.header, y.header, x.has_header == y.has_header);
        same("roots", x.roots == y.roots);
        same("node count", x.nodes.size() == y.nodes.size());
        same("input count", x.inputs.size() == y.inputs.size());
        same("ratio count", x.ratios.size() == y.ratios.size());
        same("let count", x.lets.size() == y.lets.size());
        same("expression count", x.exprs.size() == y.exprs.size());
        same("test count", x.tests.size() == y.tests.size());
        if (!diff_.empty()) return diff_;
        for (std::size_t i = 0; i < x.inputs.size(); ++i) input(i);
        for (std::size_t i = 0; i < x.ratios.size(); ++i) ratio(i);
        for (std::size_t i = 0; i < x.lets.size(); ++i) named_value(i);
        for (std::size_t i = 0; i < x.nodes.size(); ++i) node(i);
        for (std::size_t i = 0; i < x.tests.size(); ++i) test(i);
        grades(x, y);
        same("inputs used", a_.input_used == b_.input_used);
        return diff_;
    }

private:
    const rubric::checked_rubric& a_;
    const rubric::checked_rubric& b_;
    std::string diff_;

    void same(const std::string& what, bool equal, const std::string& a = {}, const std::string& b = {}) {
        if (!equal && diff_.empty()) diff_ = what + (a.empty() && b.empty() ? "" : ": " + a + " vs " + b);
    }
    void text(const std::string& what, const std::string& a, const std::string& b) { same(what, a == b, a, b); }
    void num(const std::string& what, const decimal& a, const decimal& b) { same(what, a == b, str(a), str(b)); }
    void num(const std::string& what, const std::optional<decimal>& a, const std::optional<decimal>& b) {
        same(what, a.has_value() == b.has_value() && (!a || *a == *b), str(a), str(b));
    }
    void range(const std::string& what, const rubric::interval& a, const rubric::interval& b) {
        num(what + " (low)", a.lo, b.lo);
        num(what + " (high)", a.hi, b.hi);
    }

    void header(const rubric::rubric_header& a, const rubric::rubric_header& b, bool both) {
        same("header present", both);
        text("title", a.title, b.title);
        text("document", a.document, b.document);
        text("issuer", a.issuer, b.issuer);
        text("date", a.date, b.date);
        text("edition", a.edition, b.edition);
        text("header note", a.note, b.note);
        num("total", a.total, b.total);
        same("rounding places", a.display_places == b.display_places);
        same("rounding mode", a.display_rounding == b.display_rounding);
        same("missing policy", a.missing == b.missing);
        num("missing value", a.missing_value, b.missing_value);
    }

    void input(std::size_t i) {
        const auto& p = a_.tree.inputs[i];
        const auto& q = b_.tree.inputs[i];
        const std::string at = "input " + p.name;
        text(at + " name", p.name, q.name);
        same(at + " type", p.type == q.type, rubric::to_string(p.type), rubric::to_string(q.type));
        same(at + " element type", p.type != rubric::input_type::list || p.element == q.element);
        num(at + " range low", p.lo, q.lo);
        num(at + " range high", p.hi, q.hi);
        same(at + " choices", p.choices == q.choices);
        same(at + " choice labels", p.choice_labels == q.choice_labels);
        text(at + " label", p.label, q.label);
        same(at + " missing policy", p.missing == q.missing);
        num(at + " missing value", p.missing_value, q.missing_value);
        same(at + " owner", p.owner == q.owner);
    }

    void ratio(std::size_t i) {
        const auto& p = a_.tree.ratios[i];
        const auto& q = b_.tree.ratios[i];
        const std::string at = "ratio " + p.name;
        text(at + " name", p.name, q.name);
        expr(p.numerator, q.numerator, at + " numerator");
        expr(p.denominator, q.denominator, at + " denominator");
        num(at + " if zero", p.if_zero, q.if_zero);
        same(at + " clamp", p.clamp == q.clamp);
        text(at + " label", p.label, q.label);
        same(at + " owner", p.owner == q.owner);
    }

    void named_value(std::size_t i) {
        const auto& p = a_.tree.lets[i];
        const auto& q = b_.tree.lets[i];
        const std::string at = "let " + p.name;
        text(at + " name", p.name, q.name);
        expr(p.expr, q.expr, at + " value");
        text(at + " label", p.label, q.label);
        same(at + " owner", p.owner == q.owner);
    }

    void node(std::size_t i) {
        const auto& p = a_.tree.nodes[i];
        const auto& q = b_.tree.nodes[i];
        const std::string at = "node " + p.code;
        same(at + " kind", p.kind == q.kind);
        text(at + " code", p.code, q.code);
        same(at + " code written", p.code_explicit == q.code_explicit);
        text(at + " name", p.name, q.name);
        num(at + " points", p.points, q.points);
        num(at + " adjustments max", p.adjust_max, q.adjust_max);
        num(at + " adjustments min", p.adjust_min, q.adjust_min);
        same(at + " parent", p.parent == q.parent);
        same(at + " children", p.children == q.children);
        text(at + " requirement", p.meta.requirement, q.meta.requirement);
        text(at + " standard", p.meta.standard, q.meta.standard);
        text(at + " method", p.meta.method, q.meta.method);
        text(at + " evidence", p.meta.evidence, q.meta.evidence);
        text(at + " owners", p.meta.owners, q.meta.owners);
        same(at + " lead", p.meta.lead == q.meta.lead);
        same(at + " support", p.meta.support == q.meta.support);
        text(at + " deadline", p.meta.deadline, q.meta.deadline);
        text(at + " measures", p.meta.measures, q.meta.measures);
        text(at + " note", p.meta.note, q.meta.note);
        same(at + " part count", p.parts.size() == q.parts.size());
        for (std::size_t k = 0; k < std::min(p.parts.size(), q.parts.size()); ++k) {
            text(at + " part label", p.parts[k].label, q.parts[k].label);
            expr(p.parts[k].expr, q.parts[k].expr, at + " part " + std::to_string(k + 1));
        }
        expr(p.subject, q.subject, at + " subject");
        same(at + " inputs", p.inputs == q.inputs);
        same(at + " ratios", p.ratios == q.ratios);
        range(at + " score range", a_.node_ranges.at(i), b_.node_ranges.at(i));
        range(at + " raw score range", a_.raw_ranges.at(i), b_.raw_ranges.at(i));
    }

    void test(std::size_t i) {
        const auto& p = a_.tree.tests[i];
        const auto& q = b_.tree.tests[i];
        const std::string at = "test " + p.name;
        text("test name", p.name, q.name);
        same(at + " given count", p.given.size() == q.given.size());
        for (std::size_t k = 0; k < std::min(p.given.size(), q.given.size()); ++k)
            text(at + " given", p.given[k].name, q.given[k].name);  // values: compared as facts below
        same(at + " expect count", p.expect.size() == q.expect.size());
        for (std::size_t k = 0; k < std::min(p.expect.size(), q.expect.size()); ++k) {
            text(at + " expect target", p.expect[k].code, q.expect[k].code);
            num(at + " expect " + p.expect[k].code, p.expect[k].score, q.expect[k].score);
            text(at + " expect label", p.expect[k].label, q.expect[k].label);
        }
    }

    // The grade scale and the vetoes: labels, bounds, caps and conditions.
    void grades(const rubric::ast& x, const rubric::ast& y) {
        same("grades on one side only", x.grades.has_value() == y.grades.has_value());
        if (x.grades && y.grades) {
            same("grade count", x.grades->bands.size() == y.grades->bands.size());
            for (std::size_t k = 0; k < std::min(x.grades->bands.size(), y.grades->bands.size()); ++k) {
                text("grade", x.grades->bands[k].label, y.grades->bands[k].label);
                num("grade " + x.grades->bands[k].label, x.grades->bands[k].bound, y.grades->bands[k].bound);
            }
            text("lowest grade", x.grades->lowest, y.grades->lowest);
        }
        same("veto count", x.vetoes.size() == y.vetoes.size());
        for (std::size_t k = 0; k < std::min(x.vetoes.size(), y.vetoes.size()); ++k) {
            text("veto", x.vetoes[k].label, y.vetoes[k].label);
            text("veto cap", x.vetoes[k].cap, y.vetoes[k].cap);
            expr(x.vetoes[k].condition, y.vetoes[k].condition, "veto " + x.vetoes[k].label);
        }
    }

    // Both trees were built by the same parser from texts that should say the same
    // thing, so equal trees number their expressions alike: ids are compared too.
    void expr(rubric::expr_id x, rubric::expr_id y, const std::string& at) {
        if (x == rubric::no_id || y == rubric::no_id) {
            same(at + ": expression on one side only", x == y);
            return;
        }
        same(at + " expression id", x == y, std::to_string(x), std::to_string(y));
        const auto& p = a_.tree.exprs.at(x);
        const auto& q = b_.tree.exprs.at(y);
        same(at + " kind", p.kind == q.kind, std::to_string(int(p.kind)), std::to_string(int(q.kind)));
        if (!diff_.empty()) return;
        same(at + " operator", p.kind != rubric::expr_kind::compare || p.op == q.op, rubric::to_string(p.op),
             rubric::to_string(q.op));
        same(at + " percent", p.percent == q.percent);
        same(at + " has else", p.has_else == q.has_else);
        same(at + " has cap", p.has_cap == q.has_cap);
        same(at + " has base", p.has_base == q.has_base);
        text(at + " text", p.text, q.text);
        same(at + " number count", p.nums.size() == q.nums.size());
        for (std::size_t k = 0; k < std::min(p.nums.size(), q.nums.size()); ++k)
            num(at + " number " + std::to_string(k), p.nums[k], q.nums[k]);
        same(at + " band count", p.bands.size() == q.bands.size());
        for (std::size_t k = 0; k < std::min(p.bands.size(), q.bands.size()); ++k) {
            const std::string band = at + " band " + std::to_string(k + 1);
            same(band + " operator", p.bands[k].op == q.bands[k].op, rubric::to_string(p.bands[k].op),
                 rubric::to_string(q.bands[k].op));
            same(band + " percent", p.bands[k].percent == q.bands[k].percent);
            num(band + " bound", p.bands[k].bound, q.bands[k].bound);
            num(band + " score", p.bands[k].score, q.bands[k].score);
        }
        same(at + " term count", p.terms.size() == q.terms.size());
        for (std::size_t k = 0; k < std::min(p.terms.size(), q.terms.size()); ++k) {
            num(at + " term per", p.terms[k].per, q.terms[k].per);
            expr(p.terms[k].count, q.terms[k].count, at + " term " + std::to_string(k + 1));
        }
        same(at + " option count", p.options.size() == q.options.size());  // points, max_points
        for (std::size_t k = 0; k < std::min(p.options.size(), q.options.size()); ++k) {
            text(at + " option word", p.options[k].word, q.options[k].word);
            same(at + " option otherwise", p.options[k].otherwise == q.options[k].otherwise);
            num(at + " option points", p.options[k].points, q.options[k].points);
        }
        // What the checker made of it: type, unit, what a name refers to, its range.
        const auto& tp = a_.types.at(x);
        const auto& tq = b_.types.at(y);
        same(at + " type", tp.kind == tq.kind && tp.measure == tq.measure && tp.choice_input == tq.choice_input);
        if (x < a_.symbols.size() || y < b_.symbols.size()) {
            const auto& sp = a_.symbols.at(x);
            const auto& sq = b_.symbols.at(y);
            same(at + " refers to", sp.kind == sq.kind && sp.index == sq.index);
        }
        range(at + " range", a_.ranges.at(x), b_.ranges.at(y));
        same(at + " argument count", p.args.size() == q.args.size());
        for (std::size_t k = 0; k < std::min(p.args.size(), q.args.size()); ++k)
            expr(p.args[k], q.args[k], at + "/" + std::to_string(k + 1));
    }
};

std::string diagnostic_codes(const rubric::diagnostics& ds) {
    std::string out;
    for (const auto& d : ds) out += std::string(rubric::to_string(d.level)) + " " + d.code + "; ";
    return out;
}

// ---------------------------------------------------------------------------
// Facts: for each input, a few values across its type's range (boundaries included)
// and "not provided". Values outside the input's range are tried too: both programs
// must refuse them.

using fact_choice = std::optional<std::string>;  // nullopt: not provided

std::vector<std::string> scalar_values(const rubric::input_slot& s, rubric::input_type type) {
    std::vector<std::string> v;
    auto add_decimal = [&](const decimal& d) { v.push_back(d.to_string()); };
    switch (type) {
        case rubric::input_type::boolean: v = {"true", "false", "是", "否"}; break;
        case rubric::input_type::count:
            v = {"0", "1", "2", "3", "4", "5", "6", "7", "15", "16", "70", "80", "90", "95", "100", "300", "500",
                 "600", "699", "795", "899", "1000", "-1", "1.5"};
            break;
        case rubric::input_type::percent:
            v = {"0",   "0%",    "0.5",  "69.9%", "70%",   "79.5%", "80%", "80.5%", "89.9%",
                 "90%", "95.5%", "0.97", "100%",  "100％", "1",     "85％", "101%",  "-0.1"};
            break;
        case rubric::input_type::number:
        case rubric::input_type::judged:
            v = {"0", "0.35", "0.5", "1", "2.5", "3.5", "10", "11", "-1"};
            break;
        case rubric::input_type::choice:
            v = s.choices;
            v.push_back("不是选项");
            break;
        default: break;
    }
    if (s.lo) {
        add_decimal(*s.lo);
        add_decimal(*s.lo - decimal(1));
        if (s.hi) add_decimal((*s.lo + *s.hi) / decimal(2));
    }
    if (s.hi) {
        add_decimal(*s.hi);
        add_decimal(*s.hi + decimal(1));
    }
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

std::vector<fact_choice> candidate_facts(const rubric::program& p, std::uint32_t input, std::mt19937& rng) {
    const rubric::input_slot& s = p.inputs()[input];
    std::vector<fact_choice> out = {std::nullopt};
    if (s.type != rubric::input_type::list) {
        for (auto& t : scalar_values(s, s.type)) out.emplace_back(t);
        return out;
    }
    // Lists of members the input accepts (and one it does not).
    std::vector<std::string> el;
    rubric::fact_set probe;
    for (const auto& v : scalar_values(s, s.element)) {
        probe.reset(p);
        if (rubric::set_fact_text(p, input, "[" + v + "]", probe).empty()) el.push_back(v);
        else if (out.size() == 1) out.emplace_back("[" + v + "]");
    }
    REQUIRE(!el.empty());
    out.emplace_back("[]");
    for (int n : {1, 2, 4, 8, 9, 10, 12}) {
        std::string l = "[";
        for (int k = 0; k < n; ++k) l += (k ? ", " : "") + el[rng() % el.size()];
        out.emplace_back(l + "]");
    }
    out.emplace_back(el.front() + ";" + el.back());
    return out;
}

struct scoring {
    std::string problem;  // set_fact_text / fill_missing errors, joined
    std::vector<decimal> nodes;
    decimal total, bonus;
};

scoring score(const rubric::program& p, const std::vector<std::pair<std::string, fact_choice>>& facts,
              rubric::fact_set& fs, rubric::evaluation& ev) {
    scoring r;
    fs.reset(p);
    for (const auto& [name, value] : facts) {
        if (!value) continue;
        const int idx = p.find_input(name);
        if (idx < 0) {
            r.problem += name + ": not an input; ";
            continue;
        }
        if (!rubric::set_fact_text(p, static_cast<std::uint32_t>(idx), *value, fs).empty()) r.problem += name + " refused; ";
    }
    if (!r.problem.empty()) return r;
    if (!rubric::fill_missing(p, fs).empty()) r.problem = "missing fact";
    if (!r.problem.empty()) return r;
    if (p.needs_cohort()) {
        // A rubric that reads the cohort (rubrics/examples/cohort_level.rubric): each fact set is
        // a cohort of one. The program outlives this; the pointer does not own it.
        rubric::cohort_evaluation cohort(rubric::program_ptr(rubric::program_ptr(), &p));
        do cohort.measure(fs);
        while (cohort.rank());
        cohort.evaluate(0, fs, ev);
    } else {
        rubric::evaluate(p, fs, ev);
    }
    for (rubric::node_id id = 0; id < p.node_count(); ++id) r.nodes.push_back(ev.node_score(id));
    r.total = ev.total();
    r.bonus = ev.bonus();
    return r;
}

std::string describe(const std::vector<std::pair<std::string, fact_choice>>& facts) {
    std::string out;
    for (const auto& [name, value] : facts)
        if (value) out += name + " = " + *value + ", ";
    return out.empty() ? "(no facts)" : out;
}

struct score_comparison {
    std::size_t scored = 0;  // fact sets both programs accepted and scored alike
    std::size_t refused = 0;  // fact sets both refused (a value out of range, a wrong word)
    std::string difference;  // the first fact set on which they differ, or ""
};

// Scores both programs on the same generated facts.
score_comparison compare_scores(const rubric::program& a, const rubric::program& b) {
    std::mt19937 rng(20240511);
    std::vector<std::string> names;
    std::vector<std::vector<fact_choice>> cands;
    for (std::uint32_t i = 0; i < a.inputs().size(); ++i) {
        names.push_back(a.inputs()[i].name);
        cands.push_back(candidate_facts(a, i, rng));
    }
    // Every combination when there are few; otherwise each input alone through all its
    // values, then random combinations.
    double product = 1;
    for (const auto& c : cands) product *= double(c.size());
    std::vector<std::vector<std::size_t>> picks;
    if (product <= 5000) {
        std::vector<std::size_t> at(cands.size(), 0);
        for (;;) {
            picks.push_back(at);
            std::size_t k = 0;
            while (k < at.size() && ++at[k] == cands[k].size()) at[k++] = 0;
            if (k == at.size()) break;
        }
    } else {
        for (std::size_t i = 0; i < cands.size(); ++i)
            for (std::size_t v = 0; v < cands[i].size(); ++v) {
                std::vector<std::size_t> at(cands.size(), 0);
                at[i] = v;
                picks.push_back(at);
            }
        for (int n = 0; n < 4000; ++n) {
            std::vector<std::size_t> at;
            for (const auto& c : cands) at.push_back(rng() % c.size());
            picks.push_back(at);
        }
    }
    rubric::fact_set fa, fb;
    rubric::evaluation ea(a), eb(b);
    score_comparison r;
    for (const auto& at : picks) {
        std::vector<std::pair<std::string, fact_choice>> facts;
        for (std::size_t i = 0; i < at.size(); ++i) facts.emplace_back(names[i], cands[i][at[i]]);
        const scoring x = score(a, facts, fa, ea);
        const scoring y = score(b, facts, fb, eb);
        if (x.problem != y.problem) {
            r.difference = "facts accepted differently: " + describe(facts) + "\n  " + x.problem + "\n  " + y.problem;
            return r;
        }
        if (!x.problem.empty()) {
            ++r.refused;
            continue;
        }
        std::string diff;
        for (std::size_t n = 0; n < x.nodes.size() && diff.empty(); ++n)
            if (!(x.nodes[n] == y.nodes.at(n)))
                diff = "node " + a.tree().nodes[n].code + ": " + str(x.nodes[n]) + " vs " + str(y.nodes[n]);
        if (diff.empty() && !(x.total == y.total)) diff = "total: " + str(x.total) + " vs " + str(y.total);
        if (diff.empty() && !(x.bonus == y.bonus)) diff = "bonus: " + str(x.bonus) + " vs " + str(y.bonus);
        if (!diff.empty()) {
            r.difference = "scores differ on " + describe(facts) + "\n  " + diff;
            return r;
        }
        ++r.scored;
    }
    return r;
}

// The facts each test gives, bound to its program, must be the same facts.
std::string compare_test_facts(const rubric::program& a, const rubric::program& b) {
    const auto& ta = a.tree().tests;
    const auto& tb = b.tree().tests;
    rubric::fact_set fa, fb;
    for (std::size_t i = 0; i < std::min(ta.size(), tb.size()); ++i) {
        fa.reset(a);
        fb.reset(b);
        for (const auto& g : ta[i].given)
            if (auto e = rubric::set_fact_text(a, a.find_input(g.name), g.value, fa); !e.empty())
                return ta[i].name + ": " + g.name + " = " + g.value + ": " + e;
        for (const auto& g : tb[i].given)
            if (auto e = rubric::set_fact_text(b, b.find_input(g.name), g.value, fb); !e.empty())
                return tb[i].name + " (twin): " + g.name + " = " + g.value + ": " + e;
        for (std::size_t k = 0; k < fa.values.size(); ++k) {
            if (fa.present[k] != fb.present[k] || !(fa.values[k].v == fb.values[k].v) ||
                fa.values[k].undefined != fb.values[k].undefined || fa.lists[k] != fb.lists[k])
                return ta[i].name + ": fact " + a.inputs()[k].name + " differs";
        }
    }
    return {};
}

// A twin is written in Chinese: outside texts and comments it uses no English keyword,
// and it uses full-width punctuation. Returns the first English keyword found, or "".
const std::set<std::string>& english_keywords() {
    static const std::set<std::string> words = {
        "rubric",    "section",  "item",     "bonus",   "task",      "input",     "ratio",       "score",
        "subject",   "test",     "given",    "expect",  "document",  "issuer",    "date",        "edition",
        "total",     "rounding", "missing",  "half_up", "half_even", "zero",      "error",       "undefined",
        "requirement", "standard", "method", "evidence", "owners",   "lead",      "support",     "deadline",
        "measures",  "note",     "bool",     "count",   "percent",   "decimal",   "judged",      "choice",
        "list",      "if",       "then",     "else",    "and",       "or",        "not",         "true",
        "false",     "each",     "max",      "of",      "tier",      "deduct",    "penalty",     "per",
        "from",      "drop",     "below",    "in",      "where",     "checklist", "otherwise"};
    return words;
}

struct code_scan {
    std::string english_keyword;           // first one found
    std::set<std::string> fullwidth_used;  // full-width forms found outside texts and comments
};

code_scan scan_code(const std::string& s) {
    static const std::vector<std::string> fullwidth = {"：", "，", "、", "（", "）", "％", "≥", "≤", "≠", "×", "÷",
                                                         "＝", "＞", "＜", "≧", "≦", "／", "＋", "－"};
    code_scan r;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '#') {
            while (i < s.size() && s[i] != '\n') ++i;
        } else if (c == '"') {
            ++i;
            while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
            ++i;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
            // A word glued to Chinese characters is part of a longer name, not a keyword.
            const bool glued = (i > 0 && (s[i - 1] & 0x80)) || (j < s.size() && (s[j] & 0x80));
            const std::string w = s.substr(i, j - i);
            if (!glued && r.english_keyword.empty() && english_keywords().count(w)) r.english_keyword = w;
            i = j;
        } else {
            for (const auto& f : fullwidth)
                if (s.compare(i, f.size(), f) == 0) r.fullwidth_used.insert(f);
            ++i;
        }
    }
    return r;
}

}  // namespace

// ---------------------------------------------------------------------------

TEST_CASE("the structural comparison notices a change") {
    // Guards the comparison itself: each of these one-token edits must be found.
    const std::string base = R"(rubric "t" { total 3 }
item 1 "a" 3 {
  input x: count 0..10 "x"
  input y: bool
  ratio r = x / 10
  score tier r >= 90%:3 >= 50%:1
  score "p": if y then penalty 0.5 per x max 1
}
test "t" { given x = 9, y = true  expect 1 = 2.5 }
)";
    const loaded a = load("a.rubric", base);
    REQUIRE_MESSAGE(a.prog, rubric::render(a.checked.diags));
    CHECK(tree_compare(*a.checked.rubric, *load("b.rubric", base).checked.rubric).run() == "");
    const std::vector<std::pair<std::string, std::string>> edits = {
        {">= 50%:1", ">= 50%:2"}, {">= 50%:1", "> 50%:1"},   {">= 50%:1", ">= 0.5:1"}, {"0..10", "0..11"},
        {"max 1", "max 2"},       {"per x", "per (x + 0)"}, {"if y", "if not y"},      {"\"p\"", "\"q\""},
        {"/ 10", "/ 11"},         {"= 2.5", "= 2"},         {"x = 9", "x = 8"},        {"input y: bool", "input y: bool \"y\""},
    };
    for (const auto& [from, to] : edits) {
        std::string changed = base;
        const auto at = changed.find(from);
        REQUIRE(at != std::string::npos);
        changed.replace(at, from.size(), to);
        const loaded b = load("b.rubric", changed);
        REQUIRE_MESSAGE(b.checked.rubric, rubric::render(b.checked.diags));
        std::string d = tree_compare(*a.checked.rubric, *b.checked.rubric).run();
        if (d.empty()) d = compare_test_facts(*a.prog, *b.prog);
        CHECK_MESSAGE(!d.empty(), from << " → " << to << " went unnoticed");
    }
}

TEST_CASE("the score comparison notices a change") {
    const loaded a = load("a.rubric", "item 1 \"a\" 3 { input x: percent  score tier x >= 90%:3 >= 50%:1 }");
    const loaded b = load("b.rubric", "item 1 \"a\" 3 { input x: percent  score tier x >= 90%:3 > 50%:1 }");
    REQUIRE(a.prog);
    REQUIRE(b.prog);
    const score_comparison same = compare_scores(*a.prog, *a.prog);
    CHECK(same.difference == "");
    CHECK(same.scored > 10);
    CHECK(same.refused > 0);  // 101% and -0.1 are not percents
    // Only a rate of exactly 50% tells these apart; the generated facts include it.
    const score_comparison changed = compare_scores(*a.prog, *b.prog);
    CHECK(changed.difference.find("scores differ") != std::string::npos);
    CHECK(changed.difference.find("x = ") != std::string::npos);
}

TEST_CASE("every example rubric has a Chinese twin that checks, reads and scores the same") {
    const fs::path dir = fs::path(rubric_test::source_dir()) / "rubrics" / "examples";
    const fs::path zh = dir / "zh";
    std::vector<fs::path> english;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".rubric") english.push_back(e.path());
    std::sort(english.begin(), english.end());
    REQUIRE(english.size() >= 13);

    // No twin without an original.
    for (const auto& e : fs::directory_iterator(zh))
        if (e.path().extension() == ".rubric")
            CHECK_MESSAGE(fs::exists(dir / e.path().filename()), e.path().string() << " has no English original");

    for (const auto& en_path : english) {
        const fs::path zh_path = zh / en_path.filename();
        CAPTURE(zh_path.string());
        INFO("twin of " << en_path.filename().string());
        if (!fs::exists(zh_path)) {
            FAIL_CHECK("missing Chinese twin " << zh_path.string());
            continue;
        }
        const std::string en_text = rubric_test::read_file(en_path.string());
        const std::string zh_text = rubric_test::read_file(zh_path.string());

        const loaded en = load(en_path.string(), en_text);
        const loaded zh_ = load(zh_path.string(), zh_text);
        CHECK_MESSAGE(en.prog, rubric::render(en.checked.diags));
        CHECK_MESSAGE(zh_.prog, rubric::render(zh_.checked.diags));
        if (!en.prog || !zh_.prog) continue;
        CHECK(diagnostic_codes(zh_.checked.diags) == diagnostic_codes(en.checked.diags));

        // Written in Chinese, with full-width punctuation.
        const code_scan scan = scan_code(zh_text);
        CHECK_MESSAGE(scan.english_keyword.empty(), "English keyword in the twin: " << scan.english_keyword);
        CHECK_MESSAGE(scan.fullwidth_used.size() >= 2, "the twin uses hardly any full-width punctuation");

        CHECK(tree_compare(*en.checked.rubric, *zh_.checked.rubric).run() == "");
        CHECK(compare_test_facts(*en.prog, *zh_.prog) == "");

        // Its own tests pass, and they are the English tests.
        const auto outcomes = rubric::run_tests(*zh_.prog);
        CHECK(outcomes.size() == en.prog->tree().tests.size());
        for (const auto& o : outcomes) CHECK_MESSAGE(o.passed(), "test " << o.test->name << " fails " << o.problem);

        const score_comparison sc = compare_scores(*en.prog, *zh_.prog);
        CHECK(sc.difference == "");
        CHECK(sc.scored >= 5);
    }
}

// ---------------------------------------------------------------------------
// grammar/GRAMMAR.md, "Full-width punctuation" and "Chinese keywords": each statement,
// as a rubric written the ASCII/English way and the same rubric written the other way.

namespace {

struct same_pair {
    const char* what;
    std::string ascii;
    std::string other;
};

// Both read without errors, give the same tree, the same test facts, pass their tests
// and score alike.
void check_reads_the_same(const same_pair& p) {
    INFO(p.what);
    INFO(p.other);
    const loaded a = load("ascii.rubric", p.ascii);
    const loaded b = load("other.rubric", p.other);
    CHECK_MESSAGE(a.prog, rubric::render(a.checked.diags));
    CHECK_MESSAGE(b.prog, rubric::render(b.checked.diags));
    if (!a.prog || !b.prog) return;
    CHECK(diagnostic_codes(b.checked.diags) == diagnostic_codes(a.checked.diags));
    CHECK(tree_compare(*a.checked.rubric, *b.checked.rubric).run() == "");
    CHECK(compare_test_facts(*a.prog, *b.prog) == "");
    for (const auto* prog : {a.prog.get(), b.prog.get()})
        for (const auto& o : rubric::run_tests(*prog)) CHECK_MESSAGE(o.passed(), o.test->name << ": " << o.problem);
    const score_comparison sc = compare_scores(*a.prog, *b.prog);
    CHECK(sc.difference == "");
    CHECK(sc.scored > 0);
}

struct refused {
    const char* what;
    std::string text;
    std::string at;    // the offending text: the error must sit on its first character
    const char* code;  // the diagnostic's code
    const char* says;  // and its message must say this
};

// 1-based column (in characters) of the first `at` in the line that holds it.
std::pair<std::uint32_t, std::uint32_t> line_col(const std::string& text, const std::string& at) {
    const std::size_t off = text.find(at);
    REQUIRE(off != std::string::npos);
    std::uint32_t line = 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i < off; ++i)
        if (text[i] == '\n') ++line, start = i + 1;
    return {line, static_cast<std::uint32_t>(rubric::utf8_length(std::string_view(text).substr(start, off - start)) + 1)};
}

void check_refused(const refused& r) {
    INFO(r.what);
    INFO(r.text);
    const auto checked = rubric::parse_and_check(rubric::make_source("refused.rubric", r.text));
    CHECK_FALSE(checked.rubric.has_value());
    const auto [line, col] = line_col(r.text, r.at);
    bool found = false;
    for (const auto& d : checked.diags)
        if (d.level == rubric::severity::error && d.code == r.code && d.where.begin.line == line &&
            d.where.begin.column == col && d.message.find(r.says) != std::string::npos)
            found = true;
    CHECK_MESSAGE(found, "expected " << r.code << " at " << line << ":" << col << " saying " << r.says << ", got\n"
                                     << rubric::render(checked.diags));
}

// An item around a rule, and a test, for the small rubrics below.
std::string item(const std::string& inputs, const std::string& score, const std::string& points = "1") {
    return "item 1 \"a\" " + points + " {\n  " + inputs + "\n  score " + score + "\n}\n";
}

}  // namespace

TEST_CASE("GRAMMAR.md: the full-width forms it lists read exactly as their ASCII forms") {
    const std::string xy = "input x: bool  input y: bool";
    const std::string rate = "input n: count  input d: count  ratio r = n / d";
    const std::vector<same_pair> pairs = {
        {"： after an input's name", item(xy, "if x and y then 1"), item("input x： bool  input y：bool", "if x and y then 1")},
        {"： between a tier's threshold and points", item(rate, "tier >=90%:1 >=50%:0.5"),
         item(rate, "tier >=90%：1 >=50%： 0.5")},
        {"： in a checklist", item(xy, "checklist [x: 0.5, y: 0.5]"), item(xy, "checklist [x：0.5, y ：0.5]")},
        {"： after a score label", item(xy, "\"p\": if x then 1"), item(xy, "\"p\"：if x then 1")},
        {"， between list members", item(xy, "each 0.5 of [x, y]"), item(xy, "each 0.5 of [x，y]")},
        {"、 between list members", item(xy, "each 0.5 of [x, y]"), item(xy, "each 0.5 of [x、y]")},
        {"， between arguments", item("input x: judged 0..2", "min(x, 1)"), item("input x: judged 0..2", "min(x，1)")},
        {"、 between arguments", item("input x: judged 0..2", "clamp(x, 0.5, 1)"),
         item("input x: judged 0..2", "clamp(x、0.5、1)")},
        // 、 between choices reads as `,` too, but draws W-choice-enumeration-comma (tests/unit/parse_test.cpp).
        {"， between choices", item("input c: choice [甲, 乙, 丙]", "if c == \"乙\" then 1"),
         item("input c: choice [甲，乙，丙]", "if c == \"乙\" then 1")},
        {"，、 between departments",
         item("lead \"市司法局\", \"市政府办公室\"  support \"各部门\", \"各乡镇\"  input x: bool", "if x then 1"),
         item("lead \"市司法局\"，\"市政府办公室\"  support \"各部门\"、\"各乡镇\"  input x: bool", "if x then 1")},
        {"，、 between given facts and expected scores",
         item(xy, "each 0.5") + "test \"t\" { given x = true, y = false  expect 1 = 0.5, total = 0.5 }",
         item(xy, "each 0.5") + "test \"t\" { given x = true，y = false  expect 1 = 0.5、total = 0.5 }"},
        {"（） brackets", item("input x: judged 0..1  input y: judged 0..1", "(x + y) * 0.5"),
         item("input x: judged 0..1  input y: judged 0..1", "（x + y） * 0.5")},
        {"（） in a call", item(rate, "reach(r, 95%)"), item(rate, "reach（r，95%）")},
        {"（ and ) are read on their own", item("input x: judged 0..1  input y: judged 0..1", "(x + y) * 0.5"),
         item("input x: judged 0..1  input y: judged 0..1", "（x + y) * 0.5")},
        {"％ in percents, ranges and given facts",
         item("input x: percent 0..90%", "if x >= 50% then 1") + "test \"t\" { given x = 55%  expect 1 = 1 }",
         item("input x: percent 0..90％", "if x >= 50％ then 1") + "test \"t\" { given x = 55％  expect 1 = 1 }"},
        {"≥ ≤ in comparisons", item("input x: count", "if x >= 3 and x <= 5 then 1"),
         item("input x: count", "if x ≥ 3 and x≤5 then 1")},
        {"≠ in comparisons", item("input c: choice [甲, 乙]", "if c != \"甲\" then 1"),
         item("input c: choice [甲, 乙]", "if c ≠ \"甲\" then 1")},
        {"≥ in tier bands", item(rate, "tier >=90%:1 >=50%:0.5"), item(rate, "tier ≥90%:1 ≥50%:0.5")},
        {"≤ in tier bands", item("input x: count", "tier x <=1:1 <=3:0.5"), item("input x: count", "tier x ≤1:1 ≤3:0.5")},
        {"× ÷ in arithmetic", item("input x: judged 0..1", "x * 3 / 4"), item("input x: judged 0..1", "x × 3 ÷ 4")},
        {"÷ in a ratio and in an expected fraction",
         item(rate, "r * 2", "2") + "test \"t\" { given n = 1, d = 3  expect 1 = 2/3 }",
         item("input n: count  input d: count  ratio r = n ÷ d", "r * 2", "2") +
             "test \"t\" { given n = 1, d = 3  expect 1 = 2÷3 }"},
        {"　 (U+3000) as white space", item(xy, "if x then 1"),
         "item　1　\"a\"　1　{　input　x:　bool　input y: bool\n　score　if　x　then　1　}\n"},
    };
    for (const auto& p : pairs) check_reads_the_same(p);
}

TEST_CASE("GRAMMAR.md: ＝ ＞ ＜ ≧ ≦ ／ ＋ － read exactly as their ASCII forms") {
    // Each expected score below is worked out from the rule's text, in the comment beside it.
    const std::string rate = "input n: count  input d: count  ratio r = n / d";
    const std::string c = "input c: count";
    const std::string ab = "input a: count  input b: count";
    const std::string xj = "input x: judged 0..1";
    const std::vector<same_pair> pairs = {
        // 3/4 × 1 = 0.75
        {"＝ and ／ in a ratio (录入率＝A／B)", item(rate, "r * 1") + "test \"t\" { given n = 3, d = 4  expect 1 = 0.75 }",
         item("input n: count  input d: count  ratio r ＝ n ／ d", "r * 1") +
             "test \"t\" { given n = 3, d = 4  expect 1 = 0.75 }"},
        // x holds, y does not: one of each 0.5
        {"＝ in a test's given and expect", item("input x: bool  input y: bool", "each 0.5") +
             "test \"t\" { given x = true, y = false  expect 1 = 0.5, total = 0.5 }",
         item("input x: bool  input y: bool", "each 0.5") +
             "test \"t\" { given x ＝ true，y ＝false  expect 1 ＝ 0.5，total＝0.5 }"},
        // c = 2: 1; c = 3: 0.5
        {"＝ and ＝＝ in comparisons",
         item(c, "if c == 2 then 1 else if c == 3 then 0.5") +
             "test \"2\" { given c = 2  expect 1 = 1 }  test \"3\" { given c = 3  expect 1 = 0.5 }",
         item(c, "if c ＝ 2 then 1 else if c ＝＝ 3 then 0.5") +
             "test \"2\" { given c = 2  expect 1 = 1 }  test \"3\" { given c = 3  expect 1 = 0.5 }"},
        // c = 4: 4 > 3 and 4 < 6, 1; c = 3: 3 > 3 fails, 0
        {"＞ ＜ in comparisons",
         item(c, "if c > 3 and c < 6 then 1") +
             "test \"4\" { given c = 4  expect 1 = 1 }  test \"3\" { given c = 3  expect 1 = 0 }",
         item(c, "if c ＞ 3 and c＜6 then 1") +
             "test \"4\" { given c = 4  expect 1 = 1 }  test \"3\" { given c = 3  expect 1 = 0 }"},
        // c = 3: 1; c = 4: 4 != 4 fails, 0; c = 6: 6 <= 5 fails, 0
        {"＞＝ ＜＝ ！＝ in comparisons",
         item(c, "if c >= 3 and c <= 5 and c != 4 then 1") +
             "test \"3\" { given c = 3  expect 1 = 1 }  test \"4\" { given c = 4  expect 1 = 0 }"
             "  test \"6\" { given c = 6  expect 1 = 0 }",
         item(c, "if c ＞＝ 3 and c ＜＝ 5 and c ！＝ 4 then 1") +
             "test \"3\" { given c = 3  expect 1 = 1 }  test \"4\" { given c = 4  expect 1 = 0 }"
             "  test \"6\" { given c = 6  expect 1 = 0 }"},
        {"half-width and full-width mixed: ＞= <＝ ！= ＝=",
         item(c, "if c >= 3 and c <= 5 and c != 4 then 1 else if c == 0 then 0.5") +
             "test \"3\" { given c = 3  expect 1 = 1 }  test \"0\" { given c = 0  expect 1 = 0.5 }",
         item(c, "if c ＞= 3 and c <＝ 5 and c ！= 4 then 1 else if c ＝= 0 then 0.5") +
             "test \"3\" { given c = 3  expect 1 = 1 }  test \"0\" { given c = 0  expect 1 = 0.5 }"},
        // c = 2: 2 <= 2, 1
        {"≧ ≦ in comparisons", item(c, "if c >= 1 and c <= 2 then 1") + "test \"t\" { given c = 2  expect 1 = 1 }",
         item(c, "if c ≧ 1 and c≦2 then 1") + "test \"t\" { given c = 2  expect 1 = 1 }"},
        // r = 4/5 = 80%: not >= 90%, is >= 50%: 0.5
        {"≧ and ＞＝ in tier bands", item(rate, "tier >=90%:1 >=50%:0.5") + "test \"t\" { given n = 4, d = 5  expect 1 = 0.5 }",
         item(rate, "tier ≧90%:1 ＞＝50％：0.5") + "test \"t\" { given n = 4, d = 5  expect 1 = 0.5 }"},
        // c = 5: not > 5, is > 3: 0.5
        {"＞ in tier bands", item(c, "tier c >5:1 >3:0.5") + "test \"t\" { given c = 5  expect 1 = 0.5 }",
         item(c, "tier c ＞5:1 ＞3:0.5") + "test \"t\" { given c = 5  expect 1 = 0.5 }"},
        // c = 1: not < 1, is <= 1: 0.5
        {"＜ ≦ ＜＝ in tier bands", item(c, "tier c <1:1 <=1:0.5 <=3:0.2") + "test \"t\" { given c = 1  expect 1 = 0.5 }",
         item(c, "tier c ＜1:1 ≦1:0.5 ＜＝3:0.2") + "test \"t\" { given c = 1  expect 1 = 0.5 }"},
        // 1 × 3 / 4 = 0.75
        {"／ in arithmetic", item(xj, "x * 3 / 4") + "test \"t\" { given x = 1  expect 1 = 0.75 }",
         item(xj, "x * 3 ／ 4") + "test \"t\" { given x = 1  expect 1 = 0.75 }"},
        // r = 1/3, × 2 = 2/3 of 2 points
        {"／ in a ratio and in an expected fraction",
         item(rate, "r * 2", "2") + "test \"t\" { given n = 1, d = 3  expect 1 = 2/3 }",
         item("input n: count  input d: count  ratio r = n ／ d", "r * 2", "2") +
             "test \"t\" { given n = 1, d = 3  expect 1 = 2／3 }"},
        // 0.5 + 1 − 0.5 × 0.5 = 1.25 (of 2 points)
        {"＋ － in arithmetic",
         item("input x: judged 0..1  input y: judged 0..1", "x + y - x * 0.5", "2") +
             "test \"t\" { given x = 0.5, y = 1  expect 1 = 1.25 }",
         item("input x: judged 0..1  input y: judged 0..1", "x ＋ y － x * 0.5", "2") +
             "test \"t\" { given x = 0.5, y = 1  expect 1 = 1.25 }"},
        // 1 + −0.25 = 0.75
        {"－ as a minus sign", item(xj, "1 + -x") + "test \"t\" { given x = 0.25  expect 1 = 0.75 }",
         item(xj, "1 ＋ －x") + "test \"t\" { given x = 0.25  expect 1 = 0.75 }"},
        // −(0.25 − 1) − −0 = 0.75
        {"－ as a minus sign before a bracket, and twice", item(xj, "-(x - 1) - -0") + "test \"t\" { given x = 0.25  expect 1 = 0.75 }",
         item(xj, "－（x － 1） － －0") + "test \"t\" { given x = 0.25  expect 1 = 0.75 }"},
        // a = 1, b = 1: 1 + 2 = 3 off 5: 2;  a = 2, b = 2: 6, at most 3 off 5: 2;  a = 0, b = 1: 2 off: 3
        {"＋ between a deduction's terms",
         item(ab, "deduct 1 per a + 2 per b max 3", "5") +
             "test \"t\" { given a = 1, b = 1  expect 1 = 2 }  test \"u\" { given a = 2, b = 2  expect 1 = 2 }"
             "  test \"v\" { given a = 0, b = 1  expect 1 = 3 }",
         item(ab, "deduct 1 per a ＋ 2 per b max 3", "5") +
             "test \"t\" { given a = 1, b = 1  expect 1 = 2 }  test \"u\" { given a = 2, b = 2  expect 1 = 2 }"
             "  test \"v\" { given a = 0, b = 1  expect 1 = 3 }"},
        // ＋ not followed by `POINTS per` ends the deduction: (−0.25 × 2) + 1 = 0.5
        {"＋ after a penalty that is not another term is a sum",
         item("input a: count  input x: judged 0..1", "penalty 0.25 per a + x") +
             "test \"t\" { given a = 2, x = 1  expect 1 = 0.5 }",
         item("input a: count  input x: judged 0..1", "penalty 0.25 per a ＋ x") +
             "test \"t\" { given a = 2, x = 1  expect 1 = 0.5 }"},
        // the same warning rule, scores alike
        {"＜ in a warning", item("input x: bool", "if x then 1") + "warn \"低\" if total < 1",
         item("input x: bool", "if x then 1") + "warn \"低\" if total ＜ 1"},
    };
    for (const auto& p : pairs) check_reads_the_same(p);
}

TEST_CASE("GRAMMAR.md: the full-width forms it says are not accepted are refused at the character") {
    const std::string xy = "input x: count  input y: count";
    const std::vector<refused> cases = {
        {"；", item("input x: bool；", "if x then 1"), "；", "E-syntax", "；"},
        {"； between given facts", item(xy, "1") + "test \"t\" { given x = 1；y = 2 }", "；", "E-syntax", "；"},
        {"［］", item("input x: bool  input y: bool", "each 0.5 of ［x, y］"), "［", "E-syntax", "［"},
        {"｛｝", "item 1 \"a\" 1 ｛ input x: bool  score if x then 1 ｝\n", "｛", "E-syntax", "｛"},
        {"～ in a range", item("input x: count 0～6", "if x >= 5 then 1"), "～", "E-syntax", "～"},
        {"．in a number", item("input x: bool", "if x then 0．5"), "．", "E-syntax", "．"},
        {"“…” around a text", item("input c: choice [甲, 乙]", "if c == “甲” then 1"), "“", "E-syntax", "“甲”"},
        {"full-width digits", item("input x: bool", "if x then １"), "１", "E-fullwidth-digit", "０-９"},
        // the two characters of an operator must touch, as `> =` is not `>=`
        {"＞ ＝ apart", item(xy, "if x ＞ ＝ 1 then 1"), "＝", "E-syntax", "＝"},
        // ＊ and ＃ are refused like any stray character
        {"＊", item(xy, "x ＊ 2"), "＊", "E-syntax", "＊"},
        {"＃ before a comment", std::string("＃ 注释\n") + item(xy, "x * 2"), "＃", "E-syntax", "＃"},
    };
    for (const auto& c : cases) check_refused(c);
}

TEST_CASE("GRAMMAR.md: a list in a test's given needs ASCII commas; nothing may follow a given value on its line") {
    // What the section says about given values, as it is today. If this case starts
    // failing because these are now read, update the note in GRAMMAR.md and this test.
    const std::string rubric_text = item("input s: list of percent", "each 0.5 of count d in s where d > 80%");
    const auto given_fails = [&](const std::string& test_text, const char* says) {
        INFO(test_text);
        const loaded l = load("given.rubric", rubric_text + test_text);
        REQUIRE_MESSAGE(l.prog, rubric::render(l.checked.diags));
        const auto outcomes = rubric::run_tests(*l.prog);
        REQUIRE(outcomes.size() == 1);
        CHECK_FALSE(outcomes[0].passed());
        CHECK(outcomes[0].problem.find(says) != std::string::npos);
    };
    given_fails("test \"t\" { given s = [90％，85％]  expect 1 = 1 }", "list element 1");
    given_fails("test \"t\" { given s = [90％、85％]  expect 1 = 1 }", "list element 1");
    // a member is a fact: its sign is ASCII, whatever the grammar reads around it
    given_fails("test \"t\" { given s ＝ [－90％]  expect 1 ＝ 0 }", "list element 1");
    given_fails("test \"t\" { given s = [90％]　expect 1 = 0.5 }", "given s");
    given_fails("test \"t\" { given s = [90％] # 一个领域\n expect 1 = 0.5 }", "given s");
    // … and with ASCII commas, and a line break after the value, it is read.
    const loaded ok = load("given.rubric", rubric_text + "test \"t\" { given s = [90％, 85％, 80％]\n expect 1 = 1 }");
    REQUIRE(ok.prog);
    const auto outcomes = rubric::run_tests(*ok.prog);
    REQUIRE(outcomes.size() == 1);
    CHECK_MESSAGE(outcomes[0].passed(), outcomes[0].problem);
}

TEST_CASE("GRAMMAR.md: every Chinese keyword reads as its English keyword") {
    // The keywords the example twins do not use, in one rubric each way.
    const same_pair all = {
        "header, structure, metadata, missing, or/not, from, otherwise, decimal",
        R"(rubric "全部关键字" {
  document "文号" issuer "发文单位" date "2023-04-12" edition "2023" note "备注"
  total 3 rounding 3 half_even missing error
}
section 1 "一级" {
  requirement "要求" method "方式" evidence "说明" owners "部门" deadline "时限" measures "措施" note "备注"
  lead "甲", "乙"  support "丙"
  item 1.1 "二级" 2 {
    input a: decimal 0..10 missing zero
    input b: bool missing false
    input c: count missing 0
    ratio r = a / 10 if zero undefined
    ratio q = c / 4 if zero 1
    subject r
    score tier >=90%:1 >=50%:0.5 otherwise 0.2
    score if not b or c > 2 then deduct 0.5 per c max 1 from 1 else 0
  }
  task "任务" { measures "措施" lead "甲" }
}
item 2 "比率" 1 { input e: count missing error  score q * 1 + e * 0 }
test "t" { given a = 9, b = true, c = 4, e = 0  expect 1.1 = 1, 2 = 1, total = 2 }
)",
        R"(评价体系 "全部关键字" {
  文号 "文号" 发文单位 "发文单位" 日期 "2023-04-12" 版本 "2023" 备注 "备注"
  总分 3 保留小数 3 四舍六入五成双 缺失 报错
}
指标 1 "一级" {
  评分要求 "要求" 评价方式 "方式" 提交说明 "说明" 责任部门 "部门" 时限 "时限" 工作措施 "措施" 备注 "备注"
  牵头 "甲"，"乙"  配合 "丙"
  评分项 1.1 "二级" 2分 {
    输入 a： 数值 0..10 缺失 零
    输入 b： 是否 缺失 否
    输入 c： 计数 缺失 0
    比率 r = a ÷ 10 如果 零 无定义
    比率 q = c ÷ 4 如果 零 1
    对象 r
    得分 分档 ≥90％：1 ≥50％：0.5 其余 0.2
    得分 如果 非 b 或者 c > 2 则 扣分 0.5 每 c 最多 1 满分 1 否则 0
  }
  任务 "任务" { 工作措施 "措施" 牵头 "甲" }
}
评分项 2 "比率" 1分 { 输入 e： 计数 缺失 报错  得分 q × 1 + e × 0 }
测试 "t" { 已知 a = 9，b = 是，c = 4，e = 0  预期 1.1 = 1，2 = 1，总分 = 2 }
)"};
    check_reads_the_same(all);

    const std::vector<same_pair> pairs = {
        {"或 and 且 (the short spellings)", item("input x: bool  input y: bool  input z: bool", "if x or y and z then 1"),
         item("input x: bool  input y: bool  input z: bool", "如果 x 或 y 且 z 则 1")},
        {"half_up is 四舍五入", "rubric \"t\" { rounding 1 half_up }\n" + item("input x: bool", "if x then 1"),
         "评价体系 \"t\" { 保留小数 1 四舍五入 }\n" + item("input x: bool", "if x then 1")},
        {"a Chinese keyword followed directly by a number: 每项0.5最高1分",
         item("input x: bool  input y: bool", "each 0.5 max 1"), item("input x: bool  input y: bool", "每项0.5最高1分")},
        {"最高分 is a name, 最高2分 is max 2",
         item("input 最高分: count", "each 0.5 max 2 of 最高分", "2"), item("input 最高分: count", "每项0.5最高2分对 最高分", "2")},
        {"每项指标 and 是否完成 are names", item("input 每项指标: bool  input 是否完成: bool", "if 每项指标 and 是否完成 then 1"),
         item("input 每项指标: bool  input 是否完成: bool", "如果 每项指标 并且 是否完成 则 1")},
        {"list of / 列表 对, count … in … where / 计数 … 属于 … 满足",
         item("input s: list of count", "each 0.5 max 1 of count d in s where d >= 2"),
         item("input s: 列表 对 计数", "每项 0.5 最高 1 对 计数 d 属于 s 满足 d ≥ 2")},
    };
    for (const auto& p : pairs) check_reads_the_same(p);

    // A keyword glued to a name is not a keyword, and the spellings not in the table are not.
    const std::vector<refused> not_keywords = {
        {"如果x则1 is one name", item("input x: bool", "如果x则1"), "如果x则1", "E-undeclared", "如果x则1"},
        {"最多扣1分 is not max", item("input x: count", "deduct 0.2 per x 最多扣1分"), "最多扣1分", "E-syntax", "最多扣"},
        // 最高扣 is the cap of a deduction only
        {"最高扣 after each", item("input x: bool  input y: bool", "each 0.5 最高扣 1"), "最高扣", "E-syntax", "最高扣"},
        {"最高扣 is reserved", item("input 最高扣: count", "1"), "最高扣", "E-syntax", "最高扣"},
    };
    for (const auto& r : not_keywords) check_refused(r);

    // The prose's 最高扣 is the cap of a deduction or a penalty (最高扣3分).
    const std::vector<same_pair> cap = {
        // x = 4: 4 × 1 = 4, at most 3 off 5: 2
        {"扣分 … 最高扣3分", item("input x: count", "deduct 1 per x max 3", "5") + "test \"t\" { given x = 4  expect 1 = 2 }",
         item("input x: count", "扣分 1 每 x 最高扣3分", "5") + "test \"t\" { given x = 4  expect 1 = 2 }"},
        {"deduct … 最高扣 3 (with from)", item("input x: count", "deduct 1 per x max 3 from 4", "5") +
             "test \"t\" { given x = 4  expect 1 = 1 }",  // 4 − min(3, 4) = 1
         item("input x: count", "deduct 1 per x 最高扣 3 from 4", "5") + "test \"t\" { given x = 4  expect 1 = 1 }"},
        // y = 1, x = 3: 1 − min(0.4, 0.6) = 0.6
        {"减分 … 最高扣0.4分", item("input x: count  input y: judged 0..1", "y + penalty 0.2 per x max 0.4") +
             "test \"t\" { given x = 3, y = 1  expect 1 = 0.6 }",
         item("input x: count  input y: judged 0..1", "y + 减分 0.2 每 x 最高扣0.4分") +
             "test \"t\" { given x = 3, y = 1  expect 1 = 0.6 }"},
    };
    for (const auto& p : cap) check_reads_the_same(p);
}
