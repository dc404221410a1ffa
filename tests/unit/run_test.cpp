// The season run (run.hpp): sources, binding, the cohort passes, sinks and diagnostics as
// data. Every expected score is worked out by hand from the rule beside it.
#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

rubric::program_ptr build(const char* text) {
    auto r = rubric::parse_and_check(rubric::make_source("run.rubric", text));
    if (!r.rubric) FAIL(rubric::render(r.diags));
    return rubric::compile(std::move(*r.rubric));
}

// Item 1: 办结率 = done / all, tier >=90%:3 >=80%:2 (else 0). Item 2: 1 point when reviewed.
// A warning (预警) when the total is below 3.
const char* const plain_rubric =
    "rubric \"运行\" { total 4 }\n"
    "item 1 \"办结\" 3 {\n"
    "  input done: count \"办结量\"\n"
    "  input all: count \"受理量\"\n"
    "  ratio rate = done / all\n"
    "  score tier >=90%:3 >=80%:2\n"
    "}\n"
    "item 2 \"评审\" 1 {\n"
    "  input reviewed: bool \"已评审\"\n"
    "  score if reviewed then 1\n"
    "}\n"
    "warn \"总分低于3分\" if total < 3\n";

struct outcome {
    rubric::run_result r;
    std::string out;
};

outcome run_text(const rubric::program& p, const std::string& facts, rubric::facts_format f, rubric::result_format rf,
                 rubric::run_options o = {}) {
    outcome oc;
    rubric::results_writer w(rf, [&](std::string_view s) { oc.out += s; });
    auto src = rubric::facts_text("u.csv", facts, f, rubric::facts_limits{});
    oc.r = rubric::run(p, *src, w, o);
    return oc;
}

std::string rendered(const rubric::run_result& r) { return rubric::render(r.diags); }

}  // namespace

TEST_CASE("run: CSV in, CSV out, warnings and missing facts per unit") {
    auto p = build(plain_rubric);
    // A: 95/100 = 95% -> 3; reviewed -> 1; total 4, no warning, nothing missing.
    // B: 85/100 -> 2; reviewed missing -> false -> 0; total 2 < 3: the warning; 1 missing.
    // C: done and all missing -> 0/0 undefined -> 0; not reviewed -> 0; total 0; 2 missing.
    const auto oc = run_text(*p,
                             "entity,done,all,reviewed\n"
                             "A,95,100,true\n"
                             "B,85,100,\n"
                             "C,,,false\n",
                             rubric::facts_format::csv, rubric::result_format::csv);
    CHECK(oc.r.usable);
    CHECK(oc.r.clean());
    CHECK(oc.r.scored == 3);
    CHECK(oc.out ==
          "entity,name,total,bonus,1,2,warnings,missing\r\n"
          "A,,4,0,3,1,,0\r\n"
          "B,,2,0,2,0,总分低于3分,1\r\n"
          "C,,0,0,0,0,总分低于3分,2\r\n");
    CHECK(oc.r.diags.empty());
}

TEST_CASE("run: JSON lines name the missing inputs; JSON is one document") {
    auto p = build(plain_rubric);
    const std::string facts = "{\"entity\": \"B\", \"done\": 85, \"all\": 100}\n";
    const auto lines = run_text(*p, facts, rubric::facts_format::jsonl, rubric::result_format::jsonl);
    CHECK(lines.out ==
          "{\"entity\": \"B\", \"total\": \"2\", \"bonus\": \"0\", \"nodes\": {\"1\": \"2\", \"2\": \"0\"}, "
          "\"warnings\": [\"总分低于3分\"], \"missing\": 1, \"missing_inputs\": [\"reviewed\"]}\n");
    const auto doc = run_text(*p, facts, rubric::facts_format::jsonl, rubric::result_format::json);
    CHECK(doc.out.rfind("{\"rubric\": \"运行\", \"entities\": [\n  {\"entity\": \"B\"", 0) == 0);
    CHECK(doc.out.substr(doc.out.size() - 4) == "\n]}\n");
}

TEST_CASE("run: JSON lines give each score the display rounds exactly too, in the scores' order") {
    auto p = build("rubric \"运行\" { total 100 }\n"
                   "item 1 \"信用建设\" 100 {\n"
                   "  input done: count\n"
                   "  input planned: count\n"
                   "  ratio completion = done / planned\n"
                   "  score completion * 100\n"
                   "}\n"
                   "adjustments 2 \"综合奖扣分\" max +5 min -10 {\n"
                   "  item 2.1 \"省级表彰\" {\n"
                   "    input award: bool\n"
                   "    score if award then 2\n"
                   "  }\n"
                   "}\n");
    // 1/3 done: 100/3 = 33.333… shown 33.33; the award +2 (not rounded); grand total 106/3 shown
    // 35.33. Exact: total, grand_total, then node 1; bonus, adjustments and 2, 2.1 are shown as they are.
    const auto oc = run_text(*p, "{\"entity\": \"A\", \"done\": 1, \"planned\": 3, \"award\": true}\n",
                             rubric::facts_format::jsonl, rubric::result_format::jsonl);
    CHECK(oc.r.clean());
    CHECK(oc.out ==
          "{\"entity\": \"A\", \"total\": \"33.33\", \"bonus\": \"0\", \"adjustments\": \"2\", \"grand_total\": \"35.33\", "
          "\"nodes\": {\"1\": \"33.33\", \"2\": \"2\", \"2.1\": \"2\"}, "
          "\"exact\": {\"total\": \"100/3\", \"grand_total\": \"106/3\", \"1\": \"100/3\"}, \"missing\": 0}\n");
}

