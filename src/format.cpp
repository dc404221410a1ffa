// Compiled mode: the formatter (rubric fmt). Its view of the grammar comes from the parse unit (detail/format_syntax.hpp).
// One unit per stage, so that the build runs in parallel and an edit rebuilds little;
// with RUBRIC_HEADER_ONLY=1 the umbrella header includes the same .inl files instead (impl/all.inl).
#include "rubric/config.hpp"
#include "rubric/format.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/format.inl"
#endif
