// Definitions for rubric/compile.hpp.
#pragma once

#include <algorithm>
#include <map>

#include "rubric/compile.hpp"
#include "rubric/config.hpp"

namespace rubric {

RUBRIC_FUNC int program::find_input(std::string_view name) const {
    const auto it = input_index_.find(std::string(name));
    return it == input_index_.end() ? -1 : static_cast<int>(it->second);
}

namespace detail {

class lowering {
public:
    lowering(program& p, const checked_rubric& r) : p_(p), r_(r), t_(r.tree) {}

    void run() {
        const auto ne = static_cast<std::uint32_t>(t_.exprs.size());
        const auto ni = static_cast<std::uint32_t>(t_.inputs.size());
        const auto nr = static_cast<std::uint32_t>(t_.ratios.size());
        // Registers: one per expression, then inputs, then ratios, then loop variables.
        next_reg_ = ne + ni + nr;
        p_.reg_of_.assign(ne, 0);
        for (std::uint32_t e = 0; e < ne; ++e) p_.reg_of_[e] = e;
        emitted_.assign(ne, false);

        // The attribute of a section `by` it decides which case applies: a unit cannot be scored
        // without it (the checker refuses `missing zero` or a default for it).
        std::vector<bool> decides_case(ni, false);
        for (const node& n : t_.nodes)
            if (n.by_input != no_id) decides_case[n.by_input] = true;
        for (std::uint32_t i = 0; i < ni; ++i) {
            const input_decl& in = t_.inputs[i];
            input_slot s;
            s.name = in.name;
            s.type = in.type;
            s.element = in.element;
            s.lo = in.lo;
            s.hi = in.hi;
            s.choices = in.choices;
            s.choice_labels = in.choice_labels;
            s.missing = in.missing == missing_policy::inherit ? t_.header.missing : in.missing;
            s.missing_value = in.missing == missing_policy::inherit ? t_.header.missing_value : in.missing_value;
            if (decides_case[i]) s.missing = missing_policy::error;
            s.reg = ne + i;
            p_.input_index_.emplace(in.name, i);
            p_.inputs_.push_back(std::move(s));
        }
        // A fill-in sheet made for the office is headed by the inputs' labels (录入率, not
        // rate): a label names its input too, where it is one input's alone and no input's name.
        std::unordered_map<std::string_view, std::uint32_t> label_uses;
        for (std::uint32_t i = 0; i < ni; ++i)
            if (!t_.inputs[i].label.empty()) ++label_uses[t_.inputs[i].label];
        for (std::uint32_t i = 0; i < ni; ++i) {
            const std::string& label = t_.inputs[i].label;
            if (!label.empty() && label_uses[label] == 1) p_.input_index_.emplace(label, i);
        }
        // Names alias the register of what they name.
        for (std::uint32_t e = 0; e < ne; ++e) {
            const symbol& s = r_.symbols[e];
            if (s.kind == symbol::kind_t::input) p_.reg_of_[e] = ne + s.index;
            else if (s.kind == symbol::kind_t::ratio) p_.reg_of_[e] = ne + ni + s.index;
        }
        // A name of a let aliases the register of the let's expression (lets in the checker's
        // order, so that a let that is another let's name is aliased already).
        if (!t_.lets.empty()) {
            std::vector<std::vector<expr_id>> named(t_.lets.size());
            for (std::uint32_t e = 0; e < ne; ++e)
                if (r_.symbols[e].kind == symbol::kind_t::named) named[r_.symbols[e].index].push_back(e);
            for (const std::uint32_t i : r_.let_order)
                for (const expr_id e : named[i]) p_.reg_of_[e] = p_.reg_of_[t_.lets[i].expr];
        }
        // Loop variables get registers of their own.
        std::vector<std::uint32_t> loop_reg(ne, 0);
        for (std::uint32_t e = 0; e < ne; ++e)
            if (t_.exprs[e].kind == expr_kind::count_where) loop_reg[e] = next_reg_++;
        for (std::uint32_t e = 0; e < ne; ++e)
            if (r_.symbols[e].kind == symbol::kind_t::loop_var) p_.reg_of_[e] = loop_reg[r_.symbols[e].index];
        loop_reg_ = std::move(loop_reg);

        // Ratios first: every rule may read them.
        p_.ratio_reg_.resize(nr);
        p_.ratio_if_zero_.resize(nr);
        p_.ratio_clamp_.resize(nr);
        ratio_emitted_.assign(nr, false);
        for (std::uint32_t i = 0; i < nr; ++i) {
            const ratio_decl& rd = t_.ratios[i];
            emit_expr(rd.numerator);
            emit_expr(rd.denominator);
            emit_ratio(i);
        }
        // Then the named values, once per unit, before any rule that reads them (a let read
        // only inside a `count … where` would otherwise be computed in the loop's body alone).
        for (const std::uint32_t i : r_.let_order) emit_expr(t_.lets[i].expr);

        lower_cases();
        // Nodes: plans, and the code of every score part.
        p_.nodes_.resize(t_.nodes.size());
        for (node_id id = 0; id < t_.nodes.size(); ++id) {
            const node& n = t_.nodes[id];
            node_plan& plan = p_.nodes_[id];
            plan.kind = n.kind;
            plan.points = n.points ? *n.points : decimal();
            plan.adjust_max = n.adjust_max;
            plan.adjust_min = n.adjust_min;
            for (node_id up = n.parent; up != no_id && n.kind == node_kind::item; up = t_.nodes[up].parent)
                if (t_.nodes[up].kind == node_kind::adjustments) plan.signed_score = true;
            if (n.kind == node_kind::adjustments && n.parent == no_id) p_.adjustment_roots_.push_back(id);
            plan.parts_begin = static_cast<std::uint32_t>(p_.part_regs_.size());
            current_item_ = id;
            // An item in a case of a `by` section: each part counts only where the case applies
            // (select: the part if the case's gate holds, else 0), so that the section sums the
            // members of the unit's case alone. Items outside any case are lowered as they were.
            const std::uint32_t gate = p_.node_gate_.empty() ? no_id : p_.node_gate_[id];
            for (const auto& part : n.parts) {
                emit_expr(part.expr);
                std::uint32_t r = p_.reg_of_[part.expr];
                if (gate != no_id) {
                    instruction in;
                    in.op = opcode::select;
                    in.dst = next_reg_++;
                    in.n = static_cast<std::uint32_t>(p_.operands_.size());
                    in.count = 2;
                    p_.operands_.push_back(gate);
                    p_.operands_.push_back(r);
                    p_.code_.push_back(in);
                    r = in.dst;
                }
                p_.part_regs_.push_back(r);
            }
            plan.parts_count = static_cast<std::uint32_t>(p_.part_regs_.size()) - plan.parts_begin;
            plan.children_begin = static_cast<std::uint32_t>(p_.child_ids_.size());
            for (node_id c : n.children)
                if (t_.nodes[c].kind != node_kind::task) p_.child_ids_.push_back(c);
            plan.children_count = static_cast<std::uint32_t>(p_.child_ids_.size()) - plan.children_begin;
        }
        // Warnings: a condition is computed with the rest; a score rule compares after scoring.
        current_item_ = no_id;
        for (const warning_rule& w : t_.warnings) {
            warning_plan plan;
            if (w.condition != no_id) {
                emit_expr(w.condition);
                plan.condition_reg = p_.reg_of_[w.condition];
            } else {
                plan.node = w.target == "total" ? no_id : find_node(t_, w.target);
                plan.op = w.op;
                decimal points;
                if (plan.node != no_id) {
                    points = t_.nodes[plan.node].points ? *t_.nodes[plan.node].points : decimal();
                } else if (t_.header.total) {
                    points = *t_.header.total;
                } else {
                    for (node_id r : t_.roots)
                        if (t_.nodes[r].kind != node_kind::bonus && t_.nodes[r].points) points += *t_.nodes[r].points;
                }
                plan.threshold = w.percent ? w.threshold * points : w.threshold;
            }
            p_.warnings_.push_back(plan);
        }
        // Vetoes: each condition computed with the rest; the grade is read from it after scoring (grade.hpp).
        for (const veto_rule& v : t_.vetoes) {
            emit_expr(v.condition);
            p_.veto_regs_.push_back(p_.reg_of_[v.condition]);
        }
        // Children before parents.
        std::vector<std::pair<node_id, bool>> stack;
        for (auto it = t_.roots.rbegin(); it != t_.roots.rend(); ++it) stack.push_back({*it, false});
        while (!stack.empty()) {
            auto [id, done] = stack.back();
            stack.pop_back();
            if (done) {
                p_.post_order_.push_back(id);
                continue;
            }
            stack.push_back({id, true});
            for (auto it = t_.nodes[id].children.rbegin(); it != t_.nodes[id].children.rend(); ++it)
                stack.push_back({*it, false});
        }
        p_.register_count_ = next_reg_;
    }

private:
    program& p_;
    const checked_rubric& r_;
    const ast& t_;
    std::uint32_t next_reg_ = 0;
    std::vector<bool> emitted_;
    std::vector<std::uint32_t> loop_reg_;
    node_id current_item_ = no_id;

