// Definitions for rubric/run.hpp: the season run.
#pragma once

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstdio>
#include <condition_variable>
#include <cstring>
#include <sys/stat.h>
#include <exception>
#include <mutex>
#include <thread>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rubric/applies.hpp"
#include "rubric/cohort_evaluation.hpp"
#include "rubric/csv.hpp"
#include "rubric/detail/csv_rows.hpp"
#include "rubric/detail/jsonl_rows.hpp"
#include "rubric/config.hpp"
#include "rubric/display.hpp"
#include "rubric/escape.hpp"
#include "rubric/limits.hpp"  // read_source within a byte limit
#include "rubric/run.hpp"
#include "rubric/grade.hpp"

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
    auto own = make_source_file(d.source->name, std::string(line));
    own->line_shift = static_cast<std::int64_t>(d.source->shown_line(b.line)) - 1;
    own->starts_file = d.source->starts_file && line_start == 0;  // a later line's byte-order mark is a character
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
    if (csv && !first && s.find('"') == std::string_view::npos) {
        // No quotes (most files): the last line end is the last record's end. A '\r' at the very
        // end may be half of a CRLF, as below.
        std::size_t j = s.find_last_of("\r\n");
        if (j != std::string_view::npos && s[j] == '\r' && j + 1 == s.size() && !at_eof)
            j = j == 0 ? std::string_view::npos : s.find_last_of("\r\n", j - 1);
        end = j == std::string_view::npos ? 0 : j + 1;
        return at_eof ? s.size() : end;
    }
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
    // The LFs, and the CRs no LF follows. memchr runs through a block many bytes at a time (a JSON
    // line is kilobytes), so a memchr per line end beats any byte-by-byte count.
    if (s.empty()) return 0;
    const char* const end = s.data() + s.size();
    const auto next = [end](const char* p, char c) { return static_cast<const char*>(std::memchr(p, c, static_cast<std::size_t>(end - p))); };
    std::size_t n = 0;
    for (const char* p = s.data(); (p = next(p, '\n')); ++p) ++n;
    for (const char* p = s.data(); (p = next(p, '\r')); ++p)
        if (p + 1 == end || p[1] != '\n') ++n;
    return n;
}

// CSV records in whole records `s` as csv.hpp counts them: a line end outside quotes ends one,
// and an empty line is none.
inline std::size_t count_records(std::string_view s) {
    std::size_t n = 0;
    bool quoted = false, field_start = true, closed = false, empty = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '"') quoted = false, closed = true;
            continue;
        }
        if (c == '"' && (field_start || closed)) {
            quoted = true;
            field_start = closed = empty = false;
            continue;
        }
        closed = false;
        if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            if (!empty) ++n;
            empty = field_start = true;
            continue;
        }
        field_start = c == ',';
        empty = false;
    }
    return empty ? n : n + 1;
}

// Errors of one entity: the reading goes on past them. Any other error of a reader
// (syntax, encoding, the header, a limit) ends the reading, as it does for a whole file.
inline bool entity_error(const diagnostic& d) {
    return d.code == codes::facts_ragged || d.code == codes::facts_id || d.code == codes::facts_json ||
           d.code == codes::facts_value || d.code == codes::facts_duplicate_key;
}

// Bytes of a file as they are read: a buffer that grows without zeroing what it adds (the file
// is read straight into it; a zeroed block would be one more pass over its bytes for nothing).
class byte_buffer {
public:
    byte_buffer() = default;
    byte_buffer(byte_buffer&& o) noexcept
        : bytes_(std::move(o.bytes_)), size_(std::exchange(o.size_, 0)), capacity_(std::exchange(o.capacity_, 0)) {}
    byte_buffer& operator=(byte_buffer&& o) noexcept {
        bytes_ = std::move(o.bytes_);
        size_ = std::exchange(o.size_, 0);
        capacity_ = std::exchange(o.capacity_, 0);
        return *this;
    }
    [[nodiscard]] const char* data() const noexcept { return bytes_.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    operator std::string_view() const noexcept { return {bytes_.get(), size_}; }
    void clear() noexcept { size_ = 0; }
    void reserve(std::size_t n) {
        if (n <= capacity_) return;
        std::unique_ptr<char[]> more(new char[n]);
        if (size_) std::memcpy(more.get(), bytes_.get(), size_);
        bytes_ = std::move(more);
        capacity_ = n;
    }
    // Room for n bytes more, not zeroed; grow(k) then keeps the first k of them.
    [[nodiscard]] char* room(std::size_t n) {
        if (n > capacity_ - size_) reserve(std::max(size_ + n, 2 * capacity_));  // twice: a long record grows in few steps
        return bytes_.get() + size_;
    }
    void grow(std::size_t k) noexcept { size_ += k; }
    void append(std::string_view s) {
        if (s.empty()) return;
        std::memcpy(room(s.size()), s.data(), s.size());
        size_ += s.size();
    }
    void shrink_to(std::size_t n) noexcept { size_ = std::min(n, size_); }
    void drop_front(std::size_t n) noexcept {
        n = std::min(n, size_);
        if (n < size_) std::memmove(bytes_.get(), bytes_.get() + n, size_ - n);
        size_ -= n;
    }

private:
    std::unique_ptr<char[]> bytes_;
    std::size_t size_ = 0, capacity_ = 0;
};

// A block of whole records of a CSV or JSON-lines file, as the block reader cut it.
struct facts_block {
    byte_buffer text;
    std::size_t lines_before = 0;  // lines of the file before the block
};

// The scored units for a sink: to one that formats text, their texts 64 KiB at a time (as the
// threads give it a block's), one write instead of a copy of every unit's line into the output's
// buffer; to any other, unit by unit.
class unit_texts {
public:
    explicit unit_texts(result_sink& sink) : sink_(sink), texts_(sink.formats_text()) {}
    void unit(const scored_unit& u) {
        if (!texts_) return sink_.unit(u);
        sink_.format(u, pending_);
        if (pending_.size() >= (64u << 10)) flush();
    }
    // Before anything else reaches the sink (a unit skipped as bad, the end).
    void flush() {
        if (!pending_.empty()) sink_.write_text(pending_);
        pending_.clear();
    }

private:
    result_sink& sink_;
    bool texts_;
    std::string pending_;
};

// A CSV or JSON-lines file, read a block of whole records at a time.
class block_file_source final : public facts_source {
public:
    // CSV, 256 KiB (~400 of the 广汉 table's rows): a block read, counted and parsed while it is
    // still in the core's own cache (a megabyte left it before the parser got there). JSON lines,
    // 1 MiB: a line is six times a CSV row's bytes, and at 256 KiB (64 lines) the threads' way
    // spent its time handing blocks over (cores idle between blocks: 200,000 units on both cores
    // took 1.14-1.41 s against 1.07-1.18 s with 1 MiB blocks; CSV is the same at either size).
    static constexpr std::size_t csv_block_bytes = 1u << 18, jsonl_block_bytes = 1u << 20;
    static constexpr std::size_t max_record_bytes = 64u << 20;

