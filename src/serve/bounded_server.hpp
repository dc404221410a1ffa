// rubric serve: httplib's server with every request's reading bounded — in bytes and in time.
//
// Debian's cpp-httplib 0.11.4 reads a request's header lines without a limit on their number
// (measured: 30 MB of headers grew the server by 75 MB) and gives a slow client a fresh read
// timeout for every byte. Its connection loop is the one place that sees the socket, so it is
// written again here (as process_and_close_socket, which httplib calls for each connection):
// the same keep-alive loop, around httplib's own process_request, over a stream that fails a
// read once the request line and headers have taken more than 64 KiB, the whole request more
// than the body limit and that, or more than `max_request_seconds` since its first byte. The
// connection is then closed without a reply: there is nothing sensible to say to such a client.
#pragma once

#include <cstddef>

#include <httplib.h>

namespace rubric::serve {

class bounded_server final : public httplib::Server {
public:
    // Before listening.
    void bound_requests(std::size_t max_body, int max_request_seconds) {
        max_request_bytes_ = max_body + header_allowance;
        max_request_seconds_ = max_request_seconds;
    }

    // The request line and headers: at most this many bytes.
    static constexpr std::size_t header_allowance = 64 * 1024;

    // httplib listens with a backlog of 5 (fixed in 0.11.4): clients connecting in a crowd past
    // it wait a SYN retry (1 s). Listening again on the bound socket widens it. After binding.
    bool widen_backlog(int backlog);

private:
    bool process_and_close_socket(socket_t sock) override;

    std::size_t max_request_bytes_ = 16u << 20;
    int max_request_seconds_ = 60;
};

}  // namespace rubric::serve