    std::vector<bool> ratio_emitted_;

    // The register that holds 1 where node id applies to the unit (every case above it names the
    // unit's attribute), else 0; no_id for a node outside any case (it applies to every unit).
    // One `pick` per case (1 for its choices, 0 for the others), `and` with the case around it.
    std::map<std::pair<node_id, std::uint32_t>, std::uint32_t> gate_of_case_;  // (section, case) → register
    std::uint32_t case_gate(node_id section_id, std::uint32_t k, std::uint32_t outer) {
        auto [at, fresh] = gate_of_case_.emplace(std::make_pair(section_id, k), 0);
        if (!fresh) return at->second;
        const node& section = t_.nodes[section_id];
        const node_case& c = section.cases[k];
        instruction in;
        in.op = opcode::pick;
        in.dst = next_reg_++;
        in.a = p_.inputs_[section.by_input].reg;
        const auto& choices = t_.inputs[section.by_input].choices;
        in.count = static_cast<std::uint32_t>(choices.size());
        in.k = static_cast<std::uint32_t>(p_.constants_.size());
        for (std::uint32_t o = 0; o < choices.size(); ++o)
            constant(decimal(std::find(c.options.begin(), c.options.end(), o) != c.options.end() ? 1 : 0));
        p_.code_.push_back(in);
        if (outer != no_id) {
            instruction both;
            both.op = opcode::and_;
            both.dst = next_reg_++;
            both.a = outer;
            both.b = in.dst;
            p_.code_.push_back(both);
            in.dst = both.dst;
        }
        return at->second = in.dst;
    }
    std::uint32_t gate_of(node_id id) {
        std::vector<node_id> cased;  // the nodes above (and at) id that are members of a case, innermost first
        for (node_id x = id; x != no_id; x = t_.nodes[x].parent)
            if (t_.nodes[x].case_index != no_id) cased.push_back(x);
        std::uint32_t gate = no_id;
        for (auto it = cased.rbegin(); it != cased.rend(); ++it)
            gate = case_gate(t_.nodes[*it].parent, t_.nodes[*it].case_index, gate);
        return gate;
    }
    // A rank or cohort aggregate in a member of a case is taken among the units the member applies
    // to: its `among` register (no_id: every unit) and-ed with the item's gate.
    std::uint32_t within_case(std::uint32_t among) {
        const std::uint32_t gate =
            current_item_ == no_id || p_.node_gate_.empty() ? no_id : p_.node_gate_[current_item_];
        if (gate == no_id) return among;
        if (among == no_id) return gate;
        instruction both;
        both.op = opcode::and_;
        both.dst = next_reg_++;
        both.a = among;
        both.b = gate;
        p_.code_.push_back(both);
        return both.dst;
    }
    // Every case's gate, before any rule (a case with no item gets one too, for coverage), and
    // each node's (program_data::node_gate_, case_gate_). Nothing for a rubric without cases.
    void lower_cases() {
        bool any = false;
        for (const node& n : t_.nodes) any = any || !n.cases.empty();
        if (!any) return;
        p_.node_gate_.assign(t_.nodes.size(), no_id);
        p_.case_gate_.resize(t_.nodes.size());
        for (node_id id = 0; id < t_.nodes.size(); ++id) {
            const node& n = t_.nodes[id];
            if (n.cases.empty() || n.by_input == no_id) continue;
            const std::uint32_t outer = gate_of(id);
            for (std::uint32_t k = 0; k < n.cases.size(); ++k) p_.case_gate_[id].push_back(case_gate(id, k, outer));
        }
        for (node_id id = 0; id < t_.nodes.size(); ++id) p_.node_gate_[id] = gate_of(id);
    }

