// Definitions for rubric/number_message.hpp.
#pragma once

#include <string>

#include "rubric/config.hpp"
#include "rubric/number_message.hpp"

namespace rubric {

RUBRIC_FUNC localized describe(const number_problem& p) {
    using reason = number_problem::reason;
    switch (p.why) {
        case reason::empty: return localize("number.empty");
        case reason::non_ascii: return localize("number.non-ascii", {{"text", p.text}});
        case reason::white_space: return localize("number.white-space", {{"text", p.text}});
        case reason::thousands_separator: return localize("number.thousands-separator", {{"text", p.text}});
        case reason::comma: return localize("number.comma", {{"text", p.text}});
        case reason::percent_sign:
            if (!p.suggestion.empty()) return localize("number.percent-sign", {{"text", p.text}, {"fraction", p.suggestion}});
            return localize("number.percent-sign-any", {{"text", p.text}});
        case reason::not_finite: return localize("number.not-finite", {{"text", p.text}});
        case reason::hexadecimal: return localize("number.hexadecimal", {{"text", p.text}});
        case reason::several_points: return localize("number.several-points", {{"text", p.text}});
        case reason::no_digits: return localize("number.no-digits", {{"text", p.text}});
        case reason::no_digits_before_exponent: return localize("number.no-digits-before-exponent", {{"text", p.text}});
        case reason::exponent_without_digits: return localize("number.exponent-without-digits", {{"text", p.text}});
        case reason::incomplete: return localize("number.incomplete", {{"text", p.text}});
        case reason::unexpected_character:
            return localize("number.unexpected-character",
                            {{"text", p.text}, {"character", p.character}, {"position", std::to_string(p.position)}});
        case reason::too_many_digits:
            return localize("number.too-many-digits", {{"count", std::to_string(p.count)}, {"limit", std::to_string(p.limit)}});
        case reason::exponent_too_large:
            return localize("number.exponent-too-large", {{"exponent", p.exponent}, {"limit", std::to_string(p.limit)}});
        case reason::fraction_empty: return localize("number.fraction-empty");
        case reason::fraction_syntax: return localize("number.fraction-syntax", {{"text", p.text}});
        case reason::fraction_zero_denominator: return localize("number.fraction-zero-denominator", {{"text", p.text}});
    }
    return literal(p.english());
}

}  // namespace rubric
