// rubric: the command-line tool.
//
//   rubric check FILE...                         diagnostics; exit 0 only without errors
//   rubric eval FILE --facts FACTS [--format table|json|csv] [--out PATH] [--skip-bad]
//   rubric explain FILE --facts FACTS --entity ID [--format text|json]
//   rubric test [PATH...]                        run the tests written in .rubric files
//   rubric table FILE [--format md|csv|html] [--by owner]   the published table
//
// Exit codes (cli.hpp): 0 success; 1 the input has errors (rubric, facts, failing
// tests); 2 usage; 3 internal error.
#include <exception>
#include <iostream>

#include "cli.hpp"

namespace rubric::cli {

static const char* const usage_text =
    "usage:\n"
    "  rubric check FILE... [--werror]\n"
    "  rubric eval FILE --facts FACTS [--format table|json|csv] [--out PATH] [--skip-bad] [--allow-unknown]\n"
    "  rubric explain FILE --facts FACTS --entity ID [--format text|json]\n"
    "  rubric test [PATH...] [--coverage] [--min-coverage PERCENT]\n"
    "  rubric fmt FILE... [--check | --write]\n"
    "  rubric table FILE [--format md|csv|html] [--by owner] [--out PATH]\n"
    "  rubric report FILE --facts FACTS [--group COLUMN] [--previous RESULTS] [--warn-below POINTS]\n"
    "                [--format html|md|csv|json|all] [--out PATH]\n"
    "  rubric version\n"
    "FACTS is .json (an entity object or an array), .jsonl (one entity per line) or .csv\n"
    "(a header row of input names; the first column is the entity id).\n";

int usage(const std::string& problem) {
    std::cerr << "rubric: " << problem << "\n" << usage_text;
    return exit_usage;
}

static bool parse_args(int argc, char** argv, args& a, std::string& problem) {
    static const std::vector<std::string> with_value = {"--facts", "--format", "--out", "--entity", "--lang", "--by", "--group", "--previous", "--warn-below", "--min-coverage"};
    static const std::vector<std::string> flags = {"--werror", "--skip-bad", "--allow-unknown", "--quiet", "--coverage", "--check", "--write"};
    if (argc < 2) {
        problem = "no command given";
        return false;
    }
    a.command = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string s = argv[i];
        if (std::find(with_value.begin(), with_value.end(), s) != with_value.end()) {
            if (i + 1 >= argc) {
                problem = s + " needs a value";
                return false;
            }
            a.options[s] = argv[++i];
        } else if (std::find(flags.begin(), flags.end(), s) != flags.end()) {
            a.flags.push_back(s);
        } else if (s.size() > 1 && s[0] == '-') {
            problem = "unknown option " + s;
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
        if (!parse_args(argc, argv, a, problem)) return usage(problem);
        static const struct {
            const char* name;
            int (*run)(const args&);
        } commands[] = {
            {"check", cmd_check}, {"eval", cmd_eval}, {"explain", cmd_explain}, {"test", cmd_test},
            {"fmt", cmd_fmt},
            {"table", cmd_table},
            {"report", cmd_report},
        };
        for (const auto& c : commands)
            if (a.command == c.name) return c.run(a);
        if (a.command == "version" || a.command == "--version") {
            std::cout << "rubric " << RUBRIC_VERSION_STRING << "\n";
            return exit_ok;
        }
        if (a.command == "help" || a.command == "--help" || a.command == "-h") {
            std::cout << usage_text;
            return exit_ok;
        }
        return usage("unknown command " + a.command);
    } catch (const std::exception& e) {
        std::cerr << "rubric: internal error: " << e.what() << "\n";
        return exit_internal;
    }
}
