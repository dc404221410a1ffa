// rubric eval FILE --facts FACTS [--format table|csv|jsonl|json] [--out PATH]
//   (one season run, run.hpp: csv, jsonl and json are written as they are scored; the table
//   is collected to align its columns)
// rubric explain FILE --facts FACTS --entity ID [--format text|json]
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>
#include <functional>
#include <iostream>

#include "cli.hpp"

#include "rubric/escape.hpp"
#include "rubric/explain.hpp"
#include "rubric/results_workbook.hpp"

namespace rubric::cli {

namespace {

std::string joined(const std::vector<std::string>& labels) {
    std::string out;
    for (const auto& l : labels) out += (out.empty() ? "" : "; ") + l;
    return out;
}

// Rows of cells as columns aligned to the widest cell (display width: a Chinese character is
// two), the first row a heading underlined with dashes; `right(i)`: column i is right-aligned.
std::string aligned_table(const std::vector<std::vector<std::string>>& cells, const std::function<bool(std::size_t)>& right) {
    std::vector<std::size_t> width;
    for (const auto& line : cells) {
        if (width.size() < line.size()) width.resize(line.size(), 0);
        for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], display_width(line[i]));
    }
    std::string out;
    for (std::size_t li = 0; li < cells.size(); ++li) {
        for (std::size_t i = 0; i < cells[li].size(); ++i) {
            out += i ? "  " : "";
            out += pad(cells[li][i], width[i], li > 0 && right(i));
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        out += '\n';
        if (li == 0) {
            for (std::size_t i = 0; i < width.size(); ++i) out += (i ? "  " : "") + std::string(width[i], '-');
            out += '\n';
        }
    }
    return out;
}

// The table: collected (its columns are aligned to the widest cell), then written.
std::string render_table(const program& p, const std::vector<unit_result>& rows) {
    const ast& t = p.tree();
    bool has_bonus = false, has_adjustments = false;
    std::vector<node_id> cols;
    for (node_id r : t.roots) {
        if (t.nodes[r].kind == node_kind::bonus) has_bonus = true;
        else if (t.nodes[r].kind == node_kind::adjustments) has_adjustments = true;
        else if (t.nodes[r].kind != node_kind::task) cols.push_back(r);
    }
    std::vector<std::vector<std::string>> cells;
    std::vector<std::string> head = {"单位 entity", "总分 total"};
    if (has_bonus) head.push_back("附加分 bonus");
    if (has_adjustments) {
        head.push_back("奖扣分 adjustments");
        head.push_back("总得分 grand total");
    }
    for (node_id c : cols)
        head.push_back(t.nodes[c].code + " " + t.nodes[c].name + " (" + (t.nodes[c].points ? t.nodes[c].points->to_string() : "") + ")");
    const bool has_warnings = !t.warnings.empty();
    const bool has_grades = t.grades.has_value();
    if (has_grades) head.push_back("等级 grade");
    if (has_warnings) head.push_back("预警 warnings");
    cells.push_back(head);
    for (const auto& r : rows) {
        std::vector<std::string> line = {r.name.empty() ? r.entity : r.entity + " " + r.name, shown_fixed(p, r.total)};
        if (has_bonus) line.push_back(shown_fixed(p, r.bonus));
        if (has_adjustments) {
            line.push_back(shown_fixed(p, r.adjustments));
            line.push_back(shown_fixed(p, r.total + r.bonus + r.adjustments));
        }
        for (node_id c : cols) line.push_back(shown_fixed(p, r.nodes[c]));
        if (has_grades) line.push_back(r.vetoes.empty() ? r.grade : r.grade + "（" + joined(r.vetoes) + "）");
        if (has_warnings) line.push_back(joined(r.warnings));
        cells.push_back(std::move(line));
    }
    // Scores are right-aligned; the entity, the grade and the warnings (text) are not.
    const std::size_t texts = (has_warnings ? 1 : 0) + (has_grades ? 1 : 0);
    const std::string title = t.header.title.empty() ? std::string() : t.header.title + "\n";
    return title + aligned_table(cells, [&](std::size_t i) { return i > 0 && i + texts < head.size(); });
}

// rubric eval R --facts 审核 --compare 自评: the self-assessment's season run kept by entity,
// then the review's written beside it with the differences (self_review.hpp). The table shows
// the totals; CSV, JSON lines and JSON every node.
int compare_with_self_assessment(const args& a, const program& prog, facts_source& review, const run_options& options,
                                 const std::string& format, const std::string& out_path) {
    self_assessments self;
    {
        const auto claimed = open_facts(a.opt("--compare"));
        const run_result r = run(prog, *claimed, self, options);
        if (!report_run(r)) return exit_input;
        if (r.bad) return exit_input;
    }
    if (format == "table") {
        std::vector<std::vector<std::string>> rows = {{say("results.entity"), say("results.name"), say("compare.self"),
                                                        say("compare.review"), say("compare.diff")}};
        callback_sink collect([&](const scored_unit& u) {
            const std::vector<decimal>* claimed = self.find(u.entity);
            self.mark_reviewed(u.entity);
            const std::string review = shown(prog, u.ev.total());
            std::vector<std::string> row = {std::string(u.entity), u.facts.display_name, "", review, ""};
            if (claimed) {
                const decimal& claimed_total = (*claimed)[prog.node_count()];
                row[2] = shown(prog, claimed_total);
                row[4] = (shown_value(prog, u.ev.total()) - shown_value(prog, claimed_total)).to_string();
            }
            rows.push_back(std::move(row));
        });
        const run_result r = run(prog, review, collect, options);
        if (!report_run(r)) return exit_input;
        const std::string text = aligned_table(rows, [](std::size_t i) { return i >= 2; });  // the scores
        if (!write_output(out_path, text)) return exit_input;
        for (const auto& e : self.unreviewed())
            std::cerr << "rubric: " << say("compare.unreviewed", {{"entity", e}}) << "\n";
        return r.bad ? exit_input : exit_ok;
    }
    safe_output out(out_path);
    if (!output_ready(out)) return exit_input;
    comparison_writer writer(self, format == "csv" ? comparison_format::csv : format == "jsonl" ? comparison_format::jsonl : comparison_format::json,
                             [&](std::string_view s) { out.write(s); });
    const run_result r = run(prog, review, writer, options);
    if (!report_run(r)) {
        out.abandon();
        return exit_input;
    }
    if (!commit_output(out)) return exit_input;
    for (const auto& e : self.unreviewed()) std::cerr << "rubric: " << say("compare.unreviewed", {{"entity", e}}) << "\n";
    return r.bad ? exit_input : exit_ok;
}

}  // namespace

