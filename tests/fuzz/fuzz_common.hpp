// Helpers shared by the fuzz targets (tests/fuzz/*.cpp).
//
// A target is a function LLVMFuzzerTestOneInput(data, size). It is linked either with
// libFuzzer (-fsanitize=fuzzer, the RUBRIC_BUILD_FUZZ build) or with replay.cpp (any
// compiler, the normal test build), which runs it over the saved regression inputs.
//
// A target checks properties as well as running the code: a violated property prints
// what went wrong and calls std::abort(), which both libFuzzer and ctest report as a
// failure (and libFuzzer saves the input as a crash-* artifact).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rubric/rubric.hpp"

namespace rubric_fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* what, const std::string& detail) {
    std::fprintf(stderr, "\n*** fuzz property violated at %s:%d: %s\n%s\n", file, line, what, detail.c_str());
    std::fflush(stderr);
    std::abort();
}

#define FUZZ_CHECK(cond, detail)                                                \
    do {                                                                        \
        if (!(cond)) ::rubric_fuzz::fail(__FILE__, __LINE__, #cond, (detail)); \
    } while (0)

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Target 3 separates the rubric text from the facts text with this line.
inline constexpr std::string_view facts_separator = "\n@facts\n";

// Every known position must be where it says: position_at(offset) gives the same line and
// column (source.hpp's promise, used by render() to place the caret).
inline void check_position(const rubric::source_ptr& src, const rubric::position& p, const char* what) {
    if (!p.known() || !src) return;
    FUZZ_CHECK(p.offset <= src->text.size(), std::string(what) + ": offset " + std::to_string(p.offset) +
                                                 " beyond the text (" + std::to_string(src->text.size()) + " bytes)");
    const rubric::position q = src->position_at(p.offset);
    FUZZ_CHECK(q.line == p.line && q.column == p.column,
               std::string(what) + ": position " + std::to_string(p.line) + ":" + std::to_string(p.column) +
                   " but position_at(" + std::to_string(p.offset) + ") is " + std::to_string(q.line) + ":" +
                   std::to_string(q.column));
}

// Renders every diagnostic (exercises the caret placement) and checks the basic shape.
inline void render_all(const rubric::diagnostics& ds) {
    for (const auto& d : ds) {
        FUZZ_CHECK(!d.code.empty(), "a diagnostic without a code: " + d.message);
        FUZZ_CHECK(!d.message.empty(), "a diagnostic without a message, code " + d.code);
        const std::string r = rubric::render(d);
        FUZZ_CHECK(!r.empty(), "render() gave nothing for " + d.code);
    }
    (void)rubric::render(ds);
}

}  // namespace rubric_fuzz
