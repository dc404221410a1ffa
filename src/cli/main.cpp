// rubric: the command-line tool. Uses only the public headers (as lua.c uses lua.h).
//
//   rubric check FILE...                         diagnostics; exit 0 only without errors
//   rubric eval FILE --facts FACTS [--format table|json|csv] [--out PATH] [--skip-bad]
//   rubric explain FILE --facts FACTS --entity ID [--format text|json]
//   rubric test [PATH...]                        run the tests written in .rubric files
//
// Exit codes: 0 success; 1 the input has errors (rubric, facts, failing tests); 2 usage.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "rubric/explain.hpp"
#include "rubric/rubric.hpp"

namespace fs = std::filesystem;
using namespace rubric;

namespace {

constexpr int exit_ok = 0, exit_input = 1, exit_usage = 2;

struct args {
    std::string command;
    std::vector<std::string> files;
    std::map<std::string, std::string> options;
    std::vector<std::string> flags;
    [[nodiscard]] bool has(const std::string& f) const { return std::find(flags.begin(), flags.end(), f) != flags.end(); }
    [[nodiscard]] std::string opt(const std::string& k, const std::string& def = {}) const {
        const auto it = options.find(k);
        return it == options.end() ? def : it->second;
    }
};

const char* const usage_text =
    "usage:\n"
    "  rubric check FILE... [--werror]\n"
    "  rubric eval FILE --facts FACTS [--format table|json|csv] [--out PATH] [--skip-bad] [--allow-unknown]\n"
    "  rubric explain FILE --facts FACTS --entity ID [--format text|json]\n"
    "  rubric test [PATH...]\n"
    "  rubric version\n"
    "FACTS is .json (an entity object or an array), .jsonl (one entity per line) or .csv\n"
    "(a header row of input names; the first column is the entity id).\n";

int usage(const std::string& problem) {
    std::cerr << "rubric: " << problem << "\n" << usage_text;
    return exit_usage;
}

bool parse_args(int argc, char** argv, args& a, std::string& problem) {
    static const std::vector<std::string> with_value = {"--facts", "--format", "--out", "--entity", "--lang"};
    static const std::vector<std::string> flags = {"--werror", "--skip-bad", "--allow-unknown", "--quiet", "--coverage"};
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

// Loads and checks a rubric; prints diagnostics to stderr. Null on error.
program_ptr load(const std::string& path, bool werror, bool quiet = false) {
    std::string err;
    source_ptr src = read_source(path, &err);
    if (!src) {
        std::cerr << "rubric: " << err << "\n";
        return nullptr;
    }
    parse_result p = parse(src);
    if (!p.tree) {
        std::cerr << render(p.diags);
        return nullptr;
    }
    check_options co;
    co.warnings_as_errors = werror;
    check_result c = check(std::move(*p.tree), co);
    if (!quiet) {
        for (const auto& d : c.diags)
            if (d.level != severity::note) std::cerr << render(d);
    } else {
        for (const auto& d : c.diags)
            if (d.level == severity::error) std::cerr << render(d);
    }
    if (!c.rubric) return nullptr;
    return compile(std::move(*c.rubric));
}

// Writes `text` to `path` atomically (temporary file, then rename), or to stdout.
bool write_output(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        std::cout << text;
        std::cout.flush();
        return static_cast<bool>(std::cout);
    }
    const std::string tmp = path + ".tmp-rubric";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) {
            std::cerr << "rubric: cannot write " << tmp << "\n";
            return false;
        }
        out << text;
        if (!out.flush()) {
            std::cerr << "rubric: cannot write " << tmp << "\n";
            std::remove(tmp.c_str());
            return false;
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::cerr << "rubric: cannot move " << tmp << " to " << path << ": " << ec.message() << "\n";
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

// --- check -------------------------------------------------------------------

int cmd_check(const args& a) {
    if (a.files.empty()) return usage("check needs at least one FILE");
    int rc = exit_ok;
    for (const auto& f : a.files) {
        std::string err;
        source_ptr src = read_source(f, &err);
        if (!src) {
            std::cerr << "rubric: " << err << "\n";
            rc = exit_input;
            continue;
        }
        parse_result p = parse(src);
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
            std::cerr << render(d);
            errors += d.level == severity::error;
            warnings += d.level == severity::warning;
        }
        if (errors) rc = exit_input;
        if (!a.has("--quiet"))
            std::cerr << f << ": " << errors << " error(s), " << warnings << " warning(s)\n";
    }
    return rc;
}

// --- eval --------------------------------------------------------------------

struct scored {
    std::string entity, name;
    std::vector<decimal> nodes;
    decimal total, bonus;
};

std::string shown(const program& p, const decimal& d) {
    const auto& h = p.tree().header;
    return d.round(h.display_places, h.display_rounding).to_string();
}
std::string shown_fixed(const program& p, const decimal& d) {
    const auto& h = p.tree().header;
    return d.to_fixed(h.display_places, h.display_rounding);
}

std::string json_escape(std::string_view s) {
    std::string r;
    for (const char c : s) {
        switch (c) {
            case '"': r += "\\\""; break;
            case '\\': r += "\\\\"; break;
            case '\n': r += "\\n"; break;
            case '\r': r += "\\r"; break;
            case '\t': r += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    r += buf;
                } else {
                    r += c;
                }
        }
    }
    return r;
}

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string r = "\"";
    for (const char c : s) {
        if (c == '"') r += '"';
        r += c;
    }
    return r + '"';
}

