// Definitions for rubric/format.hpp: the canonical formatter.
//
// Three steps. (1) A lexer cuts the source into tokens, comments included,
// noting how many line breaks preceded each. (2) The grammar's own parse tree
// (PEGTL, with a selector of our own; the grammar is not changed; built in the parse unit,
// detail/format_syntax.hpp, the only unit that includes the grammar) marks what the
// lexer cannot know: which token starts a clause or a declaration, which braces
// open blocks, which `>=` and `:` belong to a tier band, which `-` is a sign.
// (3) A layout pass decides the separator before every token (nothing, a space,
// a line break, a blank line) and prints, aligning trailing comments.
// Finally the result is parsed again and compared with the source's syntax tree.
#pragma once

#include <algorithm>
#include <memory>
#include <string_view>
#include <vector>

#include "rubric/config.hpp"
#include "rubric/detail/format_syntax.hpp"
#include "rubric/format.hpp"
#include "rubric/grammar/punctuation.hpp"  // a table, no PEGTL: shared with the parser
#include "rubric/parse.hpp"

namespace rubric {
namespace detail {
namespace pretty {

constexpr std::size_t npos = static_cast<std::size_t>(-1);
constexpr std::size_t indent_width = 2;
constexpr std::size_t align_limit = 80;  // code wider than this does not take part in comment alignment

enum class kind : unsigned char { word, number, string, punct, comment };
enum class sep : unsigned char { none, space, space2, trailing, newline, blank };

struct token {
    kind k = kind::word;
    std::string text;                // canonical: what the layout looks at, and what is printed
    std::string raw;                 // the source text, printed instead when `verbatim`
    std::size_t begin = 0, end = 0;  // source bytes
    unsigned nl = 0;                 // line breaks in the source before it: 0, 1, or 2 (a blank line)
    bool glue_left = false, glue_right = false;
    bool member = false;    // the first token of a clause or declaration in a block (or at the top)
    bool top = false;       // … at the top level
    bool head = false;      // part of a declaration's head, before its `{`
    bool block_decl = false;  // the first token of a header, section, item, bonus or task
    bool open = false, close = false, expanded = false;  // block braces
    bool drop = false;      // `;`
    bool verbatim = false;  // inside a `given` value: printed as written
    bool in_unit = false;   // a `given`/`expect` after `unit "…"` in a cohort test: one step in
    std::size_t match = npos;
    sep before = sep::newline;

