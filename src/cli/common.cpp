// Helpers the commands share (cli.hpp).
#include <cstdlib>
#include "cli.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <unistd.h>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace rubric::cli {

namespace {
lang chosen_lang = lang::en;
limits chosen_limits;
bool facts_bytes_set = false;
office_facts_options chosen_office;
}

const office_facts_options& office_options() { return chosen_office; }

bool binary_to_terminal(const std::string& out_path) { return (out_path.empty() || out_path == "-") && ::isatty(1); }
bool choose_office_options(const args& a, std::string& problem) {
    chosen_office.encoding = a.opt("--encoding");
    chosen_office.sheet = a.opt("--sheet");
    if (!chosen_office.encoding.empty() && !encoding_from_name(chosen_office.encoding)) {
        problem = say("encoding.unknown", {{"name", chosen_office.encoding}});
        return false;
    }
    return true;
}

const limits& run_limits() { return chosen_limits; }
bool facts_bytes_given() { return facts_bytes_set; }
void set_run_limits(const limits& l, bool facts_bytes_given) {
    chosen_limits = l;
    facts_bytes_set = facts_bytes_given;
}

lang ui_lang() { return chosen_lang; }
void set_ui_lang(lang l) { chosen_lang = l; }
std::string say(const char* id, std::vector<message_arg> args) { return message_text(chosen_lang, id, std::move(args)); }

source_ptr read_or_report(const std::string& path, std::size_t max_bytes) {
    localized err;
    source_ptr src = read_source(path, err, max_bytes);
    if (!src) std::cerr << "rubric: " << translate(err, ui_lang()) << "\n";
    return src;
}

// Loads and checks a rubric; prints diagnostics to stderr. Null on error.
program_ptr load(const std::string& path, bool werror, bool quiet) {
    source_ptr src = read_or_report(path, run_limits().source_bytes);
    if (!src) return nullptr;
    parse_result p = parse(src, run_limits().parsing());
    if (!p.tree) {
        std::cerr << render(p.diags, ui_lang());
        return nullptr;
    }
    check_options co;
    co.warnings_as_errors = werror;
    check_result c = check(std::move(*p.tree), co);
    if (!quiet) {
        for (const auto& d : c.diags)
            if (d.level != severity::note) std::cerr << render(d, ui_lang());
    } else {
        for (const auto& d : c.diags)
            if (d.level == severity::error) std::cerr << render(d, ui_lang());
    }
    if (!c.rubric) return nullptr;
    return compile(std::move(*c.rubric));
}

// Writes `text` to `path` through the library's safe_output (safe_output.hpp: a temporary
// file renamed into place, a device or FIFO written into, stdout), or says why it could not.
bool write_output(const std::string& path, const std::string& text) {
    safe_output out(path);
    if (out.ok()) out.write(text);
    return commit_output(out);
}

bool output_ready(const safe_output& out) {
    if (out.ok()) return true;
    std::cerr << "rubric: " << translate(out.error(), ui_lang()) << "\n";
    return false;
}

bool commit_output(safe_output& out) {
    if (out.commit()) return true;
    std::cerr << "rubric: " << translate(out.error(), ui_lang()) << "\n";
    return false;
}

bool refuse_output_over_inputs(const std::string& out, const std::vector<std::string>& inputs) {
    const std::string* in = output_over_input(out, inputs);
    if (!in) return false;
    std::cerr << "rubric: " << say("output.is-input", {{"output", out}, {"input", *in}}) << "\n";
    return true;
}

std::string pad(const std::string& s, std::size_t width, bool right) {
    const std::size_t w = display_width(s);
    const std::string fill(width > w ? width - w : 0, ' ');
    return right ? fill + s : s + fill;
}

namespace {

// The progress line: on stderr when it is a terminal, once a run has taken a second, at most
// four times a second; cleared before anything else is written there.
struct progress_line {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now(), last;
    bool shown = false;
};
progress_line* g_progress = nullptr;

void clear_progress() {
    if (g_progress && g_progress->shown) {
        std::cerr << "\r\033[K" << std::flush;
        g_progress->shown = false;
    }
}

bool show_progress(const run_progress& p) {
    static progress_line line;
    g_progress = &line;
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - line.start).count();  // timing only
    if (seconds < 1 || (line.shown && now - line.last < std::chrono::milliseconds(250))) return true;
    line.last = now;
    const std::string units = std::to_string(p.units), rate = std::to_string(static_cast<std::uint64_t>(p.units / seconds));
    std::string text = p.bytes_total
                           ? say("cli.progress", {{"units", units}, {"rate", rate},
                                                  {"percent", std::to_string(std::min<std::uint64_t>(100, p.bytes_read * 100 / p.bytes_total))}})
                           : say("cli.progress-units", {{"units", units}, {"rate", rate}});
    if (p.reading >= 2) text = "(" + std::to_string(p.reading) + ") " + text;  // a cohort's later readings
    std::cerr << "\r\033[K" << text << std::flush;
    line.shown = true;
    return true;
}

}  // namespace

