// Fuzz target 9: grammar-aware. The fuzzer's bytes are not rubric text but choices: a small
// generator reads them one at a time and writes a rubric that parses (mostly), in English or
// Chinese keywords, aimed at the corners that cost: deep and long expressions, huge tier
// lists, long identifiers, many items and inputs. Then the whole pipeline runs on it, as
// `rubric eval` does: parse, check, compile, and a season run (rubric::run) over generated
// JSON-lines facts, with cohort rules among the possibilities.
//
// Properties, beyond "no crash, no leak, no exception": every unit's scores keep their
// promises (rubric_fuzz::check_scores); an error is a diagnostic with a position inside the
// text. Slow (-timeout in .ci/fuzz) or memory-hungry (-rss_limit_mb) inputs are findings too:
// the limits must bound the work whatever the generator asks for.
//
// When the bytes run out every further choice is 0, so any input makes a complete rubric.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_common.hpp"

namespace {

using namespace rubric;

// The generated text stays below this (the limits allow 16 MiB, which would only make the
// fuzzer slow: the costly shapes show long before).
constexpr std::size_t max_text = 64 * 1024;
// Calls of value() and condition() per rubric: `a + b` at depth 40 would otherwise make 2^40.
constexpr unsigned max_nodes = 20000;

class chooser {
public:
    chooser(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
    unsigned byte() { return at_ < n_ ? d_[at_++] : 0; }
    unsigned below(unsigned n) { return n ? byte() % n : 0; }
    // A size: mostly small, sometimes large (the costly corners), up to `big`.
    unsigned size(unsigned small, unsigned big) {
        const unsigned b = byte();
        return b >= 250 ? big - below(big / 4 + 1) : b % (small + 1);
    }

private:
    const std::uint8_t* d_;
    std::size_t n_, at_ = 0;
};

struct input_decl {
    std::string name;
    int type;  // 0 bool, 1 count, 2 percent, 3 decimal, 4 list of decimal
};

class generator {
public:
    explicit generator(chooser& c) : c_(c) {}

    std::string rubric() {
        zh_ = c_.below(3) == 0;
        const unsigned items = c_.size(6, 400);
        out_ = kw("rubric ", "评价体系 ") + "\"F\" { " + kw("total ", "总分 ") + std::to_string(c_.size(100, 1000000));
        if (c_.below(2)) out_ += std::string(" ") + kw("rounding ", "保留小数 ") + std::to_string(c_.below(5));
        switch (c_.below(4)) {
            case 1: out_ += kw(" missing zero", " 缺失 零"); break;
            case 2: out_ += kw(" missing error", " 缺失 报错"); break;
            default: break;
        }
        out_ += " }\n";
        unsigned section = 0;
        for (unsigned i = 0; i < items && out_.size() < max_text; ++i) {
            if (c_.below(4) == 0) {
                ++section;
                sub_ = 0;
                out_ += kw("section ", "指标 ") + std::to_string(section) + " \"S\" " + std::to_string(1 + c_.below(20)) + " {\n";
                for (unsigned k = 1 + c_.below(3); k-- && out_.size() < max_text;)
                    item(std::to_string(section) + "." + std::to_string(++sub_));
                out_ += "}\n";
            } else {
                ++section;
                item(std::to_string(section));
            }
        }
        return out_;
    }

    const std::vector<input_decl>& inputs() const { return inputs_; }

private:
    std::string kw(const char* en, const char* zh) const { return zh_ ? zh : en; }

    std::string identifier() {
        std::string s = c_.below(2) ? "x" : "指标值";
        const unsigned extra = c_.size(3, 5000);  // long names (rarely): past the 4096-byte name limit
        for (unsigned i = 0; i < extra; ++i) s += static_cast<char>('a' + c_.below(26));
        s += std::to_string(inputs_.size());
        return s;
    }

    std::string number() {
        switch (c_.below(6)) {
            case 0: return std::to_string(c_.byte());
            case 1: return std::to_string(c_.below(10)) + "." + std::to_string(c_.byte());
            case 2: return std::to_string(c_.below(101)) + "%";
            case 3: return std::string(1 + c_.size(2, 60), '9');  // past the digit limit: E-number
            default: return std::to_string(c_.below(5));
        }
    }

