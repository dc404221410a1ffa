// Definitions for rubric/facts.hpp.
#pragma once

#include <algorithm>

#include "rubric/config.hpp"
#include "rubric/evaluate.hpp"
#include "rubric/facts.hpp"
#include "rubric/number_message.hpp"

namespace rubric {

RUBRIC_FUNC void fact_set::reset(const program& p) {
    const std::size_t n = p.inputs().size();
    values.assign(n, value{});
    present.assign(n, 0);
    if (lists.size() != n) lists.resize(n);
    for (auto& l : lists) l.clear();
    display_name.clear();
}

namespace detail {

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// A number as written in a facts file; `percent` accepts "85%" (and "85％").
// Each returns an empty message when all is well (texts: messages.hpp).
inline localized parse_number_text(std::string_view text, bool percent, const number_limits& lim, decimal& out) {
    text = trim(text);
    bool pct = false;
    if (!text.empty() && text.back() == '%') { pct = true; text.remove_suffix(1); }
    else if (text.size() >= 3 && text.substr(text.size() - 3) == "\xEF\xBC\x85") { pct = true; text.remove_suffix(3); }
    if (pct && !percent) return localize("fact.percent-sign");
    number_problem why;
    if (!decimal::parse(text, out, why, lim)) return describe(why);
    if (pct) out /= decimal(100);
    return {};
}

inline localized check_range(const input_slot& s, const decimal& v) {
    if (s.lo && v < *s.lo)
        return localize("fact.below-range", {{"value", v.to_string()}, {"low", s.lo->to_string()}, {"high", s.hi ? s.hi->to_string() : ""}});
    if (s.hi && v > *s.hi)
        return localize("fact.above-range", {{"value", v.to_string()}, {"low", s.lo ? s.lo->to_string() : ""}, {"high", s.hi->to_string()}});
    return {};
}

inline localized typed_scalar(const input_slot& s, input_type type, std::string_view text, const number_limits& lim,
                                decimal& out) {
    text = trim(text);
    switch (type) {
        case input_type::boolean:
            // The one home of how a yes/no is written: also as offices write it in a sheet
            // (有/无, 是/否, √/×, Y/N); an Excel boolean cell arrives as true/false.
            if (text == "true" || text == "1" || text == "TRUE" || text == "True" || text == "是" || text == "有" ||
                text == "\u221A" /* √ */ || text == "\u2713" /* ✓ */ || text == "Y" || text == "y")
                out = decimal(1);
            else if (text == "false" || text == "0" || text == "FALSE" || text == "False" || text == "否" || text == "无" ||
                     text == "\u00D7" /* × */ || text == "\u2717" /* ✗ */ || text == "N" || text == "n")
                out = decimal(0);
            else return localize("fact.expected-bool", {{"text", std::string(text)}});
            return {};
        case input_type::count: {
            if (auto e = parse_number_text(text, false, lim, out); !e.empty()) return localize("fact.expected-whole-because", {{"reason", e}});
            if (!out.is_integer()) return localize("fact.expected-whole", {{"text", std::string(text)}});
            if (out.sign() < 0) return localize("fact.negative-count", {{"text", std::string(text)}});
            return check_range(s, out);
        }
        case input_type::percent: {
            if (auto e = parse_number_text(text, true, lim, out); !e.empty()) return localize("fact.expected-percent-because", {{"reason", e}});
            if (out.sign() < 0 || out > decimal(1))
                return localize("fact.percent-range", {{"text", std::string(text)}});
            return check_range(s, out);
        }
        case input_type::number:
        case input_type::judged: {
            if (auto e = parse_number_text(text, false, lim, out); !e.empty()) return localize("fact.expected-number-because", {{"reason", e}});
            return check_range(s, out);
        }
        case input_type::choice: {
            // the word (database) or its label (数据库对接), as the fill-in sheet offers it
            for (std::size_t i = 0; i < s.choices.size(); ++i)
                if (s.choices[i] == text || (i < s.choice_labels.size() && !s.choice_labels[i].empty() && s.choice_labels[i] == text)) {
                    out = decimal(static_cast<std::int64_t>(i));
                    return {};
                }
            // each word with its label, as the fill-in sheet offered it: database (数据库对接)
            std::vector<std::string> shown = s.choices;
            for (std::size_t i = 0; i < shown.size() && i < s.choice_labels.size(); ++i)
                if (!s.choice_labels[i].empty()) shown[i] += " (" + s.choice_labels[i] + ")";
            return localize("fact.not-a-choice", {{"text", std::string(text)}, {"choices", list_of(shown)}});
        }
        default: return localize("fact.list-not-allowed");
    }
}

}  // namespace detail

RUBRIC_FUNC localized set_fact(const program& p, std::uint32_t input, std::string_view text, fact_set& out,
                               const bind_options& options) {
    const input_slot& s = p.inputs()[input];
    if (out.present[input]) return localize("fact.given-twice");
    if (s.type == input_type::list) {
        std::string_view body = detail::trim(text);
        if (!body.empty() && body.front() == '[') {
            if (body.back() != ']') return localize("fact.list-end");
            body = body.substr(1, body.size() - 2);
        }
        auto& list = out.lists[input];
        list.clear();
        while (!detail::trim(body).empty()) {
            const std::size_t cut = body.find_first_of(";,");
            const std::string_view item = body.substr(0, cut);
            decimal v;
            if (auto e = detail::typed_scalar(s, s.element, item, options.numbers, v); !e.empty()) {
                // nothing of a bad list stays behind: the fact is not set
                const std::string index = std::to_string(list.size() + 1);
                list.clear();
                return localize("fact.list-element", {{"index", index}, {"problem", e}});
            }
            list.push_back(v);
            if (cut == std::string_view::npos) break;
            body.remove_prefix(cut + 1);
        }
        out.values[input] = value{decimal(static_cast<std::int64_t>(list.size())), false};
        out.present[input] = 1;
        return {};
    }
    decimal v;
    if (auto e = detail::typed_scalar(s, s.type, text, options.numbers, v); !e.empty()) return e;
    out.values[input] = value{v, false};
    out.present[input] = 1;
    return {};
}

RUBRIC_FUNC std::string set_fact_text(const program& p, std::uint32_t input, std::string_view text, fact_set& out,
                                      const bind_options& options) {
    return translate(set_fact(p, input, text, out, options), lang::en);
}

RUBRIC_FUNC std::string fill_missing(const program& p, fact_set& out) { return translate(fill_missing_facts(p, out), lang::en); }

RUBRIC_FUNC localized fill_missing_facts(const program& p, fact_set& out) {
    const auto& slots = p.inputs();
    // Bounds and the presence flags in locals: the stores into the values would otherwise make
    // the compiler load them again for every input (a season run does this for every unit).
    const std::size_t n = slots.size();
    const std::uint8_t* const present = out.present.data();
    for (std::size_t i = 0; i < n; ++i) {
        if (present[i]) continue;
        switch (slots[i].missing) {
            case missing_policy::error: return localize("fact.required-missing", {{"name", slots[i].name}});
            case missing_policy::value: out.values[i] = value{slots[i].missing_value, false}; break;
            default:
                // Not achieved: false / 0. A missing choice matches no word, so it is undefined.
                out.values[i] = value{decimal(), slots[i].type == input_type::choice};
                break;
        }
    }
    return {};
}

RUBRIC_FUNC bool bind_facts(const program& p, const raw_entity& raw, const source_ptr& src, fact_set& out,
                            diagnostics& diags, const bind_options& options, facts_reading* reading) {
    out.reset(p);
    out.entity = raw.id;
    bool ok = true;
    auto fail = [&](const position& pos, localized msg) {
        diags.push_back(make_diagnostic(severity::error, src, span{pos, pos}, "E-fact", std::move(msg)));
        ok = false;
    };
    for (const raw_field& f : raw.fields) {
        if (f.name == "name" || f.name == "名称" || f.name == "单位名称") {
            out.display_name = f.value.text;
            continue;
        }
        const int idx = p.find_input(f.name);
        if (idx < 0) {
            if (options.allow_unknown) continue;
            if (!f.column) {
                fail(f.pos, localize("fact.not-an-input", {{"entity", raw.id}, {"field", f.name}}));
                continue;
            }
            // The row is still bad, but its column was reported at the first row that used it.
            if (reading) {
                auto& seen = reading->reported_columns;
                if (std::find(seen.begin(), seen.end(), f.name) != seen.end()) {
                    ok = false;
                    continue;
                }
                seen.push_back(f.name);
            }
            fail(f.pos, localize("fact.column-not-an-input", {{"field", f.name}}));
            continue;
        }
        std::string text;
        if (f.value.k == raw_value::kind::list) {
            text = "[";
            for (std::size_t i = 0; i < f.value.items.size(); ++i) text += (i ? ";" : "") + f.value.items[i].text;
            text += "]";
        } else {
            text = f.value.text;
        }
        if (f.value.k == raw_value::kind::list && p.inputs()[idx].type != input_type::list) {
            fail(f.value.pos, localize("fact.list-for-scalar", {{"entity", raw.id}, {"field", f.name}, {"type", to_string(p.inputs()[idx].type)}}));
            out.present[idx] = 1;  // given, though wrongly: not also "missing"
            continue;
        }
        if (localized e = set_fact(p, static_cast<std::uint32_t>(idx), text, out, options); !e.empty()) {
            fail(f.value.pos.known() ? f.value.pos : f.pos,
                 localize("fact.field-problem", {{"entity", raw.id}, {"field", f.name}, {"problem", std::move(e)}}));
            out.present[idx] = 1;  // given, though wrongly: not also "missing"
        }
    }
    if (localized e = fill_missing_facts(p, out); !e.empty())
        fail(raw.pos, localize("fact.entity-problem", {{"entity", raw.id}, {"problem", std::move(e)}}));
    if (ok) {
        // Checked here, before evaluate(), so that the evaluator's loop needs no counter;
        // reported at the longest list, the thing to shorten.
        if (const std::uint64_t steps = evaluation_steps(p, out); steps > options.max_eval_steps) {
            // A list comes as a JSON array or as one CSV cell "0.8;0.9": count the bound items.
            const raw_field* longest = nullptr;
            std::size_t most = 0;
            for (const raw_field& f : raw.fields) {
                const int idx = p.find_input(f.name);
                if (idx < 0 || p.inputs()[idx].type != input_type::list) continue;
                const std::size_t items = out.lists[static_cast<std::size_t>(idx)].size();
                if (!longest || items > most) {
                    longest = &f;
                    most = items;
                }
            }
            const position at = longest ? (longest->value.pos.known() ? longest->value.pos : longest->pos) : raw.pos;
            // Without a list, the cost is the size of the numbers (big-number steps, evaluate.hpp).
            diags.push_back(make_diagnostic(
                severity::error, src, span{at, at}, "E-limit-eval-steps",
                longest ? localize("fact.limit-eval-steps",
                                   {{"entity", raw.id}, {"steps", std::to_string(steps)}, {"limit", std::to_string(options.max_eval_steps)},
                                    {"field", longest->name}, {"items", std::to_string(most)}})
                        : localize("fact.limit-eval-steps-numbers",
                                   {{"entity", raw.id}, {"steps", std::to_string(steps)}, {"limit", std::to_string(options.max_eval_steps)}})));
            ok = false;
        }
    }
    return ok;
}

}  // namespace rubric
