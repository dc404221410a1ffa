// rubric eval FILE --facts FACTS [--format table|json|csv] [--out PATH]
//   (csv and json stream: see eval_streaming; the table is collected to align its columns)
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
#include "rubric/explain.hpp"

namespace rubric::cli {

namespace {

struct scored {
    std::string entity, name;
    std::vector<decimal> nodes;
    decimal total, bonus;
    std::vector<std::string> warnings;  // the labels of the rubric's warnings (预警) that apply
};

void set_warnings(const program& p, const evaluation& ev, std::vector<std::string>& out) {
    out.clear();
    const auto& ws = p.tree().warnings;
    for (std::size_t i = 0; i < ws.size(); ++i)
        if (ev.warnings()[i]) out.push_back(ws[i].label);
}
std::string joined(const std::vector<std::string>& labels) {
    std::string out;
    for (const auto& l : labels) out += (out.empty() ? "" : "; ") + l;
    return out;
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
    const bool has_warnings = !t.warnings.empty();
    if (has_warnings) head.push_back("预警 warnings");
    cells.push_back(head);
    for (const auto& r : rows) {
        std::vector<std::string> line = {r.name.empty() ? r.entity : r.entity + " " + r.name, shown_fixed(p, r.total)};
        if (has_bonus) line.push_back(shown_fixed(p, r.bonus));
        for (node_id c : cols) line.push_back(shown_fixed(p, r.nodes[c]));
        if (has_warnings) line.push_back(joined(r.warnings));
        cells.push_back(std::move(line));
    }
    std::vector<std::size_t> width(head.size(), 0);
    for (const auto& line : cells)
        for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], display_width(line[i]));
    std::string out = t.header.title.empty() ? std::string() : t.header.title + "\n";
    for (std::size_t li = 0; li < cells.size(); ++li) {
        for (std::size_t i = 0; i < cells[li].size(); ++i) {
            out += i ? "  " : "";
            out += pad(cells[li][i], width[i], i > 0 && li > 0 && !(has_warnings && i + 1 == cells[li].size()));
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

// JSON output, one entity at a time (render_json and the streaming path share it).
std::string json_begin(const program& p) {
    return "{\"rubric\": \"" + json_escape(p.tree().header.title) + "\", \"entities\": [";
}
std::string json_entity(const program& p, const std::vector<node_id>& order, const scored& r, bool first) {
    const ast& t = p.tree();
    std::string out = first ? "\n  " : ",\n  ";
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
    if (!t.warnings.empty()) {
        // the labels, as a list
        out += ", \"warnings\": [";
        for (std::size_t i = 0; i < r.warnings.size(); ++i) out += (i ? ", \"" : "\"") + json_escape(r.warnings[i]) + "\"";
        out += "]";
    }
    out += "}";
    return out;
}
std::string json_end(bool any) { return any ? "\n]}\n" : "]}\n"; }

std::string render_json(const program& p, const std::vector<scored>& rows) {
    const auto order = document_order(p.tree());
    std::string out = json_begin(p);
    for (std::size_t i = 0; i < rows.size(); ++i) out += json_entity(p, order, rows[i], i == 0);
    return out + json_end(!rows.empty());
}

// CSV output, one entity at a time (render_csv and the streaming path share it).
std::string csv_head(const program& p, const std::vector<node_id>& order) {
    std::string out = "entity,name,total,bonus";
    for (node_id id : order) out += "," + csv_field(p.tree().nodes[id].code);
    if (!p.tree().warnings.empty()) out += ",warnings";
    return out + "\r\n";
}
std::string csv_line(const program& p, const std::vector<node_id>& order, const scored& r) {
    std::string out = csv_field(r.entity) + "," + csv_field(r.name) + "," + shown(p, r.total) + "," + shown(p, r.bonus);
    for (node_id id : order) out += "," + shown(p, r.nodes[id]);
    if (!p.tree().warnings.empty()) out += "," + csv_field(joined(r.warnings));
    return out + "\r\n";
}

std::string render_csv(const program& p, const std::vector<scored>& rows) {
    const auto order = document_order(p.tree());
    std::string out = csv_head(p, order);
    for (const auto& r : rows) out += csv_line(p, order, r);
    return out;
}

// ---------------------------------------------------------------------------
// Streaming: `rubric eval` with CSV or JSON output reads CSV and JSON-lines facts a block
// of records at a time and writes each result as soon as it is scored, so that memory
// does not grow with the number of units (the table format, and .json facts, which are one
// document, are still read whole).

// The end of the first (or last) complete record in `s`, 0 if there is none. JSON lines
// end at '\n'; CSV records end at a line end outside a quoted field (a quote opens a quoted
// field only at the start of a field, as csv.hpp reads it). A '\r' at the very end may be
// half of a CRLF: it ends a record only at the end of the file.
std::size_t record_end(std::string_view s, bool csv, bool at_eof, bool first) {
    std::size_t end = 0;
    if (!csv) {
        const std::size_t j = first ? s.find('\n') : s.rfind('\n');
        end = j == std::string_view::npos ? 0 : j + 1;
        return at_eof && (end == 0 || !first) ? s.size() : end;
    }
    bool quoted = false, field_start = true, closed = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '"') quoted = false, closed = true;
            continue;
        }
        if (c == '"' && (field_start || closed)) {
            quoted = true;
            field_start = closed = false;
            continue;
        }
        closed = false;
        field_start = c == ',' || c == '\n' || c == '\r';
        if (c == '\n' || (c == '\r' && ((i + 1 < s.size() && s[i + 1] != '\n') || (i + 1 == s.size() && at_eof)))) {
            end = i + 1;
            if (first) return end;
        }
    }
    return at_eof && (end == 0 || !first) ? s.size() : end;
}

