// rubric test [PATH...]: runs the tests written in .rubric files.
#include <iostream>

#include "cli.hpp"

namespace rubric::cli {

int cmd_test(const args& a) {
    std::vector<std::string> files;
    bool missing = false;
    if (a.files.empty()) collect_rubrics(".", files, missing);
    for (const auto& f : a.files) collect_rubrics(f, files, missing);
    std::size_t passed = 0, failed = 0;
    for (const auto& f : files) {
        program_ptr prog = load(f, false, true);
        if (!prog) {
            std::cerr << f << ": the rubric has errors; its tests cannot run\n";
            ++failed;
            continue;
        }
        for (const test_outcome& o : run_tests(*prog)) {
            if (o.passed()) {
                ++passed;
                continue;
            }
            ++failed;
            const test_case& tc = *o.test;
            std::cerr << prog->tree().source->name << ":" << tc.where.begin.line << ":" << tc.where.begin.column
                      << ": test \"" << tc.name << "\" failed\n"
                      << indent(o.problem, "  ");
            for (const auto& m : o.mismatches) {
                std::cerr << "  " << m.code << ": expected " << m.expected.to_string() << ", got "
                          << m.actual.to_string() << "\n"
                          << indent(m.explanation, "    ");
            }
        }
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    return failed || missing ? exit_input : exit_ok;
}

}  // namespace rubric::cli
