// HTML to PDF through headless Chromium (rubric/pdf_printer.hpp).
#include "rubric/pdf_printer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

#include "private_dir.hpp"

namespace rubric {

bool print_html_to_pdf(const std::string& html, std::string& pdf, localized& error, const pdf_options& options) {
    std::string browser = options.chromium;
    if (browser.empty()) {
        const char* env = std::getenv("RUBRIC_CHROMIUM");
        browser = env && *env ? env : "/usr/bin/chromium";
    }
    if (::access(browser.c_str(), X_OK) != 0) {
        error = localize("pdf.no-chromium", {{"path", browser}});
        return false;
    }
    office::private_dir dir("pdf");
    if (dir.path.empty()) {
        error = localize("pdf.failed", {{"reason", std::strerror(errno)}});
        return false;
    }
    const std::string page = dir.path + "/report.html", out = dir.path + "/report.pdf";
    {
        std::ofstream f(page, std::ios::binary);
        f << html;
        if (!f.flush()) {
            error = localize("pdf.failed", {{"reason", "cannot write " + page}});
            return false;
        }
    }
    std::vector<std::string> args = {browser,
                                      "--headless",
                                      "--no-sandbox",
                                      "--disable-gpu",
                                      "--no-first-run",
                                      "--disable-background-networking",
                                      "--disable-component-update",
                                      "--disable-sync",
                                      "--disable-dev-shm-usage",
                                      "--user-data-dir=" + dir.path + "/profile",
                                      "--no-pdf-header-footer",
                                      "--print-to-pdf=" + out,
                                      "file://" + page};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(&a[0]);
    argv.push_back(nullptr);
    // Chromium's chatter goes nowhere: a failure is told by its exit status and missing PDF.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so that its helper processes are killed with it on a timeout.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, browser.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (spawned != 0) {
        error = localize("pdf.failed", {{"reason", std::strerror(spawned)}});
        return false;
    }
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) {
            error = localize("pdf.failed", {{"reason", std::strerror(errno)}});
            return false;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            error = localize("pdf.timeout", {{"seconds", std::to_string(options.timeout_seconds)}});
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Helpers that outlived the browser process go with it.
    ::kill(-pid, SIGKILL);
    std::ifstream in(out, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    pdf = ss.str();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || pdf.compare(0, 5, "%PDF-") != 0) {
        error = localize("pdf.failed", {{"reason", WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                                                      : std::string("killed by a signal")}});
        pdf.clear();
        return false;
    }
    return true;
}

}  // namespace rubric
