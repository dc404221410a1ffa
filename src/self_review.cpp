// Compiled mode: self-assessment against review (self_review.hpp).
// One unit per stage, so that the build runs in parallel and an edit rebuilds little;
// with RUBRIC_HEADER_ONLY=1 the umbrella header includes the same .inl files instead (impl/all.inl).
#include "rubric/config.hpp"
#include "rubric/self_review.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/self_review.inl"
#endif
