// xlsx_reader.hpp: numbers as Excel shows them, and cell references. Workbooks themselves
// are made by openpyxl in test_office_cli.py (an independent writer).
#include <doctest/doctest.h>

#include "rubric/xlsx_reader.hpp"

TEST_CASE("a number cell as Excel shows it: 15 significant digits, half-up, then exact") {
    // The example: 0.7999 typed in Excel is saved as 0.7999000000000001.
    CHECK(rubric::excel_shown_number("0.7999000000000001") == "0.7999");
    CHECK(rubric::excel_shown_number("0.30000000000000004") == "0.3");   // 0.1 + 0.2
    CHECK(rubric::excel_shown_number("0.7999999999999999") == "0.8");    // 0.1 + 0.7
    CHECK(rubric::excel_shown_number("85") == "85");
    CHECK(rubric::excel_shown_number("0.85") == "0.85");
    CHECK(rubric::excel_shown_number("-2.50") == "-2.5");
    CHECK(rubric::excel_shown_number("1.5E-3") == "0.0015");
    CHECK(rubric::excel_shown_number("1.2345E+5") == "123450");
    CHECK(rubric::excel_shown_number("123456789012345678") == "123456789012346000");  // 15 digits kept
    CHECK(rubric::excel_shown_number("9.9999999999999999") == "10");                  // carry into a new digit
    CHECK(rubric::excel_shown_number("0.123456789012345") == "0.123456789012345");    // exactly 15: untouched
    CHECK(rubric::excel_shown_number("0") == "0");
    CHECK(rubric::excel_shown_number("-0") == "0");
    // Not a number, or out of any fact's range: left as it is for the binder to refuse.
    CHECK(rubric::excel_shown_number("abc") == "abc");
    CHECK(rubric::excel_shown_number("1E+300") == "1E+300");
    CHECK(rubric::excel_shown_number("1E") == "1E");
}

TEST_CASE("column letters") {
    CHECK(rubric::excel_column_number("A1") == 1);
    CHECK(rubric::excel_column_number("Z9") == 26);
    CHECK(rubric::excel_column_number("AA10") == 27);
    CHECK(rubric::excel_column_number("XFD1") == 16384);
    CHECK(rubric::excel_column_number("1") == 0);
    CHECK(rubric::excel_column_name(1) == "A");
    CHECK(rubric::excel_column_name(28) == "AB");
    CHECK(rubric::excel_column_name(16384) == "XFD");
}

TEST_CASE("a file that is not there, or not a workbook") {
    auto s = rubric::read_xlsx_sheet("/nonexistent/f.xlsx", "");
    CHECK_FALSE(s.ok);
    CHECK(rubric::translate(s.error, rubric::lang::en) == "cannot read /nonexistent/f.xlsx: no such file");
    CHECK(rubric::translate(s.error, rubric::lang::zh) == "无法读取 /nonexistent/f.xlsx：文件不存在");
    s = rubric::read_xlsx_sheet(RUBRIC_SOURCE_DIR "/tests/office/data/office.rubric", "");
    CHECK_FALSE(s.ok);
    CHECK(rubric::translate(s.error, rubric::lang::en).find("is not a readable .xlsx workbook") != std::string::npos);
}
