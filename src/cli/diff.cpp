// rubric diff OLD NEW [--format md|html|json] [--out PATH]
// What changed between two versions of a rubric: the 年度指标调整说明 (diff.hpp).
#include <iostream>

#include "cli.hpp"

namespace rubric::cli {

int cmd_diff(const args& a) {
    if (a.files.size() != 2) return usage(say("cli.diff-needs-files"));
    const std::string format = a.opt("--format", "md");
    diff_format f;
    if (format == "md" || format == "markdown") f = diff_format::markdown;
    else if (format == "html") f = diff_format::html;
    else if (format == "json") f = diff_format::json;
    else return usage(say("cli.unknown-format-of", {{"format", format}, {"choices", "md, html, json"}}));
    if (refuse_output_over_inputs(a.opt("--out"), {a.files[0], a.files[1]})) return exit_input;
    // Both versions must check: a diff of a rubric that does not read would compare guesses.
    program_ptr before = load(a.files[0], false, true);
    program_ptr after = load(a.files[1], false, true);
    if (!before || !after) return exit_input;
    const rubric_diff d = diff_rubrics(before->tree(), after->tree());
    const std::string text = render_diff(before->tree(), after->tree(), d, f, a.files[0], a.files[1]);
    return write_output(a.opt("--out"), text) ? exit_ok : exit_input;
}

}  // namespace rubric::cli
