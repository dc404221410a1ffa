// rubric: the grammar of .rubric files, as PEGTL rules (namespace rubric::grammar).
//
// Read grammar/GRAMMAR.md for the same grammar in EBNF with examples; keep the two in step.
// Every rule that can fail with a message of its own has a name (messages.hpp gives
// the text), and `must<>` commits once a keyword has been seen, so an error is
// reported where the author went wrong, not where backtracking gave up.
#pragma once

#include <cstddef>
#include <type_traits>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

namespace rubric::grammar {

using namespace tao::pegtl;

// ---------------------------------------------------------------------------
// Nesting guard. Brackets, lists, calls, `not`, unary minus, `if` and nested blocks
// recurse in the grammar; each level passes through `nest<>`, `nest_must<>` or
// `nested_items<>`, which count the depth in the input and stop at `nesting_limit()`
// with a parse error instead of running off the end of the stack (pitfalls.md:
// PEGTL has no default nesting limit).
inline std::size_t& nesting_limit() {
    static thread_local std::size_t limit = 64;
    return limit;
}

struct nesting_too_deep : failure {};

// One nesting level, counted in the input for as long as it lives; past the limit,
// a parse error (raised before counting, so the count stays right for the error
// recovery that parses on).
struct nesting_level {
    std::size_t& depth;
    ~nesting_level() { --depth; }
};

template <template <typename...> class Control, typename ParseInput, typename... States>
[[nodiscard]] nesting_level enter_nesting_level(ParseInput& in, States&&... st) {
    if (in.private_depth >= nesting_limit()) {
        Control<nesting_too_deep>::raise(static_cast<const ParseInput&>(in), st...);
    }
    return nesting_level{++in.private_depth};
}

// A nesting level around Rule.
template <typename Rule>
struct nest {
    using rule_t = nest;
    using subs_t = type_list<Rule>;

    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        const nesting_level level = enter_nesting_level<Control>(in, st...);
        return Control<Rule>::template match<A, M, Action, Control>(in, st...);
    }
};

// nest<must<Rule>> in one rule. The parse tree's control puts every rule between
// two tree nodes through its full match path (a few stack frames each in an
// unoptimised build), so the rules on the way down from one nesting level to the
// next are kept few: see also nested_items<> below and `unary`.
template <typename Rule>
struct nest_must {
    using rule_t = nest_must;
    using subs_t = type_list<Rule>;

    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        const nesting_level level = enter_nesting_level<Control>(in, st...);
        if (!Control<Rule>::template match<A, rewind_mode::dontcare, Action, Control>(in, st...)) {
            Control<Rule>::raise(static_cast<const ParseInput&>(in), st...);
        }
        return true;
    }
};

// Comma-separated items inside brackets: `[a, b, c]`, `abs(x)`, `min(a, b)`. Also a
// nesting level. One rule where the combinators would take four (nest, opt, seq,
// list): in an unoptimised build each combinator costs a few stack frames per
// level, and nested lists and calls are the deepest shapes the grammar has. This
// keeps 64 of them well inside a 256 KiB stack at -O0 (tests/unit/limits_test.cpp).
// Matches nothing, or Item (Sep Item)*, then one more Sep if TrailingSep.
template <typename Item, typename Sep, bool TrailingSep>
struct nested_items {
    using rule_t = nested_items;
    using subs_t = type_list<Item, Sep>;

    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        const nesting_level level = enter_nesting_level<Control>(in, st...);
        if (!Control<Item>::template match<A, rewind_mode::required, Action, Control>(in, st...)) return true;
        for (;;) {
            auto m = in.template mark<rewind_mode::required>();
            if (!Control<Sep>::template match<A, rewind_mode::active, Action, Control>(in, st...)) return true;
            if (!Control<Item>::template match<A, rewind_mode::required, Action, Control>(in, st...)) {
                // A trailing separator stays read; otherwise it is left for the closing rule to refuse.
                (void)m(TrailingSep);
                return true;
            }
            (void)m(true);
        }
    }
};

// ---------------------------------------------------------------------------
// Characters, white space, comments

// Chinese characters (CJK unified ideographs and extensions, compatibility ideographs).
struct cjk : utf8::ranges<0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0xF900, 0xFAFF, 0x20000, 0x2FA1F> {};
struct ident_first : sor<ascii::alpha, one<'_'>, cjk> {};
struct ident_other : sor<ascii::alnum, one<'_'>, cjk> {};

struct bom : TAO_PEGTL_STRING("\xEF\xBB\xBF") {};
struct comment : seq<one<'#'>, until<eolf>> {};
struct ideographic_space : utf8::one<0x3000> {};
struct blank : sor<one<' ', '\t', '\r', '\n'>, ideographic_space, comment> {};
struct ws : star<blank> {};

// A token followed by white space.
template <typename R>
struct tok : seq<R, ws> {};

// Full-width forms that Chinese documents carry, accepted beside the ASCII ones.
struct colon_char : sor<one<':'>, utf8::one<0xFF1A>> {};
struct comma_char : sor<one<','>, utf8::one<0xFF0C, 0x3001>> {};
struct lparen_char : sor<one<'('>, utf8::one<0xFF08>> {};
struct rparen_char : sor<one<')'>, utf8::one<0xFF09>> {};
struct percent_char : sor<one<'%'>, utf8::one<0xFF05>> {};
// ＝ ＞ ＜ ！: each read on its own, so `＞＝`, `＞=` and `>＝` are all `>=`.
struct eq_char : sor<one<'='>, utf8::one<0xFF1D>> {};
struct gt_char : sor<one<'>'>, utf8::one<0xFF1E>> {};
struct lt_char : sor<one<'<'>, utf8::one<0xFF1C>> {};
struct bang_char : sor<one<'!'>, utf8::one<0xFF01>> {};

