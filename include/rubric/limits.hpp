// rubric: every limit that keeps hostile input from exhausting memory, stack or time,
// gathered in one place.
//
// Each stage has its own option struct (parse_options, facts_limits, bind_options,
// number_limits), and those stay the way to tune one stage. `limits` is the one
// knob an application, the C interface and the command line turn: it holds the
// limits a user may meet, with the documented defaults below, and maps them onto
// the stage options. The defaults are taken from those structs, so that a program
// that never mentions `limits` behaves exactly as one that passes `limits{}`.
//
//   name             default     what is counted                                error code
//   source-bytes     16 MiB      bytes of one rubric file                       E-limit-source
//   nesting          64          brackets, blocks, `not`, `-`, `if`, forms      E-limit-nesting
//   nodes            100000      sections + items + tasks of one rubric         E-limit-nodes
//   exprs            1000000     expression nodes of one rubric                 E-limit-exprs
//   number-digits    40          digits of any number, rubric or fact           E-number / E-fact
//   number-exponent  40          |exponent| written after E, rubric or fact     E-number / E-fact
//   facts-bytes      64 MiB      bytes of one facts file (read whole)           E-facts-limit
//   json-depth       32          JSON nesting, the top level is 1               E-facts-limit
//   fields           10000       fields of one entity (CSV: cells after the id) E-facts-limit
//   eval-steps       10000000    steps to score one unit (below)                E-limit-eval-steps
//   errors           100         diagnostics a season run keeps (run.hpp); the   N-run-more
//                                rest are counted: "and N more"
//
// Every limit is inclusive: a value equal to the limit is accepted, one more is an
// error with the position of the first thing past it (the byte, the bracket, the
// node, the digit's number, the field, the list that makes scoring too long).
//
// Evaluation steps. A compiled program is straight-line code: without `count … where`
// scoring runs each instruction once, so its work is bounded by the rubric's size
// (`exprs`). A `count d in LIST where …` runs its condition once per list element,
// so the work also grows with the facts. evaluation_steps() (evaluate.hpp) counts
// the instructions a unit's facts will make evaluate() run; bind_facts() refuses a
// unit over `eval-steps` at its longest list, before anything is evaluated, so the
// evaluator's hot loop carries no counter. Steps measure cost, not only instructions:
// an instruction on values that fit 64 bits is one step, one on big values costs
// (limbs of both operands)^2, their sizes bounded from the facts and the constants
// (exact products grow: x * x * … * x over a 40-digit x, a thousand times, took 19 s
// and is now refused). The checker's range analysis is bounded the same way (bounds
// past about 1,200 digits are given up, note N-range-unknown), and `rubric test`
// refuses a test over the default eval-steps.
//
// Stack. The parser recurses once per nesting level, and so do the conversion of
// its parse tree into the syntax tree and the explanation of a score (checking,
// compiling and evaluating do not recurse); raising `nesting` needs a larger stack in
// proportion, and values above max_nesting are refused. Optimised, the default 64
// levels of every shape fit a 256 KiB thread stack, parse to explanation, with room to
// spare. Unoptimised (-O0), the grammar takes 1.2 to 2.9 KiB of stack a level
// (the tree conversion and the explanation a few hundred bytes to 1.4 KiB more):
// the deepest shapes, 64 nested lists or calls, peak at about 203 KiB, parse to
// check; 64 brackets at 198 KiB, `if` 126, `not`, `-` and sections about 110
// (tests/unit/limits_test.cpp runs every shape at the limit on a 256 KiB thread).
// At the maximum, nesting = 1000, every shape, and 500 `count … where` nested in each
// other's conditions (checking, compiling, walking the steps and evaluating recurse once
// per such loop), run parse to explanation and formatting on an 8 MiB thread, the stack
// of a Linux main thread, where the CLI runs: an application that raises `nesting` past
// the default must score on a thread with a stack in proportion (issue 18 saw 1000
// nested `count … where` overflow a 1 MiB thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rubric/facts.hpp"
#include "rubric/facts_reader.hpp"
#include "rubric/messages.hpp"
#include "rubric/parse.hpp"

namespace rubric {

struct limits {
    std::size_t source_bytes = parse_options{}.max_source_bytes;
    std::size_t nesting = parse_options{}.max_nesting;
    std::size_t nodes = parse_options{}.max_nodes;
    std::size_t exprs = parse_options{}.max_exprs;
    std::size_t number_digits = parse_options{}.numbers.max_digits;
    std::size_t number_exponent = static_cast<std::size_t>(parse_options{}.numbers.max_exponent);
    std::size_t facts_bytes = facts_limits{}.max_bytes;
    std::size_t json_depth = facts_limits{}.max_depth;
    std::size_t fields = facts_limits{}.max_fields;
    std::size_t eval_steps = bind_options{}.max_eval_steps;
    std::size_t errors = 100;

    // Upper bounds on what may be configured. Nesting: the stack (see above).
    // Digits and exponents: a number of 10^6 digits already takes seconds to print
    // (big-integer to text is quadratic, pitfalls.md).
    static constexpr std::size_t max_nesting = 1000;
    static constexpr std::size_t max_number_digits = 1000000;
    static constexpr std::size_t max_number_exponent = 1000000;

    // The stage options these limits stand for (other settings at their defaults).
    [[nodiscard]] parse_options parsing() const;
    [[nodiscard]] facts_limits facts() const;
    [[nodiscard]] bind_options binding() const;
    [[nodiscard]] number_limits numbers() const;
};

// One limit by its name: the table behind `rubric --limit NAME=N` and bindings.
struct limit_info {
    const char* name;             // "source-bytes", "nesting", … (the table above)
    std::size_t limits::*member;  // where it lives in `limits`
    std::size_t max;              // the largest value that may be set (at least 1)
};

// Every limit, in the order of the table above; *count receives their number.
[[nodiscard]] const limit_info* limit_table(std::size_t* count) noexcept;

// Sets limit `name` to `value`. Returns an empty message on success, else the reason
// (unknown name, 0, above the limit's maximum) as a catalog message (messages.hpp).
// `l` is unchanged on failure.
[[nodiscard]] localized set_limit(limits& l, std::string_view name, std::size_t value);

// Parses "NAME=N" (N a decimal integer; a K, M or G suffix multiplies by 1024, 1024^2
// or 1024^3, as in "facts-bytes=128M") and sets it, as above.
[[nodiscard]] localized set_limit(limits& l, std::string_view assignment);

// Empty when every limit is between 1 and its maximum, else the reason for the first
// that is not.
[[nodiscard]] localized validate(const limits& l);

// Reads the file at `path` as read_source() does, refusing a file larger than
// `max_bytes` before reading it into memory (the error names the size and the limit).
[[nodiscard]] source_ptr read_source(const std::string& path, localized& error, std::size_t max_bytes);

}  // namespace rubric
