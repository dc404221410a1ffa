// diagnostic.hpp: a long line is quoted as a window around the caret, the caret still under
// its character (display width: a Chinese character is two columns).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

// The lines of a rendered diagnostic.
std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t b = 0;
    for (std::size_t e; (e = text.find('\n', b)) != std::string::npos; b = e + 1) out.push_back(text.substr(b, e - b));
    return out;
}

rubric::diagnostic at(const rubric::source_ptr& src, std::size_t offset, std::size_t length = 1) {
    return rubric::make_diagnostic(rubric::severity::error, src, {src->position_at(offset), src->position_at(offset + length)},
                                   "E-test", rubric::literal("bad value"));
}

// The character above the caret: the shown line cut at the caret's display column.
std::string above_caret(const std::string& shown, const std::string& caret_line) {
    const std::size_t col = caret_line.find('^');
    std::size_t b = 0;
    while (b < shown.size() && rubric::display_width(std::string_view(shown).substr(0, b)) < col) {
        ++b;
        while (b < shown.size() && (static_cast<unsigned char>(shown[b]) & 0xC0) == 0x80) ++b;
    }
    std::size_t e = b + 1;
    while (e < shown.size() && (static_cast<unsigned char>(shown[e]) & 0xC0) == 0x80) ++e;
    return shown.substr(b, e - b);
}

}  // namespace

TEST_CASE("a short line is quoted whole") {
    const auto src = rubric::make_source("f.json", "{\"a\": x}\n");
    const auto lines = lines_of(rubric::render(at(src, 6)));
    REQUIRE(lines.size() == 3);
    CHECK(lines[1] == "  {\"a\": x}");
    CHECK(lines[2] == "        ^");
}

TEST_CASE("a 150 KB line is quoted as at most 200 columns around the caret, with … marks") {
    std::string line(150000, 'a');
    line[100000] = 'X';
    const auto src = rubric::make_source("big.json", line + "\n");
    const std::string text = rubric::render(at(src, 100000, 5));
    CHECK(text.size() < 500);
    const auto lines = lines_of(text);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "big.json:1:100001: error: bad value");
    const std::string shown = lines[1].substr(2);
    CHECK(rubric::display_width(shown) <= 200);
    CHECK(shown.rfind("\u2026", 0) == 0);
    CHECK(shown.size() >= 3);
    CHECK(shown.substr(shown.size() - 3) == "\u2026");
    CHECK(above_caret(lines[1], lines[2]) == "X");
    CHECK(lines[2].substr(lines[2].find('^')) == "^~~~~");
}

TEST_CASE("the window keeps the caret aligned under Chinese text, at the start and at the end of the line") {
    std::string line;
    for (int i = 0; i < 1000; ++i) line += i == 500 ? "X" : "汉";
    const auto src = rubric::make_source("zh.csv", line + "\n");
    const std::size_t x = line.find('X');
    for (const rubric::lang l : {rubric::lang::en, rubric::lang::zh}) {
        const auto lines = lines_of(rubric::render(at(src, x), l));
        REQUIRE(lines.size() == 3);
        CHECK(rubric::display_width(lines[1]) <= 202);
        CHECK(above_caret(lines[1], lines[2]) == "X");
    }
    // Caret on the first character: no leading mark.
    auto lines = lines_of(rubric::render(at(src, 0)));
    CHECK(lines[1].rfind("  汉", 0) == 0);
    CHECK(lines[2] == "  ^");
    CHECK(rubric::display_width(lines[1]) <= 202);
    // Caret past the last character (a missing value at the end of the line).
    lines = lines_of(rubric::render(at(src, line.size(), 0)));
    CHECK(lines[1].rfind("  \u2026", 0) == 0);
    CHECK(lines[1].substr(lines[1].size() - 3) == "汉");
    CHECK(lines[2].find('^') == rubric::display_width(lines[1]));
}
