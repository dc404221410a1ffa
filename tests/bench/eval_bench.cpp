// rubric benchmark: reports medians of repeated runs.
//   1. parse + check time of every rubric under rubrics/
//   2. evaluation throughput (entities/s, one thread, evaluation only) of the 广汉 rubric on
//      generated facts, beside the same table written by hand in plain C++ over int64 rationals
//      (guanghan_by_hand.hpp), after checking that both give the same score on every unit and node
//   3. `rubric eval` end to end (CSV and JSON lines, one thread and every core) on generated
//      units, and (full run) the peak RSS of a 1,000,000-unit stream
// `--quick`: fewer units and runs (CI). `--eval-only`: steps 1 and 2 only.
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

#if defined(__linux__)
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#endif

#include "guanghan_by_hand.hpp"
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

// Instructions retired by this thread in user space (perf_event_open), where the kernel and the
// machine allow it; counts do not depend on what else the machine is doing, unlike wall time.
class instruction_counter {
public:
    instruction_counter() {
#if defined(__linux__)
        perf_event_attr a{};
        a.type = PERF_TYPE_HARDWARE;
        a.size = sizeof a;
        a.config = PERF_COUNT_HW_INSTRUCTIONS;
        a.disabled = 1;
        a.exclude_kernel = 1;
        a.exclude_hv = 1;
        fd_ = static_cast<int>(syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
#endif
    }
    ~instruction_counter() {
#if defined(__linux__)
        if (fd_ >= 0) close(fd_);
#endif
    }
    instruction_counter(const instruction_counter&) = delete;
    instruction_counter& operator=(const instruction_counter&) = delete;
    [[nodiscard]] bool available() const { return fd_ >= 0; }
    // Runs f and returns the instructions it took (0 without a counter).
    template <class F>
    std::uint64_t count(F&& f) {
        std::uint64_t n = 0;
#if defined(__linux__)
        if (fd_ >= 0) {
            ioctl(fd_, PERF_EVENT_IOC_RESET, 0);
            ioctl(fd_, PERF_EVENT_IOC_ENABLE, 0);
            f();
            ioctl(fd_, PERF_EVENT_IOC_DISABLE, 0);
            if (read(fd_, &n, sizeof n) != static_cast<ssize_t>(sizeof n)) n = 0;
            return n;
        }
#endif
        f();
        return n;
    }

private:
    int fd_ = -1;
};

guanghan_by_hand::q to_q(const rubric::decimal& v) {
    return {std::stoll(v.numerator_string()), std::stoll(v.denominator_string())};
}

bool same(const rubric::decimal& engine, guanghan_by_hand::q by_hand) {
    return engine == rubric::decimal::fraction(by_hand.n, by_hand.d);
}

// Checks that the hand-written table and `evaluate` agree on every node of every unit; on the
// first difference, prints it and returns false.
bool agree(const rubric::program& prog, const std::vector<rubric::fact_set>& facts,
           const std::vector<guanghan_by_hand::facts>& by_hand, std::size_t& nodes_checked) {
    namespace gh = guanghan_by_hand;
    auto node_of = [&](const char* code) {
        for (rubric::node_id id = 0; id < prog.tree().nodes.size(); ++id)
            if (prog.tree().nodes[id].code == code) return id;
        std::fprintf(stderr, "the rubric has no node %s\n", code);
        std::exit(1);
    };
    std::vector<rubric::node_id> leaf(gh::leaf_count), level2(gh::level2_count), level1(gh::level1_count);
    for (int i = 0; i < gh::leaf_count; ++i) leaf[i] = node_of(gh::leaf_codes[i]);
    for (int i = 0; i < gh::level2_count; ++i) level2[i] = node_of(gh::level2_codes[i]);
    for (int i = 0; i < gh::level1_count; ++i) level1[i] = node_of(gh::level1_codes[i]);
    rubric::evaluation ev(prog);
    gh::scores s;
    nodes_checked = 0;
    for (std::size_t u = 0; u < facts.size(); ++u) {
        rubric::evaluate(prog, facts[u], ev);
        gh::score_unit(by_hand[u], s);
        auto check = [&](const char* code, rubric::node_id id, gh::q want) {
            ++nodes_checked;
            if (same(ev.node_score(id), want)) return true;
            std::fprintf(stderr, "unit %zu, node %s: evaluate gives %s, by hand %lld/%lld\n", u, code,
                         ev.node_score(id).to_string().c_str(), static_cast<long long>(want.n),
                         static_cast<long long>(want.d));
            return false;
        };
        for (int i = 0; i < gh::leaf_count; ++i)
            if (!check(gh::leaf_codes[i], leaf[i], s.leaf[i])) return false;
        for (int i = 0; i < gh::level2_count; ++i)
            if (!check(gh::level2_codes[i], level2[i], s.level2[i])) return false;
        for (int i = 0; i < gh::level1_count; ++i)
            if (!check(gh::level1_codes[i], level1[i], s.level1[i])) return false;
        ++nodes_checked;
        if (!same(ev.total(), s.total)) {
            std::fprintf(stderr, "unit %zu, total: evaluate gives %s, by hand %lld/%lld\n", u,
                         ev.total().to_string().c_str(), static_cast<long long>(s.total.n),
                         static_cast<long long>(s.total.d));
            return false;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false, eval_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--quick") quick = true;
        else if (a == "--eval-only") eval_only = true;
        else { std::fprintf(stderr, "usage: eval_bench [--quick] [--eval-only]\n"); return 2; }
    }
    const int reps = quick ? 3 : 7;
    const std::string root = RUBRIC_SOURCE_DIR;
    std::printf("rubric benchmark (%s; medians of %d runs)\n", quick ? "quick" : "full", reps);

    // 1. parse + check
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(root + "/rubrics"); it != fs::recursive_directory_iterator(); ++it)
        if (it->path().extension() == ".rubric") files.push_back(it->path());
    std::sort(files.begin(), files.end());
    rubric::program_ptr largest, guanghan;
    std::string largest_name;
    const std::string guanghan_name = "rubrics/guanghan-2023.rubric";
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
        if (prog && fs::relative(f, root).string() == guanghan_name) guanghan = prog;
        if (prog && (!largest || prog->tree().nodes.size() > largest->tree().nodes.size())) {
            largest = prog;
            largest_name = fs::relative(f, root).string();
        }
    }
    if (!largest || !guanghan) return 1;

