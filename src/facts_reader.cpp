// Compiled mode: the CSV reader and the JSON / JSON-lines / CSV facts readers.
// One unit per stage, so that the build runs in parallel and an edit rebuilds little;
// with RUBRIC_HEADER_ONLY=1 the umbrella header includes the same .inl files instead (impl/all.inl).
#include "rubric/config.hpp"
#include "rubric/csv.hpp"
#include "rubric/facts_reader.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/csv.inl"
#include "rubric/impl/facts_reader.inl"
#endif
