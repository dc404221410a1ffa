// rubric check FILE... [--werror]: every diagnostic, all at once.
#include <filesystem>
#include <iostream>

#include "cli.hpp"

namespace rubric::cli {

int cmd_check(const args& a) {
    if (a.files.empty()) return usage(say("cli.check-needs-file"));
    // A FILE may be a directory: its .rubric files, recursively; one without any is an error
    // (a folder of nothing to check has not been checked).
    std::vector<std::string> files;
    bool missing = false;
    int rc = exit_ok;
    for (const auto& f : a.files) {
        const std::size_t before = files.size();
        collect_rubrics(f, files, missing);
        std::error_code ec;
        if (files.size() == before && std::filesystem::is_directory(f, ec)) {
            std::cerr << "rubric: " << say("cli.no-rubric-in-folder", {{"path", f}}) << "\n";
            rc = exit_input;
        }
    }
    if (missing) rc = exit_input;
    for (const auto& f : files) {
        source_ptr src = read_or_report(f, run_limits().source_bytes);
        if (!src) {
            rc = exit_input;
            continue;
        }
        parse_result p = parse(src, run_limits().parsing());
        diagnostics all = p.diags;
        if (p.tree) {
            check_options co;
            co.warnings_as_errors = a.has("--werror");
            check_result c = check(std::move(*p.tree), co);
            all.insert(all.end(), c.diags.begin(), c.diags.end());
        }
        std::size_t errors = 0, warnings = 0;
        for (const auto& d : all) {
            if (d.level == severity::note && !a.has("--notes")) {
                // notes are shown too: they say where an item's score is cut back
            }
            std::cerr << render(d, ui_lang());
            errors += d.level == severity::error;
            warnings += d.level == severity::warning;
        }
        if (errors) rc = exit_input;
        if (!a.has("--quiet"))
            std::cerr << say("cli.check-summary", {{"file", f}, {"errors", std::to_string(errors)}, {"warnings", std::to_string(warnings)}})
                      << "\n";
    }
    return rc;
}

}  // namespace rubric::cli