TEST_CASE("run: an input that no unit gives is one warning naming it and its label") {
    auto p = build(plain_rubric);
    const auto oc = run_text(*p, "entity,done,all\nA,95,100\nB,1,2\n", rubric::facts_format::csv, rubric::result_format::csv);
    CHECK(oc.r.clean());
    REQUIRE(oc.r.diags.size() == 1);
    CHECK(oc.r.diags[0].level == rubric::severity::warning);
    CHECK(oc.r.diags[0].code == "W-facts-input-not-given");
    CHECK(rendered(oc.r) ==
          "u.csv: warning: no unit of these facts gives the input `reviewed` (已评审): every unit is scored as if it "
          "were missing\n");
    CHECK(rubric::render(oc.r.diags, rubric::lang::zh) ==
          "u.csv: 警告：这些数据中没有任何单位提供输入项 `reviewed`（已评审）：每个单位都按缺失计分\n");
}

TEST_CASE("run: facts that give no input at all are one warning that says so, not one per input") {
    // Another rubric's sheet, read with --allow-unknown: none of done, all, reviewed is given.
    auto p = build(plain_rubric);
    rubric::run_options o;
    o.binding.allow_unknown = true;
    const auto oc = run_text(*p, "entity,类别,rate\nA,区县,90%\n", rubric::facts_format::csv, rubric::result_format::csv, o);
    CHECK(oc.r.clean());
    CHECK(oc.r.scored == 1);
    REQUIRE(oc.r.diags.size() == 1);
    CHECK(oc.r.diags[0].level == rubric::severity::warning);
    CHECK(oc.r.diags[0].code == "W-facts-no-input-given");
    CHECK(rendered(oc.r) ==
          "u.csv: warning: these facts give none of the 3 inputs the rubric's rules read: every unit is scored as if all its "
          "facts were missing (is this the rubric's facts file? `rubric template` writes its fill-in sheet)\n");
    CHECK(rubric::render(oc.r.diags, rubric::lang::zh) ==
          "u.csv: 警告：这些数据没有提供本细则计分所用3个输入项中的任何一项：每个单位都按全部缺失计分（是否选错了数据文件？"
          "`rubric template` 可生成本细则的填报表）\n");
    // One input given: the others are named one by one, as before.
    const auto one = run_text(*p, "entity,done\nA,9\n", rubric::facts_format::csv, rubric::result_format::csv);
    CHECK(one.r.diags.size() == 2);
    for (const auto& d : one.r.diags) CHECK(d.code == "W-facts-input-not-given");
}

TEST_CASE("run: an input that no rule reads is not said to be missing (the checker warns of it)") {
    // `spare` is declared and read by no rule: a facts file without it loses nothing.
    auto p = build("rubric \"运行\" { total 1 }\n"
                   "item 1 \"评审\" 1 {\n"
                   "  input reviewed: bool\n"
                   "  input spare: count \"备用\"\n"
                   "  score if reviewed then 1\n"
                   "}\n");
    const auto oc = run_text(*p, "entity,reviewed\nA,true\n", rubric::facts_format::csv, rubric::result_format::csv);
    CHECK(oc.r.clean());
    CHECK(oc.r.diags.empty());
    CHECK(oc.out == "entity,name,total,bonus,1,missing\r\nA,,1,0,1,1\r\n");
}

TEST_CASE("run: a CSV headed in words (results_options::csv_header), quoted as needed") {
    auto p = build(plain_rubric);
    rubric::results_options ro;
    ro.csv_header = {"单位代码", "单位名称", "总分", "加分", "1 办结", "2 评审", "预警", "缺项, 个"};
    std::string out;
    rubric::results_writer w(rubric::result_format::csv, [&](std::string_view s) { out += s; }, ro);
    auto src = rubric::facts_text("u.csv", "entity,done,all,reviewed\nA,95,100,true\n", rubric::facts_format::csv,
                                  rubric::facts_limits{});
    CHECK(rubric::run(*p, *src, w, {}).clean());
    // A: 95/100 -> 3, reviewed -> 1: total 4, no warning, nothing missing.
    CHECK(out == "单位代码,单位名称,总分,加分,1 办结,2 评审,预警,\"缺项, 个\"\r\nA,,4,0,3,1,,0\r\n");
}

TEST_CASE("run: a column headed by an input's label is that input") {
    auto p = build(plain_rubric);
    // 办结量 and 受理量 are the labels of done and all: 90/100 -> 3; 已评审 true -> 1.
    const auto oc = run_text(*p, "entity,办结量,受理量,已评审\nA,90,100,是\n", rubric::facts_format::csv,
                             rubric::result_format::csv);
    CHECK(oc.r.clean());
    CHECK(oc.out == "entity,name,total,bonus,1,2,warnings,missing\r\nA,,4,0,3,1,,0\r\n");
}

TEST_CASE("run: the group column may not be an input, and must be in the facts") {
    auto p = build(plain_rubric);
    rubric::run_options o;
    o.group_column = "done";
    auto oc = run_text(*p, "entity,done,all\nA,1,2\n", rubric::facts_format::csv, rubric::result_format::csv, o);
    CHECK_FALSE(oc.r.usable);
    CHECK(rendered(oc.r) ==
          "u.csv: error: the group column done is an input of the rubric: name a column that only says which group "
          "each unit belongs to\n");
    o.group_column = "类别";
    o.binding.allow_unknown = true;
    oc = run_text(*p, "entity,done,all\nA,1,2\n", rubric::facts_format::csv, rubric::result_format::csv, o);
    CHECK_FALSE(oc.r.usable);
    CHECK(rendered(oc.r).find("no unit of u.csv has a value in the group column 类别") != std::string::npos);
}