    [[nodiscard]] bool is(std::string_view p) const { return k == kind::punct && text == p; }
};

// --- lexing -----------------------------------------------------------------

inline std::size_t space_at(const std::string& s, std::size_t i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
    if (s.compare(i, 3, "\xE3\x80\x80") == 0) return 3;  // U+3000 ideographic space
    return 0;
}

// Punctuation prints as ASCII: the non-ASCII forms of grammar/punctuation.hpp as their
// ASCII, and these as themselves. One character each (and `..`); `>=` `<=` `!=` `==` are
// put together from two by lex(), so that `＞＝`, `＞=` and `>＝` print `>=` (the grammar
// reads each character on its own: eq_char, gt_char …).
inline constexpr const char* ascii_puncts[] = {"..", "=", ">", "<", "!", "+", "-", "*", "/", ":", ",",
                                               "(", ")", "[", "]", "{", "}", ";"};

// The punctuation at `i`: its length (0 if none) and, in `printed`, how it prints.
inline std::size_t punct_at(const std::string& s, std::size_t i, std::string& printed) {
    const char* ascii = nullptr;
    if (const std::size_t n = grammar::non_ascii_punctuation_at(s, i, ascii)) {
        printed = ascii;
        return n;
    }
    for (const char* p : ascii_puncts) {
        const std::size_t n = std::char_traits<char>::length(p);
        if (s.compare(i, n, p) == 0) {
            printed = p;
            return n;
        }
    }
    return 0;
}

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// False (with the offset) at a character no token starts with; cannot happen
// for a text that parsed.
inline bool lex(const std::string& s, std::size_t from, std::vector<token>& out, std::size_t& bad) {
    std::size_t i = from, last_end = from;
    while (i < s.size()) {
        if (const std::size_t n = space_at(s, i)) {
            i += n;
            continue;
        }
        token t;
        t.begin = i;
        const char c = s[i];
        if (c == '#') {
            std::size_t e = s.find('\n', i);
            if (e == std::string::npos) e = s.size();
            t.k = kind::comment;
            std::size_t te = e;
            while (te > i && (s[te - 1] == ' ' || s[te - 1] == '\t' || s[te - 1] == '\r')) --te;
            t.text = s.substr(i, te - i);
            i = e;
        } else if (c == '"') {
            std::size_t e = i + 1;
            while (e < s.size() && s[e] != '"') e += s[e] == '\\' ? 2 : 1;
            e = std::min(e + 1, s.size());
            t.k = kind::string;
            t.text = s.substr(i, e - i);
            i = e;
        } else if (is_digit(c)) {
            std::size_t e = i;
            while (e < s.size() && is_digit(s[e])) ++e;
            while (e + 1 < s.size() && s[e] == '.' && is_digit(s[e + 1])) {
                ++e;
                while (e < s.size() && is_digit(s[e])) ++e;
            }
            t.k = kind::number;
            t.text = s.substr(i, e - i);
            if (e < s.size() && s[e] == '%') {
                t.text += '%';
                e += 1;
            } else if (s.compare(e, 3, "\xEF\xBC\x85") == 0) {  // ％
                t.text += '%';
                e += 3;
            } else if (s.compare(e, 3, "\xE5\x88\x86") == 0) {  // 分
                t.text += "\xE5\x88\x86";
                e += 3;
            }
            i = e;
        } else if (const std::size_t id = identifier_length(s, i)) {
            // A keyword ends where the grammar says (最高2分 is 最高 then 2分).
            std::size_t n = id;
            if (const std::size_t kw = keyword_length(s, i)) {
                std::size_t k = 0;
                while (k < kw && !space_at(s, i + k) && s[i + k] != '#') ++k;
                n = std::min(n, k);
            }
            t.k = kind::word;
            t.text = s.substr(i, n);
            i += n;
        } else if (std::size_t n = punct_at(s, i, t.text)) {
            // `>` `<` `!` `=` then `=` (either full-width or not) is one operator: `>=`, `<=`, `!=`, `==`
            std::string second;
            if ((t.text == ">" || t.text == "<" || t.text == "!" || t.text == "=") && i + n < s.size()) {
                const std::size_t m = punct_at(s, i + n, second);
                if (m != 0 && second == "=") {
                    t.text += '=';
                    n += m;
                }
            }
            t.k = kind::punct;
            i += n;
        } else {
            bad = i;
            return false;
        }
        t.end = i;
        const auto breaks = std::count(s.begin() + static_cast<std::ptrdiff_t>(last_end),
                                       s.begin() + static_cast<std::ptrdiff_t>(t.begin), '\n');
        t.nl = static_cast<unsigned>(std::min<std::ptrdiff_t>(breaks, 2));
        last_end = t.end;
        out.push_back(std::move(t));
    }
    return true;
}

// --- marking from the parse tree ----------------------------------------------

class marker {
public:
    marker(const std::string& s, std::vector<token>& toks) : s_(s), toks_(toks) {}

    void walk(const syntax_tree& tree) {
        for (const syntax_node& n : tree.nodes) mark(n, tree);
    }

    std::vector<std::size_t> colon_after;  // input names written without `:`

private:
    const std::string& s_;
    std::vector<token>& toks_;

    // The first token at or after byte `b`.
    std::size_t at(std::size_t b) const {
        const auto it = std::lower_bound(toks_.begin(), toks_.end(), b,
                                         [](const token& t, std::size_t off) { return t.begin < off; });
        return static_cast<std::size_t>(it - toks_.begin());
    }
    std::size_t next_code(std::size_t i) const {
        ++i;
        while (i < toks_.size() && toks_[i].k == kind::comment) ++i;
        return i;
    }

