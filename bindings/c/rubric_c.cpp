// rubric_c.cpp: the C interface (rubric.h) as extern "C" shims over the C++ API.
//
// Rules every entry point follows (style.md B, pitfalls.md "C ABI"):
//   * its body runs inside guard(): std::bad_alloc becomes RUBRIC_ERROR_NOMEM, any
//     other exception RUBRIC_ERROR_INTERNAL; nothing propagates into C;
//   * handles are checked (NULL, and a tag that tells a program from a context)
//     before anything else; arguments are checked for NULL and size;
//   * a program is immutable once built (its strings are all materialised here,
//     so that queries never allocate and never write), which is what makes it
//     shareable between threads; errors of calls on a context are stored in it.
#include "rubric/rubric.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <new>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t program_tag = 0x52425047u;  // "RBPG"
constexpr std::uint32_t eval_tag = 0x52424556u;     // "RBEV"
constexpr std::uint32_t dead_tag = 0xDEADBEEFu;

constexpr unsigned known_compile_flags = RUBRIC_COMPILE_WERROR;
constexpr unsigned known_batch_flags = RUBRIC_BATCH_SKIP_BAD | RUBRIC_BATCH_ALLOW_UNKNOWN | RUBRIC_BATCH_EXACT;

struct diag_rec {
    int severity = RUBRIC_SEVERITY_ERROR;
    unsigned line = 0, column = 0;
    std::string file, code, message, expected, rendered;
    std::string message_zh, rendered_zh;  // the same in Chinese (rubric_diag_message_lang, _rendered_lang)
};

// Everything a program handle answers, computed once. Shared (const) by the
// handle and by every evaluation context made from it.
struct prog_data {
    int status = RUBRIC_OK;
    rubric::limits lim;  // given at compile; they also govern the facts of this program
    std::string errmsg;
    std::vector<diag_rec> diags;
    std::string rendered, rendered_zh;

    rubric::program_ptr prog;  // null unless status == RUBRIC_OK
    std::string total_points;
    std::vector<std::string> node_points;
    std::vector<std::string> input_range;
    std::unordered_map<std::string, std::size_t> node_by_code;
    // Input name → index, keyed by views of the program's own (immutable) names, so that
    // a lookup from rubric_eval_set_fact does not allocate (program::find_input builds a
    // std::string for every lookup).
    std::unordered_map<std::string_view, std::uint32_t> input_by_name;
    std::vector<rubric::node_id> columns;  // scored nodes in document order (batch output)
};

}  // namespace

struct rubric_program {
    std::uint32_t tag = program_tag;
    std::shared_ptr<const prog_data> d;
};

struct rubric_eval {
    std::uint32_t tag = eval_tag;
    std::shared_ptr<const prog_data> d;
    rubric::fact_set facts;
    rubric::evaluation ev;
    bool evaluated = false;
    int errcode = RUBRIC_OK;
    std::string errmsg;
    const char* static_msg = nullptr;  // used when even the message could not be stored
    std::string out1, out2, text;      // borrowed results
    std::string group_column;          // rubric_eval_set_group_column ("" = none); kept by reset
    rubric::lang language = rubric::lang::en;  // rubric_eval_set_language; kept by reset
    // Cancellation (rubric_eval_progress_handler, rubric_interrupt). The flag is the only member
    // another thread may touch: rubric_interrupt sets it, the call it cancels clears it.
    std::atomic<bool> interrupt{false};
    int (*progress)(void*) = nullptr;
    void* progress_arg = nullptr;
    unsigned progress_every = 1;
};

namespace {

// ---------------------------------------------------------------------------
// Handles and errors

std::uint32_t tag_of(const void* h) noexcept {
    std::uint32_t t = 0;
    std::memcpy(&t, h, sizeof t);  // both handle types start with their tag
    return t;
}

const prog_data* any_prog(const rubric_program* p) noexcept {
    if (!p || tag_of(p) != program_tag || !p->d) return nullptr;
    return p->d.get();
}

// A program that compiled: the only kind that can be queried or evaluated.
const prog_data* good_prog(const rubric_program* p) noexcept {
    const prog_data* d = any_prog(p);
    return d && d->status == RUBRIC_OK && d->prog ? d : nullptr;
}

rubric_eval* as_eval(rubric_eval* e) noexcept { return e && tag_of(e) == eval_tag ? e : nullptr; }
const rubric_eval* as_eval(const rubric_eval* e) noexcept { return e && tag_of(e) == eval_tag ? e : nullptr; }

int set_error(rubric_eval* e, int code, std::string_view msg) noexcept {
    if (!e) return code;
    e->errcode = code;
    try {
        e->errmsg.assign(msg.data(), msg.size());
        e->static_msg = nullptr;
    } catch (...) {
        e->errmsg.clear();
        e->static_msg = "out of memory (while storing an error message)";
    }
    return code;
}

int set_ok(rubric_eval* e) noexcept {
    e->errcode = RUBRIC_OK;
    e->errmsg.clear();
    e->static_msg = nullptr;
    return RUBRIC_OK;
}

// Runs `f` (which returns a status) so that no exception escapes.
template <class F>
int guard(rubric_eval* e, F&& f) noexcept {
    try {
        return f();
    } catch (const std::bad_alloc&) {
        return set_error(e, RUBRIC_ERROR_NOMEM, "out of memory");
    } catch (const std::length_error&) {
        return set_error(e, RUBRIC_ERROR_NOMEM, "out of memory (length error)");
    } catch (const std::exception& x) {
        try {
            return set_error(e, RUBRIC_ERROR_INTERNAL, std::string("internal error: ") + x.what());
        } catch (...) {
            return set_error(e, RUBRIC_ERROR_INTERNAL, "internal error");
        }
    } catch (...) {
        return set_error(e, RUBRIC_ERROR_INTERNAL, "internal error: unknown exception");
    }
}

// For queries that return a pointer or a number: `fallback` on any exception.
template <class T, class F>
T guard_value(T fallback, F&& f) noexcept {
    try {
        return f();
    } catch (...) {
        return fallback;
    }
}

// strlen bounded by limit + 1 (so that huge or unterminated-looking input is cheap to reject).
std::size_t bounded_len(const char* s, std::size_t limit) noexcept {
    const void* z = std::memchr(s, '\0', limit + 1);
    return z ? static_cast<std::size_t>(static_cast<const char*>(z) - s) : limit + 1;
}

// Reads a whole file. Returns RUBRIC_OK, RUBRIC_ERROR_NOT_FOUND, RUBRIC_ERROR_IO or RUBRIC_ERROR_LIMIT.
int read_file(const std::string& path, std::size_t limit, std::string& out, std::string& err) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
        err = "cannot open " + path + ": no such file";
        return (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) ? RUBRIC_ERROR_IO
                                                                                                      : RUBRIC_ERROR_NOT_FOUND;
    }
    if (fs::is_directory(st)) {
        err = "cannot read " + path + ": it is a directory";
        return RUBRIC_ERROR_IO;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        err = "cannot open " + path;
        return RUBRIC_ERROR_IO;
    }
    out.clear();
    char buf[65536];
    while (in) {
        in.read(buf, sizeof buf);
        const auto n = static_cast<std::size_t>(in.gcount());
        if (out.size() + n > limit) {
            err = path + " is larger than " + std::to_string(limit) + " bytes";
            return RUBRIC_ERROR_LIMIT;
        }
        out.append(buf, n);
    }
    if (in.bad()) {
        err = "cannot read " + path;
        return RUBRIC_ERROR_IO;
    }
    return RUBRIC_OK;
}

