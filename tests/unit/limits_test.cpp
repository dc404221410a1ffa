// limits.hpp: every limit accepts input exactly at it and refuses one past it, with the
// position of what is past it. Inputs are generated here; the limits are set small so
// that the inputs stay small, and a few are also tried at their defaults.
#include <doctest/doctest.h>

#include <pthread.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "rubric/rubric.hpp"

namespace {

rubric::parse_result parse_with(const std::string& text, const rubric::limits& l) {
    return rubric::parse(rubric::make_source("t.rubric", text), l.parsing());
}

std::string where(const rubric::diagnostic& d) {
    return std::to_string(d.where.begin.line) + ":" + std::to_string(d.where.begin.column);
}

std::string first_error_code(const rubric::diagnostics& ds) {
    for (const auto& d : ds)
        if (d.level == rubric::severity::error) return d.code;
    return "";
}

// One item whose score is `expr` over a count input `a`.
std::string item_scoring(const std::string& expr) {
    return "item 1 \"x\" 100 { input a: count  score " + expr + " }\n";
}

rubric::program_ptr compile_text(const std::string& text) {
    auto c = rubric::parse_and_check(rubric::make_source("t.rubric", text));
    REQUIRE_MESSAGE(c.rubric, rubric::render(c.diags));
    return rubric::compile(std::move(*c.rubric));
}

rubric::facts_read_result read_json(const std::string& text, const rubric::limits& l) {
    return rubric::read_facts(rubric::make_source("f.json", text), rubric::facts_format::json, l.facts());
}

rubric::facts_read_result read_csv(const std::string& text, const rubric::limits& l) {
    return rubric::read_facts(rubric::make_source("f.csv", text), rubric::facts_format::csv, l.facts());
}

}  // namespace

TEST_CASE("limits: the defaults are the documented ones and those of the stage options") {
    const rubric::limits l;
    CHECK(l.source_bytes == 16u * 1024 * 1024);
    CHECK(l.nesting == 64);
    CHECK(l.nodes == 100000);
    CHECK(l.exprs == 1000000);
    CHECK(l.number_digits == 40);
    CHECK(l.number_exponent == 40);
    CHECK(l.facts_bytes == 64u * 1024 * 1024);
    CHECK(l.json_depth == 32);
    CHECK(l.fields == 10000);
    CHECK(l.eval_steps == 10000000);
    // limits{} means the same as the stage defaults, so callers of the old options see no change
    const rubric::parse_options p = l.parsing(), p0;
    CHECK(p.max_source_bytes == p0.max_source_bytes);
    CHECK(p.max_nesting == p0.max_nesting);
    CHECK(p.max_nodes == p0.max_nodes);
    CHECK(p.max_exprs == p0.max_exprs);
    CHECK(p.max_errors == p0.max_errors);
    CHECK(p.numbers.max_digits == p0.numbers.max_digits);
    CHECK(p.numbers.max_exponent == p0.numbers.max_exponent);
    const rubric::facts_limits f = l.facts(), f0;
    CHECK(f.max_bytes == f0.max_bytes);
    CHECK(f.max_depth == f0.max_depth);
    CHECK(f.max_fields == f0.max_fields);
    CHECK(f.max_number_chars == f0.max_number_chars);
    CHECK(f.max_entities == f0.max_entities);
    CHECK(f.max_text_bytes == f0.max_text_bytes);
    const rubric::bind_options b = l.binding(), b0;
    CHECK(b.numbers.max_digits == b0.numbers.max_digits);
    CHECK(b.numbers.max_exponent == b0.numbers.max_exponent);
    CHECK(b.max_eval_steps == b0.max_eval_steps);
    CHECK(b.allow_unknown == b0.allow_unknown);
    CHECK(rubric::validate(l).empty());
}

TEST_CASE("limits: set by name, with K/M/G, and refused with a reason") {
    rubric::limits l;
    CHECK(rubric::set_limit(l, "nesting=12").empty());
    CHECK(l.nesting == 12);
    CHECK(rubric::set_limit(l, "facts-bytes=3M").empty());
    CHECK(l.facts_bytes == 3u * 1024 * 1024);
    CHECK(rubric::set_limit(l, "source-bytes=2K").empty());
    CHECK(l.source_bytes == 2048);
    CHECK(rubric::set_limit(l, "eval-steps", 7).empty());
    CHECK(l.eval_steps == 7);

    const rubric::limits before = l;
    auto en = [](const rubric::localized& m) { return rubric::translate(m, rubric::lang::en); };
    CHECK(en(rubric::set_limit(l, "depth=3")).rfind("unknown limit `depth` (the limits are source-bytes, nesting,", 0) == 0);
    CHECK(en(rubric::set_limit(l, "nesting=0")) == "the limit nesting must be at least 1");
    CHECK(en(rubric::set_limit(l, "nesting=1000")).empty());
    CHECK(en(rubric::set_limit(l, "nesting=1001")) == "the limit nesting may be at most 1000");
    CHECK(en(rubric::set_limit(l, "nesting=-1")) ==
          "`nesting=-1` is not a limit setting: expected NAME=N, such as nesting=32 or facts-bytes=128M");
    CHECK_FALSE(rubric::set_limit(l, "nesting").empty());
    CHECK_FALSE(rubric::set_limit(l, "=5").empty());
    CHECK_FALSE(rubric::set_limit(l, "nesting=").empty());
    CHECK_FALSE(rubric::set_limit(l, "nesting=1.5").empty());
    CHECK_FALSE(rubric::set_limit(l, "fields=99999999999999999999999").empty());  // beyond size_t
    CHECK_FALSE(rubric::set_limit(l, "fields=17179869184G").empty());             // 2^34 GiB overflows
    CHECK(l.nesting == 1000);  // only the one good setting above changed it
    CHECK(l.fields == before.fields);
    CHECK(rubric::translate(rubric::set_limit(l, "nesting=0"), rubric::lang::zh) == "上限 nesting 至少为 1");

    rubric::limits z;
    z.json_depth = 0;
    CHECK(en(rubric::validate(z)) == "the limit json-depth must be at least 1");
    std::size_t n = 0;
    const rubric::limit_info* t = rubric::limit_table(&n);
    CHECK(n == 11);
    CHECK(std::string(t[0].name) == "source-bytes");
    CHECK(std::string(t[n - 2].name) == "eval-steps");
    CHECK(std::string(t[n - 1].name) == "errors");
}

