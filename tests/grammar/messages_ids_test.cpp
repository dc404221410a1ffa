// grammar/rubric/grammar/messages.hpp: every rule's message is a catalog id that
// both catalogs (English and Chinese) hold.
#include <doctest/doctest.h>

#include <string>

#include "rubric/grammar/messages.hpp"
#include "rubric/messages.hpp"

TEST_CASE("every grammar message has an English and a Chinese text") {
    namespace g = rubric::grammar;
    CHECK(std::string(g::expected<g::tier_band>) == "expected.tier_band");
    for (const char* id : g::expected_ids) {
        CHECK_MESSAGE(rubric::message_template(rubric::lang::en, id) != nullptr, id);
        CHECK_MESSAGE(rubric::message_template(rubric::lang::zh, id) != nullptr, id);
    }
    CHECK(std::string(rubric::message_template(rubric::lang::en, "expected.kw_then")) == "`then` after the condition of `if`");
    CHECK(std::string(rubric::message_template(rubric::lang::zh, "expected.kw_then")) == "`if` 条件之后的 `then`");
}
