// rubric serve: what keeps one client from taking the service from the others — the limits on
// a request's size, time and the connections served at once — and the token rule.
//
//   size         the body, --max-body bytes (httplib refuses more: 413, before reading it); a
//                chunked body, which httplib would read whole whatever its size, is refused (411)
//   time         scoring, --time-limit-ms from the request's start: the facts are read
//                through deadline_source, which stops the run once the time is up (408)
//   concurrency  connections being served, --max-concurrent: the pool has a few threads more,
//                so that a connection past the limit is answered (429) instead of waiting;
//                PDF reports being printed, max_pdf_prints (429)
//   token        off the loopback interface a token is required (serve.cpp refuses to start
//                without one); when given, every /api/ request must carry it (401)
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <httplib.h>

#include "rubric/run.hpp"

namespace rubric::serve {

struct serve_limits {
    std::size_t max_body = 16u << 20;      // bytes of one request body
    long time_limit_ms = 30000;            // of one request's scoring
    std::size_t max_concurrent = 32;       // connections served at once
    std::size_t max_rubrics = 64;          // compiled rubrics kept (rubric_store)
    // PDF reports printed at once: each is a Chromium of a few hundred MB (pdf_printer.hpp);
    // one more is told 429. Printing has the request's time limit too.
    std::size_t max_pdf_prints = 2;        // --max-pdf-prints
};

// Counts a use of something limited while it lasts; `admitted` is false past the limit.
class admission {
public:
    admission(std::atomic<std::size_t>& in_use, std::size_t limit) : in_use_(in_use), admitted_(++in_use_ <= limit) {}
    ~admission() { --in_use_; }
    admission(const admission&) = delete;
    admission& operator=(const admission&) = delete;
    [[nodiscard]] bool admitted() const noexcept { return admitted_; }

private:
    std::atomic<std::size_t>& in_use_;
    bool admitted_;
};

// httplib's thread pool, counting the connections it is serving.
class counting_pool final : public httplib::TaskQueue {
public:
    counting_pool(std::size_t threads, std::atomic<std::size_t>& active) : pool_(threads), active_(active) {}
    void enqueue(std::function<void()> fn) override {
        pool_.enqueue([this, fn = std::move(fn)] {
            ++active_;
            fn();
            --active_;
        });
    }
    void shutdown() override { pool_.shutdown(); }

private:
    httplib::ThreadPool pool_;
    std::atomic<std::size_t>& active_;
};

using deadline = std::chrono::steady_clock::time_point;

// A facts source that stops reading once `until` has passed; expired() then says so, and the
// run's results are not used (a run stopped early could look complete).
class deadline_source final : public facts_source {
public:
    deadline_source(std::unique_ptr<facts_source> inner, deadline until) : inner_(std::move(inner)), until_(until) {}
    [[nodiscard]] const std::string& name() const noexcept override { return inner_->name(); }
    bool read(const entity_handler& on_entity, const diagnostic_handler& on_diag) override {
        return inner_->read(
            [&](raw_entity& e, const source_ptr& s) {
                if (std::chrono::steady_clock::now() >= until_) {
                    expired_ = true;
                    return false;
                }
                return on_entity(e, s);
            },
            on_diag);
    }
    [[nodiscard]] bool expired() const noexcept { return expired_; }

private:
    std::unique_ptr<facts_source> inner_;
    deadline until_;
    bool expired_ = false;
};

// True when `header` is "Bearer TOKEN" with the right token (compared in constant time).
[[nodiscard]] bool token_matches(const std::string& header, const std::string& token);

// True for an address that only this machine can reach (127.0.0.0/8, ::1, localhost).
[[nodiscard]] bool is_loopback(const std::string& host);

}  // namespace rubric::serve
