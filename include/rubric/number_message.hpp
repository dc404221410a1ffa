// rubric: why a text is not a number, as a catalog message (messages.hpp), so that a
// diagnostic about a fact or a literal reads in one language from end to end.
#pragma once

#include "rubric/decimal.hpp"
#include "rubric/messages.hpp"

namespace rubric {

// The problem as the message "number.<reason>" with its arguments ({text}, {character},
// {position}, {count}, {limit}, {exponent}). In English it reads as number_problem::english().
[[nodiscard]] localized describe(const number_problem& problem);

}  // namespace rubric