    void emit_ratio(std::uint32_t i) {
        if (ratio_emitted_[i]) return;
        ratio_emitted_[i] = true;
        const ratio_decl& rd = t_.ratios[i];
        const auto ne = static_cast<std::uint32_t>(t_.exprs.size());
        const auto ni = static_cast<std::uint32_t>(t_.inputs.size());
        instruction in;
        in.op = opcode::ratio;
        in.dst = ne + ni + i;
        in.a = p_.reg_of_[rd.numerator];
        in.b = p_.reg_of_[rd.denominator];
        in.n = i;
        p_.code_.push_back(in);
        p_.ratio_reg_[i] = in.dst;
        p_.ratio_if_zero_[i] = rd.if_zero;
        p_.ratio_clamp_[i] = rd.clamp ? 1 : 0;
    }

    std::uint32_t constant(const decimal& d) {
        p_.constants_.push_back(d);
        return static_cast<std::uint32_t>(p_.constants_.size() - 1);
    }
    std::uint32_t operands(const std::vector<expr_id>& es) {
        const auto first = static_cast<std::uint32_t>(p_.operands_.size());
        for (expr_id e : es) p_.operands_.push_back(p_.reg_of_[e]);
        return first;
    }

    // Post-order emission without recursion. count_where bodies are emitted in
    // place, jumped over by the main flow, and run once per list element.
    void emit_expr(expr_id root) {
        if (root == no_id) return;
        struct frame {
            expr_id e;
            bool expanded;
        };
        std::vector<frame> stack{{root, false}};
        while (!stack.empty()) {
            const frame f = stack.back();
            stack.pop_back();
            if (f.e == no_id || emitted_[f.e]) continue;
            const expr_node& x = t_.exprs[f.e];
            if (!f.expanded) {
                stack.push_back({f.e, true});
                if (x.kind == expr_kind::count_where) {
                    stack.push_back({x.args[0], false});
                    continue;
                }
                for (std::size_t i = x.args.size(); i-- > 0;) stack.push_back({x.args[i], false});
                for (std::size_t i = x.terms.size(); i-- > 0;) stack.push_back({x.terms[i].count, false});
                // A name of a let or a ratio needs what it names computed first: a ratio may read
                // a let, and a let a ratio (the checker refuses cycles).
                if (x.kind == expr_kind::name) {
                    const symbol& s = r_.symbols[f.e];
                    if (s.kind == symbol::kind_t::named) stack.push_back({t_.lets[s.index].expr, false});
                    if (s.kind == symbol::kind_t::ratio && !ratio_emitted_[s.index]) {
                        stack.push_back({t_.ratios[s.index].denominator, false});
                        stack.push_back({t_.ratios[s.index].numerator, false});
                    }
                }
                continue;
            }
            emitted_[f.e] = true;
            if (x.kind == expr_kind::name && r_.symbols[f.e].kind == symbol::kind_t::ratio) emit_ratio(r_.symbols[f.e].index);
            emit_one(f.e);
        }
    }