namespace {

// Lock-free, so safe to use in a signal handler.
std::atomic<bool> sigint_seen{false};
std::atomic<bool> in_run{false};  // from season_options() to the run's print_diagnostics()
static_assert(std::atomic<bool>::is_always_lock_free);

// During a run the first SIGINT only asks the run to stop (it then writes nothing and the
// output's temporary file is abandoned). Otherwise, and for a second SIGINT, what safe_output's
// own handler does (this one takes its place): remove the temporary files, die by the signal.
extern "C" void on_sigint(int) {
    if (in_run.load() && !sigint_seen.exchange(true)) return;
    remove_output_temporaries();
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
}

}  // namespace

void catch_interrupts() {
    in_run.store(true);
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // a read or write under way goes on; the run checks the flag after it
    sigaction(SIGINT, &sa, nullptr);
}

bool interrupted() { return sigint_seen.load(std::memory_order_relaxed); }

bool threads_option_ok(const args& a) {
    const std::string t = a.opt("--threads");
    if (t.empty()) return true;
    if (t.size() <= 3 && t.find_first_not_of("0123456789") == std::string::npos) return true;
    usage(say("cli.bad-threads", {{"value", t}}));
    return false;
}

run_options season_options(const args& a) {
    run_options o;
    o.binding = run_limits().binding();
    o.binding.allow_unknown = a.has("--allow-unknown");
    o.group_column = a.opt("--group");
    o.skip_bad = a.has("--skip-bad");
    o.max_diagnostics = run_limits().errors;
    // Every core by default: results do not depend on the number (run.hpp).
    o.threads = 0;
    const std::string t = a.opt("--threads");
    if (!t.empty()) o.threads = static_cast<unsigned>(std::min(256ul, std::strtoul(t.c_str(), nullptr, 10)));
    const bool show = !a.has("--quiet") && ::isatty(2);
    catch_interrupts();
    o.progress = [show](const run_progress& p) { return !interrupted() && (!show || show_progress(p)); };
    return o;
}

std::unique_ptr<facts_source> open_facts(const std::string& path) {
    return office_facts_file(path, run_limits().facts(), facts_bytes_given() ? run_limits().facts_bytes : static_cast<std::size_t>(-1),
                             office_options());
}

void print_diagnostics(const run_result& r) {
    in_run.store(false);  // every command prints the run's diagnostics as soon as it ends
    clear_progress();
    for (const auto& d : r.diags) {
        // An error of the file as a whole (cannot be read, too large, changed between readings)
        // names the file in its message: said as the tool's other file errors are.
        if (d.level == severity::error && !d.where.begin.known()) std::cerr << "rubric: " << message_in(d, ui_lang()) << "\n";
        else std::cerr << render(d, ui_lang());
    }
}

bool report_run(const run_result& r) {
    print_diagnostics(r);
    if (r.usable) return true;
    if (r.read_ok && r.bad) std::cerr << "rubric: " << say("cli.no-results") << "\n";
    return false;
}

bool read_facts_file(const std::string& path, std::vector<raw_entity>& out, source_ptr& src) {
    // A workbook or a file in another encoding: its UTF-8 text (office_facts.hpp).
    converted_facts office = convert_office_facts(path, run_limits().facts(), office_options());
    if (office.converted && !office.ok) {
        std::cerr << "rubric: " << translate(office.error, ui_lang()) << "\n";
        return false;
    }
    src = office.converted ? make_source(path, std::move(office.text)) : read_or_report(path, run_limits().facts_bytes);
    if (!src) return false;
    facts_read_result r = read_facts(src, office.converted ? office.format : guess_facts_format(path), run_limits().facts());
    if (!r.diags.empty()) std::cerr << render(r.diags, ui_lang());
    if (has_errors(r.diags)) return false;
    out = std::move(r.entities);
    return true;
}

void collect_rubrics(const std::string& path, std::vector<std::string>& out, bool& missing) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<std::string> found;
        for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec))
            if (it->is_regular_file() && it->path().extension() == ".rubric") found.push_back(it->path().string());
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
        out.push_back(path);
    } else {
        std::cerr << "rubric: " << say("cli.does-not-exist", {{"path", path}}) << "\n";
        missing = true;
    }
}

}  // namespace rubric::cli
