// The one home of escaping (escape.hpp): JSON strings, CSV fields, HTML text. Expected
// texts are written from RFC 8259 (JSON), RFC 4180 (CSV) and the HTML escaping rules.
#include <doctest/doctest.h>

#include <string>

#include "rubric/rubric.hpp"

TEST_CASE("JSON strings: quotes, backslashes and control characters escaped, UTF-8 kept") {
    CHECK(rubric::json_escape("a\"b\\c") == "a\\\"b\\\\c");
    CHECK(rubric::json_escape("1\n2\r3\t4") == "1\\n2\\r3\\t4");
    CHECK(rubric::json_escape(std::string("\x01\x1f", 2)) == "\\u0001\\u001f");
    CHECK(rubric::json_escape(std::string("a\0b", 3)) == "a\\u0000b");
    CHECK(rubric::json_escape("广汉市") == "广汉市");
    std::string out = "x";
    rubric::append_json_string(out, "司法局");
    CHECK(out == "x\"司法局\"");
}

TEST_CASE("JSON strings: a byte that is not UTF-8 becomes U+FFFD, so the document stays readable") {
    // 0xFF is never UTF-8; 0xE5 0xB9 starts 广 (E5 B9 BF) but is cut short by 'x'.
    CHECK(rubric::json_escape("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(rubric::json_escape("\xE5\xB9x") == "\xEF\xBF\xBD\xEF\xBF\xBDx");
    CHECK(rubric::json_escape("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("CSV fields: quoted only when needed, quotes doubled") {
    CHECK(rubric::csv_quoted("plain") == "plain");
    CHECK(rubric::csv_quoted("a,b") == "\"a,b\"");
    CHECK(rubric::csv_quoted("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(rubric::csv_quoted("two\nlines") == "\"two\nlines\"");
    CHECK(rubric::csv_quoted("cr\r") == "\"cr\r\"");
    CHECK(rubric::csv_quoted("") == "");
}

TEST_CASE("HTML text: & < > \" escaped") {
    CHECK(rubric::html_escape("a<b>&\"c\"") == "a&lt;b&gt;&amp;&quot;c&quot;");
    CHECK(rubric::html_escape("市直部门") == "市直部门");
}