TEST_CASE("run: bad units end the run, or are skipped and heard of; diagnostics are capped") {
    auto p = build(plain_rubric);
    const std::string facts = "entity,done,all,reviewed\nA,95,100,true\nB,x,100,true\nC,y,100,true\nD,z,1,true\nE,1,1,true\n";
    rubric::run_options o;
    o.max_diagnostics = 2;
    auto oc = run_text(*p, facts, rubric::facts_format::csv, rubric::result_format::jsonl, o);
    CHECK_FALSE(oc.r.usable);
    CHECK(oc.r.bad == 3);
    // Two errors kept, then the note for the third.
    REQUIRE(oc.r.diags.size() == 3);
    CHECK(oc.r.diags[0].where.begin.line == 3);
    CHECK(oc.r.diags[1].where.begin.line == 4);
    CHECK(oc.r.diags_left_out == 1);
    CHECK(rubric::render(oc.r.diags[2]) == "u.csv: note: and 1 more (the first are shown; --limit errors=N shows more)\n");

    o.skip_bad = true;
    oc = run_text(*p, facts, rubric::facts_format::csv, rubric::result_format::jsonl, o);
    CHECK(oc.r.usable);
    CHECK_FALSE(oc.r.clean());
    CHECK(oc.r.scored == 2);
    // Input order: A, the three bad ones as errors, E (1/1 = 100% -> 3, reviewed 1: 4).
    CHECK(oc.out.find("{\"entity\": \"A\", \"total\": \"4\"") == 0);
    CHECK(oc.out.find("{\"entity\": \"B\", \"error\": \"u.csv:3:") != std::string::npos);
    CHECK(oc.out.find("{\"entity\": \"D\", \"error\": \"u.csv:5:") < oc.out.find("{\"entity\": \"E\", \"total\": \"4\""));
}

namespace {

// Rank: repaid, higher first, linear 2..0 over the units of the group.
const char* const cohort_rubric =
    "rubric \"排名\" { total 2 }\n"
    "item 1 \"清欠\" 2 {\n"
    "  input repaid: percent\n"
    "  score rank repaid higher linear 2..0\n"
    "}\n";

// A source whose second reading differs from the first (a file changed between them).
class changing_source final : public rubric::facts_source {
public:
    const std::string& name() const noexcept override { return name_; }
    bool read(const rubric::entity_handler& on_entity, const rubric::diagnostic_handler& on_diag) override {
        auto src = rubric::facts_text(name_, reads_++ == 0 ? "entity,repaid\na,90%\nb,80%\n" : "entity,repaid\nb,80%\na,90%\n",
                                      rubric::facts_format::csv, rubric::facts_limits{});
        return src->read(on_entity, on_diag);
    }

private:
    std::string name_ = "changing.csv";
    int reads_ = 0;
};

}  // namespace

TEST_CASE("run: a cohort is measured, ranked and scored in input order, per group") {
    auto p = build(cohort_rubric);
    rubric::run_options o;
    o.group_column = "kind";
    // 甲: a 90 and c 70 rank 1, 2 of 2 -> 2, 0. 乙: b alone -> 2. Output in input order a, b, c.
    const auto oc = run_text(*p, "entity,kind,repaid\na,甲,90%\nb,乙,10%\nc,甲,70%\n", rubric::facts_format::csv,
                             rubric::result_format::csv, o);
    CHECK(oc.r.clean());
    CHECK(oc.out == "entity,name,total,bonus,1,missing\r\na,,2,0,2,0\r\nb,,2,0,2,0\r\nc,,0,0,0,0\r\n");

    changing_source changing;
    std::string out;
    rubric::results_writer w(rubric::result_format::csv, [&](std::string_view s) { out += s; });
    const auto r = rubric::run(*p, changing, w, {});
    CHECK_FALSE(r.usable);
    CHECK(rubric::render(r.diags) ==
          "changing.csv: error: changing.csv changed while it was read: its readings (a cohort is read more than "
          "once) do not match\n");
}

namespace {

// Stages: 2 ranks the score of 1, which reads the cohort (drop below the group's mean).
const char* const staged_rubric =
    "item 1 \"配比\" 2 {\n"
    "  input share: percent\n"
    "  score drop 0.1 per 1% below cohort_mean(share)\n"
    "}\n"
    "item 2 \"配比排名\" 3 {\n"
    "  score rank score(1) higher linear 3..0\n"
    "}\n";

// A source read again and again, the same each time; counts its readings.
class counted_source final : public rubric::facts_source {
public:
    explicit counted_source(std::string text) : text_(std::move(text)) {}
    const std::string& name() const noexcept override { return name_; }
    bool read(const rubric::entity_handler& on_entity, const rubric::diagnostic_handler& on_diag) override {
        ++reads;
        return rubric::facts_text(name_, text_, rubric::facts_format::csv, rubric::facts_limits{})->read(on_entity, on_diag);
    }
    int reads = 0;

private:
    std::string name_ = "staged.csv", text_;
};

}  // namespace