    void mark(const syntax_node& n, const syntax_tree& tree) {
        const std::size_t b = n.begin, e = n.end;
        const std::size_t k = at(b);
        if (k >= toks_.size() || toks_[k].begin != b) return;
        token& t = toks_[k];
        if (n.rule == syntax_rule::header || n.rule == syntax_rule::header_field || n.rule == syntax_rule::section_member ||
            n.rule == syntax_rule::item_member || n.rule == syntax_rule::task_member || n.rule == syntax_rule::test_member ||
            n.rule == syntax_rule::file_member)
            t.member = true;
        if (n.rule == syntax_rule::header || n.rule == syntax_rule::section_decl || n.rule == syntax_rule::item_decl ||
            n.rule == syntax_rule::bonus_decl || n.rule == syntax_rule::adjustments_decl || n.rule == syntax_rule::task_decl ||
            n.rule == syntax_rule::test_decl) {
            for (std::size_t j = k; j < toks_.size() && !toks_[j].is("{"); ++j) toks_[j].head = true;
            t.block_decl = n.rule != syntax_rule::test_decl;
            if (n.rule == syntax_rule::test_decl) {
                // a cohort test: the clauses of each unit are indented under its `unit "…"`
                bool unit_seen = false;
                for (const std::size_t ci : n.children) {
                    const syntax_node& c = tree.nodes[ci];
                    if (c.rule != syntax_rule::test_member) continue;
                    const std::size_t m = at(c.begin);
                    if (m >= toks_.size()) continue;
                    if (toks_[m].text == "unit" || toks_[m].text == "单位") unit_seen = true;
                    else if (unit_seen) toks_[m].in_unit = true;
                }
            }
        } else if (n.rule == syntax_rule::tier_band) {
            // >=90%:3 is printed tight, as one unit
            t.glue_right = true;
            for (std::size_t j = k; j < toks_.size() && toks_[j].begin < e; ++j)
                if (toks_[j].is(":")) toks_[j].glue_left = toks_[j].glue_right = true;
        } else if (n.rule == syntax_rule::neg) {
            t.glue_right = true;
        } else if (n.rule == syntax_rule::signed_amount) {
            if (t.k == kind::punct) t.glue_right = true;  // max +5, min -10: the sign stays on its number
        } else if (n.rule == syntax_rule::call) {
            const std::size_t p = next_code(k);
            if (p < toks_.size()) toks_[p].glue_left = true;
        } else if (n.rule == syntax_rule::expect_fraction) {
            t.glue_left = t.glue_right = true;  // expect 1 = 2/3
        } else if (n.rule == syntax_rule::cmp_op) {
            if (t.text == "=") t.text = "==";
        } else if (n.rule == syntax_rule::given_value) {
            // The value's text goes to the facts reader as written: keep its characters.
            for (std::size_t j = k; j < toks_.size() && toks_[j].begin < e; ++j) {
                toks_[j].verbatim = true;
                toks_[j].raw = s_.substr(toks_[j].begin, toks_[j].end - toks_[j].begin);
            }
        } else if (n.rule == syntax_rule::input_name) {
            const std::size_t p = next_code(k);
            if (p >= toks_.size() || !toks_[p].is(":")) colon_after.push_back(k);
        }
    }
};

// --- layout -------------------------------------------------------------------

struct line {
    std::string code;
    std::string comment;  // a trailing comment
};

class layout {
public:
    explicit layout(std::vector<token>& toks) : t_(toks) {}

    void prepare() {
        // Lexical glue, braces and their matching, top-level members.
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < t_.size(); ++i) {
            token& t = t_[i];
            if (t.k != kind::punct) continue;
            if (t.text == "," || t.text == ")" || t.text == "]" || t.text == ":") t.glue_left = true;
            if (t.text == "(" || t.text == "[") t.glue_right = true;
            if (t.text == "..") {
                t.glue_left = true;
                t.glue_right = i + 1 < t_.size() && t_[i + 1].k == kind::number;
            }
            if (t.text == "{" && !t.verbatim) {
                t.open = true;
                open.push_back(i);
            } else if (t.text == "}" && !t.verbatim && !open.empty()) {
                t.close = true;
                t.match = open.back();
                t_[open.back()].match = i;
                open.pop_back();
            }
        }
        std::size_t depth = 0;
        for (auto& t : t_) {
            if (t.member && depth == 0) t.top = true;
            if (t.open) ++depth;
            if (t.close && depth) --depth;
        }
        for (std::size_t i = 0; i < t_.size(); ++i) {
            token& o = t_[i];
            if (!o.open || o.match == npos) continue;
            bool content = false, spread = false;
            for (std::size_t j = i + 1; j <= o.match; ++j) {
                if (j < o.match) content = true;
                if (t_[j].nl > 0 || (j < o.match && (t_[j].open || t_[j].k == kind::comment))) spread = true;
            }
            o.expanded = content && spread;
            t_[o.match].expanded = o.expanded;
        }
    }

