// rubric: the season run — reading a facts file, binding it, the cohort passes, scoring and
// handing the results to a sink — as ONE stage of the library that every caller uses:
// `rubric eval`, `explain` and `report`, the C ABI's batch calls and, through them, Python and
// Java. (SQLite's sqlite3_exec is the model: a thin loop over prepare/step that everybody
// calls instead of writing the loop again.) Before this stage the loop was written five times
// and the copies drifted: only one wrote the rubric's warnings, only one checked the group column.
//
//   facts_source ─ raw entities ─▶ group column taken out ─▶ duplicate ids refused ─▶ bind_facts
//     ─▶ [the program has cohort rules: measure every unit, rank(), read again] ─▶ evaluate
//     ─▶ result_sink (CSV, JSON lines, JSON, collected results, the caller's callback)
//
// What a run promises:
//   * Units reach the sink in input order, one at a time; memory does not grow with the facts
//     (a CSV or JSON-lines file is read a block of records at a time; a cohort keeps 21 bytes
//     per unit and cohort rule, cohort_evaluation.hpp) except for the duplicate-id check.
//   * A cohort is scored in two readings of the same source, or one more per later stage (a rank
//     of a score that itself reads the cohort, cohort_evaluation.hpp). The last scores exactly the
//     units the first measured; a source that changed in between is an error, not a misranking.
//   * Diagnostics come back as data, in reading order, at most options.max_diagnostics of them,
//     then one note "and N more". A facts error names the file, line, entity and field.
//   * A unit with bad facts: without skip_bad nothing after it is scored and the result is not
//     usable (run_result::usable() is false: write nothing); with skip_bad it is left out of
//     every ranking and aggregate, and the sink hears of it (result_sink::skipped).
//   * An input that no unit's facts give is a warning naming the input and its label, once.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/compile.hpp"
#include "rubric/diagnostic.hpp"
#include "rubric/evaluate.hpp"
#include "rubric/facts.hpp"
#include "rubric/facts_reader.hpp"
#include "rubric/messages.hpp"

namespace rubric {

// ---------------------------------------------------------------------------
// Sources

// Gets each entity read without errors, with the source its positions refer to; returns
// false to stop reading.
using entity_handler = std::function<bool(raw_entity&, const source_ptr&)>;
using diagnostic_handler = std::function<void(diagnostic&&)>;

class facts_source {
public:
    virtual ~facts_source() = default;
    [[nodiscard]] virtual const std::string& name() const noexcept = 0;
    // Reads every entity from the beginning, in order. Returns false when the facts cannot be
    // read as a whole (the file cannot be opened, a syntax error that ends the reading, a
    // limit); per-entity errors (a ragged row, a bad value) are diagnostics, and reading goes on.
    // May be called more than once: a cohort is read twice (or once more per later stage).
    virtual bool read(const entity_handler& on_entity, const diagnostic_handler& on_diag) = 0;
};

// A facts file. CSV and JSON lines are read a block of whole records at a time, so memory
// does not grow with the file; each block is a small source whose lines are shown as lines
// of the whole file (source_file::shown_line). JSON is one document and is read whole, within
// limits.max_bytes. `max_stream_bytes` bounds CSV and JSON lines as they are read (not by their
// reported size, so a FIFO or a device is bounded too); by default they may be of any size.
// The format: `format`, or by the file's extension when not given (guess_facts_format).
[[nodiscard]] std::unique_ptr<facts_source> facts_file(std::string path, const facts_limits& limits,
                                                       std::size_t max_stream_bytes = static_cast<std::size_t>(-1));
[[nodiscard]] std::unique_ptr<facts_source> facts_file(std::string path, facts_format format, const facts_limits& limits,
                                                       std::size_t max_stream_bytes = static_cast<std::size_t>(-1));
// Facts held in memory (the C ABI's batch calls): read as one source.
[[nodiscard]] std::unique_ptr<facts_source> facts_text(std::string name, std::string text, facts_format format,
                                                       const facts_limits& limits);

// ---------------------------------------------------------------------------
// Sinks

// One unit, just scored. Valid only during result_sink::unit().
struct scored_unit {
    std::size_t index;          // 0-based, among the units scored, in input order
    std::string_view entity;    // the entity id
    std::string_view group;     // "" without a group column
    const fact_set& facts;      // facts.display_name: the `name` column; facts.present: given or not
    const evaluation& ev;       // node scores, total, bonus, warnings; ev.cohort() for a cohort
};

// The inputs whose facts were not given for a unit (the missing-fact policy decided them).
[[nodiscard]] std::size_t missing_count(const fact_set& facts) noexcept;

class result_sink {
public:
    virtual ~result_sink() = default;
    virtual void begin(const program&) {}
    virtual void unit(const scored_unit& u) = 0;
    // A unit left out because its facts have errors (only with run_options::skip_bad).
    virtual void skipped(std::string_view /*entity*/, const diagnostics& /*why*/) {}
    // After the last unit, when the run's results are usable.
    virtual void end() {}

