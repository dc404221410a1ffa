// Tests for rubric/facts_reader.hpp: CSV, JSON and JSON-lines facts become entities with
// text values and positions; every error is a diagnostic with an exact line:col and message.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "rubric/rubric.hpp"
#include "support/files.hpp"

namespace {

using rubric::facts_format;
using rubric::raw_value;
using kind = rubric::raw_value::kind;

rubric::facts_read_result read(facts_format fmt, std::string text, const rubric::facts_limits& limits = {},
                               std::string name = "f") {
    return rubric::read_facts(rubric::make_source(std::move(name), std::move(text)), fmt, limits);
}
rubric::facts_read_result csv(std::string text, const rubric::facts_limits& limits = {}) {
    return read(facts_format::csv, std::move(text), limits, "f.csv");
}
rubric::facts_read_result json(std::string text, const rubric::facts_limits& limits = {}) {
    return read(facts_format::json, std::move(text), limits, "f.json");
}
rubric::facts_read_result jsonl(std::string text, const rubric::facts_limits& limits = {}) {
    return read(facts_format::jsonl, std::move(text), limits, "f.jsonl");
}

std::string lc(const rubric::position& p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

// Every diagnostic as "code line:col message".
std::vector<std::string> errs(const rubric::facts_read_result& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diags) out.push_back(d.code + " " + lc(d.where.begin) + " " + d.message);
    return out;
}
// The only diagnostic.
std::string err(const rubric::facts_read_result& r) {
    INFO(rubric::render(r.diags));
    REQUIRE(r.diags.size() == 1);
    return errs(r).front();
}
void ok(const rubric::facts_read_result& r) {
    INFO(rubric::render(r.diags));
    REQUIRE(r.diags.empty());
}

// "name=text" for scalar fields, "name=[a|b]" for lists; numbers marked with #, booleans with ?, null as ∅.
std::string show(const raw_value& v) {
    switch (v.k) {
        case kind::text: return v.text;
        case kind::number: return "#" + v.text;
        case kind::boolean: return "?" + v.text;
        case kind::null: return "∅";
        case kind::list: {
            std::string s = "[";
            for (std::size_t i = 0; i < v.items.size(); ++i) s += (i ? "|" : "") + show(v.items[i]);
            return s + "]";
        }
    }
    return "";
}
std::vector<std::string> fields(const rubric::raw_entity& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.name + "=" + show(f.value));
    return out;
}
using strings = std::vector<std::string>;