TEST_CASE("limit source-bytes: at the limit parses, one byte past is E-limit-source") {
    rubric::limits l;
    const std::string item = item_scoring("a");
    l.source_bytes = item.size() + 10;
    const std::string at = item + std::string(10, '\n');
    CHECK(parse_with(at, l).tree);
    auto past = parse_with(at + "\n", l);
    CHECK_FALSE(past.tree);
    REQUIRE(past.diags.size() == 1);
    CHECK(past.diags[0].code == "E-limit-source");
    CHECK(where(past.diags[0]) == "1:1");

    // Files: refused before they are read, naming the size and the limit.
    const auto dir = std::filesystem::temp_directory_path();
    const std::string path = (dir / "rubric-limits-test.rubric").string();
    {
        std::ofstream(path, std::ios::binary) << at;
    }
    rubric::localized err;
    CHECK(rubric::read_source(path, err, at.size()));
    CHECK(err.empty());
    CHECK_FALSE(rubric::read_source(path, err, at.size() - 1));
    CHECK(rubric::translate(err, rubric::lang::en) ==
          path + " is " + std::to_string(at.size()) + " bytes, more than the limit of " + std::to_string(at.size() - 1));
    std::remove(path.c_str());
}

TEST_CASE("read_source: a file that is not regular is bounded as it is read, not by its reported size") {
    char dir_name[] = "/tmp/rubric-limits-stream-XXXXXX";
    REQUIRE(mkdtemp(dir_name));
    const std::string dir = dir_name;
    // An endless input: a character device with /dev/zero's numbers, made here.
    const std::string zero = dir + "/zero";
    REQUIRE(::mknod(zero.c_str(), S_IFCHR | 0666, makedev(1, 5)) == 0);
    rubric::localized err;
    CHECK_FALSE(rubric::read_source(zero, err, 100000));
    CHECK(rubric::translate(err, rubric::lang::en) == zero + " has more than 100000 bytes, the limit");
    CHECK(rubric::translate(err, rubric::lang::zh) == zero + " 超过了 100000 字节的上限");
    // A FIFO: at the limit it is read whole; one byte more is refused.
    const std::string fifo = dir + "/fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::signal(SIGPIPE, SIG_IGN);  // the writer may outlive the reader that stopped
    for (const std::size_t n : {std::size_t(70000), std::size_t(70001)}) {
        std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << std::string(n, 'z'); });
        err = {};
        const auto src = rubric::read_source(fifo, err, 70000);
        writer.join();
        if (n == 70000) {
            REQUIRE(src);
            CHECK(src->text == std::string(70000, 'z'));
        } else {
            CHECK_FALSE(src);
            CHECK(rubric::translate(err, rubric::lang::en) == fifo + " has more than 70000 bytes, the limit");
        }
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("limit nesting: N brackets parse, N+1 is E-limit-nesting at the bracket too deep") {
    auto nested = [](std::size_t depth) {
        return item_scoring(std::string(depth, '(') + "a" + std::string(depth, ')'));
    };
    // "item 1 \"x\" 100 { input a: count  score " is 39 characters: the first '(' is column 40,
    // the 21st is column 60. An item's body is not a level, so 20 brackets use 20 levels. The
    // parser counts a level as it enters a bracket's content, so the error is at the first
    // character inside the bracket one level too deep: column 61 (col. 40 + N + 1 in general).
    rubric::limits l;
    l.nesting = 20;
    CHECK(parse_with(nested(20), l).tree);
    auto past = parse_with(nested(21), l);
    REQUIRE_FALSE(past.tree);
    CHECK(past.diags[0].code == "E-limit-nesting");
    CHECK(where(past.diags[0]) == "1:61");
    // and at the default
    const rubric::limits d;
    CHECK(parse_with(nested(d.nesting), d).tree);
    auto past_default = parse_with(nested(d.nesting + 1), d);
    REQUIRE_FALSE(past_default.tree);
    CHECK(past_default.diags[0].code == "E-limit-nesting");
    CHECK(where(past_default.diags[0]) == "1:" + std::to_string(40 + d.nesting + 1));
}

TEST_CASE("limit nodes: N items parse, the item N+1 is E-limit-nodes at its line") {
    std::string text;
    for (int i = 1; i <= 4; ++i) text += "item " + std::to_string(i) + " \"x\" 1 { input a" + std::to_string(i) + ": bool  score if a" + std::to_string(i) + " then 1 }\n";
    rubric::limits l;
    l.nodes = 4;
    CHECK(parse_with(text, l).tree);
    l.nodes = 3;
    auto past = parse_with(text, l);
    REQUIRE_FALSE(past.tree);
    CHECK(first_error_code(past.diags) == "E-limit-nodes");
    CHECK(where(past.diags[0]) == "4:1");
}