TEST_CASE("run: a cohort in stages is read once per stage, then scored") {
    auto p = build(staged_rubric);
    REQUIRE(p->cohort_stages() == 2);
    // Mean of 60%, 40%, 30%, 10% = 35%: item 1 gives A 2, B 2, C 2 − 0.1 × 5 = 1.5, D 2 − 2.5 → 0.
    // Item 2 ranks those scores (n = 4, linear 3..0, step 1): A and B share rank 1 → 3; C rank 3
    // → 1; D rank 4 → 0. Totals 5, 5, 2.5, 0.
    counted_source facts("entity,share\nA,60%\nB,40%\nC,30%\nD,10%\n");
    std::string out;
    rubric::results_writer w(rubric::result_format::csv, [&](std::string_view s) { out += s; });
    const auto r = rubric::run(*p, facts, w, {});
    CHECK(r.clean());
    CHECK(out == "entity,name,total,bonus,1,2,missing\r\nA,,5,0,2,3,0\r\nB,,5,0,2,3,0\r\nC,,2.5,0,1.5,1,0\r\n"
                 "D,,0,0,0,0,0\r\n");
    CHECK(facts.reads == 3);  // measure stage 0, measure stage 1, score
}

TEST_CASE("run: a file read in blocks shows the line numbers of the whole file") {
    // ~1.3 MB of rows: more than one 1 MiB block. Row k is on line k + 1 (the header is line 1).
    char name[] = "/tmp/rubric-run-test-XXXXXX.csv";
    const int fd = mkstemps(name, 4);
    REQUIRE(fd >= 0);
    close(fd);
    const int rows = 60000, bad_row = 55555;
    {
        std::ofstream f(name, std::ios::binary);
        f << "entity,done,all,reviewed\n";
        for (int k = 1; k <= rows; ++k) f << "unit" << k << "," << (k == bad_row ? "x" : "9") << ",10,true\n";
    }
    auto p = build(plain_rubric);
    std::size_t scored = 0;
    rubric::callback_sink count([&](const rubric::scored_unit&) { ++scored; });
    rubric::run_options o;
    o.skip_bad = true;
    auto src = rubric::facts_file(name, rubric::facts_limits{});
    const auto r = rubric::run(*p, *src, count, o);
    std::remove(name);
    CHECK(r.usable);
    CHECK(scored == rows - 1);
    REQUIRE(r.diags.size() == 1);
    const std::string text = rubric::render(r.diags[0]);
    CHECK(text.rfind(std::string(name) + ":" + std::to_string(bad_row + 1) + ":", 0) == 0);
    CHECK(text.find("unit55555,x,10,true") != std::string::npos);

    // The same file bounded as it is read: refused past the limit, whatever its reported size.
    {
        std::ofstream f(name, std::ios::binary);
        f << "entity,done,all,reviewed\n";
        for (int k = 1; k <= rows; ++k) f << "unit" << k << ",9,10,true\n";
    }
    auto bounded = rubric::facts_file(name, rubric::facts_limits{}, 1000);
    const auto r2 = rubric::run(*p, *bounded, count, o);
    std::remove(name);
    CHECK_FALSE(r2.usable);
    REQUIRE_FALSE(r2.diags.empty());
    CHECK(r2.diags.back().code == "E-facts-limit");
}

namespace {

// A facts file written to a temporary path, removed at the end of the test.
struct temp_facts {
    std::string path;
    explicit temp_facts(const std::string& text) {
        char name[] = "/tmp/rubric-run-fast-XXXXXX.csv";
        const int fd = mkstemps(name, 4);
        REQUIRE(fd >= 0);
        close(fd);
        path = name;
        std::ofstream(path, std::ios::binary) << text;
    }
    ~temp_facts() { std::remove(path.c_str()); }
};

struct seen {
    std::string out;
    std::vector<std::string> diags;  // rendered, in the order given
    bool usable = false;
    std::size_t scored = 0, bad = 0;
};

seen run_with(const rubric::program& p, rubric::facts_source& src, rubric::result_format f, rubric::run_options o) {
    seen s;
    rubric::results_writer w(f, [&](std::string_view t) { s.out += t; });
    o.max_diagnostics = 100000;
    const auto r = rubric::run(p, src, w, o);
    for (const auto& d : r.diags) s.diags.push_back(rubric::render(d));
    s.usable = r.usable;
    s.scored = r.scored;
    s.bad = r.bad;
    return s;
}

std::vector<std::string> split_lines(const std::string& out, bool errors) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < out.size()) {
        const std::size_t nl = out.find('\n', at);
        const std::string line = out.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        if ((line.find("\"error\": ") != std::string::npos) == errors) lines.push_back(line);
        at = nl == std::string::npos ? out.size() : nl + 1;
    }
    if (errors) std::sort(lines.begin(), lines.end());
    return lines;
}
std::vector<std::string> scored_lines(const std::string& out) { return split_lines(out, false); }
std::vector<std::string> error_lines(const std::string& out) { return split_lines(out, true); }

