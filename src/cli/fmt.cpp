// rubric fmt FILE... [--check | --write]: the canonical layout (GRAMMAR.md, "Formatting").
//
//   (default)  print the formatted text of every FILE to stdout
//   --check    print nothing but the names of the files that are not formatted
//              (one per line, on stdout); exit 1 if there is any
//   --write    rewrite the files that are not formatted, in place and atomically
//
// A FILE may be a directory: its .rubric files, recursively. A file with syntax
// errors is never formatted: its diagnostics go to stderr and the exit code is 1.
#include <iostream>

#include "cli.hpp"

namespace rubric::cli {

int cmd_fmt(const args& a) {
    if (a.files.empty()) return usage(say("cli.fmt-needs-file"));
    const bool check = a.has("--check"), write = a.has("--write");
    if (check && write) return usage(say("cli.fmt-check-or-write"));
    std::vector<std::string> files;
    bool missing = false;
    for (const auto& f : a.files) collect_rubrics(f, files, missing);
    int rc = missing ? exit_input : exit_ok;
    for (const auto& f : files) {
        source_ptr src = read_or_report(f, run_limits().source_bytes);
        if (!src) {
            rc = exit_input;
            continue;
        }
        const format_result r = format_source(src, run_limits().parsing());
        if (!r.text) {
            std::cerr << render(r.diags, ui_lang());
            std::cerr << say("cli.not-formatted", {{"file", f}, {"errors", std::to_string(r.diags.size())}}) << "\n";
            rc = exit_input;
            continue;
        }
        const bool changed = *r.text != src->text;
        if (check) {
            if (changed) {
                std::cout << f << "\n";
                rc = exit_input;
            }
        } else if (write) {
            if (changed && !write_output(f, *r.text)) rc = exit_input;
        } else {
            std::cout << *r.text;
        }
    }
    std::cout.flush();
    return rc;
}

}  // namespace rubric::cli