TEST_CASE("limit exprs: N expression nodes parse, N+1 is E-limit-exprs at the first one past") {
    // `a + a + a`: three names and two sums, five expression nodes, made children first:
    // a, a, a + a, a, (a + a) + a. The fifth, the outer sum, starts at column 40.
    const std::string text = item_scoring("a + a + a");
    rubric::limits l;
    l.exprs = 5;
    auto at = parse_with(text, l);
    REQUIRE(at.tree);
    CHECK(at.tree->exprs.size() == 5);
    l.exprs = 4;
    auto past = parse_with(text, l);
    REQUIRE_FALSE(past.tree);
    CHECK(first_error_code(past.diags) == "E-limit-exprs");
    CHECK(where(past.diags[0]) == "1:40");
}

TEST_CASE("limit number-digits: in the rubric and in facts") {
    rubric::limits l;
    l.number_digits = 5;
    CHECK(parse_with(item_scoring("a + 12345"), l).tree);
    CHECK(parse_with(item_scoring("a + 1.2345"), l).tree);
    auto past = parse_with(item_scoring("a + 123456"), l);
    REQUIRE_FALSE(past.tree);
    CHECK(past.diags[0].code == "E-number");
    CHECK(where(past.diags[0]) == "1:44");  // after the 39 characters before `a`, then "a + "
    CHECK(past.diags[0].message == "this number cannot be used: too many digits (6 > 5)");

    const auto prog = compile_text("item 1 \"x\" 100000000 { input a: decimal  score a }\n");
    const auto at_src = rubric::make_source("f.json", "{\"entity\": \"u\", \"a\": 12345}");
    auto facts = rubric::read_facts(at_src, rubric::facts_format::json, l.facts());
    REQUIRE(facts.entities.size() == 1);
    rubric::fact_set fs;
    rubric::diagnostics ds;
    CHECK(rubric::bind_facts(*prog, facts.entities[0], at_src, fs, ds, l.binding()));
    CHECK(fs.values[0].v == rubric::decimal(12345));
    const auto src = rubric::make_source("f.json", "{\"entity\": \"u\", \"a\": 123456}");
    auto past_facts = rubric::read_facts(src, rubric::facts_format::json, l.facts());
    REQUIRE(past_facts.entities.size() == 1);
    CHECK_FALSE(rubric::bind_facts(*prog, past_facts.entities[0], src, fs, ds, l.binding()));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "E-fact");
    CHECK(where(ds[0]) == "1:22");
    CHECK(ds[0].message.find("too many digits (6 > 5)") != std::string::npos);
    // A number the default limits refuse is accepted with a higher limit.
    const std::string fifty(50, '7');
    rubric::limits wide;
    wide.number_digits = 50;
    const auto wsrc = rubric::make_source("f.json", "{\"entity\": \"u\", \"a\": " + fifty + "}");
    auto w = rubric::read_facts(wsrc, rubric::facts_format::json, wide.facts());
    REQUIRE(w.entities.size() == 1);
    CHECK(rubric::bind_facts(*prog, w.entities[0], wsrc, fs, ds, wide.binding()));
    CHECK(fs.values[0].v == rubric::decimal::from_string(fifty, wide.numbers()));
}

TEST_CASE("limit number-exponent: in facts (rubric literals have no exponent)") {
    rubric::limits l;
    l.number_exponent = 5;
    // The language writes numbers without an exponent, so the limit has nothing to bound there.
    auto no_exponent = parse_with(item_scoring("a + 1e5"), l);
    REQUIRE_FALSE(no_exponent.tree);
    CHECK(no_exponent.diags[0].code == "E-syntax");

    const auto prog = compile_text("item 1 \"x\" 100000000 { input a: decimal  score a }\n");
    rubric::fact_set fs;
    fs.reset(*prog);
    CHECK(rubric::set_fact_text(*prog, 0, "2e5", fs, l.binding()).empty());
    CHECK(fs.values[0].v == rubric::decimal(200000));
    fs.reset(*prog);
    CHECK(rubric::set_fact_text(*prog, 0, "2e-5", fs, l.binding()).empty());
    CHECK(fs.values[0].v == rubric::decimal::fraction(2, 100000));
    fs.reset(*prog);
    CHECK(rubric::set_fact_text(*prog, 0, "2e6", fs, l.binding()) == "expected a number: exponent 6 is beyond ±5");
    // in a facts file, at the value
    const auto src = rubric::make_source("f.json", "{\"entity\": \"u\", \"a\": 2e-6}");
    auto past = rubric::read_facts(src, rubric::facts_format::json, l.facts());
    REQUIRE(past.entities.size() == 1);
    rubric::diagnostics ds;
    CHECK_FALSE(rubric::bind_facts(*prog, past.entities[0], src, fs, ds, l.binding()));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "E-fact");
    CHECK(where(ds[0]) == "1:22");
    CHECK(ds[0].message.find("exponent -6 is beyond ±5") != std::string::npos);
}

TEST_CASE("limit facts-bytes: a facts text at the limit is read, one byte more is E-facts-limit") {
    const std::string json = "{\"entity\": \"u\", \"a\": 1}";
    rubric::limits l;
    l.facts_bytes = json.size();
    CHECK(read_json(json, l).diags.empty());
    auto past = read_json(json + " ", l);
    REQUIRE(past.diags.size() == 1);
    CHECK(past.diags[0].code == "E-facts-limit");
    CHECK(past.diags[0].message == "the file is too large (24 bytes; the limit is 23)");
    const std::string csv = "id,a\nu,1\n";
    l.facts_bytes = csv.size();
    CHECK(read_csv(csv, l).diags.empty());
    auto past_csv = read_csv(csv + "\n", l);
    REQUIRE(past_csv.diags.size() == 1);
    CHECK(past_csv.diags[0].code == "E-facts-limit");
}

