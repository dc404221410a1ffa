// rubric: the spellings of the reserved words (rules.hpp, `keyword`), English and Chinese, for
// the parser's "did you mean" hint on a misspelt keyword (scroe → score, 得份 → 得分). The
// grammar's rules are types and cannot be listed; this list is checked against them by
// tests/unit/parse_test.cpp (every spelling here is read by `keyword` as one whole word),
// so it may lag behind a new keyword (no hint for it) but can never suggest a word that is not one.
#pragma once

namespace rubric::grammar {

struct keyword_spelling {
    const char* en;
    const char* zh;
};

inline constexpr keyword_spelling keyword_spellings[] = {
    {"rubric", "评价体系"},   {"section", "指标"},      {"item", "评分项"},         {"bonus", "附加分"},
    {"task", "任务"},         {"input", "输入"},        {"ratio", "比率"},          {"score", "得分"},
    {"subject", "对象"},      {"test", "测试"},         {"given", "已知"},          {"expect", "预期"},
    {"requirement", "评分要求"}, {"standard", "评分标准"}, {"method", "评价方式"},  {"evidence", "提交说明"},
    {"owners", "责任部门"},   {"lead", "牵头"},         {"support", "配合"},        {"deadline", "时限"},
    {"measures", "工作措施"}, {"note", "备注"},         {"if", "如果"},             {"then", "则"},
    {"else", "否则"},         {"and", "并且"},          {"or", "或者"},             {"not", "非"},
    {"true", "是"},           {"false", "否"},          {"each", "每项"},           {"max", "最高"},
    {"of", "对"},             {"tier", "分档"},         {"deduct", "扣分"},         {"penalty", "减分"},
    {"per", "每"},            {"from", "满分"},         {"drop", "下降"},           {"below", "低于"},
    {"count", "计数"},        {"in", "属于"},           {"where", "满足"},          {"checklist", "分项"},
    {"otherwise", "其余"},    {"rank", "排名"},
};

// The words that start a declaration without being reserved (rules.hpp: grade, veto,
// adjustments, warn, let), for the same hint where a declaration was expected (grdae → grade, 等极 →
// 等级). Checked against their own rules by tests/grammar/keyword_spellings_test.cpp
// (detail::declaration_keyword_length).
inline constexpr keyword_spelling declaration_keyword_spellings[] = {
    {"grade", "等级"}, {"veto", "否决"}, {"adjustments", "奖扣分"}, {"warn", "预警"}, {"let", "设"},
};

}  // namespace rubric::grammar