    // 2. evaluation only, 广汉: evaluate beside the hand-written table
    std::mt19937_64 rng(20231);
    const std::size_t units = quick ? 2000 : 20000;
    std::vector<rubric::fact_set> facts(units);
    const rubric::program& gh_prog = *guanghan;
    for (auto& fs_ : facts) {
        fs_.reset(gh_prog);
        for (std::uint32_t i = 0; i < gh_prog.inputs().size(); ++i) {
            if (rng() % 10 == 0) continue;  // some facts missing
            const std::string e = rubric::set_fact_text(gh_prog, i, random_fact(gh_prog.inputs()[i], rng), fs_);
            if (!e.empty()) { std::fprintf(stderr, "bad generated fact: %s\n", e.c_str()); return 1; }
        }
        if (!rubric::fill_missing(gh_prog, fs_).empty()) return 1;
    }
    // The same facts for the hand-written table, as a caller of such code would hold them.
    std::vector<guanghan_by_hand::facts> by_hand(units);
    for (std::size_t u = 0; u < units; ++u) {
        by_hand[u].read([&](const char* name) {
            const int i = gh_prog.find_input(name);
            if (i < 0) { std::fprintf(stderr, "the rubric has no input %s\n", name); std::exit(1); }
            return to_q(facts[u].values[static_cast<std::size_t>(i)].v);
        });
    }
    std::size_t nodes_checked = 0;
    if (!agree(gh_prog, facts, by_hand, nodes_checked)) return 1;

