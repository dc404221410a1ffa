// Compiled mode: comparing two versions of a rubric (diff.hpp).
// One unit per stage, so that the build runs in parallel and an edit rebuilds little;
// with RUBRIC_HEADER_ONLY=1 the umbrella header includes the same .inl files instead (impl/all.inl).
#include "rubric/config.hpp"
#include "rubric/diff.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/diff.inl"
#endif