    // An input of the item being written, of type `type` (-1: any); declares one if needed.
    const input_decl* pick(int type) {
        std::vector<const input_decl*> fit;
        for (std::size_t i = item_inputs_; i < inputs_.size(); ++i)
            if (type < 0 || inputs_[i].type == type) fit.push_back(&inputs_[i]);
        if (fit.empty() || c_.below(4) == 0) return nullptr;
        return fit[c_.below(static_cast<unsigned>(fit.size()))];
    }

    std::string value(unsigned depth) {
        if (out_.size() > max_text || ++nodes_ > max_nodes) return "1";
        if (depth == 0) {
            const input_decl* in = pick(-1);
            return in && in->type != 0 && in->type != 4 ? in->name : number();
        }
        switch (c_.below(11)) {
            case 0: return value(depth - 1) + " + " + value(depth - 1);
            case 1: return value(depth - 1) + " * " + value(depth - 1);
            case 2: return value(depth - 1) + " / " + value(depth - 1);
            case 3: return "(" + value(depth - 1) + ")";
            case 4: return "min(" + value(depth - 1) + ", " + value(depth - 1) + ")";
            case 5:  // bracketed: `if` is not an operand of + or * by itself
                return "(" + kw("if ", "如果 ") + condition(depth - 1) + kw(" then ", " 则 ") + value(depth - 1) + kw(" else ", " 否则 ") +
                       value(depth - 1) + ")";
            case 6: {  // a deep chain of brackets: the nesting limit
                const unsigned n = c_.size(4, 400);
                return std::string(n, '(') + value(0) + std::string(n, ')');
            }
            case 7: {  // a long flat sum: the expression count, no recursion
                std::string s = value(0);
                for (unsigned n = c_.size(4, 5000); n-- && s.size() < max_text;) s += " + " + value(0);
                return s;
            }
            case 8: {
                const input_decl* l = pick(4);
                if (!l) return value(0);
                const std::string h = "h" + std::to_string(depth);
                return "count " + h + " in " + l->name + " where " + h + " >= " + number();
            }
            default: return value(0);
        }
    }

    std::string condition(unsigned depth) {
        if (++nodes_ > max_nodes) return "1 >= 0";
        if (depth == 0 || c_.below(3) == 0) {
            if (const input_decl* b = pick(0)) return b->name;
            return value(0) + (c_.below(2) ? " >= " : " < ") + value(0);
        }
        switch (c_.below(4)) {
            case 0: return condition(depth - 1) + kw(" and ", " 并且 ") + condition(depth - 1);
            case 1: return condition(depth - 1) + kw(" or ", " 或者 ") + condition(depth - 1);
            case 2: return kw("not ", "非 ") + condition(depth - 1);
            default: return value(depth - 1) + " >= " + value(depth - 1);
        }
    }

    std::string tier(const std::string& of) {
        std::string s = kw("tier ", "分档 ") + of;
        const unsigned n = 1 + c_.size(4, 4000);  // huge tier lists
        // now and then a band above the cohort's mean of the value (a threshold in a register)
        for (unsigned i = 0; i < n && s.size() < max_text; ++i)
            s += " >=" + (c_.below(8) == 0 ? "cohort_mean(" + of + ")" : std::to_string(n - i)) + ":" + std::to_string(c_.below(3));
        return s;
    }

    std::string score() {
        const unsigned depth = c_.size(3, 40);
        switch (c_.below(8)) {
            case 0: {
                const input_decl* in = pick(-1);
                return tier(in && in->type != 0 && in->type != 4 ? in->name : value(1));
            }
            case 1: {
                const input_decl* in = pick(1);
                return "deduct " + std::to_string(1 + c_.below(3)) + " per " + (in ? in->name : value(0)) + " max " + std::to_string(c_.below(10));
            }
            case 2: {
                const input_decl* in = pick(1);
                return "each 0.5 max " + std::to_string(c_.below(5)) + " of " + (in ? in->name : value(0));
            }
            case 3: {
                const input_decl* in = pick(2);
                if (in) return "rank " + in->name + (c_.below(2) ? " higher" : " lower") + " linear 2..0";
                return value(depth);
            }
            default: return value(depth);
        }
    }