// rubric eval: one season run (run.hpp) into CSV, JSON lines or JSON written as it goes, or
// into the table, which is collected to align its columns.
int cmd_eval(const args& a) {
    if (a.files.size() != 1) return usage(say("cli.eval-needs-file"));
    const std::string facts_path = a.opt("--facts");
    if (facts_path.empty()) return usage(say("cli.eval-needs-facts"));
    const std::string format = a.opt("--format", "table");
    if (format != "table" && format != "json" && format != "jsonl" && format != "csv" && format != "xlsx")
        return usage(say("cli.unknown-format", {{"format", format}}));
    const std::string headers = a.opt("--headers", format == "xlsx" ? "labels" : "codes");
    if (headers != "codes" && headers != "labels") return usage(say("cli.unknown-headers", {{"headers", headers}}));
    if (format == "xlsx" && binary_to_terminal(a.opt("--out"))) return usage(say("cli.binary-to-terminal", {{"format", format}}));
    const std::string out_path = a.opt("--out");
    if (!threads_option_ok(a)) return exit_usage;
    if (refuse_output_over_inputs(out_path, {a.files[0], facts_path, a.opt("--compare")})) return exit_input;
    if (!a.opt("--compare").empty() && format == "xlsx") return usage(say("cli.compare-formats"));
    program_ptr prog = load(a.files[0], a.has("--werror"), true);
    if (!prog) return exit_input;
    const run_options options = season_options(a);
    const auto facts = open_facts(facts_path);
    if (!a.opt("--compare").empty()) return compare_with_self_assessment(a, *prog, *facts, options, format, out_path);

    if (format == "table") {
        std::vector<unit_result> rows;
        callback_sink collect([&](const scored_unit& u) { rows.push_back(capture(*prog, u.facts, u.ev, std::string(u.group))); });
        const run_result r = run(*prog, *facts, collect, options);
        if (!report_run(r)) return exit_input;
        if (!write_output(out_path, render_table(*prog, rows))) return exit_input;
        return r.bad ? exit_input : exit_ok;
    }
    if (format == "xlsx") {
        // A workbook is written whole (libxlsxwriter), so its rows are collected first.
        results_workbook book(ui_lang(), headers == "labels");
        const run_result r = run(*prog, *facts, book, options);
        if (!report_run(r)) return exit_input;
        std::string bytes;
        localized err;
        if (!write_xlsx(book.sheets(), bytes, err)) {
            std::cerr << "rubric: " << translate(err, ui_lang()) << "\n";
            return exit_input;
        }
        if (!write_output(out_path, bytes)) return exit_input;
        return r.bad ? exit_input : exit_ok;
    }
    safe_output out(out_path);  // nothing half-written, nothing replaced that is not ours
    if (!output_ready(out)) return exit_input;
    results_options ro;
    ro.language = ui_lang();
    // CSV for Excel and WPS: a byte-order mark (else they read it in the machine's code page),
    // by default where the headers are words; the header line in words instead of codes.
    const bool csv = format == "csv";
    const bool bom = csv && (a.has("--bom") || (headers == "labels" && !a.has("--no-bom")));
    if (bom) out.write("\xEF\xBB\xBF");
    if (csv && headers == "labels") ro.csv_header = result_column_labels(*prog, ui_lang());
    results_writer writer(csv ? result_format::csv : format == "jsonl" ? result_format::jsonl : result_format::json,
                          [&](std::string_view s) { out.write(s); }, ro);
    const run_result r = run(*prog, *facts, writer, options);
    if (!report_run(r)) {
        out.abandon();
        return exit_input;
    }
    if (!commit_output(out)) return exit_input;
    return r.bad ? exit_input : exit_ok;
}