// The general reader over the whole text in memory, against the season run's ways through a
// file: one thread (fast CSV rows, the rest read alone) and several (blocks scored by workers,
// taken in order). Same results and the same diagnostics (the general reader says a ragged row
// after the units of its text; the run says it in its place, so they are compared as sets).
void same_as_general_reader(const rubric::program& p, const std::string& text, rubric::run_options o,
                            rubric::facts_format format = rubric::facts_format::csv) {
    const temp_facts file(text);
    for (const auto f : {rubric::result_format::csv, rubric::result_format::jsonl}) {
        auto whole = rubric::facts_text(file.path, text, format, rubric::facts_limits{});
        seen general = run_with(p, *whole, f, o);
        std::sort(general.diags.begin(), general.diags.end());
        for (const unsigned threads : {1u, 2u, 3u}) {
            CAPTURE(threads);
            o.threads = threads;
            auto src = rubric::facts_file(file.path, format, rubric::facts_limits{});
            seen fast = run_with(p, *src, f, o);
            CHECK(fast.usable == general.usable);
            if (general.usable) {  // else nothing is written: how far a reading got does not matter
                CHECK(fast.scored == general.scored);
                CHECK(fast.bad == general.bad);
                // A skipped unit's line: in its place here, after its text's units from the general
                // reader (as its diagnostics); the scored units' lines are the same, in order.
                CHECK(scored_lines(fast.out) == scored_lines(general.out));
                CHECK(error_lines(fast.out) == error_lines(general.out));
            }
            std::sort(fast.diags.begin(), fast.diags.end());
            CHECK(fast.diags == general.diags);
            if (fast.diags != general.diags) {
                std::vector<std::string> only_fast, only_general;
                std::set_difference(fast.diags.begin(), fast.diags.end(), general.diags.begin(), general.diags.end(),
                                    std::back_inserter(only_fast));
                std::set_difference(general.diags.begin(), general.diags.end(), fast.diags.begin(), fast.diags.end(),
                                    std::back_inserter(only_general));
                for (std::size_t i = 0; i < only_fast.size() && i < 3; ++i) MESSAGE("only the run says: " << only_fast[i]);
                for (std::size_t i = 0; i < only_general.size() && i < 3; ++i) MESSAGE("only the general reader says: " << only_general[i]);
            }
        }
    }
}

}  // namespace

TEST_CASE("run: the fast way through a CSV file and its threads give the general reader's results") {
    auto p = build(plain_rubric);
    // ~1.6 MB: several 1 MiB blocks. Rows of every shape a sheet gives; some bad ones in both blocks.
    std::string text = "\xEF\xBB\xBF" "entity,name,done,受理量,reviewed\n";
    for (int k = 1; k <= 60000; ++k) {
        const std::string id = "u" + std::to_string(k);
        switch (k % 11) {
            case 0: text += id + ",\"办公室, 一\",95,100,true\r\n"; break;               // quoted, CRLF
            case 1: text += id + ",\"说 \"\"好\"\"\",\"85\",100,1\n"; break;              // doubled quotes
            case 2: text += id + ",,  90 ,100,  \n"; break;                              // spaces; blank cell
            case 3: text += id + ",名,7,10,是\n\n"; break;                               // 是; a blank line after
            case 4: text += id + ",\"two\nlines\",70,100,false\n"; break;                // a line end in quotes
            case 5: text += id + ",n,0.5,1,0\r"; break;                                  // a lone CR; 0.5 is no count
            default: text += id + ",n," + std::to_string(k % 101) + ",100,TRUE\n"; break;
        }
        if (k == 7 || k == 50007) text += "ragged,1,2\n";
        if (k == 9 || k == 50009) text += ",n,1,1,true\n";                               // no id
        if (k == 13 || k == 50013) text += "u13,n,1,1,true\n";                           // u13 again
        if (k == 17 || k == 50017) text += "h" + std::to_string(k) + ",n,1\xE2\x80\xAE,1,true\n";  // U+202E
        if (k == 19 || k == 50019) text += "v" + std::to_string(k) + ",n,-1,1,true\n";   // negative count
    }
    rubric::run_options o;
    same_as_general_reader(*p, text, o);
    o.skip_bad = true;
    same_as_general_reader(*p, text, o);
    o.group_column = "name";
    same_as_general_reader(*p, text, o);
}

TEST_CASE("run: the fast way ends where the general reader ends: bad UTF-8, an unknown column, a bad header") {
    auto p = build(plain_rubric);
    std::string rows;
    for (int k = 1; k <= 50000; ++k) rows += "u" + std::to_string(k) + "," + std::to_string(k % 101) + ",100,true\n";
    rubric::run_options o;
    o.skip_bad = true;
    same_as_general_reader(*p, "entity,done,all,reviewed\n" + rows + "bad,\xC3,1,true\n" + rows.substr(0, 100), o);
    same_as_general_reader(*p, "entity,done,all,reviewed,extra\n" + std::string("a,1,2,true,\nb,1,2,true,x\nc,1,2,true,y\n"), o);
    o.binding.allow_unknown = true;
    same_as_general_reader(*p, "entity,done,all,reviewed,extra\n" + std::string("a,1,2,true,\nb,1,2,true,x\nc,1,2,true,y\n"), o);
    same_as_general_reader(*p, "entity,done,done,reviewed\na,1,2,true\n", o);
}

