// The rubric command-line tool: what the commands share. Each command lives in
// its own file (check.cpp, eval.cpp, …) and is listed in the table in main.cpp.
// The tool uses only the library's public headers, as lua.c uses lua.h.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rubric/rubric.hpp"
#include "rubric/office_facts.hpp"
#include "rubric/xlsx_writer.hpp"
#include "rubric/text_encoding.hpp"

namespace rubric::cli {

// Exit codes: 0 success; 1 the input has errors (rubric, facts, failing tests);
// 2 usage; 3 an internal error (a bug: please report it); 130 interrupted (Ctrl-C during
// a run: 128 + SIGINT, as a shell reports a process that SIGINT ended).
constexpr int exit_ok = 0, exit_input = 1, exit_usage = 2, exit_internal = 3, exit_interrupted = 130;

// Ctrl-C during a season run (eval, explain, report): the first SIGINT sets a flag that the
// run's progress handler reads (run_options::progress: after each block of a CSV or JSON-lines
// file, every 1024 units of a JSON file), so the run stops at its next check, writes nothing
// (the output's temporary file is removed) and the tool exits 130. Outside the run (from
// print_diagnostics() on), and for a second SIGINT, the tool dies by the signal at once after
// removing its temporary files, as safe_output's handler does. Installed by season_options().
void catch_interrupts();
bool interrupted();

struct args {
    std::string command;
    std::vector<std::string> files;
    std::map<std::string, std::string> options;
    std::vector<std::string> flags;
    std::vector<std::string> limit_settings;  // each `--limit NAME=N`, in order
    [[nodiscard]] bool has(const std::string& f) const { return std::find(flags.begin(), flags.end(), f) != flags.end(); }
    [[nodiscard]] std::string opt(const std::string& k, const std::string& def = {}) const {
        const auto it = options.find(k);
        return it == options.end() ? def : it->second;
    }
};

// The language of every message: `--lang zh|en`, else the locale (LC_ALL,
// LC_MESSAGES, LANG: "zh…" is Chinese), else English. Set once by main().
lang ui_lang();
void set_ui_lang(lang l);
// A message of the catalog (rubric/messages.hpp) in that language.
std::string say(const char* id, std::vector<message_arg> args = {});

// The limits of this run (limits.hpp): the defaults, changed by `--limit NAME=N`.
// Set once by main(). facts_bytes_given: --limit facts-bytes was given, which also
// bounds the CSV / JSON lines files that `eval` streams (otherwise unbounded in total).
const limits& run_limits();
bool facts_bytes_given();
void set_run_limits(const limits& l, bool facts_bytes_given);

// How facts files from offices are read (office_facts.hpp): --encoding NAME, --sheet NAME.
// Set once by main(); false (with the reason) for an unknown encoding.
bool choose_office_options(const args& a, std::string& problem);
const office_facts_options& office_options();

// True when a binary result (a workbook, a PDF) would go to a terminal: no --out (or "-")
// and standard output is a terminal. The commands then ask for --out instead.
bool binary_to_terminal(const std::string& out_path);

// Prints the problem and the usage text to stderr; returns exit_usage.
int usage(const std::string& problem);

// Reads a file as a source, refusing one larger than max_bytes; on failure prints
// "rubric: <why>" in the UI language and returns null.
source_ptr read_or_report(const std::string& path, std::size_t max_bytes);

// Loads and checks a rubric; prints diagnostics to stderr (only errors when
// quiet). Null when the rubric has errors.
program_ptr load(const std::string& path, bool werror, bool quiet = false);

// Writes `text` to `path` with a safe_output (rubric/safe_output.hpp): atomically (a
// temporary file, then rename), into a device or FIFO, or to stdout when path is empty
// or "-". Nothing half-written on failure; the error ("rubric: cannot write PATH: REASON")
// is printed and false returned.
bool write_output(const std::string& path, const std::string& text);
// For a result written as it goes (eval's streaming): `safe_output out(path)`, then
// output_ready(out) (false: the reason printed), out.write(…), and commit_output(out)
// (false: "rubric: cannot write PATH: REASON" printed, the old file untouched).
bool output_ready(const safe_output& out);
bool commit_output(safe_output& out);

// True (and "rubric: not writing OUT: it is the input IN" printed) when the output `out`
// is one of `inputs`, however it is named (same device and inode: ./q2.csv, a hard link,
// a symbolic link). Every command that writes a file calls it before reading anything.
bool refuse_output_over_inputs(const std::string& out, const std::vector<std::string>& inputs);

// Reads a facts file (.json, .jsonl, .csv); prints its diagnostics. False on errors.
bool read_facts_file(const std::string& path, std::vector<raw_entity>& out, source_ptr& src);

// The .rubric files under `path` (recursively, sorted), or `path` itself.
void collect_rubrics(const std::string& path, std::vector<std::string>& out, bool& missing);

// Left- or right-aligns `s` to `width` display columns (a Chinese character is two).
std::string pad(const std::string& s, std::size_t width, bool right);
// (Escaping, display rounding and document order live in the library: escape.hpp, display.hpp.)

// The season run's options from the command line: --group, --skip-bad, --allow-unknown and
// the limits (--limit errors=N caps the diagnostics kept).
// The season run's options from the command line: --group, --skip-bad, --allow-unknown,
// --limit, --threads, and a progress line on a terminal unless --quiet.
run_options season_options(const args& a);
// --threads is a number; else prints the usage error and returns false.
bool threads_option_ok(const args& a);
// The facts file named on the command line, as a season-run source. CSV and JSON lines are
// streamed, bounded only when --limit facts-bytes was given; JSON is read whole within it.
std::unique_ptr<facts_source> open_facts(const std::string& path);
// Prints a run's diagnostics to stderr in the UI language.
void print_diagnostics(const run_result& r);
// Prints them, and "no results written" when the run's results may not be used. True when
// they may (the caller writes its output).
bool report_run(const run_result& r);

// One unit's explanation from a season run of every unit (a cohort rule's place depends on the
// others; the explanation reads them while they are alive): the unit whose id is `entity`,
// else the only one whose name it is. `explain` and `rubric serve` both call it.
struct unit_explanation {
    run_result run;
    bool found = false;
    std::string text;                    // explain_text, or explain_json when asked
    std::vector<std::string> same_name;  // not found: the ids of the units with that name
};
unit_explanation explain_in_run(const program& prog, facts_source& facts, const run_options& options, const std::string& entity,
                                bool json, lang language);

// The commands.
int cmd_check(const args& a);
int cmd_eval(const args& a);
int cmd_explain(const args& a);
int cmd_test(const args& a);
int cmd_fmt(const args& a);
int cmd_table(const args& a);
int cmd_report(const args& a);
int cmd_template(const args& a);
int cmd_diff(const args& a);
int cmd_serve(const args& a);  // src/serve/serve.cpp

}  // namespace rubric::cli
