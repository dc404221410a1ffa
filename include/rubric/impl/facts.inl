// Definitions for rubric/facts.hpp.
#pragma once

#include "rubric/config.hpp"
#include "rubric/facts.hpp"

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
inline std::string parse_number_text(std::string_view text, bool percent, const number_limits& lim, decimal& out) {
    text = trim(text);
    bool pct = false;
    if (!text.empty() && text.back() == '%') { pct = true; text.remove_suffix(1); }
    else if (text.size() >= 3 && text.substr(text.size() - 3) == "\xEF\xBC\x85") { pct = true; text.remove_suffix(3); }
    if (pct && !percent) return "a percent sign is only allowed for percent inputs";
    std::string err;
    if (!decimal::parse(text, out, &err, lim)) return err;
    if (pct) out /= decimal(100);
    return {};
}

inline std::string check_range(const input_slot& s, const decimal& v) {
    if (s.lo && v < *s.lo) return v.to_string() + " is below the allowed range " + s.lo->to_string() + ".." + (s.hi ? s.hi->to_string() : "");
    if (s.hi && v > *s.hi) return v.to_string() + " is above the allowed range " + (s.lo ? s.lo->to_string() : "") + ".." + s.hi->to_string();
    return {};
}

inline std::string typed_scalar(const input_slot& s, input_type type, std::string_view text, const number_limits& lim,
                                decimal& out) {
    text = trim(text);
    switch (type) {
        case input_type::boolean:
            if (text == "true" || text == "1" || text == "TRUE" || text == "True" || text == "是") out = decimal(1);
            else if (text == "false" || text == "0" || text == "FALSE" || text == "False" || text == "否") out = decimal(0);
            else return "expected true/false, 1/0 or 是/否, not \"" + std::string(text) + "\"";
            return {};
        case input_type::count: {
            if (auto e = parse_number_text(text, false, lim, out); !e.empty()) return "expected a whole number: " + e;
            if (!out.is_integer()) return "expected a whole number, not " + std::string(text);
            if (out.sign() < 0) return "a count cannot be negative (" + std::string(text) + ")";
            return check_range(s, out);
        }
        case input_type::percent: {
            if (auto e = parse_number_text(text, true, lim, out); !e.empty()) return "expected a percent such as 85% or 0.85: " + e;
            if (out.sign() < 0 || out > decimal(1))
                return "a percent lies within 0%..100% (0..1), not " + std::string(text);
            return check_range(s, out);
        }
        case input_type::number:
        case input_type::judged: {
            if (auto e = parse_number_text(text, false, lim, out); !e.empty()) return "expected a number: " + e;
            return check_range(s, out);
        }
        case input_type::choice: {
            for (std::size_t i = 0; i < s.choices.size(); ++i)
                if (s.choices[i] == text) {
                    out = decimal(static_cast<std::int64_t>(i));
                    return {};
                }
            std::string all;
            for (const auto& w : s.choices) all += (all.empty() ? "" : ", ") + w;
            return "\"" + std::string(text) + "\" is not one of the choices (" + all + ")";
        }
        default: return "a list cannot be given here";
    }
}

}  // namespace detail

RUBRIC_FUNC std::string set_fact_text(const program& p, std::uint32_t input, std::string_view text, fact_set& out,
                                      const bind_options& options) {
    const input_slot& s = p.inputs()[input];
    if (out.present[input]) return "the fact is given twice";
    if (s.type == input_type::list) {
        std::string_view body = detail::trim(text);
        if (!body.empty() && body.front() == '[') {
            if (body.back() != ']') return "a list must end with ]";
            body = body.substr(1, body.size() - 2);
        }
        auto& list = out.lists[input];
        list.clear();
        while (!detail::trim(body).empty()) {
            const std::size_t cut = body.find_first_of(";,");
            const std::string_view item = body.substr(0, cut);
            decimal v;
            input_slot el = s;
            el.type = s.element;
            if (auto e = detail::typed_scalar(el, s.element, item, options.numbers, v); !e.empty())
                return "list element " + std::to_string(list.size() + 1) + ": " + e;
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

RUBRIC_FUNC std::string fill_missing(const program& p, fact_set& out) {
    const auto& slots = p.inputs();
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (out.present[i]) continue;
        switch (slots[i].missing) {
            case missing_policy::error: return "required fact `" + slots[i].name + "` is missing";
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
                            diagnostics& diags, const bind_options& options) {
    out.reset(p);
    out.entity = raw.id;
    bool ok = true;
    auto fail = [&](const position& pos, std::string msg) {
        diagnostic d;
        d.source = src;
        d.where.begin = pos;
        d.where.end = pos;
        d.code = "E-fact";
        d.message = std::move(msg);
        diags.push_back(std::move(d));
        ok = false;
    };
    for (const raw_field& f : raw.fields) {
        if (f.name == "name" || f.name == "名称" || f.name == "单位名称") {
            out.display_name = f.value.text;
            continue;
        }
        const int idx = p.find_input(f.name);
        if (idx < 0) {
            if (!options.allow_unknown)
                fail(f.pos, "entity " + raw.id + ": `" + f.name + "` is not an input of this rubric");
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
            fail(f.value.pos, "entity " + raw.id + ", field `" + f.name + "`: a list was given for a " +
                                  to_string(p.inputs()[idx].type) + " input");
            continue;
        }
        if (const std::string e = set_fact_text(p, static_cast<std::uint32_t>(idx), text, out, options); !e.empty())
            fail(f.value.pos.known() ? f.value.pos : f.pos, "entity " + raw.id + ", field `" + f.name + "`: " + e);
    }
    if (const std::string e = fill_missing(p, out); !e.empty()) fail(raw.pos, "entity " + raw.id + ": " + e);
    return ok;
}

}  // namespace rubric