// ---------------------------------------------------------------------------
// Building a program handle

int severity_code(rubric::severity s) noexcept {
    switch (s) {
        case rubric::severity::error: return RUBRIC_SEVERITY_ERROR;
        case rubric::severity::warning: return RUBRIC_SEVERITY_WARNING;
        case rubric::severity::note: return RUBRIC_SEVERITY_NOTE;
    }
    return RUBRIC_SEVERITY_ERROR;
}

void add_diags(prog_data& d, const rubric::diagnostics& ds) {
    for (const auto& x : ds) {
        diag_rec r;
        r.severity = severity_code(x.level);
        r.line = x.where.begin.line;
        r.column = x.where.begin.column;
        r.file = x.source ? x.source->name : std::string();
        r.code = x.code;
        r.message = x.message;
        r.expected = x.expected;
        r.rendered = rubric::render(x);
        r.rendered_zh = rubric::render(x, rubric::lang::zh);
        r.message_zh = rubric::message_in(x, rubric::lang::zh);
        d.rendered += r.rendered;
        d.rendered_zh += r.rendered_zh;
        d.diags.push_back(std::move(r));
    }
}

// A diagnostic without a position (file errors, limits, misuse).
void add_plain_diag(prog_data& d, const std::string& file, const char* code, const std::string& message) {
    diag_rec r;
    r.file = file;
    r.code = code;
    r.message = message;
    r.rendered = (file.empty() ? std::string() : file + ": ") + "error: " + message + "\n";
    r.message_zh = r.message;  // file and limit errors of the C interface have English text only
    r.rendered_zh = r.rendered;
    d.rendered += r.rendered;
    d.rendered_zh += r.rendered_zh;
    d.diags.push_back(std::move(r));
}

void summarise(prog_data& d, const std::string& name) {
    if (d.status == RUBRIC_OK) return;
    std::size_t errors = 0;
    const diag_rec* first = nullptr;
    for (const auto& r : d.diags)
        if (r.severity == RUBRIC_SEVERITY_ERROR) {
            ++errors;
            if (!first) first = &r;
        }
    d.errmsg = name + ": " + rubric_status_string(d.status);
    if (errors) {
        d.errmsg += " (" + std::to_string(errors) + (errors == 1 ? " error" : " errors") + "); first: ";
        const std::string& line = first->rendered;
        d.errmsg += line.substr(0, line.find('\n'));
    }
}

void index_program(prog_data& d) {
    const rubric::ast& t = d.prog->tree();
    d.node_points.reserve(t.nodes.size());
    rubric::decimal sum;
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
        const rubric::node& n = t.nodes[i];
        d.node_points.push_back(n.points ? n.points->to_string() : std::string());
        d.node_by_code.emplace(n.code, i);
        if (n.parent == rubric::no_id && n.points &&
            (n.kind == rubric::node_kind::section || n.kind == rubric::node_kind::item))
            sum += *n.points;
    }
    d.total_points = t.header.total ? t.header.total->to_string() : sum.to_string();
    for (const auto& in : t.inputs) {
        std::string r;
        if (in.lo || in.hi) r = (in.lo ? in.lo->to_string() : "") + ".." + (in.hi ? in.hi->to_string() : "");
        d.input_range.push_back(std::move(r));
    }
    d.columns = rubric::document_order(t);
    const auto& slots = d.prog->inputs();
    for (std::size_t i = 0; i < slots.size(); ++i)
        d.input_by_name.emplace(std::string_view(slots[i].name), static_cast<std::uint32_t>(i));
}

int find_input(const prog_data& d, std::string_view name) {
    const auto it = d.input_by_name.find(name);
    return it == d.input_by_name.end() ? -1 : static_cast<int>(it->second);
}

bool has_limit_error(const rubric::diagnostics& ds) {
    for (const auto& x : ds)
        if (x.level == rubric::severity::error && x.code.rfind("E-limit", 0) == 0) return true;
    return false;
}

int compile_source(const rubric::source_ptr& src, unsigned flags, prog_data& d) {
    rubric::parse_result p = rubric::parse(src, d.lim.parsing());
    if (!p.tree) {
        add_diags(d, p.diags);
        return has_limit_error(p.diags) ? RUBRIC_ERROR_LIMIT : RUBRIC_ERROR_SYNTAX;
    }
    rubric::check_options co;
    co.warnings_as_errors = (flags & RUBRIC_COMPILE_WERROR) != 0;
    rubric::check_result c = rubric::check(std::move(*p.tree), co);
    add_diags(d, p.diags);
    add_diags(d, c.diags);
    if (!c.rubric) return RUBRIC_ERROR_CHECK;
    d.prog = rubric::compile(std::move(*c.rubric));
    index_program(d);
    return RUBRIC_OK;
}

// The C struct's fields and the C++ limits they stand for, by name (limits.hpp).
struct c_limit_field {
    std::size_t offset;
    const char* name;
};
constexpr c_limit_field c_limit_fields[] = {
    {offsetof(rubric_limits, source_bytes), "source-bytes"},
    {offsetof(rubric_limits, nesting), "nesting"},
    {offsetof(rubric_limits, nodes), "nodes"},
    {offsetof(rubric_limits, exprs), "exprs"},
    {offsetof(rubric_limits, number_digits), "number-digits"},
    {offsetof(rubric_limits, number_exponent), "number-exponent"},
    {offsetof(rubric_limits, facts_bytes), "facts-bytes"},
    {offsetof(rubric_limits, json_depth), "json-depth"},
    {offsetof(rubric_limits, fields), "fields"},
    {offsetof(rubric_limits, eval_steps), "eval-steps"},
};

// Reads a caller's rubric_limits (NULL: defaults) into `out`. Returns "" or why it is invalid.
// The struct is read byte-wise up to its declared size, so that a caller compiled against an
// older (smaller) or newer (larger) header works; a newer caller's unknown limits must be 0,
// or they would silently not apply (the Linux kernel's copy_struct_from_user rule).
std::string read_limits(const rubric_limits* in, rubric::limits& out) {
    out = rubric::limits{};
    if (!in) return "";
    const std::size_t size = in->size;
    if (size < sizeof(std::size_t)) return "rubric_limits.size is " + std::to_string(size) + ": set it to sizeof(rubric_limits)";
    const auto* bytes = reinterpret_cast<const unsigned char*>(in);
    for (std::size_t i = sizeof(rubric_limits); i < size; ++i)
        if (bytes[i] != 0)
            return "rubric_limits has a non-zero field this library (" RUBRIC_C_VERSION ") does not know, at byte " +
                   std::to_string(i);
    for (const auto& f : c_limit_fields) {
        if (f.offset + sizeof(std::size_t) > size) break;
        std::size_t v = 0;
        std::memcpy(&v, bytes + f.offset, sizeof v);
        if (v == 0) continue;  // the default
        if (const rubric::localized e = rubric::set_limit(out, f.name, v); !e.empty())
            return "rubric_limits: " + rubric::translate(e, rubric::lang::en);
    }
    return "";
}

