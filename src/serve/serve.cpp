// rubric serve [--listen 127.0.0.1:8080] [--rubrics DIR] [--token-file F]
//              [--max-body BYTES] [--time-limit-ms MS] [--max-concurrent N] [--max-rubrics N]
//              [--max-pdf-prints N]
//   the HTTP service and the page (service.hpp). Safe by default: it listens on the loopback
//   interface; any other address needs --token-file, or it refuses to start.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "../cli/cli.hpp"
#include "bounded_server.hpp"
#include "service.hpp"

namespace rubric::serve {

std::string content_hash(std::string_view text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char b : digest) out += hex[b >> 4], out += hex[b & 15];
    return out;
}

bool token_matches(const std::string& header, const std::string& token) {
    const std::string prefix = "Bearer ";
    if (header.size() != prefix.size() + token.size() || header.compare(0, prefix.size(), prefix) != 0) return false;
    return CRYPTO_memcmp(header.data() + prefix.size(), token.data(), token.size()) == 0;
}

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

namespace {

bounded_server* running = nullptr;

extern "C" void stop_on_signal(int) {
    if (running) running->stop();
}

// A whole number within [1, max]; else false.
bool parse_count(const std::string& text, std::size_t max, std::size_t& out) {
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoull(text);
    return out >= 1 && out <= max;
}

}  // namespace

}  // namespace rubric::serve

namespace rubric::cli {

int cmd_serve(const args& a) {
    using namespace rubric::serve;
    if (!a.files.empty()) return usage("serve takes no file: name the rubrics folder with --rubrics DIR");
    service s;
    const std::string listen = a.opt("--listen", "127.0.0.1:8080");
    const auto colon = listen.rfind(':');
    std::size_t port = 0;
    // Port 0: a free port, chosen by the system and printed (what tests use).
    if (colon == std::string::npos || (listen.substr(colon + 1) != "0" && !parse_count(listen.substr(colon + 1), 65535, port)))
        return usage("--listen HOST:PORT (got \"" + listen + "\")");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

    struct {
        const char* option;
        std::size_t max;
        std::size_t* value;
    } counts[] = {{"--max-body", std::size_t(1) << 32, &s.limits.max_body},
                  {"--max-concurrent", 1024, &s.limits.max_concurrent},
                  {"--max-rubrics", 100000, &s.limits.max_rubrics},
                  {"--max-pdf-prints", 64, &s.limits.max_pdf_prints}};
    for (const auto& c : counts)
        if (const std::string v = a.opt(c.option); !v.empty() && !parse_count(v, c.max, *c.value))
            return usage(std::string(c.option) + " needs a whole number from 1 to " + std::to_string(c.max) + " (got \"" + v + "\")");
    if (const std::string v = a.opt("--time-limit-ms"); !v.empty()) {
        std::size_t ms = 0;
        if (!parse_count(v, 3600000, ms)) return usage("--time-limit-ms needs a whole number from 1 to 3600000 (got \"" + v + "\")");
        s.limits.time_limit_ms = static_cast<long>(ms);
    }
    s.store.set_capacity(s.limits.max_rubrics);

    if (const std::string f = a.opt("--token-file"); !f.empty()) {
        std::ifstream in(f, std::ios::binary);
        std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
        if (!in.good() && !in.eof()) token.clear();
        if (token.size() < 16 || token.find_first_of(" \t\r\n") != std::string::npos) {
            std::cerr << "rubric: the token file " << f << " must hold one token of at least 16 characters\n";
            return exit_usage;
        }
        s.token = token;
    }
    // Off the loopback interface anybody on the network could score, read the rubrics folder
    // and spend the machine's time: only with a token.
    if (!is_loopback(host) && s.token.empty()) {
        std::cerr << "rubric: serve listens on " << host << ", which other machines can reach: give --token-file F "
                  << "(requests then need Authorization: Bearer TOKEN), or listen on 127.0.0.1\n";
        return exit_usage;
    }
    if (const std::string d = a.opt("--rubrics"); !d.empty()) {
        std::error_code ec;
        const std::filesystem::path root = std::filesystem::canonical(d, ec);
        if (ec || !std::filesystem::is_directory(root, ec)) {
            std::cerr << "rubric: --rubrics " << d << " is not a folder\n";
            return exit_usage;
        }
        s.rubrics_dir = root.string();
    }

    bounded_server server;
    // A request's reading: its bytes (the body limit, and its headers) and its time (the scoring
    // limit at least, and a minute for a slow network).
    server.bound_requests(s.limits.max_body, static_cast<int>(std::max<long>(60, s.limits.time_limit_ms / 1000)));
    // A few threads past the limit, so that a connection over it is answered 429 instead of
    // waiting in the queue.
    server.new_task_queue = [&s] { return new counting_pool(s.limits.max_concurrent + 4, s.active); };
    server.set_payload_max_length(s.limits.max_body);
    server.set_read_timeout(10, 0);
    server.set_write_timeout(10, 0);
    server.set_keep_alive_timeout(2);
    // httplib closes a connection after 5 requests by default: busy clients then reconnect in
    // crowds (one was reset under load). A busy client keeps its connection longer; the thread
    // it holds is counted against --max-concurrent like any other, and an idle one is let go
    // after the keep-alive timeout.
    server.set_keep_alive_max_count(100);
    // A reply's headers and body are written separately: without TCP_NODELAY the body waits
    // for the client's delayed ACK (40 ms on Linux), measured as every other request's latency.
    server.set_tcp_nodelay(true);
    add_routes(server, s);

    const int bound = port ? (server.bind_to_port(host, static_cast<int>(port)) ? static_cast<int>(port) : -1) : server.bind_to_any_port(host);
    if (bound <= 0) {
        std::cerr << "rubric: cannot listen on " << listen << "\n";
        return exit_input;
    }
    server.widen_backlog(128);
    running = &server;
    std::signal(SIGINT, stop_on_signal);
    std::signal(SIGTERM, stop_on_signal);
    std::signal(SIGPIPE, SIG_IGN);
    // The line a test or a script waits for before its first request.
    const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    std::cout << "rubric serve: listening on http://" << shown_host << ":" << bound << "/" << std::endl;
    const bool ok = server.listen_after_bind();
    running = nullptr;
    return ok ? exit_ok : exit_input;
}

}  // namespace rubric::cli