struct colon : tok<colon_char> {};
struct comma : tok<comma_char> {};
struct lparen : tok<lparen_char> {};
struct rparen : tok<rparen_char> {};
struct lbrace : tok<one<'{'>> {};
struct rbrace : tok<one<'}'>> {};
struct lbracket : tok<one<'['>> {};
struct rbracket : tok<one<']'>> {};
struct equals : tok<seq<eq_char, not_at<eq_char>>> {};
struct semicolon : tok<one<';'>> {};

// ---------------------------------------------------------------------------
// Keywords. An English keyword may not run on into a name (`each_x` is a name);
// a Chinese keyword may be followed directly by a number (`最高2分`).

template <typename S>
struct kw_en : seq<S, not_at<ident_other>> {};
template <typename S>
struct kw_zh : seq<S, not_at<sor<ascii::alpha, one<'_'>, cjk>>> {};

#define RUBRIC_KW(name, en) \
    struct kw_##name : tok<kw_en<TAO_PEGTL_STRING(en)>> {};
#define RUBRIC_KW_ZH(name, en, ...) \
    struct kw_##name : tok<sor<kw_en<TAO_PEGTL_STRING(en)>, __VA_ARGS__>> {};
#define RUBRIC_ZH(zh) kw_zh<TAO_PEGTL_STRING(zh)>

