// rubric: evaluating a program against one unit's facts.
//
// The hot path: `evaluate()` runs the program's flat instruction list over a
// register file owned by an `evaluation` context. After the context's first use
// with a program it does not allocate (numbers that fit in 64-bit fractions stay
// inline; see decimal.hpp). A context belongs to one thread at a time, reads included:
// after a unit scored on the fast path, node_score(), raw_score(), reg() and undefined_parts()
// convert what they return on first use, so two threads must not read one context at once
// (hand it over with the usual synchronization). The program may be shared.
//
// Two paths give the same results. The fast path keeps every register as a fraction of two int64
// (detail/small_fraction.hpp), inline, with no calls, reduced only when read; the general path uses `decimal`,
// which widens to big integers. A unit is scored on the fast path while every fact, constant
// and intermediate value fits; the first operation that would overflow sends that unit to the
// general path, which scores it again from the start. Either way the results are exact and
// identical (tests/unit/evaluate_test.cpp, the differential fuzz target tests/fuzz/fuzz_paths.cpp).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "rubric/compile.hpp"
#include "rubric/detail/small_fraction.hpp"
#include "rubric/facts.hpp"

namespace rubric {

class evaluation;
class batch_evaluation;

namespace detail {
struct small_band {
    cmp_op op;
    small_value bound, score;
};
// The fast path's own opcodes, beyond compile()'s (opcode values from 64 on, which no program
// holds): shapes that most instructions of a real table have, told apart once by make_small_plan
// rather than each time an instruction runs. small_plan::code holds them in place of the opcode.
namespace small_op {
constexpr opcode select_then = static_cast<opcode>(64);  // `if a then b`: registers a, b (not operands)
constexpr opcode select_else = static_cast<opcode>(65);  // `if a then b else c`: registers a, b, c
// each_list whose amount (and cap, if any) is whole in 1/sum_scale, over fewer than 2^14 conditions
// (amount × hits cannot overflow): x = the most hits within the cap (INT64_MAX without a cap), y =
// the amount and z = the cap, in units of 1/sum_scale.
constexpr opcode each_scaled = static_cast<opcode>(66);
// checklist whose every point is whole in 1/sum_scale, fewer than 2^14 of them (the sum cannot overflow).
constexpr opcode checklist_whole = static_cast<opcode>(67);
}  // namespace small_op
// An instruction as the fast path runs it: the program's, its opcode maybe one of small_op's.
struct small_instruction : instruction {
    std::int64_t x = 0, y = 0, z = 0;
};
struct small_term {
    small_value per;
    std::uint32_t count_reg;
    std::int64_t per_scaled = 0;  // per in units of 1/small_plan::sum_scale, or small_plan::not_whole
};
// A node in the order its score is summed (children before parents), for the fast path.
struct small_node {
    node_id id;
    node_kind kind;
    bool top_level;            // it has no parent: it adds to the total (or the bonus; adjustments: neither)
    std::uint32_t begin, count;  // item: its parts in program::part_regs_; section, bonus: its children
    small_value points;        // item and bonus: the clamp
    bool signed_score = false; // an item inside adjustments: not clamped
    bool has_max = false, has_min = false;  // adjustments: its caps
    small_value max{}, min{};
    // item: its raw sum may leave [0, points], so it is clamped. The checker's range analysis
    // says when it cannot (every part at least 0, their highest sum within the points): most
    // items of a real table (`score if a then 1` in an item of 1 point).
    bool clamp = true;
    std::int64_t points_scaled = 0;  // points in units of 1/small_plan::sum_scale
    // Whatever the facts, the node's score is within [0, hi_scaled / sum_scale]: an item (not
    // signed) is clamped to [0, points], a section without caps adds such children. Set when that
    // bound is within 2^48 (sum_lanes then adds whole scores as int64 with no overflow check);
    // -1 otherwise.
    std::int64_t hi_scaled = -1;
};
// A program's constants in the fast path's form, made by evaluation::prepare(). `usable` is false
// when one of them does not fit two int64: every unit then takes the general path.
struct small_plan {
    bool usable = false;
    std::vector<small_value> constants;  // program::constants_
    std::vector<small_band> bands;       // program::bands_
    std::vector<small_term> terms;       // program::terms_
    std::vector<small_value> if_zero;    // per ratio: its if_zero value, or undefined
    std::vector<small_value> thresholds; // per warning
    std::vector<small_node> order;       // every node, children before parents
    // The sums walk order in three passes, so that the common case is a loop with no dispatch:
    // first the items whose score is their one part as it is (copies: most items of a real table;
    // they read only registers), then the other nodes (others: indices into order, children before
    // parents), then the total and the bonus from the top-level nodes (tops: indices into order).
    struct copy {
        std::uint32_t reg;     // the part's register
        node_id id;
        std::uint32_t index;   // into order
    };
    std::vector<copy> copies;
    std::vector<std::uint32_t> others, tops;
    // sum_one's own walk of the others: without the tasks (their score is 0 whatever the unit, as
    // prepare() leaves it).
    std::vector<std::uint32_t> others_to_sum;
    // Per node id: its raw sum is its score (a copy, a task, a section without caps): raw_score()
    // reads the score (evaluation::fill_node), so sum_one writes no raw sum for copies and tasks.
    std::vector<std::uint8_t> raw_is_score;
    std::vector<std::uint32_t> input_regs;  // per input: its register (program::inputs_[i].reg, packed)
    // Node sums over one common denominator (sum_one, sum_lanes): sum_scale is the least common
    // multiple of the denominators of every constant, band, term and node's points (and of 100:
    // facts are mostly written with two places), so that the parts of a real table are whole
    // multiples of 1/sum_scale and add as integers, with no gcd and no growing denominator.
    // scale_of[d] (d < its size) is sum_scale / d when d divides sum_scale, else 0; scale_of[0] is 1
    // (an undefined part adds 0).
    std::int64_t sum_scale = 1;
    std::vector<std::int64_t> scale_of;
    // Fewer than 2^14 nodes: sum_lanes may add whole scores within ±2^48 as int64 without overflow
    // checks (a section has fewer children than that, each within 2^48: the sum is below 2^62).
    bool flat_sums = false;
    // Per constant: its value in units of 1/sum_scale, or not_whole (its denominator does not divide
    // sum_scale, or the product is past 2^48). What checklist, deduct and penalty add as integers.
    static constexpr std::int64_t not_whole = INT64_MIN;
    std::vector<std::int64_t> constants_scaled;
    // Per instruction, for `each A max C` with A > 0 and C >= 0: the most hits whose points stay
    // within the cap, floor(C / A), so that the cap is an integer comparison; -1 otherwise.
    std::vector<std::int64_t> cap_hits;
    std::vector<small_instruction> code;  // program::code_, with small_op's shapes where they apply
    // A cohort's measuring pass reads only what its rules rank: the instructions (in program order)
    // and inputs those values depend on. Not sliced (a needed loop): the whole program runs.
    bool measure_sliced = false;
    std::vector<std::uint32_t> measure_code, measure_inputs;
};
bool evaluate_small(const program& p, const fact_set& facts, const value* cohort, evaluation& ev);
void evaluate_general(const program& p, const fact_set& facts, const value* cohort, evaluation& ev);
void evaluate_on_general_path(const program& p, const fact_set& facts, evaluation& ev);
void evaluate_in_cohort(const program& p, const fact_set& facts, const value* cohort, evaluation& ev);
void measure_on_general_path(const program& p, const fact_set& facts, evaluation& ev);
bool scored_on_fast_path(const evaluation& ev) noexcept;
// Node id's score as the fast path left it (a fraction, not reduced); false when the last unit was
// not scored on the fast path (node_score() then has it).
bool small_node_score(const evaluation& ev, node_id id, small_value& out) noexcept;
// Every node's score as the fast path left it (by node id), or null (see small_node_score).
const small_value* small_node_scores(const evaluation& ev) noexcept;
}  // namespace detail

class evaluation {
public:
    evaluation() = default;
    explicit evaluation(const program& p) { prepare(p); }

