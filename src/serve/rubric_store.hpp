// rubric serve: the compiled rubrics the service keeps, by the SHA-256 of their text, so that
// a client compiles once and scores many batches by hash (compile once, run many). A program
// is immutable and shared by every request that uses it (compile.hpp). The store is bounded:
// past `capacity` the rubric used longest ago is let go (a client that still names it is told
// 404 and compiles again).
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "rubric/compile.hpp"

namespace rubric::serve {

// The lowercase hex SHA-256 of `text` (OpenSSL's libcrypto, which cpp-httplib already needs).
[[nodiscard]] std::string content_hash(std::string_view text);

class rubric_store {
public:
    explicit rubric_store(std::size_t capacity) : capacity_(capacity ? capacity : 1) {}
    // Before the service starts (not while requests use the store).
    void set_capacity(std::size_t capacity) { capacity_ = capacity ? capacity : 1; }

    // The program kept under `hash`, or null.
    [[nodiscard]] program_ptr find(const std::string& hash) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = index_.find(hash);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);  // most recently used first
        return it->second->second;
    }

    void keep(const std::string& hash, program_ptr p) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (const auto it = index_.find(hash); it != index_.end()) {
            order_.splice(order_.begin(), order_, it->second);
            return;
        }
        order_.emplace_front(hash, std::move(p));
        index_.emplace(hash, order_.begin());
        while (order_.size() > capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
    }

private:
    using entry = std::pair<std::string, program_ptr>;
    std::size_t capacity_;
    std::mutex mutex_;
    std::list<entry> order_;
    std::unordered_map<std::string, std::list<entry>::iterator> index_;
};

}  // namespace rubric::serve
