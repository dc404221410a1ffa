// rubric: raw facts readers. A facts file (CSV, JSON or JSON lines) becomes a list of
// entities, each with named fields whose values are kept as TEXT with their positions.
//
// Syntax only: no value is converted to a number here (a number keeps its exact original
// text, "0.1000000000000000000001" stays that string); typing (bool/count/percent, number
// ranges, exponents) happens later. Nothing here throws on bad input: every problem is a
// diagnostic (std::bad_alloc aside).
//
// CSV (see csv.hpp for the syntax):
//   * the first record is the header; its cells are the field names. The FIRST column is the
//     entity id, whatever its header says; every other column is a field;
//   * an empty cell (or "", or a cell of only spaces) means the field is not provided: no
//     raw_field is emitted;
//   * a header of one column with a tab or a semicolon in it is refused ("E-facts-header"): the
//     file is tab- or semicolon-separated;
//   * errors: empty or duplicate header name ("E-facts-header"), a row with more or fewer
//     cells than the header ("E-facts-ragged"), an empty entity id ("E-facts-id").
//     These are reported for every row (the row is skipped) up to facts_limits::max_errors;
//     CSV syntax errors stop reading.
// JSON: one entity object, or an array of entity objects. JSON lines (.jsonl, .ndjson): one
// entity object per non-blank line (a syntax error skips that line only).
//   * each object needs "entity": a non-empty string, or an integer (its text) ("E-facts-id");
//   * every other key is a field: a string is kind::text, a number kind::number (exact text),
//     true/false kind::boolean ("true"/"false"), null means the field is not provided (no
//     raw_field), an array kind::list whose items are strings, numbers, booleans or null
//     (kind::null). An object as a field value, or an array/object inside a list, is an
//     error ("E-facts-value");
//   * duplicate keys in one object ("E-facts-duplicate-key"), NaN/Infinity, bad escapes, lone
//     surrogates, trailing text and other syntax errors ("E-facts-json"), too long numbers or
//     texts, too deep nesting, too many fields or entities ("E-facts-limit").
// An entity with an error is not delivered. Positions follow source.hpp (1-based line and
// code-point column) and equal src->position_at(pos.offset).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rubric/csv.hpp"
#include "rubric/diagnostic.hpp"
#include "rubric/source.hpp"

namespace rubric {

struct raw_value {
    enum class kind { text, number, boolean, null, list } k = kind::text;
    // text: the decoded string; number: the exact original text ("-0.50", "1e3");
    // boolean: "true" or "false"; null and list: "".
    std::string text;
    std::vector<raw_value> items;  // list items (never lists themselves)
    position pos;                  // first character of the value (a string's opening quote)
};

struct raw_field {
    std::string name;
    raw_value value;
    position pos;  // the key (its opening quote) / the CSV header cell
    bool column = false;  // CSV: named by a header cell, which every row shares
};

struct raw_entity {
    std::string id;
    position pos;            // the id: the CSV id cell / the JSON "entity" value
    std::size_t index = 0;   // 0-based record number in the file: CSV data row (header not
                             // counted), JSON array element, JSON-lines non-blank line
    std::vector<raw_field> fields;  // in file order
};

// The text of the field `name`, taken out of the entity's fields ("" when it has none): a
// column that is not a rubric input, such as the group column of a report.
[[nodiscard]] std::string take_field(raw_entity& raw, std::string_view name);

struct facts_limits {
    std::size_t max_bytes = 64u << 20;       // whole file
    std::size_t max_depth = 32;              // JSON nesting of arrays and objects (top level = 1)
    std::size_t max_fields = 10000;          // fields of one entity (CSV: max_fields + 1 cells a row)
    std::size_t max_number_chars = 1100;     // characters of one JSON number
    std::size_t max_entities = 10'000'000;
    std::size_t max_text_bytes = 1u << 20;   // one string, key or CSV cell, in bytes
    std::size_t max_errors = 100;            // then reading stops with a note
};

enum class facts_format { csv, json, jsonl };

// By extension, ignoring case: .csv, .json, .jsonl or .ndjson; anything else is json.
[[nodiscard]] facts_format guess_facts_format(std::string_view file_name);

struct facts_read_result {
    std::vector<raw_entity> entities;  // those without errors, in file order
    diagnostics diags;
};

[[nodiscard]] facts_read_result read_facts(const source_ptr& src, facts_format fmt, const facts_limits& limits = {});

// Streaming variant for millions of rows: calls on_entity for each entity (without errors) as
// it is read; when on_entity returns false, reading stops (without a diagnostic). Returns the
// diagnostics. The entity may be moved from.
diagnostics read_facts_stream(const source_ptr& src, facts_format fmt,
                              const std::function<bool(raw_entity&&)>& on_entity, const facts_limits& limits = {});

// Refuses an entity id already seen in the same facts ("E-facts-duplicate-entity"): two
// results for one unit would leave the reader to guess which the office meant, and in a cohort
// the unit would count twice in every ranking and aggregate. The readers above do not check
// this (an entity is read on its own); whoever scores a whole file or batch adds every entity
// it reads, good or bad, in file order. Keeps every id once (a few dozen bytes per unit, so a
// million units stay well under 100 MB).
class entity_ids {
public:
    // True for a new id; otherwise appends, at the entity's id, "entity X is given twice (first
    // on line N)" (N: the line of the first one's id) and returns false.
    bool add(const raw_entity& raw, const source_ptr& src, diagnostics& ds);
    // The same without a diagnostic: 0 for a new id, else the line (as shown) of its first one.
    std::uint32_t add(std::string_view id, std::uint32_t shown_line);

private:
    // An open-addressing table over one buffer of every id (16 bytes a unit and the id's own
    // bytes: a million units in ~40 MB rather than a node, a string and a bucket each).
    struct slot {
        std::uint64_t at = 0;    // the id is ids_[at, at + size)
        std::uint32_t size = 0;  // 0: empty slot (ids are never empty here; "" is kept aside)
        std::uint32_t line = 0;
    };
    std::string ids_;
    std::vector<slot> table_;
    std::size_t count_ = 0;
    std::uint32_t empty_id_line_ = 0;  // the line of an empty id, once seen (0: not yet)
};

namespace codes {
inline constexpr const char* facts_json = "E-facts-json";
inline constexpr const char* facts_header = "E-facts-header";
inline constexpr const char* facts_ragged = "E-facts-ragged";
inline constexpr const char* facts_id = "E-facts-id";
inline constexpr const char* facts_duplicate_key = "E-facts-duplicate-key";
inline constexpr const char* facts_value = "E-facts-value";
inline constexpr const char* facts_duplicate_entity = "E-facts-duplicate-entity";
}  // namespace codes

}  // namespace rubric