    // Sizes the registers for `p` and loads its constants (done by evaluate() when needed).
    void prepare(const program& p);

    [[nodiscard]] const decimal& node_score(node_id id) const {
        if (scored_small_ && node_stamp_[id] != stamp_) fill_node(id);
        return node_scores_[id];
    }
    // The raw (unclamped) sum of an item's parts, for explanations.
    [[nodiscard]] const decimal& raw_score(node_id id) const {
        if (scored_small_ && node_stamp_[id] != stamp_) fill_node(id);
        return raw_scores_[id];
    }
    [[nodiscard]] const decimal& total() const noexcept { return total_; }
    [[nodiscard]] const decimal& bonus() const noexcept { return bonus_; }
    // 综合奖扣分: the sum of the rubric's `adjustments` blocks, each within its caps (0 without any).
    [[nodiscard]] decimal adjustments() const;
    // What the unit ends with: total + bonus + adjustments (the grade is read off it: grade.hpp).
    [[nodiscard]] decimal grand_total() const { return total_ + bonus_ + adjustments(); }
    // A register's value after the last evaluate() (for explanations, coverage and the cohort).
    [[nodiscard]] const value& reg(std::uint32_t r) const {
        if (scored_small_ && reg_stamp_[r] != stamp_) fill_reg(r);
        return regs_[r];
    }
    [[nodiscard]] const std::vector<std::uint8_t>& undefined_parts() const {
        if (scored_small_ && parts_stamp_ != stamp_) fill_parts();
        return part_undefined_;
    }
    // Per warning of the rubric (ast::warnings): 1 when it applies to the unit just scored.
    [[nodiscard]] const std::vector<std::uint8_t>& warnings() const noexcept { return warnings_; }
    [[nodiscard]] bool any_warning() const noexcept {
        for (auto w : warnings_)
            if (w) return true;
        return false;
    }

private:
    friend void evaluate(const program&, const fact_set&, evaluation&);
    friend class batch_evaluation;
    friend void evaluate_batch(const program&, const fact_set*, std::size_t, batch_evaluation&);
    friend bool detail::evaluate_small(const program&, const fact_set&, const value*, evaluation&);
    friend void detail::evaluate_general(const program&, const fact_set&, const value*, evaluation&);
    friend void detail::evaluate_in_cohort(const program&, const fact_set&, const value*, evaluation&);
    friend void detail::measure_on_general_path(const program&, const fact_set&, evaluation&);
    friend bool detail::scored_on_fast_path(const evaluation&) noexcept;
    friend bool detail::small_node_score(const evaluation&, node_id, detail::small_value&) noexcept;
    friend const detail::small_value* detail::small_node_scores(const evaluation&) noexcept;
    friend void detail::evaluate_on_general_path(const program&, const fact_set&, evaluation&);
    friend class cohort_evaluation;
    std::vector<value> cohort_results_;  // where cohort_evaluation works out a unit's cohort values
    const class cohort_evaluation* cohort_ = nullptr;
    std::size_t cohort_unit_ = 0;

public:
    // The cohort this unit was scored in (for explanations), or null; and the unit's index in it.
    [[nodiscard]] const class cohort_evaluation* cohort() const noexcept { return cohort_; }
    [[nodiscard]] std::size_t cohort_unit() const noexcept { return cohort_unit_; }

private:
    // Converts the fast path's register r into regs_ (reg() does it on demand, once per unit), and
    // its node id's score and raw score (node_score(), raw_score()).
    void fill_reg(std::uint32_t r) const;
    void fill_node(node_id id) const;
    void fill_parts() const;  // undefined_parts() after a unit scored on the fast path

