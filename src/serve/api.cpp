// rubric serve: the endpoints (openapi.json says the same for clients). Each one reads its
// fields from a JSON body or a multipart form (an upload), picks the rubric (by hash, its text
// or a file under --rubrics) and calls the same library stages as the command line: parse,
// check and compile; the season run (run.hpp) with the library's results_writer; explain.hpp;
// the report of report.cpp (season_report.hpp); the fill-in template. A refusal is a JSON body
// {"error": {"status", "code", "message", "diagnostics"}} with a 4xx status.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "../cli/cli.hpp"
#include "../cli/season_report.hpp"
#include "../office/private_dir.hpp"
#include "rubric/fill_in_template.hpp"
#include "rubric/office_facts.hpp"
#include "rubric/rubric.hpp"
#include "rubric/xlsx_writer.hpp"
#include "service.hpp"

namespace rubric::serve {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Replies

struct refusal {
    int status = 400;
    std::string code;     // stable: "bad-json", "rubric-errors", … (openapi.json lists them)
    std::string message;  // for people, in the request's language where the library has one
    json diagnostics = json::array();
};

// Text that came from a request may be invalid UTF-8: replaced, never a throw.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(dump(body), "application/json; charset=utf-8");
}

void send_refusal(httplib::Response& res, const refusal& r) {
    send_json(res, r.status,
              json{{"error", {{"status", r.status}, {"code", r.code}, {"message", r.message}, {"diagnostics", r.diagnostics}}}});
}

// A diagnostic as the page shows it under the line: where, what, and `rubric check`'s text.
json diagnostic_json(const diagnostic& d, lang l) {
    json o = {{"severity", to_string(d.level)}, {"code", d.code}, {"message", message_in(d, l)}, {"rendered", render(d, l)}};
    if (d.source) o["file"] = d.source->name;
    if (d.where.begin.known()) {
        o["line"] = d.where.begin.line;
        o["column"] = d.where.begin.column;
        o["end_line"] = d.where.end.known() ? d.where.end.line : d.where.begin.line;
        o["end_column"] = d.where.end.known() ? d.where.end.column : d.where.begin.column;
    }
    if (const std::string e = expected_in(d, l); !e.empty()) o["expected"] = e;
    return o;
}

json diagnostics_json(const diagnostics& ds, lang l) {
    json a = json::array();
    for (const diagnostic& d : ds) a.push_back(diagnostic_json(d, l));
    return a;
}

// ---------------------------------------------------------------------------------------------
// Requests

// The fields of a request, from a JSON object or a multipart form alike.
struct request_fields {
    std::map<std::string, std::string> text;
    bool has_facts = false;
    std::string facts;       // the facts file's bytes
    std::string facts_name;  // its name as uploaded ("" in a JSON body unless given)
    bool facts_uploaded = false;
    lang language = lang::zh;

    [[nodiscard]] std::string get(const std::string& k, const std::string& def = {}) const {
        const auto it = text.find(k);
        return it == text.end() ? def : it->second;
    }
    [[nodiscard]] bool has(const std::string& k) const { return text.count(k) > 0; }
    [[nodiscard]] bool flag(const std::string& k) const { return get(k) == "true" || get(k) == "1"; }
};

// Deeper than this a JSON body is refused before it is parsed (nothing we take nests).
constexpr int max_json_depth = 16;

bool json_too_deep(const std::string& body) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (const char c : body) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_json_depth) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