TEST_CASE("limit json-depth: N levels are read, N+1 is E-facts-limit at the opening bracket") {
    rubric::limits l;
    l.json_depth = 2;
    // array of objects: two levels
    CHECK(read_json("[{\"entity\": \"u\", \"a\": 1}]", l).diags.empty());
    // a list inside: the third level, whose '[' is column 20 of [{"entity":"u","x":[1]}]
    auto past = read_json("[{\"entity\":\"u\",\"x\":[1]}]", l);
    REQUIRE_FALSE(past.diags.empty());
    CHECK(past.diags[0].code == "E-facts-limit");
    CHECK(where(past.diags[0]) == "1:20");
    l.json_depth = 3;
    CHECK(read_json("[{\"entity\":\"u\",\"x\":[1]}]", l).diags.empty());
}

TEST_CASE("limit fields: N fields per entity are read, N+1 is E-facts-limit") {
    rubric::limits l;
    l.fields = 2;
    CHECK(read_json("{\"entity\": \"u\", \"a\": 1, \"b\": 2}", l).diags.empty());
    auto past = read_json("{\"entity\": \"u\", \"a\": 1, \"b\": 2, \"c\": 3}", l);
    REQUIRE_FALSE(past.diags.empty());
    CHECK(past.diags[0].code == "E-facts-limit");
    CHECK(where(past.diags[0]) == "1:33");  // the key "c": {"entity": "u", "a": 1, "b": 2, "c"
    CHECK(past.entities.empty());
    // CSV: the id column and `fields` more
    CHECK(read_csv("id,a,b\nu,1,2\n", l).diags.empty());
    auto past_csv = read_csv("id,a,b,c\nu,1,2,3\n", l);
    REQUIRE_FALSE(past_csv.diags.empty());
    CHECK(past_csv.diags[0].code == "E-facts-limit");
    CHECK(where(past_csv.diags[0]) == "1:8");  // the fourth cell: i d , a , b , c
}

TEST_CASE("evaluation_steps counts the instructions evaluate() runs") {
    // count d in xs where d > 80%: a jump over the body, the body (one comparison), the
    // count_where: 2 instructions plus one per element. Constants and names need none.
    const auto prog = compile_text(
        "item 1 \"x\" 100 { input xs: list of percent  score count d in xs where d > 80% }\n");
    rubric::fact_set fs;
    fs.reset(*prog);
    // Without list elements the body is skipped: jump, count_where.
    CHECK(rubric::evaluation_steps(*prog, fs) == 2);
    CHECK(rubric::set_fact_text(*prog, 0, "[]", fs).empty());
    CHECK(rubric::evaluation_steps(*prog, fs) == 2);
    fs.reset(*prog);
    CHECK(rubric::set_fact_text(*prog, 0, "[90%]", fs).empty());
    CHECK(rubric::evaluation_steps(*prog, fs) == 3);  // now walked: 2 + 1 element
    fs.reset(*prog);
    CHECK(rubric::set_fact_text(*prog, 0, "[90%, 81%, 80%, 50%]", fs).empty());
    CHECK(rubric::evaluation_steps(*prog, fs) == 6);

    // A loop in a loop's condition: outer jump + outer count_where = 2, and per outer element
    // the inner jump, the inner comparison per inner element, the inner count_where and the
    // `> 0` comparison: 3 + |ys|. With |xs| = 3 and |ys| = 4: 2 + 3 × (3 + 4) = 23.
    const auto nested = compile_text(
        "item 1 \"x\" 100 { input xs: list of percent  input ys: list of percent\n"
        "  score count d in xs where (count e in ys where e > d) > 0 }\n");
    fs.reset(*nested);
    CHECK(rubric::set_fact_text(*nested, 0, "[1%, 2%, 3%]", fs).empty());
    CHECK(rubric::set_fact_text(*nested, 1, "[1%, 2%, 3%, 4%]", fs).empty());
    CHECK(rubric::evaluation_steps(*nested, fs) == 23);
}

TEST_CASE("evaluation_steps_within: lists of at most N elements, counted as evaluation_steps counts them") {
    // The bound a season run checks once (csv_rows.hpp) for units whose lists have at most one
    // element: the same walk, each list taken as N elements of its input's size. With small
    // elements (90%: one step a comparison), as worked above: 2 + N for one loop, and
    // 2 + |xs| x (3 + |ys|) for the nested one.
    const rubric::value_size small = rubric::size_of_value(rubric::decimal::from_string("0.9"));
    const auto prog = compile_text(
        "item 1 \"x\" 100 { input xs: list of percent  score count d in xs where d > 80% }\n");
    const std::vector<rubric::value_size> one(1, small);
    CHECK(rubric::evaluation_steps_within(*prog, one) == 2);
    CHECK(rubric::evaluation_steps_within(*prog, one, 1) == 3);
    CHECK(rubric::evaluation_steps_within(*prog, one, 4) == 6);
    const auto nested = compile_text(
        "item 1 \"x\" 100 { input xs: list of percent  input ys: list of percent\n"
        "  score count d in xs where (count e in ys where e > d) > 0 }\n");
    const std::vector<rubric::value_size> two(2, small);
    CHECK(rubric::evaluation_steps_within(*nested, two, 1) == 2 + 1 * (3 + 1));
    CHECK(rubric::evaluation_steps_within(*nested, two, 4) == 2 + 4 * (3 + 4));
    // With the generous sizes a run assumes (63 bits), it still bounds a unit within them.
    const std::vector<rubric::value_size> generous(2, rubric::value_size{63, 63, false});
    rubric::fact_set fs;
    fs.reset(*nested);
    CHECK(rubric::set_fact_text(*nested, 0, "[90%]", fs).empty());
    CHECK(rubric::set_fact_text(*nested, 1, "[12.5%]", fs).empty());
    CHECK(rubric::evaluation_steps(*nested, fs) == 2 + 1 * (3 + 1));
    CHECK(rubric::evaluation_steps(*nested, fs) <= rubric::evaluation_steps_within(*nested, generous, 1));
}