    const program* prepared_for_ = nullptr;
    // The general path's registers; after a unit scored on the fast path, filled only as reg()
    // asks (reg_stamp_[r] == stamp_: regs_[r] holds this unit's value).
    mutable std::vector<value> regs_;
    mutable std::vector<std::uint32_t> reg_stamp_, node_stamp_;  // likewise node_scores_ and raw_scores_
    std::uint32_t stamp_ = 0;
    bool scored_small_ = false;  // the last unit was scored on the fast path
    detail::small_plan small_;
    std::vector<detail::small_value> small_regs_, small_nodes_, small_raw_;
    mutable std::vector<decimal> node_scores_, raw_scores_;
    mutable std::vector<std::uint8_t> part_undefined_;  // per part register: the part was undefined (scored 0)
    mutable std::uint32_t parts_stamp_ = 0;
    std::vector<std::uint8_t> warnings_;
    decimal total_, bonus_;
};

// The results of evaluate_batch() for a block of units: per unit, what evaluate() gives for one.
// Like `evaluation`, it is scratch space that is reused: after the first block of a given size
// it does not allocate (units whose values leave int64 excepted). One thread at a time.
class batch_evaluation {
public:
    // Units in the last batch.
    [[nodiscard]] std::size_t size() const noexcept { return units_; }
    [[nodiscard]] decimal node_score(std::size_t unit, node_id id) const;
    [[nodiscard]] decimal total(std::size_t unit) const;
    [[nodiscard]] decimal bonus(std::size_t unit) const;
    // Per warning of the rubric (ast::warnings): whether it applies to the unit.
    [[nodiscard]] bool warning(std::size_t unit, std::size_t w) const { return warnings_[unit * warning_count_ + w] != 0; }
    [[nodiscard]] bool any_warning(std::size_t unit) const;
    // Per part register (program order): the part was undefined (zero denominator) and scored 0.
    [[nodiscard]] bool part_undefined(std::size_t unit, std::size_t part) const {
        return part_undefined_[((unit / lanes) * part_count_ + part) * lanes + unit % lanes] != 0;
    }
    // Units of the last batch that were scored one at a time, on the general path (values beyond
    // int64) or by evaluate() (programs with `count … where`).
    [[nodiscard]] std::size_t units_scored_alone() const noexcept { return alone_count_; }

