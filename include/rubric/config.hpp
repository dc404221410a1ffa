// rubric: build configuration shared by every public header.
#pragma once

// RUBRIC_HEADER_ONLY=1 makes the umbrella header pull in the definitions
// (impl/*.inl) as inline functions, the way fmt's FMT_HEADER_ONLY does.
// Otherwise the definitions are compiled once, one stage per unit: src/*.cpp.
#ifndef RUBRIC_HEADER_ONLY
#define RUBRIC_HEADER_ONLY 0
#endif

#if RUBRIC_HEADER_ONLY
#define RUBRIC_FUNC inline
#else
#define RUBRIC_FUNC
#endif

// Keeps a function out of its callers. The recursive passes over nested
// expressions (parse-tree conversion, explanations) put each kind of node in a
// function of its own so that one nesting level costs one small frame; inlined
// back, the frames would merge into one large one again (limits.hpp, "Stack").
#if defined(_MSC_VER)
#define RUBRIC_NOINLINE __declspec(noinline)
#elif defined(__GNUC__) || defined(__clang__)
#define RUBRIC_NOINLINE __attribute__((noinline))
#else
#define RUBRIC_NOINLINE
#endif

// Asks for a small function to be inlined where the compiler's budget would not: the steps of a
// hot loop (a JSON line's white space between tokens) that are called from many places in it.
#if defined(_MSC_VER)
#define RUBRIC_ALWAYS_INLINE __forceinline
#elif defined(__GNUC__) || defined(__clang__)
#define RUBRIC_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define RUBRIC_ALWAYS_INLINE inline
#endif
