// rubric: build configuration shared by every public header.
#pragma once

// RUBRIC_HEADER_ONLY=1 makes the umbrella header pull in the definitions
// (impl/*.inl) as inline functions, the way fmt's FMT_HEADER_ONLY does.
// Otherwise the definitions are compiled once, in src/rubric.cpp.
#ifndef RUBRIC_HEADER_ONLY
#define RUBRIC_HEADER_ONLY 0
#endif

#if RUBRIC_HEADER_ONLY
#define RUBRIC_FUNC inline
#else
#define RUBRIC_FUNC
#endif