// structure
RUBRIC_KW_ZH(rubric, "rubric", RUBRIC_ZH("评价体系"))
RUBRIC_KW_ZH(section, "section", RUBRIC_ZH("指标"))
RUBRIC_KW_ZH(item, "item", RUBRIC_ZH("评分项"))
RUBRIC_KW_ZH(bonus, "bonus", RUBRIC_ZH("附加分"))
RUBRIC_KW_ZH(task, "task", RUBRIC_ZH("任务"))
RUBRIC_KW_ZH(input, "input", RUBRIC_ZH("输入"))
RUBRIC_KW_ZH(ratio, "ratio", RUBRIC_ZH("比率"))
RUBRIC_KW_ZH(score, "score", RUBRIC_ZH("得分"))
RUBRIC_KW_ZH(subject, "subject", RUBRIC_ZH("对象"))
RUBRIC_KW_ZH(test, "test", RUBRIC_ZH("测试"))
RUBRIC_KW_ZH(given, "given", RUBRIC_ZH("已知"))
RUBRIC_KW_ZH(expect, "expect", RUBRIC_ZH("预期"))
// header fields
RUBRIC_KW_ZH(document, "document", RUBRIC_ZH("文号"))
RUBRIC_KW_ZH(issuer, "issuer", RUBRIC_ZH("发文单位"))
RUBRIC_KW_ZH(date, "date", RUBRIC_ZH("日期"))
RUBRIC_KW_ZH(edition, "edition", RUBRIC_ZH("版本"))
RUBRIC_KW_ZH(total, "total", RUBRIC_ZH("总分"))
RUBRIC_KW_ZH(grand_total, "grand_total", RUBRIC_ZH("总得分"))
RUBRIC_KW_ZH(rounding, "rounding", RUBRIC_ZH("保留小数"))
RUBRIC_KW_ZH(missing, "missing", RUBRIC_ZH("缺失"))
RUBRIC_KW_ZH(half_up, "half_up", RUBRIC_ZH("四舍五入"))
RUBRIC_KW_ZH(half_even, "half_even", RUBRIC_ZH("四舍六入五成双"))
RUBRIC_KW_ZH(zero, "zero", RUBRIC_ZH("零"))
RUBRIC_KW_ZH(error_kw, "error", RUBRIC_ZH("报错"))
RUBRIC_KW_ZH(undefined, "undefined", RUBRIC_ZH("无定义"))
// metadata
RUBRIC_KW_ZH(requirement, "requirement", RUBRIC_ZH("评分要求"))
RUBRIC_KW_ZH(standard, "standard", RUBRIC_ZH("评分标准"))
RUBRIC_KW_ZH(method, "method", RUBRIC_ZH("评价方式"))
RUBRIC_KW_ZH(evidence, "evidence", RUBRIC_ZH("提交说明"))
RUBRIC_KW_ZH(owners, "owners", RUBRIC_ZH("责任部门"))
RUBRIC_KW_ZH(lead, "lead", RUBRIC_ZH("牵头"))
RUBRIC_KW_ZH(support, "support", RUBRIC_ZH("配合"))
RUBRIC_KW_ZH(deadline, "deadline", RUBRIC_ZH("时限"))
RUBRIC_KW_ZH(measures, "measures", RUBRIC_ZH("工作措施"))
RUBRIC_KW_ZH(note, "note", RUBRIC_ZH("备注"))
// input types
RUBRIC_KW_ZH(t_bool, "bool", RUBRIC_ZH("是否"))
RUBRIC_KW_ZH(t_count, "count", RUBRIC_ZH("计数"))
RUBRIC_KW_ZH(t_percent, "percent", RUBRIC_ZH("百分比"))
RUBRIC_KW_ZH(t_decimal, "decimal", RUBRIC_ZH("数值"))
RUBRIC_KW_ZH(t_judged, "judged", RUBRIC_ZH("评分"))
RUBRIC_KW_ZH(t_choice, "choice", RUBRIC_ZH("选项"))
RUBRIC_KW_ZH(t_list, "list", RUBRIC_ZH("列表"))
// expressions
RUBRIC_KW_ZH(if_, "if", RUBRIC_ZH("如果"))
RUBRIC_KW_ZH(then, "then", RUBRIC_ZH("则"))
RUBRIC_KW_ZH(else_, "else", RUBRIC_ZH("否则"))
RUBRIC_KW_ZH(and_, "and", RUBRIC_ZH("并且"), RUBRIC_ZH("且"))
RUBRIC_KW_ZH(or_, "or", RUBRIC_ZH("或者"), RUBRIC_ZH("或"))
RUBRIC_KW_ZH(not_, "not", RUBRIC_ZH("非"))
RUBRIC_KW_ZH(true_, "true", RUBRIC_ZH("是"))
RUBRIC_KW_ZH(false_, "false", RUBRIC_ZH("否"))
RUBRIC_KW_ZH(each, "each", RUBRIC_ZH("每项"))
RUBRIC_KW_ZH(max, "max", RUBRIC_ZH("最高"), RUBRIC_ZH("最多"))
// The cap of a deduction (deduct_max) reads also 最高扣, as the prose writes it (最高扣3分): kw_max's
// spellings and that one. Only there: `each 0.5 最高扣 1` would not read naturally.
RUBRIC_KW_ZH(max_deduct, "max", RUBRIC_ZH("最高"), RUBRIC_ZH("最多"), RUBRIC_ZH("最高扣"))
RUBRIC_KW_ZH(of, "of", RUBRIC_ZH("对"))
RUBRIC_KW_ZH(tier, "tier", RUBRIC_ZH("分档"))
RUBRIC_KW_ZH(deduct, "deduct", RUBRIC_ZH("扣分"))
RUBRIC_KW_ZH(penalty, "penalty", RUBRIC_ZH("减分"))
RUBRIC_KW_ZH(per, "per", RUBRIC_ZH("每"))
RUBRIC_KW_ZH(from, "from", RUBRIC_ZH("满分"))
RUBRIC_KW_ZH(drop, "drop", RUBRIC_ZH("下降"))
RUBRIC_KW_ZH(below, "below", RUBRIC_ZH("低于"))
RUBRIC_KW_ZH(count, "count", RUBRIC_ZH("计数"))
RUBRIC_KW_ZH(in, "in", RUBRIC_ZH("属于"))
RUBRIC_KW_ZH(where, "where", RUBRIC_ZH("满足"))
RUBRIC_KW_ZH(checklist, "checklist", RUBRIC_ZH("分项"))
RUBRIC_KW_ZH(otherwise, "otherwise", RUBRIC_ZH("其余"))
RUBRIC_KW_ZH(rank, "rank", RUBRIC_ZH("排名"))
// Words that mean something only at their place inside a `rank` form or a test;
// they are not reserved, so existing rubrics may keep them as names.
RUBRIC_KW_ZH(higher, "higher", RUBRIC_ZH("越高越好"))
RUBRIC_KW_ZH(lower, "lower", RUBRIC_ZH("越低越好"))
RUBRIC_KW_ZH(among, "among", RUBRIC_ZH("参评"))
RUBRIC_KW_ZH(linear, "linear", RUBRIC_ZH("线性"))
RUBRIC_KW_ZH(places, "places", RUBRIC_ZH("名次"))
RUBRIC_KW_ZH(proportional, "proportional", RUBRIC_ZH("按比例"))
RUBRIC_KW_ZH(unit, "unit", RUBRIC_ZH("单位"))
// points 报送方式 [database: 2, …] and max_points 获奖级别 [national: 5, …]: points per choice. Not
// reserved: `points` read as a form only when a name and `[` follow (so a name `points` keeps working).
RUBRIC_KW_ZH(points, "points", RUBRIC_ZH("选项分"))
RUBRIC_KW_ZH(max_points, "max_points", RUBRIC_ZH("最高选项分"))
RUBRIC_KW_ZH(warn, "warn", RUBRIC_ZH("预警"))
// Grades and vetoes. Not reserved either: they start a top-level declaration (or an expectation),
// where no name can stand. 否决 is not 否 (false): a Chinese keyword does not run on into a character.
RUBRIC_KW_ZH(grade, "grade", RUBRIC_ZH("等级"))
RUBRIC_KW_ZH(veto, "veto", RUBRIC_ZH("否决"))
// 综合奖扣分: a block at the top level (not reserved); `min` (最低) only after its name, so the
// function min(…) keeps its name.
RUBRIC_KW_ZH(adjustments, "adjustments", RUBRIC_ZH("奖扣分"))
RUBRIC_KW_ZH(min_cap, "min", RUBRIC_ZH("最低"))
// In a test: `expect warning "…"` (预警) and `expect no warning` (无 预警, 无预警). Not reserved.
RUBRIC_KW_ZH(warning_word, "warning", RUBRIC_ZH("预警"))
RUBRIC_KW_ZH(no, "no", RUBRIC_ZH("无"))
RUBRIC_KW_ZH(no_warning_zh, "no_warning", RUBRIC_ZH("无预警"))
// Named values (let 基准 = …; 设 基准 = …): a declaration at the top or in a section, where no
// name can stand, so not reserved either.
RUBRIC_KW_ZH(let, "let", RUBRIC_ZH("设"))
// Parts that apply only to some units: section … by 责任单位 { case "县水利局" { … } } (按 责任单位 …
// 适用 "县水利局" { … }). Not reserved: `by` stands after a section's points, `case` where a member
// of a section starts, where no name can stand.
RUBRIC_KW_ZH(by, "by", RUBRIC_ZH("按"))
RUBRIC_KW_ZH(case_, "case", RUBRIC_ZH("适用"))

