// rubric (internal): a value as a condition, shared by the evaluator (impl/evaluate.inl) and
// the cohort evaluator (impl/cohort_evaluation.inl), which are compiled in separate units.
#pragma once

#include "rubric/compile.hpp"

namespace rubric::detail {

inline bool truthy(const value& v) noexcept { return !v.undefined && !v.v.is_zero(); }

}  // namespace rubric::detail