std::optional<refusal> read_fields(const httplib::Request& req, request_fields& f) {
    if (req.is_multipart_form_data()) {
        for (const auto& [name, part] : req.files) {
            if (name == "facts") {
                f.has_facts = true;
                f.facts = part.content;
                f.facts_name = part.filename;
                f.facts_uploaded = true;
            } else {
                f.text[name] = part.content;
            }
        }
    } else {
        const std::string type = req.get_header_value("Content-Type");
        if (type.rfind("application/json", 0) != 0)
            return refusal{415, "unsupported-media-type", "send application/json or multipart/form-data (got \"" + type + "\")"};
        if (json_too_deep(req.body)) return refusal{400, "bad-json", "the JSON body nests too deeply"};
        const json body = json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) return refusal{400, "bad-json", "the body is not a JSON object"};
        for (const auto& [key, value] : body.items()) {
            if (key == "facts") {
                // Facts travel as the text of a facts file: a JSON number read here would become a
                // double and lose its exact digits (pitfalls.md).
                if (!value.is_string())
                    return refusal{400, "bad-field", "\"facts\" must be the text of a facts file (CSV, JSON or JSON lines) as a string"};
                f.has_facts = true;
                f.facts = value.get<std::string>();
            } else if (value.is_string()) {
                f.text[key] = value.get<std::string>();
            } else if (value.is_boolean() || value.is_number()) {
                f.text[key] = value.dump();
            } else if (!value.is_null()) {
                return refusal{400, "bad-field", "\"" + key + "\" must be a string, a number or a boolean"};
            }
        }
        f.facts_name = f.get("facts_name");
    }
    const std::string l = f.get("lang", "zh");
    if (l != "zh" && l != "en") return refusal{400, "bad-field", "\"lang\" is zh or en"};
    f.language = l == "en" ? lang::en : lang::zh;
    return std::nullopt;
}

std::optional<refusal> one_of(const request_fields& f, const std::string& key, const std::vector<std::string>& allowed,
                              std::string& value) {
    value = f.get(key, allowed.front());
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return std::nullopt;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return refusal{400, "bad-field", "\"" + key + "\" is one of " + list + " (got \"" + value + "\")"};
}

// ---------------------------------------------------------------------------------------------
// Rubrics

struct compiled {
    program_ptr prog;
    diagnostics diags;  // every diagnostic of parsing and checking, in order
};

// Parse, check and compile, with the library's default limits (limits.hpp).
compiled compile_text(const std::string& name, std::string text) {
    const limits l;
    compiled c;
    parse_result p = parse(make_source(name, std::move(text)), l.parsing());
    c.diags = std::move(p.diags);
    if (!p.tree) return c;
    check_result r = check(std::move(*p.tree));
    c.diags.insert(c.diags.end(), r.diags.begin(), r.diags.end());
    if (r.rubric && !has_errors(c.diags)) c.prog = compile(std::move(*r.rubric));
    return c;
}

// A rubric file under --rubrics by its name there ("guanghan-2023.rubric", "examples/tier.rubric").
// The name is looked up among the files found under the directory, never opened as given: no
// "..", absolute path or link leads outside it.
std::optional<refusal> read_rubric_file(const service& s, const std::string& name, std::string& text) {
    if (s.rubrics_dir.empty()) return refusal{404, "no-rubrics-dir", "the service was started without --rubrics DIR"};
    std::error_code ec;
    const fs::path root(s.rubrics_dir);
    const fs::path wanted = (root / fs::path(name)).lexically_normal();
    const fs::path real = fs::canonical(wanted, ec);
    const std::string r = root.string() + "/";
    if (name.empty() || fs::path(name).is_absolute() || ec || real.string().rfind(r, 0) != 0 || real.extension() != ".rubric" ||
        !fs::is_regular_file(real, ec))
        return refusal{404, "unknown-file", "no rubric file \"" + name + "\" under the service's rubrics folder"};
    const std::uintmax_t size = fs::file_size(real, ec);
    if (ec || size > limits{}.source_bytes) return refusal{413, "too-large", "the rubric file is larger than the source-bytes limit"};
    std::ifstream in(real, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) return refusal{404, "unknown-file", "cannot read \"" + name + "\""};
    return std::nullopt;
}

struct chosen_rubric {
    program_ptr prog;
    std::string hash;
    diagnostics diags;  // of compiling it now (empty when it was kept)
};

