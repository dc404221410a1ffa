// Definitions for rubric/safe_output.hpp (POSIX).
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "rubric/config.hpp"
#include "rubric/safe_output.hpp"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

namespace rubric {
namespace detail {

// --- the registry of temporary files, read by the signal handler ------------------
// Fixed slots, claimed with an atomic flag: the handler may run at any moment, in any
// thread, so it only reads `ready` slots and calls unlink(), which is async-signal-safe.
// A path longer than a slot, or more outputs open at once than slots, is still written
// safely; only its cleanup on a signal is lost.
struct temp_slot {
    std::atomic<int> state{0};  // 0 free, 1 being filled or emptied, 2 ready
    char path[1024];
};
inline constexpr int temp_slot_count = 64;

inline temp_slot* temp_slots() noexcept {
    static temp_slot slots[temp_slot_count];
    return slots;
}

inline int register_temporary(const std::string& path) noexcept {
    if (path.size() >= sizeof(temp_slot::path)) return -1;
    temp_slot* slots = temp_slots();
    for (int i = 0; i < temp_slot_count; ++i) {
        int expected = 0;
        if (slots[i].state.compare_exchange_strong(expected, 1)) {
            std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
            slots[i].state.store(2);
            return i;
        }
    }
    return -1;
}

inline void unregister_temporary(int slot) noexcept {
    if (slot >= 0) temp_slots()[slot].state.store(0);
}

// Set while bytes go into a FIFO named as the output: a SIGPIPE then means "the reader
// went away", an error to report (EPIPE), not a reason to die. stdout is not guarded:
// a closed pipe there ends the program, as it does for any filter.
inline volatile std::sig_atomic_t& writing_to_named_pipe() noexcept {
    static volatile std::sig_atomic_t flag = 0;
    return flag;
}

extern "C" inline void rubric_output_signal_handler(int sig) {
    if (sig == SIGPIPE && writing_to_named_pipe()) return;  // write() returns EPIPE
    remove_output_temporaries();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Installs the handler once, for each signal still at its default action.
inline void install_output_signal_handler() noexcept {
    static std::atomic<bool> installed{false};
    if (installed.exchange(true)) return;
    for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
        struct sigaction old {};
        if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO)) continue;
        struct sigaction sa {};
        sa.sa_handler = rubric_output_signal_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;  // no SA_RESTART: a write into a closed FIFO must return EPIPE
        sigaction(sig, &sa, nullptr);
    }
}

inline std::uint64_t default_nonce() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    const auto t = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    return (counter.fetch_add(1) << 20) ^ (t & 0xFFFFF);
}

inline std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

inline std::string base_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// `path` with its symbolic links followed to the end of the chain (the last name may
// not exist: a link to a file yet to be made). Only the last component is followed:
// links among the directories are followed by the kernel when the file is opened and
// renamed, and the temporary file is made in the same (resolved) directory.
inline bool follow_links(std::string path, std::string& out, int& err) {
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
            out = path;
            return true;
        }
        std::string link(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 255) + 1, '\0');
        const ssize_t n = readlink(path.c_str(), &link[0], link.size());
        if (n < 0) {
            err = errno;
            return false;
        }
        link.resize(static_cast<std::size_t>(n));
        path = !link.empty() && link[0] == '/' ? link : directory_of(path) + "/" + link;
    }
    err = ELOOP;
    return false;
}

// N when `path` names this process's descriptor N (/dev/stdout, /dev/fd/N, /proc/self/fd/N), else -1.
inline int descriptor_named(const std::string& path) {
    if (path == "/dev/stdin") return 0;
    if (path == "/dev/stdout") return 1;
    if (path == "/dev/stderr") return 2;
    for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        const std::size_t n = std::strlen(prefix);
        if (path.size() > n && path.compare(0, n, prefix) == 0 && path.size() - n < 8 &&
            path.find_first_not_of("0123456789", n) == std::string::npos)
            return std::atoi(path.c_str() + n);
    }
    return -1;
}

// An unnamed temporary file: the bytes for stdout or a device wait there until commit().
inline int unnamed_temporary(int& err) {
    const char* dir = std::getenv("TMPDIR");
    std::string name = std::string(dir && *dir ? dir : "/tmp") + "/rubric-XXXXXX";
    const int fd = mkstemp(&name[0]);
    if (fd < 0) {
        err = errno;
        return -1;
    }
    unlink(name.c_str());  // gone as soon as it is closed, whatever happens
    return fd;
}

}  // namespace detail