#undef RUBRIC_KW
#undef RUBRIC_KW_ZH
#undef RUBRIC_ZH

// Words that cannot be names.
struct keyword
    : sor<kw_rubric, kw_section, kw_item, kw_bonus, kw_task, kw_input, kw_ratio, kw_score, kw_subject,
          kw_test, kw_given, kw_expect, kw_requirement, kw_standard, kw_method, kw_evidence, kw_owners,
          kw_lead, kw_support, kw_deadline, kw_measures, kw_note, kw_if_, kw_then, kw_else_, kw_and_,
          kw_or_, kw_not_, kw_true_, kw_false_, kw_each, kw_max, kw_max_deduct, kw_of, kw_tier, kw_deduct,
          kw_penalty, kw_per, kw_from, kw_drop, kw_below, kw_count, kw_in, kw_where, kw_checklist,
          kw_otherwise, kw_rank> {};

// ---------------------------------------------------------------------------
// Literals

struct identifier : seq<ident_first, star<ident_other>> {};
struct name : seq<not_at<keyword>, identifier, ws> {};

struct digits : plus<ascii::digit> {};
struct number_text : seq<digits, opt<one<'.'>, digits>> {};
struct fen : TAO_PEGTL_STRING("分") {};  // "points", optional after a number: 0.5分
struct percent_mark : percent_char {};
// Full-width digits (１２) look like numbers but are not accepted: messages.hpp says so.
struct fullwidth_digit : utf8::range<0xFF10, 0xFF19> {};
struct number : seq<number_text, sor<percent_mark, opt<fen>>, not_at<sor<ascii::alpha, one<'_'>>>, ws> {};

struct escape_char : one<'"', '\\', 'n', 't'> {};
struct string_char_escape : seq<one<'\\'>, must<escape_char>> {};
// A NUL cannot be in a text: every text reaches C callers as a NUL-terminated string.
struct string_char : sor<string_char_escape, seq<not_at<one<'"', '\0'>>, utf8::any>> {};
struct string_body : star<string_char> {};
struct string_close : one<'"'> {};
struct string_lit : seq<one<'"'>, string_body, must<string_close>, ws> {};

struct code : seq<digits, star<one<'.'>, digits>, ws> {};

// ---------------------------------------------------------------------------
// Expressions

struct expr;
struct add_expr;
struct mul_expr;

// Full-width forms are leaves here (no rule on the path of recursion).
struct op_ge : sor<seq<gt_char, eq_char>, utf8::one<0x2265, 0x2267>> {};  // >= ≥ ≧ ＞＝
struct op_le : sor<seq<lt_char, eq_char>, utf8::one<0x2264, 0x2266>> {};  // <= ≤ ≦ ＜＝
struct op_ne : sor<seq<bang_char, eq_char>, utf8::one<0x2260>> {};        // != ≠ ！＝
struct op_eq : seq<eq_char, opt<eq_char>> {};                             // == = ＝＝ ＝
struct op_gt : gt_char {};
struct op_lt : lt_char {};
struct cmp_op : tok<sor<op_ge, op_le, op_ne, op_eq, op_gt, op_lt>> {};

struct op_add : sor<one<'+'>, utf8::one<0xFF0B>> {};               // + ＋
struct op_sub : sor<one<'-'>, utf8::one<0xFF0D>> {};               // - －
struct op_mul : sor<one<'*'>, utf8::one<0x00D7>> {};               // * ×
struct op_div : sor<one<'/'>, utf8::one<0x00F7, 0xFF0F>> {};       // / ÷ ／

struct paren_close : rparen {};
struct paren_expr : seq<lparen, nest_must<expr>, must<paren_close>> {};

struct list_close : rbracket {};
struct list_items : nested_items<expr, comma, true> {};
struct list_lit : seq<lbracket, list_items, must<list_close>> {};

struct call_args : nested_items<expr, comma, false> {};
struct call_name : identifier {};
// cohort_mean(配比 among 类别 == "专业部门"): an aggregate over the units where the condition holds.
// `among` cannot follow an argument otherwise, so it is tried only there.
struct or_expr;
struct call_among_cond : seq<or_expr> {};
struct call_among : seq<kw_among, must<call_among_cond>> {};
struct call : seq<call_name, ws, lparen, call_args, opt<call_among>, must<paren_close>> {};

struct true_lit : kw_true_ {};
struct false_lit : kw_false_ {};

// each 0.5 max 2 of [a, b, c]     each 0.2 of 采用篇数     each 0.5 max 1   (the item's subject)
struct amount : number {};
struct each_max : seq<kw_max, must<amount>> {};
struct each_subject : sor<list_lit, add_expr> {};
struct each_of : seq<kw_of, must<each_subject>> {};
struct each_form : seq<kw_each, must<amount>, opt<each_max>, opt<each_of>> {};