    rubric::evaluation ev(gh_prog);
    guanghan_by_hand::scores s;
    rubric::batch_evaluation batch;
    std::vector<double> rates, hand_rates, general_rates, batch_rates;
    rubric::decimal batch_checksum;
    std::size_t alone = 0;
    rubric::decimal checksum, general_checksum;
    std::int64_t hand_checksum = 0;
    std::size_t fast_units = 0;
    for (int rpt = 0; rpt < reps; ++rpt) {  // interleaved, so that all three see the same machine
        auto t0 = clk::now();
        for (const auto& f : by_hand) {
            guanghan_by_hand::score_unit(f, s);
            hand_checksum += s.total.n;
        }
        hand_rates.push_back(static_cast<double>(units) / seconds_since(t0));
        t0 = clk::now();
        for (const auto& f : facts) {
            rubric::evaluate(gh_prog, f, ev);
            if (rpt == 0) {
                checksum += ev.total();
                fast_units += rubric::detail::scored_on_fast_path(ev) ? 1 : 0;
            }
        }
        rates.push_back(static_cast<double>(units) / seconds_since(t0));
        t0 = clk::now();
        for (const auto& f : facts) {
            rubric::detail::evaluate_on_general_path(gh_prog, f, ev);
            if (rpt == 0) general_checksum += ev.total();
        }
        general_rates.push_back(static_cast<double>(units) / seconds_since(t0));
        t0 = clk::now();
        for (std::size_t first = 0; first < units; first += 1024) {  // blocks of 1024 units, as a reader would hand them over
            const std::size_t n = std::min<std::size_t>(1024, units - first);
            rubric::evaluate_batch(gh_prog, facts.data() + first, n, batch);
            if (rpt == 0) {
                for (std::size_t u = 0; u < n; ++u) batch_checksum += batch.total(u);
                alone += batch.units_scored_alone();
            }
        }
        batch_rates.push_back(static_cast<double>(units) / seconds_since(t0));
    }
    if (checksum != batch_checksum) {
        std::fprintf(stderr, "evaluate_batch and evaluate differ: %s vs %s\n", batch_checksum.to_string().c_str(),
                     checksum.to_string().c_str());
        return 1;
    }
    if (checksum != general_checksum) {
        std::fprintf(stderr, "the fast and general paths differ: %s vs %s\n", checksum.to_string().c_str(),
                     general_checksum.to_string().c_str());
        return 1;
    }
    const double hand = median(hand_rates), engine = median(rates), general = median(general_rates),
                 batched = median(batch_rates);
    std::printf("\n2. evaluation only, one thread: %s (%zu nodes, %zu inputs, %zu instructions)\n", guanghan_name.c_str(),
                gh_prog.tree().nodes.size(), gh_prog.inputs().size(), gh_prog.instruction_count());
    std::printf("   %zu generated units; evaluate and the hand-written table agree on all %zu node scores\n", units,
                nodes_checked);
    std::printf("   by hand (guanghan_by_hand.cpp, int64 rationals): %10.0f units/s (median; checksum %lld)\n", hand,
                static_cast<long long>(hand_checksum));
    std::printf("   evaluate:                                         %10.0f units/s (median; checksum of totals %s;"
                " %zu of %zu units on the fast path)\n",
                engine, checksum.to_string().c_str(), fast_units, units);
    std::printf("   evaluate, general path only (decimal throughout): %10.0f units/s (median)\n", general);
    std::printf("   evaluate_batch (blocks of 1024, %zu lanes):          %10.0f units/s (median; %zu units scored alone)\n",
                rubric::batch_evaluation::lanes, batched, alone);
    std::printf("   evaluate / by hand: %.2fx; evaluate_batch / by hand: %.2fx; general path / by hand: %.2fx\n",
                engine / hand, batched / hand, general / hand);  // timing only, never a score
    instruction_counter counter;
    if (counter.available()) {
        const double per = 1.0 / static_cast<double>(units);  // a count per unit, not a score
        const double hand_ins = static_cast<double>(counter.count([&] {
            for (const auto& f : by_hand) guanghan_by_hand::score_unit(f, s);
        })) * per;
        const double eval_ins = static_cast<double>(counter.count([&] {
            for (const auto& f : facts) rubric::evaluate(gh_prog, f, ev);
        })) * per;
        const double batch_ins = static_cast<double>(counter.count([&] {
            for (std::size_t first = 0; first < units; first += 1024)
                rubric::evaluate_batch(gh_prog, facts.data() + first, std::min<std::size_t>(1024, units - first), batch);
        })) * per;
        const double general_ins = static_cast<double>(counter.count([&] {
            for (const auto& f : facts) rubric::detail::evaluate_on_general_path(gh_prog, f, ev);
        })) * per;
        std::printf("   instructions per unit: by hand %.0f, evaluate %.0f, evaluate_batch %.0f, general path %.0f\n", hand_ins,
                    eval_ins, batch_ins, general_ins);
    } else {
        std::printf("   instructions per unit: no hardware counter here (perf_event_open); count them with callgrind (README)\n");
    }
    if (eval_only) return 0;