    // A sink that only turns each unit into text may let the run score and format units on
    // several threads (run_options::threads). format() appends one unit's text to `out` and is
    // called from several threads at once, so it must not change the sink; write_text() then
    // gets the texts in input order, from the thread that called run(), in place of unit().
    [[nodiscard]] virtual bool formats_text() const noexcept { return false; }
    virtual void format(const scored_unit& /*u*/, std::string& /*out*/) const {}
    virtual void write_text(std::string_view /*text*/) {}
};

// The caller's function, for embedders.
class callback_sink final : public result_sink {
public:
    explicit callback_sink(std::function<void(const scored_unit&)> f) : f_(std::move(f)) {}
    void unit(const scored_unit& u) override { f_(u); }

private:
    std::function<void(const scored_unit&)> f_;
};

enum class result_format { csv, jsonl, json };

struct results_options {
    // CSV: each score exact (decimal::to_string: "56.5", or "170/3" when it has no finite
    // decimal expansion) instead of rounded for display. JSON always shows the display value
    // and adds "exact" (a fraction) for every value the rounding changed.
    bool exact = false;
    lang language = lang::en;  // of the error text of a skipped unit (JSON lines)
    // CSV: the header line's cells, when not the codes above (a sheet for Excel and WPS headed
    // in the rubric's words: result_column_labels in results_workbook.hpp). One per column.
    std::vector<std::string> csv_header;
};

// Writes results as text through `write`, a unit at a time:
//   CSV:        entity,name,total,bonus[,adjustments,grand_total],<node codes in document order>[,warnings]
//               [,grade,vetoes],missing   (adjustments, grand_total: when the rubric has `adjustments`)
//   JSON lines: {"entity": …, "name": …, "total": …, "bonus": …, ["adjustments": …, "grand_total": …,]
//               "nodes": {…}, "exact": {…},
//               "warnings": […], "grade": …, "vetoes": […], "missing": N, "missing_inputs": […]} per
//               line (grade and vetoes when the rubric has a `grade`, grade.hpp); a skipped
//               unit is {"entity": …, "error": "…"}
//   JSON:       {"rubric": title, "entities": [ the same objects ]}
// Scores are rounded for display as the rubric's header says (display.hpp).
class results_writer final : public result_sink {
public:
    results_writer(result_format format, std::function<void(std::string_view)> write, results_options options = {});
    void begin(const program& p) override;
    void unit(const scored_unit& u) override;
    void skipped(std::string_view entity, const diagnostics& why) override;
    void end() override;
    // CSV and JSON lines: a unit's text stands alone (JSON needs the commas between units).
    [[nodiscard]] bool formats_text() const noexcept override { return format_ != result_format::json; }
    void format(const scored_unit& u, std::string& out) const override;
    void write_text(std::string_view text) override { write_(text); }

private:
    result_format format_;
    std::function<void(std::string_view)> write_;
    results_options options_;
    const program* p_ = nullptr;
    std::vector<node_id> order_;
    std::vector<std::string> before_score_;  // per node of order_: CSV's comma, or JSON's `, "code": "`
    std::vector<std::string> input_names_;   // JSON: per input, ", " and its name quoted (for missing_inputs)
    bool cases_ = false;                     // the rubric has sections `by` an attribute (applies.hpp)
    void append_scores_that_apply(std::string& out, const scored_unit& u, std::vector<std::size_t>* rounded) const;
    std::string line_;
    bool any_ = false;
};

// ---------------------------------------------------------------------------
// The run

// How far a run has got, for a progress line.
struct run_progress {
    std::size_t units = 0;            // units read so far (of this reading: a cohort is read twice)
    std::uint64_t bytes_read = 0;     // of the facts file
    std::uint64_t bytes_total = 0;    // its size, 0 when not known (a pipe, facts in memory)
    int reading = 1;                  // 2, 3 …: a cohort's later readings (the last scores)
};

struct run_options {
    bind_options binding;           // allow_unknown, number and step limits
    std::string group_column;       // a facts column naming each unit's group; not an input
    bool skip_bad = false;          // score the good units when some are bad
    std::size_t max_diagnostics = 100;  // kept in run_result::diags; then "and N more"
    // Threads that bind, score and format units of a CSV or JSON-lines file at once, besides
    // the caller's, which reads and writes in input order (0: one per core). More than one
    // only helps a sink that formats_text(); results are the same for any number.
    unsigned threads = 1;
    // Called on the caller's thread after each block of a file (about every MiB), or every 1024
    // units of a source read whole (JSON, facts in memory), when set.
    // Returning false cancels the run (as SQLite's progress handler does): reading stops,
    // "E-run-cancelled" is said, and the results are not usable.
    std::function<bool(const run_progress&)> progress;
};

struct run_result {
    bool read_ok = true;            // the facts were read as a whole (see facts_source::read)
    std::size_t scored = 0;         // units handed to the sink
    std::size_t bad = 0;            // units with bad facts (skipped, or ending the run)
    diagnostics diags;              // errors and warnings, in reading order, capped
    std::size_t diags_left_out = 0; // past options.max_diagnostics
    std::vector<std::uint32_t> inputs_not_given;  // inputs no unit's facts gave (program::inputs())
    // The sink's output is complete and may be written: the facts were read, and either every
    // unit was good or skip_bad was asked for.
    bool usable = false;
    [[nodiscard]] bool clean() const noexcept { return usable && bad == 0; }
};

// Scores every unit of `facts` with `p` into `sink`. Never throws for bad input (only
// std::bad_alloc and a caller's own exceptions from the sink escape).
run_result run(const program& p, facts_source& facts, result_sink& sink, const run_options& options = {});

}  // namespace rubric