TEST_CASE("run: rows and first lines in a file's later blocks are counted from its start") {
    // Every row one line; row k (data) is record k + 1 and line k + 1. Row 50000 is ragged, and
    // u2 is given again on line 60002 after being first on line 3.
    std::string text = "entity,done,all,reviewed\n";
    for (int k = 1; k <= 60000; ++k) text += (k == 50000 ? std::string("r,1,2") : "u" + std::to_string(k) + ",9,10,true") + "\n";
    text += "u2,9,10,true\n";
    const temp_facts file(text);
    auto p = build(plain_rubric);
    for (const unsigned threads : {1u, 2u}) {
        rubric::run_options o;
        o.threads = threads;
        auto src = rubric::facts_file(file.path, rubric::facts_limits{});
        const seen s = run_with(*p, *src, rubric::result_format::csv, o);
        REQUIRE(s.diags.size() == 2);
        CHECK(s.diags[0].rfind(file.path + ":50001:", 0) == 0);
        CHECK(s.diags[0].find("row 50001") != std::string::npos);
        CHECK(s.diags[1].rfind(file.path + ":60002:1:", 0) == 0);
        CHECK(s.diags[1].find("first on line 3") != std::string::npos);
    }
}

TEST_CASE("run: the fast way through a JSON-lines file and its threads give the general reader's results") {
    auto p = build(plain_rubric);
    // ~2 MB: several blocks. Lines of every shape; some bad ones in the first and the last block.
    std::string text;
    for (int k = 1; k <= 40000; ++k) {
        const std::string id = "\"u" + std::to_string(k) + "\"";
        switch (k % 13) {
            case 0: text += "{\"entity\": " + id + ", \"name\": \"办公室\", \"done\": 95, \"all\": 100, \"reviewed\": true}\r\n"; break;
            case 1: text += "{\"entity\":" + id + ",\"done\":\"85\",\"受理量\":100,\"reviewed\":\"是\"}\n"; break;  // a label
            case 2: text += "  {\"entity\": " + id + ", \"done\": 9e1, \"all\": 1E2}  \n"; break;           // exponents
            case 3: text += "{\"entity\": " + id + ", \"name\": \"a\\\"b\\u4e00\", \"done\": null, \"all\": 10}\n\n"; break;  // escapes
            case 4: text += "{\"entity\": " + std::to_string(k) + ", \"done\": 7, \"all\": 10, \"reviewed\": false}\n"; break;  // a number id
            case 5: text += "{\"done\": 7, \"entity\": " + id + ", \"all\": 10.0, \"reviewed\": 0}\n"; break;  // another order
            case 6: text += "{\"entity\": " + id + ",\r \"done\": 3,\r\"all\": 10}\r\r\n"; break;  // lone CRs between tokens: line ends
            case 7: text += "{\"entity\": " + id + ", \"name\": \"县水利局\", \"done\": 3, \"all\": 10}\n"; break;  // UTF-8 in a value
            default: text += "{\"entity\": " + id + ", \"done\": " + std::to_string(k % 101) + ", \"all\": 100, \"reviewed\": 1}\n"; break;
        }
        if (k == 7 || k == 39007) text += "{\"entity\": \"d" + std::to_string(k) + "\", \"done\": 1, \"done\": 2}\n";  // a key twice
        if (k == 9 || k == 39009) text += "{\"done\": 1}\n";                                                         // no id
        if (k == 13 || k == 39013) text += "{\"entity\": \"u13\", \"all\": 1}\n";                                   // u13 again
        if (k == 17 || k == 39017) text += "{\"entity\": \"x" + std::to_string(k) + "\", \"done\": 0.5}\n";          // no count
        if (k == 19 || k == 39019) text += "{\"entity\": \"y" + std::to_string(k) + "\", \"done\": [1]}\n";          // a list
        if (k == 23 || k == 39023) text += "[1, 2]\n{\"entity\": \"z\"} trailing\n{\"entity\": \"w\", \"other\": 1}\n";
        if (k == 31 || k == 39031) text += "{\"entity\": \"h" + std::to_string(k) + "\", \"name\": \"a\xE2\x80\xAE" "b\"}\n";  // a hidden character (U+202E)
        if (k == 29 || k == 39029) text += "{\"entity\": \"" + std::to_string(k) + "\", \"done\": 1, \"all\": 2, \"reviewed\": true}\n";  // "29" and 29
    }
    rubric::run_options o;
    same_as_general_reader(*p, text, o, rubric::facts_format::jsonl);
    o.skip_bad = true;
    same_as_general_reader(*p, text, o, rubric::facts_format::jsonl);
    o.binding.allow_unknown = true;
    o.group_column = "name";
    same_as_general_reader(*p, text, o, rubric::facts_format::jsonl);
}

TEST_CASE("run: a JSON string's quote, escape, control character or byte beyond ASCII at any place gives the general reader's results") {
    // The fast way scans a string eight bytes at a time: each special byte at every place of
    // strings of 0 to 19 bytes, in a value and in a key, before and after a word's end. Files of
    // 90 lines: the general reader stops after 100 errors, the run does not.
    auto p = build(plain_rubric);
    const char* const specials[] = {"\\\"", "\\n", "\\u00e9", "\x01", "\x1f", "\x7f", "\xC3\xA9", "\xE2\x80\xAE", "\x80", "\xFF", "\""};
    for (const bool in_key : {false, true})
        for (const char* special : specials) {
            CAPTURE(in_key);
            CAPTURE(special);
            std::string text;
            int lines = 0;
            const auto compare = [&] {
                rubric::run_options o;
                o.skip_bad = true;
                same_as_general_reader(*p, text, o, rubric::facts_format::jsonl);
                if (in_key) {
                    o.binding.allow_unknown = true;
                    same_as_general_reader(*p, text, o, rubric::facts_format::jsonl);
                }
                text.clear();
                lines = 0;
            };
            for (int len = 0; len < 20; ++len)
                for (int at = 0; at <= len; ++at) {
                    const std::string str = std::string(static_cast<std::size_t>(at), 'a') + special + std::string(static_cast<std::size_t>(len - at), 'b');
                    const std::string id = "\"s" + std::to_string(len) + "-" + std::to_string(at) + "\"";
                    text += in_key ? "{\"entity\": " + id + ", \"" + str + "\": 1, \"done\": 1}\n"
                                   : "{\"entity\": " + id + ", \"name\": \"" + str + "\", \"done\": 1, \"all\": 2}\n";
                    if (++lines == 90) compare();
                }
            if (lines) compare();
        }
}