// explain --all: one 得分说明 document of every unit, in input order (text, or HTML to print or
// send), from one season run.
int explain_all(const args& a, const std::string& facts_path) {
    const std::string format = a.opt("--format", "text");
    if (format != "text" && format != "html") return usage(say("cli.unknown-format", {{"format", format}}));
    if (!threads_option_ok(a)) return exit_usage;
    if (refuse_output_over_inputs(a.opt("--out"), {a.files[0], facts_path})) return exit_input;
    program_ptr prog = load(a.files[0], false, true);
    if (!prog) return exit_input;
    const run_options options = season_options(a);
    const std::string title = say("explain.document-title", {{"title", prog->tree().header.title}});
    std::string doc;
    if (format == "html") {
        doc = "<!DOCTYPE html>\n<html lang=\"" + std::string(ui_lang() == lang::zh ? "zh-CN" : "en") +
              "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
              html_escape(title) +
              "</title>\n<style>\n"
              "body { font-family: \"Noto Sans CJK SC\", \"Microsoft YaHei\", \"PingFang SC\", sans-serif; margin: 1.5em auto; "
              "max-width: 60em; padding: 0 1em; line-height: 1.6; }\n"
              "section { border-top: 1px solid #bbb; padding-top: 0.5em; break-inside: avoid-page; }\n"
              "h2 { font-size: 1.15em; word-break: keep-all; }\n"
              "pre { white-space: pre-wrap; overflow-wrap: anywhere; font-family: inherit; margin: 0; }\n"
              "</style>\n</head>\n<body>\n<h1>" +
              html_escape(title) + "</h1>\n";
    }
    callback_sink write_one([&](const scored_unit& u) {
        std::string text = explain_text(*prog, u.facts, u.ev, ui_lang());
        if (format == "text") {
            doc += text + "\n";
            return;
        }
        // The first line names the unit: the section's heading; the rest is the explanation.
        const std::size_t nl = text.find('\n');
        doc += "<section id=\"" + html_escape(u.entity) + "\">\n<h2>" + html_escape(text.substr(0, nl)) + "</h2>\n<pre>" +
               html_escape(nl == std::string::npos ? std::string() : text.substr(nl + 1)) + "</pre>\n</section>\n";
    });
    const auto facts = open_facts(facts_path);
    const run_result r = run(*prog, *facts, write_one, options);
    if (!report_run(r)) return exit_input;
    if (format == "html") doc += "</body>\n</html>\n";
    if (!write_output(a.opt("--out"), doc)) return exit_input;
    return r.bad ? exit_input : exit_ok;
}

unit_explanation explain_in_run(const program& prog, facts_source& facts, const run_options& options, const std::string& entity,
                                bool json, lang language) {
    // --entity by id, else by name (an office knows its units by name): the explanation of
    // each unit so named is kept until it is known whether the id names one.
    unit_explanation e;
    std::vector<std::string> by_name_text;
    callback_sink explain_one([&](const scored_unit& u) {
        const bool id = u.entity == entity;
        if (!id && (e.found || u.facts.display_name != entity)) return;
        std::string t = json ? explain_json(prog, u.facts, u.ev, language) : explain_text(prog, u.facts, u.ev, language);
        if (id) e.found = true, e.text = std::move(t), e.same_name.clear(), by_name_text.clear();
        else e.same_name.emplace_back(u.entity), by_name_text.push_back(std::move(t));
    });
    e.run = run(prog, facts, explain_one, options);
    if (e.run.usable && !e.found && by_name_text.size() == 1) e.found = true, e.text = std::move(by_name_text.front());
    return e;
}