// Line ends as source.hpp counts them: LF, CRLF and a lone CR.
std::size_t count_lines(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) ++n;
    return n;
}

// Reads a CSV or JSON-lines facts file in blocks of whole records. Each block becomes a
// small source (for CSV: the header row, then the block's records) read with
// read_facts_stream(); diagnostics are printed with their line numbers in the whole file.
class facts_blocks {
public:
    static constexpr std::size_t block_bytes = 1u << 20;
    static constexpr std::size_t max_record_bytes = 64u << 20;

    facts_blocks(std::string path, facts_format fmt) : path_(std::move(path)), csv_(fmt == facts_format::csv) {}

    // Calls `on_entity` for every entity read without errors, in file order. Returns false
    // when the file cannot be read or its facts have errors (every error is printed).
    bool run(const std::function<void(raw_entity&, const source_ptr&, const std::function<void(const diagnostics&)>&)>& on_entity) {
        std::ifstream in(path_, std::ios::binary);
        if (!in) {
            std::cerr << "rubric: " << say("source.cannot-read", {{"path", path_}}) << "\n";
            return false;
        }
        std::string carry, block(block_bytes, '\0');
        bool eof = false;
        auto fill = [&] {
            in.read(&block[0], static_cast<std::streamsize>(block.size()));
            carry.append(block.data(), static_cast<std::size_t>(in.gcount()));
            if (in.gcount() == 0 || in.eof()) eof = true;
        };
        std::string header;
        if (csv_) {
            std::size_t h = 0;
            while ((h = record_end(carry, true, eof, true)) == 0 && !eof && carry.size() <= max_record_bytes) fill();
            if (h == 0) h = carry.size();
            header = carry.substr(0, h);
            carry.erase(0, h);
            header_lines_ = count_lines(header);
            lines_before_ = header_lines_;
        }
        bool ok = true, first = true;
        for (;;) {
            while (!eof && carry.size() < block_bytes) fill();
            std::size_t cut = record_end(carry, csv_, eof, false);
            if (cut == 0 && !eof) {
                if (carry.size() > max_record_bytes) {
                    std::cerr << path_ << ":" << lines_before_ + 1 << ": "
                              << say("diagnostic.headline", {{"severity", severity_word(severity::error, ui_lang())},
                                                             {"message", say("cli.record-too-long", {{"limit", std::to_string(max_record_bytes >> 20)}})}})
                              << "\n";
                    return false;
                }
                fill();
                continue;
            }
            if (cut > 0 || first) {
                source_ptr src = make_source(path_, header + carry.substr(0, cut));
                const std::size_t entities_before = entities_;
                auto print = [&](const diagnostics& ds) { print_remapped(ds); };
                // The run's limits, except size: a block is a slice of the file, which is
                // bounded (if at all) as a whole by the caller, and each record by max_record_bytes.
                facts_limits lim = run_limits().facts();
                lim.max_bytes = static_cast<std::size_t>(-1);
                const diagnostics ds = read_facts_stream(
                    src, csv_ ? facts_format::csv : facts_format::jsonl,
                    [&](raw_entity&& e) {
                        e.index += entities_before;
                        ++entities_;
                        on_entity(e, src, print);
                        return true;
                    },
                    lim);
                print_remapped(ds);
                if (has_errors(ds)) {
                    ok = false;
                    // Syntax, encoding and header errors end the reading, as they do for a whole file.
                    for (const auto& d : ds)
                        if (d.level == severity::error && d.code != codes::facts_ragged && d.code != codes::facts_id &&
                            d.code != codes::facts_json && d.code != codes::facts_value &&
                            d.code != codes::facts_duplicate_key)
                            return false;
                    if (errors_ >= 100) {
                        std::cerr << "rubric: " << say("cli.too-many-errors", {{"path", path_}}) << "\n";
                        return false;
                    }
                }
            }
            lines_before_ += count_lines(std::string_view(carry).substr(0, cut));
            carry.erase(0, cut);
            first = false;
            if (eof && carry.empty()) break;
        }
        return ok;
    }

