// rubric table FILE [--format md|csv|html] [--by owner] [--out PATH]
// The published indicator table, or the responsibility view by department.
#include <iostream>

#include "cli.hpp"

namespace rubric::cli {

int cmd_table(const args& a) {
    if (a.files.size() != 1) return usage(say("cli.table-needs-file"));
    const std::string format = a.opt("--format", "md");
    table_options o;
    if (format == "md" || format == "markdown") o.format = table_format::markdown;
    else if (format == "csv") o.format = table_format::csv;
    else if (format == "html") o.format = table_format::html;
    else return usage(say("cli.unknown-format-of", {{"format", format}, {"choices", "md, csv, html"}}));
    const std::string by = a.opt("--by");
    if (by == "owner") o.view = table_view::owners;
    else if (!by.empty()) return usage(say("cli.unknown-by", {{"by", by}}));
    if (refuse_output_over_inputs(a.opt("--out"), {a.files[0]})) return exit_input;
    program_ptr prog = load(a.files[0], false, true);
    if (!prog) return exit_input;
    return write_output(a.opt("--out"), published_table(prog->tree(), o)) ? exit_ok : exit_input;
}

}  // namespace rubric::cli