    void separators() {
        std::vector<bool> blocks;  // expanded?
        bool pending = false;      // a line break that stood before a `,` or `)` goes after it
        for (std::size_t i = 0; i < t_.size(); ++i) {
            token& t = t_[i];
            const token* p = i ? &t_[i - 1] : nullptr;
            const bool expanded_here = blocks.empty() || blocks.back();
            sep s = sep::space;
            if (!p) {
                s = sep::newline;
            } else if (t.k == kind::comment) {
                if (t.nl == 0) s = sep::trailing;
                else s = t.nl >= 2 && !after_open(i) && between_members(i) ? sep::blank : sep::newline;
            } else if (t.open) {
                s = sep::space;
            } else if (t.close) {
                s = t.expanded ? sep::newline : (p == &t_[t.match] ? sep::none : sep::space);
                pending = false;
            } else if (t.member) {
                if (expanded_here) s = t.nl >= 2 && !after_open(i) ? sep::blank : sep::newline;
                else s = p->open ? sep::space : sep::space2;
                pending = false;
            } else if (p->is("(") || p->is("[")) {
                // a bracket the author broke after stays broken (its lines are indented one step)
                s = t.nl > 0 && !t.glue_left && !t.head ? sep::newline : sep::none;
            } else if (t.glue_left || p->glue_right) {
                s = sep::none;
                if (t.glue_left && t.nl > 0 && !t.head) pending = true;
            } else if (t.head) {
                s = sep::space;
            } else if (t.nl > 0 || pending) {
                s = sep::newline;
                pending = false;
            }
            if (p && p->k == kind::comment && (s == sep::none || s == sep::space || s == sep::space2))
                s = sep::newline;
            t.before = s;
            if (t.open) blocks.push_back(t.expanded);
            if (t.close && !blocks.empty()) blocks.pop_back();
        }
        // One blank line around every top-level header, section, item, bonus or
        // task that spans lines, placed before the comments that lead into the
        // next declaration. (Tests keep the author's grouping.)
        std::vector<std::size_t> tops;
        for (std::size_t i = 0; i < t_.size(); ++i)
            if (t_[i].top) tops.push_back(i);
        std::vector<bool> multi(tops.size(), false);
        for (std::size_t k = 0; k < tops.size(); ++k) {
            if (!t_[tops[k]].block_decl) continue;
            const std::size_t stop = k + 1 < tops.size() ? tops[k + 1] : t_.size();
            for (std::size_t j = tops[k] + 1; j < stop; ++j)
                if (t_[j].k != kind::comment && (t_[j].before == sep::newline || t_[j].before == sep::blank))
                    multi[k] = true;
        }
        for (std::size_t k = 1; k < tops.size(); ++k) {
            if (!multi[k - 1] && !multi[k]) continue;
            std::size_t j = tops[k];
            while (j - 1 > tops[k - 1] && t_[j - 1].k == kind::comment &&
                   (t_[j - 1].before == sep::newline || t_[j - 1].before == sep::blank)) {
                --j;
                if (t_[j].before == sep::blank) break;
            }
            if (t_[j].before == sep::newline) t_[j].before = sep::blank;
        }
    }