    // Lanes: units scored together, each instruction applied to all of them before the next.
    static constexpr std::size_t lanes = 16;

private:
    friend void evaluate_batch(const program&, const fact_set*, std::size_t, batch_evaluation&);
    void prepare(const program& p);
    // Where unit u's results are: its block's columns (the lane's), or, when scored alone, rows of
    // alone_nodes_ (alone_[u] - 1; 0: not alone).
    [[nodiscard]] const detail::small_value& small_node(std::size_t u, node_id id) const {
        return nodes_[((u / lanes) * node_count_ + id) * lanes + u % lanes];
    }

    const program* prepared_for_ = nullptr;
    bool batchable_ = false;  // the fast path, lanes at a time (else each unit by evaluate())
    std::size_t units_ = 0, node_count_ = 0, part_count_ = 0, warning_count_ = 0, alone_count_ = 0;
    std::vector<detail::small_value> regs_;                 // one block: register x of lane l at x * lanes + l
    std::vector<detail::small_value> nodes_;                // per block: node id of lane l at (block * nodes + id) * lanes + l
    std::vector<detail::small_value> totals_, bonuses_;     // per unit
    std::vector<std::uint8_t> warnings_;                    // per unit: warning_count_ flags
    // Per block, columnar like nodes_: part i of lane l at (block * parts + i) * lanes + l, so that
    // flag_lanes writes each part's lanes as one contiguous row (a loop the compiler vectorises).
    std::vector<std::uint8_t> part_undefined_;
    // sum_lanes' scratch for one block: per node, its score in lane l as a whole part in units of
    // 1/sum_scale (within 2^48) at id * lanes + l, plus a rest (a fraction, rest_ at the same
    // place) in the lanes of fractional_[id] (bit l); elsewhere the rest is 0.
    std::vector<std::int64_t> scaled_;
    std::vector<detail::small_value> rest_;
    std::vector<std::uint64_t> fractional_;
    std::vector<std::uint32_t> alone_;                      // per unit
    std::vector<decimal> alone_nodes_, alone_totals_;       // node scores, then (total, bonus) per unit scored alone
    evaluation one_;                                        // for the units scored alone
};

// Thrown by evaluate() and evaluate_batch() for a program with cohort rules (program::needs_cohort()):
// such a unit can only be scored together with the others (cohort_evaluation.hpp, which passes the
// cohort's values explicitly). Never thrown for a program without cohort rules.
class cohort_required : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// Scores every node. `facts` must have been bound to the same program.
void evaluate(const program& p, const fact_set& facts, evaluation& ev);

// Scores facts[0 .. count) with one program, `lanes` units at a time: each instruction runs over
// the whole block (dispatch and decoding paid once per block), on the fast path; a unit whose values
// leave int64 is scored again alone, on the general path. The results are those of evaluate(), unit
// by unit. Throws cohort_required for a program with cohort rules (cohort_evaluation scores those).
// `facts` must have been bound to `p`.
void evaluate_batch(const program& p, const fact_set* facts, std::size_t count, batch_evaluation& out);

namespace detail {
// evaluate() on the general path only, whatever the values: what the fast path is checked against
// (tests, the differential fuzz target). Same results, slower.
void evaluate_on_general_path(const program& p, const fact_set& facts, evaluation& ev);
// Whether the last evaluate() of `ev` scored its unit on the fast path.
bool scored_on_fast_path(const evaluation& ev) noexcept;
// Scores a unit of a program with cohort rules, given the cohort's results for it: one value per
// program::cohort_slots(), or null for the cohort's measuring pass (every cohort value undefined,
// so that only what the rules rank is read). What cohort_evaluation calls; evaluate() refuses
// such programs (cohort_required).
void evaluate_in_cohort(const program& p, const fact_set& facts, const value* cohort, evaluation& ev);
// A cohort's measuring pass (evaluate_in_cohort with no cohort values) on the general path, whole
// program: what the fast path's sliced measuring pass is checked against (tests, fuzz_paths).
void measure_on_general_path(const program& p, const fact_set& facts, evaluation& ev);
}  // namespace detail

// The cost of evaluate(p, facts, …) in steps: each instruction of the program once,
// plus the condition of every `count … where` once per element of its list (nested
// loops multiply), where an instruction costs one step while its operands fit 64 bits
// and (limbs of both operands)^2 steps when they are big numbers (their sizes are
// bounded from the facts and the constants, without evaluating). Saturates at the
// largest std::uint64_t. Costs one pass over the program (and over the elements of
// each list a loop reads); allocates nothing once a thread has run it.
// This is what bind_options::max_eval_steps bounds. A cohort scored in stages
// (program::cohort_stages() > 1) evaluates a unit once per measuring pass as well: its steps
// are multiplied by the number of stages.
[[nodiscard]] std::uint64_t evaluation_steps(const program& p, const fact_set& facts);
// evaluation_steps() for facts of the given sizes, one per input (as size_of_value() gives
// them), and lists of at most `list_length` elements, each within its input's size. The steps
// only grow with the sizes and lengths, so this bounds every unit whose facts are each within
// them: a season run checks it once instead of once per unit.
[[nodiscard]] std::uint64_t evaluation_steps_within(const program& p, const std::vector<value_size>& sizes,
                                                    std::size_t list_length = 0);

}  // namespace rubric