TEST_CASE("limit eval-steps: a unit at the limit is scored, one step past is refused at its longest list") {
    const auto prog = compile_text(
        "item 1 \"x\" 100 { input xs: list of percent  score count d in xs where d > 80% }\n");
    rubric::limits l;
    l.eval_steps = 12;  // 2 + 10 elements
    rubric::fact_set fs;
    rubric::diagnostics ds;
    auto list_of = [](int n) {
        std::string s = "[";
        for (int i = 0; i < n; ++i) s += (i ? ", " : "") + std::string("0.9");
        return s + "]";
    };
    // JSON: the list is an array; the error points at its '['.
    const auto at_src = rubric::make_source("f.json", "{\"entity\": \"u\", \"xs\": " + list_of(10) + "}");
    auto at = rubric::read_facts(at_src, rubric::facts_format::json, l.facts());
    REQUIRE(at.entities.size() == 1);
    REQUIRE(rubric::bind_facts(*prog, at.entities[0], at_src, fs, ds, l.binding()));
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, fs, ev);
    CHECK(ev.total() == rubric::decimal(10));

    const auto past_src = rubric::make_source("f.json", "{\"entity\": \"u\", \"xs\": " + list_of(11) + "}");
    auto past = rubric::read_facts(past_src, rubric::facts_format::json, l.facts());
    REQUIRE(past.entities.size() == 1);
    CHECK_FALSE(rubric::bind_facts(*prog, past.entities[0], past_src, fs, ds, l.binding()));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "E-limit-eval-steps");
    CHECK(where(ds[0]) == "1:23");
    CHECK(ds[0].message ==
          "entity u: scoring it would run 13 steps, more than the limit of 12 (the list `xs` has 11 items)");

    // CSV: the list is one cell; the error points at the cell.
    ds.clear();
    const auto csv_src = rubric::make_source("f.csv", "id,xs\nu,\"" + list_of(11).substr(1, list_of(11).size() - 2) + "\"\n");
    auto csv = rubric::read_facts(csv_src, rubric::facts_format::csv, l.facts());
    REQUIRE(csv.entities.size() == 1);
    CHECK_FALSE(rubric::bind_facts(*prog, csv.entities[0], csv_src, fs, ds, l.binding()));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "E-limit-eval-steps");
    CHECK(where(ds[0]) == "2:3");
}