    std::vector<line> print() {
        std::vector<line> lines;
        std::size_t depth = 0, col = 0, hang = 0;
        std::size_t member = npos, member_indent = 0;  // the clause being printed
        bool broken = false;                           // has it had a continuation line yet?
        std::vector<std::size_t> brackets;  // the column lines inside an open bracket start at
        for (std::size_t i = 0; i < t_.size(); ++i) {
            const token& t = t_[i];
            if (t.before == sep::trailing && !lines.empty()) {
                lines.back().comment = t.text;
                continue;
            }
            if (t.close && depth) --depth;
            if (t.before == sep::newline || t.before == sep::blank || lines.empty()) {
                if (t.before == sep::blank && !lines.empty()) lines.emplace_back();
                std::size_t indent;
                if (t.member || t.close) {
                    indent = depth * indent_width + (t.in_unit ? indent_width : 0);
                } else if (t.k == kind::comment) {
                    std::size_t n = i + 1;
                    while (n < t_.size() && t_[n].k == kind::comment) ++n;
                    indent = n == t_.size() || t_[n].member || t_[n].close ? depth * indent_width : continuation(brackets, hang);
                } else {
                    if (!broken && brackets.empty() && member != npos && right_after_head(i, member))
                        hang = member_indent + indent_width;  // score "label":⏎ — one step in
                    broken = true;
                    indent = continuation(brackets, hang);
                }
                lines.emplace_back();
                lines.back().code.assign(indent, ' ');
                col = indent;
            } else if (t.before == sep::space) {
                lines.back().code += ' ';
                col += 1;
            } else if (t.before == sep::space2) {
                lines.back().code += "  ";
                col += 2;
            }
            if (t.member) brackets.clear();
            const std::size_t start = col;
            const std::string& text = t.verbatim && t.k != kind::comment ? t.raw : t.text;
            // A text may run over several lines: its later lines are printed as they are.
            std::size_t from = 0;
            for (std::size_t nlpos; (nlpos = text.find('\n', from)) != std::string::npos; from = nlpos + 1) {
                lines.back().code.append(text, from, nlpos - from);
                lines.emplace_back();
                col = 0;
            }
            lines.back().code.append(text, from, std::string::npos);
            col += display_width(std::string_view(text).substr(from));
            if (t.member) {
                hang = start + display_width(t.text) + 1;
                member = i;
                member_indent = start;
                broken = false;
            }
            if (t.open) ++depth;
            if (t.k == kind::punct && (t.text == "(" || t.text == "[")) {
                // [a,⏎ b] aligns b under a; [⏎ a, b] indents a one step from the line's indent
                const bool inline_next = i + 1 < t_.size() && (t_[i + 1].before == sep::none || t_[i + 1].before == sep::space);
                const std::string& code = lines.back().code;
                const std::size_t line_indent = std::min(code.find_first_not_of(' '), code.size());
                brackets.push_back(inline_next ? col : line_indent + indent_width);
            } else if (t.k == kind::punct && (t.text == ")" || t.text == "]") && !brackets.empty()) {
                brackets.pop_back();
            }
        }
        return lines;
    }

private:
    std::vector<token>& t_;

    // Does token i come right after a `{` (and perhaps the comment trailing it)?
    bool after_open(std::size_t i) const {
        while (i > 0 && t_[i - 1].k == kind::comment && t_[i - 1].before == sep::trailing) --i;
        return i > 0 && t_[i - 1].open;
    }
    // Is the comment at i followed (past other comments) by a clause, a `}` or the end?
    bool between_members(std::size_t i) const {
        while (i < t_.size() && t_[i].k == kind::comment) ++i;
        return i == t_.size() || t_[i].member || t_[i].close;
    }
    // Is token i the first after a clause's keyword, or after its `"label":`?
    bool right_after_head(std::size_t i, std::size_t member) const {
        std::size_t p = i;
        const auto back = [&] {
            do --p;
            while (p > member && t_[p].k == kind::comment);
        };
        back();
        if (p == member) return true;
        if (!t_[p].is(":")) return false;
        back();
        if (t_[p].k != kind::string) return false;
        back();
        return p == member;
    }
    static std::size_t continuation(const std::vector<std::size_t>& brackets, std::size_t hang) {
        return !brackets.empty() ? brackets.back() : hang;
    }
};

// Trailing comments on consecutive lines start in one column, two spaces after
// the widest code among them; a line without one, or with code wider than
// align_limit, ends the run.
inline std::string join(std::vector<line>& lines) {
    std::string out;
    std::vector<std::size_t> widths(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) widths[i] = display_width(lines[i].code);
    std::size_t i = 0;
    while (i < lines.size()) {
        const auto aligns = [&](std::size_t k) {
            return !lines[k].comment.empty() && widths[k] <= align_limit;
        };
        std::size_t j = i, column = 0;
        while (j < lines.size() && aligns(j)) column = std::max(column, widths[j++]);
        if (j == i) j = i + 1;
        for (std::size_t k = i; k < j; ++k) {
            out += lines[k].code;
            if (!lines[k].comment.empty()) {
                const std::size_t target = aligns(k) ? column : widths[k];
                out.append(target - widths[k] + 2, ' ');
                out += lines[k].comment;
            }
            out += '\n';
        }
        i = j;
    }
    return out;
}

// Given values are compared without white space (the facts reader trims it).
inline std::string squeeze(std::string_view s) {
    std::string r;
    for (const char c : s)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') r += c;
    return r;
}

}  // namespace pretty
}  // namespace detail