    block_file_source(std::string path, facts_format f, const facts_limits& limits, std::size_t max_bytes)
        : path_(std::move(path)), csv_(f == facts_format::csv), block_bytes(csv_ ? csv_block_bytes : jsonl_block_bytes),
          limits_(limits), max_bytes_(max_bytes) {
        // A block is a slice of the file, bounded as a whole by max_bytes as it is read.
        limits_.max_bytes = static_cast<std::size_t>(-1);
    }
    const std::string& name() const noexcept override { return path_; }
    [[nodiscard]] bool csv() const noexcept { return csv_; }
    [[nodiscard]] const facts_limits& limits() const noexcept { return limits_; }
    // CSV: the header record as read (its line end included) and its lines; set by read_blocks().
    [[nodiscard]] const std::string& header() const noexcept { return header_; }
    // Bytes of the file read so far (the blocks handed out and the header), and its size when it
    // is a regular file (0 otherwise).
    [[nodiscard]] std::uint64_t bytes_read() const noexcept { return bytes_read_; }
    [[nodiscard]] std::uint64_t bytes_total() const noexcept { return bytes_total_; }
    [[nodiscard]] std::size_t header_lines() const noexcept { return header_lines_; }

    // What a block's reader says: go on, stop without an error, or stop at an error that ends
    // the reading (already handed to on_diag).
    enum class verdict { go_on, stop, fatal };

    // Reads the file: the header (CSV), then on_block for every block of whole records, in
    // order. Returns as read() does.
    // on_header: called once the header has been read (CSV), before the first block.
    bool read_blocks(const std::function<verdict(facts_block&)>& on_block, const diagnostic_handler& on_diag,
                     const std::function<void()>& on_header = {}) {
        std::FILE* in = std::fopen(path_.c_str(), "rb");
        if (!in) {
            on_diag(file_diagnostic(severity::error, path_, "E-facts-file",
                                    localize("source.cannot-read-because", {{"path", path_}, {"reason", file_error_reason(errno, false)}})));
            return false;
        }
        struct closer {
            std::FILE* f;
            ~closer() { std::fclose(f); }
        } close_in{in};
        bytes_read_ = bytes_total_ = 0;
        {
            struct stat st{};
            if (::fstat(::fileno(in), &st) == 0 && S_ISREG(st.st_mode)) bytes_total_ = static_cast<std::uint64_t>(st.st_size);
        }
        // The file's bytes are read straight into the block being gathered (`carry`), and a block
        // whose reader is done with it comes back as the buffer of a later one (`spare`): one copy
        // of the file's bytes (the kernel's), and no fresh pages for every block.
        byte_buffer carry, spare;
        bool eof = false, failed = false, too_large = false;
        int read_errno = 0;
        std::size_t total = 0;
        auto fill = [&] {
            const std::size_t n = std::fread(carry.room(block_bytes), 1, block_bytes, in);
            carry.grow(n);
            total += n;
            if (total > max_bytes_) {
                too_large = true;
                eof = true;
                return;
            }
            if (n < block_bytes) {
                if (std::ferror(in)) failed = true, read_errno = errno;
                eof = true;
            }
        };
        std::size_t lines_before = 0;
        header_.clear();
        header_lines_ = 0;
        if (csv_) {
            std::size_t h = 0;
            while ((h = record_end(carry, true, eof, true)) == 0 && !eof && carry.size() <= max_record_bytes) fill();
            if (h == 0) h = carry.size();
            header_.assign(carry.data(), h);
            carry.drop_front(h);
            header_lines_ = count_lines(header_);
            lines_before = header_lines_;
            bytes_read_ = header_.size();
        }
        if (on_header) on_header();
        bool first = true;
        for (;;) {
            while (!eof && carry.size() < block_bytes) fill();
            if (too_large || failed) break;
            const std::size_t cut = record_end(carry, csv_, eof, false);
            if (cut == 0 && !eof) {
                if (carry.size() > max_record_bytes) {
                    auto s = make_source_file(path_, std::string());
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
                facts_block b;
                // The block takes the buffer as it is; what follows the block (part of a record)
                // starts the next one.
                b.text = std::move(carry);
                carry = std::move(spare);
                carry.clear();
                carry.reserve(b.text.size() - cut + block_bytes);  // the part record and one fill(): blocks stay their size
                carry.append(std::string_view(b.text).substr(cut));
                b.text.shrink_to(cut);
                b.lines_before = lines_before;
                lines_before += count_lines(b.text);
                bytes_read_ += b.text.size();
                const verdict v = on_block(b);
                spare = std::move(b.text);  // this block's buffer, or one on_block() gave back for it
                switch (v) {
                    case verdict::go_on: break;
                    case verdict::stop: return true;
                    case verdict::fatal: return false;
                }
            }
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
                                    localize("source.cannot-read-because", {{"path", path_}, {"reason", file_error_reason(read_errno, false)}})));
            return false;
        }
        return true;
    }

    // The text of `b` (or of one record of it, `part`, starting `lines_in` lines and `records_in`
    // records into the block) as a source of its own: after a copy of the CSV header, with its
    // lines and records numbered as in the whole file.
    [[nodiscard]] source_ptr block_source(const facts_block& b, std::string_view part, std::size_t lines_in,
                                          std::size_t records_before) const {
        auto s = make_source_file(path_, header_ + std::string(part));
        s->kept_lines = static_cast<std::uint32_t>(csv_ ? header_lines_ : 0);
        s->line_shift = static_cast<std::int64_t>(b.lines_before + lines_in) - static_cast<std::int64_t>(csv_ ? header_lines_ : 0);
        s->record_shift = static_cast<std::int64_t>(records_before);
        s->starts_file = csv_ || b.lines_before + lines_in == 0;  // CSV: the header, at the file's start, comes first
        return s;
    }