// tier 覆盖率 >=90%:3 >=80%:2 >=70%:1 otherwise 0      tier >=90%:3 >=80%:2   (the item's subject)
// The fallback is `otherwise`, not `else`, so that `if c then tier … else 0` keeps its else.
// A threshold is a number, or a value of the cohort (>= cohort_mean(配比): 3, 高于平均水平的得3分):
// a cohort aggregate, or the name of a let that reads one (>= 基准: 3); the checker says which
// calls and names are.
struct tier_number : number {};
struct tier_cohort_bound : seq<at<identifier, ws, lparen>, call> {};
struct tier_named_bound : seq<name> {};
struct tier_bound : sor<tier_number, tier_cohort_bound, tier_named_bound> {};
struct tier_score : number {};
struct tier_band : seq<cmp_op, must<tier_bound>, must<colon>, must<tier_score>> {};
struct tier_subject : seq<not_at<cmp_op>, add_expr> {};
struct tier_else : seq<kw_otherwise, must<amount>> {};
struct tier_form : seq<kw_tier, opt<tier_subject>, must<tier_band>, star<tier_band>, opt<tier_else>> {};

// deduct 1 per 逾期次数 + 2 per 未报次数 max 10 from 10     penalty 0.2 per 未接入家数 max 1
struct deduct_count : seq<mul_expr> {};
struct deduct_term : seq<amount, must<kw_per>, must<deduct_count>> {};
struct deduct_terms : seq<deduct_term, star<tok<op_add>, at<amount, kw_per>, deduct_term>> {};
struct deduct_max : seq<kw_max_deduct, must<amount>> {};
struct deduct_from : seq<kw_from, must<amount>> {};
struct deduct_form : seq<kw_deduct, must<deduct_terms>, opt<deduct_max>, opt<deduct_from>> {};
struct penalty_form : seq<kw_penalty, must<deduct_terms>, opt<deduct_max>> {};

// drop 0.1 per 1% below 100% of 完整度 from 1      (每下降1%扣0.1分，扣完为止)
// drop 0.1 per 1% below cohort_mean(配比)          (the level a cohort aggregate: 低于平均水平每1%扣0.1分)
struct drop_step : number {};
struct drop_target : number {};
struct drop_cohort_level : seq<at<identifier, ws, lparen>, call> {};
struct drop_level : sor<drop_target, drop_cohort_level> {};
struct drop_of : seq<kw_of, must<add_expr>> {};
struct drop_form
    : seq<kw_drop, must<amount>, must<kw_per>, must<drop_step>, must<kw_below>, must<drop_level>, opt<drop_of>,
          opt<deduct_from>> {};

// count [a, b, c]      count d in 各领域占比 where d > 80%
struct count_var : name {};
struct count_list : seq<add_expr> {};
struct count_cond : seq<expr> {};
struct count_where : seq<count_var, must<kw_in>, must<count_list>, must<kw_where>, must<count_cond>> {};
struct count_what : sor<list_lit, count_where> {};
struct count_form : seq<kw_count, must<count_what>> {};

// checklist [分工: 0.5, 责任单位: 0.3, 进度: 0.2]
struct check_item : seq<expr, must<colon>, must<amount>> {};
struct check_items : list<check_item, comma> {};
struct checklist_form
    : seq<kw_checklist, must<lbracket>, must<check_items>, opt<comma>, must<list_close>> {};

struct or_expr;
struct range_sep;
// rank 纠错率 lower among 有纠错 linear 1.8..0: a value ranked across the cohort (the units
// evaluated together, within their group), the rank mapped to points. Ties share the better
// rank (1, 2, 2, 4). Units for which `among` is false, or whose value is undefined, take no
// part: for them the form is undefined.
struct rank_subject : seq<add_expr> {};
struct rank_higher : kw_higher {};
struct rank_lower : kw_lower {};
struct rank_direction : sor<rank_higher, rank_lower> {};
struct rank_cond : seq<or_expr> {};
struct rank_among : seq<kw_among, must<rank_cond>> {};
struct rank_best : number {};
struct rank_worst : number {};
struct rank_linear : seq<kw_linear, must<rank_best>, must<range_sep>, must<rank_worst>> {};
struct rank_place_scores : seq<list<amount, comma>, opt<comma>> {};
struct rank_places : seq<kw_places, must<lbracket>, must<rank_place_scores>, must<list_close>, must<tier_else>> {};
struct rank_proportional : seq<kw_proportional, must<rank_best>> {};
struct rank_mapping : sor<rank_linear, rank_places, rank_proportional> {};
struct rank_form : seq<kw_rank, must<rank_subject>, must<rank_direction>, opt<rank_among>, must<rank_mapping>> {};

// points 报送方式 [database: 2, frontend: 2, other: 1]: the points of the choice made (a choice
// input); max_points 获奖级别 [national: 5, province: 3, city: 1]: the most points among the choices
// a list of choices holds (the highest level achieved; none: 0). `otherwise: 0` gives the options
// not listed. Brackets, as `checklist` has them: braces are blocks (and `rubric fmt` lays them out).
struct choice_word;  // below, with the choice type
struct points_subject : name {};
struct points_otherwise : kw_otherwise {};
struct points_option : sor<points_otherwise, choice_word> {};
struct points_entry : seq<points_option, must<colon>, must<amount>> {};
struct points_entries : seq<list<points_entry, comma>, opt<comma>> {};
struct points_form : seq<kw_points, points_subject, lbracket, must<points_entries>, must<list_close>> {};
struct max_points_form : seq<kw_max_points, points_subject, lbracket, must<points_entries>, must<list_close>> {};

// The keyword is looked at first so that a plain value does not count a nesting level.
struct form_keyword
    : sor<kw_each, kw_tier, kw_deduct, kw_penalty, kw_drop, kw_count, kw_checklist, kw_rank, kw_points, kw_max_points> {};