RUBRIC_FUNC bool same_syntax(const ast& a, const ast& b, std::string* difference) {
    std::string why;
    const auto differ = [&](std::string what) {
        if (why.empty()) why = std::move(what);
        return false;
    };
    const auto finish = [&](bool ok) {
        if (!ok && difference) *difference = why;
        return ok;
    };
    const rubric_header &ha = a.header, &hb = b.header;
    if (a.has_header != b.has_header || ha.title != hb.title || ha.document != hb.document ||
        ha.issuer != hb.issuer || ha.date != hb.date || ha.edition != hb.edition || ha.note != hb.note ||
        ha.total != hb.total || ha.display_places != hb.display_places ||
        ha.display_rounding != hb.display_rounding || ha.missing != hb.missing ||
        ha.missing_value != hb.missing_value)
        return finish(differ("the header"));
    if (a.roots != b.roots) return finish(differ("the top-level declarations"));
    if (a.nodes.size() != b.nodes.size()) return finish(differ("the number of sections, items and tasks"));
    for (std::size_t i = 0; i < a.nodes.size(); ++i) {
        const node &x = a.nodes[i], &y = b.nodes[i];
        const metadata &m = x.meta, &n = y.meta;
        bool same = x.kind == y.kind && x.code == y.code && x.code_explicit == y.code_explicit && x.name == y.name &&
                    x.points == y.points && x.adjust_max == y.adjust_max && x.adjust_min == y.adjust_min &&
                    x.parent == y.parent && x.children == y.children &&
                    x.subject == y.subject && x.inputs == y.inputs && x.ratios == y.ratios &&
                    m.requirement == n.requirement && m.standard == n.standard && m.method == n.method &&
                    m.evidence == n.evidence && m.owners == n.owners && m.lead == n.lead && m.support == n.support &&
                    m.deadline == n.deadline && m.measures == n.measures && m.note == n.note &&
                    x.parts.size() == y.parts.size() && x.by == y.by && x.case_index == y.case_index &&
                    x.cases.size() == y.cases.size();
        for (std::size_t k = 0; same && k < x.cases.size(); ++k) same = x.cases[k].words == y.cases[k].words;
        for (std::size_t k = 0; same && k < x.parts.size(); ++k)
            same = x.parts[k].label == y.parts[k].label && x.parts[k].expr == y.parts[k].expr;
        if (!same) return finish(differ("declaration " + std::to_string(i + 1) + " (\"" + x.name + "\")"));
    }
    if (a.inputs.size() != b.inputs.size()) return finish(differ("the number of inputs"));
    for (std::size_t i = 0; i < a.inputs.size(); ++i) {
        const input_decl &x = a.inputs[i], &y = b.inputs[i];
        if (x.name != y.name || x.type != y.type || x.element != y.element || x.lo != y.lo || x.hi != y.hi ||
            x.choices != y.choices || x.choice_labels != y.choice_labels || x.label != y.label || x.missing != y.missing ||
            x.missing_value != y.missing_value || x.owner != y.owner)
            return finish(differ("input " + x.name));
    }
    if (a.ratios.size() != b.ratios.size()) return finish(differ("the number of ratios"));
    for (std::size_t i = 0; i < a.ratios.size(); ++i) {
        const ratio_decl &x = a.ratios[i], &y = b.ratios[i];
        if (x.name != y.name || x.numerator != y.numerator || x.denominator != y.denominator ||
            x.if_zero != y.if_zero || x.clamp != y.clamp || x.label != y.label || x.owner != y.owner)
            return finish(differ("ratio " + x.name));
    }
    if (a.lets.size() != b.lets.size()) return finish(differ("the number of named values (let)"));
    for (std::size_t i = 0; i < a.lets.size(); ++i) {
        const let_decl &x = a.lets[i], &y = b.lets[i];
        if (x.name != y.name || x.expr != y.expr || x.label != y.label || x.owner != y.owner)
            return finish(differ("let " + x.name));
    }
    if (a.exprs.size() != b.exprs.size()) return finish(differ("the number of expression nodes"));
    for (std::size_t i = 0; i < a.exprs.size(); ++i) {
        const expr_node &x = a.exprs[i], &y = b.exprs[i];
        bool same = x.kind == y.kind && x.op == y.op && x.percent == y.percent && x.has_else == y.has_else &&
                    x.has_cap == y.has_cap && x.has_base == y.has_base && x.text == y.text && x.nums == y.nums &&
                    x.higher_is_better == y.higher_is_better && x.mapping == y.mapping && x.has_among == y.has_among &&
                    x.args == y.args && x.bands.size() == y.bands.size() && x.terms.size() == y.terms.size();
        for (std::size_t k = 0; same && k < x.bands.size(); ++k)
            same = x.bands[k].op == y.bands[k].op && x.bands[k].percent == y.bands[k].percent &&
                   x.bands[k].bound == y.bands[k].bound && x.bands[k].score == y.bands[k].score &&
                   x.bands[k].level == y.bands[k].level;
        for (std::size_t k = 0; same && k < x.terms.size(); ++k)
            same = x.terms[k].per == y.terms[k].per && x.terms[k].count == y.terms[k].count;
        same = same && x.options.size() == y.options.size();  // points, max_points
        for (std::size_t k = 0; same && k < x.options.size(); ++k)
            same = x.options[k].word == y.options[k].word && x.options[k].otherwise == y.options[k].otherwise &&
                   x.options[k].points == y.options[k].points;
        if (!same) return finish(differ("the expression at line " + std::to_string(x.where.begin.line)));
    }
    if (a.warnings.size() != b.warnings.size()) return finish(differ("the number of warnings"));
    for (std::size_t i = 0; i < a.warnings.size(); ++i) {
        const warning_rule &x = a.warnings[i], &y = b.warnings[i];
        const bool same = x.label == y.label && x.target == y.target && x.op == y.op && x.threshold == y.threshold &&
                          x.percent == y.percent && x.condition == y.condition;
        if (!same) return finish(differ("warning \"" + x.label + "\""));
    }
    if (a.grades.has_value() != b.grades.has_value()) return finish(differ("the grades"));
    if (a.grades) {
        bool same = a.grades->lowest == b.grades->lowest && a.grades->bands.size() == b.grades->bands.size();
        for (std::size_t k = 0; same && k < a.grades->bands.size(); ++k)
            same = a.grades->bands[k].label == b.grades->bands[k].label && a.grades->bands[k].bound == b.grades->bands[k].bound;
        if (!same) return finish(differ("the grades"));
    }
    if (a.vetoes.size() != b.vetoes.size()) return finish(differ("the number of vetoes"));
    for (std::size_t i = 0; i < a.vetoes.size(); ++i) {
        const veto_rule &x = a.vetoes[i], &y = b.vetoes[i];
        if (x.label != y.label || x.cap != y.cap || x.condition != y.condition)
            return finish(differ("veto \"" + x.label + "\""));
    }
    if (a.tests.size() != b.tests.size()) return finish(differ("the number of tests"));
    for (std::size_t i = 0; i < a.tests.size(); ++i) {
        const test_case &x = a.tests[i], &y = b.tests[i];
        bool same = x.name == y.name && x.given.size() == y.given.size() && x.expect.size() == y.expect.size();
        for (std::size_t k = 0; same && k < x.given.size(); ++k)
            same = x.given[k].name == y.given[k].name &&
                   detail::pretty::squeeze(x.given[k].value) == detail::pretty::squeeze(y.given[k].value);
        for (std::size_t k = 0; same && k < x.expect.size(); ++k)
            same = x.expect[k].code == y.expect[k].code && x.expect[k].score == y.expect[k].score &&
                   x.expect[k].label == y.expect[k].label;
        same = same && x.units.size() == y.units.size();
        for (std::size_t u = 0; same && u < x.units.size(); ++u) {
            const test_unit &xu = x.units[u], &yu = y.units[u];
            same = xu.name == yu.name && xu.given.size() == yu.given.size() && xu.expect.size() == yu.expect.size();
            for (std::size_t k = 0; same && k < xu.given.size(); ++k)
                same = xu.given[k].name == yu.given[k].name &&
                       detail::pretty::squeeze(xu.given[k].value) == detail::pretty::squeeze(yu.given[k].value);
            for (std::size_t k = 0; same && k < xu.expect.size(); ++k)
                same = xu.expect[k].code == yu.expect[k].code && xu.expect[k].score == yu.expect[k].score &&
                       xu.expect[k].label == yu.expect[k].label;
        }
        if (!same) return finish(differ("test \"" + x.name + "\""));
    }
    return finish(true);
}

