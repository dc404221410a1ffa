// rubric (office layer, internal): a temporary directory of our own (mkdtemp under $TMPDIR or
// /tmp), removed with everything in it when it goes out of scope — for the tools that need a
// place to write (libxlsxwriter's workbook file, Chromium's profile and PDF).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

namespace rubric::office {

struct private_dir {
    std::string path;  // empty when the directory could not be made
    explicit private_dir(const char* purpose) {
        const char* base = std::getenv("TMPDIR");
        std::string t = std::string(base && *base ? base : "/tmp") + "/rubric-" + purpose + "-XXXXXX";
        if (char* made = ::mkdtemp(&t[0])) path = made;
    }
    private_dir(const private_dir&) = delete;
    private_dir& operator=(const private_dir&) = delete;
    ~private_dir() {
        if (path.empty()) return;
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

}  // namespace rubric::office