// Column order for outputs: every node in document order.
std::vector<node_id> document_order(const ast& t) {
    std::vector<node_id> out;
    std::vector<node_id> stack(t.roots.rbegin(), t.roots.rend());
    while (!stack.empty()) {
        const node_id id = stack.back();
        stack.pop_back();
        if (t.nodes[id].kind != node_kind::task) out.push_back(id);
        for (auto it = t.nodes[id].children.rbegin(); it != t.nodes[id].children.rend(); ++it) stack.push_back(*it);
    }
    return out;
}

std::string pad(const std::string& s, std::size_t width, bool right) {
    const std::size_t w = display_width(s);
    const std::string fill(width > w ? width - w : 0, ' ');
    return right ? fill + s : s + fill;
}

std::string render_table(const program& p, const std::vector<scored>& rows) {
    const ast& t = p.tree();
    bool has_bonus = false;
    std::vector<node_id> cols;
    for (node_id r : t.roots) {
        if (t.nodes[r].kind == node_kind::bonus) has_bonus = true;
        else if (t.nodes[r].kind != node_kind::task) cols.push_back(r);
    }
    std::vector<std::vector<std::string>> cells;
    std::vector<std::string> head = {"单位 entity", "总分 total"};
    if (has_bonus) head.push_back("附加分 bonus");
    for (node_id c : cols)
        head.push_back(t.nodes[c].code + " " + t.nodes[c].name + " (" + (t.nodes[c].points ? t.nodes[c].points->to_string() : "") + ")");
    cells.push_back(head);
    for (const auto& r : rows) {
        std::vector<std::string> line = {r.name.empty() ? r.entity : r.entity + " " + r.name, shown_fixed(p, r.total)};
        if (has_bonus) line.push_back(shown_fixed(p, r.bonus));
        for (node_id c : cols) line.push_back(shown_fixed(p, r.nodes[c]));
        cells.push_back(std::move(line));
    }
    std::vector<std::size_t> width(head.size(), 0);
    for (const auto& line : cells)
        for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], display_width(line[i]));
    std::string out = t.header.title.empty() ? std::string() : t.header.title + "\n";
    for (std::size_t li = 0; li < cells.size(); ++li) {
        for (std::size_t i = 0; i < cells[li].size(); ++i) {
            out += i ? "  " : "";
            out += pad(cells[li][i], width[i], i > 0 && li > 0);
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

std::string render_json(const program& p, const std::vector<scored>& rows) {
    const ast& t = p.tree();
    const auto order = document_order(t);
    std::string out = "{\"rubric\": \"" + json_escape(t.header.title) + "\", \"entities\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const scored& r = rows[i];
        out += i ? ",\n  " : "\n  ";
        out += "{\"entity\": \"" + json_escape(r.entity) + "\"";
        if (!r.name.empty()) out += ", \"name\": \"" + json_escape(r.name) + "\"";
        out += ", \"total\": \"" + shown(p, r.total) + "\", \"bonus\": \"" + shown(p, r.bonus) + "\", \"nodes\": {";
        std::string exact;
        auto note_exact = [&](const std::string& key, const decimal& d) {
            const decimal rounded = d.round(t.header.display_places, t.header.display_rounding);
            if (rounded != d) exact += (exact.empty() ? "" : ", ") + ("\"" + key + "\": \"" + d.to_fraction_string() + "\"");
        };
        note_exact("total", r.total);
        note_exact("bonus", r.bonus);
        for (std::size_t k = 0; k < order.size(); ++k) {
            const node& n = t.nodes[order[k]];
            out += (k ? ", \"" : "\"") + json_escape(n.code) + "\": \"" + shown(p, r.nodes[order[k]]) + "\"";
            note_exact(n.code, r.nodes[order[k]]);
        }
        out += "}";
        if (!exact.empty()) out += ", \"exact\": {" + exact + "}";
        out += "}";
    }
    out += rows.empty() ? "]}\n" : "\n]}\n";
    return out;
}

std::string render_csv(const program& p, const std::vector<scored>& rows) {
    const ast& t = p.tree();
    const auto order = document_order(t);
    std::string out = "entity,name,total,bonus";
    for (node_id id : order) out += "," + csv_field(t.nodes[id].code);
    out += "\r\n";
    for (const auto& r : rows) {
        out += csv_field(r.entity) + "," + csv_field(r.name) + "," + shown(p, r.total) + "," + shown(p, r.bonus);
        for (node_id id : order) out += "," + shown(p, r.nodes[id]);
        out += "\r\n";
    }
    return out;
}

bool read_facts_file(const std::string& path, std::vector<raw_entity>& out, source_ptr& src) {
    std::string err;
    src = read_source(path, &err);
    if (!src) {
        std::cerr << "rubric: " << err << "\n";
        return false;
    }
    facts_read_result r = read_facts(src, guess_facts_format(path));
    if (!r.diags.empty()) std::cerr << render(r.diags);
    if (has_errors(r.diags)) return false;
    out = std::move(r.entities);
    return true;
}

int cmd_eval(const args& a) {
    if (a.files.size() != 1) return usage("eval needs exactly one rubric FILE");
    const std::string facts_path = a.opt("--facts");
    if (facts_path.empty()) return usage("eval needs --facts FACTS");
    const std::string format = a.opt("--format", "table");
    if (format != "table" && format != "json" && format != "csv") return usage("unknown --format " + format);
    program_ptr prog = load(a.files[0], a.has("--werror"), true);
    if (!prog) return exit_input;
    std::vector<raw_entity> raws;
    source_ptr fsrc;
    if (!read_facts_file(facts_path, raws, fsrc)) return exit_input;

    bind_options bo;
    bo.allow_unknown = a.has("--allow-unknown");
    std::vector<scored> rows;
    rows.reserve(raws.size());
    fact_set facts;
    evaluation ev(*prog);
    bool bad = false;
    for (const auto& raw : raws) {
        diagnostics ds;
        if (!bind_facts(*prog, raw, fsrc, facts, ds, bo)) {
            std::cerr << render(ds);
            bad = true;
            continue;
        }
        evaluate(*prog, facts, ev);
        scored s;
        s.entity = raw.id;
        s.name = facts.display_name;
        s.nodes.resize(prog->node_count());
        for (node_id id = 0; id < prog->node_count(); ++id) s.nodes[id] = ev.node_score(id);
        s.total = ev.total();
        s.bonus = ev.bonus();
        rows.push_back(std::move(s));
    }
    if (bad && !a.has("--skip-bad")) {
        std::cerr << "rubric: no results written: the facts have errors (use --skip-bad to score the good entities)\n";
        return exit_input;
    }
    const std::string text = format == "json" ? render_json(*prog, rows) : format == "csv" ? render_csv(*prog, rows) : render_table(*prog, rows);
    if (!write_output(a.opt("--out"), text)) return exit_input;
    return bad ? exit_input : exit_ok;
}

// --- explain -----------------------------------------------------------------

int cmd_explain(const args& a) {
    if (a.files.size() != 1) return usage("explain needs exactly one rubric FILE");
    const std::string facts_path = a.opt("--facts");
    const std::string entity = a.opt("--entity");
    if (facts_path.empty() || entity.empty()) return usage("explain needs --facts FACTS and --entity ID");
    const std::string format = a.opt("--format", "text");
    if (format != "text" && format != "json") return usage("unknown --format " + format);
    program_ptr prog = load(a.files[0], false, true);
    if (!prog) return exit_input;
    std::vector<raw_entity> raws;
    source_ptr fsrc;
    if (!read_facts_file(facts_path, raws, fsrc)) return exit_input;
    const auto it = std::find_if(raws.begin(), raws.end(), [&](const raw_entity& r) { return r.id == entity; });
    if (it == raws.end()) {
        std::cerr << "rubric: entity " << entity << " is not in " << facts_path << "\n";
        return exit_input;
    }
    fact_set facts;
    diagnostics ds;
    if (!bind_facts(*prog, *it, fsrc, facts, ds)) {
        std::cerr << render(ds);
        return exit_input;
    }
    evaluation ev(*prog);
    evaluate(*prog, facts, ev);
    const std::string text = format == "json" ? explain_json(*prog, facts, ev) : explain_text(*prog, facts, ev);
    return write_output(a.opt("--out"), text) ? exit_ok : exit_input;
}

// --- test --------------------------------------------------------------------

void collect_rubrics(const std::string& path, std::vector<std::string>& out, bool& missing) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<std::string> found;
        for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec))
            if (it->is_regular_file() && it->path().extension() == ".rubric") found.push_back(it->path().string());
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
        out.push_back(path);
    } else {
        std::cerr << "rubric: " << path << " does not exist\n";
        missing = true;
    }
}

