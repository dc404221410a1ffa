// Fuzz target 11: the season run's fast ways through a facts file against the general reader.
// A CSV or JSON-lines file is read by the run in blocks, and its plain rows and lines are bound
// by hand-written scanners (detail/csv_rows.hpp, detail/jsonl_rows.hpp) that hand anything else
// back to the general reader. Whatever the bytes, the run over the file must give what the
// general reader gives over the same text in memory: the same units scored alike, the same bad
// units, the same diagnostics. Any difference is a finding.
//
// Input layout: FLAGS FACTS-TEXT. FLAGS bit 0: JSON lines (else CSV); bit 1: skip bad units;
// bit 2: allow unknown columns; bit 3: the group column `类别`; bit 4: two threads (else one);
// bit 5: JSON-lines results (else CSV). The rubric is fixed (below): every kind of input, labels
// in Chinese (a column may be headed by one), a ratio, a list, a choice.
//
// The general reader stops after facts_limits::max_errors; the run reads on. An input that
// meets that many errors is only run, not compared. A text that is not UTF-8 is refused by both,
// the general reader before anything else, the run where it meets the bad byte: only that is
// compared.
#include <algorithm>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

#include "fuzz_common.hpp"

namespace {

using namespace rubric;

const char* const rubric_text =
    "rubric \"运行\" { total 14 }\n"
    "item 1 \"办结\" 4 {\n"
    "  input done: count \"办结量\"\n"
    "  input all: count 0..100000 \"受理量\"\n"
    "  ratio rate = done / all\n"
    "  score tier >=90%:4 >=80%:2\n"
    "}\n"
    "item 2 \"评审\" 2 { input reviewed: bool \"已评审\"  score if reviewed then 2 }\n"
    "item 3 \"等级\" 2 {\n"
    "  input level: choice [好, 中, 差] \"等级\"\n"
    "  score if level == \"好\" then 2 else if level == \"中\" then 1 else 0\n"
    "}\n"
    "item 4 \"领域\" 2 { input marks: list of count \"各项得分\"  score each 0.5 max 2 of count m in marks where m > 1 }\n"
    "item 5 \"占比\" 2 { input share: percent \"占比\"  score share * 2 }\n"
    "item 6 \"打分\" 2 { input judged: judged 0..2 missing zero \"评审打分\"  score judged }\n"
    "warn \"总分低于3分\" if total < 3\n";

const program& the_program() {
    static const program_ptr p = [] {
        auto r = parse_and_check(make_source("run.rubric", rubric_text));
        if (!r.rubric) rubric_fuzz::fail(__FILE__, __LINE__, "the target's rubric", render(r.diags));
        return compile(std::move(*r.rubric));
    }();
    return *p;
}

// One file per process, written afresh for every input, removed at exit.
const std::string& facts_path() {
    static const std::string path = [] {
        const char* dir = std::getenv("TMPDIR");
        std::string p = std::string(dir && *dir ? dir : "/tmp") + "/rubric-fuzz-run-" + std::to_string(::getpid()) + ".facts";
        std::atexit([] { std::remove(facts_path().c_str()); });
        return p;
    }();
    return path;
}

struct seen {
    bool usable = false;
    std::string not_utf8;  // the diagnostic that says the text is not UTF-8, if any
    std::size_t scored = 0, bad = 0, diags = 0;
    std::vector<std::string> scored_lines, error_lines, messages;
};

seen run_through(const program& p, facts_source& src, result_format f, run_options o) {
    seen s;
    std::string out;
    results_writer w(f, [&](std::string_view t) { out += t; });
    o.max_diagnostics = 100000;
    const run_result r = run(p, src, w, o);
    s.usable = r.usable;
    s.scored = r.scored;
    s.bad = r.bad;
    s.diags = r.diags.size();
    for (const auto& d : r.diags) {
        s.messages.push_back(render(d));
        if (d.code == codes::facts_utf8 && s.not_utf8.empty()) s.not_utf8 = s.messages.back();
    }
    std::sort(s.messages.begin(), s.messages.end());
    // A skipped unit's line is written in its place by the run, after its text's units by the
    // general reader (as its diagnostics): the error lines are compared as a set.
    std::size_t at = 0;
    while (at < out.size()) {
        const std::size_t nl = out.find('\n', at);
        std::string line = out.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        (line.find("\"error\": ") != std::string::npos ? s.error_lines : s.scored_lines).push_back(std::move(line));
        at = nl == std::string::npos ? out.size() : nl + 1;
    }
    std::sort(s.error_lines.begin(), s.error_lines.end());
    return s;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x + "\n";
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t flags = data[0];
    const std::string text(rubric_fuzz::as_text(data + 1, size - 1));
    const facts_format format = (flags & 1) ? facts_format::jsonl : facts_format::csv;
    run_options o;
    o.skip_bad = (flags & 2) != 0;
    o.binding.allow_unknown = (flags & 4) != 0;
    if (flags & 8) o.group_column = "类别";
    o.threads = (flags & 16) ? 2 : 1;
    const result_format out = (flags & 32) ? result_format::jsonl : result_format::csv;
    const program& p = the_program();

    std::FILE* f = std::fopen(facts_path().c_str(), "wb");
    if (!f) return 0;
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !written) return 0;

    const facts_limits limits;
    auto whole = facts_text(facts_path(), text, format, limits);
    const seen general = run_through(p, *whole, out, o);
    auto file = facts_file(facts_path(), format, limits);
    const seen fast = run_through(p, *file, out, o);
    if (general.diags + 2 >= limits.max_errors) return 0;  // the general reader stopped early
    if (!general.not_utf8.empty()) {
        // The general reader checks the whole text first and says only that; the run reads a
        // file as it comes (gigabytes, a pipe): it says what it meets before the bad byte (a
        // header's unknown columns, a broken row that ends the reading, the rows before), and
        // the bad byte when it gets there. Both refuse the file, each with its reasons.
        FUZZ_CHECK(!fast.usable && !general.usable, "a text that is not UTF-8 was used");
        FUZZ_CHECK(fast.diags > 0, "the run refused a text that is not UTF-8 without a word");
        return 0;
    }

    FUZZ_CHECK(fast.usable == general.usable, std::string("usable: run ") + (fast.usable ? "yes" : "no") + ", general reader " +
                                                  (general.usable ? "yes" : "no") + "\n" + joined(fast.messages) + "---\n" +
                                                  joined(general.messages));
    if (general.usable) {  // else nothing is written: how far a reading got does not matter
        FUZZ_CHECK(fast.scored == general.scored && fast.bad == general.bad,
                   "scored/bad: run " + std::to_string(fast.scored) + "/" + std::to_string(fast.bad) + ", general reader " +
                       std::to_string(general.scored) + "/" + std::to_string(general.bad));
        FUZZ_CHECK(fast.scored_lines == general.scored_lines,
                   "the scored units differ:\n" + joined(fast.scored_lines) + "---\n" + joined(general.scored_lines));
        FUZZ_CHECK(fast.error_lines == general.error_lines,
                   "the skipped units differ:\n" + joined(fast.error_lines) + "---\n" + joined(general.error_lines));
    }
    FUZZ_CHECK(fast.messages == general.messages,
               "the diagnostics differ:\n" + joined(fast.messages) + "---\n" + joined(general.messages));
    return 0;
}