int cmd_explain(const args& a) {
    if (a.files.size() != 1) return usage(say("cli.explain-needs-file"));
    const std::string facts_path = a.opt("--facts");
    if (a.has("--all")) {
        if (facts_path.empty() || !a.opt("--entity").empty()) return usage(say("cli.explain-needs-facts"));
        return explain_all(a, facts_path);
    }
    const std::string entity = a.opt("--entity");
    if (facts_path.empty() || entity.empty()) return usage(say("cli.explain-needs-facts"));
    const std::string format = a.opt("--format", "text");
    if (format != "text" && format != "json") return usage(say("cli.unknown-format", {{"format", format}}));
    if (refuse_output_over_inputs(a.opt("--out"), {a.files[0], facts_path})) return exit_input;
    program_ptr prog = load(a.files[0], false, true);
    if (!prog) return exit_input;
    const std::string group_column = a.opt("--group");
    std::string text;
    if (prog->needs_cohort()) {
        // The unit's score depends on the others in the file: one season run scores them all,
        // and the unit is explained while its cohort is alive (the explanation reads its places).
        run_options options = season_options(a);
        options.skip_bad = false;  // a bad unit would change every place: refuse, as eval does
        const auto facts = open_facts(facts_path);
        unit_explanation e = explain_in_run(*prog, *facts, options, entity, format == "json", ui_lang());
        print_diagnostics(e.run);
        if (!e.run.usable) {
            if (e.run.read_ok) std::cerr << "rubric: " << say("cli.cohort-has-errors") << "\n";
            return exit_input;
        }
        if (!e.found) {
            const std::vector<std::string>& ids = e.same_name;
            std::cerr << "rubric: "
                      << (ids.empty() ? say("cli.entity-not-found", {{"entity", entity}, {"path", facts_path}})
                                      : say("cli.entity-name-ambiguous", {{"name", entity}, {"entities", list_of(ids)}, {"path", facts_path}}))
                      << "\n";
            return exit_input;
        }
        return write_output(a.opt("--out"), e.text) ? exit_ok : exit_input;
    }
    // One unit alone: only its facts are bound.
    std::vector<raw_entity> raws;
    source_ptr fsrc;
    if (!read_facts_file(facts_path, raws, fsrc)) return exit_input;
    auto it = std::find_if(raws.begin(), raws.end(), [&](const raw_entity& r) { return r.id == entity; });
    if (it == raws.end()) {
        // Not an id: the unit whose name (`name`, 名称, 单位名称) it is, when only one has it.
        auto named = [&](const raw_entity& r) {
            return std::any_of(r.fields.begin(), r.fields.end(), [&](const raw_field& f) {
                return (f.name == "name" || f.name == "名称" || f.name == "单位名称") && f.value.text == entity;
            });
        };
        std::vector<std::string> ids;
        for (auto r = raws.begin(); r != raws.end(); ++r)
            if (named(*r)) {
                if (ids.empty()) it = r;
                ids.push_back(r->id);
            }
        if (ids.size() != 1) {
            std::cerr << "rubric: "
                      << (ids.empty() ? say("cli.entity-not-found", {{"entity", entity}, {"path", facts_path}})
                                      : say("cli.entity-name-ambiguous", {{"name", entity}, {"entities", list_of(ids)}, {"path", facts_path}}))
                      << "\n";
            return exit_input;
        }
    }
    const std::string id = it->id;
    fact_set facts;
    diagnostics ds;
    evaluation ev(*prog);
    {
        // The entity asked for, given twice: which of the two to explain is not ours to guess.
        entity_ids ids;
        for (const raw_entity& r : raws)
            if (r.id == id && !ids.add(r, fsrc, ds)) {
                std::cerr << render(ds, ui_lang());
                return exit_input;
            }
        (void)take_field(*it, group_column);
        if (!bind_facts(*prog, *it, fsrc, facts, ds, run_limits().binding())) {
            std::cerr << render(ds, ui_lang());
            return exit_input;
        }
        evaluate(*prog, facts, ev);
    }
    text = format == "json" ? explain_json(*prog, facts, ev, ui_lang()) : explain_text(*prog, facts, ev, ui_lang());
    return write_output(a.opt("--out"), text) ? exit_ok : exit_input;
}

}  // namespace rubric::cli