namespace {

// Nested input of one shape, `depth` levels deep as the nesting limit counts them,
// in an item over a count `a` (7) and a bool `b` (true): the score it should get, and
// what the explanation says of the innermost value (so it went all the way down).
struct nested_shape {
    std::string name;
    std::string (*text)(std::size_t depth);
    std::string score;
    std::string innermost;
};

std::string repeat(const char* piece, std::size_t k) {
    std::string s;
    for (std::size_t i = 0; i < k; ++i) s += piece;
    return s;
}

std::string item_over_a_and_b(const std::string& expr) {
    return "item 1 \"x\" 100 { input a: count  input b: bool  score " + expr + " }\n";
}

const nested_shape nested_shapes[] = {
    {"brackets", [](std::size_t d) { return item_over_a_and_b(repeat("(", d) + "a" + repeat(")", d)); }, "7", "a = 7"},
    {"calls", [](std::size_t d) { return item_over_a_and_b(repeat("abs(", d) + "a" + repeat(")", d)); }, "7", "(a = 7) = 7"},
    // an even number of minus signs: 7
    {"minus", [](std::size_t d) { return item_over_a_and_b(repeat("-", d) + "a"); }, "7", "−(a = 7)"},
    {"if", [](std::size_t d) { return item_over_a_and_b(repeat("if b then ", d) + "3"); }, "3", "if b = 是 then 3"},
    // `if` is a level, so d − 1 `not`s; an odd number of them: false, so the else
    {"not", [](std::size_t d) { return item_over_a_and_b("if " + repeat("not ", d - 1) + "b then 1 else 2"); }, "2", "not (b = 是) → 否"},
    // `count` is a level, so d − 1 lists; the checker refuses a list of lists (below)
    {"lists", [](std::size_t d) { return item_over_a_and_b("count " + repeat("[", d - 1) + "b" + repeat("]", d - 1)); }, "", ""},
};

struct shape_run {
    const nested_shape* shape = nullptr;
    std::string at_limit;    // the score, else the first error code of parse and check
    std::string explained;   // the explanation, when scored
    bool formatted = false;  // `rubric fmt` formats it
    std::string past_limit;  // one level deeper: the first error code of parse
    std::string far_past;    // a hundred times deeper: the first error code of parse
};

void* run_shape(void* arg) {
    auto& out = *static_cast<shape_run*>(arg);
    const std::size_t n = rubric::limits{}.nesting;
    const auto first_parse_error = [](const std::string& text) {
        return first_error_code(rubric::parse(rubric::make_source("t.rubric", text)).diags);
    };
    // The whole pipeline, not only the grammar: parse, check, compile, evaluate,
    // explain; and the formatter, which parses twice.
    const auto src = rubric::make_source("t.rubric", out.shape->text(n));
    auto c = rubric::parse_and_check(src);
    out.at_limit = first_error_code(c.diags);
    if (c.rubric) {
        auto prog = rubric::compile(std::move(*c.rubric));
        rubric::fact_set fs;
        fs.reset(*prog);
        if (rubric::set_fact_text(*prog, 0, "7", fs).empty() && rubric::set_fact_text(*prog, 1, "true", fs).empty() &&
            rubric::fill_missing(*prog, fs).empty()) {
            rubric::evaluation ev(*prog);
            rubric::evaluate(*prog, fs, ev);
            out.at_limit = ev.total().to_string();
            out.explained = rubric::explain_text(*prog, fs, ev);
        }
    }
    out.formatted = rubric::format_source(src).text.has_value();
    out.past_limit = first_parse_error(out.shape->text(n + 1));
    out.far_past = first_parse_error(out.shape->text(100 * n));
    return nullptr;
}

// Runs `body(arg)` on a thread with a stack of `stack_bytes`; false if it could not start.
bool run_with_stack(void* (*body)(void*), void* arg, std::size_t stack_bytes) {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return false;
    pthread_t thread;
    const bool started = pthread_attr_setstacksize(&attr, stack_bytes) == 0 &&
                         pthread_create(&thread, &attr, body, arg) == 0;
    pthread_attr_destroy(&attr);
    return started && pthread_join(thread, nullptr) == 0;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool address_sanitizer = true;
#else
constexpr bool address_sanitizer = false;
#endif
#else
constexpr bool address_sanitizer = false;
#endif


}  // namespace

TEST_CASE("limit nesting: every nesting shape at the limit, parse to explanation, fits a 256 KiB stack; past it, a clean error") {
    // AddressSanitizer's red zones make every frame several times larger: 2 MiB there.
    // Every other build, optimised or not, is held to 256 KiB (at -O0 the deepest shapes,
    // lists and calls, peak at about 203 KiB: limits.hpp, "Stack").
    CHECK(rubric::limits{}.nesting == 64);  // the documented default
    for (const nested_shape& shape : nested_shapes) {
        CAPTURE(shape.name);
        const std::size_t stack_bytes = address_sanitizer ? 2048 * 1024 : 256 * 1024;
        shape_run out;
        out.shape = &shape;
        REQUIRE(run_with_stack(run_shape, &out, stack_bytes));
        if (shape.name == "lists") {
            // A list of lists has no meaning; the checker says so, at full depth.
            CHECK(out.at_limit == "E-type");
        } else {
            CHECK(out.at_limit == shape.score);
            CAPTURE(out.explained);
            CHECK(out.explained.find(shape.innermost) != std::string::npos);
        }
        CHECK(out.formatted);
        CHECK(out.past_limit == "E-limit-nesting");
        CHECK(out.far_past == "E-limit-nesting");
    }
}

TEST_CASE("limit nesting: sections far past the limit, on a 256 KiB stack, a clean error") {
    struct run {
        std::string code;
    } r;
    const auto body = [](void* arg) -> void* {
        const std::size_t n = rubric::limits{}.nesting;
        const std::string text = repeat("section \"s\" { ", 100 * n) + "item 1 \"i\" 1 { score 1 } " + repeat("} ", 100 * n);
        static_cast<run*>(arg)->code = first_error_code(rubric::parse(rubric::make_source("t.rubric", text)).diags);
        return nullptr;
    };
    REQUIRE(run_with_stack(body, &r, address_sanitizer ? 2048 * 1024 : 256 * 1024));
    CHECK(r.code == "E-limit-nesting");
}

// ---------------------------------------------------------------------------------------
// Issue 18: the limits measure cost, not only counts. Inputs are generated here; no wall-clock
// assertion (the seconds are measured by hand, see the commit messages): steps, not time.
// ---------------------------------------------------------------------------------------

namespace {

const std::string forty_digits = "1234567890123456789012345678901234567890";

// min(1, x * x * … * x), `k` factors, over a decimal input x.
std::string product_rubric(std::size_t k, const std::string& extra = "") {
    std::string p = "x";
    for (std::size_t i = 1; i < k; ++i) p += " * x";
    return "item 1 \"x\" 1 { input x: decimal 0.." + std::string(40, '9') + "  score min(1, " + p + ") }\n" + extra;
}

}  // namespace

TEST_CASE("evaluation_steps: an operation on big numbers costs their size, small ones one step each") {
    const auto prog = compile_text(product_rubric(1000));
    rubric::fact_set fs;
    fs.reset(*prog);
    REQUIRE(rubric::set_fact_text(*prog, 0, "1", fs).empty());
    // One step per instruction while the values stay small (1 * 1 * … is 1), except that
    // min() compares each of its operands, as the evaluator does: 999 products, 2 for the min.
    const std::uint64_t small = rubric::evaluation_steps(*prog, fs);
    CHECK(small == prog->instruction_count() + 1);
    CHECK(small > 999);
    fs.reset(*prog);
    REQUIRE(rubric::set_fact_text(*prog, 0, forty_digits, fs).empty());
    // The product grows by 40 digits a factor: the same 1000 instructions cost far more than
    // the default limit (they took 19 s to evaluate when steps counted instructions).
    CHECK(rubric::evaluation_steps(*prog, fs) > rubric::limits{}.eval_steps);

    // bind_facts refuses the unit before anything is evaluated.
    const auto src = rubric::make_source("f.csv", "id,x\nu," + forty_digits + "\n");
    auto read = rubric::read_facts(src, rubric::facts_format::csv, rubric::limits{}.facts());
    REQUIRE(read.entities.size() == 1);
    rubric::diagnostics ds;
    CHECK_FALSE(rubric::bind_facts(*prog, read.entities[0], src, fs, ds, rubric::limits{}.binding()));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "E-limit-eval-steps");
    // No list to shorten: the message says it is the size of the numbers, at the entity's id.
    const std::string msg = ds[0].message;
    CHECK(msg.rfind("entity u: scoring it would run ", 0) == 0);
    CHECK(msg.find(" steps, more than the limit of 10000000 (its numbers are too large: arithmetic on big numbers "
                   "costs steps by their size)") != std::string::npos);
    CHECK(msg.find("the list") == std::string::npos);
    CHECK(ds[0].where.begin.line == 2);
    CHECK(ds[0].where.begin.column == 1);