int cmd_test(const args& a) {
    std::vector<std::string> files;
    bool missing = false;
    if (a.files.empty()) collect_rubrics(".", files, missing);
    for (const auto& f : a.files) collect_rubrics(f, files, missing);
    std::size_t passed = 0, failed = 0;
    for (const auto& f : files) {
        program_ptr prog = load(f, false, true);
        if (!prog) {
            std::cerr << f << ": the rubric has errors; its tests cannot run\n";
            ++failed;
            continue;
        }
        for (const test_outcome& o : run_tests(*prog)) {
            if (o.passed()) {
                ++passed;
                continue;
            }
            ++failed;
            const test_case& tc = *o.test;
            std::cerr << prog->tree().source->name << ":" << tc.where.begin.line << ":" << tc.where.begin.column
                      << ": test \"" << tc.name << "\" failed\n"
                      << indent(o.problem, "  ");
            for (const auto& m : o.mismatches) {
                std::cerr << "  " << m.code << ": expected " << m.expected.to_string() << ", got "
                          << m.actual.to_string() << "\n"
                          << indent(m.explanation, "    ");
            }
        }
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    return failed || missing ? exit_input : exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        args a;
        std::string problem;
        if (!parse_args(argc, argv, a, problem)) return usage(problem);
        if (a.command == "check") return cmd_check(a);
        if (a.command == "eval") return cmd_eval(a);
        if (a.command == "explain") return cmd_explain(a);
        if (a.command == "test") return cmd_test(a);
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
        return 3;
    }
}
