// rubric template FILE [--format xlsx|csv] [--units UNITS] [--out PATH] [--bom|--no-bom]
//   the fill-in sheet of a rubric (fill_in_template.hpp), pre-filled with the units given.
#include <iostream>

#include "cli.hpp"
#include "rubric/fill_in_template.hpp"

namespace rubric::cli {

namespace {

// The units to pre-fill: a facts-like file (CSV in any encoding, or a workbook) whose first
// column is the unit id and whose name is the `name` / 名称 / 单位名称 column, else the second.
bool read_units(const std::string& path, std::vector<template_unit>& units) {
    std::vector<raw_entity> raws;
    source_ptr src;
    if (!read_facts_file(path, raws, src)) return false;
    for (const raw_entity& r : raws) {
        template_unit u{r.id, {}};
        for (const raw_field& f : r.fields)
            if (f.name == "name" || f.name == "名称" || f.name == "单位名称") u.name = f.value.text;
        if (u.name.empty() && !r.fields.empty() && r.fields.front().column) u.name = r.fields.front().value.text;
        units.push_back(std::move(u));
    }
    return true;
}

bool ends_with_ci(std::string s, const std::string& suffix) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

int cmd_template(const args& a) {
    if (a.files.size() != 1) return usage(say("cli.template-needs-file"));
    const std::string out_path = a.opt("--out");
    const std::string format = a.opt("--format", ends_with_ci(out_path, ".csv") ? "csv" : "xlsx");
    if (format != "xlsx" && format != "csv") return usage(say("cli.unknown-format", {{"format", format}}));
    if (format == "xlsx" && binary_to_terminal(out_path)) return usage(say("cli.binary-to-terminal", {{"format", format}}));
    const std::string units_path = a.opt("--units");
    if (refuse_output_over_inputs(out_path, {a.files[0], units_path})) return exit_input;
    program_ptr prog = load(a.files[0], false, true);
    if (!prog) return exit_input;
    std::vector<template_unit> units;
    if (!units_path.empty() && !read_units(units_path, units)) return exit_input;
    if (format == "csv") {
        // Excel and WPS read a CSV as the machine's code page unless it starts with a BOM.
        const bool bom = !a.has("--no-bom");
        return write_output(out_path, (bom ? "\xEF\xBB\xBF" : "") + template_csv(*prog, units, ui_lang())) ? exit_ok : exit_input;
    }
    std::string bytes;
    localized err;
    if (!write_xlsx(template_workbook(*prog, units, ui_lang()), bytes, err)) {
        std::cerr << "rubric: " << translate(err, ui_lang()) << "\n";
        return exit_input;
    }
    return write_output(out_path, bytes) ? exit_ok : exit_input;
}

}  // namespace rubric::cli