    // Reads the entities of a source made by block_source() with the general reader; `fatal`
    // when an error ends the reading.
    verdict read_entities(const source_ptr& src, const std::function<bool(raw_entity&&)>& on_entity,
                          const diagnostic_handler& on_diag) const {
        bool stopped = false;
        diagnostics ds = read_facts_stream(
            src, csv_ ? facts_format::csv : facts_format::jsonl,
            [&](raw_entity&& e) {
                if (!on_entity(std::move(e))) stopped = true;
                return !stopped;
            },
            limits_);
        bool fatal = false;
        for (auto& d : ds) {
            if (d.level == severity::error && !entity_error(d)) fatal = true;
            on_diag(std::move(d));
        }
        return fatal ? verdict::fatal : stopped ? verdict::stop : verdict::go_on;
    }

    bool read(const entity_handler& on_entity, const diagnostic_handler& on_diag) override {
        std::size_t records = 0, entities = 0;
        return read_blocks(
            [&](facts_block& b) {
                // Records before this block: only counted for CSV messages ("row N").
                const source_ptr src = block_source(b, b.text, 0, records);
                if (csv_) records += count_records(b.text);
                const std::size_t before = entities;
                return read_entities(
                    src,
                    [&](raw_entity&& e) {
                        e.index += before;
                        ++entities;
                        return on_entity(e, src);
                    },
                    on_diag);
            },
            on_diag);
    }

private:
    std::string path_;
    bool csv_;
    const std::size_t block_bytes;  // a block's bytes at least (whole records: a record more)
    facts_limits limits_;
    std::size_t max_bytes_;
    std::string header_;
    std::size_t header_lines_ = 0;
    std::uint64_t bytes_read_ = 0, bytes_total_ = 0;
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

namespace detail {
// Of the eight presence flags in `w` (one a byte), how many are given (not zero): each byte's
// top bit is set when the byte is not zero (no carry leaves a byte), and the eight bits summed.
inline unsigned given_in_word(std::uint64_t w) noexcept {
    constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    const std::uint64_t nonzero = (((w & low7) + low7) | w) & ~low7;
    return static_cast<unsigned>(((nonzero >> 7) * 0x0101010101010101ull) >> 56);
}
}  // namespace detail

RUBRIC_FUNC std::size_t missing_count(const fact_set& facts) noexcept {
    // Eight flags at a time: one of every unit's writers.
    const std::uint8_t* const present = facts.present.data();
    const std::size_t size = facts.present.size();
    std::size_t n = 0, i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, present + i, 8);
        n += 8 - detail::given_in_word(w);
    }
    for (; i < size; ++i) n += present[i] ? 0 : 1;
    return n;
}

RUBRIC_FUNC results_writer::results_writer(result_format format, std::function<void(std::string_view)> write,
                                           results_options options)
    : format_(format), write_(std::move(write)), options_(options) {}

RUBRIC_FUNC void results_writer::begin(const program& p) {
    p_ = &p;
    order_ = document_order(p.tree());
    cases_ = has_cases(p.tree());
    // What comes before each node's score: CSV's comma; JSON's "code": , escaped once rather than per unit.
    before_score_.clear();
    for (const node_id id : order_) {
        std::string k = format_ == result_format::csv ? "," : before_score_.empty() ? "" : ", ";
        if (format_ != result_format::csv) {
            append_json_string(k, p.tree().nodes[id].code);
            k += ": \"";
        }
        before_score_.push_back(std::move(k));
    }
    input_names_.clear();
    if (format_ != result_format::csv)
        for (const auto& in : p.inputs()) append_json_string(input_names_.emplace_back(", "), in.name);
    any_ = false;
    line_.clear();
    if (format_ == result_format::csv && !options_.csv_header.empty()) {
        for (const std::string& cell : options_.csv_header) {
            if (!line_.empty()) line_ += ',';
            append_csv_quoted(line_, cell);
        }
        line_ += "\r\n";
    } else if (format_ == result_format::csv) {
        line_ = "entity,name,total,bonus";
        if (p.has_adjustments()) line_ += ",adjustments,grand_total";
        for (const node_id id : order_) {
            line_ += ',';
            append_csv_quoted(line_, p.tree().nodes[id].code);
        }
        if (!p.tree().warnings.empty()) line_ += ",warnings";
        if (p.tree().grades) line_ += ",grade,vetoes";
        line_ += ",missing\r\n";
    } else if (format_ == result_format::json) {
        line_ = "{\"rubric\": ";
        append_json_string(line_, p.tree().header.title);
        line_ += ", \"entities\": [";
    }
    if (!line_.empty()) write_(line_);
}

// A rubric with sections `by` an attribute (applies.hpp): a node that does not apply to the unit
// has no score, not 0: CSV leaves its cell empty, JSON gives null (and no "exact").
RUBRIC_FUNC void results_writer::append_scores_that_apply(std::string& out, const scored_unit& u,
                                                          std::vector<std::size_t>* rounded) const {
    const bool json = format_ != result_format::csv;
    for (std::size_t k = 0; k < order_.size(); ++k) {
        const node_id id = order_[k];
        const std::string& before = before_score_[k];
        if (!applies(*p_, u.facts, id)) {
            out.append(before, 0, before.size() - (json ? 1 : 0));  // JSON: without the opening quote
            if (json) out += "null";
            continue;
        }
        out += before;
        if (!json && options_.exact) out += u.ev.node_score(id).to_string();
        else if (append_shown_score(out, *p_, u.ev, id) && rounded) rounded->push_back(k);
        if (json) out += '"';
    }
}

RUBRIC_FUNC void results_writer::unit(const scored_unit& u) {
    line_.clear();
    if (format_ == result_format::json) line_ += any_ ? ",\n  " : "\n  ";
    any_ = true;
    format(u, line_);
    write_(line_);
}

