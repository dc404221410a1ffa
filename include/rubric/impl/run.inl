// Definitions for rubric/run.hpp: the season run.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rubric/cohort_evaluation.hpp"
#include "rubric/config.hpp"
#include "rubric/display.hpp"
#include "rubric/escape.hpp"
#include "rubric/limits.hpp"  // read_source within a byte limit
#include "rubric/run.hpp"

namespace rubric {

namespace detail {

// A diagnostic that is not about one place of the facts (the file cannot be read, it changed
// between readings): shown as "FILE: error: …".
inline diagnostic file_diagnostic(severity level, const std::string& file, const char* code, localized message) {
    return make_diagnostic(level, make_source(file, std::string()), span{}, code, std::move(message));
}

// Diagnostics are kept after their block of the file is gone: each keeps, instead of the
// block, a source of its own line alone, shown under its line number in the whole file.
inline void detach_from_block(diagnostic& d) {
    if (!d.source || d.source->text.size() <= 4096) return;
    const position b = d.where.begin;
    if (!b.known()) {
        d.source = make_source(d.source->name, std::string());
        return;
    }
    const std::string_view line = d.source->line_text(b.line);
    const std::size_t line_start = static_cast<std::size_t>(line.data() - d.source->text.data());
    auto own = std::make_shared<source_file>(source_file{d.source->name, std::string(line), {}});
    own->line_shift = static_cast<std::int64_t>(d.source->shown_line(b.line)) - 1;
    // Offsets become offsets into the line alone (render finds a long line's caret by them).
    const auto rebase = [&](position& at) {
        at.line = 1;
        at.offset = at.offset >= line_start ? std::min(at.offset - line_start, line.size()) : 0;
    };
    const bool same_line = d.where.end.line == b.line;
    rebase(d.where.begin);
    if (same_line) rebase(d.where.end);
    else d.where.end = d.where.begin;
    d.source = std::move(own);
}

// The end of the first (first = true) or last complete record in `s`, 0 if there is none.
// JSON lines end at '\n'; CSV records end at a line end outside a quoted field (a quote opens a
// quoted field only at the start of a field, as csv.hpp reads it). A '\r' at the very end may
// be half of a CRLF: it ends a record only at the end of the file.
inline std::size_t record_end(std::string_view s, bool csv, bool at_eof, bool first) {
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
inline std::size_t count_lines(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) ++n;
    return n;
}

// Errors of one entity: the reading goes on past them. Any other error of a reader
// (syntax, encoding, the header, a limit) ends the reading, as it does for a whole file.
inline bool entity_error(const diagnostic& d) {
    return d.code == codes::facts_ragged || d.code == codes::facts_id || d.code == codes::facts_json ||
           d.code == codes::facts_value || d.code == codes::facts_duplicate_key;
}

// A CSV or JSON-lines file, read a block of whole records at a time.
class block_file_source final : public facts_source {
public:
    static constexpr std::size_t block_bytes = 1u << 20;
    static constexpr std::size_t max_record_bytes = 64u << 20;

    block_file_source(std::string path, facts_format f, const facts_limits& limits, std::size_t max_bytes)
        : path_(std::move(path)), csv_(f == facts_format::csv), limits_(limits), max_bytes_(max_bytes) {
        // A block is a slice of the file, bounded as a whole by max_bytes as it is read.
        limits_.max_bytes = static_cast<std::size_t>(-1);
    }
    const std::string& name() const noexcept override { return path_; }

