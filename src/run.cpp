// Compiled mode: the season run, and the one home of escaping and of display rounding it uses.
// One unit per stage, so that the build runs in parallel and an edit rebuilds little;
// with RUBRIC_HEADER_ONLY=1 the umbrella header includes the same .inl files instead (impl/all.inl).
#include "rubric/config.hpp"
#include "rubric/escape.hpp"
#include "rubric/display.hpp"
#include "rubric/run.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/escape.inl"
#include "rubric/impl/display.inl"
#include "rubric/impl/run.inl"
#endif