RUBRIC_FUNC void results_writer::format(const scored_unit& u, std::string& out) const {
    const program& p = *p_;
    const ast& t = p.tree();
    if (format_ == result_format::csv) {
        auto add = [&](const decimal& v) {
            out += ',';
            if (options_.exact) out += v.to_string();
            else append_shown(out, p, v);
        };
        append_csv_quoted(out, u.entity);
        out += ',';
        append_csv_quoted(out, u.facts.display_name);
        add(u.ev.total());
        add(u.ev.bonus());
        if (p.has_adjustments()) {  // 综合奖扣分, and what the unit ends with
            add(u.ev.adjustments());
            add(u.ev.grand_total());
        }
        if (cases_) append_scores_that_apply(out, u, nullptr);
        else if (options_.exact)
            for (const node_id id : order_) add(u.ev.node_score(id));
        else
            append_shown_scores(out, p, u.ev, order_, before_score_, '\0', nullptr);
        if (!t.warnings.empty()) {
            std::string labels;
            for (std::size_t i = 0; i < t.warnings.size(); ++i)
                if (u.ev.warnings()[i]) labels += (labels.empty() ? "" : "; ") + t.warnings[i].label;
            out += ',';
            append_csv_quoted(out, labels);
        }
        if (t.grades) {  // the grade (grade.hpp), and the vetoes that fired, joined like the warnings
            const grade_result g = grade_of(p, u.ev);
            out += ',';
            append_csv_quoted(out, grade_label(t, g.grade));
            out += ',';
            append_csv_quoted(out, veto_labels(t, g));
        }
        out += ',';
        out += std::to_string(missing_count(u.facts));
        out += "\r\n";
        return;
    }
    // A score the display rounds is given exactly too, as a fraction, in "exact" (in the order
    // of the scores). Shown scores and fractions are digits, '-', '.' and '/': nothing to escape.
    // The notes and the rounded scores' places are this thread's (format() runs on several at
    // once), kept from unit to unit: no allocation per unit.
    static thread_local std::string exact;
    static thread_local std::vector<std::size_t> rounded;
    exact.clear();
    rounded.clear();
    const auto literal = [&out](std::string_view text) { out.append(text.data(), text.size()); };
    auto note_exact = [&](std::string_view key, const decimal& v) {
        if (!exact.empty()) exact.append(", ", 2);
        append_json_string(exact, key);
        exact.append(": \"", 3);
        v.append_fraction(exact);
        exact += '"';
    };
    auto shown_member = [&](std::string_view before, std::string_view key, const decimal& v) {
        literal(before);  // `, "total": "`
        const bool rounds = append_shown(out, p, v);
        out += '"';
        if (rounds) note_exact(key, v);
    };
    literal("{\"entity\": ");
    append_json_string(out, u.entity);
    if (!u.facts.display_name.empty()) {
        literal(", \"name\": ");
        append_json_string(out, u.facts.display_name);
    }
    shown_member(", \"total\": \"", "total", u.ev.total());
    shown_member(", \"bonus\": \"", "bonus", u.ev.bonus());
    if (p.has_adjustments()) {
        shown_member(", \"adjustments\": \"", "adjustments", u.ev.adjustments());
        shown_member(", \"grand_total\": \"", "grand_total", u.ev.grand_total());
    }
    literal(", \"nodes\": {");
    if (cases_) append_scores_that_apply(out, u, &rounded);
    else append_shown_scores(out, p, u.ev, order_, before_score_, '"', &rounded);
    for (const std::size_t k : rounded) note_exact(t.nodes[order_[k]].code, u.ev.node_score(order_[k]));
    out += '}';
    if (!exact.empty()) {
        literal(", \"exact\": {");
        out += exact;
        out += '}';
    }
    if (!t.warnings.empty()) {
        literal(", \"warnings\": [");
        bool first = true;
        for (std::size_t i = 0; i < t.warnings.size(); ++i)
            if (u.ev.warnings()[i]) {
                if (!first) literal(", ");
                first = false;
                append_json_string(out, t.warnings[i].label);
            }
        out += ']';
    }
    if (t.grades) {
        const grade_result g = grade_of(p, u.ev);
        literal(", \"grade\": ");
        append_json_string(out, grade_label(t, g.grade));
        literal(", \"vetoes\": [");
        for (std::size_t i = 0; i < g.vetoes.size(); ++i) {
            if (i) literal(", ");
            append_json_string(out, t.vetoes[g.vetoes[i]].label);
        }
        out += ']';
    }
    // The missing inputs, counted and named in one pass over the presence flags, a word of eight
    // given ones skipped at once (most facts are given). The names were quoted once in begin(),
    // each with the ", " before it (the first one's is left out).
    static thread_local std::string names;
    names.clear();
    std::size_t missing = 0;
    {
        const std::uint8_t* const present = u.facts.present.data();
        const std::size_t size = u.facts.present.size();
        for (std::size_t i = 0; i < size;) {
            if (i + 8 <= size) {
                std::uint64_t w;
                std::memcpy(&w, present + i, 8);
                if (detail::given_in_word(w) == 8) {
                    i += 8;
                    continue;
                }
            }
            for (const std::size_t end = std::min(size, i + 8); i < end; ++i)
                if (!present[i]) {
                    ++missing;
                    names.append(input_names_[i]);
                }
        }
    }
    literal(", \"missing\": ");
    char digits[24];
    out.append(digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, missing).ptr - digits));
    if (missing) {
        literal(", \"missing_inputs\": [");
        out.append(names, 2, std::string::npos);
        out += ']';
    }
    out += '}';
    if (format_ == result_format::jsonl) out += '\n';
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

namespace detail {

// One unit as the run reads it: bound, or bad with the reasons.
struct unit_read {
    std::string_view id, group;
    bool bound = false;
    fact_set* facts = nullptr;   // bound: the unit's facts
    diagnostics* why = nullptr;  // not bound: why (bind errors, or the id given twice)
};

// What a unit's reader needs besides its block: the program, the options, a CSV plan, and a
// unit's scratch. One per thread.
struct unit_reader {
    const program& p;
    const run_options& options;
    block_file_source* blocks = nullptr;  // null: the source is read entity by entity
    const std::optional<csv_plan>* plan = nullptr;  // CSV with a good header: the fast way
    entity_ids* ids = nullptr;            // null: ids are not checked (a cohort's second reading)
    facts_reading* reading = nullptr;     // the file's reading (a column that is no input, said once)
    fact_set facts;
    diagnostics why;
    csv_record record;
    // The unit being handed to on_unit: its CSV record (lines and records into the block), or
    // its source and id position (the general reader), for a duplicate id said later.
    std::string_view record_text;
    std::size_t record_lines_in = 0, record_records_in = 0;
    source_ptr unit_src;
    position unit_pos;
    std::size_t block_records = 0;  // CSV data records of the block read last
    std::optional<jsonl_plan> json_plan;  // JSON lines: the fast way (this thread's own: it learns)
    std::function<bool()> after_block;  // called after each block of a file (progress); false: stop

    unit_reader(const program& prog, const run_options& o) : p(prog), options(o) { facts.reset(p); }

    // A unit of the general reader: the id checked, then bound.
    template <class OnUnit>
    bool general_unit(raw_entity& raw, const source_ptr& src, OnUnit&& on_unit) {
        const std::string group = take_field(raw, options.group_column);
        unit_src = src;
        unit_pos = raw.pos;
        why.clear();
        unit_read u{raw.id, group};
        u.bound = (!ids || ids->add(raw, src, why)) && bind_facts(p, raw, src, facts, why, options.binding, reading);
        u.facts = &facts;
        u.why = &why;
        return on_unit(u);
    }