    // The second reading of a cohort's facts prints nothing: the first printed it all.
    void silence() { quiet_ = true; }

private:
    bool quiet_ = false;
    // Prints diagnostics of the current block with the line numbers of the whole file.
    void print_remapped(const diagnostics& ds) {
        for (const auto& d : ds) {
            if (quiet_) continue;
            if (d.level == severity::error) ++errors_;
            std::string text = render(d, ui_lang());
            const position& p = d.where.begin;
            if (d.source && p.known()) {
                const std::size_t line = csv_ && p.line <= header_lines_ ? p.line : p.line - (csv_ ? header_lines_ : 0) + lines_before_;
                const std::string from = d.source->name + ":" + std::to_string(p.line) + ":";
                if (text.compare(0, from.size(), from) == 0)
                    text.replace(0, from.size(), d.source->name + ":" + std::to_string(line) + ":");
            }
            std::cerr << text;
        }
    }

    std::string path_;
    bool csv_;
    std::size_t header_lines_ = 0, lines_before_ = 0, entities_ = 0, errors_ = 0;
};

// An output file written as it goes and renamed into place at the end (stdout: a temporary
// file copied out at the end), so that a failed run leaves nothing half-written.
class streamed_output {
public:
    explicit streamed_output(std::string path) : path_(std::move(path)) {
        if (path_.empty() || path_ == "-") {
            f_ = std::tmpfile();
        } else {
            tmp_ = path_ + ".tmp-rubric";
            f_ = std::fopen(tmp_.c_str(), "wb");
        }
        if (f_) std::setvbuf(f_, nullptr, _IOFBF, 1u << 20);
    }
    streamed_output(const streamed_output&) = delete;
    streamed_output& operator=(const streamed_output&) = delete;
    ~streamed_output() { abandon(); }