struct form
    : seq<at<form_keyword>,
          nest<sor<each_form, tier_form, deduct_form, penalty_form, drop_form, count_form, checklist_form,
                   rank_form, points_form, max_points_form>>> {};

struct bad_number : fullwidth_digit {};
struct unary;
struct operand : seq<unary> {};
struct neg : seq<tok<op_sub>, nest_must<operand>> {};
// A minus sign or a primary value, in one rule (a level fewer per nesting level: nest_must<>).
// score(1.2): the score of a node, for a `rank` or a cohort aggregate to read across the cohort
// (rank score(1.2) higher places [20, 19, 18]); the checker says where it may stand.
struct score_ref_code : code {};
struct score_ref : seq<kw_score, lparen, must<score_ref_code>, must<paren_close>> {};
struct unary
    : sor<neg, paren_expr, list_lit, form, score_ref, call, number, true_lit, false_lit, string_lit, name, bad_number> {};

struct mul_op : tok<sor<op_mul, op_div>> {};
struct mul_tail : seq<mul_op, must<operand>> {};
struct mul_expr : seq<unary, star<mul_tail>> {};

// `+ 2 per` continues a deduct_terms list, not a sum.
struct add_op : tok<sor<op_add, op_sub>> {};
struct add_rhs : seq<mul_expr> {};
struct add_tail : seq<not_at<tok<op_add>, amount, kw_per>, add_op, must<add_rhs>> {};
struct add_expr : seq<mul_expr, star<add_tail>> {};

struct cmp_rhs : seq<add_expr> {};
struct cmp_expr : seq<add_expr, opt<cmp_op, must<cmp_rhs>>> {};

struct not_expr;
struct not_operand : seq<not_expr> {};
struct not_form : seq<kw_not_, nest_must<not_operand>> {};
struct not_expr : sor<not_form, cmp_expr> {};

struct and_rhs : seq<not_expr> {};
struct and_expr : seq<not_expr, star<kw_and_, must<and_rhs>>> {};
struct or_rhs : seq<and_expr> {};
struct or_expr : seq<and_expr, star<kw_or_, must<or_rhs>>> {};

// if C then A else if D then B else E    (no else: 0)
struct if_cond : seq<expr> {};
struct if_then : seq<expr> {};
struct if_else : seq<expr> {};
struct if_else_part : seq<kw_else_, must<if_else>> {};
struct if_form : seq<kw_if_, nest<seq<must<if_cond>, must<kw_then>, must<if_then>, opt<if_else_part>>>> {};

struct expr : sor<if_form, or_expr> {};

// ---------------------------------------------------------------------------
// Declarations

// input 采用篇数: count 0..50 missing zero "被采用的信息篇数"
struct range_lo : number {};
struct range_hi : number {};
struct range_sep : tok<TAO_PEGTL_STRING("..")> {};
struct input_range : seq<range_lo, range_sep, opt<range_hi>> {};
struct choice_word : sor<string_lit, name> {};
// choice [database "数据库对接", frontend "前置机"]: a word may carry the label the office reads
// (fill-in sheet, explanations); a fact may give the word or the label.
struct choice_label : string_lit {};
struct choice_option : seq<choice_word, opt<choice_label>> {};
struct choice_words : list<choice_option, comma> {};
struct choice_list : seq<must<lbracket>, must<choice_words>, opt<comma>, must<list_close>> {};
struct type_bool : kw_t_bool {};
struct type_count : kw_t_count {};
struct type_percent : kw_t_percent {};
struct type_decimal : kw_t_decimal {};
struct type_judged : kw_t_judged {};
struct type_choice : seq<kw_t_choice, choice_list> {};
struct list_element : sor<type_percent, type_count, type_decimal, type_choice> {};
struct type_listof : seq<kw_t_list, opt<kw_of>, must<list_element>> {};
struct input_type : sor<type_bool, type_count, type_percent, type_decimal, type_judged, type_choice, type_listof> {};
struct missing_zero : kw_zero {};
struct missing_error : kw_error_kw {};
struct missing_value : sor<number, true_lit, false_lit> {};
struct missing_policy : sor<missing_zero, missing_error, missing_value> {};
struct missing_clause : seq<kw_missing, must<missing_policy>> {};
struct label : string_lit {};
struct input_name : name {};
struct input_decl
    : seq<kw_input, must<input_name>, opt<colon>, must<input_type>, opt<input_range>, opt<missing_clause>,
          opt<label>> {};

// ratio 录入率 = 录入条数 / 总条数 if zero 0 "录入率"
struct ratio_name : name {};
struct ratio_num : seq<unary> {};
struct ratio_den : seq<unary> {};
struct ratio_slash : tok<op_div> {};
struct ratio_zero_value : sor<kw_undefined, number> {};
struct ratio_if_zero : seq<kw_if_, must<kw_zero>, must<ratio_zero_value>> {};
struct ratio_decl
    : seq<kw_ratio, must<ratio_name>, must<equals>, must<ratio_num>, must<ratio_slash>, must<ratio_den>,
          opt<ratio_if_zero>, opt<label>> {};

// let 基准 = cohort_mean(平均年龄 * 人数) / cohort_mean(人数) "全市平均年龄"
// A named value: any expression, given a name that the rules of the rubric (a top-level `let`)
// or of the section it is declared in (and the sections below) read like an input.
struct let_name : name {};
struct let_expr : seq<expr> {};
struct let_decl : seq<kw_let, must<let_name>, must<equals>, must<let_expr>, opt<label>> {};

