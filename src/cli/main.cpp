// rubric: the command-line tool.
//
//   rubric check FILE...                         diagnostics; exit 0 only without errors
//   rubric eval FILE --facts FACTS [--format table|json|csv] [--out PATH] [--skip-bad]
//   rubric explain FILE --facts FACTS --entity ID [--format text|json]
//   rubric test [PATH...]                        run the tests written in .rubric files
//   rubric table FILE [--format md|csv|html] [--by owner]   the published table
//
// Every command takes --limit NAME=N (repeatable; limits.hpp, `rubric help`).
//
// Exit codes (cli.hpp): 0 success; 1 the input has errors (rubric, facts, failing
// tests); 2 usage; 3 internal error or out of memory; 130 interrupted (Ctrl-C during a run).
#include <exception>
#include <new>
#include <optional>
#include <iostream>

#include "cli.hpp"

namespace rubric::cli {

// The command lines are code and stay as written; the words around them are in
// the catalog ("cli.usage", "cli.usage-facts").
static const char* const usage_commands =
    "  rubric check FILE... [--werror]\n"
    "  rubric eval FILE --facts FACTS [--format table|csv|jsonl|json|xlsx] [--out PATH] [--skip-bad] [--allow-unknown]\n"
    "              [--group COLUMN] [--threads N] [--quiet] [--headers codes|labels] [--bom|--no-bom]\n"
    "              [--compare SELF_FACTS]  the self-assessment (自评) beside these facts (审核), with the differences\n"
    "  rubric explain FILE --facts FACTS --entity ID|NAME [--format text|json] [--group COLUMN]\n"
    "  rubric explain FILE --facts FACTS --all [--format text|html] [--out PATH]\n"
    "  rubric test [PATH...] [--coverage] [--min-coverage PERCENT]\n"
    "  rubric fmt FILE... [--check | --write]\n"
    "  rubric table FILE [--format md|csv|html] [--by owner] [--out PATH]\n"
    "  rubric report FILE --facts FACTS [--group COLUMN] [--previous RESULTS] [--warn-below POINTS]\n"
    "                [--format html|md|csv|json|xlsx|pdf|all] [--out PATH] [--title TEXT] [--period TEXT] [--issuer TEXT]\n"
    "                [--compare SELF_FACTS]  a section 自评与审核差异: totals the review changed, items it cut\n"
    "  rubric template FILE [--format xlsx|csv] [--units UNITS] [--out PATH]\n"
    "  rubric diff OLD NEW [--format md|html|json] [--out PATH]\n"
    "  rubric serve [--listen 127.0.0.1:8080] [--rubrics DIR] [--token-file F] [--max-body BYTES] [--time-limit-ms MS]\n"
    "               [--max-concurrent N] [--max-rubrics N] [--max-pdf-prints N]   the HTTP service and the page\n"
    "  rubric version\n"
    "  --lang zh|en (default: the locale, LC_ALL / LC_MESSAGES / LANG)\n"
    "  --limit NAME=N (repeatable; `rubric help` lists the limits)\n";

static std::string usage_text() { return say("cli.usage") + "\n" + usage_commands + say("cli.usage-facts") + "\n"; }

// `rubric help`: the usage, then every limit with its default (limits.hpp).
static std::string help_text() {
    std::string s = usage_text() + say("cli.limit-option") + "\n";
    const rubric::limits defaults;
    std::size_t n = 0;
    const rubric::limit_info* t = rubric::limit_table(&n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string name = t[i].name;
        s += "  " + name + std::string(name.size() < 18 ? 18 - name.size() : 1, ' ') + std::to_string(defaults.*(t[i].member)) + "\n";
    }
    return s;
}

// Applies every --limit NAME=N; false (with the reason) for a bad one.
static bool apply_limits(const args& a, std::string& problem) {
    rubric::limits l;
    bool facts_bytes = false;
    for (const std::string& setting : a.limit_settings) {
        if (const rubric::localized e = rubric::set_limit(l, setting); !e.empty()) {
            problem = "--limit: " + rubric::translate(e, ui_lang());
            return false;
        }
        facts_bytes = facts_bytes || setting.rfind("facts-bytes=", 0) == 0;
    }
    set_run_limits(l, facts_bytes);
    return true;
}

int usage(const std::string& problem) {
    std::cerr << "rubric: " << problem << "\n" << usage_text();
    return exit_usage;
}

// --lang VALUE wins over the locale; it is looked for before the other arguments so
// that even a mistake in them is reported in the chosen language.
static bool choose_lang(int argc, char** argv, std::string& problem) {
    set_ui_lang(lang_from_environment());
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string_view(argv[i]) != "--lang") continue;
        const std::string v = argv[i + 1];
        const std::optional<lang> l = v == "zh" || v == "en" ? parse_lang(v) : std::nullopt;
        if (!l) {
            problem = say("cli.unknown-lang", {{"lang", v}});
            return false;
        }
        set_ui_lang(*l);
    }
    return true;
}

