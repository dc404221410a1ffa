// rubric: running the tests written in a rubric (`test "…" { given … expect … }`).
#pragma once

#include <string>
#include <vector>

#include "rubric/coverage.hpp"
#include "rubric/evaluate.hpp"

namespace rubric {

struct test_mismatch {
    std::string unit;     // the unit of a cohort test ("" in a test of one unit)
    std::string code;     // node code, "total", "bonus", "adjustments", "grand_total" or "grade"
    decimal expected, actual;
    std::string expected_text, actual_text;  // "grade": the grades' labels (expected and actual are 0)
    std::string explanation;  // how the actual score came about (items and sections)
};

struct test_outcome {
    const test_case* test = nullptr;  // points into the program's tree
    std::string problem;              // facts that could not be set ("" if none)
    std::vector<test_mismatch> mismatches;
    [[nodiscard]] bool passed() const noexcept { return problem.empty() && mismatches.empty(); }
};

// Runs every test of the program's rubric, in source order. The units of a test
// (`unit "A" …`) are scored together as one cohort (cohort_evaluation.hpp); a test
// without units is a cohort of one unit. With a tracker (made
// for the same program), every test that could be evaluated is recorded in it.
[[nodiscard]] std::vector<test_outcome> run_tests(const program& p, coverage_tracker* coverage = nullptr);
// The same, with problems and explanations in language `l` (the one above: English).
[[nodiscard]] std::vector<test_outcome> run_tests(const program& p, lang l, coverage_tracker* coverage = nullptr);

}  // namespace rubric
