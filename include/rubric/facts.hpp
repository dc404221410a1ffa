// rubric: the typed facts of one evaluated unit (cel-cpp's Activation).
// Raw text values from a facts file (facts_reader.hpp) are checked against the
// program's input declarations here: type, range, choices, missing-fact policy.
#pragma once

#include <string>
#include <vector>

#include "rubric/compile.hpp"
#include "rubric/diagnostic.hpp"
#include "rubric/facts_reader.hpp"

namespace rubric {

struct fact_set {
    std::string entity;
    std::string display_name;                 // optional `name` column
    std::vector<value> values;                // per input (program::inputs())
    std::vector<std::uint8_t> present;        // per input: given in the facts
    std::vector<std::vector<decimal>> lists;  // per input: list values

    // Sizes the vectors for `p` and marks every fact absent (keeps capacity).
    void reset(const program& p);
};

struct bind_options {
    bool allow_unknown = false;  // ignore fields that are not inputs (default: error)
    number_limits numbers{40, 40};
    // The most instructions evaluate() may run for one entity (evaluation_steps() in
    // evaluate.hpp; only `count … where` over long lists can make it large). A unit
    // over it is refused by bind_facts with "E-limit-eval-steps" at its longest list.
    std::size_t max_eval_steps = 10'000'000;
};

// What one reading of a facts file remembers from unit to unit: the CSV columns already
// reported as no input of the program. A column is declared once, in the header, so it is
// reported once, at the first row that gives it a value, not for every row.
struct facts_reading {
    std::vector<std::string> reported_columns;
};

// Converts one raw entity. Returns false (with diagnostics naming the entity and
// field, at the field's position in `src`) if any value is invalid, or if scoring it
// would exceed options.max_eval_steps; `out` is then unusable. Missing facts follow the program's policy (zero / error / default).
// `reading`: the reading the entity is part of (null: a column that is no input is reported
// at every row that gives it a value).
bool bind_facts(const program& p, const raw_entity& raw, const source_ptr& src, fact_set& out, diagnostics& diags,
                const bind_options& options = {}, facts_reading* reading = nullptr);

// Parses one fact value given as text (the same rules as facts files and tests):
// bool true/false/1/0/是/否; count; percent "85%" or "0.85"; decimal; judged;
// a choice word; a list "[0.8, 0.9]" or "0.8;0.9". Returns "" or an error message.
std::string set_fact_text(const program& p, std::uint32_t input, std::string_view text, fact_set& out,
                          const bind_options& options = {});

// Applies the missing-fact policy to every absent input. Returns "" or the error
// for the first required fact that is missing.
std::string fill_missing(const program& p, fact_set& out);

// The same two, with the problem as a catalog message (messages.hpp), empty when
// all is well, so that it can be shown in any language.
localized set_fact(const program& p, std::uint32_t input, std::string_view text, fact_set& out,
                   const bind_options& options = {});
localized fill_missing_facts(const program& p, fact_set& out);

}  // namespace rubric