    [[nodiscard]] bool ok() const { return f_ != nullptr; }
    [[nodiscard]] const std::string& temporary() const { return tmp_; }
    void write(std::string_view s) {
        if (f_ && std::fwrite(s.data(), 1, s.size(), f_) != s.size()) failed_ = true;
    }
    // Moves the result into place. False (and nothing written) on failure.
    bool commit() {
        if (!f_) return false;
        if (std::fflush(f_) != 0 || std::ferror(f_)) failed_ = true;
        if (tmp_.empty()) {
            std::rewind(f_);
            std::string buf(1u << 16, '\0');
            std::size_t n;
            while (!failed_ && (n = std::fread(&buf[0], 1, buf.size(), f_)) > 0) std::cout.write(buf.data(), static_cast<std::streamsize>(n));
            std::cout.flush();
            std::fclose(f_);
            f_ = nullptr;
            return !failed_ && static_cast<bool>(std::cout);
        }
        const bool closed = std::fclose(f_) == 0;
        f_ = nullptr;
        std::error_code ec;
        if (!failed_ && closed) std::filesystem::rename(tmp_, path_, ec);
        if (failed_ || !closed || ec) {
            std::cerr << "rubric: "
                      << (ec ? say("cli.cannot-write-because", {{"path", path_}, {"reason", ec.message()}})
                             : say("cli.cannot-write", {{"path", path_}}))
                      << "\n";
            std::remove(tmp_.c_str());
            return false;
        }
        return true;
    }
    // Drops the temporary file.
    void abandon() {
        if (!f_) return;
        std::fclose(f_);
        f_ = nullptr;
        if (!tmp_.empty()) std::remove(tmp_.c_str());
    }

private:
    std::string path_, tmp_;
    std::FILE* f_ = nullptr;
    bool failed_ = false;
};

// rubric eval with CSV or JSON output: one entity at a time.
int eval_streaming(const args& a, const program& prog, const std::string& facts_path, const std::string& format) {
    const facts_format ff = guess_facts_format(facts_path);
    streamed_output out(a.opt("--out"));
    if (!out.ok()) {
        std::cerr << "rubric: "
                  << say("cli.cannot-write", {{"path", out.temporary().empty() ? localize("cli.a-temporary-file") : literal(out.temporary())}})
                  << "\n";
        return exit_input;
    }
    const auto order = document_order(prog.tree());
    const bool json = format == "json";
    out.write(json ? json_begin(prog) : csv_head(prog, order));
    bind_options bo = run_limits().binding();
    bo.allow_unknown = a.has("--allow-unknown");
    const bool skip_bad = a.has("--skip-bad");
    const std::string group_column = a.opt("--group");
    fact_set facts;
    evaluation ev(prog);
    scored s;
    s.nodes.resize(prog.node_count());
    bool bad = false, any = false;
    diagnostics ds;
    entity_ids ids;
    // A rubric with cohort rules reads the facts twice (cohort_evaluation.hpp): the first
    // pass keeps only what those rules rank, so memory still does not grow with the facts.
    // It also leaves for the second pass which entities it measured (a bit each, in reading
    // order) and a hash of each one's id: the second pass scores exactly those, and a file
    // that changed between the readings is noticed instead of misranked.
    std::optional<cohort_evaluation> cohort;
    if (prog.needs_cohort()) cohort.emplace(program_ptr(std::shared_ptr<const program>(), &prog));
    bool measuring = cohort.has_value();
    std::vector<bool> measured_entity;
    std::vector<std::size_t> id_hashes;
    std::size_t unit = 0, entity = 0;
    bool changed = false;
    const std::hash<std::string_view> hash_id;
    auto on_entity = [&](raw_entity& raw, const source_ptr& src, const std::function<void(const diagnostics&)>& print) {
        ds.clear();
        const std::string group = take_group(raw, group_column);
        if (!measuring && cohort) {
            // second pass: the entities measured in the first
            const std::size_t k = entity++;
            if (changed || (k < measured_entity.size() && !measured_entity[k])) return;
            if (k >= measured_entity.size() || unit >= cohort->size() || hash_id(raw.id) != id_hashes[unit] ||
                !bind_facts(prog, raw, src, facts, ds, bo)) {
                changed = true;
                return;
            }
            cohort->evaluate(unit++, facts, ev);
        } else {
            if (measuring) measured_entity.push_back(false);
            if (!ids.add(raw, src, ds) || !bind_facts(prog, raw, src, facts, ds, bo)) {
                print(ds);
                bad = true;
                return;
            }
            if (bad && !skip_bad) return;  // nothing will be written: only look for more errors
            if (measuring) {
                cohort->measure(facts, group);
                measured_entity.back() = true;
                id_hashes.push_back(hash_id(raw.id));
                return;
            }
            evaluate(prog, facts, ev);
        }
        s.entity = raw.id;
        s.name = facts.display_name;
        for (node_id id = 0; id < prog.node_count(); ++id) s.nodes[id] = ev.node_score(id);
        s.total = ev.total();
        s.bonus = ev.bonus();
        set_warnings(prog, ev, s.warnings);
        out.write(json ? json_entity(prog, order, s, !any) : csv_line(prog, order, s));
        any = true;
    };
    // Streamed CSV and JSON lines may be of any size (memory stays flat), unless the user
    // bounded them with --limit facts-bytes.
    if (ff != facts_format::json && facts_bytes_given()) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(facts_path, ec);
        if (!ec && size > run_limits().facts_bytes) {
            std::cerr << "rubric: "
                      << say("source.too-large", {{"path", facts_path}, {"size", std::to_string(size)},
                                                  {"limit", std::to_string(run_limits().facts_bytes)}})
                      << "\n";
            return exit_input;
        }
    }
    source_ptr json_src;
    auto read_all = [&](bool quiet) {
        if (ff == facts_format::json) {
            // One JSON document: read whole, scored one entity at a time.
            if (!json_src) json_src = read_or_report(facts_path, run_limits().facts_bytes);
            if (!json_src) return false;
            auto print = [quiet](const diagnostics& d) {
                if (!quiet) std::cerr << render(d, ui_lang());
            };
            const diagnostics rd = read_facts_stream(
                json_src, ff,
                [&](raw_entity&& e) {
                    on_entity(e, json_src, print);
                    return true;
                },
                run_limits().facts());
            print(rd);
            return !has_errors(rd);
        }
        if (quiet) {
            // Errors were all printed by the first pass; this one reads the same file.
            facts_blocks again(facts_path, ff);
            again.silence();
            return again.run(on_entity);
        }
        return facts_blocks(facts_path, ff).run(on_entity);
    };
    bool read_ok = read_all(false);
    if (read_ok && cohort && (!bad || skip_bad)) {
        cohort->rank();
        measuring = false;
        read_all(true);
        if (changed || unit != cohort->size()) {
            // The file changed between the two readings.
            std::cerr << "rubric: " << say("cli.facts-changed", {{"path", facts_path}}) << "\n";
            read_ok = false;
        }
    }
    if (!read_ok) {
        out.abandon();
        return exit_input;
    }
    if (bad && !skip_bad) {
        out.abandon();
        std::cerr << "rubric: " << say("cli.no-results") << "\n";
        return exit_input;
    }
    if (json) out.write(json_end(any));
    if (!out.commit()) return exit_input;
    return bad ? exit_input : exit_ok;
}

}  // namespace