RUBRIC_FUNC void remove_output_temporaries() noexcept {
    detail::temp_slot* slots = detail::temp_slots();
    for (int i = 0; i < detail::temp_slot_count; ++i)
        if (slots[i].state.load() == 2) unlink(slots[i].path);
}

RUBRIC_FUNC void safe_output::open_aside() {
    int err = 0;
    fd_ = detail::unnamed_temporary(err);
    if (fd_ < 0) fail(localize("output.cannot-write", {{"path", localize("cli.a-temporary-file")}, {"reason", file_error_reason(err, true)}}));
}

RUBRIC_FUNC safe_output::safe_output(std::string path, safe_output_options options) : path_(std::move(path)) {
    int err = 0;
    if (path_.empty() || path_ == "-") {
        kind_ = kind::standard_output;
        open_aside();
        return;
    }
    detail::install_output_signal_handler();
    // Asked through any links first: /dev/stdout is a link to /proc/self/fd/1, which the
    // kernel follows to the pipe but whose text ("pipe:[1234]") names nothing.
    struct stat st {};
    const bool exists = ::stat(path_.c_str(), &st) == 0;
    if (!exists && errno != ENOENT) { fail_errno(errno); return; }
    if (exists && S_ISDIR(st.st_mode)) { fail(localize("output.is-directory", {{"path", path_}})); return; }
    // /dev/stdout, /dev/fd/N name a descriptor of this process: written into through that
    // descriptor, even when it is a regular file (`--out /dev/stdout >> log` appends, as the
    // shell meant; reopening the name would start at offset 0).
    const int descriptor = detail::descriptor_named(path_);
    if (exists && descriptor >= 0) {
        kind_ = kind::direct;
        target_ = path_;
        out_fd_ = ::fcntl(descriptor, F_DUPFD_CLOEXEC, 0);
        if (out_fd_ < 0) { fail_errno(errno); return; }
        open_aside();
        pipe_ = S_ISFIFO(st.st_mode);
        return;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        // A device, a FIFO, a socket: written into, never replaced. Opened now so that a
        // socket or a missing driver is an error before any work is done (a FIFO waits
        // here for its reader, as `> fifo` does in a shell).
        kind_ = kind::direct;
        target_ = path_;
        out_fd_ = ::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (out_fd_ < 0) { fail_errno(errno); return; }
        open_aside();
        pipe_ = S_ISFIFO(st.st_mode);
        return;
    }
    // A regular file is replaced where it really is (a symbolic link is kept); a name that
    // does not exist may still be a link to a file yet to be made.
    if (!detail::follow_links(path_, target_, err)) { fail_errno(err); return; }
    if (exists && target_ != path_) {
        struct stat real {};
        if (::stat(target_.c_str(), &real) != 0 || real.st_ino != st.st_ino || real.st_dev != st.st_dev) {
            // The link's text does not lead where the kernel went (a link among magic links):
            // ask for the resolved name.
            char* resolved = ::realpath(path_.c_str(), nullptr);
            if (!resolved) { fail_errno(errno); return; }
            target_ = resolved;
            std::free(resolved);
        }
    }
    kind_ = kind::replace;
    if (exists) {
        keep_mode_ = true;
        mode_ = st.st_mode & 07777;
        uid_ = st.st_uid;
        gid_ = st.st_gid;
    }
    const std::string dir = detail::directory_of(target_), base = detail::base_of(target_);
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::uint64_t n = options.next_nonce ? options.next_nonce() : detail::default_nonce();
        std::string name = (dir == "/" ? "" : dir) + "/." + base + ".rubric-" + std::to_string(::getpid()) + "-" + std::to_string(n) + ".tmp";
        if (target_.find('/') == std::string::npos) name = name.substr(2);  // "./.x" → ".x": as the user named it
        // Exclusive and not through a link: a name someone planted is never opened.
        // Created 0600 when the old file's bits will be copied, else 0666 less the umask.
        fd_ = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, keep_mode_ ? 0600 : 0666);
        if (fd_ >= 0) {
            tmp_ = std::move(name);
            registry_slot_ = detail::register_temporary(tmp_);
            return;
        }
        if (errno != EEXIST) { fail_errno(errno); return; }
    }
    fail_errno(EEXIST);
}

RUBRIC_FUNC safe_output::~safe_output() { abandon(); }

RUBRIC_FUNC void safe_output::fail(localized why) noexcept {
    if (error_.empty()) error_ = std::move(why);
}

