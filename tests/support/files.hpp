// Test helpers: reading files from the source tree and from ../shared.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace rubric_test {

inline std::string source_dir() { return RUBRIC_SOURCE_DIR; }
inline std::string shared_dir() { return RUBRIC_SHARED_DIR; }

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace rubric_test