void write_limits(const rubric::limits& l, rubric_limits& out) {
    const std::size_t size = out.size;
    auto* bytes = reinterpret_cast<unsigned char*>(&out);
    std::size_t n = 0;
    const rubric::limit_info* table = rubric::limit_table(&n);
    for (const auto& f : c_limit_fields) {
        if (f.offset + sizeof(std::size_t) > size) break;
        for (std::size_t i = 0; i < n; ++i)
            if (std::strcmp(table[i].name, f.name) == 0) {
                const std::size_t v = l.*(table[i].member);
                std::memcpy(bytes + f.offset, &v, sizeof v);
            }
    }
}

// Creates the handle for *out; `build` fills the data and returns the status.
template <class F>
int make_program(const std::string& name, rubric_program** out, F&& build) noexcept {
    if (!out) return RUBRIC_ERROR_MISUSE;
    *out = nullptr;
    std::unique_ptr<rubric_program> h;
    std::shared_ptr<prog_data> d;
    try {
        h.reset(new rubric_program);
        d = std::make_shared<prog_data>();
    } catch (...) {
        return RUBRIC_ERROR_NOMEM;
    }
    int status;
    try {
        status = build(*d);
    } catch (const std::bad_alloc&) {
        status = RUBRIC_ERROR_NOMEM;
    } catch (const std::exception& x) {
        status = RUBRIC_ERROR_INTERNAL;
        try {
            add_plain_diag(*d, name, "E-internal", std::string("internal error: ") + x.what());
        } catch (...) {
        }
    } catch (...) {
        status = RUBRIC_ERROR_INTERNAL;
    }
    try {
        d->status = status;
        if (status != RUBRIC_OK) d->prog.reset();
        summarise(*d, name);
    } catch (...) {
        // Out of memory for the summary: said as such (a short summary would pass unnoticed);
        // the handle keeps the diagnostics made so far.
        status = d->status = RUBRIC_ERROR_NOMEM;
    }
    if (status == RUBRIC_ERROR_NOMEM && d->diags.empty()) {
        // Memory ran out: report it through the status only (SQLite does the same).
        return RUBRIC_ERROR_NOMEM;
    }
    h->d = std::move(d);
    *out = h.release();
    return status;
}

// ---------------------------------------------------------------------------
// Output helpers

int give_buffer(rubric_eval* e, const std::string& s, char** out, std::size_t* out_len) {
    char* b = static_cast<char*>(std::malloc(s.size() + 1));
    if (!b) return set_error(e, RUBRIC_ERROR_NOMEM, "out of memory");
    std::memcpy(b, s.data(), s.size());
    b[s.size()] = '\0';
    *out = b;
    if (out_len) *out_len = s.size();
    return RUBRIC_OK;
}

// The score strings of one value (only those asked for: each costs an allocation).
int give_score(rubric_eval* e, const rubric::decimal& v, const char** exact, const char** rounded) {
    if (exact) {
        e->out1 = v.to_string();
        *exact = e->out1.c_str();
    }
    if (rounded) {
        e->out2 = rubric::shown(*e->d->prog, v);
        *rounded = e->out2.c_str();
    }
    return set_ok(e);
}

// The message of rubric_eval_run past eval_steps: the longest list is the thing to shorten.
std::string too_many_steps(const rubric::program& p, const rubric::fact_set& f, std::uint64_t steps, std::size_t limit) {
    std::size_t longest = 0;
    for (std::size_t i = 1; i < f.lists.size(); ++i)
        if (f.lists[i].size() > f.lists[longest].size()) longest = i;
    std::string m = "scoring these facts would run " + std::to_string(steps) + " steps, more than the limit of " +
                    std::to_string(limit);
    if (!f.lists.empty() && !f.lists[longest].empty())
        m += " (the list `" + p.inputs()[longest].name + "` has " + std::to_string(f.lists[longest].size()) + " items)";
    return m;
}

// Thrown from inside a run (through rubric::run, which lets a caller's exception pass) when a
// call is cancelled, and caught by the call itself: never by guard().
struct interrupted {
    const char* why;
};

// Checked before each entity and by rubric_eval_run: the interrupt first (it costs one load).
class cancel_check {
public:
    explicit cancel_check(rubric_eval* e) noexcept : e_(e) {}
    // `now`: call the handler whatever the count (rubric_eval_run's single check).
    void operator()(bool now = false) {
        if (e_->interrupt.load(std::memory_order_relaxed) && e_->interrupt.exchange(false, std::memory_order_relaxed))
            throw interrupted{"interrupted (rubric_interrupt)"};
        if (e_->progress && (now || ++count_ >= e_->progress_every)) {
            count_ = 0;
            if (e_->progress(e_->progress_arg) != 0) throw interrupted{"cancelled by the progress handler"};
        }
    }

private:
    rubric_eval* e_;
    unsigned count_ = 0;
};

// The batch calls' facts, checked for cancellation before each entity is handed on: both
// readings of a cohort go through here, and each entity's scoring follows its reading.
class cancellable_source final : public rubric::facts_source {
public:
    cancellable_source(rubric::facts_source& inner, cancel_check& check) : inner_(inner), check_(check) {}
    const std::string& name() const noexcept override { return inner_.name(); }
    bool read(const rubric::entity_handler& on_entity, const rubric::diagnostic_handler& on_diag) override {
        return inner_.read(
            [&](rubric::raw_entity& raw, const rubric::source_ptr& src) {
                check_();
                return on_entity(raw, src);
            },
            on_diag);
    }

private:
    rubric::facts_source& inner_;
    cancel_check& check_;
};

int cancelled(rubric_eval* e, const interrupted& why) {
    e->facts.reset(*e->d->prog);
    e->facts.entity.clear();
    e->evaluated = false;
    return set_error(e, RUBRIC_ERROR_INTERRUPTED, why.why);
}

int need_results(rubric_eval* e) {
    if (!e->evaluated)
        return set_error(e, RUBRIC_ERROR_MISUSE,
                         "no scores: call rubric_eval_run after setting the facts (and after any rubric_eval_set_fact)");
    return RUBRIC_OK;
}

