// Compiled mode: the library's definitions, compiled once (toml++'s src/toml.cpp pattern).
// With RUBRIC_HEADER_ONLY=1 the umbrella header includes the same .inl files instead.
#include "rubric/rubric.hpp"

#if !RUBRIC_HEADER_ONLY
#include "rubric/impl/all.inl"
#endif