    // "entity X is given twice", said of a unit the fast way read, as the general reader says
    // it: at the id (a CSV record's first cell; a JSON line read again to find it).
    void say_duplicate(const facts_block& b, std::string_view rec, std::size_t lines_in, std::size_t records_before,
                       std::string_view id, entity_ids& all, diagnostics& out) const {
        const source_ptr src = blocks->block_source(b, rec, lines_in, records_before);
        raw_entity raw;
        raw.id = std::string(id);
        if (blocks->csv()) {
            raw.pos = position{static_cast<std::uint32_t>(blocks->header_lines() + 1), 1, blocks->header().size()};
        } else {
            blocks->read_entities(
                src, [&](raw_entity&& e) { return raw.pos = e.pos, false; }, [](diagnostic&&) {});
        }
        all.add(raw, src, out);
    }

    // One record of a CSV block that the fast way did not take, read alone by the general reader.
    template <class OnUnit>
    block_file_source::verdict general_record(const facts_block& b, std::string_view rec, std::size_t lines_in,
                                              std::size_t records_before, OnUnit&& on_unit, const diagnostic_handler& on_diag) {
        const source_ptr src = blocks->block_source(b, rec, lines_in, records_before);
        return blocks->read_entities(
            src, [&](raw_entity&& raw) { return general_unit(raw, src, on_unit); }, on_diag);
    }

    // Reads a block: every unit to on_unit (false: stop reading), the reader's diagnostics to
    // on_diag. `records_before`: CSV data records before the block (for "row N").
    // on_general(record, lines_in, records_in) may take over a CSV record the fast way did not
    // take (the threads' way: it is read later, in order); by default it is read here.
    template <class OnUnit, class OnGeneral>
    block_file_source::verdict read_block(const facts_block& b, std::size_t records_before, OnUnit&& on_unit,
                                          const diagnostic_handler& on_diag, OnGeneral&& on_general) {
        if (json_plan) {
            const std::string_view text = b.text;
            std::size_t at = 0, lines_in = 0;
            while (at < text.size()) {
                fast_unit fu;
                std::string_view rec;  // the line and its LF
                if (text[at] == '\n') {
                    rec = text.substr(at, 1);  // a blank line: no entity
                } else if (bind_json_line(p, *json_plan, text.substr(at), options.binding, blocks->limits(), facts, fu)) {
                    rec = text.substr(at, fu.length);
                    record_text = rec;
                    record_lines_in = lines_in;
                    record_records_in = 0;
                    unit_src.reset();
                    why.clear();
                    unit_read u{fu.id, fu.group, true, &facts, &why};
                    if (ids && ids->add(fu.id, static_cast<std::uint32_t>(b.lines_before + lines_in + 1)) != 0) {
                        say_duplicate(b, rec, lines_in, 0, fu.id, *ids, why);
                        u.bound = false;
                    }
                    if (!on_unit(u)) return block_file_source::verdict::stop;
                } else {
                    const std::size_t nl = text.find('\n', at);
                    rec = text.substr(at, nl == std::string_view::npos ? text.size() - at : nl - at + 1);
                    const auto v = on_general(b, rec, lines_in, 0);
                    if (v != block_file_source::verdict::go_on) return v;
                }
                at += rec.size();
                // A bound line's line ends: its LF, and the lone CRs bind_json_line met between
                // tokens (nowhere else can a CR be in a line it binds).
                lines_in += fu.bound ? (rec.back() == '\n' ? 1 : 0) + fu.lone_crs : count_lines(rec);
            }
            return block_file_source::verdict::go_on;
        }
        if (!plan || !*plan) {
            block_records = blocks->csv() ? count_records(b.text) : 0;
            const source_ptr src = blocks->block_source(b, b.text, 0, records_before);
            return blocks->read_entities(
                src, [&](raw_entity&& raw) { return general_unit(raw, src, on_unit); }, on_diag);
        }
        const std::string_view text = b.text;
        std::size_t at = 0, lines_in = 0, records_in = 0;
        const std::size_t max_cell = blocks->limits().max_text_bytes;
        block_records = 0;
        while (at < text.size()) {
            const std::string_view rest = text.substr(at);
            const bool split = split_record(rest, record);
            if (split && record.blank) {
                at += record.length;
                lines_in += record.lines;
                continue;
            }
            const std::size_t length = split ? record.length : record_end(rest, true, true, true);
            const std::string_view rec = rest.substr(0, length);
            fast_unit fu;
            if (split && plain_text(rec) && bind_record(p, **plan, record, options.binding, max_cell, facts, fu)) {
                const auto line = static_cast<std::uint32_t>(b.lines_before + lines_in + 1);
                record_text = rec;
                record_lines_in = lines_in;
                record_records_in = records_in;
                unit_src.reset();
                why.clear();
                unit_read u{fu.id, fu.group, true, &facts, &why};
                if (ids && ids->add(fu.id, line) != 0) {
                    say_duplicate(b, rec, lines_in, records_before + records_in, fu.id, *ids, why);
                    u.bound = false;
                }
                if (!on_unit(u)) return block_file_source::verdict::stop;
            } else {
                const auto v = on_general(b, rec, lines_in, records_before + records_in);
                if (v != block_file_source::verdict::go_on) return v;
            }
            at += length;
            lines_in += split ? record.lines : count_lines(rec);  // split_record counted them (a quoted line end: not split)
            block_records = ++records_in;
        }
        return block_file_source::verdict::go_on;
    }

    template <class OnUnit>
    block_file_source::verdict read_block(const facts_block& b, std::size_t records_before, OnUnit&& on_unit,
                                          const diagnostic_handler& on_diag) {
        return read_block(b, records_before, on_unit, on_diag,
                          [&](const facts_block& blk, std::string_view rec, std::size_t lines_in, std::size_t records) {
                              return general_record(blk, rec, lines_in, records, on_unit, on_diag);
                          });
    }