    bool read(const entity_handler& on_entity, const diagnostic_handler& on_diag) override {
        std::FILE* in = std::fopen(path_.c_str(), "rb");
        if (!in) {
            on_diag(file_diagnostic(severity::error, path_, "E-facts-file", localize("source.cannot-read", {{"path", path_}})));
            return false;
        }
        struct closer {
            std::FILE* f;
            ~closer() { std::fclose(f); }
        } close_in{in};
        std::string carry, block(block_bytes, '\0');
        bool eof = false, failed = false, too_large = false;
        std::size_t total = 0;
        auto fill = [&] {
            const std::size_t n = std::fread(&block[0], 1, block.size(), in);
            total += n;
            if (total > max_bytes_) {
                too_large = true;
                eof = true;
                return;
            }
            carry.append(block.data(), n);
            if (n < block.size()) {
                if (std::ferror(in)) failed = true;
                eof = true;
            }
        };
        std::string header;
        std::size_t header_lines = 0, lines_before = 0;
        bool stop = false;
        auto deliver = [&](raw_entity&& e, const source_ptr& src) {
            if (stop) return false;
            if (!on_entity(e, src)) stop = true;
            return !stop;
        };
        if (csv_) {
            std::size_t h = 0;
            while ((h = record_end(carry, true, eof, true)) == 0 && !eof && carry.size() <= max_record_bytes) fill();
            if (h == 0) h = carry.size();
            header = carry.substr(0, h);
            carry.erase(0, h);
            header_lines = count_lines(header);
            lines_before = header_lines;
        }
        bool first = true;
        std::size_t entities = 0;
        for (;;) {
            while (!eof && carry.size() < block_bytes) fill();
            if (too_large || failed) break;
            const std::size_t cut = record_end(carry, csv_, eof, false);
            if (cut == 0 && !eof) {
                if (carry.size() > max_record_bytes) {
                    auto s = std::make_shared<source_file>(source_file{path_, std::string(), {}});
                    s->line_shift = static_cast<std::int64_t>(lines_before);
                    diagnostic d = make_diagnostic(severity::error, s, span{position{1, 1, 0}, position{1, 1, 0}}, "E-facts-limit",
                                                   localize("cli.record-too-long", {{"limit", std::to_string(max_record_bytes >> 20)}}));
                    d.quote_line = false;
                    on_diag(std::move(d));
                    return false;
                }
                fill();
                continue;
            }
            if (cut > 0 || first) {
                auto s = std::make_shared<source_file>(source_file{path_, header + carry.substr(0, cut), {}});
                s->kept_lines = static_cast<std::uint32_t>(csv_ ? header_lines : 0);
                s->line_shift = static_cast<std::int64_t>(lines_before) - static_cast<std::int64_t>(csv_ ? header_lines : 0);
                const source_ptr src = s;
                const std::size_t before = entities;
                diagnostics ds = read_facts_stream(
                    src, csv_ ? facts_format::csv : facts_format::jsonl,
                    [&](raw_entity&& e) {
                        e.index += before;
                        ++entities;
                        return deliver(std::move(e), src);
                    },
                    limits_);
                bool fatal = false;
                for (auto& d : ds) {
                    if (d.level == severity::error && !entity_error(d)) fatal = true;
                    on_diag(std::move(d));
                }
                if (fatal) return false;
                if (stop) return true;
            }
            lines_before += count_lines(std::string_view(carry).substr(0, cut));
            carry.erase(0, cut);
            first = false;
            if (eof && carry.empty()) break;
        }
        if (too_large) {
            // Read, not asked of the file system: a FIFO or a device has no size to ask.
            on_diag(file_diagnostic(severity::error, path_, "E-facts-limit",
                                    localize("source.too-large-stream", {{"path", path_}, {"limit", std::to_string(max_bytes_)}})));
            return false;
        }
        if (failed) {
            on_diag(file_diagnostic(severity::error, path_, "E-facts-file",
                                    localize("source.cannot-read-because", {{"path", path_}, {"reason", std::strerror(errno)}})));
            return false;
        }
        return true;
    }

private:
    std::string path_;
    bool csv_;
    facts_limits limits_;
    std::size_t max_bytes_;
};

// One document: a JSON file (read whole, within its limit) or text in memory.
class whole_source final : public facts_source {
public:
    whole_source(std::string name, std::optional<std::string> text, facts_format f, const facts_limits& limits)
        : name_(std::move(name)), text_(std::move(text)), format_(f), limits_(limits) {}
    const std::string& name() const noexcept override { return name_; }

