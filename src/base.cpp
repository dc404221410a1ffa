// Compiled mode: sources, messages, diagnostics, limits and number messages (small, one unit).
// One unit per stage, so that the build runs in parallel and an edit rebuilds little;
// with RUBRIC_HEADER_ONLY=1 the umbrella header includes the same .inl files instead (impl/all.inl).
#include "rubric/config.hpp"
#include "rubric/source.hpp"
#include "rubric/messages.hpp"
#include "rubric/diagnostic.hpp"
#include "rubric/limits.hpp"
#include "rubric/number_message.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/source.inl"
#include "rubric/impl/messages.inl"
#include "rubric/impl/diagnostic.inl"
#include "rubric/impl/limits.inl"
#include "rubric/impl/number_message.inl"
#endif