    // Reads the whole source, unit by unit, in order. Returns as facts_source::read().
    template <class OnUnit>
    bool read_all(facts_source& facts, OnUnit&& on_unit, const diagnostic_handler& on_diag, const std::function<void()>& on_header) {
        if (!blocks) {
            // One document (JSON, facts in memory): progress every 1024 entities instead of blocks.
            std::size_t n = 0;
            return facts.read(
                [&](raw_entity& raw, const source_ptr& src) {
                    if (++n % 1024 == 0 && after_block && !after_block()) return false;  // cancelled: the run says so
                    return general_unit(raw, src, on_unit);
                },
                on_diag);
        }
        std::size_t records = 0;
        return blocks->read_blocks(
            [&](facts_block& b) {
                const block_file_source::verdict v = read_block(b, records, on_unit, on_diag);
                records += block_records;
                if (v == block_file_source::verdict::go_on && after_block && !after_block())
                    return block_file_source::verdict::fatal;  // cancelled: the run says so
                return v;
            },
            on_diag, on_header);
    }
};

// The header of a CSV source as cells, when the general reader finds nothing wrong with it (it
// is read again with the first block, and reports what is wrong there).
inline std::optional<std::vector<std::string>> good_header(const block_file_source& blocks) {
    if (blocks.header().empty()) return std::nullopt;
    const source_ptr src = make_source(blocks.name(), blocks.header());
    bool any = false;
    diagnostics ds = read_facts_stream(src, facts_format::csv, [&](raw_entity&&) { return any = true, true; }, blocks.limits());
    if (!ds.empty() || any) return std::nullopt;
    csv_result h = parse_csv(src);
    if (!h.diags.empty() || h.rows.size() != 1) return std::nullopt;
    std::vector<std::string> cells;
    for (auto& f : h.rows.front().fields) cells.push_back(std::move(f.text));
    return cells;
}

// The threads' way: blocks of a CSV or JSON-lines file are bound, scored and formatted on worker
// threads; the caller's thread reads the blocks and, in input order, checks ids, reads what the
// fast way left, keeps diagnostics and writes the texts.
struct scored_block {
    struct event {
        enum class kind : std::uint8_t { scored, bad, general, diag } k = kind::scored;
        std::string id, group;
        std::size_t text_end = 0;     // scored: its text is text[previous end, text_end)
        std::size_t present_at = 0;   // scored: its present[] flags at present[present_at…]
        std::size_t offset = 0, length = 0, lines_in = 0, records_in = 0;  // a CSV record (scored: for a duplicate)
        source_ptr src;               // JSON lines: the block, for a duplicate's diagnostic
        position id_pos;
        diagnostics diags;            // bad: why; diag: the reader's diagnostic
    };
    facts_block block;
    std::size_t records_before = 0;  // set in order, when the block is taken
    std::size_t records = 0;         // CSV data records in the block
    std::vector<event> events;
    std::string text;
    std::vector<std::uint8_t> present;
    block_file_source::verdict verdict = block_file_source::verdict::go_on;
    std::exception_ptr failure;
    bool done = false;
};

}  // namespace detail