    bool read(const entity_handler& on_entity, const diagnostic_handler& on_diag) override {
        if (!src_) {
            if (text_) {
                src_ = make_source(name_, std::move(*text_));
                text_.reset();
            } else {
                localized err;
                src_ = read_source(name_, err, limits_.max_bytes);
                if (!src_) {
                    on_diag(file_diagnostic(severity::error, name_, "E-facts-file", std::move(err)));
                    return false;
                }
            }
        }
        diagnostics ds = read_facts_stream(
            src_, format_, [&](raw_entity&& e) { return on_entity(e, src_); }, limits_);
        bool fatal = false;
        for (auto& d : ds) {
            // A syntax error in one JSON document ends it: what follows cannot be read.
            if (d.level == severity::error && (!entity_error(d) || (format_ == facts_format::json && d.code == codes::facts_json)))
                fatal = true;
            on_diag(std::move(d));
        }
        return !fatal;
    }

private:
    std::string name_;
    std::optional<std::string> text_;
    facts_format format_;
    facts_limits limits_;
    source_ptr src_;
};

}  // namespace detail

RUBRIC_FUNC std::unique_ptr<facts_source> facts_file(std::string path, facts_format format, const facts_limits& limits,
                                                     std::size_t max_stream_bytes) {
    if (format == facts_format::json) return std::make_unique<detail::whole_source>(std::move(path), std::nullopt, format, limits);
    return std::make_unique<detail::block_file_source>(std::move(path), format, limits, max_stream_bytes);
}

RUBRIC_FUNC std::unique_ptr<facts_source> facts_file(std::string path, const facts_limits& limits, std::size_t max_stream_bytes) {
    const facts_format f = guess_facts_format(path);
    return facts_file(std::move(path), f, limits, max_stream_bytes);
}

RUBRIC_FUNC std::unique_ptr<facts_source> facts_text(std::string name, std::string text, facts_format format,
                                                     const facts_limits& limits) {
    return std::make_unique<detail::whole_source>(std::move(name), std::move(text), format, limits);
}

// ---------------------------------------------------------------------------
// Sinks

RUBRIC_FUNC std::size_t missing_count(const fact_set& facts) noexcept {
    std::size_t n = 0;
    for (const auto given : facts.present) n += given ? 0 : 1;
    return n;
}

RUBRIC_FUNC results_writer::results_writer(result_format format, std::function<void(std::string_view)> write,
                                           results_options options)
    : format_(format), write_(std::move(write)), options_(options) {}

RUBRIC_FUNC void results_writer::begin(const program& p) {
    p_ = &p;
    order_ = document_order(p.tree());
    any_ = false;
    line_.clear();
    if (format_ == result_format::csv) {
        line_ = "entity,name,total,bonus";
        for (const node_id id : order_) {
            line_ += ',';
            append_csv_quoted(line_, p.tree().nodes[id].code);
        }
        if (!p.tree().warnings.empty()) line_ += ",warnings";
        line_ += ",missing\r\n";
    } else if (format_ == result_format::json) {
        line_ = "{\"rubric\": ";
        append_json_string(line_, p.tree().header.title);
        line_ += ", \"entities\": [";
    }
    if (!line_.empty()) write_(line_);
}

RUBRIC_FUNC void results_writer::unit(const scored_unit& u) {
    const program& p = *p_;
    const ast& t = p.tree();
    line_.clear();
    if (format_ == result_format::csv) {
        auto text_of = [&](const decimal& v) { return options_.exact ? v.to_string() : shown(p, v); };
        append_csv_quoted(line_, u.entity);
        line_ += ',';
        append_csv_quoted(line_, u.facts.display_name);
        line_ += ',' + text_of(u.ev.total()) + ',' + text_of(u.ev.bonus());
        for (const node_id id : order_) line_ += ',' + text_of(u.ev.node_score(id));
        if (!t.warnings.empty()) {
            std::string labels;
            for (std::size_t i = 0; i < t.warnings.size(); ++i)
                if (u.ev.warnings()[i]) labels += (labels.empty() ? "" : "; ") + t.warnings[i].label;
            line_ += ',';
            append_csv_quoted(line_, labels);
        }
        line_ += ',' + std::to_string(missing_count(u.facts)) + "\r\n";
        write_(line_);
        return;
    }
    if (format_ == result_format::json) line_ += any_ ? ",\n  " : "\n  ";
    any_ = true;
    std::string exact;
    auto note_exact = [&](std::string_view key, const decimal& v) {
        if (!display_rounds(p, v)) return;
        exact += exact.empty() ? "" : ", ";
        append_json_string(exact, key);
        exact += ": ";
        append_json_string(exact, v.to_fraction_string());
    };
    line_ += "{\"entity\": ";
    append_json_string(line_, u.entity);
    if (!u.facts.display_name.empty()) {
        line_ += ", \"name\": ";
        append_json_string(line_, u.facts.display_name);
    }
    line_ += ", \"total\": ";
    append_json_string(line_, shown(p, u.ev.total()));
    line_ += ", \"bonus\": ";
    append_json_string(line_, shown(p, u.ev.bonus()));
    note_exact("total", u.ev.total());
    note_exact("bonus", u.ev.bonus());
    line_ += ", \"nodes\": {";
    for (std::size_t k = 0; k < order_.size(); ++k) {
        const node& n = t.nodes[order_[k]];
        if (k) line_ += ", ";
        append_json_string(line_, n.code);
        line_ += ": ";
        append_json_string(line_, shown(p, u.ev.node_score(order_[k])));
        note_exact(n.code, u.ev.node_score(order_[k]));
    }
    line_ += '}';
    if (!exact.empty()) line_ += ", \"exact\": {" + exact + "}";
    if (!t.warnings.empty()) {
        line_ += ", \"warnings\": [";
        bool first = true;
        for (std::size_t i = 0; i < t.warnings.size(); ++i)
            if (u.ev.warnings()[i]) {
                if (!first) line_ += ", ";
                first = false;
                append_json_string(line_, t.warnings[i].label);
            }
        line_ += ']';
    }
    const std::size_t missing = missing_count(u.facts);
    line_ += ", \"missing\": " + std::to_string(missing);
    if (missing) {
        line_ += ", \"missing_inputs\": [";
        bool first = true;
        for (std::size_t i = 0; i < u.facts.present.size(); ++i)
            if (!u.facts.present[i]) {
                if (!first) line_ += ", ";
                first = false;
                append_json_string(line_, p.inputs()[i].name);
            }
        line_ += ']';
    }
    line_ += '}';
    if (format_ == result_format::jsonl) line_ += '\n';
    write_(line_);
}

RUBRIC_FUNC void results_writer::skipped(std::string_view entity, const diagnostics& why) {
    if (format_ != result_format::jsonl) return;
    line_ = "{\"entity\": ";
    append_json_string(line_, entity);
    line_ += ", \"error\": ";
    append_json_string(line_, render(why, options_.language));
    line_ += "}\n";
    write_(line_);
}

RUBRIC_FUNC void results_writer::end() {
    if (format_ == result_format::json) write_(any_ ? "\n]}\n" : "]}\n");
}

// ---------------------------------------------------------------------------
// The run

RUBRIC_FUNC run_result run(const program& p, facts_source& facts, result_sink& sink, const run_options& options) {
    run_result r;
    auto keep = [&](diagnostic&& d) {
        if (r.diags.size() < options.max_diagnostics) {
            detail::detach_from_block(d);
            r.diags.push_back(std::move(d));
        } else {
            ++r.diags_left_out;
        }
    };
    auto finish = [&]() -> run_result& {
        if (r.diags_left_out)
            r.diags.push_back(detail::file_diagnostic(severity::note, facts.name(), "N-run-more",
                                                      localize("run.more-diagnostics", {{"count", std::to_string(r.diags_left_out)}})));
        return r;
    };

    const std::string& group_column = options.group_column;
    if (!group_column.empty() && p.find_input(group_column) >= 0) {
        // The group is taken out of every unit's facts: an input as the group would be missing for all.
        keep(detail::file_diagnostic(severity::error, facts.name(), "E-run-group",
                                     localize("run.group-is-input", {{"column", group_column}})));
        r.read_ok = false;
        return finish();
    }
    bool group_seen = false;
    auto take_group = [&](raw_entity& raw) -> std::string {
        if (group_column.empty()) return {};
        for (auto it = raw.fields.begin(); it != raw.fields.end(); ++it)
            if (it->name == group_column) {
                std::string g = std::move(it->value.text);
                raw.fields.erase(it);
                group_seen = true;
                return g;
            }
        return {};
    };

    sink.begin(p);
    fact_set unit_facts;
    unit_facts.reset(p);
    evaluation ev(p);
    entity_ids ids;
    std::vector<std::uint8_t> given(p.inputs().size(), 0);
    std::size_t entities = 0;
    diagnostics ds;
    // Binds one entity of the first (or only) reading; false when it is bad.
    auto bind_one = [&](raw_entity& raw, const source_ptr& src) {
        ds.clear();
        if (ids.add(raw, src, ds) && bind_facts(p, raw, src, unit_facts, ds, options.binding)) {
            for (std::size_t i = 0; i < given.size(); ++i) given[i] |= unit_facts.present[i];
            return true;
        }
        ++r.bad;
        return false;
    };
    auto emit = [&](std::string_view entity, std::string_view group) {
        sink.unit(scored_unit{r.scored++, entity, group, unit_facts, ev});
    };

    // What the reader says: an error of one entity (a ragged row, a bad JSON value, no id) is a
    // bad unit like one whose facts do not bind: skip_bad skips it, and without skip_bad nothing
    // is written. (The entity's id may be unknown: it is then "".)
    auto reader_said = [&](diagnostic&& d) {
        if (d.level == severity::error && detail::entity_error(d)) {
            ++r.bad;
            if (options.skip_bad) {
                diagnostic c = d;
                detail::detach_from_block(c);
                sink.skipped({}, diagnostics{std::move(c)});
            }
        }
        keep(std::move(d));
    };

    const program_ptr alias(std::shared_ptr<const program>(), &p);
    std::optional<cohort_evaluation> cohort;
    if (p.needs_cohort()) cohort.emplace(alias);

    if (!cohort) {
        r.read_ok = facts.read(
            [&](raw_entity& raw, const source_ptr& src) {
                ++entities;
                const std::string group = take_group(raw);
                if (!bind_one(raw, src)) {
                    if (options.skip_bad) sink.skipped(raw.id, ds);
                    for (auto& d : ds) keep(std::move(d));
                    return true;
                }
                if (r.bad && !options.skip_bad) return true;  // nothing will be written: only look for more errors
                evaluate(p, unit_facts, ev);
                emit(raw.id, group);
                return true;
            },
            reader_said);
    } else {
        // A cohort: the first reading measures every good unit and notes, per entity read,
        // whether it was measured and a hash of each measured one's id; the second scores
        // exactly those, and notices a file that changed in between.
        std::vector<bool> measured;
        std::vector<std::size_t> id_hashes;
        std::vector<std::pair<std::size_t, diagnostics>> bad_units;  // entity index, why (for skipped())
        const std::hash<std::string_view> hash_id;
        r.read_ok = facts.read(
            [&](raw_entity& raw, const source_ptr& src) {
                const std::size_t k = entities++;
                measured.push_back(false);
                const std::string group = take_group(raw);
                if (!bind_one(raw, src)) {
                    if (options.skip_bad) {
                        diagnostics why;
                        for (const auto& d : ds) {
                            diagnostic c = d;
                            detail::detach_from_block(c);
                            why.push_back(std::move(c));
                        }
                        bad_units.emplace_back(k, std::move(why));
                    }
                    for (auto& d : ds) keep(std::move(d));
                    return true;
                }
                if (r.bad && !options.skip_bad) return true;
                cohort->measure(unit_facts, group);
                measured.back() = true;
                id_hashes.push_back(hash_id(raw.id));
                return true;
            },
            reader_said);
        if (r.read_ok && (!r.bad || options.skip_bad)) {
            cohort->rank();
            std::size_t entity = 0, unit = 0, next_bad = 0;
            bool changed = false;
            fact_set again;
            const bool second_ok = facts.read(
                [&](raw_entity& raw, const source_ptr& src) {
                    const std::size_t k = entity++;
                    const std::string group = take_group(raw);
                    if (k < measured.size() && !measured[k]) {
                        if (next_bad < bad_units.size() && bad_units[next_bad].first == k)
                            sink.skipped(raw.id, bad_units[next_bad++].second);
                        return true;
                    }
                    diagnostics quiet;
                    if (k >= measured.size() || unit >= cohort->size() || hash_id(raw.id) != id_hashes[unit] ||
                        !bind_facts(p, raw, src, unit_facts, quiet, options.binding)) {
                        changed = true;
                        return false;
                    }
                    cohort->evaluate(unit++, unit_facts, ev);
                    emit(raw.id, group);
                    return true;
                },
                [](diagnostic&&) {});
            if (!second_ok || changed || unit != cohort->size()) {
                keep(detail::file_diagnostic(severity::error, facts.name(), "E-facts-changed",
                                             localize("cli.facts-changed", {{"path", facts.name()}})));
                r.read_ok = false;
            }
        }
    }

    if (r.read_ok && !group_column.empty() && !group_seen && entities > 0) {
        keep(detail::file_diagnostic(severity::error, facts.name(), "E-run-group",
                                     localize("run.group-not-found", {{"column", group_column}, {"path", facts.name()}})));
        r.read_ok = false;
    }
    // An input that no unit's facts give: each unit was scored as if it were missing, which the
    // office rarely means (a dropped column silently costs every unit its points). Only said
    // of a run whose results are written: after errors that stop it, it would bury them.
    if (r.read_ok && entities > r.bad && (r.bad == 0 || options.skip_bad)) {
        const auto& ins = p.inputs();
        for (std::size_t i = 0; i < ins.size(); ++i) {
            if (given[i] || ins[i].missing == missing_policy::error) continue;
            const std::string& label = p.tree().inputs[i].label;
            keep(detail::file_diagnostic(
                severity::warning, facts.name(), "W-facts-input-not-given",
                label.empty() ? localize("run.input-not-given", {{"name", ins[i].name}})
                              : localize("run.input-not-given-label", {{"name", ins[i].name}, {"label", label}})));
        }
    }
    r.usable = r.read_ok && (r.bad == 0 || options.skip_bad);
    if (r.usable) sink.end();
    return finish();
}

}  // namespace rubric