int batch(rubric_eval* e, const std::string& name, std::string data, int in_format, int out_format, unsigned flags,
          char** out, std::size_t* out_len) {
    rubric::facts_format fmt;
    switch (in_format) {
        case RUBRIC_FORMAT_CSV: fmt = rubric::facts_format::csv; break;
        case RUBRIC_FORMAT_JSON: fmt = rubric::facts_format::json; break;
        case RUBRIC_FORMAT_JSONL: fmt = rubric::facts_format::jsonl; break;
        default: return set_error(e, RUBRIC_ERROR_MISUSE, "unknown input format " + std::to_string(in_format));
    }
    const rubric::program& p = *e->d->prog;
    e->facts.reset(p);
    e->facts.entity.clear();
    e->evaluated = false;

    // One season run (rubric/run.hpp), as `rubric eval` makes: the same binding, duplicate-id
    // check, group column, cohort passes, warnings and missing-facts counts.
    rubric::run_options options;
    options.binding = e->d->lim.binding();
    options.binding.allow_unknown = (flags & RUBRIC_BATCH_ALLOW_UNKNOWN) != 0;
    options.skip_bad = (flags & RUBRIC_BATCH_SKIP_BAD) != 0;
    options.group_column = e->group_column;
    options.max_diagnostics = e->d->lim.errors;
    rubric::results_options ro;
    ro.exact = (flags & RUBRIC_BATCH_EXACT) != 0;
    ro.language = e->language;
    std::string result;
    rubric::results_writer writer(out_format == RUBRIC_FORMAT_CSV ? rubric::result_format::csv : rubric::result_format::jsonl,
                                  [&](std::string_view text) { result += text; }, ro);
    const auto text = rubric::facts_text(name, std::move(data), fmt, e->d->lim.facts());
    cancel_check check(e);
    cancellable_source source(*text, check);
    rubric::run_result r;
    try {
        r = rubric::run(p, source, writer, options);
    } catch (const interrupted& why) {
        return cancelled(e, why);
    }

    bool over_limit = false;
    for (const auto& x : r.diags)
        over_limit = over_limit || x.code == rubric::codes::facts_limit || x.code.rfind("E-limit", 0) == 0;
    if (!r.read_ok)
        return set_error(e, over_limit ? RUBRIC_ERROR_LIMIT : RUBRIC_ERROR_FACT,
                         "the facts have errors:\n" + rubric::render(r.diags, e->language));
    if (!r.usable)
        return set_error(e, over_limit ? RUBRIC_ERROR_LIMIT : RUBRIC_ERROR_FACT,
                         std::to_string(r.bad) + (r.bad == 1 ? " entity has" : " entities have") +
                             " bad facts (no result; RUBRIC_BATCH_SKIP_BAD scores the others):\n" +
                             rubric::render(r.diags, e->language));
    // The note is made before the buffer is handed over: making it may run out of memory, and
    // a call that fails must not have set *out (fuzz_fault found the buffer given, then NOMEM).
    std::string note;
    if (r.bad)
        note = std::to_string(r.bad) + (r.bad == 1 ? " entity" : " entities") + " skipped, " + std::to_string(r.scored) +
               " scored:\n" + rubric::render(r.diags, e->language);
    else if (!r.diags.empty())
        note = rubric::render(r.diags, e->language);  // warnings: an input no unit gives
    if (const int rc = give_buffer(e, result, out, out_len); rc != RUBRIC_OK) return rc;
    set_ok(e);
    if (!note.empty()) set_error(e, RUBRIC_OK, note);
    return RUBRIC_OK;
}

bool valid_out_format(int f) noexcept { return f == RUBRIC_FORMAT_JSONL || f == RUBRIC_FORMAT_CSV; }

}  // namespace

// ===========================================================================
// The C interface

