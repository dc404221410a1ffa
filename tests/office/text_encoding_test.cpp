// text_encoding.hpp: detection and conversion of the encodings offices save CSV in. The
// GB18030 and UTF-16 bytes below are written out from the standards' code tables (GB 18030:
// 单 = B5 A5, 位 = CE BB; UTF-16: U+5355, U+4F4D), not produced by the code under test.
#include <doctest/doctest.h>

#include "rubric/text_encoding.hpp"

using rubric::text_encoding;

TEST_CASE("encoding names, as offices and tools spell them") {
    CHECK(rubric::encoding_from_name("GBK") == text_encoding::gb18030);
    CHECK(rubric::encoding_from_name("gb2312") == text_encoding::gb18030);
    CHECK(rubric::encoding_from_name("CP936") == text_encoding::gb18030);
    CHECK(rubric::encoding_from_name("gb-18030") == text_encoding::gb18030);
    CHECK(rubric::encoding_from_name("UTF_8") == text_encoding::utf8);
    CHECK(rubric::encoding_from_name("utf-16") == text_encoding::utf16le);
    CHECK(rubric::encoding_from_name("UTF-16BE") == text_encoding::utf16be);
    CHECK_FALSE(rubric::encoding_from_name("latin1"));
    CHECK_FALSE(rubric::encoding_from_name(""));
}

TEST_CASE("detection: a UTF-16 mark, valid UTF-8 (a sequence cut by the block's end too), else GB18030") {
    CHECK(rubric::detect_encoding("\xFF\xFE" "e\0") == text_encoding::utf16le);
    CHECK(rubric::detect_encoding("\xFE\xFF" "\0e") == text_encoding::utf16be);
    CHECK(rubric::detect_encoding("entity,name\n") == text_encoding::utf8);
    CHECK(rubric::detect_encoding("\xE5\x8D\x95\xE4\xBD\x8D") == text_encoding::utf8);  // 单位
    CHECK(rubric::detect_encoding("\xE5\x8D\x95\xE4\xBD") == text_encoding::utf8);      // 位 cut after two bytes
    CHECK(rubric::detect_encoding("\xB5\xA5\xCE\xBB") == text_encoding::gb18030);       // 单位 in GBK
    CHECK(rubric::detect_encoding("\xE5\x8D\x95\xE4\xBD,") == text_encoding::gb18030);  // cut in the middle: not UTF-8
}

TEST_CASE("GB18030 to UTF-8") {
    const auto d = rubric::to_utf8("\xB5\xA5\xCE\xBB,x\r\n", text_encoding::gb18030);
    REQUIRE(d.ok);
    CHECK(d.text == "\xE5\x8D\x95\xE4\xBD\x8D,x\r\n");
}

TEST_CASE("UTF-16: the mark decides the byte order and is dropped") {
    const std::string le("\xFF\xFE\x55\x53\x4D\x4F\x0A\x00", 8);  // 单位\n
    const std::string be("\xFE\xFF\x53\x55\x4F\x4D\x00\x0A", 8);
    for (auto asked : {text_encoding::utf16le, text_encoding::utf16be}) {
        CHECK(rubric::to_utf8(le, asked).text == "\xE5\x8D\x95\xE4\xBD\x8D\n");
        CHECK(rubric::to_utf8(be, asked).text == "\xE5\x8D\x95\xE4\xBD\x8D\n");
    }
}

TEST_CASE("the first line that is not text in the encoding") {
    // GB18030: 0x81 must be followed by 0x30-0x39 or 0x40-0xFE; a space is neither.
    auto d = rubric::to_utf8("a\nb\r\nc\rd\x81 e\n", text_encoding::gb18030);
    CHECK_FALSE(d.ok);
    CHECK(d.bad_line == 4);
    // Cut in the middle of a character at the end.
    d = rubric::to_utf8("a\n\xB5", text_encoding::gb18030);
    CHECK_FALSE(d.ok);
    CHECK(d.bad_line == 2);
    // UTF-16: a lone high surrogate (D800) before a letter.
    d = rubric::to_utf8(std::string("\xFF\xFE" "a\0\n\0\x00\xD8" "b\0", 10), text_encoding::utf16le);
    CHECK_FALSE(d.ok);
    CHECK(d.bad_line == 2);
    // UTF-8 asked: checked the same way.
    d = rubric::to_utf8("ok\n\xFF\n", text_encoding::utf8);
    CHECK_FALSE(d.ok);
    CHECK(d.bad_line == 2);
}