static bool parse_args(int argc, char** argv, args& a, std::string& problem) {
    static const std::vector<std::string> with_value = {"--facts", "--compare", "--format", "--out", "--entity", "--lang", "--by", "--group", "--previous", "--warn-below", "--min-coverage", "--threads",
                                                    "--encoding", "--sheet", "--units", "--headers", "--title", "--period", "--issuer",
                                                    "--listen", "--rubrics", "--token-file", "--max-body", "--time-limit-ms", "--max-concurrent", "--max-rubrics",
                                                    "--max-pdf-prints"};
    static const std::vector<std::string> flags = {"--werror", "--skip-bad", "--allow-unknown", "--quiet", "--all", "--coverage", "--check", "--write", "--bom", "--no-bom"};
    if (argc < 2) {
        problem = say("cli.no-command");
        return false;
    }
    a.command = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string s = argv[i];
        if (std::find(with_value.begin(), with_value.end(), s) != with_value.end()) {
            if (i + 1 >= argc) {
                problem = say("cli.needs-value", {{"option", s}});
                return false;
            }
            a.options[s] = argv[++i];
        } else if (s == "--limit") {
            if (i + 1 >= argc) {
                problem = say("cli.needs-value", {{"option", s}});
                return false;
            }
            a.limit_settings.push_back(argv[++i]);
        } else if (std::find(flags.begin(), flags.end(), s) != flags.end()) {
            a.flags.push_back(s);
        } else if (s.size() > 1 && s[0] == '-') {
            problem = say("cli.unknown-option", {{"option", s}});
            return false;
        } else {
            a.files.push_back(s);
        }
    }
    return true;
}

}  // namespace rubric::cli

int main(int argc, char** argv) {
    using namespace rubric::cli;
    try {
        args a;
        std::string problem;
        if (!choose_lang(argc, argv, problem)) return usage(problem);
        if (!parse_args(argc, argv, a, problem)) return usage(problem);
        if (!apply_limits(a, problem)) return usage(problem);
        if (!choose_office_options(a, problem)) return usage(problem);
        static const struct {
            const char* name;
            int (*run)(const args&);
        } commands[] = {
            {"check", cmd_check}, {"eval", cmd_eval}, {"explain", cmd_explain}, {"test", cmd_test},
            {"fmt", cmd_fmt},
            {"table", cmd_table},
            {"report", cmd_report},
            {"template", cmd_template},
            {"diff", cmd_diff},
            {"serve", cmd_serve},
        };
        for (const auto& c : commands) {
            if (a.command != c.name) continue;
            const int rc = c.run(a);
            if (!interrupted()) return rc;
            std::cerr << "rubric: " << say("cli.interrupted") << "\n";  // after the run's own "cancelled: no results"
            return exit_interrupted;
        }
        if (a.command == "version" || a.command == "--version") {
            std::cout << "rubric " << RUBRIC_VERSION_STRING << "\n";
            return exit_ok;
        }
        if (a.command == "help" || a.command == "--help" || a.command == "-h") {
            std::cout << help_text();
            return exit_ok;
        }
        return usage(say("cli.unknown-command", {{"command", a.command}}));
    } catch (const std::bad_alloc&) {
        // Memory ran out (the limits keep inputs from asking for much): said plainly; whatever
        // was being written was abandoned as the stack unwound (safe_output).
        std::cerr << "rubric: " << say("cli.out-of-memory") << "\n";
        return exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "rubric: " << say("cli.internal-error", {{"what", e.what()}}) << "\n";
        return exit_internal;
    }
}
