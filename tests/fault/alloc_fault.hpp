// alloc_fault.hpp: a counting allocator for fault-injection tests. Included by exactly one
// source file of a test binary: it replaces the global operator new and delete (every form,
// so that no sanitizer runtime's own replacement is linked beside them) with versions that
// count allocations and, when armed, fail the Nth one (std::bad_alloc, or nullptr for the
// nothrow forms), as an exhausted heap would. They also count the blocks alive, so that a
// test can see a leak without a leak checker (ASan's, in the asan tree, checks as well).
//
// The nothrow forms are neither counted nor failed: the code that uses them is written for a
// null result and carries on without the memory (std::stable_sort's temporary buffer: it then
// sorts in place, more slowly), so failing them tests nothing of ours.
//
// Only operator new is counted: the library allocates through it (std::string, vectors,
// shared_ptr ...) except for the buffers the C ABI hands to callers, which come from malloc
// and are checked by their own NULL test.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace alloc_fault {

inline std::atomic<long> count{0};     // allocations since reset()
inline std::atomic<long> fail_at{0};   // 0: never fail; N: the Nth allocation fails
inline std::atomic<long> failed{0};    // allocations failed since reset()
inline std::atomic<long> alive{0};     // blocks allocated and not freed
// Counting only one thread's allocations (the fuzz target fuzz_fault: libFuzzer's own threads
// allocate at any time): with one_thread set, only a thread whose on_this_thread is true counts.
inline std::atomic<bool> one_thread{false};
inline thread_local bool on_this_thread = false;

inline void arm(long n) noexcept {
    count = 0;
    failed = 0;
    fail_at = n;
}
inline void disarm() noexcept { fail_at = 0; }

inline void* allocate(std::size_t n, std::size_t align, bool counted = true) noexcept {
    if (counted && (!one_thread.load(std::memory_order_relaxed) || on_this_thread)) {
        const long k = ++count;
        const long at = fail_at.load();
        if (at && k == at) {
            ++failed;
            return nullptr;
        }
    }
    if (n == 0) n = 1;
    void* p = nullptr;
    if (align <= alignof(std::max_align_t)) p = std::malloc(n);
    else if (posix_memalign(&p, align, n) != 0) p = nullptr;
    if (p) ++alive;
    return p;
}
inline void release(void* p) noexcept {
    if (!p) return;
    --alive;
    std::free(p);
}

}  // namespace alloc_fault

void* operator new(std::size_t n) {
    if (void* p = alloc_fault::allocate(n, 0)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    if (void* p = alloc_fault::allocate(n, 0)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a) {
    if (void* p = alloc_fault::allocate(n, static_cast<std::size_t>(a))) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
    if (void* p = alloc_fault::allocate(n, static_cast<std::size_t>(a))) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return alloc_fault::allocate(n, 0, false); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return alloc_fault::allocate(n, 0, false); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return alloc_fault::allocate(n, static_cast<std::size_t>(a), false);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return alloc_fault::allocate(n, static_cast<std::size_t>(a), false);
}
void operator delete(void* p) noexcept { alloc_fault::release(p); }
void operator delete[](void* p) noexcept { alloc_fault::release(p); }
void operator delete(void* p, std::size_t) noexcept { alloc_fault::release(p); }
void operator delete[](void* p, std::size_t) noexcept { alloc_fault::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { alloc_fault::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { alloc_fault::release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { alloc_fault::release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { alloc_fault::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { alloc_fault::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { alloc_fault::release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { alloc_fault::release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { alloc_fault::release(p); }
