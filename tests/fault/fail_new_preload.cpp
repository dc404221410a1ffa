// fail_new_preload.cpp: alloc_fault.hpp as a shared library to LD_PRELOAD into a program (the
// CLI), whose operator new it then replaces. RUBRIC_FAULT_ALLOC=N fails the Nth allocation
// counted from the program's start; RUBRIC_FAULT_REPORT=1 prints "allocations: K" to stderr
// at exit (how many there were, to choose N from).
#include "alloc_fault.hpp"

#include <cstdio>
#include <cstdlib>

__attribute__((constructor)) static void alloc_fault_start() {
    if (const char* n = std::getenv("RUBRIC_FAULT_ALLOC")) alloc_fault::arm(std::atol(n));
}

__attribute__((destructor)) static void alloc_fault_report() {
    if (std::getenv("RUBRIC_FAULT_REPORT")) std::fprintf(stderr, "allocations: %ld\n", alloc_fault::count.load());
}