    void emit_one(expr_id id) {
        const expr_node& x = t_.exprs[id];
        instruction in;
        in.dst = p_.reg_of_[id];
        auto reg = [&](std::size_t i) { return p_.reg_of_[x.args[i]]; };
        switch (x.kind) {
            case expr_kind::number:
            case expr_kind::boolean:
                // Constants are loaded once into their register (see evaluation::prepare).
                return;
            case expr_kind::string:
            case expr_kind::name:
            case expr_kind::list:
                return;  // strings compare by index; names alias; lists are read by their users
            case expr_kind::neg: in.op = opcode::neg; in.a = reg(0); break;
            case expr_kind::not_: in.op = opcode::not_; in.a = reg(0); break;
            case expr_kind::add: in.op = opcode::add; in.a = reg(0); in.b = reg(1); break;
            case expr_kind::sub: in.op = opcode::sub; in.a = reg(0); in.b = reg(1); break;
            case expr_kind::mul: in.op = opcode::mul; in.a = reg(0); in.b = reg(1); break;
            case expr_kind::div: in.op = opcode::div; in.a = reg(0); in.b = reg(1); break;
            case expr_kind::and_: in.op = opcode::and_; in.a = reg(0); in.b = reg(1); break;
            case expr_kind::or_: in.op = opcode::or_; in.a = reg(0); in.b = reg(1); break;
            case expr_kind::compare: {
                in.op = opcode::compare;
                in.cmp = x.op;
                in.a = reg(0);
                in.b = reg(1);
                // choice == "word": compare the choice index with the word's index
                const value_type& lt = r_.types[x.args[0]];
                const value_type& rt = r_.types[x.args[1]];
                const value_type& ct = lt.kind == value_kind::choice ? lt : rt;
                if (ct.kind == value_kind::choice) {
                    const std::size_t wi = lt.kind == value_kind::choice ? 1 : 0;
                    const expr_node& w = t_.exprs[x.args[wi]];
                    const auto& ch = t_.inputs[ct.choice_input].choices;
                    const auto pos = static_cast<std::int64_t>(std::find(ch.begin(), ch.end(), w.text) - ch.begin());
                    const std::uint32_t k = constant(decimal(pos));
                    // a register holding the word's index: reuse the string expression's own register
                    (wi == 1 ? in.b : in.a) = p_.reg_of_[x.args[wi]];
                    word_constants_.push_back({p_.reg_of_[x.args[wi]], k});
                }
                break;
            }
            case expr_kind::if_:
                in.op = opcode::select;
                in.flag = x.has_else;
                in.n = operands(x.args);
                in.count = static_cast<std::uint32_t>(x.args.size());
                break;
            case expr_kind::rank: {
                cohort_slot c;
                c.kind = cohort_kind::rank;
                c.expr = id;
                c.reg = in.dst;
                c.value_reg = reg(0);
                c.value_node = score_ref_node(x.args[0]);
                c.among_reg = within_case(x.args[1] == no_id ? no_id : reg(1));
                c.higher_is_better = x.higher_is_better;
                c.mapping = x.mapping;
                c.nums = x.nums;
                c.stage = stage_of(id);
                p_.cohort_slots_.push_back(std::move(c));
                return;  // loaded before the run, like a fact
            }
            case expr_kind::call: {
                const std::string& f = x.text;
                if (f == "score") return;  // score(CODE): read by the cohort slot that ranks it (score_ref_node)
                if (f.rfind("cohort_", 0) == 0) {
                    cohort_slot c;
                    c.kind = f == "cohort_mean" ? cohort_kind::mean
                             : f == "cohort_min" ? cohort_kind::min
                             : f == "cohort_max" ? cohort_kind::max
                                                 : cohort_kind::count;
                    c.expr = id;
                    c.reg = in.dst;
                    c.value_reg = reg(0);
                    c.value_node = score_ref_node(x.args[0]);
                    if (x.has_among) c.among_reg = reg(x.args.size() - 1);  // over the units where it holds
                    c.stage = stage_of(id);
                    c.among_reg = within_case(c.among_reg);
                    p_.cohort_slots_.push_back(std::move(c));
                    return;
                }
                if (f == "min" || f == "max") {
                    in.op = f == "min" ? opcode::min : opcode::max;
                    in.n = operands(x.args);
                    in.count = static_cast<std::uint32_t>(x.args.size());
                } else if (f == "clamp") {
                    in.op = opcode::clamp;
                    in.a = reg(0);
                    in.b = reg(1);
                    in.c = reg(2);
                } else if (f == "round" || f == "round_even") {
                    in.op = opcode::round;
                    in.flag = f == "round_even";
                    in.a = reg(0);
                    in.k = constant(x.args.size() > 1 ? t_.exprs[x.args[1]].nums[0] : decimal(0));
                } else if (f == "floor") { in.op = opcode::floor; in.a = reg(0); }
                else if (f == "ceil") { in.op = opcode::ceil; in.a = reg(0); }
                else if (f == "abs") { in.op = opcode::abs; in.a = reg(0); }
                else { in.op = opcode::reach; in.a = reg(0); in.b = reg(1); }
                break;
            }
            case expr_kind::each: {
                const expr_node& s = t_.exprs[x.args[0]];
                in.k = constant(x.nums[0]);
                constant(x.nums[1]);
                in.flag = x.has_cap;
                if (s.kind == expr_kind::list) {
                    in.op = opcode::each_list;
                    in.n = operands(s.args);
                    in.count = static_cast<std::uint32_t>(s.args.size());
                } else {
                    in.op = opcode::each_count;
                    in.a = reg(0);
                }
                break;
            }
            case expr_kind::count: {
                const expr_node& s = t_.exprs[x.args[0]];
                in.op = opcode::count_list;
                in.n = operands(s.args);
                in.count = static_cast<std::uint32_t>(s.args.size());
                break;
            }
            case expr_kind::count_where: {
                // The list is an input (checked); its index is what the evaluator iterates.
                const symbol& ls = r_.symbols[x.args[0]];
                const auto jump_at = static_cast<std::uint32_t>(p_.code_.size());
                p_.code_.push_back(instruction{opcode::jump});
                const auto body = static_cast<std::uint32_t>(p_.code_.size());
                emit_expr(x.args[1]);
                const auto end = static_cast<std::uint32_t>(p_.code_.size());
                p_.code_[jump_at].n = end;
                in.op = opcode::count_where;
                in.a = ls.kind == symbol::kind_t::input ? ls.index : 0;
                in.b = loop_reg_[id];
                in.c = p_.reg_of_[x.args[1]];
                in.n = body;
                in.count = end - body;
                break;
            }
            case expr_kind::checklist:
                in.op = opcode::checklist;
                in.n = operands(x.args);
                in.count = static_cast<std::uint32_t>(x.args.size());
                in.k = static_cast<std::uint32_t>(p_.constants_.size());
                for (const auto& d : x.nums) constant(d);
                break;
            case expr_kind::points:
            case expr_kind::max_points:
                // The checker set nums: the points of each choice, in the input's order.
                in.op = x.kind == expr_kind::points ? opcode::pick : opcode::pick_max;
                in.a = x.kind == expr_kind::points ? reg(0) : r_.symbols[x.args[0]].index;
                in.count = static_cast<std::uint32_t>(x.nums.size());
                in.k = static_cast<std::uint32_t>(p_.constants_.size());
                for (const auto& d : x.nums) constant(d);
                break;
            case expr_kind::tier:
                in.op = opcode::tier;
                in.a = reg(0);
                in.n = static_cast<std::uint32_t>(p_.bands_.size());
                for (const auto& b : x.bands) {
                    // a bound read from the cohort: its register (flag: the fast path leaves such a tier alone)
                    p_.bands_.push_back({b.op, b.bound, b.score, b.level == no_id ? no_id : p_.reg_of_[b.level]});
                    in.flag = in.flag || b.level != no_id;
                }
                in.count = static_cast<std::uint32_t>(x.bands.size());
                in.k = constant(x.has_else ? x.nums[0] : decimal(0));
                break;
            case expr_kind::deduct:
            case expr_kind::penalty: {
                in.op = x.kind == expr_kind::deduct ? opcode::deduct : opcode::penalty;
                in.n = static_cast<std::uint32_t>(p_.terms_.size());
                for (const auto& t : x.terms) p_.terms_.push_back({t.per, p_.reg_of_[t.count]});
                in.count = static_cast<std::uint32_t>(x.terms.size());
                in.flag = x.has_cap;
                in.k = constant(x.nums[0]);
                constant(base_of(x, 1));
                break;
            }
            case expr_kind::drop:
                in.op = opcode::drop;
                in.a = reg(0);
                in.flag = x.args.size() > 1;  // the level in register b (a cohort aggregate), not a constant
                if (in.flag) in.b = reg(1);
                in.k = constant(x.nums[0]);
                constant(x.nums[1]);
                constant(x.nums[2]);
                constant(base_of(x, 3));
                break;
        }
        p_.code_.push_back(in);
    }

