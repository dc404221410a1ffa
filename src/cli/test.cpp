// rubric test [PATH...] [--coverage] [--min-coverage PERCENT]: runs the tests
// written in .rubric files; with --coverage, lists the branches no test exercises.
#include <iostream>
#include <optional>

#include "cli.hpp"

namespace rubric::cli {

namespace {

// "87.5%": covered / goals, exact, rounded half-up to one place.
std::string percent(std::size_t covered, std::size_t goals) {
    if (goals == 0) return "100%";
    const decimal r = decimal(static_cast<long long>(covered)) * decimal(100) / decimal(static_cast<long long>(goals));
    return r.round(1, rounding::half_up).to_string() + "%";
}

void report_coverage(const program& p, const coverage_tracker& cov) {
    const ast& t = p.tree();
    const std::string& file = t.source->name;
    for (const auto& g : cov.goals()) {
        if (g.hits) continue;
        const std::string place = file + ":" + std::to_string(g.where.begin.line) + ":" + std::to_string(g.where.begin.column);
        const std::string what = translate(g.what, ui_lang());
        if (g.item != no_id)
            std::cout << say("cli.coverage-missed",
                             {{"place", place}, {"what", what}, {"code", t.nodes[g.item].code}, {"name", t.nodes[g.item].name}});
        else
            std::cout << say("cli.coverage-missed-rubric", {{"place", place}, {"what", what}});
        std::cout << "\n";
    }
    std::cout << say("cli.coverage-file", {{"file", file},
                                            {"covered", std::to_string(cov.covered())},
                                            {"goals", std::to_string(cov.goals().size())},
                                            {"percent", percent(cov.covered(), cov.goals().size())}})
              << "\n";
}

}  // namespace

int cmd_test(const args& a) {
    const bool with_coverage = a.has("--coverage") || !a.opt("--min-coverage").empty();
    decimal min_coverage;
    if (!a.opt("--min-coverage").empty()) {
        if (!decimal::parse(a.opt("--min-coverage"), min_coverage))
            return usage("--min-coverage needs a number of percent, e.g. 100");
    }
    std::size_t goals = 0, covered = 0;
    std::vector<std::string> files;
    bool missing = false;
    if (a.files.empty()) collect_rubrics(".", files, missing);
    for (const auto& f : a.files) collect_rubrics(f, files, missing);
    std::size_t passed = 0, failed = 0;
    for (const auto& f : files) {
        program_ptr prog = load(f, false, true);
        if (!prog) {
            std::cerr << say("cli.test-rubric-errors", {{"file", f}}) << "\n";
            ++failed;
            continue;
        }
        std::optional<coverage_tracker> cov;
        if (with_coverage) cov.emplace(*prog);
        for (const test_outcome& o : run_tests(*prog, ui_lang(), cov ? &*cov : nullptr)) {
            if (o.passed()) {
                ++passed;
                continue;
            }
            ++failed;
            const test_case& tc = *o.test;
            std::cerr << prog->tree().source->name << ":" << tc.where.begin.line << ":" << tc.where.begin.column
                      << ": " << say("cli.test-failed", {{"test", tc.name}}) << "\n"
                      << indent(o.problem, "  ");
            for (const auto& m : o.mismatches) {
                std::cerr << "  " << (m.unit.empty() ? std::string() : say("cli.test-unit", {{"unit", m.unit}}))
                          << say("cli.test-mismatch",
                                 {{"code", m.code},
                                  {"expected", m.expected_text.empty() ? m.expected.to_string() : m.expected_text},
                                  {"actual", m.actual_text.empty() ? m.actual.to_string() : m.actual_text}})
                          << "\n"
                          << indent(m.explanation, "    ");
            }
        }
        if (cov) {
            report_coverage(*prog, *cov);
            goals += cov->goals().size();
            covered += cov->covered();
        }
    }
    std::cout << say("cli.test-summary", {{"passed", std::to_string(passed)}, {"failed", std::to_string(failed)}}) << "\n";
    bool too_low = false;
    if (with_coverage) {
        std::cout << say("cli.coverage-total", {{"covered", std::to_string(covered)},
                                                 {"goals", std::to_string(goals)},
                                                 {"percent", percent(covered, goals)}})
                  << "\n";
        const decimal got = goals ? decimal(static_cast<long long>(covered)) * decimal(100) / decimal(static_cast<long long>(goals))
                                  : decimal(100);
        if (!a.opt("--min-coverage").empty() && got < min_coverage) {
            std::cerr << "rubric: "
                      << say("cli.coverage-below", {{"percent", percent(covered, goals)}, {"min", min_coverage.to_string()}})
                      << "\n";
            too_low = true;
        }
    }
    return failed || missing || too_low ? exit_input : exit_ok;
}

}  // namespace rubric::cli