// The rubric a request names: "hash" (kept by /api/compile), "source" (its text) or "file"
// (under --rubrics). `keep`: a compiled rubric is kept under its hash.
std::optional<refusal> choose_rubric(service& s, const request_fields& f, chosen_rubric& out, bool keep) {
    if (f.has("hash")) {
        out.hash = f.get("hash");
        out.prog = s.store.find(out.hash);
        if (!out.prog) return refusal{404, "unknown-rubric", "no rubric is kept under hash " + out.hash + ": compile it again"};
        return std::nullopt;
    }
    std::string text, name = f.get("name", "rubric.rubric");
    if (f.has("source")) {
        text = f.get("source");
    } else if (f.has("file")) {
        name = f.get("file");
        if (auto r = read_rubric_file(s, name, text)) return r;
    } else {
        return refusal{400, "no-rubric", "name the rubric: \"hash\", \"source\" or \"file\""};
    }
    out.hash = content_hash(text);
    if ((out.prog = s.store.find(out.hash))) return std::nullopt;
    compiled c = compile_text(name, std::move(text));
    out.diags = std::move(c.diags);
    if (!c.prog) {
        refusal r{422, "rubric-errors", "the rubric has errors", diagnostics_json(out.diags, f.language)};
        return r;
    }
    out.prog = std::move(c.prog);
    if (keep) s.store.keep(out.hash, out.prog);
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Facts

std::string lower_extension(const std::string& name) {
    const auto dot = name.rfind('.');
    std::string e = dot == std::string::npos ? std::string() : name.substr(dot + 1);
    for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

// The facts of a request as a season-run source that stops at the deadline. An upload is
// decoded as `rubric eval` decodes a file (office_facts.hpp: workbooks, GB18030, UTF-16), from
// a private temporary file of ours: the uploaded name is only a label.
std::optional<refusal> open_facts(const request_fields& f, deadline until, std::unique_ptr<deadline_source>& out) {
    if (!f.has_facts) return refusal{400, "no-facts", "send the facts: a \"facts\" file (CSV, JSON, JSON lines or xlsx)"};
    std::string label = fs::path(f.facts_name).filename().string();
    if (label.empty() || label.size() > 200) label = "facts";
    std::string ext = f.has("facts_format") ? f.get("facts_format") : lower_extension(label);
    if (ext == "ndjson") ext = "jsonl";
    if (ext == "xlsm") ext = "xlsx";
    if (ext.empty() || (f.has("facts_format") && ext != "csv" && ext != "json" && ext != "jsonl" && ext != "xlsx")) {
        if (f.has("facts_format")) return refusal{400, "bad-field", "\"facts_format\" is one of csv, json, jsonl, xlsx"};
        ext = "csv";
    }
    if (ext != "csv" && ext != "json" && ext != "jsonl" && ext != "xlsx")
        return refusal{415, "unsupported-facts", "facts are CSV, JSON, JSON lines or xlsx (got ." + ext + ")"};
    if (label.find('.') == std::string::npos) label += "." + ext;
    const limits l;
    std::string text = f.facts;
    facts_format format = ext == "json" ? facts_format::json : ext == "jsonl" ? facts_format::jsonl : facts_format::csv;
    if (f.facts_uploaded || ext == "xlsx") {
        office::private_dir dir("serve");
        if (dir.path.empty()) return refusal{503, "no-temporary-space", "the service cannot make a temporary folder"};
        const std::string path = dir.path + "/facts." + ext;
        {
            std::ofstream o(path, std::ios::binary);
            o.write(f.facts.data(), static_cast<std::streamsize>(f.facts.size()));
            if (!o) return refusal{503, "no-temporary-space", "the service cannot keep the upload"};
        }
        converted_facts c = convert_office_facts(path, l.facts(), {});
        if (c.converted && !c.ok) {
            std::string why = translate(c.error, f.language);
            for (std::size_t at; (at = why.find(path)) != std::string::npos;) why.replace(at, path.size(), label);
            return refusal{422, "facts-errors", why};
        }
        if (c.converted) text = std::move(c.text), format = c.format;
    }
    out = std::make_unique<deadline_source>(facts_text(label, std::move(text), format, l.facts()), until);
    return std::nullopt;
}

run_options season_options(const request_fields& f) {
    run_options o;
    o.binding = limits{}.binding();
    o.binding.allow_unknown = f.flag("allow_unknown");
    o.group_column = f.get("group");
    o.skip_bad = f.flag("skip_bad");
    o.threads = 1;  // the requests themselves run side by side
    return o;
}

// After a run: the time limit, then errors in the facts.
std::optional<refusal> judge_run(const service& s, const deadline_source& facts, const run_result& r, lang l) {
    if (facts.expired())
        return refusal{408, "time-limit", "scoring took longer than the service's limit of " + std::to_string(s.limits.time_limit_ms) + " ms"};
    if (!r.usable) return refusal{422, "facts-errors", "the facts have errors: nothing was scored", diagnostics_json(r.diags, l)};
    return std::nullopt;
}

deadline deadline_of(const service& s) {
    return std::chrono::steady_clock::now() + std::chrono::milliseconds(s.limits.time_limit_ms);
}

void send_file(httplib::Response& res, std::string bytes, const std::string& type, const std::string& filename) {
    res.status = 200;
    res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    res.set_content(std::move(bytes), type.c_str());
}

const char* content_type_of(const std::string& format) {
    if (format == "html") return "text/html; charset=utf-8";
    if (format == "pdf") return "application/pdf";
    if (format == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (format == "json") return "application/json; charset=utf-8";
    if (format == "csv") return "text/csv; charset=utf-8";
    return "text/markdown; charset=utf-8";
}

// ---------------------------------------------------------------------------------------------
// Endpoints

using handler = std::function<std::optional<refusal>(const request_fields&, httplib::Response&)>;

// Reads the fields, calls `h`, sends its refusal if any.
httplib::Server::Handler endpoint(handler h) {
    return [h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
        request_fields f;
        std::optional<refusal> r = read_fields(req, f);
        if (!r) r = h(f, res);
        if (r) send_refusal(res, *r);
    };
}

std::optional<refusal> do_check(const request_fields& f, httplib::Response& res) {
    if (!f.has("source")) return refusal{400, "no-rubric", "send the rubric's text as \"source\""};
    const compiled c = compile_text(f.get("name", "rubric.rubric"), f.get("source"));
    std::size_t errors = 0, warnings = 0;
    for (const diagnostic& d : c.diags) errors += d.level == severity::error, warnings += d.level == severity::warning;
    send_json(res, 200,
              json{{"ok", errors == 0}, {"errors", errors}, {"warnings", warnings}, {"diagnostics", diagnostics_json(c.diags, f.language)}});
    return std::nullopt;
}

std::optional<refusal> do_compile(service& s, const request_fields& f, httplib::Response& res) {
    chosen_rubric c;
    if (auto r = choose_rubric(s, f, c, true)) return r;
    send_json(res, 200,
              json{{"hash", c.hash}, {"title", c.prog->tree().header.title}, {"diagnostics", diagnostics_json(c.diags, f.language)}});
    return std::nullopt;
}

std::optional<refusal> do_test(service& s, const request_fields& f, httplib::Response& res) {
    chosen_rubric c;
    if (auto r = choose_rubric(s, f, c, false)) return r;
    json tests = json::array();
    std::size_t passed = 0;
    for (const test_outcome& o : run_tests(*c.prog, f.language)) {
        json mismatches = json::array();
        for (const test_mismatch& m : o.mismatches)
            mismatches.push_back({{"unit", m.unit}, {"code", m.code}, {"expected", m.expected.to_string()},
                                  {"actual", m.actual.to_string()}, {"explanation", m.explanation}});
        passed += o.passed();
        tests.push_back({{"name", o.test->name}, {"line", o.test->where.begin.line}, {"passed", o.passed()},
                         {"problem", o.problem}, {"mismatches", mismatches}});
    }
    send_json(res, 200, json{{"passed", passed}, {"failed", tests.size() - passed}, {"tests", tests}});
    return std::nullopt;
}

std::optional<refusal> do_score(service& s, const request_fields& f, httplib::Response& res) {
    const deadline until = deadline_of(s);
    std::string format;
    if (auto r = one_of(f, "format", {"json", "csv", "jsonl"}, format)) return r;
    chosen_rubric c;
    if (auto r = choose_rubric(s, f, c, false)) return r;
    std::unique_ptr<deadline_source> facts;
    if (auto r = open_facts(f, until, facts)) return r;
    std::string out;
    results_options ro;
    ro.language = f.language;
    results_writer writer(format == "csv" ? result_format::csv : format == "jsonl" ? result_format::jsonl : result_format::json,
                          [&](std::string_view t) { out.append(t); }, ro);
    const run_result r = run(*c.prog, *facts, writer, season_options(f));
    if (auto refused = judge_run(s, *facts, r, f.language)) return refused;
    if (format != "json") {
        res.status = 200;
        res.set_content(std::move(out), format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
        return std::nullopt;
    }
    // The results exactly as `rubric eval --format json` writes them (their numbers are decimal
    // text, kept as written), with the run's warnings beside them.
    res.status = 200;
    res.set_content("{\"results\": " + out + ", \"scored\": " + std::to_string(r.scored) +
                        ", \"diagnostics\": " + dump(diagnostics_json(r.diags, f.language)) + "}",
                    "application/json; charset=utf-8");
    return std::nullopt;
}

// One unit's explanation, from a season run of the whole file (a cohort rule's place depends
// on the others): by entity id, else by a name only one unit has, as `rubric explain` does.
std::optional<refusal> do_explain(service& s, const request_fields& f, httplib::Response& res) {
    const deadline until = deadline_of(s);
    std::string format;
    if (auto r = one_of(f, "format", {"text", "json"}, format)) return r;
    const std::string entity = f.get("entity");
    if (entity.empty()) return refusal{400, "no-entity", "name the unit to explain: \"entity\""};
    chosen_rubric c;
    if (auto r = choose_rubric(s, f, c, false)) return r;
    std::unique_ptr<deadline_source> facts;
    if (auto r = open_facts(f, until, facts)) return r;
    run_options o = season_options(f);
    o.skip_bad = o.skip_bad && !c.prog->needs_cohort();  // a bad unit would change every place
    cli::unit_explanation e = cli::explain_in_run(*c.prog, *facts, o, entity, format == "json", f.language);
    if (auto refused = judge_run(s, *facts, e.run, f.language)) return refused;
    if (!e.found) {
        if (e.same_name.empty()) return refusal{404, "unknown-entity", "no unit \"" + entity + "\" in the facts"};
        std::string ids;
        for (const auto& id : e.same_name) ids += (ids.empty() ? "" : ", ") + id;
        return refusal{400, "ambiguous-entity", "several units are named \"" + entity + "\": " + ids + "; name one by its id"};
    }
    res.status = 200;
    res.set_content(std::move(e.text), format == "json" ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
    return std::nullopt;
}

std::optional<refusal> do_report(service& s, const request_fields& f, httplib::Response& res) {
    const deadline until = deadline_of(s);
    std::string format;
    if (auto r = one_of(f, "format", {"html", "pdf", "xlsx", "json", "csv", "md"}, format)) return r;
    cli::report_settings settings;
    settings.group_column = f.get("group");
    settings.title = f.get("title");
    settings.period = f.get("period");
    settings.issuer = f.get("issuer");
    settings.language = f.language;
    if (f.has("warn_below")) {
        decimal d;
        std::string err;
        if (!decimal::parse(f.get("warn_below"), d, &err)) return refusal{400, "bad-field", "\"warn_below\" is a number of points: " + err};
        settings.warn_below = d;
    }
    chosen_rubric c;
    if (auto r = choose_rubric(s, f, c, false)) return r;
    std::unique_ptr<deadline_source> facts;
    if (auto r = open_facts(f, until, facts)) return r;
    const admission printer(s.printing, format == "pdf" ? s.limits.max_pdf_prints : static_cast<std::size_t>(-1));
    if (!printer.admitted())
        return refusal{429, "too-many-requests", "the service is printing " + std::to_string(s.limits.max_pdf_prints) + " PDF reports: try again shortly"};
    settings.pdf_timeout_seconds = static_cast<int>(std::max<long>(1, (s.limits.time_limit_ms + 999) / 1000));
    const auto report = cli::make_season_report(*c.prog, *facts, season_options(f), settings, format == "xlsx");
    if (auto refused = judge_run(s, *facts, report->run(), f.language)) return refused;
    std::string bytes;
    localized err;
    if (!report->render(format, [&](std::string_view b) { bytes.append(b); }, err))
        return refusal{422, "report-failed", translate(err, f.language)};
    send_file(res, std::move(bytes), content_type_of(format), "report." + format);
    return std::nullopt;
}

std::optional<refusal> do_template(service& s, const request_fields& f, httplib::Response& res) {
    std::string format;
    if (auto r = one_of(f, "format", {"xlsx", "csv"}, format)) return r;
    chosen_rubric c;
    if (auto r = choose_rubric(s, f, c, false)) return r;
    if (format == "csv") {
        // Excel and WPS read a CSV as the machine's code page unless it starts with a BOM.
        send_file(res, "\xEF\xBB\xBF" + template_csv(*c.prog, {}, f.language), content_type_of("csv"), "template.csv");
        return std::nullopt;
    }
    std::string bytes;
    localized err;
    if (!write_xlsx(template_workbook(*c.prog, {}, f.language), bytes, err))
        return refusal{422, "template-failed", translate(err, f.language)};
    send_file(res, std::move(bytes), content_type_of("xlsx"), "template.xlsx");
    return std::nullopt;
}

// The .rubric files under --rubrics, by their names there.
json rubric_files(const service& s) {
    json names = json::array();
    if (s.rubrics_dir.empty()) return names;
    std::vector<std::string> found;
    std::error_code ec;
    const fs::path root(s.rubrics_dir);
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".rubric") found.push_back(it->path().lexically_relative(root).string());
    std::sort(found.begin(), found.end());
    for (auto& n : found) names.push_back(n);
    return names;
}

void send_embedded(httplib::Response& res, const std::string& name) {
    const embedded_file* file = find_embedded(name);
    if (!file) return send_refusal(res, refusal{404, "not-found", "no such page"});
    const std::string ext = lower_extension(name);
    const char* type = ext == "html" ? "text/html; charset=utf-8" : ext == "js" ? "text/javascript; charset=utf-8"
                     : ext == "css" ? "text/css; charset=utf-8" : "application/json; charset=utf-8";
    res.status = 200;
    res.set_content(reinterpret_cast<const char*>(file->data), file->size, type);
    // The page takes nothing from the network, and says so to the browser.
    res.set_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; frame-src 'self' blob:");
    res.set_header("X-Content-Type-Options", "nosniff");
}

const char* status_code_name(int status) {
    switch (status) {
        case 400: return "bad-request";
        case 401: return "unauthorized";
        case 404: return "not-found";
        case 405: return "method-not-allowed";
        case 408: return "time-limit";
        case 411: return "length-required";
        case 413: return "too-large";
        case 414: return "uri-too-long";
        case 415: return "unsupported-media-type";
        case 429: return "too-many-requests";
        default: return status >= 500 ? "internal-error" : "refused";
    }
}

}  // namespace

void add_routes(httplib::Server& server, service& s) {
    // Before any route, and before a body is read: the concurrency limit, then the token.
    server.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
        if (s.active.load() > s.limits.max_concurrent) {
            res.set_header("Retry-After", "1");
            send_refusal(res, refusal{429, "too-many-requests",
                                      "the service is serving " + std::to_string(s.limits.max_concurrent) + " connections: try again shortly"});
            return httplib::Server::HandlerResponse::Handled;
        }
        // httplib bounds a body by its Content-Length only: a chunked one could be of any size.
        if (req.has_header("Transfer-Encoding")) {
            res.set_header("Connection", "close");
            send_refusal(res, refusal{411, "length-required", "send the body with a Content-Length (not chunked)"});
            return httplib::Server::HandlerResponse::Handled;
        }
        if (!s.token.empty() && req.path.rfind("/api/", 0) == 0 && !token_matches(req.get_header_value("Authorization"), s.token)) {
            res.set_header("WWW-Authenticate", "Bearer");
            send_refusal(res, refusal{401, "unauthorized", "send the service's token: Authorization: Bearer TOKEN"});
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // A status without a body (httplib's own: 404, 413, …) gets the JSON refusal too.
    server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        send_refusal(res, refusal{res.status, status_code_name(res.status),
                                  res.status == 413 ? "the request is larger than the service's limit"
                                  : res.status == 404 ? "no such endpoint (openapi.json lists them)"
                                                      : "refused (HTTP " + std::to_string(res.status) + ")"});
        return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        send_refusal(res, refusal{500, "internal-error", "an internal error (a bug: please report it): " + what});
    });

    server.Get("/", [](const httplib::Request&, httplib::Response& res) { send_embedded(res, "index.html"); });
    server.Get(R"(/page/([a-z]+\.(js|css)))", [](const httplib::Request& req, httplib::Response& res) { send_embedded(res, req.matches[1]); });
    server.Get("/openapi.json", [](const httplib::Request&, httplib::Response& res) { send_embedded(res, "openapi.json"); });

    server.Get("/api/files", [&s](const httplib::Request&, httplib::Response& res) { send_json(res, 200, json{{"files", rubric_files(s)}}); });
    server.Get(R"(/api/files/(.+))", [&s](const httplib::Request& req, httplib::Response& res) {
        std::string text;
        const std::string name = req.matches[1];
        if (auto r = read_rubric_file(s, name, text)) return send_refusal(res, *r);
        send_json(res, 200, json{{"file", name}, {"source", text}});
    });
    server.Get(R"(/api/rubrics/([0-9a-f]{64}))", [&s](const httplib::Request& req, httplib::Response& res) {
        const std::string hash = req.matches[1];
        const program_ptr p = s.store.find(hash);
        if (!p) return send_refusal(res, refusal{404, "unknown-rubric", "no rubric is kept under hash " + hash + ": compile it again"});
        send_json(res, 200, json{{"hash", hash}, {"title", p->tree().header.title}, {"cohort", p->needs_cohort()}});
    });
    server.Post("/api/check", endpoint(do_check));
    server.Post("/api/compile", endpoint([&s](const request_fields& f, httplib::Response& res) { return do_compile(s, f, res); }));
    server.Post("/api/test", endpoint([&s](const request_fields& f, httplib::Response& res) { return do_test(s, f, res); }));
    server.Post("/api/score", endpoint([&s](const request_fields& f, httplib::Response& res) { return do_score(s, f, res); }));
    server.Post("/api/explain", endpoint([&s](const request_fields& f, httplib::Response& res) { return do_explain(s, f, res); }));
    server.Post("/api/report", endpoint([&s](const request_fields& f, httplib::Response& res) { return do_report(s, f, res); }));
    server.Post("/api/template", endpoint([&s](const request_fields& f, httplib::Response& res) { return do_template(s, f, res); }));
}

}  // namespace rubric::serve