TEST_CASE("run: a byte-order mark starts a JSON-lines file, and on a later line it is a character") {
    // At the file's start a BOM is no character (the general reader skips it); a line read alone
    // by the run, from the file's middle or a later block, must not be taken for a file's start.
    auto p = build(plain_rubric);
    const std::string bom = "\xEF\xBB\xBF";
    std::string text = bom + "{\"entity\": \"u1\", \"done\": 9, \"all\": 10}\n" + bom + "{\"entity\": \"u2\", \"done\": 1, \"all\": 10}\n";
    for (int k = 3; k <= 30000; ++k) text += "{\"entity\": \"u" + std::to_string(k) + "\", \"done\": 9, \"all\": 10}\n";
    text += bom + "{\"entity\": \"late\", \"done\": 1, \"all\": 10}\n";
    rubric::run_options o;
    o.skip_bad = true;
    same_as_general_reader(*p, text, o, rubric::facts_format::jsonl);
    const auto oc = run_text(*p, text, rubric::facts_format::jsonl, rubric::result_format::csv, o);
    CHECK(oc.r.bad == 2);  // u2's line and the late one: an unexpected character at their start
    CHECK(rendered(oc.r).find("u.csv:2:1: error: unexpected character") != std::string::npos);
}

TEST_CASE("run: JSON lines of one layout with one byte changed here and there give the general reader's results") {
    // The fast way learns a layout's bytes between values from the lines before (`, "done": `):
    // a line that differs from them by one byte anywhere (deleted, doubled, or replaced by a byte
    // of JSON's structure or white space) must be read as the general reader reads it: scored
    // alike, or refused with the same words. A fixed seed, so a failure is the same every run.
    auto p = build(plain_rubric);
    std::uint32_t seed = 12345;
    auto next = [&seed] {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 16) & 0x7FFF;
    };
    const std::string bytes = ",:{}[]\\\" \t\r0-.e";  // structure, a backslash, a quote, white space, number bytes
    // Six files of 12,000 lines, 60 lines changed in each (the general reader stops after 100
    // errors; the run does not, so fewer bad lines than that).
    for (int file = 0; file < 6; ++file) {
        CAPTURE(file);
        std::string text;
        for (int k = 1; k <= 12000; ++k) {
            std::string line = "{\"entity\": \"u" + std::to_string(k) + "\", \"done\": " + std::to_string(k % 101) +
                               ", \"all\": 100, \"reviewed\": " + (k % 2 ? "true" : "false") + "}";
            if (k % 200 == 0) {  // one byte changed
                const std::size_t at = next() % line.size();
                switch (next() % 3) {
                    case 0: line.erase(at, 1); break;
                    case 1: line.insert(at, 1, line[at]); break;
                    default: line[at] = bytes[next() % bytes.size()]; break;
                }
            }
            text += line + "\n";
        }
        rubric::run_options o;
        o.skip_bad = true;
        same_as_general_reader(*p, text, o, rubric::facts_format::jsonl);
    }
}

TEST_CASE("run: progress after each block of a file, and a progress handler that says stop cancels the run") {
    std::string text = "entity,done,all,reviewed\n";
    for (int k = 1; k <= 150000; ++k) text += "u" + std::to_string(k) + ",9,10,true\n";  // ~3.6 MB: blocks of 256 KiB
    const temp_facts file(text);
    auto p = build(plain_rubric);
    for (const unsigned threads : {1u, 2u}) {
        CAPTURE(threads);
        std::vector<rubric::run_progress> seen_progress;
        rubric::run_options o;
        o.threads = threads;
        o.progress = [&](const rubric::run_progress& pr) { return seen_progress.push_back(pr), true; };
        auto src = rubric::facts_file(file.path, rubric::facts_limits{});
        const seen all = run_with(*p, *src, rubric::result_format::csv, o);
        CHECK(all.usable);
        REQUIRE_FALSE(seen_progress.empty());
        for (std::size_t i = 1; i < seen_progress.size(); ++i) CHECK(seen_progress[i].units >= seen_progress[i - 1].units);
        CHECK(seen_progress.back().bytes_total == text.size());
        CHECK(seen_progress.back().bytes_read <= text.size());
        CHECK(seen_progress.front().bytes_read > 200000);  // after the first block (256 KiB, cut at a row)
        CHECK(seen_progress.front().bytes_read < 600000);
        CHECK(seen_progress.size() >= 5);  // blocks of 256 KiB: many progress calls

        // Stop at the first call: nothing usable, and the run says why.
        o.progress = [](const rubric::run_progress&) { return false; };
        auto again = rubric::facts_file(file.path, rubric::facts_limits{});
        const seen cancelled = run_with(*p, *again, rubric::result_format::csv, o);
        CHECK_FALSE(cancelled.usable);
        REQUIRE_FALSE(cancelled.diags.empty());
        CHECK(cancelled.diags.back().find("was cancelled") != std::string::npos);
        CHECK(cancelled.scored < 150000);
    }
}