// ---------------------------------------------------------------------------
// Metadata and item clauses

// Adjacent texts join, so a long verbatim field can be split over lines: "…" "…".
struct meta_text : plus<string_lit> {};
struct meta_list : seq<string_lit, star<comma, must<string_lit>>> {};
struct meta_requirement : seq<kw_requirement, must<meta_text>> {};
struct meta_standard : seq<kw_standard, must<meta_text>> {};
struct meta_method : seq<kw_method, must<meta_text>> {};
struct meta_evidence : seq<kw_evidence, must<meta_text>> {};
struct meta_owners : seq<kw_owners, must<meta_text>> {};
struct meta_deadline : seq<kw_deadline, must<meta_text>> {};
struct meta_measures : seq<kw_measures, must<meta_text>> {};
struct meta_note : seq<kw_note, must<meta_text>> {};
struct meta_lead : seq<kw_lead, must<meta_list>> {};
struct meta_support : seq<kw_support, must<meta_list>> {};
struct meta_field
    : sor<meta_requirement, meta_standard, meta_method, meta_evidence, meta_owners, meta_deadline, meta_measures,
          meta_note, meta_lead, meta_support> {};

struct score_label : seq<string_lit, colon> {};
struct score_expr : seq<expr> {};
struct score_clause : seq<kw_score, opt<score_label>, must<score_expr>> {};
struct subject_expr : seq<expr> {};
struct subject_clause : seq<kw_subject, must<subject_expr>> {};

// ---------------------------------------------------------------------------
// Structure

struct node_code : code {};
struct node_name : string_lit {};
struct node_points : number {};
struct block_close : rbrace {};

struct section_decl;
struct item_decl;
struct bonus_decl;
struct task_decl;

struct item_member : sor<input_decl, ratio_decl, meta_field, score_clause, subject_clause, semicolon> {};
struct item_body : seq<must<lbrace>, star<item_member>, must<block_close>> {};
struct item_decl : seq<kw_item, opt<node_code>, must<node_name>, opt<node_points>, item_body> {};

struct task_member : sor<meta_field, semicolon> {};
struct task_decl
    : seq<kw_task, opt<node_code>, must<node_name>, must<lbrace>, star<task_member>, must<block_close>> {};

// section 2 "部门履职" 60 by 责任单位 { case "县水利局" { item … } case "县交通局", "县公路局" { … } }
// The section's members for a unit are those of the case that names the unit's 责任单位 (a choice
// input); the members of the other cases do not apply to it.
struct section_by_name : name {};
struct section_by : seq<kw_by, must<section_by_name>> {};
struct case_word : sor<string_lit, name> {};
struct case_words : list<case_word, comma> {};
struct case_member : sor<section_decl, item_decl, task_decl, semicolon> {};
struct case_decl : seq<kw_case_, must<case_words>, must<lbrace>, nest<star<case_member>>, must<block_close>> {};
struct section_member
    : sor<section_decl, item_decl, task_decl, case_decl, input_decl, ratio_decl, let_decl, meta_field, semicolon> {};
struct section_body : seq<must<lbrace>, nest<star<section_member>>, must<block_close>> {};
struct section_decl : seq<kw_section, opt<node_code>, must<node_name>, opt<node_points>, opt<section_by>, section_body> {};
struct bonus_decl : seq<kw_bonus, opt<node_code>, must<node_name>, opt<node_points>, section_body> {};
// adjustments "综合奖扣分" max +5 min -10 { item "省级表彰" { score if 省级表彰 then 2 } … }
// Signed awards and deductions: the items' scores are not kept within [0, points] (they have no
// points), their sum is kept within [min, max] and added after the total (the grand total).
struct signed_amount : seq<opt<sor<op_add, op_sub>>, number> {};
struct adjust_max : seq<kw_max, must<signed_amount>> {};
struct adjust_min : seq<kw_min_cap, must<signed_amount>> {};
struct adjustments_decl
    : seq<kw_adjustments, opt<node_code>, must<node_name>, opt<adjust_max>, opt<adjust_min>, section_body> {};

// test "全部达标" { given a = true, 比例 = 85%  expect 1.1.1 = 1, total = 100 }
struct given_value : sor<true_lit, false_lit, number, string_lit, list_lit> {};
struct given_name : name {};
struct given_item : seq<given_name, must<equals>, must<given_value>> {};
struct given_clause : seq<kw_given, must<given_item>, star<comma, must<given_item>>> {};
struct expect_target : sor<code, kw_total, kw_bonus, kw_grand_total, kw_adjustments> {};
struct grade_label;
// expect grade = 良好
struct expect_grade : seq<kw_grade, must<equals>, must<grade_label>> {};
struct expect_den : number {};
struct expect_fraction : seq<tok<op_div>, must<expect_den>> {};
// A score may be below zero: an item of `adjustments`, the adjustments, the grand total.
struct expect_value : seq<opt<sor<op_add, op_sub>>, number> {};
// expect warning "总分低于60分": that warning applies to the unit; expect no warning: none does.
struct expect_warning_label : string_lit {};
struct expect_warning : seq<kw_warning_word, must<expect_warning_label>> {};
struct expect_no_warning : sor<seq<kw_no, must<kw_warning_word>>, kw_no_warning_zh> {};
struct expect_item
    : sor<expect_grade, expect_warning, expect_no_warning,
          seq<expect_target, must<equals>, must<expect_value>, opt<expect_fraction>>> {};