    // A loop with a product inside: the product's cost times the elements.
    const auto loop = compile_text(
        "item 1 \"x\" 1 { input xs: list of decimal  score count d in xs where d * d * d * d * d * d * d * d > 0 }\n");
    fs.reset(*loop);
    REQUIRE(rubric::set_fact_text(*loop, 0, "[2, 3]", fs).empty());
    CHECK(rubric::evaluation_steps(*loop, fs) == 2 + 2 * 8);  // jump, count_where; per element 7 products, 1 comparison
    std::string many = "[";
    for (int i = 0; i < 1000; ++i) many += (i ? ", " : "") + forty_digits;
    fs.reset(*loop);
    REQUIRE(rubric::set_fact_text(*loop, 0, many + "]", fs).empty());
    CHECK(rubric::evaluation_steps(*loop, fs) > 1000 * 1000);
}

TEST_CASE("check: range analysis gives up on bounds of more than ~1,200 digits, with one note") {
    // Before: 19 s (each product's bound 40 digits longer, each step quadratic in it).
    auto c = rubric::parse_and_check(rubric::make_source("t.rubric", product_rubric(1000)));
    REQUIRE(c.rubric);
    int notes = 0;
    for (const auto& d : c.diags)
        if (d.code == "N-range-unknown") {
            ++notes;
            CHECK(d.level == rubric::severity::note);
            CHECK(d.message == "the bounds of this expression have more than 1,200 digits: its range is not worked out "
                               "and is treated as unknown");
        }
    CHECK(notes == 1);
    // Small bounds are still worked out exactly: no note.
    auto small = rubric::parse_and_check(rubric::make_source("t.rubric", product_rubric(20)));
    REQUIRE(small.rubric);
    for (const auto& d : small.diags) CHECK(d.code != "N-range-unknown");
}

TEST_CASE("rubric test: a test whose unit is over the step limit is a problem, not a long run") {
    const auto prog = compile_text(product_rubric(1000, "test \"big\" { given x = " + forty_digits + "  expect 1 = 1 }\n"));
    const auto out = rubric::run_tests(*prog, rubric::lang::en);
    REQUIRE(out.size() == 1);
    CHECK_FALSE(out[0].passed());
    CHECK(out[0].problem.find("steps, more than the limit of 10000000") != std::string::npos);
}

TEST_CASE("position_at: columns on a very long line are counted once, not per position") {
    // Characters of 1, 2, 3 and 4 bytes, 100,000 times on one line: every column right.
    std::string line;
    for (int i = 0; i < 25000; ++i) line += "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";
    const auto src = rubric::make_source("t", "x\n" + line + "\n");
    std::size_t col = 1;
    for (std::size_t off = 2; off < 2 + line.size(); ++col) {
        const auto pos = src->position_at(off);
        REQUIRE(pos.line == 2);
        REQUIRE(pos.column == col);
        const auto b = static_cast<unsigned char>(line[off - 2]);
        off += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
    CHECK(col == 100001);
    // A byte-order mark is not a column of the first line.
    const auto bom = rubric::make_source("t", "\xEF\xBB\xBFxy");
    CHECK(bom->position_at(4).column == 2);

    // A 100,000-term sum on one line checks (before: more than 20 s; the columns were counted
    // from the start of the line for every node).
    std::string sum = "a";
    for (int i = 1; i < 100000; ++i) sum += " + a";
    auto c = rubric::parse_and_check(rubric::make_source("t.rubric", item_scoring(sum)));
    CHECK(c.rubric);
}

TEST_CASE("did you mean: names of 100 KB are compared in a band, not in full") {
    const std::string name(100000, 'a');
    std::string typo = name;
    typo.back() = 'b';
    auto c = rubric::parse_and_check(rubric::make_source(
        "t.rubric", "item 1 \"x\" 1 { input " + name + ": count  score min(1, " + typo + ") }\n"));
    CHECK_FALSE(c.rubric);
    bool hinted = false;
    for (const auto& d : c.diags)
        if (d.message.find("did you mean") != std::string::npos || d.expected.find("did you mean") != std::string::npos)
            hinted = true;
    CHECK(hinted);  // one edit apart: still suggested
    // Lengths that differ by more than two characters are not compared at all.
    auto far = rubric::parse_and_check(rubric::make_source(
        "t.rubric", "item 1 \"x\" 1 { input " + name + ": count  score min(1, " + name.substr(0, 50000) + ") }\n"));
    CHECK_FALSE(far.rubric);
}

TEST_CASE("hidden characters: bidirectional controls and stray byte-order marks are warned about") {
    const auto src = rubric::make_source(
        "t.rubric", "# \xE2\x80\xAE comment\nitem 1 \"a\xE2\x81\xA6" "b\" 1 { input a: bool  score if a then 1 }\n");
    auto c = rubric::parse_and_check(src);
    REQUIRE(c.rubric);
    std::vector<std::string> got;
    for (const auto& d : c.diags)
        if (d.code == "W-hidden-char") got.push_back(where(d) + " " + d.message);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == "1:3 an invisible bidirectional control character (U+202E) is here: it can make the text display "
                    "in a different order from the one it is read in; remove it");
    CHECK(got[1].rfind("2:10 ", 0) == 0);
    // A leading byte-order mark is the file's, not hidden.
    auto lead = rubric::parse_and_check(rubric::make_source("t.rubric", "\xEF\xBB\xBFitem 1 \"a\" 1 { input a: bool  score if a then 1 }\n"));
    for (const auto& d : lead.diags) CHECK(d.code != "W-hidden-char");

    // Facts: a NUL byte in an id, a bidi control in a column name, are errors.
    const auto nul = read_csv(std::string("id,a\nA\0" "1,true\n", 14), rubric::limits{});
    REQUIRE(nul.diags.size() == 1);
    CHECK(nul.diags[0].code == "E-facts-value");
    CHECK(where(nul.diags[0]) == "2:2");
    CHECK(nul.diags[0].message == "the entity id in row 2 contains a NUL byte (U+0000), which would cut the text short");
    CHECK(nul.entities.empty());
    const auto bidi = read_csv("id,a\xE2\x80\x8F\nA1,true\n", rubric::limits{});
    REQUIRE_FALSE(bidi.diags.empty());
    CHECK(bidi.diags[0].message == "the name of column 2 contains an invisible character (U+200F) that hides or reorders text");
}