// Every position in the result agrees with source_file::position_at.
void check_positions(const rubric::source_ptr& src, const std::vector<rubric::raw_entity>& es) {
    auto same = [&](const rubric::position& p) {
        const auto q = src->position_at(p.offset);
        CHECK(p.line == q.line);
        CHECK(p.column == q.column);
    };
    for (const auto& e : es) {
        same(e.pos);
        for (const auto& f : e.fields) {
            same(f.pos);
            same(f.value.pos);
            for (const auto& it : f.value.items) same(it.pos);
        }
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// format guessing
// ---------------------------------------------------------------------------------------

TEST_CASE("guess_facts_format goes by the extension, ignoring case; json by default") {
    CHECK(rubric::guess_facts_format("a/b/facts.csv") == facts_format::csv);
    CHECK(rubric::guess_facts_format("FACTS.CSV") == facts_format::csv);
    CHECK(rubric::guess_facts_format("x.json") == facts_format::json);
    CHECK(rubric::guess_facts_format("x.jsonl") == facts_format::jsonl);
    CHECK(rubric::guess_facts_format("x.NDJSON") == facts_format::jsonl);
    CHECK(rubric::guess_facts_format("x.txt") == facts_format::json);
    CHECK(rubric::guess_facts_format("") == facts_format::json);
    CHECK(rubric::guess_facts_format("csv") == facts_format::json);
}

// ---------------------------------------------------------------------------------------
// CSV facts
// ---------------------------------------------------------------------------------------

TEST_CASE("csv facts: first column is the id, empty cells are absent, text and positions kept") {
    const auto src = rubric::make_source("f.csv",
                                         "单位,得分,比例,备注\n"
                                         "甲局,12,0.1000000000000000000001,\n"
                                         "乙局,,\"85%\",\"说明,含逗号\"\n");
    const auto r = rubric::read_facts(src, facts_format::csv);
    ok(r);
    REQUIRE(r.entities.size() == 2);
    const auto& a = r.entities[0];
    CHECK(a.id == "甲局");
    CHECK(a.index == 0);
    CHECK(lc(a.pos) == "2:1");
    CHECK(fields(a) == strings{"得分=12", "比例=0.1000000000000000000001"});
    CHECK(a.fields[0].value.k == kind::text);  // CSV has no types: typing happens later
    CHECK(lc(a.fields[0].pos) == "1:4");       // the header cell
    CHECK(lc(a.fields[0].value.pos) == "2:4"); // the data cell
    CHECK(lc(a.fields[1].pos) == "1:7");
    CHECK(lc(a.fields[1].value.pos) == "2:7");
    const auto& b = r.entities[1];
    CHECK(b.id == "乙局");
    CHECK(b.index == 1);
    CHECK(fields(b) == strings{"比例=85%", "备注=说明,含逗号"});
    CHECK(lc(b.fields[0].value.pos) == "3:5");
    CHECK(lc(b.fields[1].value.pos) == "3:11");
    check_positions(src, r.entities);
}

TEST_CASE("csv facts: BOM and CRLF (a typical Excel export)") {
    const auto r = csv("\xEF\xBB\xBF单位,得分\r\n甲局,1\r\n乙局,2\r\n");
    ok(r);
    REQUIRE(r.entities.size() == 2);
    CHECK(r.entities[0].fields[0].name == "得分");  // no BOM, no CR in names or values
    CHECK(r.entities[1].id == "乙局");
    CHECK(fields(r.entities[1]) == strings{"得分=2"});
    CHECK(lc(r.entities[1].pos) == "3:1");
}

TEST_CASE("csv facts: only an id column, and a header without data rows") {
    auto r = csv("单位\n甲\n乙\n");
    ok(r);
    REQUIRE(r.entities.size() == 2);
    CHECK(r.entities[1].fields.empty());
    r = csv("单位,得分\n");
    ok(r);
    CHECK(r.entities.empty());
}

TEST_CASE("csv facts: ragged rows name file:line, entity and row, and the other rows still count") {
    const auto r = csv("单位,a,b\n甲,1,2\n乙,1\n丙,1,2,3\n丁,4,5\n,1\n");
    CHECK(errs(r) == strings{
                         "E-facts-ragged 3:1 row 3 (entity \"乙\") has 2 cells, but the header has 3 columns",
                         "E-facts-ragged 4:7 row 4 (entity \"丙\") has 4 cells, but the header has 3 columns",
                         "E-facts-ragged 6:1 row 6 (no entity id) has 2 cells, but the header has 3 columns",
                     });
    REQUIRE(r.entities.size() == 2);
    CHECK(r.entities[0].id == "甲");
    CHECK(r.entities[1].id == "丁");
    CHECK(r.entities[1].index == 3);
    CHECK(rubric::render(r.diags.front()) ==
          "f.csv:3:1: error: row 3 (entity \"乙\") has 2 cells, but the header has 3 columns\n"
          "  乙,1\n"
          "  ^\n"
          "  expected: one cell per header column (leave a cell empty when the fact is not provided)\n");
}

TEST_CASE("csv facts: header errors") {
    CHECK(errs(csv("单位,a,b,a,,c,b\n甲,1,2,3,4,5,6\n")) ==
          strings{
              "E-facts-header 1:8 duplicate column name \"a\" (also column 2, at line 1, column 4)",
              "E-facts-header 1:10 column 5 of the header has no name",
              "E-facts-header 1:13 duplicate column name \"b\" (also column 3, at line 1, column 6)",
          });
    CHECK(err(csv(",a\n甲,1\n")) == "E-facts-header 1:1 column 1 of the header has no name");
    CHECK(err(csv("id,id\n")) == "E-facts-header 1:4 duplicate column name \"id\" (also column 1, at line 1, column 1)");
    CHECK(err(csv("")) == "E-facts-header 1:1 the file is empty: its first row must name the columns");
    CHECK(err(csv("\r\n\n")) == "E-facts-header 1:1 the file is empty: its first row must name the columns");
    CHECK(csv("单位,a,a\n甲,1,2\n").entities.empty());  // no entity from a file with a bad header
}

TEST_CASE("csv facts: a tab- or semicolon-separated file is refused at its header, at the first separator") {
    // Read as CSV, "单位\ta\tb" is one column: every row would become one entity id.
    CHECK(err(csv("单位\ta\tb\n甲\t1\t2\n")) ==
          "E-facts-header 1:3 the header row has one column, with tabs in it: the cells of a CSV facts file are "
          "separated by commas");
    CHECK(csv("单位\ta\tb\n甲\t1\t2\n").entities.empty());
    CHECK(err(csv("id;a;b\nA;1;2\n")) ==
          "E-facts-header 1:3 the header row has one column, with semicolons in it: the cells of a CSV facts file "
          "are separated by commas");
    // Several columns: a tab or a semicolon inside a name is only part of the name.
    ok(csv("单位,a;b\n甲,1\n"));
    // A quoted one-column header says the name on purpose.
    ok(csv("\"a;b\"\n甲\n"));
}

TEST_CASE("csv facts: a cell of only spaces is not provided, as an empty cell; fields are marked as columns") {
    const auto r = csv("单位,a,b\n甲,   ,1\n乙,\"  \",\n");
    ok(r);
    REQUIRE(r.entities.size() == 2);
    CHECK(fields(r.entities[0]) == strings{"b=1"});
    CHECK(r.entities[0].fields[0].column);
    CHECK(r.entities[1].fields.empty());
    const auto j = json("{\"entity\": \"甲\", \"a\": 1}");
    ok(j);
    REQUIRE(j.entities.size() == 1);
    CHECK_FALSE(j.entities[0].fields[0].column);  // JSON: every object names its own keys
}

TEST_CASE("csv facts: empty entity id") {
    const auto r = csv("单位,a\n甲,1\n,2\n\"\",3\n");
    CHECK(errs(r) == strings{
                         "E-facts-id 3:1 row 3 has no entity id (its cell in column \"单位\" is empty)",
                         "E-facts-id 4:1 row 4 has no entity id (its cell in column \"单位\" is empty)",
                     });
    CHECK(r.entities.size() == 1);
}

TEST_CASE("csv facts: CSV syntax errors pass through with their position") {
    const auto r = csv("单位,a\n甲,1\n乙,\"2\n");
    CHECK(err(r) == "E-facts-csv 3:3 this quoted field is never closed (a '\"' is missing)");
    CHECK(r.entities.size() == 1);  // rows before the error were read
    CHECK(err(csv("单位,a\n甲,\xFF\n")) == "E-facts-utf8 2:3 the file is not valid UTF-8 text (save it as UTF-8)");
}

TEST_CASE("csv facts: limits") {
    rubric::facts_limits lim;
    lim.max_fields = 2;
    ok(csv("id,a,b\nA,1,2\n", lim));
    CHECK(err(csv("id,a,b,c\nA,1,2,3\n", lim)) == "E-facts-limit 1:8 row 1 has too many cells (the limit is 3)");
    lim = {};
    lim.max_entities = 2;
    ok(csv("id\nA\nB\n", lim));
    const auto r = csv("id\nA\nB\nC\n", lim);
    CHECK(err(r) == "E-facts-limit 4:1 too many entities (the limit is 2)");
    CHECK(r.entities.size() == 2);
    lim = {};
    lim.max_text_bytes = 3;
    CHECK(err(csv("id,a\nA,1234\n", lim)) == "E-facts-limit 2:3 this field is too long (the limit is 3 bytes)");
    lim = {};
    lim.max_bytes = 8;
    CHECK(err(csv("id,a\nA,12\n", lim)) == "E-facts-limit 0:0 the file is too large (10 bytes; the limit is 8)");
}

TEST_CASE("csv facts: too many errors stop the reading with a note") {
    std::string text = "id,a,b\n";
    for (int i = 0; i < 150; ++i) text += "E" + std::to_string(i) + ",1\n";
    rubric::facts_limits lim;
    lim.max_errors = 5;
    const auto r = csv(text, lim);
    REQUIRE(r.diags.size() == 6);
    CHECK(r.diags.back().level == rubric::severity::note);
    CHECK(r.diags.back().message == "too many errors (5); the rest of the file was not read");
    CHECK(csv(text).diags.size() == 101);
}

// ---------------------------------------------------------------------------------------
// JSON facts
// ---------------------------------------------------------------------------------------

TEST_CASE("json facts: one object or an array of objects; every value kind") {
    const auto src = rubric::make_source("f.json",
                                         "[\n"
                                         "  {\"entity\": \"甲局\", \"得分\": 12, \"比例\": 0.1000000000000000000001,\n"
                                         "   \"达标\": true, \"缺\": null, \"说明\": \"文字\", \"列表\": [1, \"x\", false, null, -2.50]},\n"
                                         "  {\"entity\": 101, \"e\": 1e999999, \"neg\": -0.0, \"E\": 1E+3, \"empty\": [], \"s\": \"\"}\n"
                                         "]\n");
    const auto r = rubric::read_facts(src, facts_format::json);
    ok(r);
    REQUIRE(r.entities.size() == 2);
    const auto& a = r.entities[0];
    CHECK(a.id == "甲局");
    CHECK(a.index == 0);
    CHECK(fields(a) ==
          strings{"得分=#12", "比例=#0.1000000000000000000001", "达标=?true", "说明=文字", "列表=[#1|x|?false|∅|#-2.50]"});
    CHECK(lc(a.pos) == "2:14");                  // the id value
    CHECK(lc(a.fields[0].pos) == "2:20");        // the key's opening quote
    CHECK(lc(a.fields[0].value.pos) == "2:26");  // the value
    CHECK(lc(a.fields[2].pos) == "3:4");
    CHECK(lc(a.fields[4].value.pos) == "3:45");
    CHECK(lc(a.fields[4].value.items[4].pos) == "3:67");
    const auto& b = r.entities[1];
    CHECK(b.id == "101");  // an integer id becomes its text
    CHECK(b.index == 1);
    CHECK(fields(b) == strings{"e=#1e999999", "neg=#-0.0", "E=#1E+3", "empty=[]", "s="});
    check_positions(src, r.entities);

    const auto one = json("{\"entity\":\"A\",\"x\":\"1\"}");
    ok(one);
    REQUIRE(one.entities.size() == 1);
    CHECK(fields(one.entities[0]) == strings{"x=1"});
    ok(json(" [ ] "));
    CHECK(json("[]").entities.empty());
    ok(json("{\"entity\":\"A\"}"));
}

TEST_CASE("json facts: number text is kept exactly") {
    const char* numbers[] = {"0", "-0", "7", "-7", "0.85", "0.1000000000000000000001", "100.000", "1e5", "1E5",
                             "1e+5", "1e-5", "-1.5E-10", "123456789012345678901234567890", "1e999999",
                             "0.000000000000000000000000000001"};
    for (const std::string n : numbers) {
        CAPTURE(n);
        const auto r = json("{\"entity\":\"A\",\"v\":" + n + "}");
        ok(r);
        REQUIRE(r.entities.size() == 1);
        REQUIRE(r.entities[0].fields.size() == 1);
        CHECK(r.entities[0].fields[0].value.k == kind::number);
        CHECK(r.entities[0].fields[0].value.text == n);
    }
}

TEST_CASE("json facts: strings, escapes and surrogate pairs") {
    auto text_of = [](const std::string& lit) {
        const auto r = json("{\"entity\":\"A\",\"v\":" + lit + "}");
        INFO(rubric::render(r.diags));
        REQUIRE(r.diags.empty());
        REQUIRE(r.entities.at(0).fields.size() == 1);
        return r.entities[0].fields[0].value.text;
    };
    CHECK(text_of(R"("plain")") == "plain");
    CHECK(text_of(R"("\"\\\/\b\f\n\r\t")") == "\"\\/\b\f\n\r\t");
    CHECK(text_of(R"("\u00e9\u4E2D\u0041")") == "\xC3\xA9\xE4\xB8\xAD" "A");
    CHECK(text_of(R"("\ud83d\ude00")") == "\xF0\x9F\x98\x80");  // U+1F600 from a surrogate pair
    CHECK(text_of(R"("\uD800\uDC00")") == "\xF0\x90\x80\x80");  // U+10000
    CHECK(text_of(R"("\uDBFF\uDFFF")") == "\xF4\x8F\xBF\xBF");  // U+10FFFF
    // NUL decodes, but is refused as the CSV reader refuses it (it would cut the text short).
    CHECK(err(json(R"({"entity":"A","v":"\u0000"})")) ==
          "E-facts-value 1:19 entity \"A\", field \"v\": its value contains a NUL byte (U+0000), which would cut the text short");
    CHECK(text_of("\"中文😀\"") == "中文😀");
    CHECK(text_of("\"\x7F\"") == "\x7F");  // DEL need not be escaped
}

TEST_CASE("json facts: the id") {
    CHECK(err(json("{\"a\": 1}")) ==
          "E-facts-id 1:1 the entity object at line 1, column 1: this object has no \"entity\" key (the entity's id)");
    CHECK(err(json("[{\"entity\":\"A\"},\n {\"得分\": 1}]")) ==
          "E-facts-id 2:2 the entity object at line 2, column 2: this object has no \"entity\" key (the entity's id)");
    CHECK(err(json("{\"entity\": 1.5}")) ==
          "E-facts-id 1:12 the entity object at line 1, column 1: the \"entity\" value must be a string or an integer, not the number 1.5");
    CHECK(err(json("{\"entity\": 1e3}")) ==
          "E-facts-id 1:12 the entity object at line 1, column 1: the \"entity\" value must be a string or an integer, not the number 1e3");
    CHECK(err(json("{\"entity\": true}")) ==
          "E-facts-id 1:12 the entity object at line 1, column 1: the \"entity\" value must be a string or an integer, not true");
    CHECK(err(json("{\"entity\": null}")) ==
          "E-facts-id 1:12 the entity object at line 1, column 1: the \"entity\" value must be a string or an integer, not null");
    CHECK(err(json("{\"entity\": \"\"}")) ==
          "E-facts-id 1:12 the entity object at line 1, column 1: the \"entity\" value (the id) is empty");
    CHECK(err(json("{\"entity\": [\"A\"]}")) ==
          "E-facts-id 1:12 the entity object at line 1, column 1: the \"entity\" value is a list; it must be the entity's id");
    CHECK(err(json("{\"entity\": {\"id\": 1}}")) ==
          "E-facts-id 1:12 the entity object at line 1, column 1: the \"entity\" value is an object; it must be the entity's id");
    const auto neg = json("{\"entity\": -3}");
    ok(neg);
    CHECK(neg.entities.at(0).id == "-3");
    CHECK(lc(neg.entities.at(0).pos) == "1:12");
}

TEST_CASE("json facts: duplicate keys name the entity and the key, at the second key") {
    CHECK(err(json("{\"entity\": \"甲\",\n \"得分\": 1,\n \"得分\": 2}")) ==
          "E-facts-duplicate-key 3:2 entity \"甲\": duplicate key \"得分\" (first written at line 2, column 2)");
    // Found before the id is known: still named by the id.
    CHECK(err(json("{\"x\": 1, \"x\": 1, \"entity\": \"B\"}")) ==
          "E-facts-duplicate-key 1:10 entity \"B\": duplicate key \"x\" (first written at line 1, column 2)");
    CHECK(err(json("{\"entity\": \"A\", \"entity\": \"B\"}")) ==
          "E-facts-duplicate-key 1:17 entity \"A\": duplicate key \"entity\" (first written at line 1, column 2)");
    // Keys are compared after unescaping.
    CHECK(err(json(R"({"entity": "A", "a": 1, "\u0061": 2})")) ==
          "E-facts-duplicate-key 1:25 entity \"A\": duplicate key \"a\" (first written at line 1, column 17)");
    // Big objects (more than 16 keys) too.
    std::string big = "{\"entity\":\"A\"";
    for (int i = 0; i < 20; ++i) big += ",\"k" + std::to_string(i) + "\":" + std::to_string(i);
    ok(json(big + "}"));
    CHECK(json(big + "}").entities.at(0).fields.size() == 20);
    const auto dups = json(big + ",\"k3\":1,\"k18\":1,\"entity\":1}");
    CHECK(errs(dups) == strings{
                            "E-facts-duplicate-key 1:175 entity \"A\": duplicate key \"k3\" (first written at line 1, column 36)",
                            "E-facts-duplicate-key 1:182 entity \"A\": duplicate key \"k18\" (first written at line 1, column 157)",
                            "E-facts-duplicate-key 1:190 entity \"A\": duplicate key \"entity\" (first written at line 1, column 2)",
                        });
    // The same key in two objects is fine.
    const auto r = json("[{\"entity\":\"A\",\"x\":1},{\"entity\":\"B\",\"x\":2}]");
    ok(r);
    CHECK(r.entities.size() == 2);
}

TEST_CASE("json facts: values that are not facts") {
    CHECK(err(json("{\"entity\": \"A\", \"得分\": {\"v\": 1}}")) ==
          "E-facts-value 1:23 entity \"A\", field \"得分\": an object is not a fact value");
    CHECK(err(json("{\"entity\": \"A\", \"l\": [1, [2]]}")) ==
          "E-facts-value 1:26 entity \"A\", field \"l\": item 2 of the list is a list; lists cannot be nested");
    CHECK(err(json("{\"entity\": \"A\", \"l\": [{}]}")) ==
          "E-facts-value 1:23 entity \"A\", field \"l\": item 1 of the list is an object");
    CHECK(err(json("{\"entity\": \"A\", \"\": 1}")) == "E-facts-value 1:17 entity \"A\": a key is empty");
    // The error skips only that entity.
    const auto r = json("[{\"entity\":\"A\",\"x\":{}}, {\"entity\":\"B\",\"x\":1}, 5]");
    CHECK(errs(r) == strings{
                         "E-facts-value 1:20 entity \"A\", field \"x\": an object is not a fact value",
                         "E-facts-value 1:47 item 3 of the top-level array is not an entity object",
                     });
    REQUIRE(r.entities.size() == 1);
    CHECK(r.entities[0].id == "B");
    CHECK(r.entities[0].index == 1);
    CHECK(err(json("\"A\"")) == "E-facts-value 1:1 the file holds neither an entity object nor an array of them");
}

TEST_CASE("json facts: NaN and Infinity get a clear message") {
    const std::string msg = "NaN and Infinity are not numbers in JSON (and are not valid facts)";
    CHECK(err(json("{\"entity\":\"A\",\"v\":NaN}")) == "E-facts-json 1:19 " + msg);
    CHECK(err(json("{\"entity\":\"A\",\"v\":Infinity}")) == "E-facts-json 1:19 " + msg);
    CHECK(err(json("{\"entity\":\"A\",\"v\":-Infinity}")) == "E-facts-json 1:19 " + msg);
    CHECK(err(json("{\"entity\":\"A\",\"v\":[1, nan]}")) == "E-facts-json 1:23 " + msg);
}

TEST_CASE("json facts: syntax errors with exact positions") {
    auto e = [](const std::string& value) { return err(json("{\"entity\":\"A\",\"v\":" + value + "}")); };
    // the value starts at column 19
    CHECK(e("+1") == "E-facts-json 1:19 a JSON number cannot start with '+'");
    CHECK(e(".5") == "E-facts-json 1:19 a JSON number needs a digit before the decimal point (write 0.5, not .5)");
    CHECK(e("-.5") == "E-facts-json 1:19 a JSON number needs a digit before the decimal point (write 0.5, not .5)");
    CHECK(e("5.") == "E-facts-json 1:19 a JSON number needs a digit after the decimal point (write 5 or 5.0, not 5.)");
    CHECK(e("007") ==
          "E-facts-json 1:19 a JSON number cannot have leading zeros (write 7, not 07; write an id such as 007 as a string)");
    CHECK(e("1e") == "E-facts-json 1:19 a JSON number needs digits in its exponent (as in 1e5)");
    CHECK(e("1e+") == "E-facts-json 1:19 a JSON number needs digits in its exponent (as in 1e5)");
    CHECK(e("-") == "E-facts-json 1:19 '-' must be followed by a digit in a JSON number");
    CHECK(e("1.2.3") == "E-facts-json 1:22 unexpected character '.'");
    CHECK(e("0x10") == "E-facts-json 1:20 unexpected character 'x'");
    CHECK(e("'a'") == "E-facts-json 1:19 JSON strings and keys are written in double quotes, not single quotes");
    CHECK(e("True") == "E-facts-json 1:19 unexpected word 'True'");
    CHECK(e("undefined") == "E-facts-json 1:19 unexpected word 'undefined'");
    CHECK(e("\"a\\x\"") == "E-facts-json 1:21 invalid escape: '\\' followed by 'x'");
    CHECK(e("\"\\u12g4\"") == "E-facts-json 1:20 \\u in a string must be followed by four hex digits");
    CHECK(e("\"\\ud83d\"") ==
          "E-facts-json 1:20 this \\u escape is the first half of a surrogate pair without the second half");
    CHECK(e("\"\\ud83d\\u0041\"") ==
          "E-facts-json 1:20 this \\u escape is the first half of a surrogate pair without the second half");
    CHECK(e("\"\\ude00\"") ==
          "E-facts-json 1:20 this \\u escape is the second half of a surrogate pair without the first half");
    CHECK(e("\"a\tb\"") == "E-facts-json 1:21 the control character U+0009 must be escaped in a JSON string");
    CHECK(e("\"a\nb\"") ==
          "E-facts-json 1:21 a JSON string cannot span lines (this one is not closed on its line)");
    CHECK(e("[1,]") == "E-facts-json 1:22 a trailing comma is not allowed in JSON");
    CHECK(e("[1 2]") == "E-facts-json 1:22 unexpected character '2'");
    CHECK(e("1 // note") == "E-facts-json 1:21 JSON does not allow comments");

    CHECK(err(json("{\"entity\":\"A\",}")) == "E-facts-json 1:15 a trailing comma is not allowed in JSON");
    CHECK(err(json("{\"entity\":\"A\" \"v\":1}")) == "E-facts-json 1:15 unexpected character '\"'");
    CHECK(err(json("{\"entity\" \"A\"}")) == "E-facts-json 1:11 unexpected character '\"'");
    CHECK(err(json("{entity: \"A\"}")) == "E-facts-json 1:2 object keys must be written in double quotes");
    CHECK(err(json("{\"entity\":\"A\"")) == "E-facts-json 1:14 the file ends in the middle of a JSON value");
    CHECK(err(json("{\"entity\":\"A")) == "E-facts-json 1:11 this string is never closed (a '\"' is missing)");
    CHECK(err(json("[{\"entity\":\"A\"},]")) == "E-facts-json 1:17 a trailing comma is not allowed in JSON");
    CHECK(err(json("[{\"entity\":\"A\"}")) == "E-facts-json 1:16 the file ends in the middle of a JSON value");
    CHECK(err(json("")) == "E-facts-json 1:1 the file is empty");
    CHECK(err(json(" \n\t ")) == "E-facts-json 2:3 the file is empty");
    CHECK(err(json("{\"entity\":\"A\",\"v\":\xFF}")) ==
          "E-facts-utf8 1:19 the file is not valid UTF-8 text (save it as UTF-8)");
    CHECK(err(json("{\"entity\":\"A\"}\x01")) == "E-facts-json 1:15 unexpected text after the end of the JSON value");
}

TEST_CASE("json facts: trailing garbage and a second top-level value") {
    CHECK(err(json("{\"entity\":\"A\"} {\"entity\":\"B\"}")) ==
          "E-facts-json 1:16 unexpected text after the end of the JSON value");
    CHECK(err(json("[{\"entity\":\"A\"}]\n]")) == "E-facts-json 2:1 unexpected text after the end of the JSON value");
    CHECK(err(json("[]x")) == "E-facts-json 1:3 unexpected text after the end of the JSON value");
    ok(json("[{\"entity\":\"A\"}]\r\n\t \n"));  // trailing whitespace is fine
}

TEST_CASE("json facts: whitespace of every JSON kind between tokens; BOM") {
    const auto r = json("\xEF\xBB\xBF\r\n[\t{ \"entity\"\r\n:\n\"A\" ,\t\"v\" :\r[ 1 ,2 ] } ]");
    ok(r);
    REQUIRE(r.entities.size() == 1);
    CHECK(fields(r.entities[0]) == strings{"v=[#1|#2]"});
    CHECK(lc(r.entities[0].pos) == "4:1");
}

TEST_CASE("json facts: limits") {
    rubric::facts_limits lim;
    lim.max_number_chars = 5;
    ok(json("{\"entity\":\"A\",\"v\":-1.25}", lim));
    CHECK(err(json("{\"entity\":\"A\",\"v\":-1.255}", lim)) ==
          "E-facts-limit 1:19 entity \"A\", field \"v\": the number is too long (6 characters; the limit is 5)");
    CHECK(err(json("{\"entity\":\"A\",\"v\":[1, 123456]}", lim)) ==
          "E-facts-limit 1:23 entity \"A\", field \"v\": the number is too long (6 characters; the limit is 5)");
    // the default limit: 1100 characters
    ok(json("{\"entity\":\"A\",\"v\":1" + std::string(1099, '0') + "}"));
    CHECK(err(json("{\"entity\":\"A\",\"v\":1" + std::string(1100, '0') + "}")) ==
          "E-facts-limit 1:19 entity \"A\", field \"v\": the number is too long (1101 characters; the limit is 1100)");

    lim = {};
    lim.max_text_bytes = 6;
    ok(json("{\"entity\":\"A\",\"abcdef\":\"中文\"}", lim));
    CHECK(err(json("{\"entity\":\"A\",\"v\":\"中文字\"}", lim)) ==
          "E-facts-limit 1:19 entity \"A\", field \"v\": the text is too long (the limit is 6 bytes)");
    CHECK(err(json("{\"entity\":\"A\",\"abcdefg\":1}", lim)) ==
          "E-facts-limit 1:15 entity \"A\": a key is too long (the limit is 6 bytes)");

    lim = {};
    lim.max_fields = 2;
    ok(json("{\"entity\":\"A\",\"a\":1,\"b\":2}", lim));
    CHECK(err(json("{\"entity\":\"A\",\"a\":1,\"b\":2,\"c\":3,\"d\":4}", lim)) ==
          "E-facts-limit 1:27 entity \"A\": too many fields (the limit is 2)");

    lim = {};
    lim.max_entities = 2;
    const auto r = json("[{\"entity\":\"A\"},{\"entity\":\"B\"},{\"entity\":\"C\"}]", lim);
    CHECK(err(r) == "E-facts-limit 1:32 too many entities (the limit is 2)");
    CHECK(r.entities.size() == 2);

    lim = {};
    lim.max_bytes = 10;
    CHECK(err(json("{\"entity\":\"A\"}", lim)) == "E-facts-limit 0:0 the file is too large (14 bytes; the limit is 10)");
}

TEST_CASE("json facts: nesting depth is limited, and deep input does not exhaust the stack") {
    rubric::facts_limits lim;
    lim.max_depth = 4;  // array 1, entity 2, value object 3, inside it 4
    CHECK(err(json("[{\"entity\":\"A\",\"v\":{\"a\":{}}}]", lim)) ==
          "E-facts-value 1:20 entity \"A\", field \"v\": an object is not a fact value");
    CHECK(err(json("[{\"entity\":\"A\",\"v\":{\"a\":{\"b\":[]}}}]", lim)) ==
          "E-facts-limit 1:30 the JSON is nested too deeply (the limit is 4 levels)");
    lim.max_depth = 1;
    CHECK(err(json("[{\"entity\":\"A\"}]", lim)) == "E-facts-limit 1:2 the JSON is nested too deeply (the limit is 1 levels)");
    ok(json("{\"entity\":\"A\"}", lim));
    CHECK(err(json("{\"entity\":\"A\",\"v\":[]}", lim)) ==
          "E-facts-limit 1:19 the JSON is nested too deeply (the limit is 1 levels)");

    // 200,000 levels: a clean error (default limit 32), no recursion.
    const std::string deep = "{\"entity\":\"A\",\"v\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
    CHECK(err(json(deep)) == "E-facts-limit 1:50 the JSON is nested too deeply (the limit is 32 levels)");
    const std::string deep_top = std::string(200000, '[') + std::string(200000, ']');
    CHECK(err(json(deep_top)) == "E-facts-limit 1:33 the JSON is nested too deeply (the limit is 32 levels)");
    // With the limit lifted, skipping is iterative: still no stack overflow.
    lim.max_depth = 1000000;
    CHECK(err(json(deep, lim)) == "E-facts-value 1:20 entity \"A\", field \"v\": item 1 of the list is a list; lists cannot be nested");
}

TEST_CASE("json facts: agrees with nlohmann::json on what is valid, and on decoded strings") {
    // Scalars and flat lists (what a fact can be); each is placed as a field value. (Not
    // "\u0000": valid JSON, refused on purpose as a NUL, in "strings, escapes and surrogate pairs".)
    const char* values[] = {
        "0", "-0", "1.5", "1e5", "-1E-5", "1.0e+10", "123456789012345678901234567890.5",
        "00", "01", "-", "+1", ".5", "5.", "1e", "1e+", "1.e5", "0x1", "1_000", "--1", "-01",
        "true", "false", "null", "tru", "nul", "TRUE", "NaN", "Infinity", "-Infinity",
        "\"\"", "\"a\"", "\"\\\"\"", "\"\\\\\"", "\"\\/\"", "\"\\b\\f\\n\\r\\t\"", "\"\\u0041\"", "\"\\u00e9\"",
        "\"\\u4e2d\"", "\"\\uD83D\\uDE00\"", "\"\\ud83d\\ude00x\"", "\"\\uD83D\"", "\"\\uDE00\"", "\"\\uD83Dx\"",
        "\"\\uD83D\\u0041\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\x\"", "\"\\'\"", "\"\\a\"", "\"\t\"", "\"\x01\"",
        "\"\x7f\"", "\"中文\"", "'a'", "\"a", "\"a\\", "\"a\\\"",
        "[]", "[1]", "[1,2]", "[ 1 , \"a\" , true , null ]", "[1,]", "[,1]", "[1 2]", "[", "[1", "[1,",
        "\"\\uDBFF\\uDFFF\"", "\"\\uDC00\\uD800\"", "1 ", " 1", "\t\r\n1\r\n",
    };
    for (const std::string v : values) {
        CAPTURE(v);
        const std::string doc = "{\"entity\":\"A\",\"v\":" + v + "}";
        const bool theirs = nlohmann::json::accept(doc);
        const auto r = json(doc);
        INFO(rubric::render(r.diags));
        CHECK(r.diags.empty() == theirs);
        if (!theirs || !r.diags.empty()) continue;
        const auto j = nlohmann::json::parse(doc).at("v");
        if (j.is_null()) {
            CHECK(r.entities.at(0).fields.empty());
            continue;
        }
        REQUIRE(r.entities.at(0).fields.size() == 1);
        const auto& got = r.entities[0].fields[0].value;
        auto same = [](const nlohmann::json& x, const raw_value& y) {
            if (x.is_string()) return y.k == kind::text && y.text == x.get<std::string>();
            if (x.is_boolean()) return y.k == kind::boolean && y.text == (x.get<bool>() ? "true" : "false");
            if (x.is_null()) return y.k == kind::null;
            if (x.is_number()) return y.k == kind::number;  // the text is checked elsewhere
            return false;
        };
        if (j.is_array()) {
            REQUIRE(got.k == kind::list);
            REQUIRE(got.items.size() == j.size());
            for (std::size_t i = 0; i < j.size(); ++i) CHECK(same(j[i], got.items[i]));
        } else {
            CHECK(same(j, got));
        }
    }
}

TEST_CASE("json facts: the number text given by nlohmann's SAX interface equals ours") {
    // nlohmann's SAX number callbacks receive the original text; ours must be the same.
    struct sax : nlohmann::json_sax<nlohmann::json> {
        std::vector<std::string> numbers;
        bool null() override { return true; }
        bool boolean(bool) override { return true; }
        bool number_integer(number_integer_t) override { return true; }
        bool number_unsigned(number_unsigned_t) override { return true; }
        bool number_float(number_float_t, const string_t& s) override {
            numbers.push_back(s);
            return true;
        }
        bool string(string_t&) override { return true; }
        bool binary(binary_t&) override { return true; }
        bool start_object(std::size_t) override { return true; }
        bool key(string_t&) override { return true; }
        bool end_object() override { return true; }
        bool start_array(std::size_t) override { return true; }
        bool end_array() override { return true; }
        bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
    };
    const std::string doc = "{\"entity\":\"A\",\"v\":[0.1000000000000000000001, 1e-999999, -2.50, 3E+2, 1.0]}";
    sax s;
    REQUIRE(nlohmann::json::sax_parse(doc, &s));
    const auto r = json(doc);
    ok(r);
    std::vector<std::string> ours;
    for (const auto& it : r.entities.at(0).fields.at(0).value.items) ours.push_back(it.text);
    CHECK(ours == s.numbers);
}

// ---------------------------------------------------------------------------------------
// JSON lines
// ---------------------------------------------------------------------------------------

TEST_CASE("jsonl facts: one object per non-blank line; CRLF; positions") {
    const auto src = rubric::make_source("f.jsonl",
                                         "{\"entity\":\"甲\",\"v\":0.85}\r\n"
                                         "\r\n"
                                         "   \t\n"
                                         "  {\"entity\": 2, \"v\": [true]}\n"
                                         "{\"entity\":\"丙\"}");
    const auto r = rubric::read_facts(src, facts_format::jsonl);
    ok(r);
    REQUIRE(r.entities.size() == 3);
    CHECK(r.entities[0].id == "甲");
    CHECK(fields(r.entities[0]) == strings{"v=#0.85"});
    CHECK(r.entities[1].id == "2");
    CHECK(r.entities[1].index == 1);
    CHECK(lc(r.entities[1].pos) == "4:14");
    CHECK(lc(r.entities[1].fields[0].pos) == "4:17");
    CHECK(r.entities[2].index == 2);
    CHECK(lc(r.entities[2].pos) == "5:11");
    check_positions(src, r.entities);
    ok(jsonl(""));
    ok(jsonl("\n\n"));
}

TEST_CASE("jsonl facts: an error skips its line only") {
    const auto r = jsonl("{\"entity\":\"A\"}\n"
                         "{\"entity\":\"B\",\n"
                         "\"v\":1}\n"
                         "[1]\n"
                         "{\"entity\":\"C\"} x\n"
                         "{\"entity\":\"D\",\"v\":1,\"v\":2}\n"
                         "{\"entity\":\"E\"}\n");
    CHECK(errs(r) == strings{
                         "E-facts-json 2:15 the line ends in the middle of a JSON value",
                         "E-facts-value 3:1 this line does not hold an entity object",  // "v" alone
                         "E-facts-value 4:1 this line does not hold an entity object",
                         "E-facts-json 5:16 unexpected text after the entity object on this line",
                         "E-facts-duplicate-key 6:21 entity \"D\": duplicate key \"v\" (first written at line 6, column 15)",
                     });
    REQUIRE(r.entities.size() == 3);
    CHECK(r.entities[0].id == "A");
    CHECK(r.entities[1].id == "C");  // the object was complete; the garbage after it is reported
    CHECK(r.entities[2].id == "E");
    CHECK(r.entities[2].index == 6);
    CHECK(errs(jsonl("{\"entity\":\"A\",\"s\":\"ab\ncd\"}")) ==
          strings{"E-facts-json 1:19 this string is not closed on its line",
                  "E-facts-json 2:1 unexpected word 'cd'"});
}

// ---------------------------------------------------------------------------------------
// streaming
// ---------------------------------------------------------------------------------------

TEST_CASE("read_facts_stream sees the same entities as read_facts, in every format") {
    const std::pair<facts_format, std::string> inputs[] = {
        {facts_format::csv, "id,a,b\nA,1,\nB,,x\nC,\"1,5\",2\n"},
        {facts_format::json, "[{\"entity\":\"A\",\"a\":\"1\"},{\"entity\":\"B\",\"b\":\"x\"},{\"entity\":\"C\",\"a\":\"1,5\",\"b\":\"2\"}]"},
        {facts_format::jsonl, "{\"entity\":\"A\",\"a\":\"1\"}\n{\"entity\":\"B\",\"b\":\"x\"}\n{\"entity\":\"C\",\"a\":\"1,5\",\"b\":\"2\"}\n"},
    };
    for (const auto& [fmt, text] : inputs) {
        CAPTURE(text);
        const auto src = rubric::make_source("s", text);
        const auto whole = rubric::read_facts(src, fmt);
        ok(whole);
        std::vector<rubric::raw_entity> streamed;
        const auto diags = rubric::read_facts_stream(src, fmt, [&](rubric::raw_entity&& e) {
            streamed.push_back(std::move(e));
            return true;
        });
        CHECK(diags.empty());
        REQUIRE(streamed.size() == 3);
        REQUIRE(whole.entities.size() == 3);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(streamed[i].id == whole.entities[i].id);
            CHECK(streamed[i].index == i);
            CHECK(streamed[i].pos.offset == whole.entities[i].pos.offset);
            CHECK(fields(streamed[i]) == fields(whole.entities[i]));
        }
        CHECK(fields(streamed[2]) == strings{"a=1,5", "b=2"});

        // Returning false stops the reading, without a diagnostic.
        int calls = 0;
        const auto stopped = rubric::read_facts_stream(src, fmt, [&](rubric::raw_entity&&) { return ++calls < 2; });
        CHECK(stopped.empty());
        CHECK(calls == 2);
    }
}

TEST_CASE("read_facts_stream: many rows") {
    std::string text = "单位,得分,比例\n";
    std::string jl;
    for (int i = 0; i < 50000; ++i) {
        text += "U" + std::to_string(i) + "," + std::to_string(i) + ",0." + std::to_string(i) + "\r\n";
        jl += "{\"entity\":\"U" + std::to_string(i) + "\",\"得分\":" + std::to_string(i) + ",\"比例\":0." +
              std::to_string(i) + "}\n";
    }
    for (const auto& [fmt, t] : {std::pair{facts_format::csv, text}, std::pair{facts_format::jsonl, jl}}) {
        std::size_t n = 0;
        std::string last;
        const auto diags = rubric::read_facts_stream(rubric::make_source("big", t), fmt, [&](rubric::raw_entity&& e) {
            ++n;
            last = e.fields.at(1).value.text;
            return true;
        });
        CHECK(diags.empty());
        CHECK(n == 50000);
        CHECK(last == "0.49999");
    }
}

TEST_CASE("read_facts never throws: a null source gives nothing") {
    const auto r = rubric::read_facts(nullptr, facts_format::json);
    CHECK(r.entities.empty());
    CHECK(r.diags.empty());
}

TEST_CASE("entity_ids: the second entity of an id is refused at its id, naming the first line") {
    // CSV: x on lines 2 and 4 (the id cell, column 1); JSON: 7 and "7" are one id.
    const auto src = rubric::make_source("f.csv", "entity,a\nx,1\ny,2\nx,3\ny,4\n");
    const auto r = rubric::read_facts(src, facts_format::csv);
    ok(r);
    REQUIRE(r.entities.size() == 4);
    rubric::entity_ids ids;
    rubric::diagnostics ds;
    CHECK(ids.add(r.entities[0], src, ds));
    CHECK(ids.add(r.entities[1], src, ds));
    CHECK(ds.empty());
    CHECK_FALSE(ids.add(r.entities[2], src, ds));
    CHECK_FALSE(ids.add(r.entities[3], src, ds));
    REQUIRE(ds.size() == 2);
    CHECK(ds[0].code == rubric::codes::facts_duplicate_entity);
    CHECK(ds[0].level == rubric::severity::error);
    CHECK(lc(ds[0].where.begin) == "4:1");
    CHECK(rubric::render(ds[0]) == "f.csv:4:1: error: entity x is given twice (first on line 2)\n  x,3\n  ^\n");
    CHECK(rubric::render(ds[1], rubric::lang::zh) == "f.csv:5:1: 错误：单位 y 出现了两次（首次在第 3 行）\n  y,4\n  ^\n");

    const auto jsrc = rubric::make_source("f.json", "[\n{\"entity\": 7},\n{\"entity\": \"7\"}\n]");
    const auto j = rubric::read_facts(jsrc, facts_format::json);
    ok(j);
    REQUIRE(j.entities.size() == 2);
    rubric::entity_ids jids;
    rubric::diagnostics jds;
    CHECK(jids.add(j.entities[0], jsrc, jds));
    CHECK_FALSE(jids.add(j.entities[1], jsrc, jds));
    REQUIRE(jds.size() == 1);
    CHECK(rubric::render(jds[0]) ==
          "f.json:3:12: error: entity 7 is given twice (first on line 2)\n  {\"entity\": \"7\"}\n             ^\n");
}