int cmd_eval(const args& a) {
    if (a.files.size() != 1) return usage(say("cli.eval-needs-file"));
    const std::string facts_path = a.opt("--facts");
    if (facts_path.empty()) return usage(say("cli.eval-needs-facts"));
    const std::string format = a.opt("--format", "table");
    if (format != "table" && format != "json" && format != "csv") return usage(say("cli.unknown-format", {{"format", format}}));
    program_ptr prog = load(a.files[0], a.has("--werror"), true);
    if (!prog) return exit_input;
    if (format != "table") return eval_streaming(a, *prog, facts_path, format);
    std::vector<raw_entity> raws;
    source_ptr fsrc;
    if (!read_facts_file(facts_path, raws, fsrc)) return exit_input;

    bind_options bo = run_limits().binding();
    bo.allow_unknown = a.has("--allow-unknown");
    std::vector<scored> rows;
    rows.reserve(raws.size());
    std::vector<fact_set> units;
    std::vector<std::string> ids_of;
    units.reserve(raws.size());
    bool bad = false;
    entity_ids ids;
    const std::string group_column = a.opt("--group");
    std::optional<cohort_evaluation> cohort;
    if (prog->needs_cohort()) cohort.emplace(prog);
    for (auto& raw : raws) {
        diagnostics ds;
        const std::string group = take_group(raw, group_column);
        fact_set facts;
        if (!ids.add(raw, fsrc, ds) || !bind_facts(*prog, raw, fsrc, facts, ds, bo)) {
            std::cerr << render(ds, ui_lang());
            bad = true;
            continue;
        }
        if (cohort) cohort->measure(facts, group);
        units.push_back(std::move(facts));
        ids_of.push_back(raw.id);
    }
    if (cohort) cohort->rank();
    evaluation ev(*prog);
    for (std::size_t u = 0; u < units.size(); ++u) {
        const fact_set& facts = units[u];
        if (cohort) cohort->evaluate(u, facts, ev);
        else evaluate(*prog, facts, ev);
        const std::string& entity_id = ids_of[u];
        scored s;
        s.entity = entity_id;
        s.name = facts.display_name;
        s.nodes.resize(prog->node_count());
        for (node_id id = 0; id < prog->node_count(); ++id) s.nodes[id] = ev.node_score(id);
        s.total = ev.total();
        s.bonus = ev.bonus();
        set_warnings(*prog, ev, s.warnings);
        rows.push_back(std::move(s));
    }
    if (bad && !a.has("--skip-bad")) {
        std::cerr << "rubric: " << say("cli.no-results") << "\n";
        return exit_input;
    }
    const std::string text = format == "json" ? render_json(*prog, rows) : format == "csv" ? render_csv(*prog, rows) : render_table(*prog, rows);
    if (!write_output(a.opt("--out"), text)) return exit_input;
    return bad ? exit_input : exit_ok;
}

