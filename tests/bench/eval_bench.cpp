// rubric benchmark: reports medians of repeated runs.
//   1. parse + check time of every rubric under rubrics/
//   2. evaluation throughput (entities/s, one thread, evaluation only) of the
//      largest rubric on generated facts
//   3. `rubric eval` end to end (CSV and JSON lines, one thread and every core) on generated
//      units, and (full run) the peak RSS of a 1,000,000-unit stream
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

    // 3. end to end through the CLI, CSV and JSON lines in, the same format out, on one thread
    //    and on every core; then (full run only) the peak memory of a 1,000,000-unit stream.
    const std::size_t cli_units = quick ? 20000 : 200000;
    const fs::path dir = fs::temp_directory_path() / ("rubric-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto write_units = [&](const fs::path& csv_path, const fs::path& jsonl_path, std::size_t n) {
        std::ofstream csv(csv_path), jsonl(jsonl_path);
        csv << "entity";
        for (const auto& s : largest->inputs()) csv << ',' << s.name;
        csv << '\n';
        for (std::size_t u = 0; u < n; ++u) {
            csv << 'U' << u;
            if (!jsonl_path.empty()) jsonl << "{\"entity\": \"U" << u << '"';
            for (const auto& s : largest->inputs()) {
                const std::string v = rng() % 10 == 0 ? std::string() : random_fact(s, rng);
                csv << ',' << v;
                if (!v.empty() && !jsonl_path.empty()) jsonl << ", \"" << s.name << "\": \"" << v << '"';
            }
            csv << '\n';
            if (!jsonl_path.empty()) jsonl << "}\n";
        }
    };
    const fs::path in_csv = dir / "units.csv", in_jsonl = dir / "units.jsonl";
    write_units(in_csv, in_jsonl, cli_units);
    // Runs the CLI; returns its wall time, and its peak RSS in KiB through *rss.
    auto run_cli = [&](const std::vector<std::string>& argv, long* rss = nullptr) -> double {
        const auto t0 = clk::now();
        const pid_t pid = ::fork();
        if (pid == 0) {
            std::vector<char*> args;
            for (const auto& x : argv) args.push_back(const_cast<char*>(x.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            std::_Exit(127);
        }
        int status = 0;
        struct rusage ru {};
        if (pid < 0 || ::wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
        if (rss) *rss = ru.ru_maxrss;
        return seconds_since(t0);
    };
    std::printf("\n3. rubric eval end to end, %zu units (%s, %.1f MB of CSV), medians of %d runs:\n", cli_units,
                largest_name.c_str(), static_cast<double>(fs::file_size(in_csv)) / 1e6, quick ? 1 : 3);
    for (const char* format : {"csv", "jsonl"}) {
        for (const char* threads : {"1", "0"}) {
            const fs::path in = std::string(format) == "csv" ? in_csv : in_jsonl;
            const std::vector<std::string> argv = {RUBRIC_CLI_PATH, "eval", root + "/" + largest_name, "--facts", in.string(),
                                                   "--format", format, "--out", (dir / "out").string(), "--threads", threads, "--quiet"};
            std::vector<double> rate;
            for (int rpt = 0; rpt < (quick ? 1 : 3); ++rpt) {
                const double t = run_cli(argv);
                if (t < 0) { std::fprintf(stderr, "failed: rubric eval --format %s --threads %s\n", format, threads); return 1; }
                rate.push_back(static_cast<double>(cli_units) / t);
            }
            std::printf("   %-5s in and out, %-12s %9.0f units/s\n", format,
                        std::string(threads) == "1" ? "one thread:" : "every core:", median(rate));
        }
    }
    std::printf("   command: %s eval %s --facts UNITS.csv|UNITS.jsonl --format csv|jsonl --out OUT --threads 1|0 --quiet\n",
                RUBRIC_CLI_PATH, (root + "/" + largest_name).c_str());
    if (!quick) {
        const std::size_t big = 1000000;
        fs::remove(in_jsonl);
        write_units(dir / "big.csv", fs::path(), big);
        long rss = 0;
        const double t = run_cli({RUBRIC_CLI_PATH, "eval", root + "/" + largest_name, "--facts", (dir / "big.csv").string(), "--format",
                                  "csv", "--out", (dir / "out").string(), "--quiet"},
                                 &rss);
        if (t < 0) { std::fprintf(stderr, "failed: the 1,000,000-unit stream\n"); return 1; }
        std::printf("   1,000,000 units (%.0f MB of CSV), every core: %.1f s, %.0f units/s, peak RSS %.1f MiB\n",
                    static_cast<double>(fs::file_size(dir / "big.csv")) / 1e6, t, static_cast<double>(big) / t, static_cast<double>(rss) / 1024);
    }
    fs::remove_all(dir);
    return 0;
}