TEST_CASE("run: the adjustments, grand total, grade and vetoes, in CSV and JSON lines") {
    auto p = build("item 1 \"work\" 10 { input done: count  score done }\n"
                   "adjustments 2 \"奖扣分\" max +2 min -3 { item 2.1 \"x\" { input n: count  score -2 * n } }\n"
                   "input reported: bool\n"
                   "grade A >= 8, B >= 5, otherwise C\n"
                   "veto A \"not A\" if reported\n");
    // U: done 9, n 1 → 2.1 = −2, adjustments −2, grand total 7 → B (5 ≤ 7 < 8).
    // V: done 10, n 2 → −4, kept at −3; grand total 7 → B; reported: not A → B stays B, the veto is listed.
    // W: done 10, nothing else → grand total 10 → A.
    const auto oc = run_text(*p,
                             "entity,done,n,reported\n"
                             "U,9,1,false\n"
                             "V,10,2,true\n"
                             "W,10,0,false\n",
                             rubric::facts_format::csv, rubric::result_format::csv);
    CHECK(oc.out ==
          "entity,name,total,bonus,adjustments,grand_total,1,2,2.1,grade,vetoes,missing\r\n"
          "U,,9,0,-2,7,9,-2,-2,B,,0\r\n"
          "V,,10,0,-3,7,10,-3,-4,B,not A,0\r\n"
          "W,,10,0,0,10,10,0,0,A,,0\r\n");
    const auto lines = run_text(*p, "{\"entity\": \"V\", \"done\": 10, \"n\": 2, \"reported\": true}\n",
                                rubric::facts_format::jsonl, rubric::result_format::jsonl);
    CHECK(lines.out ==
          "{\"entity\": \"V\", \"total\": \"10\", \"bonus\": \"0\", \"adjustments\": \"-3\", \"grand_total\": \"7\", "
          "\"nodes\": {\"1\": \"10\", \"2\": \"-3\", \"2.1\": \"-4\"}, \"grade\": \"B\", \"vetoes\": [\"not A\"], \"missing\": 0}\n");
}

TEST_CASE("run: the missing facts counted and named eight flags at a time, whatever the flags' bytes") {
    // missing_count() against a plain count, for sizes across the word's edges, with flags that
    // are not only 0 and 1 (an embedder's fact_set may hold any byte for "given").
    rubric::fact_set f;
    std::uint32_t seed = 7;
    for (std::size_t size = 0; size <= 40; ++size)
        for (int round = 0; round < 20; ++round) {
            f.present.assign(size, 0);
            std::size_t expected = 0;
            for (auto& flag : f.present) {
                seed = seed * 1103515245u + 12345u;
                const unsigned r = (seed >> 16) % 6;
                flag = r == 0 ? 0 : r == 1 ? 1 : r == 2 ? 0x80 : r == 3 ? 0xFF : r == 4 ? 0x7F : 2;
                expected += flag == 0 ? 1 : 0;
            }
            CAPTURE(size);
            CHECK(rubric::missing_count(f) == expected);
        }
    // JSON lines name them in the inputs' order: 20 inputs i0 … i19, a unit giving only some.
    std::string text = "rubric \"多\" { total 20 }\n";
    for (int i = 0; i < 20; ++i)
        text += "item " + std::to_string(i + 1) + " \"项" + std::to_string(i) + "\" 1 { input i" + std::to_string(i) +
                ": bool  score if i" + std::to_string(i) + " then 1 }\n";
    auto p = build(text.c_str());
    const auto oc = run_text(*p,
                             "{\"entity\": \"all\", \"i0\": true, \"i1\": true, \"i2\": true, \"i3\": true, \"i4\": true, \"i5\": true, "
                             "\"i6\": true, \"i7\": true, \"i8\": true, \"i9\": true, \"i10\": true, \"i11\": true, \"i12\": true, "
                             "\"i13\": true, \"i14\": true, \"i15\": true, \"i16\": true, \"i17\": true, \"i18\": true, \"i19\": true}\n"
                             "{\"entity\": \"some\", \"i1\": true, \"i2\": false, \"i3\": true, \"i4\": true, \"i5\": true, \"i6\": true, "
                             "\"i8\": true, \"i9\": true, \"i10\": true, \"i11\": true, \"i12\": true, \"i13\": true, \"i14\": true, "
                             "\"i15\": true, \"i16\": true, \"i17\": true}\n"
                             "{\"entity\": \"none\"}\n",
                             rubric::facts_format::jsonl, rubric::result_format::jsonl);
    std::vector<std::string> lines;
    for (std::size_t at = 0, nl; (nl = oc.out.find('\n', at)) != std::string::npos; at = nl + 1) lines.push_back(oc.out.substr(at, nl - at));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].find("\"missing\": 0}") != std::string::npos);
    CHECK(lines[0].find("missing_inputs") == std::string::npos);
    CHECK(lines[1].find("\"missing\": 4, \"missing_inputs\": [\"i0\", \"i7\", \"i18\", \"i19\"]}") != std::string::npos);  // i2 is given (false)
    std::string all_names;
    for (int i = 0; i < 20; ++i) all_names += (i ? ", \"i" : "\"i") + std::to_string(i) + "\"";
    CHECK(lines[2].find("\"missing\": 20, \"missing_inputs\": [" + all_names + "]}") != std::string::npos);
}
