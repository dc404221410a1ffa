// rubric: writing a result file so that nothing is lost and nothing is half-written.
//
// One concept: a *safe output*. Whatever a run writes to a named file goes first to a
// temporary file beside it, and the file is replaced only when every byte is written
// and on the disk; a failed or interrupted run leaves the old file exactly as it was.
//
//   * Regular file (or a name that does not exist yet): the bytes go to a new file
//     `.NAME.rubric-PID-N.tmp` in the same directory, created exclusively
//     (O_CREAT|O_EXCL|O_NOFOLLOW: a file or a symbolic link planted at that name is
//     never opened, another name is tried). commit() flushes it, fsyncs it, renames it
//     over NAME (atomic: a reader sees the old file or the new one, never a mix; two runs
//     on one NAME each replace it whole) and fsyncs the directory. The new file keeps the
//     old file's permission bits (and, where allowed, its owner and group); a new NAME
//     gets 0666 less the umask, as any program creating a file.
//   * Symbolic link: written through. The link is kept and the file it points to
//     (followed to the end of the chain) is replaced as above, as editors do; a link to
//     a name that does not exist creates that file.
//   * Not a regular file (a character device, a FIFO, a socket): never replaced and
//     never created. The bytes are kept aside (in an unnamed temporary file) and written
//     into it at commit() by opening it for writing only (no O_CREAT, no O_TRUNC), so a
//     run that fails writes nothing into the pipe. A socket cannot be opened: an error.
//   * A directory: refused.
//   * "" or "-": standard output, kept aside like a device and copied out at commit().
//     A closed pipe on stdout is SIGPIPE, as for any program.
//
// Errors are data: ok() and commit() say whether all is well and error() says why, in
// words naming the path and the reason ("cannot write out.csv: no space left on the
// device"); nothing is printed by the library.
//
// Signals: while a temporary file exists its name is in a small registry. The first
// safe_output installs a handler for SIGINT, SIGTERM, SIGHUP and SIGPIPE, each only if
// its disposition is still the default (a host program's own handler is left alone: it
// may call remove_output_temporaries(), which is async-signal-safe). The handler
// unlinks every registered temporary file and re-raises the signal with its default
// action. SIGPIPE raised by writing into a FIFO named as the output is not fatal: it
// becomes an EPIPE error ("cannot write FIFO: the reader closed the pipe").
//
// Several files as one (safe_output_set): every file is written to its temporary first;
// only when all of them are complete are they renamed into place, and if one rename
// fails the ones already renamed are put back (the old files were kept as hard links
// until the end). Either every file is replaced or none is.
//
// POSIX only (Linux, macOS, the BSDs).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/messages.hpp"

namespace rubric {

// Options of a safe_output; the defaults are what a program wants.
struct safe_output_options {
    // Tests only: the numbers N that the temporary names `.NAME.rubric-PID-N.tmp` use,
    // one per attempt (null: a process-wide counter mixed with the clock).
    std::uint64_t (*next_nonce)() = nullptr;
};

class safe_output {
public:
    // Opens the output `path` ("" or "-": stdout). Check ok() before writing.
    explicit safe_output(std::string path, safe_output_options options = {});
    safe_output(const safe_output&) = delete;
    safe_output& operator=(const safe_output&) = delete;
    // An output neither committed nor abandoned is abandoned.
    ~safe_output();

    // False once anything failed; error() says what.
    [[nodiscard]] bool ok() const noexcept { return error_.empty(); }
    // Appends bytes (buffered). A failure is remembered: commit() then returns false.
    void write(std::string_view bytes);
    // Puts the result in place: true when every byte is where it belongs. On false the
    // target is as it was before the run (for a device or a pipe: as much as it took).
    bool commit();
    // Drops what was written: the temporary file is removed, the target untouched.
    void abandon() noexcept;

    // Why the output failed ("" message when it did not), e.g. "cannot write q2.csv:
    // no space left on the device". Translate with translate(error(), lang).
    [[nodiscard]] const localized& error() const noexcept { return error_; }
    // The path as given, and the file that is really replaced (a symbolic link followed).
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const std::string& target() const noexcept { return target_; }
    // The temporary file's name ("" for stdout, a device or a pipe, or once committed).
    [[nodiscard]] const std::string& temporary() const noexcept { return tmp_; }
    [[nodiscard]] bool is_stdout() const noexcept { return kind_ == kind::standard_output; }

    // The two halves of commit(), for safe_output_set: finish() writes out everything
    // (a device or stdout receives its bytes here) and makes the temporary file durable;
    // publish() renames it over the target.
    bool finish();
    bool publish();

private:
    enum class kind { none, standard_output, replace, direct };
    void fail(localized why) noexcept;
    void fail_errno(int err) noexcept;
    // Bytes for standard output, a device or a FIFO are kept aside in an unnamed temporary file
    // until the end, then copied out; the error is said when none can be made.
    void open_aside();
    bool flush_buffer();
    bool put(const char* p, std::size_t n);
    bool write_fd(int fd, const char* p, std::size_t n);
    bool copy_aside_to(int fd);

    std::string path_, target_, tmp_;
    kind kind_ = kind::none;
    int fd_ = -1;             // the temporary file (replace) or the unnamed one (stdout, direct)
    int out_fd_ = -1;         // the device or FIFO written into (direct)
    int registry_slot_ = -1;  // the temporary's place in the signal registry
    bool finished_ = false, done_ = false, pipe_ = false;
    bool keep_mode_ = false;  // the target exists: its mode, owner and group are copied
    unsigned long mode_ = 0, uid_ = 0, gid_ = 0;
    std::string buffer_;
    std::uint64_t written_ = 0, handed_to_disk_ = 0;  // bytes of the temporary file (replace)
    localized error_;
    friend class safe_output_set;
};

// Several outputs that are replaced together or not at all (`report --format all`).
class safe_output_set {
public:
    safe_output_set() = default;
    safe_output_set(const safe_output_set&) = delete;
    safe_output_set& operator=(const safe_output_set&) = delete;
    ~safe_output_set() { abandon(); }

    // Adds an output; the reference stays valid as long as the set.
    safe_output& add(std::string path, safe_output_options options = {});
    // True while every output is fine.
    [[nodiscard]] bool ok() const noexcept;
    // Finishes every output, then renames them all; on any failure none is replaced
    // (a device or stdout among them may have received its bytes: they go first).
    bool commit();
    void abandon() noexcept;
    // The first failure.
    [[nodiscard]] const localized& error() const noexcept;

private:
    std::vector<std::unique_ptr<safe_output>> outputs_;
    localized error_;
};

// True when both paths name one existing file (same device and inode, symbolic links
// followed): `q2.csv`, `./q2.csv`, a hard link or a link to it are all the same file.
// A path that does not exist is the same as nothing.
[[nodiscard]] bool same_file(const std::string& a, const std::string& b) noexcept;

// The first of `inputs` that `output` would overwrite, or nullptr. "" and "-" (stdout)
// overwrite nothing.
[[nodiscard]] const std::string* output_over_input(const std::string& output, const std::vector<std::string>& inputs) noexcept;

// Removes every temporary file of the registry (async-signal-safe: for a host program's
// own signal handler). safe_output's handler calls it.
void remove_output_temporaries() noexcept;

}  // namespace rubric