struct expect_clause : seq<kw_expect, must<expect_item>, star<comma, must<expect_item>>> {};
// In a cohort test, `unit "A"` starts the facts and expectations of one unit; the units of
// the test are evaluated together. `given` before the first unit applies to every unit.
struct test_unit_name : string_lit {};
struct test_unit : seq<kw_unit, must<test_unit_name>> {};
struct test_member : sor<given_clause, expect_clause, test_unit, semicolon> {};
struct test_name : string_lit {};
struct test_decl : seq<kw_test, must<test_name>, must<lbrace>, star<test_member>, must<block_close>> {};

// rubric "标题" { document "…" total 100 rounding 2 half_up missing zero }
struct header_text : string_lit {};
struct header_document : seq<kw_document, must<header_text>> {};
struct header_issuer : seq<kw_issuer, must<header_text>> {};
struct header_date : seq<kw_date, must<header_text>> {};
struct header_edition : seq<kw_edition, must<header_text>> {};
struct header_note : seq<kw_note, must<header_text>> {};
struct header_total : seq<kw_total, must<number>> {};
struct round_places : seq<digits, ws> {};
struct round_half_up : kw_half_up {};
struct round_half_even : kw_half_even {};
struct header_rounding : seq<kw_rounding, must<round_places>, opt<sor<round_half_up, round_half_even>>> {};
struct header_missing : seq<kw_missing, must<missing_policy>> {};
struct header_field
    : sor<header_document, header_issuer, header_date, header_edition, header_note, header_total, header_rounding,
          header_missing, semicolon> {};
struct header_title : string_lit {};
struct header : seq<kw_rubric, must<header_title>, must<lbrace>, star<header_field>, must<block_close>> {};

// warn "总分低于60分" if total < 60        a unit's score against a threshold (a percent:
// warn "依法行政失分过多" if 1 < 60%        a share of the node's points), or
// warn "发生重大失信事件" if major_case      any condition over the unit's facts (预警).
struct warn_label : string_lit {};
struct warn_target : sor<kw_total, code> {};
struct warn_threshold : number {};
struct warn_score : seq<warn_target, cmp_op, must<warn_threshold>> {};
struct warn_condition : seq<expr> {};
struct warn_when : sor<warn_score, warn_condition> {};
struct warn_decl : seq<kw_warn, must<warn_label>, must<kw_if_>, must<warn_when>> {};

// grade 优秀 >= 90, 良好 >= 80, 合格 >= 60, otherwise 不合格
// The grade of the grand total: the first band whose bound it reaches, best first; `otherwise`
// names the lowest grade, so that every unit has one. A label is a word or a text in quotes.
struct grade_label : sor<string_lit, name> {};
struct grade_ge : tok<op_ge> {};
struct grade_bound : number {};
struct grade_band : seq<grade_label, must<grade_ge>, must<grade_bound>> {};
struct grade_sep : comma {};
struct grade_otherwise : seq<kw_otherwise, must<grade_label>> {};
struct grade_decl
    : seq<kw_grade, must<grade_band>, star<comma, not_at<kw_otherwise>, must<grade_band>>, must<grade_sep>,
          must<grade_otherwise>> {};

// veto 优秀 "发生重大失信事件的，不得评为优秀" if 发生重大失信事件     (一票否优: at most the grade below 优秀)
// veto "被省级以上通报批评的，实行一票否决" if 被上级通报               (一票否决: the lowest grade)
// The text comes before the condition, as in `warn`; a grade named in quotes needs the text after it.
struct veto_cap : sor<name, seq<string_lit, at<string_lit>>> {};
struct veto_label : string_lit {};
struct veto_if : kw_if_ {};
struct veto_condition : seq<expr> {};
struct veto_decl : seq<kw_veto, opt<veto_cap>, must<veto_label>, must<veto_if>, must<veto_condition>> {};

struct file_member
    : sor<section_decl, item_decl, bonus_decl, adjustments_decl, task_decl, input_decl, ratio_decl, test_decl, warn_decl,
          grade_decl, veto_decl, let_decl, semicolon> {};
struct end_of_file : eof {};
struct file : seq<opt<bom>, ws, opt<header>, star<file_member>, must<end_of_file>> {};

// Error recovery: after a syntax error the parser resumes at the next line that
// starts a declaration, and reads on with this rule, tolerating the closing
// braces of blocks it did not see open.
struct resume_member : sor<file_member, section_member, item_member, test_member, header_field, rbrace> {};
struct resume : seq<ws, star<resume_member>, must<end_of_file>> {};

}  // namespace rubric::grammar

// `nest<R>` and `nested_items<>` are custom rules: tell analyze<>() what they behave like.
namespace tao::pegtl {
template <typename Name, typename Rule>
struct analyze_traits<Name, rubric::grammar::nest<Rule>> : analyze_traits<Name, typename seq<Rule>::rule_t> {};
template <typename Name, typename Rule>
struct analyze_traits<Name, rubric::grammar::nest_must<Rule>> : analyze_traits<Name, typename must<Rule>::rule_t> {};
// `nested_items<I, S, T>` behaves like opt<list<I, S>> (T: opt<list_tail<I, S>>).
template <typename Name, typename Item, typename Sep, bool TrailingSep>
struct analyze_traits<Name, rubric::grammar::nested_items<Item, Sep, TrailingSep>>
    : analyze_traits<Name, typename opt<std::conditional_t<TrailingSep, list_tail<Item, Sep>, list<Item, Sep>>>::rule_t> {};
}  // namespace tao::pegtl
