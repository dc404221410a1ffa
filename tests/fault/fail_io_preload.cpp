// fail_io_preload.cpp: a shared library to LD_PRELOAD into a program (the CLI) that fails its
// Nth I/O call, as a failing disk or a full one would (issue 18, "I/O failures likewise").
//
// Counted, in the order the program makes them: read, write, fsync, fdatasync and rename,
// and the stdio calls fread and fwrite (glibc's stdio reads and writes through its own
// internal entry points, which a preload cannot see; std::ifstream and the safe output's
// ::write come through read and write). Calls on stderr are neither counted nor failed: the
// program's message must get out.
//
//   RUBRIC_FAULT_IO=N            fail the Nth call (0 or unset: count only)
//   RUBRIC_FAULT_IO_ERRNO=ENOSPC the error of a failing write, fwrite, fsync, fdatasync or
//                                rename: EIO (default) or ENOSPC; a failing read or fread is EIO
//   RUBRIC_FAULT_REPORT=1        print "io calls: K" to stderr at exit
//   RUBRIC_FAULT_IO_LOG=PATH     append the call that was failed ("write fd 3, 4096 bytes")
//
// A failing fread returns 0 items and sets the stream's error indicator, as glibc does when
// its read fails; a failing fwrite likewise.
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

std::atomic<long> calls{0};
long fail_at = 0;
int fail_errno = EIO;

template <class F>
F next(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

void log_failure(const char* what, long fd, std::size_t n, const char* path) {
    const char* log = std::getenv("RUBRIC_FAULT_IO_LOG");
    if (!log) return;
    static auto real_write = next<ssize_t (*)(int, const void*, std::size_t)>("write");
    char file[300] = "";
    if (!path && fd >= 0) {
        char link[64];
        std::snprintf(link, sizeof link, "/proc/self/fd/%ld", fd);
        const ssize_t k = ::readlink(link, file, sizeof file - 1);
        file[k > 0 ? k : 0] = '\0';
        path = file;
    }
    char line[600];
    const int len = std::snprintf(line, sizeof line, "%s fd %ld, %zu bytes%s%s (call %ld)\n", what, fd, n,
                                  path && *path ? ", " : "", path ? path : "", fail_at);
    const int f = ::open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (f >= 0 && len > 0) {
        (void)real_write(f, line, static_cast<std::size_t>(len) < sizeof line ? static_cast<std::size_t>(len) : sizeof line - 1);
        ::close(f);
    }
}

// True when this call is the one to fail (counted unless it is on stderr).
bool this_one_fails(long fd) {
    if (fd == STDERR_FILENO) return false;
    const long k = ++calls;
    return fail_at != 0 && k == fail_at;
}

// glibc's error indicator of a stream (_IO_ERR_SEEN in libio.h): what ferror() reads.
void set_stream_error(std::FILE* f) {
#ifdef __GLIBC__
    f->_flags |= 0x20;
#else
    (void)f;
#endif
}

}  // namespace

__attribute__((constructor)) static void io_fault_start() {
    if (const char* n = std::getenv("RUBRIC_FAULT_IO")) fail_at = std::atol(n);
    if (const char* e = std::getenv("RUBRIC_FAULT_IO_ERRNO"); e && std::strcmp(e, "ENOSPC") == 0) fail_errno = ENOSPC;
}

__attribute__((destructor)) static void io_fault_report() {
    if (std::getenv("RUBRIC_FAULT_REPORT")) std::fprintf(stderr, "io calls: %ld\n", calls.load());
}

extern "C" {

ssize_t read(int fd, void* buf, std::size_t n) {
    static auto real = next<ssize_t (*)(int, void*, std::size_t)>("read");
    if (this_one_fails(fd)) {
        log_failure("read", fd, n, nullptr);
        errno = EIO;
        return -1;
    }
    return real(fd, buf, n);
}

ssize_t write(int fd, const void* buf, std::size_t n) {
    static auto real = next<ssize_t (*)(int, const void*, std::size_t)>("write");
    if (this_one_fails(fd)) {
        log_failure("write", fd, n, nullptr);
        errno = fail_errno;
        return -1;
    }
    return real(fd, buf, n);
}

int fsync(int fd) {
    static auto real = next<int (*)(int)>("fsync");
    if (this_one_fails(fd)) {
        log_failure("fsync", fd, 0, nullptr);
        errno = fail_errno;
        return -1;
    }
    return real(fd);
}

int fdatasync(int fd) {
    static auto real = next<int (*)(int)>("fdatasync");
    if (this_one_fails(fd)) {
        log_failure("fdatasync", fd, 0, nullptr);
        errno = fail_errno;
        return -1;
    }
    return real(fd);
}

int rename(const char* from, const char* to) {
    static auto real = next<int (*)(const char*, const char*)>("rename");
    if (this_one_fails(-1)) {
        log_failure("rename", -1, 0, to);
        errno = fail_errno;
        return -1;
    }
    return real(from, to);
}

std::size_t fread(void* buf, std::size_t size, std::size_t count, std::FILE* f) {
    static auto real = next<std::size_t (*)(void*, std::size_t, std::size_t, std::FILE*)>("fread");
    if (this_one_fails(f ? ::fileno(f) : -1)) {
        log_failure("fread", f ? ::fileno(f) : -1, size * count, nullptr);
        set_stream_error(f);
        errno = EIO;
        return 0;
    }
    return real(buf, size, count, f);
}

std::size_t fwrite(const void* buf, std::size_t size, std::size_t count, std::FILE* f) {
    static auto real = next<std::size_t (*)(const void*, std::size_t, std::size_t, std::FILE*)>("fwrite");
    if (f != stderr && this_one_fails(f ? ::fileno(f) : -1)) {
        log_failure("fwrite", f ? ::fileno(f) : -1, size * count, nullptr);
        set_stream_error(f);
        errno = fail_errno;
        return 0;
    }
    return real(buf, size, count, f);
}

}  // extern "C"