RUBRIC_FUNC void safe_output::fail_errno(int err) noexcept {
    fail(localize("output.cannot-write", {{"path", kind_ == kind::standard_output ? localize("output.standard-output") : literal(path_)},
                                          {"reason", file_error_reason(err, true)}}));
}

RUBRIC_FUNC bool safe_output::write_fd(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t k = ::write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            fail_errno(errno);
            return false;
        }
        if (k == 0) {
            fail_errno(ENOSPC);
            return false;
        }
        p += k;
        n -= static_cast<std::size_t>(k);
    }
    return true;
}

RUBRIC_FUNC bool safe_output::flush_buffer() {
    if (!ok() || fd_ < 0) return false;
    const bool good = put(buffer_.data(), buffer_.size());
    buffer_.clear();
    return good;
}

// Writes n bytes to the file, past the buffer (which the caller flushed or is flushing).
RUBRIC_FUNC bool safe_output::put(const char* p, std::size_t n) {
    const bool good = write_fd(fd_, p, n);
#if defined(__linux__)
    // The temporary file is fsync'ed before it replaces the target. Started every few MiB, the
    // disk writes alongside the run instead of all at its end (a 360 MB results file waited 0.1 s
    // there). Only a start: errors are fsync's to report.
    if (good && kind_ == kind::replace) {
        written_ += n;
        if (written_ - handed_to_disk_ >= (8u << 20)) {
            ::sync_file_range(fd_, static_cast<off_t>(handed_to_disk_), static_cast<off_t>(written_ - handed_to_disk_), SYNC_FILE_RANGE_WRITE);
            handed_to_disk_ = written_;
        }
    }
#endif
    return good;
}

RUBRIC_FUNC void safe_output::write(std::string_view bytes) {
    if (!ok() || done_ || finished_) return;
    // A large piece (a block of units' results) goes to the file as it is, after what the
    // buffer holds: copied into the buffer first, it would cost a pass over the bytes for nothing.
    if (bytes.size() >= (64u << 10)) {
        if (flush_buffer()) put(bytes.data(), bytes.size());
        return;
    }
    buffer_.append(bytes.data(), bytes.size());
    if (buffer_.size() >= (1u << 20)) flush_buffer();
}

// Copies the bytes kept aside into `fd` (stdout, a device, a FIFO).
RUBRIC_FUNC bool safe_output::copy_aside_to(int fd) {
    if (::lseek(fd_, 0, SEEK_SET) != 0) {
        fail_errno(errno);
        return false;
    }
    std::string block(1u << 16, '\0');
    for (;;) {
        const ssize_t n = ::read(fd_, &block[0], block.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            fail_errno(errno);
            return false;
        }
        if (n == 0) return true;
        if (!write_fd(fd, block.data(), static_cast<std::size_t>(n))) return false;
    }
}

RUBRIC_FUNC bool safe_output::finish() {
    if (finished_) return ok();
    if (!ok() || done_ || fd_ < 0) return false;
    if (!flush_buffer()) return false;
    finished_ = true;
    if (kind_ == kind::standard_output) {
        // What the program printed before comes first.
        std::cout.flush();
        std::fflush(stdout);
        const bool good = copy_aside_to(STDOUT_FILENO);
        ::close(fd_);
        fd_ = -1;
        return good;
    }
    if (kind_ == kind::direct) {
        if (pipe_) detail::writing_to_named_pipe() = 1;
        bool good = copy_aside_to(out_fd_);
        if (pipe_) detail::writing_to_named_pipe() = 0;
        if (::close(out_fd_) != 0 && good && errno != EINTR) {
            fail_errno(errno);
            good = false;
        }
        out_fd_ = -1;
        ::close(fd_);
        fd_ = -1;
        return good;
    }
    // The old file's permissions (and owner, where we may: root, or the same user).
    if (keep_mode_) {
        if (::fchown(fd_, static_cast<uid_t>(uid_), static_cast<gid_t>(gid_)) != 0) { /* another owner: the file becomes ours, as with any editor */ }
        if (::fchmod(fd_, static_cast<mode_t>(mode_)) != 0) {
            fail_errno(errno);
            return false;
        }
    }
    // On the disk before it replaces anything: a crash after the rename must not leave
    // an empty file where the old one was.
    if (::fsync(fd_) != 0) {
        fail_errno(errno);
        return false;
    }
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) {
        fail_errno(errno);
        return false;
    }
    return true;
}