TEST_CASE("fmt: format_source parses under the limits it is given") {
    std::string deep = "item 1 \"x\" 1 { input a: count  score " + std::string(70, '(') + "a" + std::string(70, ')') + " }\n";
    const auto src = rubric::make_source("t.rubric", deep);
    CHECK_FALSE(rubric::format_source(src).text);  // 70 > the default 64
    rubric::limits l;
    l.nesting = 100;
    CHECK(rubric::format_source(src, l.parsing()).text);
}

namespace {

// `k` nested `count … where`, each inside the condition of the one around it, over a list xs.
std::string nested_count_where(std::size_t k) {
    std::string s = "v" + std::to_string(k) + " > 0";
    for (std::size_t i = k; i-- > 1;) s = "(count v" + std::to_string(i + 1) + " in xs where " + s + ") > 0";
    return "item 1 \"x\" 1000 { input xs: list of decimal  input a: count  input b: bool\n  score count v1 in xs where " + s +
           " }\n";
}

struct max_run {
    std::string text;
    std::string result;  // the score, else the first error code
    bool explained = false;
    bool formatted = false;
};

// Parse to explanation, and the formatter, under nesting = limits::max_nesting.
void* run_at_max(void* arg) {
    auto& out = *static_cast<max_run*>(arg);
    rubric::limits l;
    l.nesting = rubric::limits::max_nesting;
    const auto src = rubric::make_source("t.rubric", out.text);
    auto p = rubric::parse(src, l.parsing());
    out.result = first_error_code(p.diags);
    if (!p.tree) return nullptr;
    auto c = rubric::check(std::move(*p.tree));
    out.result = first_error_code(c.diags);
    if (!c.rubric) return nullptr;
    auto prog = rubric::compile(std::move(*c.rubric));
    rubric::fact_set fs;
    fs.reset(*prog);
    for (std::size_t i = 0; i < prog->inputs().size(); ++i) {
        const auto& in = prog->inputs()[i];
        const char* v = in.type == rubric::input_type::list ? "[1]" : in.type == rubric::input_type::boolean ? "true" : "7";
        if (!rubric::set_fact_text(*prog, static_cast<std::uint32_t>(i), v, fs).empty()) return nullptr;
    }
    if (!rubric::fill_missing(*prog, fs).empty()) return nullptr;
    if (rubric::evaluation_steps(*prog, fs) > l.eval_steps) return nullptr;
    rubric::evaluation ev(*prog);
    rubric::evaluate(*prog, fs, ev);
    out.result = ev.total().to_string();
    out.explained = !rubric::explain_text(*prog, fs, ev).empty();
    out.formatted = rubric::format_source(src, l.parsing()).text.has_value();
    return nullptr;
}

}  // namespace

TEST_CASE("limit nesting at its maximum: every shape, and nested count … where, fit the documented 8 MiB stack") {
    // limits.hpp, "Stack": raised to its maximum (1000), nesting needs the 8 MiB stack of a
    // Linux main thread (where the CLI runs), not the 256 KiB the default 64 levels need.
    const std::size_t n = rubric::limits::max_nesting;
    const std::size_t stack = (address_sanitizer ? 4 : 1) * 8 * 1024 * 1024;
    for (const nested_shape& shape : nested_shapes) {
        if (shape.name == "lists") continue;  // refused by the checker (above)
        CAPTURE(shape.name);
        max_run out;
        out.text = shape.text(n);
        REQUIRE(run_with_stack(run_at_max, &out, stack));
        CHECK(out.result == shape.score);
        CHECK(out.explained);
        CHECK(out.formatted);
    }
    // Each `count … where` in a condition is two levels (the form and its brackets).
    max_run out;
    out.text = nested_count_where(n / 2);
    REQUIRE(run_with_stack(run_at_max, &out, stack));
    CHECK(out.result == "1");
    CHECK(out.explained);
    CHECK(out.formatted);
}
