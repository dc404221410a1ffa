// A libFuzzer-compatible driver without libFuzzer: runs a fuzz target once over each file
// given (directories: each regular file in them, sorted by name, not recursively; names
// starting with '.' and README* are skipped). The normal test build links every target with
// this driver, so ctest replays the saved findings (tests/fuzz/regressions/<target>/) and the
// hand-picked seeds with any compiler, also in the sanitizer build.
//
// Usage: fuzz_replay_<target> [-q] PATH...   Exit 0 when every input ran; a failed property
// aborts. It is an error when the paths hold no input at all (a mistyped path must not pass).
// -q: do not list the inputs. At the end it prints the three slowest inputs and their times
// (how the "slowest input" of a long fuzzing run is measured: replay its corpus here).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    bool quiet = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "-q") {
            quiet = true;
            continue;
        }
        const fs::path p(argv[i]);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> in_dir;
            for (const auto& e : fs::directory_iterator(p)) {
                const std::string name = e.path().filename().string();
                if (!e.is_regular_file() || name.empty() || name[0] == '.' || name.rfind("README", 0) == 0) continue;
                in_dir.push_back(e.path());
            }
            std::sort(in_dir.begin(), in_dir.end());
            files.insert(files.end(), in_dir.begin(), in_dir.end());
        } else if (fs::is_regular_file(p, ec)) {
            files.push_back(p);
        } else {
            std::fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 2;
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "replay: no inputs in the paths given\n");
        return 2;
    }
    std::vector<std::pair<double, std::string>> times;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) {
            std::fprintf(stderr, "replay: cannot read %s\n", f.string().c_str());
            return 2;
        }
        if (!quiet) std::fprintf(stderr, "replay: %s (%zu bytes)\n", f.string().c_str(), bytes.size());
        // A copy of exactly `size` bytes, so that ASan sees any read past the end.
        std::vector<std::uint8_t> buf(bytes.begin(), bytes.end());
        const auto t0 = std::chrono::steady_clock::now();
        LLVMFuzzerTestOneInput(buf.empty() ? nullptr : buf.data(), buf.size());
        const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
        times.emplace_back(dt.count(), f.string() + " (" + std::to_string(bytes.size()) + " bytes)");
    }
    std::sort(times.begin(), times.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < times.size() && i < 3; ++i)
        std::printf("slowest %zu: %.3f s  %s\n", i + 1, times[i].first, times[i].second.c_str());
    std::printf("replayed %zu inputs\n", files.size());
    return 0;
}