RUBRIC_FUNC bool safe_output::publish() {
    if (!finished_ || !ok()) return false;
    if (done_) return true;
    if (kind_ == kind::replace) {
        if (::rename(tmp_.c_str(), target_.c_str()) != 0) {
            fail_errno(errno);
            return false;
        }
        detail::unregister_temporary(registry_slot_);
        registry_slot_ = -1;
        tmp_.clear();
        // The rename itself is durable once the directory is.
        const int dfd = ::open(detail::directory_of(target_).c_str(), O_RDONLY | O_CLOEXEC);
        if (dfd >= 0) {
            ::fsync(dfd);  // some file systems refuse to fsync a directory (EINVAL): nothing to do then
            ::close(dfd);
        }
    }
    done_ = true;
    return true;
}

RUBRIC_FUNC bool safe_output::commit() {
    if (finish() && publish()) return true;
    abandon();
    return false;
}

RUBRIC_FUNC void safe_output::abandon() noexcept {
    if (fd_ >= 0) ::close(fd_);
    if (out_fd_ >= 0) ::close(out_fd_);
    fd_ = out_fd_ = -1;
    if (!tmp_.empty()) {
        ::unlink(tmp_.c_str());
        detail::unregister_temporary(registry_slot_);
        registry_slot_ = -1;
        tmp_.clear();
    }
    buffer_.clear();
    done_ = true;
}

// --- safe_output_set -----------------------------------------------------------------

RUBRIC_FUNC safe_output& safe_output_set::add(std::string path, safe_output_options options) {
    outputs_.push_back(std::make_unique<safe_output>(std::move(path), options));
    return *outputs_.back();
}

RUBRIC_FUNC bool safe_output_set::ok() const noexcept {
    for (const auto& o : outputs_)
        if (!o->ok()) return false;
    return true;
}

RUBRIC_FUNC const localized& safe_output_set::error() const noexcept {
    if (!error_.empty()) return error_;
    for (const auto& o : outputs_)
        if (!o->ok()) return o->error();
    return error_;
}

RUBRIC_FUNC void safe_output_set::abandon() noexcept {
    for (auto& o : outputs_) o->abandon();
}

RUBRIC_FUNC bool safe_output_set::commit() {
    // 1. Every output complete: devices and stdout first (their bytes cannot be taken
    //    back, so a failing one stops the rest), then every temporary file on the disk.
    bool good = ok();
    for (int pass = 0; pass < 2 && good; ++pass)
        for (auto& o : outputs_)
            if (good && (o->kind_ == safe_output::kind::replace) == (pass == 1)) good = o->finish();
    if (!good) {
        if (error_.empty()) error_ = error();
        abandon();
        return false;
    }
    // 2. The old files kept as hard links, so that a rename failing half-way can be undone.
    struct saved {
        safe_output* out;
        std::string backup;  // "" when there was no old file
        bool renamed = false;
        int slot = -1;
    };
    std::vector<saved> plan;
    for (auto& o : outputs_) {
        if (o->kind_ != safe_output::kind::replace) continue;
        saved s{o.get(), {}, false, -1};
        if (o->keep_mode_) {
            s.backup = o->tmp_ + ".old";
            if (::link(o->target_.c_str(), s.backup.c_str()) != 0) {
                o->fail_errno(errno);
                s.backup.clear();
                good = false;
            } else {
                s.slot = detail::register_temporary(s.backup);  // an extra name: a signal removes it
            }
        }
        plan.push_back(std::move(s));
        if (!good) break;
    }
    // 3. The renames.
    for (auto& s : plan) {
        if (!good) break;
        good = s.out->publish();
        s.renamed = good;
    }
    if (!good) {
        error_ = error();
        for (auto& s : plan) {
            if (s.renamed) {
                // Put the old file back, or remove the file that did not exist before.
                if (!s.backup.empty()) ::rename(s.backup.c_str(), s.out->target_.c_str());
                else ::unlink(s.out->target_.c_str());
            }
        }
    }
    for (auto& s : plan) {
        if (!s.backup.empty()) ::unlink(s.backup.c_str());
        detail::unregister_temporary(s.slot);
    }
    if (!good) abandon();
    return good;
}

// --- the same file ------------------------------------------------------------------

RUBRIC_FUNC bool same_file(const std::string& a, const std::string& b) noexcept {
    struct stat sa {}, sb {};
    if (a.empty() || b.empty() || ::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

RUBRIC_FUNC const std::string* output_over_input(const std::string& output, const std::vector<std::string>& inputs) noexcept {
    if (output.empty() || output == "-") return nullptr;
    for (const auto& in : inputs)
        if (in != "-" && same_file(output, in)) return &in;
    return nullptr;
}

}  // namespace rubric