    // The node of score(CODE), or no_id for any other expression.
    node_id score_ref_node(expr_id e) const {
        if (e == no_id) return no_id;
        const expr_node& x = t_.exprs[e];
        if (x.kind != expr_kind::call || x.text != "score" || x.args.size() != 1) return no_id;
        return find_node(t_, t_.exprs[x.args[0]].text);
    }

    // The measuring pass of cohort form e (checked_rubric::cohort_stages; sorted cohort_forms).
    std::uint32_t stage_of(expr_id e) const {
        const auto& f = r_.cohort_forms;
        const auto it = std::lower_bound(f.begin(), f.end(), e);
        const std::size_t i = static_cast<std::size_t>(it - f.begin());
        return it != f.end() && *it == e && i < r_.cohort_stages.size() ? r_.cohort_stages[i] : 0;
    }

    decimal base_of(const expr_node& x, std::size_t at) const {
        if (x.has_base) return x.nums[at];
        const node& n = t_.nodes[current_item_];
        return n.points ? *n.points : decimal();
    }

public:
    // (register, constant) pairs: registers of choice words, loaded with the word's index.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> word_constants_;
};

}  // namespace detail

RUBRIC_FUNC program_ptr compile(checked_rubric rubric) {
    auto p = std::make_shared<program>();
    auto shared = std::make_shared<const checked_rubric>(std::move(rubric));
    p->rubric_ = shared;
    detail::lowering low(*p, *shared);
    low.run();
    // Constant registers: literals and choice words are loaded once per evaluation
    // context (evaluation::prepare), never per run. Record them as a preamble.
    for (std::uint32_t e = 0; e < shared->tree.exprs.size(); ++e) {
        const expr_node& x = shared->tree.exprs[e];
        if (x.kind == expr_kind::number || x.kind == expr_kind::boolean) {
            p->preamble_regs_.push_back(e);
            p->preamble_values_.push_back(x.nums[0]);
        }
    }
    for (const auto& [reg, k] : low.word_constants_) {
        p->preamble_regs_.push_back(reg);
        p->preamble_values_.push_back(p->constants_[k]);
    }
    // Their sizes, once, for evaluation_steps().
    for (const decimal& k : p->constants_) p->constant_sizes_.push_back(size_of_value(k));
    for (const decimal& v : p->preamble_values_) p->preamble_sizes_.push_back(size_of_value(v));
    return p;
}

}  // namespace rubric