    void item(const std::string& code) {
        out_ += kw("item ", "评分项 ") + code + " \"I\" " + std::to_string(c_.below(30)) + " {\n";
        item_inputs_ = inputs_.size();
        for (unsigned n = c_.size(3, 200); n-- && out_.size() < max_text;) {
            static const char* const en[] = {"bool", "count", "percent", "decimal", "list of decimal"};
            static const char* const zh[] = {"是否", "计数", "百分比", "数值", "列表 数值"};
            const int type = static_cast<int>(c_.below(5));
            inputs_.push_back({identifier(), type});
            out_ += "  " + kw("input ", "输入 ") + inputs_.back().name + ": " + (zh_ ? zh[type] : en[type]) + "\n";
        }
        out_ += "  " + kw("score ", "得分 ") + score() + "\n}\n";
    }

    chooser& c_;
    bool zh_ = false;
    std::string out_;
    std::vector<input_decl> inputs_;
    std::size_t item_inputs_ = 0;
    unsigned sub_ = 0;
    unsigned nodes_ = 0;
};

// JSON lines: a few units, each giving some of the inputs (a list may be long: eval_steps).
std::string facts_for(const program& p, chooser& c) {
    std::string s;
    const unsigned units = 1 + c.size(4, 60);
    for (unsigned u = 0; u < units; ++u) {
        s += "{\"entity\": \"u" + std::to_string(u) + "\"";
        for (const auto& in : p.inputs()) {
            if (c.below(4) == 0) continue;
            s += ", \"" + in.name + "\": ";
            switch (c.below(5)) {
                case 0: s += c.below(2) ? "true" : "false"; break;
                case 1: s += std::to_string(c.byte()); break;
                case 2: s += "\"" + std::to_string(c.below(101)) + "%\""; break;
                case 3: {
                    s += "[";
                    for (unsigned n = c.size(3, 20000); n--;) s += std::to_string(c.below(10)) + (n ? "," : "");
                    s += "]";
                    break;
                }
                default: s += "0." + std::to_string(c.byte()); break;
            }
        }
        s += "}\n";
    }
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    chooser c(data, size);
    generator g(c);
    const std::string text = g.rubric();

    // RUBRIC_FUZZ_DUMP=1: the generated rubric and its first diagnostic on stderr (to see what
    // an input of the corpus or a finding makes).
    const bool dump = std::getenv("RUBRIC_FUZZ_DUMP") != nullptr;
    if (dump) std::fprintf(stderr, "%s\n", text.substr(0, 4000).c_str());
    const source_ptr src = make_source("structured.rubric", text);
    parse_result parsed = parse(src);
    if (dump && !parsed.diags.empty()) std::fprintf(stderr, "parse: %s\n", render(parsed.diags.front()).c_str());
    for (const auto& d : parsed.diags) rubric_fuzz::check_position(src, d.where.begin, d.code.c_str());
    rubric_fuzz::render_all(parsed.diags);
    if (!parsed.tree) return 0;
    check_result checked = check(std::move(*parsed.tree));
    rubric_fuzz::render_all(checked.diags);
    if (dump && !checked.diags.empty()) std::fprintf(stderr, "check: %s\n", render(checked.diags.front()).c_str());
    if (!checked.rubric) return 0;
    const program_ptr prog = compile(std::move(*checked.rubric));
    const program& p = *prog;

    const limits lim;
    run_options o;
    o.binding = lim.binding();
    o.skip_bad = true;
    o.binding.allow_unknown = true;
    const auto facts = facts_text("structured.jsonl", facts_for(p, c), facts_format::jsonl, lim.facts());
    callback_sink sink([&](const scored_unit& u) { rubric_fuzz::check_scores(p, u.ev, std::string(u.entity)); });
    const run_result r = run(p, *facts, sink, o);
    rubric_fuzz::render_all(r.diags);
    if (dump) std::fprintf(stderr, "run: %zu scored, %zu bad\n", r.scored, r.bad);
    return 0;
}