RUBRIC_FUNC run_result run(const program& p, facts_source& facts, result_sink& sink, const run_options& options) {
    using detail::block_file_source;
    using verdict = block_file_source::verdict;
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

    // How the source is read: a CSV or JSON-lines file a block at a time, a CSV file with a good
    // header the fast way (csv_rows.hpp); anything else entity by entity.
    auto* blocks = dynamic_cast<block_file_source*>(&facts);
    std::optional<detail::csv_plan> plan;
    std::size_t units_read = 0;  // of the current reading (progress)
    int reading = 1;
    bool cancelled = false;
    auto progress = [&] {
        if (!options.progress || cancelled) return !cancelled;
        if (!options.progress(run_progress{units_read, blocks ? blocks->bytes_read() : 0, blocks ? blocks->bytes_total() : 0, reading})) {
            cancelled = true;
            keep(detail::file_diagnostic(severity::error, facts.name(), "E-run-cancelled",
                                         localize("run.cancelled", {{"path", facts.name()}})));
        }
        return !cancelled;
    };
    facts_reading file_reading;  // used by the readers on this thread (workers' readers say nothing of columns)
    auto reader_for = [&](entity_ids* ids) {
        auto u = std::make_unique<detail::unit_reader>(p, options);
        u->blocks = blocks;
        u->plan = &plan;
        u->ids = ids;
        u->reading = ids ? &file_reading : nullptr;
        u->after_block = progress;
        if (blocks && !blocks->csv()) u->json_plan = detail::plan_jsonl(p, group_column, options.binding.allow_unknown);
        return u;
    };
    // Made when the header has been read (a FIFO is read once: the header is not read ahead).
    auto make_plan = [&] {
        plan.reset();
        if (!blocks->csv()) return;
        if (auto cells = detail::good_header(*blocks)) plan = detail::plan_columns(p, *cells, group_column, options.binding.allow_unknown);
    };

    sink.begin(p);
    bool group_seen = false;
    entity_ids ids;
    std::vector<std::uint8_t> given(p.inputs().size(), 0);
    std::size_t entities = 0;

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
    // Every unit read, in order; true when it is good and will be used.
    auto count_unit = [&](const detail::unit_read& u, const std::uint8_t* present, bool tell_skipped = true) {
        ++entities;
        ++units_read;
        if (!u.group.empty()) group_seen = true;
        if (!u.bound) {
            ++r.bad;
            if (options.skip_bad && tell_skipped) sink.skipped(u.id, *u.why);
            for (auto& d : *u.why) keep(std::move(d));
            return false;
        }
        for (std::size_t i = 0; i < given.size(); ++i) given[i] |= present[i];
        return !r.bad || options.skip_bad;  // after a bad unit without skip_bad nothing is written
    };

    const program_ptr alias(std::shared_ptr<const program>(), &p);
    std::optional<cohort_evaluation> cohort;
    if (p.needs_cohort()) cohort.emplace(alias);
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

    if (!cohort && blocks && threads > 1 && sink.formats_text() && !(plan && plan->has_unknown)) {
        // The threads' way (see scored_block). A column that is no input is reported once per file
        // by the fact_set that reads it, so such a file is read on one thread.
        using detail::scored_block;
        const std::size_t in_flight = 2 * threads + 1;
        std::vector<scored_block> slots(in_flight);
        std::mutex m;
        std::condition_variable work_ready, block_done;
        std::size_t next_read = 0, next_work = 0;  // blocks handed out / taken by a worker
        bool closing = false;
        auto work = [&] {
            // Made inside the try below: memory running out here must reach the caller's thread
            // (sb->failure), not end the program (an exception leaving a thread is std::terminate).
            std::unique_ptr<detail::unit_reader> reader;
            std::optional<evaluation> worker_ev;
            for (;;) {
                scored_block* sb;
                {
                    std::unique_lock<std::mutex> lock(m);
                    work_ready.wait(lock, [&] { return closing || next_work < next_read; });
                    if (next_work >= next_read) return;
                    sb = &slots[next_work++ % in_flight];
                }
                try {
                    if (!reader) {
                        reader = reader_for(nullptr);
                        worker_ev.emplace(p);
                    }
                    evaluation& ev = *worker_ev;
                    sb->events.clear();
                    sb->text.clear();
                    sb->present.clear();
                    auto on_unit = [&](detail::unit_read& u) {
                        scored_block::event e;
                        e.id.assign(u.id);
                        e.group.assign(u.group);
                        if (reader->unit_src) {
                            e.src = reader->unit_src;
                            e.id_pos = reader->unit_pos;
                        } else {
                            e.offset = static_cast<std::size_t>(reader->record_text.data() - sb->block.text.data());
                            e.length = reader->record_text.size();
                            e.lines_in = reader->record_lines_in;
                            e.records_in = reader->record_records_in;
                        }
                        if (u.bound) {
                            evaluate(p, *u.facts, ev);
                            sink.format(scored_unit{0, u.id, u.group, *u.facts, ev}, sb->text);
                            e.text_end = sb->text.size();
                            e.present_at = sb->present.size();
                            sb->present.insert(sb->present.end(), u.facts->present.begin(), u.facts->present.end());
                        } else {
                            e.k = scored_block::event::kind::bad;
                            e.diags = std::move(*u.why);
                        }
                        sb->events.push_back(std::move(e));
                        return true;
                    };
                    auto on_diag = [&](diagnostic&& d) {
                        scored_block::event e;
                        e.k = scored_block::event::kind::diag;
                        e.diags.push_back(std::move(d));
                        sb->events.push_back(std::move(e));
                    };
                    sb->verdict = reader->read_block(sb->block, 0, on_unit, on_diag,
                                                     [&](const detail::facts_block& b, std::string_view rec, std::size_t lines_in,
                                                         std::size_t records) {
                                                         scored_block::event e;
                                                         e.k = scored_block::event::kind::general;
                                                         e.offset = static_cast<std::size_t>(rec.data() - b.text.data());
                                                         e.length = rec.size();
                                                         e.lines_in = lines_in;
                                                         e.records_in = records;
                                                         sb->events.push_back(std::move(e));
                                                         return verdict::go_on;
                                                     });
                    sb->records = reader->block_records;
                } catch (...) {
                    sb->failure = std::current_exception();
                }
                {
                    std::lock_guard<std::mutex> lock(m);
                    sb->done = true;
                }
                block_done.notify_all();
            }
        };
        std::vector<std::thread> workers;
        struct joiner {
            std::mutex& m;
            bool& closing;
            std::condition_variable& cv;
            std::vector<std::thread>& ts;
            ~joiner() {
                {
                    std::lock_guard<std::mutex> lock(m);
                    closing = true;
                }
                cv.notify_all();
                for (auto& t : ts) t.join();
            }
        } join_workers{m, closing, work_ready, workers};
        for (unsigned i = 0; i < threads; ++i) workers.emplace_back(work);

        // In order, on this thread: what only the whole file knows.
        auto serial = reader_for(&ids);
        evaluation ev(p);
        std::string text;
        std::size_t next_done = 0, records_seen = 0;
        bool stopped = false;
        // Takes the next block in order; `use` false: after the end of the reading, only waited for.
        auto consume = [&](bool use) -> verdict {
            scored_block& sb = slots[next_done % in_flight];
            {
                std::unique_lock<std::mutex> lock(m);
                block_done.wait(lock, [&] { return sb.done; });
            }
            ++next_done;
            struct release {
                std::mutex& m;
                scored_block& sb;
                ~release() {
                    std::lock_guard<std::mutex> lock(m);
                    sb.done = false;
                }
            } free_slot{m, sb};
            if (sb.failure) std::rethrow_exception(std::exchange(sb.failure, nullptr));
            if (!use) return verdict::stop;
            sb.records_before = records_seen;
            records_seen += sb.records;
            std::size_t text_at = 0;
            // The texts of consecutive good units lie side by side in sb.text: written as one
            // piece, before anything else reaches the sink.
            std::size_t pending_from = 0, pending_to = 0;
            const auto write_pending = [&] {
                if (pending_to > pending_from) sink.write_text(std::string_view(sb.text).substr(pending_from, pending_to - pending_from));
                pending_from = pending_to;
            };
            verdict v = verdict::go_on;
            for (auto& e : sb.events) {
                if (e.k != scored_block::event::kind::scored) write_pending();
                if (e.k == scored_block::event::kind::diag) {
                    reader_said(std::move(e.diags.front()));
                    continue;
                }
                if (e.k == scored_block::event::kind::general) {
                    v = serial->general_record(
                        sb.block, std::string_view(sb.block.text).substr(e.offset, e.length), e.lines_in,
                        sb.records_before + e.records_in,
                        [&](detail::unit_read& u) {
                            if (count_unit(u, u.bound ? u.facts->present.data() : nullptr)) {
                                evaluate(p, *u.facts, ev);
                                text.clear();
                                sink.format(scored_unit{r.scored++, u.id, u.group, *u.facts, ev}, text);
                                sink.write_text(text);
                            }
                            return true;
                        },
                        reader_said);
                    if (v != verdict::go_on) break;
                    continue;
                }
                detail::unit_read u{e.id, e.group, e.k == scored_block::event::kind::scored};
                diagnostics why = std::move(e.diags);
                u.why = &why;
                const std::size_t text_begin = text_at;
                if (u.bound) {
                    text_at = e.text_end;
                    // The id, checked here, in order: a duplicate is said at it, as the general reader says it.
                    const auto line = e.src ? e.src->shown_line(e.id_pos.line)
                                            : static_cast<std::uint32_t>(sb.block.lines_before + e.lines_in + 1);
                    if (ids.add(e.id, line) != 0) {
                        if (e.src) {
                            raw_entity raw;
                            raw.id = e.id;
                            raw.pos = e.id_pos;
                            ids.add(raw, e.src, why);
                        } else {
                            serial->say_duplicate(sb.block, std::string_view(sb.block.text).substr(e.offset, e.length), e.lines_in,
                                                  sb.records_before + e.records_in, e.id, ids, why);
                        }
                        u.bound = false;
                    }
                } else if (e.src && ids.add(e.id, e.src->shown_line(e.id_pos.line)) != 0) {
                    // Given twice and bad: said as the general reader says it, the id first.
                    raw_entity raw;
                    raw.id = e.id;
                    raw.pos = e.id_pos;
                    why.clear();
                    ids.add(raw, e.src, why);
                }
                if (!u.bound) write_pending();  // what the sink is told of a bad unit comes after the units before it
                if (count_unit(u, u.bound ? sb.present.data() + e.present_at : nullptr)) {
                    ++r.scored;
                    if (text_begin != pending_to) {
                        write_pending();
                        pending_from = text_begin;
                    }
                    pending_to = e.text_end;
                }
            }
            write_pending();
            return v == verdict::go_on ? sb.verdict : v;
        };
        diagnostics file_errors;  // the reading's own, said after the blocks before them
        r.read_ok = blocks->read_blocks(
            [&](detail::facts_block& b) {
                if (next_read - next_done == in_flight) {
                    const verdict v = consume(true);
                    if (v != verdict::go_on) return stopped = true, v;
                }
                scored_block& sb = slots[next_read % in_flight];
                std::swap(sb.block, b);  // the slot's block before, consumed: its buffer is read into again
                {
                    std::lock_guard<std::mutex> lock(m);
                    ++next_read;
                }
                work_ready.notify_one();
                if (!progress()) return stopped = true, verdict::fatal;
                return verdict::go_on;
            },
            [&](diagnostic&& d) { file_errors.push_back(std::move(d)); }, [&] { make_plan(); });
        while (next_done < next_read) {
            const verdict v = consume(!stopped);  // blocks read past the end of the reading are not used
            if (stopped) continue;
            if (v == verdict::fatal || !progress()) r.read_ok = false;
            if (v != verdict::go_on || !r.read_ok) stopped = true;
        }
        for (auto& d : file_errors) reader_said(std::move(d));
    } else if (!cohort) {
        auto reader = reader_for(&ids);
        evaluation ev(p);
        detail::unit_texts out(sink);
        r.read_ok = reader->read_all(
            facts,
            [&](detail::unit_read& u) {
                if (!u.bound) out.flush();  // what the sink is told of a bad unit comes after the units before it
                if (count_unit(u, u.bound ? u.facts->present.data() : nullptr)) {
                    evaluate(p, *u.facts, ev);
                    out.unit(scored_unit{r.scored++, u.id, u.group, *u.facts, ev});
                }
                return true;
            },
            reader_said, make_plan);
        out.flush();
    } else {
        // A cohort: the first reading measures every good unit and notes, per unit read, whether
        // it was measured and a hash of each measured one's id; the second scores exactly those,
        // and notices a file that changed in between.
        std::vector<bool> measured;
        std::vector<std::size_t> id_hashes;
        std::vector<std::pair<std::size_t, diagnostics>> bad_units;  // unit index, why (for skipped())
        const std::hash<std::string_view> hash_id;
        detail::unit_texts cohort_out(sink);  // the scoring reading's
        auto first = reader_for(&ids);
        r.read_ok = first->read_all(
            facts,
            [&](detail::unit_read& u) {
                const std::size_t k = measured.size();
                measured.push_back(false);
                if (!u.bound && options.skip_bad) {
                    diagnostics why;
                    for (const auto& d : *u.why) {
                        diagnostic c = d;
                        detail::detach_from_block(c);
                        why.push_back(std::move(c));
                    }
                    bad_units.emplace_back(k, std::move(why));
                }
                // A skipped unit is told to the sink by the second reading, in order.
                if (!count_unit(u, u.bound ? u.facts->present.data() : nullptr, false)) return true;
                cohort->measure(*u.facts, std::string(u.group));
                measured.back() = true;
                id_hashes.push_back(hash_id(u.id));
                return true;
            },
            reader_said, make_plan);
        // A later reading: the units measured in the first, in order, each checked against the
        // first reading's id (a file that changed in between is an error); `on_unit` gets each
        // with its index. The units skipped as bad are told to the sink by the scoring reading.
        const auto read_again = [&](bool scoring, const std::function<void(std::size_t, detail::unit_read&)>& on_unit) {
            ++reading;
            units_read = 0;
            std::size_t k = 0, unit = 0, next_bad = 0;
            bool changed = false;
            auto again = reader_for(nullptr);
            const bool again_ok = again->read_all(
                facts,
                [&](detail::unit_read& u) {
                    const std::size_t at = k++;
                    ++units_read;
                    if (at < measured.size() && !measured[at]) {
                        if (scoring && next_bad < bad_units.size() && bad_units[next_bad].first == at) {
                            cohort_out.flush();  // after the units before it
                            sink.skipped(u.id, bad_units[next_bad++].second);
                        }
                        return true;
                    }
                    if (at >= measured.size() || unit >= cohort->size() || hash_id(u.id) != id_hashes[unit] || !u.bound) {
                        changed = true;
                        return false;
                    }
                    on_unit(unit++, u);
                    return true;
                },
                [](diagnostic&&) {}, make_plan);
            if (!cancelled && (!again_ok || changed || unit != cohort->size())) {
                keep(detail::file_diagnostic(severity::error, facts.name(), "E-facts-changed",
                                             localize("cli.facts-changed", {{"path", facts.name()}})));
                r.read_ok = false;
            }
            return r.read_ok && !cancelled;
        };
        if (r.read_ok && !cancelled && (!r.bad || options.skip_bad)) {  // cancelled: no further reading
            // A rubric ranking scores that read the cohort (stages): one more measuring reading per stage.
            bool more = cohort->rank();
            while (more && read_again(false, [&](std::size_t, detail::unit_read& u) { cohort->measure(*u.facts, u.group); }))
                more = cohort->rank();
            if (!more) {
                evaluation ev(p);
                read_again(true, [&](std::size_t unit, detail::unit_read& u) {
                    cohort->evaluate(unit, *u.facts, ev);
                    cohort_out.unit(scored_unit{r.scored++, u.id, u.group, *u.facts, ev});
                });
                cohort_out.flush();
            }
        }
    }

    if (cancelled) r.read_ok = false;  // a document read entity by entity stops without an error of its own
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
        // Left out: an input no rule reads (it costs nothing when missing; the checker warns of
        // it), and one that must be given (a unit without it is bad, not scored as missing).
        auto unread = [&](std::size_t i) { return ins[i].missing == missing_policy::error || !p.tree().inputs[i].used; };
        std::size_t not_given = 0;
        bool any_given = false;
        for (std::size_t i = 0; i < ins.size(); ++i) {
            any_given |= given[i] != 0;
            not_given += !given[i] && !unread(i) ? 1 : 0;
        }
        // None at all (a file of another rubric, or of other names: read with --allow-unknown):
        // one warning that says so, rather than one per input burying the diagnostics' limit.
        if (!any_given && not_given > 1) {
            keep(detail::file_diagnostic(severity::warning, facts.name(), "W-facts-no-input-given",
                                         localize("run.no-input-given", {{"count", std::to_string(not_given)}})));
            not_given = 0;
        }
        for (std::size_t i = 0; i < ins.size() && not_given > 0; ++i) {
            if (given[i] || unread(i)) continue;
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
