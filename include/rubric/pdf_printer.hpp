// rubric: a page of HTML printed to PDF by headless Chromium (`rubric report --format pdf`).
//
// The page is written into a private temporary directory and printed by Chromium with a fresh
// profile there (nothing from the user's browser, no network, no first-run work); its own
// @page rules decide the paper (A4) and what each page's margins carry (report.cpp: the
// heading, the date, the page number). Chromium's own header and footer (a file:// URL and
// the time) are left off. The PDF's bytes come back for a safe_output to put in place; the
// directory is removed on every path. Chromium runs as a child process with a time limit and
// is killed past it.
//
// Part of the office layer (rubric_office, src/office/): not in the core library.
#pragma once

#include <string>

#include "rubric/messages.hpp"

namespace rubric {

struct pdf_options {
    // The browser: $RUBRIC_CHROMIUM when set, else /usr/bin/chromium.
    std::string chromium;
    int timeout_seconds = 120;
};

// False with `error` set when Chromium is missing, fails, or takes too long.
[[nodiscard]] bool print_html_to_pdf(const std::string& html, std::string& pdf, localized& error, const pdf_options& options = {});

}  // namespace rubric
