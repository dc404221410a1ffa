// rubric serve: the connection loop of bounded_server.hpp.
#include "bounded_server.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace rubric::serve {

namespace {

using clock = std::chrono::steady_clock;

// Waits up to `ms` for the socket to be ready for `events`; false on a timeout or an error.
bool wait_for(socket_t sock, short events, int ms) {
    pollfd p{sock, events, 0};
    int r;
    do r = ::poll(&p, 1, ms);
    while (r < 0 && errno == EINTR);
    return r > 0 && (p.revents & (events | POLLHUP | POLLERR));
}

void address_of(socket_t sock, bool peer, std::string& ip, int& port) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    const int r = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len)
                       : ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len);
    char host[NI_MAXHOST], service[NI_MAXSERV];
    if (r != 0 || ::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, service, sizeof service,
                                NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return;
    ip = host;
    port = std::atoi(service);
}

// One request's reading and its reply, over the connection's socket: reads are buffered (httplib
// reads a line a byte at a time) and counted; past the request's bytes or time they fail.
class bounded_stream final : public httplib::Stream {
public:
    bounded_stream(socket_t sock, int read_timeout_ms, int write_timeout_ms, std::size_t max_bytes,
                   clock::time_point until)
        : sock_(sock), read_ms_(read_timeout_ms), write_ms_(write_timeout_ms), left_(max_bytes), until_(until) {}

    bool is_readable() const override { return begin_ < end_ || wait_for(sock_, POLLIN, read_ms_); }
    bool is_writable() const override { return wait_for(sock_, POLLOUT, write_ms_); }

    ssize_t read(char* ptr, size_t size) override {
        if (begin_ == end_) {
            if (left_ == 0 || clock::now() >= until_) return -1;  // the request is too long, or too slow
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until_ - clock::now()).count();
            if (!wait_for(sock_, POLLIN, static_cast<int>(std::min<long long>(read_ms_, ms + 1)))) return -1;
            ssize_t n;
            do n = ::recv(sock_, buffer_, std::min(sizeof buffer_, left_), 0);
            while (n < 0 && errno == EINTR);
            if (n <= 0) return n;
            left_ -= static_cast<std::size_t>(n);
            begin_ = 0;
            end_ = static_cast<std::size_t>(n);
        }
        std::size_t n = std::min(size, end_ - begin_);
        if (!head_read_) {
            // The request line and headers end at the first empty line: up to it, at most
            // header_allowance bytes (the body has its own limit, checked by httplib).
            for (std::size_t i = 0; i < n && !head_read_; ++i) {
                const char c = buffer_[begin_ + i];
                crlf_run_ = c == (crlf_run_ % 2 ? '\n' : '\r') ? crlf_run_ + 1 : c == '\r' ? 1 : 0;
                if (crlf_run_ == 4) head_read_ = true, n = i + 1;
            }
            head_bytes_ += n;
            if (head_bytes_ > bounded_server::header_allowance) return -1;
        }
        std::memcpy(ptr, buffer_ + begin_, n);
        begin_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, size_t size) override {
        if (!is_writable()) return -1;
        ssize_t n;
        do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        return n;
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(sock_, true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(sock_, false, ip, port); }
    socket_t socket() const override { return sock_; }

    [[nodiscard]] bool buffered() const noexcept { return begin_ < end_; }

    // What was read past this request (a client that sends its next request at once) moves on.
    void hand_over(bounded_stream& next) {
        std::memcpy(next.buffer_, buffer_ + begin_, end_ - begin_);
        next.end_ = end_ - begin_;
    }

private:
    socket_t sock_;
    int read_ms_, write_ms_;
    std::size_t left_;
    clock::time_point until_;
    char buffer_[16 * 1024];
    std::size_t begin_ = 0, end_ = 0;
    bool head_read_ = false;   // the empty line after the headers has been read
    int crlf_run_ = 0;         // of "\r\n\r\n" seen at the end of what was read
    std::size_t head_bytes_ = 0;
};

int to_ms(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

}  // namespace

// httplib's keep-alive loop (process_server_socket in 0.11.4): up to keep_alive_max_count_
// requests, each waited for up to keep_alive_timeout_sec_, while the server runs.
bool bounded_server::widen_backlog(int backlog) { return ::listen(svr_sock_, backlog) == 0; }

bool bounded_server::process_and_close_socket(socket_t sock) {
    bool ok = false;
    std::unique_ptr<bounded_stream> previous;
    for (std::size_t count = keep_alive_max_count_; count > 0 && svr_sock_ != INVALID_SOCKET; --count) {
        const bool buffered = previous && previous->buffered();
        if (!buffered && !wait_for(sock, POLLIN, static_cast<int>(keep_alive_timeout_sec_ * 1000))) break;
        auto stream = std::make_unique<bounded_stream>(sock, to_ms(read_timeout_sec_, read_timeout_usec_),
                                                       to_ms(write_timeout_sec_, write_timeout_usec_), max_request_bytes_,
                                                       clock::now() + std::chrono::seconds(max_request_seconds_));
        if (previous) previous->hand_over(*stream);
        bool closed = false;
        ok = process_request(*stream, count == 1, closed, nullptr);
        if (!ok || closed) break;
        previous = std::move(stream);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

}  // namespace rubric::serve