RUBRIC_FUNC format_result format_source(const source_ptr& src) { return format_source(src, parse_options{}); }

RUBRIC_FUNC format_result format_source(const source_ptr& src, const parse_options& limits) {
    format_result result;
    const auto internal = [&](std::size_t offset, std::string message) {
        diagnostic d;
        d.source = src;
        d.where.begin = src->position_at(offset);
        d.where.end = d.where.begin;
        d.code = "E-fmt-internal";
        d.message = "the formatter cannot format this file safely (" + std::move(message) +
                    "); the file is left as it is. This is a bug: please report it";
        result.diags.push_back(std::move(d));
        return result;
    };
    parse_options options = limits;
    parse_result before = parse(src, options);
    if (!before.tree) {
        for (auto& d : before.diags)
            if (d.level == severity::error) result.diags.push_back(std::move(d));
        return result;
    }
    const std::string& s = src->text;
    const bool bom = s.compare(0, 3, "\xEF\xBB\xBF") == 0;

    std::vector<detail::pretty::token> toks;
    std::size_t bad = 0;
    if (!detail::pretty::lex(s, bom ? 3 : 0, toks, bad)) return internal(bad, "a character the lexer does not know");

    detail::syntax_tree syntax = detail::format_syntax(s, src->name, options.max_nesting);
    if (syntax.raised) return internal(0, "the grammar rejected it: " + syntax.error);
    if (!syntax.parsed) return internal(0, "the grammar rejected it");
    detail::pretty::marker mk(s, toks);
    mk.walk(syntax);
    syntax = {};

    // Drop `;` (a separator is never needed) and add the `:` after input names.
    std::vector<detail::pretty::token> kept;
    kept.reserve(toks.size() + mk.colon_after.size());
    unsigned carry = 0;
    std::sort(mk.colon_after.begin(), mk.colon_after.end());
    std::size_t ci = 0;
    for (std::size_t i = 0; i < toks.size(); ++i) {
        auto& t = toks[i];
        if (t.is(";") && !t.verbatim) {
            carry = std::max(carry, t.nl);
            continue;
        }
        t.nl = std::max(t.nl, carry);
        carry = 0;
        kept.push_back(std::move(t));
        if (ci < mk.colon_after.size() && mk.colon_after[ci] == i) {
            ++ci;
            detail::pretty::token colon;
            colon.k = detail::pretty::kind::punct;
            colon.text = ":";
            colon.begin = colon.end = kept.back().end;
            kept.push_back(std::move(colon));
        }
    }

    detail::pretty::layout lay(kept);
    lay.prepare();
    lay.separators();
    std::vector<detail::pretty::line> lines = lay.print();
    std::string out = (bom ? std::string("\xEF\xBB\xBF") : std::string()) + detail::pretty::join(lines);

    // The safety net: the formatted text must mean exactly what the source meant.
    // The layout may make the text longer than the source limit it was read under.
    if (out.size() > options.max_source_bytes) options.max_source_bytes = out.size();
    parse_result after = parse(make_source(src->name, out), options);
    if (!after.tree) {
        const std::string why = after.diags.empty() ? std::string("?") : after.diags.front().message;
        return internal(0, "the result would not parse: " + why);
    }
    std::string difference;
    if (!same_syntax(*before.tree, *after.tree, &difference))
        return internal(0, "the result would differ in " + difference);
    result.text = std::move(out);
    return result;
}

}  // namespace rubric