extern "C" {

RUBRIC_API const char* rubric_version(void) { return RUBRIC_C_VERSION; }

RUBRIC_API int rubric_version_number(void) { return RUBRIC_C_VERSION_NUMBER; }

RUBRIC_API const char* rubric_status_string(int status) {
    switch (status) {
        case RUBRIC_OK: return "ok";
        case RUBRIC_ERROR_SYNTAX: return "syntax error";
        case RUBRIC_ERROR_CHECK: return "the rubric has errors";
        case RUBRIC_ERROR_FACT: return "bad fact";
        case RUBRIC_ERROR_NOT_FOUND: return "not found";
        case RUBRIC_ERROR_MISUSE: return "library misuse";
        case RUBRIC_ERROR_NOMEM: return "out of memory";
        case RUBRIC_ERROR_LIMIT: return "input too large";
        case RUBRIC_ERROR_INTERNAL: return "internal error";
        case RUBRIC_ERROR_IO: return "cannot read file";
        case RUBRIC_ERROR_COHORT: return "needs the whole cohort";
        case RUBRIC_ERROR_INTERRUPTED: return "interrupted";
        default: return "unknown error";
    }
}

RUBRIC_API void rubric_free(void* buffer) { std::free(buffer); }

// --- programs ----------------------------------------------------------------

RUBRIC_API int rubric_compile(const char* name, const char* text, size_t len, unsigned flags, rubric_program** out) {
    return rubric_compile_ex(name, text, len, flags, nullptr, out);
}

RUBRIC_API int rubric_compile_ex(const char* name, const char* text, size_t len, unsigned flags,
                                 const rubric_limits* limits, rubric_program** out) {
    std::string file;
    try {
        if (!name) file = "<input>";
        else if (bounded_len(name, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES) file = "<input>";
        else file = name;
    } catch (...) {
        if (out) *out = nullptr;
        return RUBRIC_ERROR_NOMEM;
    }
    return make_program(file, out, [&](prog_data& d) -> int {
        if (const std::string why = read_limits(limits, d.lim); !why.empty()) {
            add_plain_diag(d, file, "E-misuse", why);
            return RUBRIC_ERROR_MISUSE;
        }
        if (name && bounded_len(name, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES) {
            add_plain_diag(d, file, "E-limit", "the name is longer than " + std::to_string(RUBRIC_MAX_NAME_BYTES) + " bytes");
            return RUBRIC_ERROR_LIMIT;
        }
        if (!text) {
            add_plain_diag(d, file, "E-misuse", "rubric_compile: text is NULL");
            return RUBRIC_ERROR_MISUSE;
        }
        if (flags & ~known_compile_flags) {
            add_plain_diag(d, file, "E-misuse", "rubric_compile: unknown flags " + std::to_string(flags));
            return RUBRIC_ERROR_MISUSE;
        }
        const std::size_t max = d.lim.source_bytes;
        std::size_t n = len;
        if (len == RUBRIC_NUL_TERMINATED) n = bounded_len(text, max);
        if (n > max) {
            add_plain_diag(d, file, "E-limit", "the rubric text is larger than " + std::to_string(max) + " bytes");
            return RUBRIC_ERROR_LIMIT;
        }
        return compile_source(rubric::make_source(file, std::string(text, n)), flags, d);
    });
}

RUBRIC_API int rubric_compile_file(const char* path, unsigned flags, rubric_program** out) {
    return rubric_compile_file_ex(path, flags, nullptr, out);
}

RUBRIC_API int rubric_compile_file_ex(const char* path, unsigned flags, const rubric_limits* limits,
                                      rubric_program** out) {
    std::string file;
    try {
        file = !path ? "<null>" : bounded_len(path, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES ? "<path>" : path;
    } catch (...) {
        if (out) *out = nullptr;
        return RUBRIC_ERROR_NOMEM;
    }
    return make_program(file, out, [&](prog_data& d) -> int {
        if (const std::string why = read_limits(limits, d.lim); !why.empty()) {
            add_plain_diag(d, file, "E-misuse", why);
            return RUBRIC_ERROR_MISUSE;
        }
        if (!path) {
            add_plain_diag(d, file, "E-misuse", "rubric_compile_file: path is NULL");
            return RUBRIC_ERROR_MISUSE;
        }
        if (bounded_len(path, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES) {
            add_plain_diag(d, file, "E-limit", "the path is longer than " + std::to_string(RUBRIC_MAX_NAME_BYTES) + " bytes");
            return RUBRIC_ERROR_LIMIT;
        }
        if (flags & ~known_compile_flags) {
            add_plain_diag(d, file, "E-misuse", "rubric_compile_file: unknown flags " + std::to_string(flags));
            return RUBRIC_ERROR_MISUSE;
        }
        std::string text, err;
        if (const int rc = read_file(file, d.lim.source_bytes, text, err); rc != RUBRIC_OK) {
            add_plain_diag(d, "", rc == RUBRIC_ERROR_LIMIT ? "E-limit" : "E-io", err);
            return rc;
        }
        return compile_source(rubric::make_source(file, std::move(text)), flags, d);
    });
}

RUBRIC_API void rubric_limits_init(rubric_limits* limits) {
    if (!limits) return;
    std::memset(limits, 0, sizeof *limits);
    limits->size = sizeof *limits;
    write_limits(rubric::limits{}, *limits);
}

RUBRIC_API int rubric_program_limits(const rubric_program* prog, rubric_limits* out) {
    const prog_data* d = any_prog(prog);
    if (!d || !out || out->size < sizeof(std::size_t)) return RUBRIC_ERROR_MISUSE;
    write_limits(d->lim, *out);
    return RUBRIC_OK;
}

RUBRIC_API void rubric_program_free(rubric_program* prog) {
    if (!prog || tag_of(prog) != program_tag) return;
    prog->tag = dead_tag;
    delete prog;  // destructors do not throw
}

RUBRIC_API int rubric_program_needs_cohort(const rubric_program* prog) {
    const prog_data* d = good_prog(prog);
    if (!d) return -1;
    return d->prog->needs_cohort() ? 1 : 0;
}

RUBRIC_API int rubric_program_status(const rubric_program* prog) {
    const prog_data* d = any_prog(prog);
    return d ? d->status : RUBRIC_ERROR_MISUSE;
}

RUBRIC_API const char* rubric_program_errmsg(const rubric_program* prog) {
    const prog_data* d = any_prog(prog);
    return d ? d->errmsg.c_str() : "invalid rubric_program handle";
}

RUBRIC_API const char* rubric_errmsg(const void* handle) {
    if (!handle) return "NULL handle";
    const std::uint32_t t = tag_of(handle);
    if (t == program_tag) return rubric_program_errmsg(static_cast<const rubric_program*>(handle));
    if (t == eval_tag) return rubric_eval_errmsg(static_cast<const rubric_eval*>(handle));
    return "not a rubric handle";
}

// --- diagnostics ---------------------------------------------------------------

namespace {
const diag_rec* diag_at(const rubric_program* prog, size_t i) noexcept {
    const prog_data* d = any_prog(prog);
    return d && i < d->diags.size() ? &d->diags[i] : nullptr;
}
}  // namespace

RUBRIC_API size_t rubric_diag_count(const rubric_program* prog) {
    const prog_data* d = any_prog(prog);
    return d ? d->diags.size() : 0;
}

RUBRIC_API int rubric_diag_severity(const rubric_program* prog, size_t i) {
    const diag_rec* r = diag_at(prog, i);
    return r ? r->severity : -1;
}

RUBRIC_API unsigned rubric_diag_line(const rubric_program* prog, size_t i) {
    const diag_rec* r = diag_at(prog, i);
    return r ? r->line : 0;
}

RUBRIC_API unsigned rubric_diag_column(const rubric_program* prog, size_t i) {
    const diag_rec* r = diag_at(prog, i);
    return r ? r->column : 0;
}

#define RUBRIC_DIAG_STRING(fn, field)                           \
    RUBRIC_API const char* fn(const rubric_program* prog, size_t i) { \
        const diag_rec* r = diag_at(prog, i);                   \
        return r ? r->field.c_str() : nullptr;                  \
    }
RUBRIC_DIAG_STRING(rubric_diag_file, file)
RUBRIC_DIAG_STRING(rubric_diag_code, code)
RUBRIC_DIAG_STRING(rubric_diag_message, message)
RUBRIC_DIAG_STRING(rubric_diag_expected, expected)
RUBRIC_DIAG_STRING(rubric_diag_rendered, rendered)
#undef RUBRIC_DIAG_STRING

RUBRIC_API const char* rubric_diags_rendered(const rubric_program* prog) {
    const prog_data* d = any_prog(prog);
    return d ? d->rendered.c_str() : nullptr;
}

// --- structure -----------------------------------------------------------------

namespace {
const rubric::node* node_at(const rubric_program* prog, size_t i, const prog_data** out = nullptr) noexcept {
    const prog_data* d = good_prog(prog);
    if (!d || i >= d->prog->tree().nodes.size()) return nullptr;
    if (out) *out = d;
    return &d->prog->tree().nodes[i];
}
const rubric::input_decl* input_at(const rubric_program* prog, size_t i, const prog_data** out = nullptr) noexcept {
    const prog_data* d = good_prog(prog);
    if (!d || i >= d->prog->tree().inputs.size()) return nullptr;
    if (out) *out = d;
    return &d->prog->tree().inputs[i];
}
const std::vector<std::string>* owners(const rubric::node& n, int role) noexcept {
    if (role == RUBRIC_ROLE_LEAD) return &n.meta.lead;
    if (role == RUBRIC_ROLE_SUPPORT) return &n.meta.support;
    return nullptr;
}
size_t to_index(rubric::node_id id) noexcept { return id == rubric::no_id ? RUBRIC_NONE : static_cast<size_t>(id); }
}  // namespace

RUBRIC_API const char* rubric_program_title(const rubric_program* prog) {
    const prog_data* d = good_prog(prog);
    return d ? d->prog->tree().header.title.c_str() : nullptr;
}

RUBRIC_API const char* rubric_program_total_points(const rubric_program* prog) {
    const prog_data* d = good_prog(prog);
    return d ? d->total_points.c_str() : nullptr;
}

RUBRIC_API int rubric_program_display_places(const rubric_program* prog) {
    const prog_data* d = good_prog(prog);
    return d ? d->prog->tree().header.display_places : -1;
}

RUBRIC_API size_t rubric_node_count(const rubric_program* prog) {
    const prog_data* d = good_prog(prog);
    return d ? d->prog->tree().nodes.size() : 0;
}

RUBRIC_API int rubric_node_kind(const rubric_program* prog, size_t node) {
    const rubric::node* n = node_at(prog, node);
    if (!n) return -1;
    switch (n->kind) {
        case rubric::node_kind::section: return RUBRIC_NODE_SECTION;
        case rubric::node_kind::item: return RUBRIC_NODE_ITEM;
        case rubric::node_kind::bonus: return RUBRIC_NODE_BONUS;
        case rubric::node_kind::task: return RUBRIC_NODE_TASK;
        case rubric::node_kind::adjustments: return RUBRIC_NODE_ADJUSTMENTS;
    }
    return -1;
}

RUBRIC_API const char* rubric_node_code(const rubric_program* prog, size_t node) {
    const rubric::node* n = node_at(prog, node);
    return n ? n->code.c_str() : nullptr;
}

RUBRIC_API const char* rubric_node_name(const rubric_program* prog, size_t node) {
    const rubric::node* n = node_at(prog, node);
    return n ? n->name.c_str() : nullptr;
}

RUBRIC_API const char* rubric_node_points(const rubric_program* prog, size_t node) {
    const prog_data* d = nullptr;
    return node_at(prog, node, &d) ? d->node_points[node].c_str() : nullptr;
}

RUBRIC_API size_t rubric_node_parent(const rubric_program* prog, size_t node) {
    const rubric::node* n = node_at(prog, node);
    return n ? to_index(n->parent) : RUBRIC_NONE;
}

RUBRIC_API size_t rubric_node_child_count(const rubric_program* prog, size_t node) {
    const rubric::node* n = node_at(prog, node);
    return n ? n->children.size() : 0;
}

RUBRIC_API size_t rubric_node_child(const rubric_program* prog, size_t node, size_t j) {
    const rubric::node* n = node_at(prog, node);
    return n && j < n->children.size() ? to_index(n->children[j]) : RUBRIC_NONE;
}

RUBRIC_API int rubric_node_find(const rubric_program* prog, const char* code, size_t* index) {
    if (index) *index = RUBRIC_NONE;
    const prog_data* d = good_prog(prog);
    if (!d || !code || !index) return RUBRIC_ERROR_MISUSE;
    return guard(nullptr, [&] {
        if (bounded_len(code, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES) return RUBRIC_ERROR_NOT_FOUND;
        const auto it = d->node_by_code.find(code);
        if (it == d->node_by_code.end()) return RUBRIC_ERROR_NOT_FOUND;
        *index = it->second;
        return RUBRIC_OK;
    });
}

RUBRIC_API const char* rubric_node_meta(const rubric_program* prog, size_t node, int field) {
    const rubric::node* n = node_at(prog, node);
    if (!n) return nullptr;
    const rubric::metadata& m = n->meta;
    switch (field) {
        case RUBRIC_META_REQUIREMENT: return m.requirement.c_str();
        case RUBRIC_META_STANDARD: return m.standard.c_str();
        case RUBRIC_META_METHOD: return m.method.c_str();
        case RUBRIC_META_EVIDENCE: return m.evidence.c_str();
        case RUBRIC_META_OWNERS: return m.owners.c_str();
        case RUBRIC_META_DEADLINE: return m.deadline.c_str();
        case RUBRIC_META_MEASURES: return m.measures.c_str();
        case RUBRIC_META_NOTE: return m.note.c_str();
        default: return nullptr;
    }
}

RUBRIC_API size_t rubric_node_owner_count(const rubric_program* prog, size_t node, int role) {
    const rubric::node* n = node_at(prog, node);
    const std::vector<std::string>* v = n ? owners(*n, role) : nullptr;
    return v ? v->size() : 0;
}

RUBRIC_API const char* rubric_node_owner(const rubric_program* prog, size_t node, int role, size_t j) {
    const rubric::node* n = node_at(prog, node);
    const std::vector<std::string>* v = n ? owners(*n, role) : nullptr;
    return v && j < v->size() ? (*v)[j].c_str() : nullptr;
}

RUBRIC_API size_t rubric_input_count(const rubric_program* prog) {
    const prog_data* d = good_prog(prog);
    return d ? d->prog->tree().inputs.size() : 0;
}

RUBRIC_API const char* rubric_input_name(const rubric_program* prog, size_t input) {
    const rubric::input_decl* in = input_at(prog, input);
    return in ? in->name.c_str() : nullptr;
}

RUBRIC_API const char* rubric_input_type(const rubric_program* prog, size_t input) {
    const rubric::input_decl* in = input_at(prog, input);
    return in ? rubric::to_string(in->type) : nullptr;
}

RUBRIC_API const char* rubric_input_element_type(const rubric_program* prog, size_t input) {
    const rubric::input_decl* in = input_at(prog, input);
    if (!in) return nullptr;
    return in->type == rubric::input_type::list ? rubric::to_string(in->element) : "";
}

RUBRIC_API const char* rubric_input_label(const rubric_program* prog, size_t input) {
    const rubric::input_decl* in = input_at(prog, input);
    return in ? in->label.c_str() : nullptr;
}

RUBRIC_API const char* rubric_input_range(const rubric_program* prog, size_t input) {
    const prog_data* d = nullptr;
    return input_at(prog, input, &d) ? d->input_range[input].c_str() : nullptr;
}

RUBRIC_API int rubric_input_required(const rubric_program* prog, size_t input) {
    const prog_data* d = nullptr;
    if (!input_at(prog, input, &d)) return -1;
    return d->prog->inputs()[input].missing == rubric::missing_policy::error ? 1 : 0;
}

RUBRIC_API size_t rubric_input_node(const rubric_program* prog, size_t input) {
    const rubric::input_decl* in = input_at(prog, input);
    return in ? to_index(in->owner) : RUBRIC_NONE;
}

RUBRIC_API size_t rubric_input_choice_count(const rubric_program* prog, size_t input) {
    const rubric::input_decl* in = input_at(prog, input);
    return in ? in->choices.size() : 0;
}

RUBRIC_API const char* rubric_input_choice(const rubric_program* prog, size_t input, size_t j) {
    const rubric::input_decl* in = input_at(prog, input);
    return in && j < in->choices.size() ? in->choices[j].c_str() : nullptr;
}

RUBRIC_API int rubric_input_find(const rubric_program* prog, const char* name, size_t* index) {
    if (index) *index = RUBRIC_NONE;
    const prog_data* d = good_prog(prog);
    if (!d || !name || !index) return RUBRIC_ERROR_MISUSE;
    return guard(nullptr, [&] {
        if (bounded_len(name, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES) return RUBRIC_ERROR_NOT_FOUND;
        const int i = find_input(*d, name);
        if (i < 0) return RUBRIC_ERROR_NOT_FOUND;
        *index = static_cast<size_t>(i);
        return RUBRIC_OK;
    });
}

// --- evaluation contexts ---------------------------------------------------------

RUBRIC_API int rubric_eval_new(const rubric_program* prog, rubric_eval** out) {
    if (!out) return RUBRIC_ERROR_MISUSE;
    *out = nullptr;
    const prog_data* d = good_prog(prog);
    if (!d) return RUBRIC_ERROR_MISUSE;
    try {
        auto e = std::make_unique<rubric_eval>();
        e->d = prog->d;
        e->facts.reset(*d->prog);
        e->ev.prepare(*d->prog);
        *out = e.release();
        return RUBRIC_OK;
    } catch (const std::bad_alloc&) {
        return RUBRIC_ERROR_NOMEM;
    } catch (...) {
        return RUBRIC_ERROR_INTERNAL;
    }
}

RUBRIC_API void rubric_eval_free(rubric_eval* ev) {
    if (!ev || tag_of(ev) != eval_tag) return;
    ev->tag = dead_tag;
    delete ev;
}

RUBRIC_API int rubric_eval_errcode(const rubric_eval* ev) {
    const rubric_eval* e = as_eval(ev);
    return e ? e->errcode : RUBRIC_ERROR_MISUSE;
}

RUBRIC_API const char* rubric_eval_errmsg(const rubric_eval* ev) {
    const rubric_eval* e = as_eval(ev);
    if (!e) return ev ? "not a rubric_eval handle" : "NULL rubric_eval handle";
    return e->static_msg ? e->static_msg : e->errmsg.c_str();
}

RUBRIC_API int rubric_eval_reset(rubric_eval* ev) {
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        e->facts.reset(*e->d->prog);
        e->facts.entity.clear();
        e->evaluated = false;
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_set_entity(rubric_eval* ev, const char* entity) {
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!entity) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_set_entity: entity is NULL");
        if (bounded_len(entity, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES)
            return set_error(e, RUBRIC_ERROR_LIMIT,
                             "the entity id is longer than " + std::to_string(RUBRIC_MAX_NAME_BYTES) + " bytes");
        e->facts.entity = entity;
        e->evaluated = false;
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_set_name(rubric_eval* ev, const char* name) {
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!name) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_set_name: name is NULL");
        if (bounded_len(name, RUBRIC_MAX_VALUE_BYTES) > RUBRIC_MAX_VALUE_BYTES)
            return set_error(e, RUBRIC_ERROR_LIMIT, "the name is longer than " + std::to_string(RUBRIC_MAX_VALUE_BYTES) + " bytes");
        e->facts.display_name = name;
        e->evaluated = false;
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_set_fact(rubric_eval* ev, const char* name, const char* value) {
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        e->evaluated = false;
        if (!name || !value)
            return set_error(e, RUBRIC_ERROR_MISUSE,
                             std::string("rubric_eval_set_fact: ") + (!name ? "name" : "value") + " is NULL");
        if (bounded_len(name, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES)
            return set_error(e, RUBRIC_ERROR_LIMIT,
                             "the fact name is longer than " + std::to_string(RUBRIC_MAX_NAME_BYTES) + " bytes");
        const std::size_t vlen = bounded_len(value, RUBRIC_MAX_VALUE_BYTES);
        if (vlen > RUBRIC_MAX_VALUE_BYTES)
            return set_error(e, RUBRIC_ERROR_LIMIT,
                             std::string("the value of `") + name + "` is longer than " +
                                 std::to_string(RUBRIC_MAX_VALUE_BYTES) + " bytes");
        const rubric::program& p = *e->d->prog;
        const int idx = find_input(*e->d, name);
        if (idx < 0) return set_error(e, RUBRIC_ERROR_NOT_FOUND, std::string("`") + name + "` is not an input of this rubric");
        const auto input = static_cast<std::uint32_t>(idx);
        const std::string err = rubric::set_fact_text(p, input, std::string_view(value, vlen), e->facts, e->d->lim.binding());
        if (!err.empty()) {
            // set_fact_text fills a list input's list before it finds a bad element, and does
            // not undo that; an input that is not given must have an empty list (else the
            // partial list would be scored as if given).
            if (!e->facts.present[input]) e->facts.lists[input].clear();
            return set_error(e, RUBRIC_ERROR_FACT, std::string("fact `") + name + "`: " + err);
        }
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_run(rubric_eval* ev) {
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        e->evaluated = false;
        const rubric::program& p = *e->d->prog;
        if (p.needs_cohort())
            return set_error(e, RUBRIC_ERROR_COHORT,
                             "this rubric ranks units within a cohort (rank, cohort_mean ...): one unit cannot be "
                             "scored alone; score the whole cohort with rubric_eval_batch or rubric_eval_batch_file");
        try {
            cancel_check check(e);
            check(true);
        } catch (const interrupted& why) {
            e->evaluated = false;
            return set_error(e, RUBRIC_ERROR_INTERRUPTED, why.why);  // the facts stay: run again
        }
        if (const std::string err = rubric::fill_missing(p, e->facts); !err.empty())
            return set_error(e, RUBRIC_ERROR_FACT, err);
        // Counted before evaluating, so that the evaluator's loop carries no counter (limits.hpp).
        if (const std::uint64_t steps = rubric::evaluation_steps(p, e->facts); steps > e->d->lim.eval_steps)
            return set_error(e, RUBRIC_ERROR_LIMIT, too_many_steps(p, e->facts, steps, e->d->lim.eval_steps));
        rubric::evaluate(p, e->facts, e->ev);
        e->evaluated = true;
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_score(rubric_eval* ev, const char* code, const char** exact, const char** rounded) {
    if (exact) *exact = nullptr;
    if (rounded) *rounded = nullptr;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!code) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_score: code is NULL");
        if (const int rc = need_results(e); rc != RUBRIC_OK) return rc;
        const std::size_t clen = bounded_len(code, RUBRIC_MAX_NAME_BYTES);
        if (clen > RUBRIC_MAX_NAME_BYTES) return set_error(e, RUBRIC_ERROR_NOT_FOUND, "no node has such a long code");
        const std::string_view c(code, clen);
        if (c == "total") return give_score(e, e->ev.total(), exact, rounded);
        if (c == "bonus") return give_score(e, e->ev.bonus(), exact, rounded);
        if (c == "adjustments") return give_score(e, e->ev.adjustments(), exact, rounded);
        if (c == "grand_total") return give_score(e, e->ev.grand_total(), exact, rounded);
        const auto it = e->d->node_by_code.find(std::string(c));
        if (it == e->d->node_by_code.end())
            return set_error(e, RUBRIC_ERROR_NOT_FOUND, "no node has the code `" + std::string(c) + "`");
        return give_score(e, e->ev.node_score(static_cast<rubric::node_id>(it->second)), exact, rounded);
    });
}

RUBRIC_API int rubric_eval_applies(rubric_eval* ev, const char* code, int* applies) {
    if (applies) *applies = 0;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!code) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_applies: code is NULL");
        if (!applies) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_applies: applies is NULL");
        if (const int rc = need_results(e); rc != RUBRIC_OK) return rc;
        const std::size_t clen = bounded_len(code, RUBRIC_MAX_NAME_BYTES);
        if (clen > RUBRIC_MAX_NAME_BYTES) return set_error(e, RUBRIC_ERROR_NOT_FOUND, "no node has such a long code");
        const auto it = e->d->node_by_code.find(std::string(code, clen));
        if (it == e->d->node_by_code.end())
            return set_error(e, RUBRIC_ERROR_NOT_FOUND, "no node has the code `" + std::string(code, clen) + "`");
        *applies = rubric::applies(*e->d->prog, e->facts, static_cast<rubric::node_id>(it->second)) ? 1 : 0;
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_score_at(rubric_eval* ev, size_t node, const char** exact, const char** rounded) {
    if (exact) *exact = nullptr;
    if (rounded) *rounded = nullptr;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (const int rc = need_results(e); rc != RUBRIC_OK) return rc;
        if (node >= e->d->prog->node_count())
            return set_error(e, RUBRIC_ERROR_NOT_FOUND, "node index " + std::to_string(node) + " is out of range");
        return give_score(e, e->ev.node_score(static_cast<rubric::node_id>(node)), exact, rounded);
    });
}

RUBRIC_API int rubric_eval_total(rubric_eval* ev, const char** exact, const char** rounded) {
    return rubric_eval_score(ev, "total", exact, rounded);
}

RUBRIC_API int rubric_eval_bonus(rubric_eval* ev, const char** exact, const char** rounded) {
    return rubric_eval_score(ev, "bonus", exact, rounded);
}

RUBRIC_API int rubric_eval_adjustments(rubric_eval* ev, const char** exact, const char** rounded) {
    return rubric_eval_score(ev, "adjustments", exact, rounded);
}

RUBRIC_API int rubric_eval_grand_total(rubric_eval* ev, const char** exact, const char** rounded) {
    return rubric_eval_score(ev, "grand_total", exact, rounded);
}

RUBRIC_API int rubric_eval_grade(rubric_eval* ev, const char** grade) {
    if (grade) *grade = nullptr;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!grade) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_grade: grade is NULL");
        if (const int rc = need_results(e); rc != RUBRIC_OK) return rc;
        const rubric::program& p = *e->d->prog;
        e->text = rubric::grade_label(p.tree(), rubric::grade_of(p, e->ev).grade);
        *grade = e->text.c_str();
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_result_json(rubric_eval* ev, const char** out, size_t* len) {
    if (out) *out = nullptr;
    if (len) *len = 0;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!out) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_result_json: out is NULL");
        if (const int rc = need_results(e); rc != RUBRIC_OK) return rc;
        // The season run's own writer (run.hpp), so that the line is the one `rubric eval` writes.
        const rubric::program& p = *e->d->prog;
        e->text.clear();
        rubric::results_options ro;
        ro.language = e->language;
        rubric::results_writer writer(rubric::result_format::jsonl, [&](std::string_view t) { e->text += t; }, ro);
        writer.begin(p);
        writer.unit(rubric::scored_unit{0, e->facts.entity, {}, e->facts, e->ev});
        while (!e->text.empty() && e->text.back() == '\n') e->text.pop_back();
        *out = e->text.c_str();
        if (len) *len = e->text.size();
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_explain_json(rubric_eval* ev, const char** out, size_t* len) {
    if (out) *out = nullptr;
    if (len) *len = 0;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!out) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_explain_json: out is NULL");
        if (const int rc = need_results(e); rc != RUBRIC_OK) return rc;
        e->text = rubric::explain_json(*e->d->prog, e->facts, e->ev, e->language);
        *out = e->text.c_str();
        if (len) *len = e->text.size();
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_explain_text(rubric_eval* ev, const char** out, size_t* len) {
    if (out) *out = nullptr;
    if (len) *len = 0;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!out) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_explain_text: out is NULL");
        if (const int rc = need_results(e); rc != RUBRIC_OK) return rc;
        e->text = rubric::explain_text(*e->d->prog, e->facts, e->ev, e->language);
        *out = e->text.c_str();
        if (len) *len = e->text.size();
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_batch(rubric_eval* ev, const char* name, const char* data, size_t len, int in_format,
                                 int out_format, unsigned flags, char** out, size_t* out_len) {
    if (out) *out = nullptr;
    if (out_len) *out_len = 0;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        e->evaluated = false;
        if (!out) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_batch: out is NULL");
        if (!data) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_batch: data is NULL");
        if (!valid_out_format(out_format))
            return set_error(e, RUBRIC_ERROR_MISUSE, "unknown output format " + std::to_string(out_format));
        if (flags & ~known_batch_flags)
            return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_batch: unknown flags " + std::to_string(flags));
        if (name && bounded_len(name, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES)
            return set_error(e, RUBRIC_ERROR_LIMIT, "the name is longer than " + std::to_string(RUBRIC_MAX_NAME_BYTES) + " bytes");
        const std::size_t max = e->d->lim.facts_bytes;
        std::size_t n = len;
        if (len == RUBRIC_NUL_TERMINATED) n = bounded_len(data, max);
        if (n > max) return set_error(e, RUBRIC_ERROR_LIMIT, "the facts are larger than " + std::to_string(max) + " bytes");
        return batch(e, name ? name : "<facts>", std::string(data, n), in_format, out_format, flags, out, out_len);
    });
}

RUBRIC_API int rubric_eval_batch_file(rubric_eval* ev, const char* path, int in_format, int out_format, unsigned flags,
                                      char** out, size_t* out_len) {
    if (out) *out = nullptr;
    if (out_len) *out_len = 0;
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        e->evaluated = false;
        if (!out) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_batch_file: out is NULL");
        if (!path) return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_batch_file: path is NULL");
        if (!valid_out_format(out_format))
            return set_error(e, RUBRIC_ERROR_MISUSE, "unknown output format " + std::to_string(out_format));
        if (flags & ~known_batch_flags)
            return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_batch_file: unknown flags " + std::to_string(flags));
        if (bounded_len(path, RUBRIC_MAX_NAME_BYTES) > RUBRIC_MAX_NAME_BYTES)
            return set_error(e, RUBRIC_ERROR_LIMIT, "the path is longer than " + std::to_string(RUBRIC_MAX_NAME_BYTES) + " bytes");
        int fmt = in_format;
        if (fmt == RUBRIC_FORMAT_AUTO) {
            switch (rubric::guess_facts_format(path)) {
                case rubric::facts_format::csv: fmt = RUBRIC_FORMAT_CSV; break;
                case rubric::facts_format::jsonl: fmt = RUBRIC_FORMAT_JSONL; break;
                default: fmt = RUBRIC_FORMAT_JSON; break;
            }
        }
        std::string data, err;
        if (const int rc = read_file(path, e->d->lim.facts_bytes, data, err); rc != RUBRIC_OK) return set_error(e, rc, err);
        return batch(e, path, std::move(data), fmt, out_format, flags, out, out_len);
    });
}

RUBRIC_API int rubric_eval_set_group_column(rubric_eval* ev, const char* column) {
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    return guard(e, [&] {
        if (!column || !*column) {
            e->group_column.clear();
            return set_ok(e);
        }
        const std::size_t n = bounded_len(column, RUBRIC_MAX_NAME_BYTES);
        if (n > RUBRIC_MAX_NAME_BYTES)
            return set_error(e, RUBRIC_ERROR_LIMIT,
                             "the group column's name is longer than " + std::to_string(RUBRIC_MAX_NAME_BYTES) + " bytes");
        if (find_input(*e->d, std::string_view(column, n)) >= 0)
            return set_error(e, RUBRIC_ERROR_MISUSE,
                             std::string("rubric_eval_set_group_column: `") + column +
                                 "` is an input of this rubric; the group column must be another column");
        e->group_column.assign(column, n);
        return set_ok(e);
    });
}

RUBRIC_API int rubric_eval_set_language(rubric_eval* ev, int language) {
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    switch (language) {
        case RUBRIC_LANG_EN: e->language = rubric::lang::en; return set_ok(e);
        case RUBRIC_LANG_ZH: e->language = rubric::lang::zh; return set_ok(e);
        default: return set_error(e, RUBRIC_ERROR_MISUSE, "rubric_eval_set_language: unknown language " + std::to_string(language));
    }
}

RUBRIC_API int rubric_eval_progress_handler(rubric_eval* ev, unsigned n, int (*handler)(void* arg), void* arg) {
    rubric_eval* e = as_eval(ev);
    if (!e) return RUBRIC_ERROR_MISUSE;
    e->progress = handler;
    e->progress_arg = handler ? arg : nullptr;
    e->progress_every = n ? n : 1;
    return set_ok(e);
}

RUBRIC_API void rubric_interrupt(rubric_eval* ev) {
    // Only the tag is read (it is written once, before the handle is handed out, and when it is
    // freed, which the caller may not do concurrently) and the atomic flag written.
    if (rubric_eval* e = as_eval(ev)) e->interrupt.store(true, std::memory_order_relaxed);
}

RUBRIC_API const char* rubric_diag_message_lang(const rubric_program* prog, size_t i, int language) {
    const prog_data* d = any_prog(prog);
    if (!d || i >= d->diags.size()) return nullptr;
    switch (language) {
        case RUBRIC_LANG_EN: return d->diags[i].message.c_str();
        case RUBRIC_LANG_ZH: return d->diags[i].message_zh.c_str();
        default: return nullptr;
    }
}

RUBRIC_API const char* rubric_diag_rendered_lang(const rubric_program* prog, size_t i, int language) {
    const prog_data* d = any_prog(prog);
    if (!d || i >= d->diags.size()) return nullptr;
    switch (language) {
        case RUBRIC_LANG_EN: return d->diags[i].rendered.c_str();
        case RUBRIC_LANG_ZH: return d->diags[i].rendered_zh.c_str();
        default: return nullptr;
    }
}

RUBRIC_API const char* rubric_diags_rendered_lang(const rubric_program* prog, int language) {
    const prog_data* d = any_prog(prog);
    if (!d) return nullptr;
    switch (language) {
        case RUBRIC_LANG_EN: return d->rendered.c_str();
        case RUBRIC_LANG_ZH: return d->rendered_zh.c_str();
        default: return nullptr;
    }
}

}  // extern "C"
