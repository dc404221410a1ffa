// The parts of a rubric that apply to a unit (rubric/applies.hpp).
#include "rubric/config.hpp"
#include "rubric/applies.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/applies.inl"
#endif
