// rubric benchmark: reports medians of repeated runs.
//   1. parse + check time of every rubric under rubrics/
//   2. evaluation throughput (entities/s, one thread, evaluation only) of the
//      largest rubric on generated facts
//   3. `rubric eval` end to end (CSV in, CSV out) on generated units
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "rubric/rubric.hpp"

namespace fs = std::filesystem;
using clk = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;  // timing only, never a score
}

double seconds_since(clk::time_point t0) {
    return std::chrono::duration<double>(clk::now() - t0).count();
}

// A random but valid value for an input, as fact text.
std::string random_fact(const rubric::input_slot& s, std::mt19937_64& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
    switch (s.type) {
        case rubric::input_type::boolean: return pick(10) < 7 ? "true" : "false";
        case rubric::input_type::count: {
            long hi = s.hi ? s.hi->to_int64() : 600;
            long lo = s.lo ? s.lo->to_int64() : 0;
            return std::to_string(lo + pick(static_cast<int>(hi - lo + 1)));
        }
        case rubric::input_type::percent: return std::to_string(50 + pick(51)) + "%";
        case rubric::input_type::judged:
        case rubric::input_type::number: {
            // a step of 1/100 within the declared range
            const rubric::decimal lo = s.lo ? *s.lo : rubric::decimal(0);
            const rubric::decimal hi = s.hi ? *s.hi : rubric::decimal(10);
            const rubric::decimal v = lo + (hi - lo) * rubric::decimal::fraction(pick(101), 100);
            return v.to_string();
        }
        case rubric::input_type::choice: return s.choices[static_cast<std::size_t>(pick(static_cast<int>(s.choices.size())))];
        case rubric::input_type::list: return "[80%;90%;70%]";
    }
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
    const int reps = quick ? 3 : 7;
    const std::string root = RUBRIC_SOURCE_DIR;
    std::printf("rubric benchmark (%s; medians of %d runs)\n", quick ? "quick" : "full", reps);

    // 1. parse + check
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(root + "/rubrics"); it != fs::recursive_directory_iterator(); ++it)
        if (it->path().extension() == ".rubric") files.push_back(it->path());
    std::sort(files.begin(), files.end());
    rubric::program_ptr largest;
    std::string largest_name;
    std::printf("\n1. parse + check, per rubric\n");
    for (const auto& f : files) {
        std::string err;
        auto src = rubric::read_source(f.string(), &err);
        std::vector<double> t;
        rubric::program_ptr prog;
        for (int i = 0; i < reps; ++i) {
            auto t0 = clk::now();
            auto r = rubric::parse_and_check(src);
            t.push_back(seconds_since(t0));
            if (r.rubric && i == 0) prog = rubric::compile(std::move(*r.rubric));
        }
        std::printf("   %-48s %8.3f ms  (%zu bytes)\n", fs::relative(f, root).c_str(), median(t) * 1e3, src->text.size());
        if (prog && (!largest || prog->tree().nodes.size() > largest->tree().nodes.size())) {
            largest = prog;
            largest_name = fs::relative(f, root).string();
        }
    }
    if (!largest) return 1;

    // 2. evaluation only
    std::mt19937_64 rng(20231);
    const std::size_t units = quick ? 2000 : 20000;
    std::vector<rubric::fact_set> facts(units);
    for (auto& fs_ : facts) {
        fs_.reset(*largest);
        for (std::uint32_t i = 0; i < largest->inputs().size(); ++i) {
            if (rng() % 10 == 0) continue;  // some facts missing
            const std::string e = rubric::set_fact_text(*largest, i, random_fact(largest->inputs()[i], rng), fs_);
            if (!e.empty()) { std::fprintf(stderr, "bad generated fact: %s\n", e.c_str()); return 1; }
        }
        if (!rubric::fill_missing(*largest, fs_).empty()) return 1;
    }
    rubric::evaluation ev(*largest);
    std::vector<double> rates;
    rubric::decimal checksum;
    for (int rpt = 0; rpt < reps; ++rpt) {
        auto t0 = clk::now();
        for (const auto& f : facts) {
            rubric::evaluate(*largest, f, ev);
            if (rpt == 0) checksum += ev.total();
        }
        rates.push_back(static_cast<double>(units) / seconds_since(t0));
    }
    std::printf("\n2. evaluation only, one thread: %s (%zu nodes, %zu inputs, %zu instructions)\n", largest_name.c_str(),
                largest->tree().nodes.size(), largest->inputs().size(), largest->code_.size());
    std::printf("   %.0f entities/s (median; %zu generated units; checksum of totals %s)\n", median(rates), units,
                checksum.to_string().c_str());

    // 3. end to end through the CLI: CSV in, CSV out
    const std::size_t cli_units = quick ? 20000 : 200000;
    const fs::path dir = fs::temp_directory_path() / "rubric-bench";
    fs::create_directories(dir);
    const fs::path in = dir / "units.csv", out = dir / "scores.csv";
    {
        std::ofstream csv(in);
        csv << "entity";
        for (const auto& s : largest->inputs()) csv << ',' << s.name;
        csv << '\n';
        for (std::size_t u = 0; u < cli_units; ++u) {
            csv << 'U' << u;
            for (const auto& s : largest->inputs()) csv << ',' << (rng() % 10 == 0 ? std::string() : random_fact(s, rng));
            csv << '\n';
        }
    }
    const std::string cmd = std::string(RUBRIC_CLI_PATH) + " eval " + root + "/" + largest_name + " --facts " +
                            in.string() + " --format csv --out " + out.string();
    std::vector<double> e2e;
    for (int rpt = 0; rpt < (quick ? 1 : 3); ++rpt) {
        auto t0 = clk::now();
        if (std::system(cmd.c_str()) != 0) { std::fprintf(stderr, "failed: %s\n", cmd.c_str()); return 1; }
        e2e.push_back(static_cast<double>(cli_units) / seconds_since(t0));
    }
    std::printf("\n3. rubric eval end to end (CSV in, CSV out), %zu units, %.1f MB of facts:\n   %s\n   %.0f units/s (median)\n",
                cli_units, static_cast<double>(fs::file_size(in)) / 1e6, cmd.c_str(), median(e2e));
    fs::remove_all(dir);
    return 0;
}
