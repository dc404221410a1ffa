// grammar/rubric/grammar/keyword_spellings.hpp: the spellings the parser's "did you mean" hint
// suggests, each checked against the grammar itself.
#include <doctest/doctest.h>

#include <string>

#include "rubric/rubric.hpp"
#include "rubric/detail/format_syntax.hpp"
#include "rubric/grammar/keyword_spellings.hpp"

TEST_CASE("the keyword spellings of the 'did you mean' hint are all keywords") {
    // Checked against the grammar itself (detail::keyword_length matches grammar::keyword).
    for (const auto& k : rubric::grammar::keyword_spellings) {
        const std::string en = k.en, zh = k.zh;
        CHECK_MESSAGE(rubric::detail::keyword_length(en, 0) == en.size(), en);
        CHECK_MESSAGE(rubric::detail::keyword_length(zh, 0) == zh.size(), zh);
    }
}

TEST_CASE("the declaration words of the hint (grade, veto, adjustments, warn, let) are those declarations' keywords") {
    // Not reserved, so not `keyword`: checked against their own rules (detail::declaration_keyword_length).
    for (const auto& k : rubric::grammar::declaration_keyword_spellings) {
        const std::string en = k.en, zh = k.zh;
        CHECK_MESSAGE(rubric::detail::declaration_keyword_length(en, 0) == en.size(), en);
        CHECK_MESSAGE(rubric::detail::declaration_keyword_length(zh, 0) == zh.size(), zh);
        CHECK_MESSAGE(rubric::detail::keyword_length(en, 0) == 0, en);  // and not reserved
    }
}
