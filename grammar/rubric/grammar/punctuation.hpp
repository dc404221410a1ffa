// rubric: the full-width and other non-ASCII punctuation the grammar reads as ASCII
// (rules.hpp: eq_char, gt_char, op_ge …; GRAMMAR.md, "Full-width punctuation"), and
// the ASCII each stands for. One table for the parser's conversion of operators and
// for the formatter, which prints them as ASCII.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rubric::grammar {

struct punctuation_form {
    const char* written;  // UTF-8
    const char* ascii;
};

inline constexpr punctuation_form non_ascii_punctuation[] = {
    {"\xE2\x89\xA5", ">="}, {"\xE2\x89\xA7", ">="},                                              // ≥ ≧
    {"\xE2\x89\xA4", "<="}, {"\xE2\x89\xA6", "<="},                                              // ≤ ≦
    {"\xE2\x89\xA0", "!="},                                                                     // ≠
    {"\xEF\xBC\x9D", "="}, {"\xEF\xBC\x9E", ">"}, {"\xEF\xBC\x9C", "<"}, {"\xEF\xBC\x81", "!"},  // ＝ ＞ ＜ ！
    {"\xEF\xBC\x8B", "+"}, {"\xEF\xBC\x8D", "-"},                                                // ＋ －
    {"\xC3\x97", "*"}, {"\xC3\xB7", "/"}, {"\xEF\xBC\x8F", "/"},                                  // × ÷ ／
    {"\xEF\xBC\x9A", ":"}, {"\xEF\xBC\x8C", ","}, {"\xE3\x80\x81", ","},                           // ： ， 、
    {"\xEF\xBC\x88", "("}, {"\xEF\xBC\x89", ")"},                                                  // （ ）
};
// (％ is part of a number, not punctuation: the number rules read it.)

// The form of the table at s[i]: its length in bytes (0 if none) and its ASCII.
inline std::size_t non_ascii_punctuation_at(std::string_view s, std::size_t i, const char*& ascii) {
    for (const auto& f : non_ascii_punctuation) {
        const std::string_view w = f.written;
        if (s.substr(i, w.size()) == w) {
            ascii = f.ascii;
            return w.size();
        }
    }
    return 0;
}

// `s` with every form of the table in ASCII: "＞＝" → ">=", "≧" → ">=".
inline std::string to_ascii_punctuation(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const char* ascii = nullptr;
        if (const std::size_t n = non_ascii_punctuation_at(s, i, ascii)) {
            out += ascii;
            i += n;
        } else {
            out += s[i++];
        }
    }
    return out;
}

}  // namespace rubric::grammar