    // 3. end to end through the CLI, CSV and JSON lines in, the same format out (and JSON lines
    //    in, CSV out), on one thread and on every core; then (full run only) the peak memory of a
    //    1,000,000-unit stream.
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
    // The child's own ru_maxrss is no measure here: a forked child starts with this process's pages
    // (the 20,000 fact sets of step 2), and exec keeps the high-water mark. So the peak is taken
    // by /usr/bin/time (Debian's `time`), whose child starts small.
    const fs::path rss_file = dir / "rss";
    const bool have_time = ::access("/usr/bin/time", X_OK) == 0;
    auto run_cli = [&](const std::vector<std::string>& argv, long* rss = nullptr) -> double {
        std::vector<std::string> command = argv;
        if (rss && have_time) command.insert(command.begin(), {"/usr/bin/time", "-f", "%M", "-o", rss_file.string()});
        const auto t0 = clk::now();
        const pid_t pid = ::fork();
        if (pid == 0) {
            std::vector<char*> args;
            for (const auto& x : command) args.push_back(const_cast<char*>(x.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            std::_Exit(127);
        }
        int status = 0;
        struct rusage ru {};
        if (pid < 0 || ::wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
        const double t = seconds_since(t0);
        if (rss) {
            *rss = -1;  // unknown without /usr/bin/time
            if (have_time) {
                std::ifstream in(rss_file);
                in >> *rss;
            }
        }
        return t;
    };
    const int rounds = quick ? 1 : 5;
    std::printf("\n3. rubric eval end to end, %zu units (%s, %.1f MB of CSV), medians of %d runs:\n", cli_units,
                largest_name.c_str(), static_cast<double>(fs::file_size(in_csv)) / 1e6, rounds);
    // JSON lines in and CSV out as well: the reading of JSON lines alone, beside a JSON-lines
    // output that is 6 times the bytes of the CSV one. The three ways take turns, run by run (not
    // each way's runs in a row): this machine's speed drifts by 10-20% from minute to minute
    // (a shared host), and JSON lines' time against CSV's is then taken from runs made side by
    // side — the median of each round's ratio.
    const std::pair<const char*, const char*> ways[] = {{"csv", "csv"}, {"jsonl", "jsonl"}, {"jsonl", "csv"}};
    // Each way writes its own results file, and a run replaces the one its way wrote before (as a
    // season's run again does: freeing the old file is part of its time, 0.1 s for JSON lines'
    // 350 MB). A first round, not timed, writes them (full run).
    for (const char* threads : {"1", "0"}) {
        std::vector<double> seconds[3];
        for (int rpt = quick ? 0 : -1; rpt < rounds; ++rpt)
            for (std::size_t w = 0; w < 3; ++w) {
                const auto& [in_format, out_format] = ways[w];
                const fs::path in = std::string(in_format) == "csv" ? in_csv : in_jsonl;
                const std::string out = (dir / ("out-" + std::string(in_format) + "-" + out_format)).string();
                const std::vector<std::string> argv = {RUBRIC_CLI_PATH, "eval", root + "/" + largest_name, "--facts", in.string(),
                                                       "--format", out_format, "--out", out, "--threads", threads, "--quiet"};
                const double t = run_cli(argv);
                if (t < 0) { std::fprintf(stderr, "failed: rubric eval %s --format %s --threads %s\n", in.c_str(), out_format, threads); return 1; }
                if (rpt >= 0) seconds[w].push_back(t);
            }
        for (std::size_t w = 0; w < 3; ++w) {
            const auto& [in_format, out_format] = ways[w];
            const std::string way = std::string(in_format) == out_format ? std::string(in_format) + " in and out," : std::string(in_format) + " in, " + out_format + " out,";
            std::printf("   %-19s %-12s %9.0f units/s", way.c_str(), std::string(threads) == "1" ? "one thread:" : "every core:",
                        static_cast<double>(cli_units) / median(seconds[w]));
            if (w > 0) {
                std::vector<double> ratio;
                for (int rpt = 0; rpt < rounds; ++rpt) ratio.push_back(seconds[w][rpt] / seconds[0][rpt]);
                std::printf("  (%.2fx CSV's time, run beside it)", median(ratio));
            }
            std::printf("\n");
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
        std::printf("   1,000,000 units (%.0f MB of CSV), every core: %.1f s, %.0f units/s, ",
                    static_cast<double>(fs::file_size(dir / "big.csv")) / 1e6, t, static_cast<double>(big) / t);
        if (rss < 0) std::printf("peak RSS not measured (no /usr/bin/time)\n");
        else std::printf("peak RSS %.1f MiB (/usr/bin/time)\n", static_cast<double>(rss) / 1024);
    }
    fs::remove_all(dir);
    return 0;
}