int cmd_explain(const args& a) {
    if (a.files.size() != 1) return usage(say("cli.explain-needs-file"));
    const std::string facts_path = a.opt("--facts");
    const std::string entity = a.opt("--entity");
    if (facts_path.empty() || entity.empty()) return usage(say("cli.explain-needs-facts"));
    const std::string format = a.opt("--format", "text");
    if (format != "text" && format != "json") return usage(say("cli.unknown-format", {{"format", format}}));
    program_ptr prog = load(a.files[0], false, true);
    if (!prog) return exit_input;
    std::vector<raw_entity> raws;
    source_ptr fsrc;
    if (!read_facts_file(facts_path, raws, fsrc)) return exit_input;
    const auto it = std::find_if(raws.begin(), raws.end(), [&](const raw_entity& r) { return r.id == entity; });
    if (it == raws.end()) {
        std::cerr << "rubric: " << say("cli.entity-not-found", {{"entity", entity}, {"path", facts_path}}) << "\n";
        return exit_input;
    }
    fact_set facts;
    diagnostics ds;
    evaluation ev(*prog);
    const std::string group_column = a.opt("--group");
    // The explanation reads the unit's place in the cohort: the cohort outlives it.
    std::optional<cohort_evaluation> cohort;
    if (prog->needs_cohort()) {
        // The unit's score depends on the others in the file: score them all, explain one.
        cohort.emplace(prog);
        std::vector<fact_set> units(raws.size());
        std::size_t target = 0;
        entity_ids ids;  // a unit given twice would be ranked twice
        for (std::size_t i = 0; i < raws.size(); ++i) {
            const std::string group = take_group(raws[i], group_column);
            if (!ids.add(raws[i], fsrc, ds) || !bind_facts(*prog, raws[i], fsrc, units[i], ds, run_limits().binding()))
                continue;
            cohort->measure(units[i], group);
            if (&raws[i] == &*it) target = i;
        }
        if (has_errors(ds)) {
            std::cerr << render(ds, ui_lang());
            std::cerr << "rubric: " << say("cli.cohort-has-errors") << "\n";
            return exit_input;
        }
        cohort->rank();
        facts = std::move(units[target]);
        cohort->evaluate(target, facts, ev);
    } else {
        // The entity asked for, given twice: which of the two to explain is not ours to guess.
        entity_ids ids;
        for (const raw_entity& r : raws)
            if (r.id == entity && !ids.add(r, fsrc, ds)) {
                std::cerr << render(ds, ui_lang());
                return exit_input;
            }
        take_group(*it, group_column);
        if (!bind_facts(*prog, *it, fsrc, facts, ds, run_limits().binding())) {
            std::cerr << render(ds, ui_lang());
            return exit_input;
        }
        evaluate(*prog, facts, ev);
    }
    const std::string text =
        format == "json" ? explain_json(*prog, facts, ev, ui_lang()) : explain_text(*prog, facts, ev, ui_lang());
    return write_output(a.opt("--out"), text) ? exit_ok : exit_input;
}

}  // namespace rubric::cli
